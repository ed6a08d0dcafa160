"""Full contact of the metal with the electrolyte: no voids, no trapped metal."""

from __future__ import annotations

import pybamm

from ..base_mechanism import LossMechanism


class FullContact(LossMechanism):
    """Option ``"interface contact": "full"``: the metal keeps contact with the
    electrolyte over the whole interface (a liquid wets it; a solid electrolyte whose
    metal creeps fast enough). The contact fraction is 1 and no metal is trapped."""

    option = "interface contact"

    def get_fundamental_variables(self):
        return {**self.zero_channel(),
                self.var("Interface contact fraction"): pybamm.Scalar(1)}
