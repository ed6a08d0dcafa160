"""Metal||collector and symmetric cells (Li||Cu, Li||Li, Na||Al): what differs from the
anode-free cell whose electrolyte, metal and collector they share.

A coin cell of 1 cm2: the collector (working electrode) and a metal foil (counter
electrode) on either side of a separator soaked in the electrolyte. The cathode's
parameters are dropped: these cells have none.

Every value states its source, or says it is an estimate, on its line.
"""

from __future__ import annotations

from .thermal import COIN_CELL_THERMAL

#: parameters of a porous cathode, which these cells do not have
_CATHODE_PREFIXES = ("Positive electrode", "Positive particle", "Maximum concentration in positive",
                     "Initial concentration in positive", "Open-circuit voltage at")


def coin_cell(values: dict, *, separator_thickness: float, separator_porosity: float,
              counter_foil_thickness: float, working_foil_thickness: float = 0.0,
              lower_cut_off: float, upper_cut_off: float) -> dict:
    """The parameter values of a 1 cm2 coin cell built from an anode-free set's
    electrolyte, metal and collector."""
    cell = {k: v for k, v in values.items() if not k.startswith(_CATHODE_PREFIXES)}
    cell.update(
        {
            "Nominal cell capacity [A.h]": 1e-3,  # estimate: 1 mAh cm-2 on 1 cm2, the unit the CE protocols are written in
            "Current function [A]": 1e-3,  # derived: 1C of the nominal capacity
            "Electrode height [m]": 0.01,  # estimate: 1 cm2 working electrode
            "Electrode width [m]": 0.01,  # estimate: 1 cm2 working electrode
            "Positive electrode thickness [m]": 0.0,  # derived: no porous electrode
            "Separator thickness [m]": separator_thickness,  # derived: given by the calling set (li_cu.py, li_li.py, na_al.py), with its source
            "Separator porosity": separator_porosity,  # derived: given by the calling set (li_cu.py, li_li.py, na_al.py), with its source
            "Lower voltage cut-off [V]": lower_cut_off,  # derived: given by the calling set (li_cu.py, li_li.py, na_al.py), with its source
            "Upper voltage cut-off [V]": upper_cut_off,  # derived: given by the calling set (li_cu.py, li_li.py, na_al.py), with its source
            "Counter electrode metal thickness [m]": counter_foil_thickness,  # derived: given by the calling set (li_cu.py, li_li.py, na_al.py), with its source
            "Counter electrode interface resistance [Ohm.m2]": values["Negative interface resistance [Ohm.m2]"],  # estimate: as the collector's native film and contact
            "Initial plated metal thickness [m]": working_foil_thickness,  # derived: given by the calling set (li_cu.py, li_li.py, na_al.py), with its source
        }
    )
    cell.update(COIN_CELL_THERMAL)  # source: thermal.py
    return cell
