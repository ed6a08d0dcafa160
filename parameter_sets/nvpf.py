"""The NVPF (Na3V2(PO4)2F3) cathode shared by the Na cells: PyBaMM's Chayambuka2022
functions, with the diffusivity held within the concentrations its data cover."""

from __future__ import annotations

from pybamm.input.parameters.sodium_ion.Chayambuka2022 import (
    NVPF_diffusivity_Chayambuka2022,
    NVPF_electrolyte_exchange_current_density_Chayambuka2022,
    NVPF_ocp_Chayambuka2022,
)

from .functions import held_within

# Chayambuka 2022: Chayambuka, Mulder, Danilov, Notten, Electrochim. Acta 404 (2022)
# 139764 (PyBaMM's Chayambuka2022 set, from the COMSOL implementation of the paper)

NA_MOLAR_VOLUME = 2.37e-5  # derived: m3/mol, 22.99 g/mol (IUPAC standard atomic weight) / 0.97 g/cm3 (density of Na, CRC Handbook of Chemistry and Physics)
NVPF_C_MAX = 15320.0  # source: mol/m3, Chayambuka 2022 (PyBaMM Chayambuka2022 set)
# source: Chayambuka 2022's diffusivity data (PyBaMM's D_p.csv) cover 131.6 to 15197
# mol/m3; held constant beyond
nvpf_diffusivity = held_within(
    NVPF_diffusivity_Chayambuka2022, 131.6 / NVPF_C_MAX, 15197.0 / NVPF_C_MAX,
    "nvpf_diffusivity_Chayambuka2022_held_within_data",
)
nvpf_ocp = NVPF_ocp_Chayambuka2022
nvpf_exchange_current_density = NVPF_electrolyte_exchange_current_density_Chayambuka2022
