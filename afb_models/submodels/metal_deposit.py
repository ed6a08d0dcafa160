"""Metal plated in situ on a bare current collector: amount, coverage, nucleation and
gated plating/stripping kinetics."""

from __future__ import annotations

import pybamm


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
        \frac{dn_M}{dt} = -\frac{j_M + j_{sub}}{F} - r_{dead} + r_{reconnect}

    (:math:`r_{dead}`, :math:`r_{reconnect}`: isolation and reconnection of metal,
    :class:`~afb_models.submodels.dead_metal.DeadMetal`; zero when that mechanism is
    off. SEI growth and galvanic corrosion take metal through the interface's charge
    balance: at rest the metal that oxidises feeds them.)

    Plating and stripping on the metal-covered fraction :math:`\theta` of the collector
    (Butler-Volmer with OCP 0 V vs the metal; Xu et al. JES 2019):

    .. math::
        j_M = \theta\, j_{0,M}(c_e, T)\,\left[g(n_M)\, e^{\alpha f \eta}
              - e^{-(1-\alpha) f \eta}\right], \qquad f = F/RT,
              \quad \eta = \Delta\phi

    The stripping branch is switched off smoothly as the metal runs out, so that a
    discharge ends at its voltage cut-off and never by a solver failure. Option
    ``"stripping limit"``:

    * ``"tanh"``: :math:`g = \tanh(n_M/n_{min})` (BatCan dense-metal electrode);
    * ``"activity"``: :math:`g = a = n_M^4/(n_M^4 + n_{min}^4)`, the activity of the
      plated metal (Hein, Danner, Latz, ACS Appl. Energy Mater. 2020). With an
      exchange current :math:`\propto a^{1-\alpha}` and the Nernst shift
      :math:`-(RT/F)\ln a` of the OCP, the activity multiplies the anodic branch only,
      which is the form written above.

    In both, the anodic current is also bounded by the amount present: metal cannot
    dissolve faster than within :math:`\tau_{dis}` ("Metal dissolution time [s]"),

    .. math::
        j_a \leftarrow \frac{j_a\, j_n}{j_a + j_n}, \qquad j_n = \frac{F n_M}{\tau_{dis}},

    which does nothing while :math:`F n_M / \tau_{dis}` exceeds the current (all but the
    last ~1e-4 mol m-2 at 1 s), and makes :math:`n_M` approach zero exponentially,
    so it is never driven through zero: without it, a few nanomoles of metal left on a
    collector far above the metal's potential would dissolve at an unbounded rate.
    Plating on the bare substrate (area :math:`1-\theta`) needs the extra nucleation
    overpotential :math:`\eta_{nuc}` of the substrate (classical nucleation: a finite
    |eta| is needed before stable nuclei form; Pei et al., Nano Lett. 2017). It is
    Butler-Volmer in :math:`\eta + \eta_{nuc}` with the anodic side clipped, as there
    is no metal on the bare substrate to dissolve:

    .. math::
        j_{sub} = -(1-\theta)\, j_{0,sub}(c_e, T)\,
            \max\!\left(e^{-(1-\alpha) f (\eta + \eta_{nuc})}
                         - e^{\alpha f (\eta + \eta_{nuc})},\ 0\right)

    so the first plating on a bare collector shows an overpotential dip of about
    :math:`\eta_{nuc} + \ln(|i|/j_{0,sub})/((1-\alpha) f)`, which fades as the coverage
    grows and is absent when metal was left from the cycle before. Option
    ``"nucleation": "none"`` uses the metal's kinetics on the bare substrate.

    Coverage of the collector by metal (option ``"coverage"``):
    ``"exponential"``: :math:`\theta = 1 - e^{-n_M/n_\theta}`;
    ``"linear"``: :math:`\theta = \min(n_M/n_\theta, 1)` (its corner rounded over 1 %
    of :math:`n_\theta`, so that the integrator meets no kink every cycle).

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

    def __init__(self, param, metal_param, options, afb_options):
        super().__init__(param, "negative", name="Metal deposit", options=options)
        self.metal_param = metal_param
        self.afb_options = afb_options

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

        j0_metal = mp.j0_metal(c_e, T)
        j_anodic = theta * j0_metal * gate * pybamm.exp(alpha_a * f * eta)
        # the metal present cannot dissolve faster than within tau_dis
        j_amount = mp.F * n_available / mp.tau_dis
        j_anodic = j_anodic * j_amount / (j_anodic + j_amount + self.ZERO_CURRENT)
        j_metal = j_anodic - theta * j0_metal * pybamm.exp(-alpha_c * f * eta)
        if self.afb_options["nucleation"] == "substrate":
            j0_sub = mp.j0_substrate(c_e, T)
            eta_nuc = mp.eta_nuc
        else:  # "none": the bare substrate behaves like the metal
            j0_sub = j0_metal
            eta_nuc = pybamm.Scalar(0)
        # no metal to dissolve from the bare substrate: the anodic side is clipped
        x = f * (eta + eta_nuc)
        # (smoothly, within 1e-3 of the exchange current, so the solver meets no kink)
        j_sub = -(1 - theta) * j0_sub * positive_part(
            pybamm.exp(-alpha_c * x) - pybamm.exp(alpha_a * x), 1e-3
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
                "Negative interface overpotential [V]": eta,
                "Substrate nucleation overpotential [V]": eta_nuc,
            }
        )
        return variables

    def set_rhs(self, variables):
        n = variables["Plated metal amount [mol.m-2]"]
        j = variables["Metal plating current density [A.m-2]"]
        isolated = variables["Metal isolation rate [mol.m-2.s-1]"]
        reconnected = variables["Metal reconnection rate [mol.m-2.s-1]"]
        self.rhs = {n: -j / self.metal_param.F - isolated + reconnected}

    def set_initial_conditions(self, variables):
        n = variables["Plated metal amount [mol.m-2]"]
        self.initial_conditions = {n: self.metal_param.n_init}
