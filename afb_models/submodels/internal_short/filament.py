"""Metal filaments through a solid electrolyte above its critical current density,
and the internal short they make: soft (it can burn open) or hard (it ends the run)."""

from __future__ import annotations

import pybamm

from ..metal_deposit import positive_part


def _ccd(mp, p, T):
    """The critical current density law of :class:`FilamentShort` [A m-2]."""
    return (mp.i_ccd * (1 + p / mp.sigma_y) / (1 + mp.p_ccd_ref / mp.sigma_y)
            * mp.arrhenius(mp.E_ccd, T))


def critical_current_density(parameter_values, pressure_Pa=None, temperature_K=None):
    """The critical current density of plating [A m-2] (:class:`FilamentShort`) of
    the cell of ``parameter_values``, at its stack pressure and reference temperature
    unless given."""
    from ...parameters import MetalElectrodeParameters

    mp = MetalElectrodeParameters()
    return mp.evaluate_at_stack(parameter_values, lambda p, T: _ccd(mp, p, T),
                                pressure_Pa, temperature_K)


def cell_voltage(variables):
    """The voltage between the terminals [V], from the potentials the submodels
    define (the model sets "Voltage [V]" itself only after the submodels)."""
    if "Voltage [V]" in variables:  # a metal||collector or symmetric cell
        return variables["Voltage [V]"]
    return (variables["Positive current collector potential [V]"]
            - variables["Negative current collector potential [V]"])


class FilamentShort(pybamm.BaseSubModel):
    r"""Option ``"internal short": "filament"``: metal filaments grow through a solid
    electrolyte while the collector plates above the critical current density (CCD),
    and short the cell once one bridges it (docs/physics.md §9).

    **Growth.** Metal penetrates the electrolyte along grain boundaries and cracks
    where the local plating current density :math:`i_{loc} = F r_{plate}/\varphi`
    (over the contact fraction :math:`\varphi`, so poor contact lowers the cell's
    CCD) exceeds the CCD, and, in a cell with a metal counter foil, where the foil
    plates above it (a Li||Cu cell's strip plates its Li foil, whose filaments make
    the soft shorts of a strip). The charge plated above it, over the charge to short
    :math:`q_f` ("Filament charge to short [C.m-2]"), extends the filament
    (:math:`s`: 0 none, 1 it bridges the electrolyte). Once it bridges, the
    current it carries welds and thickens it (:math:`d`, the shunt's charge in
    units of :math:`q_f`; *form*):

    .. math::
        g = \frac{(i_{loc} - i_{CCD})_+ + (i_{CE} - i_{CCD})_+}{q_f}, \qquad
        \frac{ds}{dt} = g\,(1 - B) - b, \qquad
        \frac{dd}{dt} = \frac{|i_{sh}|}{q_f}, \qquad B = S(s - 1)

    .. math::
        i_{CCD}(p, T) = i_{CCD,ref}\,\frac{1 + p/\sigma_y}{1 + p_{ref}/\sigma_y}\,
            e^{E_{CCD}/R\,(1/T_{ref} - 1/T)}

    (:math:`S` a step smoothed over 0.01). The CCD rises with temperature and with
    the stack pressure on the scale of the metal's yield strength :math:`\sigma_y`
    (Li|LLZO ~0.1-1 mA cm-2 at room temperature; Na|NASICON 1.9 mA cm-2, Tseng et
    al. 2024); the law is the simplest with those limits (*form*).

    **Shunt.** A bridging filament conducts electrons between the electrodes, in
    parallel with the electrochemistry: with the soft-short resistance
    :math:`R_{soft}` while thin, with the hard-short resistance :math:`R_{hard}`
    once it has thickened by :math:`d_{hard}` ("Hard short thickening charge
    ratio"):

    .. math::
        G = \frac{B(1 - H)}{R_{soft}} + \frac{H}{R_{hard}},
        \qquad H = S(d - d_{hard}), \qquad i_{sh} = G\, V

    (:math:`d` grows only while the filament bridges, so a thick one bridges for
    good). :class:`~afb_models.submodels.internal_short.shunt.Shunt` adds the
    conductance of a melt's bridge, if any, and solves for :math:`i_{sh}`.

    The shunt acts like a load on the electrochemical cell: it carries
    :math:`i_{sh}` from the positive terminal to the negative one, so the
    electrochemistry carries :math:`i_{app} + i_{sh}`
    (:class:`ShuntedCurrentCollector`). The shunt's charge moves electrons, not
    metal: the inventory is untouched, and the measured CE (charges at the
    terminals) departs from the metal CE.

    **Burn-out.** A soft short dissipates :math:`P = G V^2` in a thin filament;
    above the burn-out power density :math:`P_b` it melts back within
    :math:`\tau_b` and the shunt opens,

    .. math::
        b = B\,(1 - H)\,\frac{(P/P_b - 1)_+}{\tau_b}

    so a soft short is a shunt that opens when the voltage across it rises and
    closes again while plating goes on above the CCD; the thickening it gained
    stays (the damaged path), so repeated soft shorts end in a hard one. A hard
    short does not burn; the event "Hard internal short" ends the run there, with
    its reason.
    """

    #: width of the smooth steps in the filament's extent and thickening
    STEP_WIDTH = 0.01
    #: width of the smooth switch of the growth [A m-2]
    SWITCH_WIDTH = 1e-6

    def __init__(self, param, metal_param, options, counter_foil=False):
        super().__init__(param, name="Filament short", options=options)
        self.metal_param = metal_param
        #: whether the counter electrode is a metal foil (a metal||collector or
        #: symmetric cell), from which filaments grow while it plates
        self.counter_foil = counter_foil

    def get_fundamental_variables(self):
        mp = self.metal_param
        cc = "current collector"
        s = pybamm.Variable("Filament extent", domain=cc)
        d = pybamm.Variable("Filament thickening", domain=cc)
        bridged = pybamm.sigmoid(1, s, 1 / self.STEP_WIDTH)
        # (thickening happens only while bridged: a thick filament bridges for good)
        hard = pybamm.sigmoid(mp.d_hard, d, 1 / self.STEP_WIDTH)
        soft = bridged * (1 - hard)
        G = soft / mp.R_soft + hard / mp.R_hard
        return {
            "Filament extent": s,
            "Filament thickening": d,
            "Filament shunt conductance [S.m-2]": G,
            "Soft short indicator": soft,
            "Hard short indicator": hard,
        }

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        T = variables["Negative interface temperature [K]"]
        contact = variables["Interface contact fraction"]
        r_plate = variables["Metal plating rate [mol.m-2.s-1]"]
        i_ccd = _ccd(mp, mp.p_stack, T)
        i_local = mp.F * r_plate / contact
        growth = positive_part(i_local - i_ccd, self.SWITCH_WIDTH) / mp.q_filament
        if self.counter_foil:
            # (over its own contact: a symmetric cell's foil can lose it too)
            i_counter = (mp.F * variables["Counter electrode metal plating rate [mol.m-2.s-1]"]
                         / variables.get("Counter electrode interface contact fraction", 1))
            growth = growth + positive_part(i_counter - i_ccd, self.SWITCH_WIDTH) / mp.q_filament
            variables["Counter electrode local plating current density [A.m-2]"] = i_counter
        V = cell_voltage(variables)
        G = variables["Filament shunt conductance [S.m-2]"]
        power = G * V**2
        burn = (variables["Soft short indicator"]
                * positive_part(power / mp.P_burn - 1, 1e-3) / mp.tau_burn)
        variables.update(
            {
                "Critical current density [A.m-2]": i_ccd,
                "Local plating current density [A.m-2]": i_local,
                "Shunt power density [W.m-2]": power,
                "Filament growth rate [s-1]": growth,
                "Filament burn-out rate [s-1]": burn,
            }
        )
        return variables

    def set_rhs(self, variables):
        mp = self.metal_param
        s = variables["Filament extent"]
        d = variables["Filament thickening"]
        growth = variables["Filament growth rate [s-1]"]
        bridged = pybamm.sigmoid(1, s, 1 / self.STEP_WIDTH)
        # (the filament's share of the shunt's current: no factor B again)
        i_sh = (variables["Filament shunt conductance [S.m-2]"]
                * cell_voltage(variables))
        self.rhs = {
            s: growth * (1 - bridged) - variables["Filament burn-out rate [s-1]"],
            # |i_sh|, smoothed over SWITCH_WIDTH so that it has no kink at zero
            d: (pybamm.sqrt(i_sh**2 + self.SWITCH_WIDTH**2) - self.SWITCH_WIDTH)
            / mp.q_filament,
        }

    def set_initial_conditions(self, variables):
        self.initial_conditions = {
            variables["Filament extent"]: pybamm.Scalar(0),
            variables["Filament thickening"]: pybamm.Scalar(0),
        }

    def add_events_from(self, variables):
        # (at d_hard, half-way up the step to the hard short: the run ends there,
        # before the solver has to follow the cell into a dead short)
        d = variables["Filament thickening"]
        self.events.append(pybamm.Event("Hard internal short", self.metal_param.d_hard - d))


class ShuntedCurrentCollector(pybamm.current_collector.Uniform):
    """PyBaMM's uniform current collector, handing the electrochemistry the applied
    current density plus what an internal short draws,
    :math:`i_{app} + i_{sh}` (:class:`FilamentShort`). "Current [A]" stays the
    current at the terminals, which the cycler measures."""

    def get_coupled_variables(self, variables):
        # (the short's current lives on the current collector's domain already)
        i_boundary_cc = (variables["Total current density [A.m-2]"]
                         + variables["Internal short current density [A.m-2]"])
        return self._get_standard_current_variables(pybamm.Scalar(0), i_boundary_cc)
