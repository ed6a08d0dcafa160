"""Anode-free Na cell with a liquid electrolyte: NVPF (Na3V2(PO4)2F3, an NVP-family
polyanion cathode) / 1 M NaPF6 in diglyme / bare Al (docs/physics.md §8: NVP-type cathodes
with glyme electrolytes on Al give hundreds of cycles at 0.5C).

Every value states its source, or says it is an estimate, on its line.
"""

from __future__ import annotations

from .degradation import NA_LIQUID
from .functions import constant_with_arrhenius, metal_exchange_current_density
from .nvpf import (
    NA_MOLAR_VOLUME,
    NVPF_C_MAX,
    nvpf_diffusivity,
    nvpf_exchange_current_density,
    nvpf_ocp,
)
from .mechanics import METAL_MECHANICS
from .thermal import MELT_INFILTRATION, METAL_THERMAL, stack_thermal
from .substrates import substrate_parameters

# References (short forms in the comments below):
#   Chayambuka 2022: Chayambuka, Mulder, Danilov, Notten, Electrochim. Acta 404 (2022)
#     139764 (PyBaMM's Chayambuka2022 set: NVPF / 1 M NaPF6 in EC:PC / hard carbon)
#   CRC Handbook: CRC Handbook of Chemistry and Physics (densities of the elements)

METAL = "Na"
SUBSTRATE = "bare Al"

na_metal_j0 = metal_exchange_current_density(
    k_ref=2.0e-8,  # estimate: Na|glyme exchange current ~2.7 mA cm-2 at 1 M
    molar_volume=NA_MOLAR_VOLUME,  # derived: NA_MOLAR_VOLUME (nvpf.py)
    activation_energy=30e3,  # estimate: ~30 kJ/mol
)


def get_parameter_values():
    """Parameter values of the anode-free Na liquid cell (see the module docstring)."""
    values = {
        "chemistry": "sodium_ion",  # derived: Na chemistry (the model itself is metal-neutral)
        # --- cell ---
        "Nominal cell capacity [A.h]": 0.1,  # derived: 1.1 mAh cm-2 on 90 cm2
        "Current function [A]": 0.1,  # derived: 1C of the nominal capacity
        "Electrode height [m]": 0.09,  # estimate: small pouch
        "Electrode width [m]": 0.1,  # estimate: small pouch
        "Number of electrodes connected in parallel to make a cell": 1.0,  # estimate: area lumped in one electrode
        "Number of cells connected in series to make a battery": 1.0,  # derived: a single cell
        "Contact resistance [Ohm]": 0.0,  # estimate: tabs not modelled
        "Negative electrode thickness [m]": 0.0,  # derived: planar negative, no porous layer
        "Separator thickness [m]": 25e-6,  # source: Chayambuka 2022
        "Positive electrode thickness [m]": 68e-6,  # source: Chayambuka 2022
        "Lower voltage cut-off [V]": 2.0,  # source: Chayambuka 2022
        "Upper voltage cut-off [V]": 4.25,  # estimate: above the 4.2 V plateau, within the Chayambuka 2022 OCP data (which end at 4.29 V)
        "Open-circuit voltage at 0% SOC [V]": 2.0,  # source: Chayambuka 2022
        "Open-circuit voltage at 100% SOC [V]": 4.25,  # source: as the upper cut-off
        # --- temperature ---
        "Reference temperature [K]": 298.15,  # derived: 25 °C, the temperature the values are quoted at
        "Ambient temperature [K]": 298.15,  # estimate: room temperature cycling
        "Initial temperature [K]": 298.15,  # estimate: room temperature cycling
        "Heat transfer coefficient [W.m-2.K-1]": 10.0,  # estimate: natural convection
        # --- positive electrode: NVPF ---
        "Positive electrode OCP [V]": nvpf_ocp,  # source: Chayambuka et al., Electrochim. Acta 404 (2022) 139764 (PyBaMM Chayambuka2022)
        "Maximum concentration in positive electrode [mol.m-3]": NVPF_C_MAX,  # source: Chayambuka 2022
        "Initial concentration in positive electrode [mol.m-3]": 0.99 * NVPF_C_MAX,  # estimate: fully sodiated as made
        "Positive electrode active material volume fraction": 0.55,  # source: Chayambuka 2022
        "Positive electrode porosity": 0.23,  # source: Chayambuka 2022
        "Positive particle radius [m]": 0.59e-6,  # source: Chayambuka 2022
        "Positive particle diffusivity [m2.s-1]": nvpf_diffusivity,  # source: Chayambuka 2022, held at its last measured value beyond the data
        "Positive electrode exchange-current density [A.m-2]": nvpf_exchange_current_density,  # source: Chayambuka 2022
        "Positive electrode charge transfer coefficient": 0.5,  # source: Chayambuka 2022
        "Positive electrode conductivity [S.m-1]": 50.0,  # source: Chayambuka 2022
        "Positive electrode Bruggeman coefficient (electrolyte)": 1.5,  # source: Chayambuka 2022
        "Positive electrode Bruggeman coefficient (electrode)": 0.0,  # source: Chayambuka 2022
        "Positive electrode OCP entropic change [V.K-1]": 0.0,  # source: Chayambuka 2022
        "Positive electrode double-layer capacity [F.m-2]": 0.2,  # estimate: as Li cells
        # --- separator ---
        "Separator porosity": 0.55,  # source: Chayambuka 2022
        "Separator Bruggeman coefficient (electrolyte)": 1.5,  # source: Chayambuka 2022
        "Separator Bruggeman coefficient (electrode)": 1.5,  # estimate: Bruggeman
        # --- electrolyte: 1 M NaPF6 in diglyme ---
        "Initial concentration in electrolyte [mol.m-3]": 1000.0,  # estimate: 1 M NaPF6
        "Cation transference number": 0.45,  # estimate: as NaPF6 in EC:PC (Chayambuka 2022)
        "Thermodynamic factor": 1.0,  # estimate: ideal solution
        "Electrolyte conductivity [S.m-1]": constant_with_arrhenius(0.7, 12e3, "napf6_diglyme_conductivity"),  # estimate: ~7 mS/cm for 1 M NaPF6 in diglyme
        "Electrolyte diffusivity [m2.s-1]": constant_with_arrhenius(3e-10, 12e3, "napf6_diglyme_diffusivity"),  # estimate: low-viscosity glyme
        # --- negative: Na plated on the collector ---
        # --- stack, for energy density (afb design) ---
        "Positive current collector thickness [m]": 15e-6,  # estimate: Al foil of a pouch cell
        "Positive current collector density [kg.m-3]": 2700.0,  # source: density of Al, 2.70 g cm-3 (CRC Handbook)
        "Negative current collector thickness [m]": 15e-6,  # estimate: Al foil of a pouch cell
        "Negative current collector density [kg.m-3]": 2700.0,  # source: density of Al, 2.70 g cm-3 (CRC Handbook)
        "Positive electrode active material density [kg.m-3]": 3200.0,  # estimate: Na3V2(PO4)2F3 crystal density ~3.2 g cm-3
        "Positive electrode inactive material density [kg.m-3]": 1900.0,  # estimate: PVDF (1.78) and carbon black (~2) binder
        "Separator density [kg.m-3]": 950.0,  # estimate: a polyethylene separator (polyethylene: 0.94-0.97 g cm-3)
        "Electrolyte density [kg.m-3]": 1000.0,  # estimate: 1 M NaPF6 in diglyme (diglyme 0.94 g cm-3)
        "Metal molar volume [m3.mol-1]": NA_MOLAR_VOLUME,  # derived: NA_MOLAR_VOLUME (nvpf.py), 22.99 g/mol / 0.97 g/cm3
        "Metal molar mass [kg.mol-1]": 22.99e-3,  # source: IUPAC standard atomic weight of Na, 22.99 g/mol
        "Metal exchange-current density [A.m-2]": na_metal_j0,  # estimate: Xu 2019 form with a Na rate constant
        "Metal charge transfer coefficient": 0.5,  # estimate: symmetric
        "Initial plated metal thickness [m]": 0.0,  # derived: anode-free, no metal at assembly
        "Metal stripping cut-off amount [mol.m-2]": 1e-3,  # estimate: 24 nm of dense Na
        "Metal coverage reference amount [mol.m-2]": 0.0187,  # estimate: as Li, ~0.05 mAh cm-2
        "Metal dissolution time [s]": 1.0,  # estimate: numerical bound on how fast the metal present can dissolve; inactive above ~1e-4 mol m-2 at C/2
        "Negative electrode double-layer capacity [F.m-2]": 0.2,  # estimate: as Li cells
        "Negative electrode double-layer resistance [Ohm.m2]": 0.01,  # estimate: numerical, R_dl C_dl = 2 ms: slower than charge transfer (~30 us), so current steps need not resolve the double layer; faster than nucleation and any protocol step
        "Negative interface resistance [Ohm.m2]": 1e-4,  # estimate: 1 Ohm cm2, native film and contact
    }
    values.update(NA_LIQUID)  # source: degradation.py
    values.update(METAL_MECHANICS[METAL])  # source: mechanics.py
    values.update(METAL_THERMAL[METAL])  # source: thermal.py
    values.update(stack_thermal(negative_collector="Al", electrolyte="glyme", electrode_area=0.09 * 0.1, cathode_active_specific_heat=750.0))  # estimate: the cathode's specific heat, a phosphate cathode, 0.7-0.8 kJ kg-1 K-1 like LiFePO4's; the rest from thermal.py
    values.update(MELT_INFILTRATION["liquid separator"])  # source: thermal.py
    values.update(
        {
            "Stack pressure [Pa]": 0.5e6,  # estimate: a pouch under a light clamp, between coin-cell spring (~0.2 MPa) and Louli 2020's 1.17 MPa
            "Deposit morphology reference stack pressure [Pa]": 0.5e6,  # derived: the morphology values were set for this cell at its stack pressure
        }
    )
    values.update(substrate_parameters(METAL, SUBSTRATE))  # source: substrates.py
    return values
