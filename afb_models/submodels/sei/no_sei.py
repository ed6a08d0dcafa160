"""No SEI on the plated metal."""

from __future__ import annotations

import pybamm

from ..base_mechanism import LossMechanism


class NoSEI(LossMechanism):
    """Option ``"SEI": "none"``: no SEI grows on the metal. Its amount, current and
    film resistance are zero, and so is "SEI thickness on metal [m]" (the mechanisms
    that read the thickness see no film)."""

    option = "SEI"

    def get_fundamental_variables(self):
        zero = pybamm.Scalar(0)
        return {**self.zero_channel(), self.var("SEI thickness on metal [m]"): zero}
