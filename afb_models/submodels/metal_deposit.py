"""Metal plated in situ on a bare current collector: amount, coverage, nucleation and
gated plating/stripping kinetics."""

from __future__ import annotations

import pybamm

from ..mechanisms import LOSS_CHANNELS


def available_metal(n):
    """The plated amount where it can act, max(n, 0) [mol m-2].

    In exact arithmetic n stays positive (stripping vanishes as n -> 0), but the
    integrator may overshoot zero by its tolerance; coverage and stripping availability
    are odd in n, so without this clamp a negative n would strip ever faster.
    """
    return pybamm.maximum(n, 0)


def positive_part(x, width):
    """A smooth max(x, 0): (x + sqrt(x^2 + w^2)) / 2, within w/2 of it.

    The mechanisms that act on the metal plated or stripped switch at zero net
    current, which is where a cell at rest sits; a kink there makes the integrator
    chatter across it. Written as max(x, 0) + w^2 / (2 (sqrt(x^2 + w^2) + |x|)),
    which is the same function without the cancellation of (x + sqrt(x^2 + w^2)) for
    large negative x.
    """
    r = pybamm.sqrt(x**2 + width**2)
    return pybamm.maximum(x, 0) + width**2 / (2 * (r + pybamm.AbsoluteValue(x)))


def collector_coverage(n, metal_param, form):
    """Fraction of the collector covered by metal when ``n`` [mol m-2] is plated."""
    n = available_metal(n)
    if form == "exponential":
        return 1 - pybamm.exp(-n / metal_param.n_cover)
    if form == "linear":
        # min(n / n_theta, 1), with its corner rounded over 1 % of n_theta
        x = n / metal_param.n_cover
        return x - positive_part(x - 1, 0.01)
    raise ValueError(f"unknown coverage form '{form}'")


class MetalDeposit(pybamm.BaseSubModel):
    r"""Metal deposit on the negative current collector of an anode-free cell.

    State: the plated metal per unit geometric area :math:`n_M` [mol m-2], starting at
    zero for an anode-free cell or at ``L_init / V_m`` for a cell with a reservoir
    ("Initial plated metal thickness [m]"). Its dense thickness is
    :math:`L_M = n_M V_m`.

    Equations (docs/physics.md §2; PyBaMM sign convention: a current density is positive
    when it oxidises metal, i.e. strips):

    .. math::
        \frac{dn_M}{dt} = -\frac{j_M + j_{sub}}{F} - \sum_k r_k

    where :math:`r_k` are the rates at which the loss channels that take metal from
    the deposit directly move it out (dead metal, net of reconnection;
    :data:`afb_models.mechanisms.MECHANISMS`). SEI growth and galvanic corrosion take
    metal through the interface's charge balance: at rest the metal that oxidises
    feeds them.

    **Plating and stripping on the metal-covered fraction** :math:`\theta` of the
    collector: Butler-Volmer with OCP 0 V against the metal (Xu et al., JES 166 (2019)
    A3456), with its anodic branch scaled by the availability :math:`g` of a thin
    deposit and by the amount bound :math:`d`, and its cathodic branch by
    :math:`g_c`:

    .. math::
        j_M = \theta\, j_{0,M}(c_e, T)\left[g\, d\, e^{\alpha f \eta}
              - g_c\, e^{-(1-\alpha) f \eta}\right], \qquad f = F/RT,
              \quad \eta = \Delta\phi

    While the cell plates, both factors multiply the exchange current, so they change
    how fast a thin deposit reacts, never where it is in equilibrium: :math:`j_M` has
    the sign of :math:`\eta`, and metal plated on metal is plated at
    :math:`\eta < 0` however thin the deposit (a gate on the anodic branch alone would
    shift a thin deposit's equilibrium upward, the opposite of Gibbs-Thomson). At rest
    and while stripping, :math:`g` acts on the anodic branch only: it is then the
    activity of a vanishing metal phase (Hein, Danner, Latz, ACS Appl. Energy Mater. 3
    (2020) 8519), whose equilibrium potential rises by :math:`-\ln(g)/f` as the last
    metal goes, which hands the interface over to the bare collector smoothly at the
    end of a strip or when side reactions consume the last metal at rest. The
    cathodic branch's factor is therefore :math:`1 - P(1 - g)`, with :math:`P` a
    smooth indicator that the cell is plating (applied current in the plating
    direction above 1e-3 A m-2, over 2e-4 A m-2). Option ``"stripping limit"``
    chooses :math:`g`:

    * ``"tanh"``: :math:`g = \tanh(n_M/n_{min})` (BatCan dense-metal electrode);
    * ``"activity"``: :math:`g = n_M^4/(n_M^4 + n_{min}^4)`, the shape of the plated
      metal's activity (Hein, Danner, Latz 2020).

    The anodic current is also bounded by the amount present: metal cannot dissolve
    faster than within :math:`\tau_{dis}` ("Metal dissolution time [s]"),

    .. math::
        d = \frac{j_n}{j_a + j_n}, \qquad j_a = \theta g j_{0,M} e^{\alpha f\eta},
        \quad j_n = \frac{F n_M}{\tau_{dis}}

    which is 1 while :math:`F n_M / \tau_{dis}` exceeds the current (all but the last
    ~1e-4 mol m-2 at 1 s), and makes :math:`n_M` approach zero exponentially, so it
    is never driven through zero: without it, a few nanomoles of metal left on a
    collector far above the metal's potential would dissolve at an unbounded rate.

    **Plating on the bare substrate** (area :math:`1-\theta`) needs stable nuclei
    first: nothing plates there until the overpotential passes the substrate's
    nucleation overpotential :math:`\eta_{nuc}`, beyond which the metal grows with
    its own kinetics (the anodic side is clipped: there is no metal on the bare
    substrate to dissolve):

    .. math::
        j_{sub} = -(1-\theta)\, j_{0,M}(c_e, T)\,
            \max\!\left(e^{-(1-\alpha) f (\eta + \eta_{nuc})}
                         - e^{\alpha f (\eta + \eta_{nuc})},\ 0\right)

    so the first plating on a bare collector dips to :math:`\eta \approx -\eta_{nuc}`
    (plus the metal's own, small, activation overpotential), and recovers as nuclei
    cover the collector; the dip is absent when metal was left from the cycle before.
    The nucleation overpotential follows classical nucleation theory: the nucleation
    rate :math:`J \propto \exp(-B/(T\eta^2))` must match the current density
    :math:`i` (Budevski, Staikov, Lorenz, Electrochemical Phase Formation and Growth,
    VCH 1996, ch. 6; Pei et al., Nano Lett. 17 (2017) 1132), so

    .. math::
        \eta_{nuc}(i, T) = \eta_{nuc,ref}\,
          \sqrt{\frac{T_{ref}\,\ln(1 + i_K(T_{ref})/i_{ref})}{T\,\ln(1 + i_K(T)/i)}},
        \qquad i_K(T) = i_K\, e^{E_{nuc}/R\,(1/T_{ref} - 1/T)}

    :math:`\eta_{nuc,ref}` is the substrate's nucleation overpotential as it is
    measured, the dip's tip less the plateau after it (Pei 2017), at the source's
    current density :math:`i_{ref}` ("Substrate nucleation overpotential [V]",
    "Substrate nucleation reference current density [A.m-2]"): the model counts it
    once, since beyond it the substrate plates with the metal's own kinetics; it grows with the current
    (Pei 2017) and falls with the temperature (Yan et al., Angew. Chem. Int. Ed. 58
    (2019) 11364). :math:`i` is the applied current density. Option
    ``"nucleation": "none"`` sets :math:`\eta_{nuc} = 0`.

    Coverage of the collector by metal (option ``"coverage"``):
    ``"exponential"``: :math:`\theta = 1 - e^{-n_M/n_\theta}`;
    ``"linear"``: :math:`\theta = \min(n_M/n_\theta, 1)` (its corner rounded over 1 %
    of :math:`n_\theta`, so that the integrator meets no kink every cycle).

    Every branch runs on the part of the interface in contact with the electrolyte,
    the fraction :math:`\varphi` ("Interface contact fraction", 1 unless voids open
    at a solid electrolyte, :mod:`afb_models.submodels.interface_contact`): the
    exchange currents above are :math:`\varphi\, j_{0,M}`, so the local current
    density is the applied one over :math:`\varphi`.

    :math:`\eta` is the charge-transfer potential difference of the interface, a state
    of :class:`~afb_models.submodels.planar_interface.PlanarInterfacePotential`.
    """

    #: a current density far below any of interest [A m-2], which keeps the
    #: amount-limited anodic current defined when there is no metal at all
    ZERO_CURRENT = 1e-12
    #: width of the smooth switch between net plating and net stripping [A m-2]
    #: (0.1 nA cm-2: its offset at zero current, 5e-7 A m-2, locks ~1e-5 of the
    #: metal per year of rest in the mechanisms that follow it)
    SWITCH_WIDTH = 1e-6
    #: above this applied current density in the plating direction [A m-2], over
    #: PLATING_WIDTH, the cell counts as plating (the gate then scales both branches)
    PLATING_THRESHOLD = 1e-3
    PLATING_WIDTH = 2e-4
    #: the smallest current density the nucleation law is evaluated at [A m-2]
    #: (at rest no plating happens, whatever eta_nuc)
    NUCLEATION_MIN_CURRENT = 1e-6
    #: width of the smooth clip of the substrate's anodic side, in units of its
    #: exchange current (see get_coupled_variables)
    SUBSTRATE_CLIP_WIDTH = 1e-2

    def __init__(self, param, metal_param, options, afb_options, plating_sign=-1):
        super().__init__(param, "negative", name="Metal deposit", options=options)
        self.metal_param = metal_param
        self.afb_options = afb_options
        #: the sign of the applied current density that plates the collector: -1 in
        #: an anode-free cell (a charge), +1 in a metal||collector cell (a discharge)
        self.plating_sign = plating_sign

    def get_fundamental_variables(self):
        mp = self.metal_param
        n = pybamm.Variable(
            "Plated metal amount [mol.m-2]", domain="current collector", scale=1
        )
        n.print_name = "n_M"
        theta = collector_coverage(n, mp, self.afb_options["coverage"])
        return {
            "Plated metal amount [mol.m-2]": n,
            "Plated metal thickness [m]": n * mp.V_m,
            "Collector metal coverage": theta,
        }

    def nucleation_overpotential(self, variables):
        """The substrate's nucleation overpotential at the applied current density
        and the interface's temperature [V] (see the class docstring)."""
        mp = self.metal_param
        if self.afb_options["nucleation"] == "none":
            return pybamm.Scalar(0)
        T = variables["Negative interface temperature [K]"]
        i_cell = variables["Current collector current density [A.m-2]"]
        i = pybamm.sqrt(i_cell**2 + self.NUCLEATION_MIN_CURRENT**2)
        i_K = mp.i_nuc * pybamm.exp(mp.E_nuc / mp.R * (1 / mp.T_ref - 1 / T))
        ratio = (mp.T_ref * pybamm.log(1 + mp.i_nuc / mp.i_nuc_ref)) / (
            T * pybamm.log(1 + i_K / i)
        )
        return mp.eta_nuc * pybamm.sqrt(ratio)

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        n = variables["Plated metal amount [mol.m-2]"]
        theta = variables["Collector metal coverage"]
        eta = variables["Negative interface charge-transfer potential difference [V]"]
        c_e = variables["Negative electrolyte concentration [mol.m-3]"]
        T = variables["Negative interface temperature [K]"]

        f = mp.F / (mp.R * T)
        alpha_a = mp.alpha
        alpha_c = 1 - mp.alpha

        n_available = available_metal(n)
        if self.afb_options["stripping limit"] == "tanh":
            gate = pybamm.tanh(n_available / mp.n_strip)
        else:  # "activity"
            gate = n_available**4 / (n_available**4 + mp.n_strip**4)

        # the reactions run where the metal or the substrate touches the electrolyte
        # (submodels/interface_contact/: 1 unless voids open at a solid electrolyte)
        contact = variables["Interface contact fraction"]
        j0_metal = mp.j0_metal(c_e, T)
        j0_contact = contact * j0_metal
        j_anodic = theta * gate * j0_contact * pybamm.exp(alpha_a * f * eta)
        # the metal present cannot dissolve faster than within tau_dis
        j_amount = mp.F * n_available / mp.tau_dis
        bound = (j_amount + self.ZERO_CURRENT) / (j_anodic + j_amount + self.ZERO_CURRENT)
        # while plating, the gate scales the cathodic branch too (a rate, not an
        # equilibrium); at rest and stripping it is the vanishing metal's activity
        i_cell = variables["Current collector current density [A.m-2]"]
        plating = pybamm.sigmoid(
            self.PLATING_THRESHOLD, self.plating_sign * i_cell, 1 / self.PLATING_WIDTH
        )
        cathodic_gate = 1 - plating * (1 - gate * bound)
        j_metal = bound * j_anodic - theta * cathodic_gate * j0_contact * pybamm.exp(
            -alpha_c * f * eta
        )
        eta_nuc = self.nucleation_overpotential(variables)
        # no metal to dissolve from the bare substrate: the anodic side is clipped
        x = f * (eta + eta_nuc)
        # (smoothly, over the first ~0.3 mV beyond the nucleation overpotential, so the
        # solver meets no kink: with the metal's exchange current the substrate's current
        # rises by the whole applied current within a millivolt. Above the threshold the
        # clip leaves w^2/(4|y|) of the exchange current, ~1e-5 A m-2 at rest, which the
        # metal supplies: a circulation with no net effect.)
        j_sub = -(1 - theta) * j0_contact * positive_part(
            pybamm.exp(-alpha_c * x) - pybamm.exp(alpha_a * x), self.SUBSTRATE_CLIP_WIDTH
        )

        variables.update(
            {
                "Metal plating current density on metal [A.m-2]": j_metal,
                "Metal plating current density on substrate [A.m-2]": j_sub,
                "Metal plating current density [A.m-2]": j_metal + j_sub,
                # net stripping (positive) and net plating rates, for the mechanisms
                # that act on the metal stripped or plated
                "Metal stripping current density [A.m-2]": positive_part(
                    j_metal + j_sub, self.SWITCH_WIDTH
                ),
                "Metal plating rate [mol.m-2.s-1]": positive_part(
                    -(j_metal + j_sub), self.SWITCH_WIDTH
                )
                / mp.F,
                "Metal exchange-current density [A.m-2]": j0_metal,
                "Metal stripping availability": gate,
                "Metal plating indicator": plating,
                "Negative interface overpotential [V]": eta,
                "Substrate nucleation overpotential [V]": eta_nuc,
            }
        )
        return variables

    def set_rhs(self, variables):
        n = variables["Plated metal amount [mol.m-2]"]
        j = variables["Metal plating current density [A.m-2]"]
        moved_out = sum(
            variables[c.deposit_rate] for c in LOSS_CHANNELS if c.deposit_rate
        )
        self.rhs = {n: -j / self.metal_param.F - moved_out}

    def set_initial_conditions(self, variables):
        n = variables["Plated metal amount [mol.m-2]"]
        self.initial_conditions = {n: self.metal_param.n_init}
