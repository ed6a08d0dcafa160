"""No galvanic corrosion."""

from __future__ import annotations

from ..base_mechanism import LossMechanism


class NoGalvanicCorrosion(LossMechanism):
    """Option ``"galvanic corrosion": "none"``: the metal/collector couple does not
    corrode the metal."""

    option = "galvanic corrosion"

    def get_fundamental_variables(self):
        return self.zero_channel()
