"""No internal short."""

from __future__ import annotations

import pybamm


class NoInternalShort(pybamm.BaseSubModel):
    """Option ``"internal short": "none"``: no filament. With no melt infiltration
    either (option "melt short"), there is no electronic path between the
    electrodes: no shunt, and the electrochemistry carries the whole applied
    current."""

    def __init__(self, param, metal_param, options):
        super().__init__(param, name="No internal short", options=options)

    def get_fundamental_variables(self):
        zero = pybamm.Scalar(0)
        return {
            "Filament extent": zero,
            "Filament thickening": zero,
            "Filament shunt conductance [S.m-2]": zero,
            "Soft short indicator": zero,
            "Hard short indicator": zero,
        }
