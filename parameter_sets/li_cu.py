"""Li||Cu cell: Li foil / 2 M LiDFOB + 1.4 M LiBF4 in FEC:DEC / bare Cu, 1 cm2 coin
cell, the cell of the Adams CE protocol (Adams et al., Adv. Energy Mater. 8 (2018)
1702097). Electrolyte, Li metal and Cu collector as the anode-free Li cell
(li_nmc532_cu.py), so the CE it measures is that cell's plating CE."""

from __future__ import annotations

from . import li_nmc532_cu
from .metal_cells import coin_cell

METAL = "Li"
SUBSTRATE = li_nmc532_cu.SUBSTRATE
CONFIGURATION = "metal||collector"


#: the Li||Cu coin cell around the electrolyte (metal_cells.coin_cell's arguments),
#: shared by the Li||Cu cells of every Li electrolyte
COIN_CELL = {
    "separator_thickness": 25e-6,  # estimate: a Celgard 2325 separator assumed; 25 um per its data sheet
    "separator_porosity": 0.39,  # source: Celgard 2325 data sheet, 39 % (PyBaMM's Xu2019 set, Celgard 2325, has 0.39 too)
    "counter_foil_thickness": 250e-6,  # estimate: common Li chip for coin cells
    "lower_cut_off": -1.0,  # estimate: safety limit while plating on Cu (tens of mV below 0 V)
    "upper_cut_off": 0.5,  # source: strip cut-off of the CE protocol, 0.5 V vs Li/Li+ (Adams et al., Adv. Energy Mater. 8 (2018) 1702097)
}


def get_parameter_values():
    """Parameter values of the Li||Cu cell (see the module docstring)."""
    return coin_cell(li_nmc532_cu.get_parameter_values(), **COIN_CELL)
