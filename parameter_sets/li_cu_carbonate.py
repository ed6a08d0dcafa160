"""Li||Cu cell with the conventional carbonate electrolyte: Li foil / 1 M LiPF6 in
EC:DMC (1:1 w/w) / bare Cu, 1 cm2 coin cell at 25 °C, the cell of the Adams CE
protocol (Adams et al., Adv. Energy Mater. 8 (2018) 1702097). Electrolyte, Li metal
and Cu collector as the anode-free carbonate cell (li_nmc532_cu_carbonate.py); coin
cell as li_cu.py. Its Adams CE is what the Li-metal loss fractions of LI_CARBONATE
(degradation.py) were fitted to (docs/calibration.md)."""

from __future__ import annotations

from . import li_cu, li_nmc532_cu_carbonate
from .metal_cells import coin_cell

METAL = "Li"
SUBSTRATE = li_nmc532_cu_carbonate.SUBSTRATE
CONFIGURATION = "metal||collector"


def get_parameter_values():
    """Parameter values of the carbonate Li||Cu cell (see the module docstring)."""
    values = coin_cell(li_nmc532_cu_carbonate.get_parameter_values(), **li_cu.COIN_CELL)
    values.update(
        {
            "Ambient temperature [K]": 298.15,  # estimate: room temperature, 25 °C, as the compiled Li||Cu CEs (Kim et al., PNAS 120 (2023) e2214357120) are taken to be
            "Initial temperature [K]": 298.15,  # estimate: room temperature, 25 °C, as the ambient
        }
    )
    return values
