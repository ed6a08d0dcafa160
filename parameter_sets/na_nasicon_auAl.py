"""Anode-free solid-state Na cell: NVPF composite cathode with a NASICON catholyte /
NASICON (Na3Zr2Si2PO12) solid electrolyte / Au-coated Al (the plating configuration of
Tseng, Lee, Sakamoto, ACS Energy Lett. 2024, docs/physics.md §8).

The solid electrolyte is a single-ion conductor: transference number 1, so no salt
gradient forms. Every value states its source, or says it is an estimate, on its line.
"""

from __future__ import annotations

from .degradation import NA_SOLID
from .functions import constant_with_arrhenius, metal_exchange_current_density
from .nvpf import (
    NA_MOLAR_VOLUME,
    NVPF_C_MAX,
    nvpf_diffusivity,
    nvpf_exchange_current_density,
    nvpf_ocp,
)
from .mechanics import METAL_MECHANICS, SOLID_INTERFACES
from .thermal import MELT_INFILTRATION, METAL_THERMAL, stack_thermal
from .substrates import substrate_parameters

# References (short forms in the comments below):
#   Tseng 2024: Tseng, Lee, Sakamoto, ACS Energy Lett. (2024): Na plated on ~96 nm
#     Au-coated Al under NASICON (volume and page not checked here)
#   Chayambuka 2022: Chayambuka, Mulder, Danilov, Notten, Electrochim. Acta 404 (2022)
#     139764 (PyBaMM's Chayambuka2022 set; a liquid NaPF6 EC:PC electrolyte)
#   CRC Handbook: CRC Handbook of Chemistry and Physics (densities of the elements)

METAL = "Na"
SUBSTRATE = "Au-coated Al"
#: the solid electrolyte is simulated as a single-ion conductor (docs/physics.md §1)
OPTIONS = {
    "electrolyte": "single-ion conductor",  # derived: Na+ carries all the current in NASICON
    "interface contact": "creep-limited",  # derived: a solid electrolyte, which the metal must creep to keep touching (Kasemchainan et al., Nat. Mater. 18 (2019) 1105)
    "internal short": "filament",  # derived: a solid electrolyte, which filaments can cross above its CCD (Tseng 2024)
    "melt short": "infiltration",  # derived: a solid electrolyte, whose pores and cracks molten Na infiltrates (Michalak & Reddy, Sustainable Energy Fuels 9 (2025) 1545)
}

# derived: Na+ in Na3Zr2Si2PO12, 3 Na per formula unit x 3.27 g/cm3 (the theoretical
# density commonly quoted for it) / 530.6 g/mol (formula mass) = 3 x 6163 mol/m3
NASICON_NA_CONCENTRATION = 3 * 6163.0

na_metal_j0 = metal_exchange_current_density(
    k_ref=2.0e-9,  # estimate: Na|NASICON, ~0.6 mA cm-2 exchange current at 25 °C (charge-transfer resistance RT/(F j0) ~40 Ohm cm2)
    molar_volume=NA_MOLAR_VOLUME,  # derived: NA_MOLAR_VOLUME (nvpf.py)
    activation_energy=40e3,  # estimate: solid interface
)


def get_parameter_values():
    """Parameter values of the anode-free Na solid-state cell (module docstring)."""
    values = {
        "chemistry": "sodium_ion",  # derived: Na chemistry (the model itself is metal-neutral)
        # --- cell ---
        "Nominal cell capacity [A.h]": 0.001,  # derived: ~1 mAh cm-2 on 1 cm2
        "Current function [A]": 0.001,  # derived: 1C of the nominal capacity
        "Electrode height [m]": 0.01,  # estimate: 1 cm2 lab cell
        "Electrode width [m]": 0.01,  # estimate: 1 cm2 lab cell
        "Number of electrodes connected in parallel to make a cell": 1.0,  # derived: a single electrode pair
        "Number of cells connected in series to make a battery": 1.0,  # derived: a single cell
        "Contact resistance [Ohm]": 0.0,  # estimate: not modelled
        "Negative electrode thickness [m]": 0.0,  # derived: planar negative, no porous layer
        "Separator thickness [m]": 50e-6,  # estimate: thin NASICON layer
        "Positive electrode thickness [m]": 60e-6,  # estimate: composite cathode
        "Lower voltage cut-off [V]": 2.0,  # source: Chayambuka 2022 (NVPF window)
        "Upper voltage cut-off [V]": 4.25,  # estimate: above the 4.2 V plateau, within the Chayambuka 2022 OCP data (which end at 4.29 V)
        "Open-circuit voltage at 0% SOC [V]": 2.0,  # source: Chayambuka 2022
        "Open-circuit voltage at 100% SOC [V]": 4.25,  # source: as the upper cut-off
        # --- temperature ---
        "Reference temperature [K]": 298.15,  # derived: 25 °C, the temperature the values are quoted at
        "Ambient temperature [K]": 298.15,  # source: Tseng 2024, room temperature
        "Initial temperature [K]": 298.15,  # source: Tseng 2024, room temperature
        "Heat transfer coefficient [W.m-2.K-1]": 10.0,  # estimate: natural convection
        # --- positive electrode: NVPF + NASICON catholyte ---
        "Positive electrode OCP [V]": nvpf_ocp,  # source: Chayambuka 2022 (PyBaMM Chayambuka2022)
        "Maximum concentration in positive electrode [mol.m-3]": NVPF_C_MAX,  # source: Chayambuka 2022
        "Initial concentration in positive electrode [mol.m-3]": 0.99 * NVPF_C_MAX,  # estimate: fully sodiated as made
        "Positive electrode active material volume fraction": 0.5,  # estimate: composite cathode
        "Positive electrode porosity": 0.4,  # estimate: catholyte volume fraction
        "Positive particle radius [m]": 0.59e-6,  # source: Chayambuka 2022
        "Positive particle diffusivity [m2.s-1]": nvpf_diffusivity,  # source: Chayambuka 2022, held at its last measured value beyond the data
        "Positive electrode exchange-current density [A.m-2]": nvpf_exchange_current_density,  # estimate: liquid-electrolyte value of Chayambuka 2022
        "Positive electrode charge transfer coefficient": 0.5,  # source: Chayambuka 2022
        "Positive electrode conductivity [S.m-1]": 10.0,  # estimate: carbon-added composite
        "Positive electrode Bruggeman coefficient (electrolyte)": 1.5,  # estimate: Bruggeman
        "Positive electrode Bruggeman coefficient (electrode)": 1.5,  # estimate: Bruggeman
        "Positive electrode OCP entropic change [V.K-1]": 0.0,  # estimate: reversible heat neglected
        "Positive electrode double-layer capacity [F.m-2]": 0.2,  # estimate: as liquid cells
        # --- solid electrolyte: NASICON ---
        "Separator porosity": 1.0,  # derived: dense solid electrolyte fills the layer
        "Separator Bruggeman coefficient (electrolyte)": 1.5,  # derived: irrelevant at porosity 1
        "Separator Bruggeman coefficient (electrode)": 1.5,  # derived: irrelevant at porosity 1
        "Initial concentration in electrolyte [mol.m-3]": NASICON_NA_CONCENTRATION,  # derived: 3 Na per Na3Zr2Si2PO12, 3.27 g cm-3
        "Cation transference number": 1.0,  # derived: a single-ion conductor, Na+ carries all the current
        "Thermodynamic factor": 1.0,  # estimate: no salt gradient forms at t+ = 1
        "Electrolyte conductivity [S.m-1]": constant_with_arrhenius(0.1, 30e3, "nasicon_conductivity"),  # estimate: 1 mS/cm at 25 °C and ~30 kJ/mol (~0.3 eV), of the order of sintered Na3Zr2Si2PO12 at room temperature; not a measurement of this cell's layer
        "Electrolyte diffusivity [m2.s-1]": constant_with_arrhenius(1e-12, 30e3, "nasicon_diffusivity"),  # estimate: only acts on double-layer transients at t+ = 1
        # --- negative: Na plated on Au-coated Al ---
        # --- stack, for energy density (afb design) ---
        "Positive current collector thickness [m]": 15e-6,  # estimate: Al foil
        "Positive current collector density [kg.m-3]": 2700.0,  # source: density of Al, 2.70 g cm-3 (CRC Handbook)
        "Negative current collector thickness [m]": 15e-6,  # estimate: Al foil; the ~96 nm Au coating (Tseng 2024) weighs 0.2 mg cm-2, neglected
        "Negative current collector density [kg.m-3]": 2700.0,  # source: density of Al, 2.70 g cm-3 (CRC Handbook)
        "Positive electrode active material density [kg.m-3]": 3200.0,  # estimate: Na3V2(PO4)2F3 crystal density ~3.2 g cm-3
        "Positive electrode inactive material density [kg.m-3]": 1900.0,  # estimate: PVDF and carbon binder
        "Separator density [kg.m-3]": 3200.0,  # estimate: NASICON Na3Zr2Si2PO12, ~3.2 g cm-3 (the separator is all electrolyte: porosity 1)
        "Electrolyte density [kg.m-3]": 3200.0,  # estimate: NASICON, which fills the separator and the cathode's pores
        "Metal molar volume [m3.mol-1]": NA_MOLAR_VOLUME,  # derived: NA_MOLAR_VOLUME (nvpf.py), 22.99 g/mol / 0.97 g/cm3
        "Metal molar mass [kg.mol-1]": 22.99e-3,  # source: IUPAC standard atomic weight of Na, 22.99 g/mol
        "Metal exchange-current density [A.m-2]": na_metal_j0,  # estimate: Xu 2019 form with a Na|NASICON rate constant
        "Metal charge transfer coefficient": 0.5,  # estimate: symmetric
        "Initial plated metal thickness [m]": 0.0,  # derived: anode-free, no metal at assembly
        "Metal stripping cut-off amount [mol.m-2]": 1e-3,  # estimate: 24 nm of dense Na
        "Metal coverage reference amount [mol.m-2]": 0.0093,  # derived: the ~96 nm Au interlayer alloys ~0.025 mAh cm-2 of Na (Tseng 2024) = 0.0093 mol m-2 before the metal grows on it, and Na then spreads densely (Tseng 2024): the collector counts as covered at the interlayer's alloying capacity
        "Metal dissolution time [s]": 1.0,  # estimate: numerical bound on how fast the metal present can dissolve; inactive above ~1e-4 mol m-2 at C/2
        "Negative electrode double-layer capacity [F.m-2]": 0.2,  # estimate: as liquid cells
        "Negative electrode double-layer resistance [Ohm.m2]": 0.01,  # estimate: numerical, R_dl C_dl = 2 ms: slower than charge transfer (~30 us), so current steps need not resolve the double layer; faster than nucleation and any protocol step
        "Negative interface resistance [Ohm.m2]": 7e-4,  # source: Tseng 2024, ~7 Ohm cm2 Na|NASICON after in-situ plating
    }
    values.update(NA_SOLID)  # source: degradation.py
    values.update(METAL_MECHANICS[METAL])  # source: mechanics.py
    values.update(METAL_THERMAL[METAL])  # source: thermal.py
    values.update(stack_thermal(negative_collector="Al", electrolyte="oxide", electrode_area=0.01 * 0.01, cathode_active_specific_heat=750.0))  # estimate: the cathode's specific heat, a phosphate cathode, 0.7-0.8 kJ kg-1 K-1 like LiFePO4's; the rest from thermal.py
    values.update(MELT_INFILTRATION["NASICON"])  # source: thermal.py
    values.update(SOLID_INTERFACES["NASICON"])  # source: mechanics.py
    values.update(
        {
            "Stack pressure [Pa]": 5.6e6,  # source: Tseng 2024, 5.6 MPa
            "Deposit morphology reference stack pressure [Pa]": 5.6e6,  # derived: the morphology on Au-coated Al (substrates.py) is Tseng 2024's, at their stack pressure
        }
    )
    values.update(substrate_parameters(METAL, SUBSTRATE))  # source: substrates.py
    return values
