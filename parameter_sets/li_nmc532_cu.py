"""Anode-free Li cell: single-crystal NMC532 / 2 M LiDFOB + 1.4 M LiBF4 in FEC:DEC /
bare Cu, about 3.1 mAh cm-2 (aimed at the 0.23 Ah pouch of Louli et al., Nat. Energy
5 (2020) 693, docs/physics.md §8).

Every value states its source, or says it is an estimate, on its line. "derived"
values follow from others by the arithmetic shown.
"""

from __future__ import annotations

from pybamm.input.parameters.lithium_ion.Chen2020 import nmc_LGM50_ocp_Chen2020
from pybamm.input.parameters.lithium_ion.Mohtat2020 import (
    NMC_diffusivity_PeymanMPM,
    NMC_electrolyte_exchange_current_density_PeymanMPM,
)

from .functions import (
    constant_with_arrhenius,
    metal_exchange_current_density,
    with_lithiation_wall,
)
from .degradation import LI_LIQUID
from .mechanics import METAL_MECHANICS
from .thermal import MELT_INFILTRATION, METAL_THERMAL, stack_thermal
from .substrates import substrate_parameters

# References (short forms in the comments below):
#   Louli 2020: Louli et al., Nat. Energy 5 (2020) 693
#   Xu 2019: Xu, Chen, Dasgupta, Siegel, Stefanopoulou, J. Electrochem. Soc. 166 (2019) A3456
#   Mohtat 2020: Mohtat, Lee, Sulzer, Siegel, Stefanopoulou, J. Electrochem. Soc. 167
#     (2020) 110561 (graphite/NMC532 pouch; PyBaMM's Mohtat2020 set)
#   Chen 2020: Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (LG M50, NMC811)
#   Pei 2017: Pei, Zheng, Shi, Li, Cui, Nano Lett. 17 (2017) 1132
#   Bruggeman 1935: Bruggeman, Ann. Phys. 416 (1935) 636
#   CRC Handbook: CRC Handbook of Chemistry and Physics (densities of the elements)

METAL = "Li"
SUBSTRATE = "bare Cu"

LI_MOLAR_VOLUME = 1.30e-5  # derived: m3/mol, 6.94 g/mol (IUPAC standard atomic weight) / 0.534 g/cm3 (density of Li, CRC Handbook); PyBaMM's Xu2019 set has 1.3e-5 too
NMC532_C_MAX = 49190.0  # derived: mol/m3, 4.75 g/cm3 (estimated crystal density) / 96.56 g/mol (formula mass of LiNi0.5Mn0.3Co0.2O2)

# NMC811 curve of Chen et al., JES 167 (2020) 080534, fitted to x = 0.27-0.91: stands in
# for NMC532 up to 4.5 V. Below the fitted range it flattens near 3.5 V, where a real
# oxide falls steeply as it fills; the wall restores that fall within the last ~2 % of
# lithiation, so a cathode-limited discharge ends at the cut-off.
nmc_ocp = with_lithiation_wall(
    nmc_LGM50_ocp_Chen2020,
    drop=2.5,  # estimate: OCP at x = 1 about 1 V, below every lower cut-off in use
    width=0.005,  # estimate: the fall within the last ~2 % of lithiation; < 1 mV below x = 0.96
    name="nmc_ocp_Chen2020_with_lithiation_wall",
)

li_metal_j0 = metal_exchange_current_density(
    k_ref=3.5e-8,  # source: Xu 2019's rate constant for Li in LiPF6 EC:DMC, as in PyBaMM's Xu2019 set (li_metal_electrolyte_exchange_current_density_Xu2019); not measured in this FEC:DEC electrolyte
    molar_volume=LI_MOLAR_VOLUME,  # derived: LI_MOLAR_VOLUME above
    activation_energy=35e3,  # estimate: Li|carbonate exchange current, ~35 kJ/mol
)


def get_parameter_values():
    """Parameter values of the default anode-free Li cell (see the module docstring)."""
    values = {
        "chemistry": "lithium_ion",  # derived: PyBaMM's chemistry of the cathode side
        # --- cell ---
        "Nominal cell capacity [A.h]": 0.23,  # source: Louli 2020, 0.23 Ah pouch
        "Current function [A]": 0.23,  # derived: 1C of the nominal capacity
        "Electrode height [m]": 0.0742,  # derived: 0.23 Ah / 3.1 mAh cm-2 = 74.2 cm2
        "Electrode width [m]": 0.1,  # derived: with the height, 74.2 cm2
        "Number of electrodes connected in parallel to make a cell": 1.0,  # estimate: area lumped in one electrode
        "Number of cells connected in series to make a battery": 1.0,  # derived: a single cell
        "Contact resistance [Ohm]": 0.0,  # estimate: tabs not modelled
        "Negative electrode thickness [m]": 0.0,  # derived: planar negative, no porous layer
        "Separator thickness [m]": 20e-6,  # estimate: PE separator of a pouch cell
        "Positive electrode thickness [m]": 48e-6,  # derived: 16 mg cm-2 NMC (the Louli 2020 cell's loading) at 70 vol% and 4.75 g cm-3
        "Lower voltage cut-off [V]": 1.25,  # source: Louli 2020 formation window 1.25-4.5 V
        "Upper voltage cut-off [V]": 4.5,  # source: Louli 2020 cycling window 3.6-4.5 V
        "Open-circuit voltage at 0% SOC [V]": 3.6,  # source: Louli 2020 cycling window
        "Open-circuit voltage at 100% SOC [V]": 4.5,  # source: Louli 2020 cycling window
        # --- temperature ---
        "Reference temperature [K]": 298.15,  # derived: 25 °C, the temperature the values are quoted at
        "Ambient temperature [K]": 313.15,  # source: Louli 2020 cycled at 40 °C
        "Initial temperature [K]": 313.15,  # source: Louli 2020 cycled at 40 °C
        "Heat transfer coefficient [W.m-2.K-1]": 10.0,  # estimate: natural convection
        # --- positive electrode: single-crystal NMC532 ---
        "Positive electrode OCP [V]": nmc_ocp,  # estimate: NMC811 curve of Chen 2020 (PyBaMM's nmc_LGM50_ocp_Chen2020) standing in for NMC532, with a lithiation wall (above)
        "Maximum concentration in positive electrode [mol.m-3]": NMC532_C_MAX,  # derived: 4.75 g cm-3 / 96.56 g mol-1
        "Initial concentration in positive electrode [mol.m-3]": 0.98 * NMC532_C_MAX,  # estimate: as-made Li content 0.98
        "Positive electrode active material volume fraction": 0.70,  # derived: 16 mg cm-2 / 4.75 g cm-3 = 33.7 um in 48 um
        "Positive electrode porosity": 0.25,  # estimate: calendered electrode, 5% binder and carbon
        "Positive particle radius [m]": 1.5e-6,  # estimate: single-crystal NMC532 of ~3 um
        "Positive particle diffusivity [m2.s-1]": NMC_diffusivity_PeymanMPM,  # source: PyBaMM's Mohtat2020 set for the NMC532 of Mohtat 2020 (8e-15 m2 s-1, 18.55 kJ/mol; the function credits the "Peyman MPM" manuscript and Newman's Dualfoil)
        "Positive electrode exchange-current density [A.m-2]": NMC_electrolyte_exchange_current_density_PeymanMPM,  # source: PyBaMM's Mohtat2020 set for the NMC532 of Mohtat 2020 (the function credits the "Peyman MPM" manuscript)
        "Positive electrode charge transfer coefficient": 0.5,  # source: PyBaMM's Mohtat2020 set (Mohtat 2020), symmetric
        "Positive electrode conductivity [S.m-1]": 100.0,  # source: PyBaMM's Mohtat2020 set (Mohtat 2020); its Xu2019 set has 100 too
        "Positive electrode Bruggeman coefficient (electrolyte)": 1.5,  # source: Bruggeman, Ann. Phys. 416 (1935) 636, exponent 1.5 for spheres
        "Positive electrode Bruggeman coefficient (electrode)": 1.5,  # source: Bruggeman, Ann. Phys. 416 (1935) 636, exponent 1.5 for spheres
        "Positive electrode OCP entropic change [V.K-1]": 0.0,  # estimate: reversible heat neglected
        "Positive electrode double-layer capacity [F.m-2]": 0.2,  # estimate: PyBaMM's generic double-layer capacity, 20 uF cm-2 (the same in its Xu2019, Marquis2019, Chen2020 and other sets), not measured on this NMC532
        # --- separator ---
        "Separator porosity": 0.4,  # estimate: polyolefin separator
        "Separator Bruggeman coefficient (electrolyte)": 1.5,  # source: Bruggeman, Ann. Phys. 416 (1935) 636, exponent 1.5 for spheres
        "Separator Bruggeman coefficient (electrode)": 1.5,  # source: Bruggeman, Ann. Phys. 416 (1935) 636, exponent 1.5 for spheres
        # --- electrolyte: 2 M LiDFOB + 1.4 M LiBF4 in FEC:DEC 1:2 ---
        "Initial concentration in electrolyte [mol.m-3]": 3400.0,  # source: Louli 2020, 2 M + 1.4 M Li salts
        "Cation transference number": 0.4,  # estimate: concentrated carbonate electrolyte
        "Thermodynamic factor": 1.0,  # estimate: ideal solution
        "Electrolyte conductivity [S.m-1]": constant_with_arrhenius(0.4, 15e3, "dual_salt_conductivity"),  # estimate: 4 mS/cm at 25 °C, 15 kJ/mol
        "Electrolyte diffusivity [m2.s-1]": constant_with_arrhenius(1.5e-10, 15e3, "dual_salt_diffusivity"),  # estimate: concentrated electrolyte, 15 kJ/mol
        # --- negative: Li plated on the collector ---
        # --- stack, for energy density (afb design) ---
        "Positive current collector thickness [m]": 15e-6,  # estimate: Al foil of a pouch cell
        "Positive current collector density [kg.m-3]": 2700.0,  # source: density of Al, 2.70 g cm-3 (CRC Handbook)
        "Negative current collector thickness [m]": 8e-6,  # estimate: Cu foil of a pouch cell
        "Negative current collector density [kg.m-3]": 8960.0,  # source: density of Cu, 8.96 g cm-3 (CRC Handbook)
        "Positive electrode active material density [kg.m-3]": 4750.0,  # estimate: crystal density of NMC532, ~4.75 g cm-3, as for the maximum concentration above
        "Positive electrode inactive material density [kg.m-3]": 1900.0,  # estimate: PVDF (1.78) and carbon black (~2) binder
        "Separator density [kg.m-3]": 950.0,  # estimate: a polyethylene separator (polyethylene: 0.94-0.97 g cm-3)
        "Electrolyte density [kg.m-3]": 1300.0,  # estimate: concentrated Li salts in FEC:DEC
        "Metal molar volume [m3.mol-1]": LI_MOLAR_VOLUME,  # derived: LI_MOLAR_VOLUME above (6.94 g/mol / 0.534 g/cm3)
        "Metal molar mass [kg.mol-1]": 6.94e-3,  # source: IUPAC standard atomic weight of Li, 6.94 g/mol
        "Metal exchange-current density [A.m-2]": li_metal_j0,  # source: the form and rate constant of Xu 2019 (PyBaMM's Xu2019 set), times an estimated Arrhenius factor (li_metal_j0 above)
        "Metal charge transfer coefficient": 0.5,  # source: PyBaMM's Xu2019 set, its Li metal electrode (symmetric, 0.5)
        "Initial plated metal thickness [m]": 0.0,  # derived: anode-free, no metal at assembly
        "Metal stripping cut-off amount [mol.m-2]": 1e-3,  # estimate: 13 nm of dense Li, below which the deposit is not continuous
        "Metal coverage reference amount [mol.m-2]": 0.0187,  # estimate: nuclei coalesce within ~0.05 mAh cm-2 (Pei 2017)
        "Metal dissolution time [s]": 1.0,  # estimate: numerical bound on how fast the metal present can dissolve; inactive above ~1e-4 mol m-2 at C/2
        "Negative electrode double-layer capacity [F.m-2]": 0.2,  # estimate: PyBaMM's generic double-layer capacity, 20 uF cm-2 (the same in its Xu2019, Marquis2019, Chen2020 and other sets); its Xu2019 set gives it to the Li metal electrode too; not measured on Li metal
        "Negative electrode double-layer resistance [Ohm.m2]": 0.01,  # estimate: numerical, R_dl C_dl = 2 ms: slower than charge transfer (~30 us), so current steps need not resolve the double layer; faster than nucleation and any protocol step
        "Negative interface resistance [Ohm.m2]": 1e-4,  # estimate: 1 Ohm cm2, native film and contact
    }
    values.update(LI_LIQUID)  # source: degradation.py
    values.update(METAL_MECHANICS[METAL])  # source: mechanics.py
    values.update(METAL_THERMAL[METAL])  # source: thermal.py
    values.update(stack_thermal(negative_collector="Cu", electrolyte="carbonate", electrode_area=0.0742 * 0.1, cathode_active_specific_heat=700.0))  # estimate: the cathode's specific heat, the value PyBaMM's Chen2020 set gives its NMC811 electrode, for the NMC532; the rest from thermal.py
    values.update(MELT_INFILTRATION["liquid separator"])  # source: thermal.py
    values.update(
        {
            "Stack pressure [Pa]": 1.17e6,  # source: Louli 2020, 1170 kPa
            "Deposit morphology reference stack pressure [Pa]": 1.17e6,  # derived: the morphology (substrates.py, degradation.py) is calibrated on Louli 2020's cells at their stack pressure
        }
    )
    values.update(substrate_parameters(METAL, SUBSTRATE))  # source: substrates.py
    return values
