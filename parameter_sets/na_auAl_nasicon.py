"""Na||Au-Al coin cell on NASICON: Na foil / Na3Zr2Si2PO12 pellet / Au-coated Al, 1 cm2,
the cell in which Tseng, Lee, Sakamoto (ACS Energy Lett. 2024) plate Na in situ on the
collector (docs/physics.md §8, §9). Solid electrolyte, Na metal and Au-coated Al as
the anode-free Na solid-state cell (na_nasicon_auAl.py)."""

from __future__ import annotations

from . import na_nasicon_auAl
from .metal_cells import coin_cell

METAL = "Na"
SUBSTRATE = na_nasicon_auAl.SUBSTRATE
CONFIGURATION = "metal||collector"
OPTIONS = dict(na_nasicon_auAl.OPTIONS)  # derived: the same solid electrolyte and interfaces

#: the coin cell around a NASICON pellet (metal_cells.coin_cell's arguments), shared
#: by the symmetric Na||Na cell on NASICON
COIN_CELL = {
    "separator_thickness": 1e-3,  # estimate: a sintered NASICON pellet ~1 mm thick, the usual size for lab cells
    "separator_porosity": 1.0,  # derived: a dense solid electrolyte fills the layer
    "counter_foil_thickness": 100e-6,  # estimate: a pressed Na foil on the counter side
    "lower_cut_off": -1.0,  # estimate: safety limit while plating on Au-coated Al
    "upper_cut_off": 1.5,  # source: the strip cut-off of the in-situ plating protocol, 1.5 V (experiments/solid_state_plating.toml)
}


def get_parameter_values():
    """Parameter values of the Na||Au-Al cell on NASICON (module docstring)."""
    return coin_cell(na_nasicon_auAl.get_parameter_values(), **COIN_CELL)
