"""Na||Al cell: Na foil / 1 M NaPF6 in diglyme / bare Al, 1 cm2 coin cell; electrolyte,
Na metal and Al collector as the anode-free Na liquid cell (na_nvpf_glyme_al.py)."""

from __future__ import annotations

from . import na_nvpf_glyme_al
from .metal_cells import coin_cell

METAL = "Na"
SUBSTRATE = na_nvpf_glyme_al.SUBSTRATE
CONFIGURATION = "metal||collector"


def get_parameter_values():
    """Parameter values of the Na||Al cell (see the module docstring)."""
    return coin_cell(
        na_nvpf_glyme_al.get_parameter_values(),
        separator_thickness=25e-6,  # estimate: polyolefin separator (glass fibre is common but thicker)
        separator_porosity=0.39,  # estimate: as Celgard 2325 (39 %, data sheet)
        counter_foil_thickness=200e-6,  # estimate: rolled Na foil for coin cells
        lower_cut_off=-1.0,  # estimate: safety limit while plating on Al
        upper_cut_off=0.5,  # estimate: as the 0.5 V strip cut-off for Li of Adams et al., Adv. Energy Mater. 8 (2018) 1702097
    )
