"""No SEI on the bare collector."""

from __future__ import annotations

import pybamm

from ..base_mechanism import LossMechanism


class NoCollectorSEI(LossMechanism):
    """Option ``"collector SEI": "none"``: the bare collector is inert. Its film's
    amount, current, thickness and resistance are zero."""

    option = "collector SEI"

    def get_fundamental_variables(self):
        return {**self.zero_channel(),
                self.var("SEI thickness on collector [m]"): pybamm.Scalar(0)}
