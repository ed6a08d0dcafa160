"""Symmetric Na||Na cell on NASICON: two Na foils on a Na3Zr2Si2PO12 pellet, 1 cm2, the
cell of the critical-current measurement of Tseng, Lee, Sakamoto (ACS Energy Lett.
2024; 1.9 mA cm-2). Solid electrolyte and Na metal as the anode-free Na solid-state
cell (na_nasicon_auAl.py); the working foil lies on Au-coated Al, which it covers."""

from __future__ import annotations

from . import na_nasicon_auAl
from .metal_cells import coin_cell
from .na_auAl_nasicon import COIN_CELL

METAL = "Na"
SUBSTRATE = na_nasicon_auAl.SUBSTRATE
CONFIGURATION = "symmetric"
OPTIONS = dict(na_nasicon_auAl.OPTIONS)  # derived: the same solid electrolyte and interfaces


def get_parameter_values():
    """Parameter values of the symmetric Na||Na cell on NASICON (module docstring)."""
    cell = dict(COIN_CELL)
    cell.update(
        upper_cut_off=1.0,  # estimate: symmetric-cell polarisation limit
        working_foil_thickness=COIN_CELL["counter_foil_thickness"],  # derived: the same foil on both sides
    )
    return coin_cell(na_nasicon_auAl.get_parameter_values(), **cell)
