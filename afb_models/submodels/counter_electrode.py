"""The metal counter electrode of a metal||collector or symmetric cell."""

from __future__ import annotations

import pybamm

from ..mechanisms import MECHANISMS
from .base_mechanism import side_name
from .metal_deposit import positive_part


class MetalCounterElectrode(pybamm.BaseSubModel):
    r"""Planar metal counter electrode: a finite reservoir of metal foil.

    The counter electrode (Li foil in a Li||Cu cell, Na in Na||Al, the second foil of a
    symmetric cell) sits at :math:`x = L_s`. In the metal||collector convention the
    collector is the cell's positive terminal, so a discharge (current
    :math:`I > 0`) strips the counter electrode and plates the collector, and the
    counter electrode's current density (positive when it oxidises) is the cell's,
    :math:`i_{CE} = I/A`. Its metal (:math:`n_{CE}` [mol m-2], from
    "Counter electrode metal thickness [m]") follows Faraday's law,

    .. math::
        \frac{dn_{CE}}{dt} = -\frac{i_{CE}}{F}

    and its kinetics are Butler-Volmer with OCP 0 V against the metal and the metal's
    exchange current (the same function as on the plated metal, Xu et al. JES 2019),
    solved for the overpotential :math:`\eta_{CE}`:

    .. math::
        i_{CE} = j_{0,M}(c_e(L_s), T)\left[e^{\alpha f \eta_{CE}}
                   - e^{-(1-\alpha) f \eta_{CE}}\right]

    plus a series resistance ("Counter electrode interface resistance [Ohm.m2]"):
    :math:`\phi_{CE} = \phi_e(L_s) + \eta_{CE} + R_{CE}\, i_{CE}`. The cell's voltage is
    the collector's potential against it, :math:`V = \phi_{cc} - \phi_{CE}` (in
    :class:`CounterElectrodeVoltage`). The event "Counter electrode metal exhausted"
    stops a simulation before it runs out.

    With ``degrades=False`` (a metal||collector cell) the counter electrode is a
    reservoir: no SEI or dead metal is modelled on it (its losses do not enter what
    such a cell measures, the working electrode's CE). With ``degrades=True`` (the
    symmetric cell, whose two foils are alike) the loss mechanisms that need no bare
    collector (SEI, dead metal; :data:`afb_models.mechanisms.MECHANISMS`) act on it
    too, with the same laws and parameters as on the working foil and its own states
    ("Counter electrode SEI metal amount [mol.m-2]", ...). Then its faradaic current
    splits into the metal's reaction and the loss channels' currents, and the
    deposit rates leave its metal:

    .. math::
        i_{CE} = j_{BV}(\eta_{CE}) + \sum_k j_{k,CE}, \qquad
        \frac{dn_{CE}}{dt} = -\frac{j_{BV}}{F} - \sum_k r_{k,CE}

    with the films in series with its interface resistance. The metal-ion flux into
    the electrolyte stays :math:`i_{CE}/F`: every reaction there takes or gives one
    metal ion. On a solid electrolyte the foil can lose contact
    (:mod:`afb_models.submodels.interface_contact`): its exchange current and
    interface resistance then act on its contact fraction :math:`\varphi_{CE}`
    (:math:`\varphi_{CE} j_{0,M}`, :math:`R_{CE}/\varphi_{CE}`).
    """

    #: width of the smooth switch between net plating and net stripping [A m-2]
    SWITCH_WIDTH = 1e-6

    def __init__(self, param, metal_param, options, degrades=False):
        super().__init__(param, name="Metal counter electrode", options=options)
        self.metal_param = metal_param
        self.degrades = degrades
        #: the loss channels on this foil, by their counter-electrode names
        self.channels = [
            m.channel for m in MECHANISMS if degrades and m.on_counter_foil
        ]

    def channel_sum(self, variables, attribute):
        """The sum over this foil's loss channels of their ``attribute`` variable
        ("current", "deposit_rate" or "resistance"); 0 for a reservoir."""
        names = [side_name(getattr(c, attribute), "counter") for c in self.channels]
        return sum((variables[n] for n in names if n is not None), pybamm.Scalar(0))

    def contact_fraction(self, variables):
        """The share of the foil touching the electrolyte: its contact mechanism's
        when it degrades (a symmetric cell), else 1 (a reservoir)."""
        if self.degrades:
            return variables["Counter electrode interface contact fraction"]
        return pybamm.Scalar(1)

    def get_fundamental_variables(self):
        n_ce = pybamm.Variable(
            "Counter electrode metal amount [mol.m-2]", domain="current collector"
        )
        eta_ce = pybamm.Variable(
            "Counter electrode reaction overpotential [V]", domain="current collector"
        )
        return {
            "Counter electrode metal amount [mol.m-2]": n_ce,
            "Counter electrode metal thickness [m]": n_ce * self.metal_param.V_m,
            "Counter electrode reaction overpotential [V]": eta_ce,
            # a foil covers its whole area
            "Counter electrode metal coverage": pybamm.Scalar(1),
        }

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        i_ce = variables["Current collector current density [A.m-2]"]
        eta = variables["Counter electrode reaction overpotential [V]"]
        c_e = variables["Counter electrode electrolyte concentration [mol.m-3]"]
        phi_e = variables["Counter electrode electrolyte potential [V]"]
        T = variables["Negative interface temperature [K]"]
        f = mp.F / (mp.R * T)
        # the foil reacts where it touches the electrolyte (a symmetric cell's foil on
        # a solid electrolyte can lose contact: submodels/interface_contact/)
        contact = self.contact_fraction(variables)
        j0 = contact * mp.j0_metal(c_e, T)
        j_bv = j0 * (
            pybamm.exp(mp.alpha * f * eta) - pybamm.exp(-(1 - mp.alpha) * f * eta)
        )
        variables.update(
            {
                "Counter electrode current density [A.m-2]": i_ce,
                "Counter electrode kinetic current density [A.m-2]": j_bv,
                "Counter electrode exchange-current density [A.m-2]": j0,
                "Counter electrode electrolyte-side potential [V]": phi_e + eta,
                # net stripping (positive) and plating rates of the foil, for the
                # mechanisms that act on the metal stripped or plated
                "Counter electrode metal stripping current density [A.m-2]":
                    positive_part(j_bv, self.SWITCH_WIDTH),
                "Counter electrode metal plating rate [mol.m-2.s-1]":
                    positive_part(-j_bv, self.SWITCH_WIDTH) / mp.F,
            }
        )
        return variables

    def set_rhs(self, variables):
        n_ce = variables["Counter electrode metal amount [mol.m-2]"]
        j_bv = variables["Counter electrode kinetic current density [A.m-2]"]
        moved_out = self.channel_sum(variables, "deposit_rate")
        self.rhs = {n_ce: -j_bv / self.metal_param.F - moved_out}

    def set_algebraic(self, variables):
        eta = variables["Counter electrode reaction overpotential [V]"]
        i_ce = variables["Counter electrode current density [A.m-2]"]
        j_bv = variables["Counter electrode kinetic current density [A.m-2]"]
        self.algebraic = {eta: j_bv + self.channel_sum(variables, "current") - i_ce}

    def set_initial_conditions(self, variables):
        n_ce = variables["Counter electrode metal amount [mol.m-2]"]
        eta = variables["Counter electrode reaction overpotential [V]"]
        mp = self.metal_param
        self.initial_conditions = {n_ce: mp.L_ce / mp.V_m, eta: pybamm.Scalar(0)}

    def add_events_from(self, variables):
        n_ce = variables["Counter electrode metal amount [mol.m-2]"]
        n_0 = self.metal_param.L_ce / self.metal_param.V_m
        self.events.append(
            pybamm.Event("Counter electrode metal exhausted", n_ce - 0.01 * n_0)
        )



class CounterElectrodeVoltage(pybamm.BaseSubModel):
    r"""The cell's voltage in a metal||collector or symmetric cell: the collector's
    potential against the counter electrode's,

    .. math::
        V = \phi_{cc} - \phi_{CE}, \qquad
        \phi_{CE} = \phi_e(L_s) + \eta_{CE} + (R_{CE} + \sum_k R_{k,CE})\, i_{CE}

    with the films of its loss channels (when it degrades) in series with its
    interface resistance. (A submodel of its own: the films are the mechanisms'
    variables, which need the counter electrode's kinetics first.)
    """

    def __init__(self, param, metal_param, options, counter_electrode):
        super().__init__(param, name="Counter electrode voltage", options=options)
        self.metal_param = metal_param
        self.counter_electrode = counter_electrode

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        i_ce = variables["Counter electrode current density [A.m-2]"]
        films = self.counter_electrode.channel_sum(variables, "resistance")
        # (the interface's own resistance is crossed where the foil touches)
        R_ce = mp.R_ce / self.counter_electrode.contact_fraction(variables)
        phi_ce = (variables["Counter electrode electrolyte-side potential [V]"]
                  + (R_ce + films) * i_ce)
        # the collector (working electrode) is the cell's positive terminal
        V = variables["Negative current collector potential [V]"] - phi_ce
        variables.update(
            {
                "Voltage [V]": V,
                "Battery voltage [V]": V,
                "Terminal voltage [V]": V,
                "Counter electrode potential [V]": phi_ce,
                "Counter electrode ohmic overpotential [V]": (R_ce + films) * i_ce,
                "Counter electrode film resistance [Ohm.m2]": films,
            }
        )
        return variables
