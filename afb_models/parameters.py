"""Parameter symbols of the planar metal negative electrode.

PyBaMM's :class:`pybamm.LithiumIonParameters` holds the cathode, electrolyte and cell
parameters; this class adds the ones of the bare collector and the metal plated on it.
Every name carries its unit, PyBaMM-style.
"""

from __future__ import annotations

import pybamm


class MetalElectrodeParameters:
    """Symbols for the metal deposit and the bare collector it grows on."""

    def __init__(self):
        self.F = pybamm.constants.F
        self.R = pybamm.constants.R

        # the metal
        self.V_m = pybamm.Parameter("Metal molar volume [m3.mol-1]")
        self.alpha = pybamm.Parameter("Metal charge transfer coefficient")
        self.L_init = pybamm.Parameter("Initial plated metal thickness [m]")
        self.n_init = self.L_init / self.V_m
        # amount below which stripping is switched off, and amount at which the
        # collector is (1 - 1/e) covered
        self.n_strip = pybamm.Parameter("Metal stripping cut-off amount [mol.m-2]")
        self.n_cover = pybamm.Parameter("Metal coverage reference amount [mol.m-2]")
        self.tau_dis = pybamm.Parameter("Metal dissolution time [s]")

        # the bare collector (substrate): nucleation (submodels/metal_deposit.py)
        self.eta_nuc = pybamm.Parameter("Substrate nucleation overpotential [V]")
        self.i_nuc_ref = pybamm.Parameter(
            "Substrate nucleation reference current density [A.m-2]"
        )
        self.i_nuc = pybamm.Parameter("Metal nucleation rate current density [A.m-2]")
        self.E_nuc = pybamm.Parameter("Metal nucleation activation energy [J.mol-1]")
        # rest potential of the bare collector against the metal, before any plating
        self.U_coll = pybamm.Parameter("Collector open-circuit potential [V]")

        # the interface between collector/metal and electrolyte
        self.C_dl = pybamm.Parameter("Negative electrode double-layer capacity [F.m-2]")
        self.R_dl = pybamm.Parameter("Negative electrode double-layer resistance [Ohm.m2]")
        self.R_int = pybamm.Parameter("Negative interface resistance [Ohm.m2]")

        # the metal counter electrode of a metal||collector or symmetric cell
        self.L_ce = pybamm.Parameter("Counter electrode metal thickness [m]")
        self.R_ce = pybamm.Parameter("Counter electrode interface resistance [Ohm.m2]")

        # SEI on the metal: PyBaMM's SEI parameter names
        self.T_ref = pybamm.Parameter("Reference temperature [K]")
        self.L_sei_0 = pybamm.Parameter("Initial SEI thickness [m]")
        self.j0_sei = pybamm.Parameter("SEI reaction exchange current density [A.m-2]")
        self.U_sei = pybamm.Parameter("SEI open-circuit potential [V]")
        self.V_bar_sei = pybamm.Parameter("SEI partial molar volume [m3.mol-1]")
        self.z_sei = pybamm.Parameter("Ratio of lithium moles to SEI moles")
        self.D_sol = pybamm.Parameter("SEI solvent diffusivity [m2.s-1]")
        self.c_sol = pybamm.Parameter("Bulk solvent concentration [mol.m-3]")
        self.rho_sei = pybamm.Parameter("SEI resistivity [Ohm.m]")
        self.E_sei = pybamm.Parameter("SEI growth activation energy [J.mol-1]")
        # ... and what is particular to a plated metal
        self.eps_fresh = pybamm.Parameter("SEI formation fraction on fresh metal")
        self.n_renew = pybamm.Parameter("SEI renewal amount [mol.m-2]")
        # the deposit's morphology (submodels/deposit_morphology.py)
        self.R_f0 = pybamm.Parameter("Initial metal roughness factor")
        self.k_R = pybamm.Parameter("Metal roughness growth [m2.mol-1]")
        self.phi_sub = pybamm.Parameter("Substrate deposit morphology factor")
        self.i_morph_ref = pybamm.Parameter(
            "Deposit morphology reference current density [A.m-2]"
        )
        self.p_morph = pybamm.Parameter("Deposit morphology current exponent")
        self.E_morph = pybamm.Parameter("Deposit morphology activation energy [J.mol-1]")
        # SEI on the exposed collector
        self.j0_sei_c = pybamm.Parameter(
            "Collector SEI exchange-current density [A.m-2]"
        )
        self.U_sei_c = pybamm.Parameter("Collector SEI open-circuit potential [V]")
        self.delta_c = pybamm.Parameter("Collector SEI passivation thickness [m]")

        # dead metal
        self.f_dead = pybamm.Parameter("Dead metal fraction at low current")
        self.j_dead_ref = pybamm.Parameter("Dead metal reference current density [A.m-2]")
        self.L_dead_ref = pybamm.Parameter("Dead metal reference SEI thickness [m]")
        self.gamma_dead = pybamm.Parameter("Dead metal decay constant [s-1]")
        self.k_reconnect = pybamm.Parameter("Dead metal reconnection rate [s-1]")
        self.rho_dead = pybamm.Parameter("Dead metal layer resistivity [Ohm.m]")
        self.eps_dead = pybamm.Parameter("Dead metal layer porosity")

        # the stack: pressure and the metal's mechanics (deposit morphology, contact
        # with a solid electrolyte, filaments)
        self.p_stack = pybamm.Parameter("Stack pressure [Pa]")
        self.p_morph_ref = pybamm.Parameter(
            "Deposit morphology reference stack pressure [Pa]"
        )
        self.sigma_y = pybamm.Parameter("Metal yield strength [Pa]")
        self.n_creep = pybamm.Parameter("Metal creep stress exponent")
        self.Q_creep = pybamm.Parameter("Metal creep activation energy [J.mol-1]")
        self.creep_rate_y = pybamm.Parameter(
            "Metal creep strain rate at yield strength [s-1]"
        )
        # contact with a solid electrolyte (submodels/interface_contact/)
        self.L_creep = pybamm.Parameter("Metal creep supply length [m]")
        self.v_vac = pybamm.Parameter("Vacancy diffusion supply velocity [m.s-1]")
        self.E_vac = pybamm.Parameter("Vacancy diffusion activation energy [J.mol-1]")
        self.delta_void = pybamm.Parameter("Void contact length [m]")
        # filaments and internal shorts (submodels/internal_short/)
        self.i_ccd = pybamm.Parameter("Critical current density [A.m-2]")
        self.p_ccd_ref = pybamm.Parameter(
            "Critical current density reference stack pressure [Pa]"
        )
        self.E_ccd = pybamm.Parameter("Critical current density activation energy [J.mol-1]")
        self.q_filament = pybamm.Parameter("Filament charge to short [C.m-2]")
        self.d_hard = pybamm.Parameter("Hard short thickening charge ratio")
        self.R_soft = pybamm.Parameter("Soft short resistance [Ohm.m2]")
        self.R_hard = pybamm.Parameter("Hard short resistance [Ohm.m2]")
        self.P_burn = pybamm.Parameter("Filament burn-out power density [W.m-2]")
        self.tau_burn = pybamm.Parameter("Filament burn-out time [s]")

        # the metal's melting (submodels/thermal/melting.py)
        self.T_melt = pybamm.Parameter("Metal melting temperature [K]")
        self.H_fusion = pybamm.Parameter("Metal heat of fusion [J.mol-1]")

        # galvanic corrosion (submodels/galvanic_corrosion/mixed_potential.py)
        self.g_corr = pybamm.Parameter("Galvanic couple conductance [S.m-2]")
        self.E_corr = pybamm.Parameter("Galvanic corrosion activation energy [J.mol-1]")

    def arrhenius(self, activation_energy, T):
        """:math:`\\exp(E/R\\,(1/T_{ref} - 1/T))`, 1 at the reference temperature."""
        return pybamm.exp(activation_energy / self.R * (1 / self.T_ref - 1 / T))

    def evaluate_at_stack(self, parameter_values, law, pressure_Pa=None,
                          temperature_K=None) -> float:
        """``law(p, T)``, an expression in these symbols, evaluated for the cell of
        ``parameter_values`` at its stack pressure and reference temperature unless
        given (the analytic counterparts of the interface's laws)."""
        pv = parameter_values
        p = pv["Stack pressure [Pa]"] if pressure_Pa is None else pressure_Pa
        T = pv["Reference temperature [K]"] if temperature_K is None else temperature_K
        return float(pv.evaluate(law(pybamm.Scalar(p), pybamm.Scalar(T))))

    def j0_metal(self, c_e, T):
        """Exchange-current density of metal deposition on the metal [A.m-2]."""
        inputs = {"Electrolyte concentration [mol.m-3]": c_e, "Temperature [K]": T}
        return pybamm.FunctionParameter("Metal exchange-current density [A.m-2]", inputs)


def half_cell_limit_values(
    pybamm_values: pybamm.ParameterValues, initial_metal_thickness: float = 100e-6
) -> pybamm.ParameterValues:
    """Parameter values that make AnodeFreeDFN reproduce PyBaMM's half-cell DFN.

    Starts from a PyBaMM half-cell set (e.g. ``pybamm.ParameterValues("Xu2019")``) and
    adds the afb parameters so that the two models describe the same cell: a thick
    metal layer (the collector is fully covered and stripping is never limited), the
    metal's exchange current and transfer coefficient from PyBaMM's lithium-metal
    parameters, and an interface resistance small enough that its drop (1e-9 Ohm m2,
    nanovolts) is invisible. The substrate parameters then play no role, and the
    double layer (PyBaMM's value of its capacity, behind a 0.01 Ohm m2 branch
    resistance) carries a small share of the current for a few milliseconds after a
    current step.
    """
    values = pybamm_values.copy()
    molar_volume = values["Lithium metal partial molar volume [m3.mol-1]"]
    metal_exchange_current_density = _PyBaMMLithiumMetalExchangeCurrent(
        values["Exchange-current density for lithium metal electrode [A.m-2]"],
        molar_volume,
    )

    values.update(
        {
            "Metal molar volume [m3.mol-1]": molar_volume,
            "Metal charge transfer coefficient": values[
                "Negative electrode charge transfer coefficient"
            ],
            "Metal exchange-current density [A.m-2]": metal_exchange_current_density,
            "Initial plated metal thickness [m]": initial_metal_thickness,
            # a monolayer-scale amount: with ~100 um of metal, coverage and stripping
            # availability are 1 to machine precision
            "Metal stripping cut-off amount [mol.m-2]": 1e-4,
            "Metal coverage reference amount [mol.m-2]": 1e-4,
            "Metal dissolution time [s]": 1.0,
            "Substrate nucleation overpotential [V]": 0.0,
            "Substrate nucleation reference current density [A.m-2]": 1.0,
            "Metal nucleation rate current density [A.m-2]": 1e3,
            "Metal nucleation activation energy [J.mol-1]": 0.0,
            "Substrate deposit morphology factor": 1.0,
            "Initial metal roughness factor": 1.0,
            "Metal roughness growth [m2.mol-1]": 0.0,
            "Collector open-circuit potential [V]": 0.0,
            "Negative interface resistance [Ohm.m2]": 1e-9,
            "Negative electrode double-layer resistance [Ohm.m2]": 0.01,
        },
        check_already_exists=False,
    )
    # the metal's melting point and latent heat (every afb model has them): Li's
    from afb_models.parameter_sets.thermal import METAL_THERMAL

    values.update(METAL_THERMAL["Li"], check_already_exists=False)
    return values


class _PyBaMMLithiumMetalExchangeCurrent:
    """PyBaMM's lithium-metal exchange current ``j0(c_e, c_Li, T)`` as afb's
    ``j0(c_e, T)``, with the metal's concentration 1/V_m (a class, so that the
    parameter values can be pickled)."""

    __name__ = "pybamm_lithium_metal_exchange_current_density"

    def __init__(self, j0_li, molar_volume):
        self.j0_li = j0_li
        self.molar_volume = molar_volume

    def __call__(self, c_e, T):
        return self.j0_li(c_e, 1 / self.molar_volume, T)
