"""Symmetric Li||Li cell on a Li garnet: two Li foils on a Ta-doped Li7La3Zr2O12 (LLZO)
pellet, 1 cm2, the cell of Li|LLZO critical-current and stripping studies (Krauskopf
et al., ACS Appl. Mater. Interfaces 11 (2019) 14463; docs/physics.md §9). Li metal as
the anode-free Li cell (li_nmc532_cu.py); the garnet and its interfaces here."""

from __future__ import annotations

from . import li_nmc532_cu
from .functions import constant_with_arrhenius, metal_exchange_current_density
from .mechanics import SOLID_INTERFACES
from .thermal import ELECTROLYTE_SPECIFIC_HEAT, MELT_INFILTRATION
from .metal_cells import coin_cell

METAL = "Li"
SUBSTRATE = li_nmc532_cu.SUBSTRATE
CONFIGURATION = "symmetric"
OPTIONS = {
    "electrolyte": "single-ion conductor",  # derived: Li+ carries all the current in LLZO
    "interface contact": "creep-limited",  # derived: a solid electrolyte, which the metal must creep to keep touching (Krauskopf et al. 2019)
    "internal short": "filament",  # derived: a solid electrolyte, which filaments can cross above its CCD
    "melt short": "infiltration",  # derived: a solid electrolyte, whose pores and cracks molten Li infiltrates (Michalak & Reddy, Sustainable Energy Fuels 9 (2025) 1545)
}

# derived: Li+ in Li7La3Zr2O12, 7 Li per formula unit x 5.1 g/cm3 (the theoretical
# density commonly quoted for cubic LLZO) / 839.7 g/mol (formula mass) = 7 x 6074 mol/m3
LLZO_LI_CONCENTRATION = 7 * 6074.0

li_llzo_j0 = metal_exchange_current_density(
    k_ref=3e-9,  # estimate: Li|LLZO after surface cleaning, charge-transfer resistance of a few Ohm cm2 (RT/(F j0) with j0 ~ 1 mA cm-2)
    molar_volume=li_nmc532_cu.LI_MOLAR_VOLUME,  # derived: LI_MOLAR_VOLUME (li_nmc532_cu.py)
    activation_energy=40e3,  # estimate: solid interface, as the Na|NASICON set
)

#: the garnet and its interface with Li, over the Li cell's liquid electrolyte
LLZO = {
    "Initial concentration in electrolyte [mol.m-3]": LLZO_LI_CONCENTRATION,  # derived: 7 Li per Li7La3Zr2O12, 5.1 g cm-3
    "Cation transference number": 1.0,  # derived: a single-ion conductor, Li+ carries all the current
    "Thermodynamic factor": 1.0,  # estimate: no salt gradient forms at t+ = 1
    "Electrolyte conductivity [S.m-1]": constant_with_arrhenius(0.05, 40e3, "llzo_conductivity"),  # estimate: 0.5 mS/cm at 25 °C and ~0.4 eV, of the order of Ta-doped cubic LLZO (oxide solid electrolytes: 1e-4 to 2e-3 S/cm)
    "Electrolyte diffusivity [m2.s-1]": constant_with_arrhenius(1e-12, 40e3, "llzo_diffusivity"),  # estimate: only acts on double-layer transients at t+ = 1
    "Separator density [kg.m-3]": 5100.0,  # estimate: cubic LLZO, ~5.1 g cm-3
    "Electrolyte density [kg.m-3]": 5100.0,  # estimate: cubic LLZO, ~5.1 g cm-3
    "Metal exchange-current density [A.m-2]": li_llzo_j0,  # estimate: Xu 2019 form with a Li|LLZO rate constant
    "Negative interface resistance [Ohm.m2]": 5e-4,  # estimate: 5 Ohm cm2, a cleaned Li|LLZO interface (tens to hundreds of Ohm cm2 before cleaning)
    # no liquid: the side reactions of the liquid cell's electrolyte are off
    "SEI reaction exchange current density [A.m-2]": 1e-10,  # estimate: LLZO is stable against Li
    "SEI formation fraction on fresh metal": 1e-5,  # estimate: no liquid to re-form an SEI
    "Collector SEI exchange-current density [A.m-2]": 1e-16,  # estimate: no liquid to reduce
    "Galvanic couple conductance [S.m-2]": 1e-5,  # estimate: no liquid to reduce; ~1e-3 of the liquid cell's couple
    "Dead metal fraction at low current": 3e-3,  # estimate: as the Na|NASICON cell
    "Stack pressure [Pa]": 3e6,  # estimate: a few MPa, within the 75 kPa to 10 MPa of Li metal cell studies
    "Deposit morphology reference stack pressure [Pa]": 1.17e6,  # derived: the Li cell's morphology is calibrated at Louli 2020's 1170 kPa (li_nmc532_cu.py)
    **SOLID_INTERFACES["LLZO"],  # source: mechanics.py
    "Electrolyte specific heat capacity [J.kg-1.K-1]": ELECTROLYTE_SPECIFIC_HEAT["oxide"],  # source: thermal.py
    **MELT_INFILTRATION["LLZO"],  # source: thermal.py
}

#: the coin cell around an LLZO pellet (metal_cells.coin_cell's arguments)
COIN_CELL = {
    "separator_thickness": 0.5e-3,  # estimate: a sintered LLZO pellet ~0.5 mm thick
    "separator_porosity": 1.0,  # derived: a dense solid electrolyte fills the layer
    "counter_foil_thickness": 100e-6,  # estimate: a Li foil pressed on the pellet
    "lower_cut_off": -1.0,  # estimate: symmetric-cell polarisation limit
    "upper_cut_off": 1.0,  # estimate: symmetric-cell polarisation limit
}


def llzo_values() -> dict:
    """The anode-free Li cell's values with LLZO for its electrolyte."""
    values = li_nmc532_cu.get_parameter_values()
    values.update(LLZO)
    return values


def get_parameter_values():
    """Parameter values of the symmetric Li||Li cell on LLZO (module docstring)."""
    return coin_cell(llzo_values(), **COIN_CELL,
                     working_foil_thickness=COIN_CELL["counter_foil_thickness"])  # derived: the same foil on both sides
