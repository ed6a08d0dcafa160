"""Anode-free Li cell with the conventional carbonate electrolyte: single-crystal
NMC532 / 1 M LiPF6 in EC:DMC (1:1 w/w) / bare Cu, about 3.1 mAh cm-2.

The cell of li_nmc532_cu.py (cathode, separator, collector, stack, 40 °C of the Louli
2020 protocol) with its electrolyte replaced: transport from Landesfeind & Gasteiger,
J. Electrochem. Soc. 166 (2019) A3079 (electrolytes.py), and the Li-metal losses of
this electrolyte (degradation.py, LI_CARBONATE, fitted to the Li||Cu CE of 1 M LiPF6
in EC:DMC on Cu). The Li exchange-current rate constant (Xu 2019, PyBaMM's Xu2019 set)
was measured in LiPF6 EC:DMC, this electrolyte. Every value states its source on its
line.
"""

from __future__ import annotations

from . import li_nmc532_cu
from .degradation import LI_CARBONATE
from .electrolytes import LIPF6_EC_DMC

METAL = li_nmc532_cu.METAL
SUBSTRATE = li_nmc532_cu.SUBSTRATE


def get_parameter_values():
    """Parameter values of the anode-free carbonate Li cell (module docstring)."""
    values = li_nmc532_cu.get_parameter_values()
    values.update(LIPF6_EC_DMC)  # source: electrolytes.py, Landesfeind & Gasteiger, JES 166 (2019) A3079
    values.update(LI_CARBONATE)  # source: degradation.py
    values.update(
        {
            "Electrolyte density [kg.m-3]": 1300.0,  # estimate: 1 M LiPF6 in EC:DMC 1:1 w/w, ~1.25-1.3 g cm-3 (solvents 1.18 g cm-3 from EC 1.32 and DMC 1.07 g cm-3, plus 0.15 kg L-1 of LiPF6); the same number as the fluorinated cell's
        }
    )
    return values
