"""Li||Cu cell on a Li garnet: Li foil / LLZO pellet / bare Cu, 1 cm2, the anode-free
half of a Li garnet cell: Li plated in situ on Cu under the garnet. Garnet and
interfaces as the symmetric Li||Li cell on LLZO (li_li_llzo.py)."""

from __future__ import annotations

from . import li_li_llzo
from .metal_cells import coin_cell

METAL = "Li"
SUBSTRATE = li_li_llzo.SUBSTRATE
CONFIGURATION = "metal||collector"
OPTIONS = dict(li_li_llzo.OPTIONS)  # derived: the same solid electrolyte and interfaces


def get_parameter_values():
    """Parameter values of the Li||Cu cell on LLZO (module docstring)."""
    cell = dict(li_li_llzo.COIN_CELL)
    cell.update(upper_cut_off=1.5)  # estimate: the strip cut-off of a solid-state plating protocol, as the Na||Au-Al cell on NASICON
    return coin_cell(li_li_llzo.llzo_values(), **cell)
