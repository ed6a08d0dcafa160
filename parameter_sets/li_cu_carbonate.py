"""Li||Cu cell with the conventional carbonate electrolyte: Li foil / 1 M LiPF6 in
EC:DMC (1:1 w/w) / bare Cu, 1 cm2 coin cell at 25 °C, the cell of the Adams CE
protocol (Adams et al., Adv. Energy Mater. 8 (2018) 1702097). Electrolyte, Li metal
and Cu collector as the anode-free carbonate cell (li_nmc532_cu_carbonate.py); coin
cell as li_cu.py. Its Adams CE is what the Li-metal loss fractions of LI_CARBONATE
(degradation.py) were fitted to (docs/calibration.md)."""

from __future__ import annotations

from . import li_nmc532_cu_carbonate
from .metal_cells import coin_cell

METAL = "Li"
SUBSTRATE = li_nmc532_cu_carbonate.SUBSTRATE
CONFIGURATION = "metal||collector"


def get_parameter_values():
    """Parameter values of the carbonate Li||Cu cell (see the module docstring)."""
    values = coin_cell(
        li_nmc532_cu_carbonate.get_parameter_values(),
        separator_thickness=25e-6,  # estimate: a Celgard 2325 separator assumed; 25 um per its data sheet
        separator_porosity=0.39,  # source: Celgard 2325 data sheet, 39 % (PyBaMM's Xu2019 set, Celgard 2325, has 0.39 too)
        counter_foil_thickness=250e-6,  # estimate: common Li chip for coin cells
        lower_cut_off=-1.0,  # estimate: safety limit while plating on Cu (tens of mV below 0 V)
        upper_cut_off=0.5,  # source: strip cut-off of the CE protocol, 0.5 V vs Li/Li+ (Adams et al., Adv. Energy Mater. 8 (2018) 1702097)
    )
    values.update(
        {
            "Ambient temperature [K]": 298.15,  # estimate: room temperature, 25 °C, as the compiled Li||Cu CEs (Kim et al., PNAS 120 (2023) e2214357120) are taken to be
            "Initial temperature [K]": 298.15,  # estimate: room temperature, 25 °C, as the ambient
        }
    )
    return values
