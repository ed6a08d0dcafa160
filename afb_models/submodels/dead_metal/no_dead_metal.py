"""No dead metal."""

from __future__ import annotations

from ..base_mechanism import LossMechanism


class NoDeadMetal(LossMechanism):
    """Option ``"dead metal": "none"``: all plated metal stays in contact. The dead
    amount, its rate and its layer's resistance are zero."""

    option = "dead metal"

    def get_fundamental_variables(self):
        return self.zero_channel()
