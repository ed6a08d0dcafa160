"""SEI on the plated metal and on the exposed collector."""

from __future__ import annotations

import pybamm


class SEI(pybamm.BaseSubModel):
    r"""SEI growth on the plated metal and on the bare part of the collector.

    Option ``"SEI"``: ``"none"``, ``"reaction limited"`` or
    ``"solvent-diffusion limited"``. Every SEI reaction takes a metal ion and an
    electron; the metal it locks as ions is :math:`n_{SEI}` [mol m-2].

    **On the metal**, per unit of exposed metal area (PyBaMM's growth laws,
    ``sei_growth.py``; Marquis, DPhil thesis, Oxford 2020, eqs. 5.91-5.92):

    .. math::
        j_{SEI} = -j_{0,SEI}\, A(T)\, e^{-\alpha_{SEI} f (\Delta\phi - U_{SEI})}
        \quad\text{(reaction limited)}, \qquad
        j_{SEI} = -\frac{F D_{sol} c_{sol} A(T)}{L_{SEI}}
        \quad\text{(solvent-diffusion limited)}

    with :math:`\alpha_{SEI} = 1/2` and the Arrhenius factor
    :math:`A(T) = e^{E_{SEI}/R\,(1/T_{ref} - 1/T)}`. The metal exposed to the
    electrolyte follows the deposit: per geometric area it is :math:`\theta R_f`, with
    a roughness factor that grows with the cumulative plated amount
    :math:`n_{cum}` (mossy metal exposes more surface cycle after cycle;
    docs/physics.md §3):

    .. math::
        R_f = R_{f,0} + k_R\, n_{cum}, \qquad
        \frac{dn_{cum}}{dt} = \frac{\max(-(j_M + j_{sub}), 0)}{F}

    Plating and stripping crack the SEI (the metal changes volume by ~100 %), so SEI
    re-forms on the freshly exposed metal every time metal is plated: a fixed fraction
    :math:`\epsilon_{fresh}` of the plated metal is consumed,

    .. math::
        j_{fresh} = \epsilon_{fresh}\, \min(j_M + j_{sub}, 0).

    The film on the metal thickens with the slow law and is renewed as metal turns
    over: each mole plated or stripped returns that fraction of the metal's surface to
    a native film of thickness :math:`L_{SEI,0}` (*form*; the old film is left behind
    with the dead metal):

    .. math::
        \frac{dL_{SEI}}{dt} = -\frac{V_{SEI}\, j_{SEI}}{z_{SEI} F}
            - (L_{SEI} - L_{SEI,0})\,\frac{|j_M + j_{sub}|/F}{n_M + n_\theta}

    so that under cycling it settles where growth and renewal balance, and only keeps
    growing at rest. It adds a film resistance :math:`L_{SEI}\rho_{SEI}` in series with
    the interface (as PyBaMM's planar SEI).

    **On the exposed collector** (area :math:`1-\theta`) the electrolyte is reduced
    below its own onset potential (native-oxide and salt reduction, ~1-2 V against
    the metal), passivating as its film thickens:

    .. math::
        j_{SEI,c} = -(1-\theta)\, \frac{j_{0,c} A(T)\,
            e^{-\alpha_{SEI} f (\Delta\phi - U_{c})}}{1 + L_{c}/\delta_c}, \qquad
        \frac{dL_c}{dt} = -\frac{V_{SEI}}{z_{SEI} F}\,j_{SEI,c}

    where :math:`L_c` is the film thickness averaged over the whole collector: the
    part covered by metal keeps the film it had when it was covered.

    It runs mostly during the first charge, before the collector is covered, and is
    part of the first-cycle loss of an anode-free cell.

    Metal locked in SEI: :math:`dn_{SEI}/dt = -(\theta R_f j_{SEI} + j_{fresh} +
    j_{SEI,c})/F`. With ``"none"`` every SEI current, amount and thickness is zero.
    """

    def __init__(self, param, metal_param, options, afb_options):
        super().__init__(param, "negative", name="SEI", options=options)
        self.metal_param = metal_param
        self.law = afb_options["SEI"]

    @property
    def _on(self):
        return self.law != "none"

    def get_fundamental_variables(self):
        mp = self.metal_param
        if not self._on:
            zero = pybamm.Scalar(0)
            return {
                "SEI thickness on metal [m]": zero,
                "SEI thickness on collector [m]": zero,
                "SEI metal amount on metal [mol.m-2]": zero,
                "SEI metal amount on collector [mol.m-2]": zero,
                "SEI metal amount [mol.m-2]": zero,
                "Cumulative plated metal amount [mol.m-2]": zero,
                "Metal roughness factor": pybamm.Scalar(1),
            }
        cc = "current collector"
        L = pybamm.Variable("SEI thickness on metal [m]", domain=cc, scale=mp.L_sei_0)
        L_c = pybamm.Variable(
            "SEI thickness on collector [m]", domain=cc, scale=mp.L_sei_0
        )
        n_m = pybamm.Variable("SEI metal amount on metal [mol.m-2]", domain=cc)
        n_c = pybamm.Variable("SEI metal amount on collector [mol.m-2]", domain=cc)
        n_cum = pybamm.Variable("Cumulative plated metal amount [mol.m-2]", domain=cc)
        return {
            "SEI thickness on metal [m]": L,
            "SEI thickness on collector [m]": L_c,
            "SEI metal amount on metal [mol.m-2]": n_m,
            "SEI metal amount on collector [mol.m-2]": n_c,
            "SEI metal amount [mol.m-2]": n_m + n_c,
            "Cumulative plated metal amount [mol.m-2]": n_cum,
            "Metal roughness factor": mp.R_f0 + mp.k_R * n_cum,
        }

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        if not self._on:
            zero = pybamm.Scalar(0)
            variables.update(
                {
                    "SEI current density on metal [A.m-2]": zero,
                    "SEI current density on collector [A.m-2]": zero,
                    "SEI film resistance [Ohm.m2]": zero,
                }
            )
            return variables
        theta = variables["Collector metal coverage"]
        delta_phi = variables["Negative interface charge-transfer potential difference [V]"]
        T = variables["Negative interface temperature [K]"]
        L = variables["SEI thickness on metal [m]"]
        L_c = variables["SEI thickness on collector [m]"]
        R_f = variables["Metal roughness factor"]
        plating_rate = variables["Metal plating rate [mol.m-2.s-1]"]
        stripping = variables["Metal stripping current density [A.m-2]"]

        f = mp.F / (mp.R * T)
        arrhenius = pybamm.exp(mp.E_sei / mp.R * (1 / mp.T_ref - 1 / T))
        alpha = 0.5  # PyBaMM's symmetric "reaction limited" law
        if self.law == "reaction limited":
            j_sei = -mp.j0_sei * arrhenius * pybamm.exp(
                -alpha * f * (delta_phi - mp.U_sei)
            )
        else:  # "solvent-diffusion limited"
            j_sei = -mp.F * mp.D_sol * mp.c_sol * arrhenius / L
        j_fresh = -mp.eps_fresh * mp.F * plating_rate
        j_on_metal = theta * R_f * j_sei + j_fresh

        j_c_area = -mp.j0_sei_c * arrhenius * pybamm.exp(
            -alpha * f * (delta_phi - mp.U_sei_c)
        ) / (1 + L_c / mp.delta_c)
        n = pybamm.maximum(variables["Plated metal amount [mol.m-2]"], 0)
        turnover = plating_rate + stripping / mp.F  # |j_M + j_sub| / F, smoothed
        renewal = turnover / (n + mp.n_cover)
        variables.update(
            {
                "SEI renewal rate [s-1]": renewal,
                "SEI growth current density per exposed metal area [A.m-2]": j_sei,
                "SEI re-formation current density [A.m-2]": j_fresh,
                "SEI current density on metal [A.m-2]": j_on_metal,
                "SEI current density on collector per bare area [A.m-2]": j_c_area,
                "SEI current density on collector [A.m-2]": (1 - theta) * j_c_area,
                "SEI film resistance [Ohm.m2]": L * mp.rho_sei,
            }
        )
        return variables

    def set_rhs(self, variables):
        if not self._on:
            return
        mp = self.metal_param
        F = mp.F
        scale = mp.V_bar_sei / (mp.z_sei * F)
        L = variables["SEI thickness on metal [m]"]
        self.rhs = {
            L: -scale
            * variables["SEI growth current density per exposed metal area [A.m-2]"]
            - (L - mp.L_sei_0) * variables["SEI renewal rate [s-1]"],
            variables["SEI thickness on collector [m]"]: -scale
            * variables["SEI current density on collector [A.m-2]"],
            variables["SEI metal amount on metal [mol.m-2]"]: -variables[
                "SEI current density on metal [A.m-2]"
            ]
            / F,
            variables["SEI metal amount on collector [mol.m-2]"]: -variables[
                "SEI current density on collector [A.m-2]"
            ]
            / F,
            variables["Cumulative plated metal amount [mol.m-2]"]: variables[
                "Metal plating rate [mol.m-2.s-1]"
            ],
        }

    def set_initial_conditions(self, variables):
        if not self._on:
            return
        mp = self.metal_param
        zero = pybamm.Scalar(0)
        self.initial_conditions = {
            variables["SEI thickness on metal [m]"]: mp.L_sei_0,
            variables["SEI thickness on collector [m]"]: zero,
            variables["SEI metal amount on metal [mol.m-2]"]: zero,
            variables["SEI metal amount on collector [mol.m-2]"]: zero,
            variables["Cumulative plated metal amount [mol.m-2]"]: zero,
        }
