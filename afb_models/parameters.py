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

        # the bare collector (substrate)
        self.eta_nuc = pybamm.Parameter("Substrate nucleation overpotential [V]")
        # rest potential of the bare collector against the metal, before any plating
        self.U_coll = pybamm.Parameter("Collector open-circuit potential [V]")

        # the interface between collector/metal and electrolyte
        self.C_dl = pybamm.Parameter("Negative electrode double-layer capacity [F.m-2]")
        self.R_dl = pybamm.Parameter("Negative electrode double-layer resistance [Ohm.m2]")
        self.R_int = pybamm.Parameter("Negative interface resistance [Ohm.m2]")

    def j0_metal(self, c_e, T):
        """Exchange-current density of metal deposition on the metal [A.m-2]."""
        inputs = {"Electrolyte concentration [mol.m-3]": c_e, "Temperature [K]": T}
        return pybamm.FunctionParameter("Metal exchange-current density [A.m-2]", inputs)

    def j0_substrate(self, c_e, T):
        """Exchange-current density of metal deposition on the bare substrate [A.m-2]."""
        inputs = {"Electrolyte concentration [mol.m-3]": c_e, "Temperature [K]": T}
        return pybamm.FunctionParameter(
            "Substrate exchange-current density [A.m-2]", inputs
        )


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
    j0_li = values["Exchange-current density for lithium metal electrode [A.m-2]"]

    def metal_exchange_current_density(c_e, T):
        return j0_li(c_e, 1 / molar_volume, T)

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
            "Substrate nucleation overpotential [V]": 0.0,
            "Substrate exchange-current density [A.m-2]": metal_exchange_current_density,
            "Collector open-circuit potential [V]": 0.0,
            "Negative interface resistance [Ohm.m2]": 1e-9,
            "Negative electrode double-layer resistance [Ohm.m2]": 0.01,
        },
        check_already_exists=False,
    )
    return values
