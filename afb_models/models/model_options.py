"""``model.options`` of an afb model: its afb options over PyBaMM's own."""

from __future__ import annotations

from collections.abc import Mapping

import pybamm

from ..options import ALLOWED_OPTIONS


class ModelOptions(pybamm.BatteryModelOptions):
    """``model.options`` of an afb model: its afb options, and PyBaMM's options of the
    cathode and electrolyte under them.

    ``model.options["SEI"]`` is afb's choice (the SEI on the plated metal), and so is
    every other afb option; the names afb does not have read PyBaMM's values. The
    PyBaMM submodels (porous cathode, electrolyte) were built with PyBaMM's own
    options object, which :attr:`pybamm` keeps: PyBaMM's half cell has no SEI, no
    plating and no particle cracking in its cathode, and neither has ours. The
    electrode-wise views (``.negative``, ``.positive``) and the domain lists are
    PyBaMM's, as PyBaMM's code reads them.
    """

    def __init__(self, pybamm_options: pybamm.BatteryModelOptions, afb_options: Mapping):
        dict.__init__(self, pybamm_options)
        dict.update(self, afb_options)
        self.pybamm = pybamm_options
        self.afb = dict(afb_options)
        self.possible_options = {
            **pybamm_options.possible_options,
            **{k: list(v) for k, v in ALLOWED_OPTIONS.items()},
        }

    @property
    def negative(self):
        return self.pybamm.negative

    @property
    def positive(self):
        return self.pybamm.positive

    @property
    def phases(self):
        return self.pybamm.phases

    @property
    def electrode_types(self):
        return self.pybamm.electrode_types

    @property
    def whole_cell_domains(self):
        return self.pybamm.whole_cell_domains

    def print_options(self):
        """Print afb's options with their allowed values, then PyBaMM's."""
        for key in ALLOWED_OPTIONS:
            print(f"{key!r}: {self[key]!r} (possible: {list(ALLOWED_OPTIONS[key])!r})")
        for key, value in self.pybamm.items():
            if key not in ALLOWED_OPTIONS:
                print(rf"{key!r}: {value!r} (possible: {self.possible_options[key]!r})")
