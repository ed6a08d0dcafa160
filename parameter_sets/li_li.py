"""Symmetric Li||Li cell: two Li foils / 2 M LiDFOB + 1.4 M LiBF4 in FEC:DEC, 1 cm2
coin cell; electrolyte and Li metal as the anode-free Li cell (li_nmc532_cu.py). The
working foil lies on a Cu collector, which it covers completely."""

from __future__ import annotations

from . import li_nmc532_cu
from .metal_cells import coin_cell

METAL = "Li"
SUBSTRATE = li_nmc532_cu.SUBSTRATE
CONFIGURATION = "symmetric"


def get_parameter_values():
    """Parameter values of the symmetric Li||Li cell (see the module docstring)."""
    return coin_cell(
        li_nmc532_cu.get_parameter_values(),
        separator_thickness=25e-6,  # estimate: a Celgard 2325 separator assumed; 25 um per its data sheet
        separator_porosity=0.39,  # source: Celgard 2325 data sheet, 39 % (PyBaMM's Xu2019 set, Celgard 2325, has 0.39 too)
        counter_foil_thickness=250e-6,  # estimate: common Li chip for coin cells
        working_foil_thickness=250e-6,  # estimate: the same Li chip
        lower_cut_off=-1.0,  # estimate: symmetric-cell polarisation limit
        upper_cut_off=1.0,  # estimate: symmetric-cell polarisation limit
    )
