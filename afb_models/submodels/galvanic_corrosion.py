"""Galvanic corrosion of the plated metal through the exposed collector."""

from __future__ import annotations

import pybamm


class GalvanicCorrosion(pybamm.BaseSubModel):
    r"""Mixed-potential galvanic corrosion (Lin et al., Nat. Chem. 11 (2019) 382;
    Kolesnikov et al., Adv. Energy Mater. 2020; docs/physics.md §5).

    Where metal touches the collector and both touch the electrolyte, the electrolyte
    is reduced on the exposed collector with electrons supplied by the metal. On the
    bare fraction :math:`1-\theta`, damped by the SEI on the collector (*form*):

    .. math::
        j_{corr} = -(1-\theta)\, \frac{i_{corr,0}\, A(T)\,
            e^{-\alpha_{corr} f \Delta\phi}}{1 + L_{SEI,c}/\delta_c}

    :math:`i_{corr,0}` is the reduction current on bare collector at the metal's
    potential (:math:`\Delta\phi = 0`). The mixed potential is not imposed: it is the
    interface's charge balance, which at open circuit reads
    :math:`\theta\, i_M(\Delta\phi) + j_{corr}(\Delta\phi) + \ldots = 0`, so the metal
    that oxidises to supply the reduction is the metal lost. The reduced metal ions
    are locked in the corrosion products, :math:`dn_{corr}/dt = -j_{corr}/F`.

    The loss is worst at partial coverage with metal still present: at rest near the
    end of a discharge, and while stripping uncovers the collector ("dynamic"
    galvanic corrosion); a fully covered collector does not corrode, and neither does
    a bare one with no metal left to oxidise. Option ``"galvanic corrosion"``:
    ``"none"`` or ``"mixed potential"``.
    """

    def __init__(self, param, metal_param, options, afb_options):
        super().__init__(param, "negative", name="Galvanic corrosion", options=options)
        self.metal_param = metal_param
        self.on = afb_options["galvanic corrosion"] != "none"

    def get_fundamental_variables(self):
        if not self.on:
            return {"Corroded metal amount [mol.m-2]": pybamm.Scalar(0)}
        n_corr = pybamm.Variable(
            "Corroded metal amount [mol.m-2]", domain="current collector"
        )
        return {"Corroded metal amount [mol.m-2]": n_corr}

    def get_coupled_variables(self, variables):
        if not self.on:
            variables["Galvanic corrosion current density [A.m-2]"] = pybamm.Scalar(0)
            return variables
        mp = self.metal_param
        theta = variables["Collector metal coverage"]
        delta_phi = variables["Negative interface charge-transfer potential difference [V]"]
        T = variables["Negative interface temperature [K]"]
        L_c = variables["SEI thickness on collector [m]"]
        f = mp.F / (mp.R * T)
        arrhenius = pybamm.exp(mp.E_corr / mp.R * (1 / mp.T_ref - 1 / T))
        j_corr = -(1 - theta) * mp.i_corr0 * arrhenius * pybamm.exp(
            -mp.alpha_corr * f * delta_phi
        ) / (1 + L_c / mp.delta_c)
        variables["Galvanic corrosion current density [A.m-2]"] = j_corr
        return variables

    def set_rhs(self, variables):
        if not self.on:
            return
        n_corr = variables["Corroded metal amount [mol.m-2]"]
        j_corr = variables["Galvanic corrosion current density [A.m-2]"]
        self.rhs = {n_corr: -j_corr / self.metal_param.F}

    def set_initial_conditions(self, variables):
        if not self.on:
            return
        self.initial_conditions = {
            variables["Corroded metal amount [mol.m-2]"]: pybamm.Scalar(0)
        }
