"""Validated options of the afb models: names, allowed values and defaults, in one place.

An option that is not listed here does not exist; a value that is not listed is not
implemented. Both raise :class:`OptionError` naming the allowed choices.
"""

from __future__ import annotations

from collections.abc import Mapping

import pybamm

#: option name -> allowed values; the first value is the default.
ALLOWED_OPTIONS: dict[str, tuple[str, ...]] = {
    # How the stripping branch is switched off as the plated metal runs out
    # (docs/physics.md §2): a tanh gate g = tanh(n/n_min) (BatCan), or the activity of the
    # plated metal a = n^4/(n^4 + n_min^4) (Hein, Danner, Latz 2020).
    "stripping limit": ("tanh", "activity"),
    # Collector coverage by metal as a function of the plated amount (docs/physics.md §2).
    "coverage": ("exponential", "linear"),
    # Plating on the bare substrate: "substrate" uses the substrate's own exchange
    # current and nucleation overpotential; "none" treats the bare substrate like metal.
    "nucleation": ("substrate", "none"),
    # SEI on the plated metal and the exposed collector (submodels/sei.py).
    "SEI": ("none", "reaction limited", "solvent-diffusion limited"),
    # Dead (isolated) metal (submodels/dead_metal.py) and its two refinements.
    "dead metal": ("none", "isolation"),
    "dead metal reconnection": ("false", "true"),
    "dead metal resistance": ("false", "true"),
    # Galvanic corrosion through the exposed collector (submodels/galvanic_corrosion.py).
    "galvanic corrosion": ("none", "mixed potential"),
    # The electrolyte: a liquid (binary salt, concentrated-solution theory) or a
    # single-ion conductor (a solid electrolyte: transference number 1 whatever the
    # parameter set says, so no salt gradient forms; docs/physics.md §1, §7).
    "electrolyte": ("liquid", "single-ion conductor"),
    # PyBaMM option passed through to the cathode: solid diffusion in its particles.
    "particle": (
        "Fickian diffusion",
        "uniform profile",
        "quadratic profile",
        "quartic profile",
    ),
}

#: the mechanisms the shipped cells are calibrated with (docs/calibration.md); the
#: command line runs with these unless told otherwise
CALIBRATED_OPTIONS: dict[str, str] = {
    "SEI": "reaction limited",
    "dead metal": "isolation",
    "galvanic corrosion": "mixed potential",
}

#: the options that are handed to PyBaMM unchanged
PYBAMM_PASSTHROUGH = ("particle",)


class OptionError(pybamm.OptionError):
    """An unknown option name or value."""


def validate_options(options: Mapping[str, str] | None) -> dict[str, str]:
    """Return the complete options dict (defaults filled in) or raise OptionError."""
    if isinstance(options, ModelOptions):  # another afb model's options
        options = options.afb
    options = {} if options is None else dict(options)
    for name, value in options.items():
        if name not in ALLOWED_OPTIONS:
            allowed = ", ".join(f"'{k}'" for k in ALLOWED_OPTIONS)
            raise OptionError(f"unknown option '{name}'; allowed options: {allowed}")
        if value not in ALLOWED_OPTIONS[name]:
            allowed = ", ".join(f"'{v}'" for v in ALLOWED_OPTIONS[name])
            raise OptionError(
                f"option '{name}' cannot be '{value}'; allowed values: {allowed}"
            )
    full = {name: options.get(name, values[0]) for name, values in ALLOWED_OPTIONS.items()}
    for refinement in ("dead metal reconnection", "dead metal resistance"):
        if full[refinement] == "true" and full["dead metal"] == "none":
            raise OptionError(
                f"option '{refinement}' needs 'dead metal' other than 'none'"
            )
    return full


def pybamm_options(options: Mapping[str, str]) -> dict[str, str]:
    """The PyBaMM options for the cathode/electrolyte part of the cell."""
    # discharge energy is integrated as a state so per-cycle energies are exact
    out = {"working electrode": "positive", "calculate discharge energy": "true"}
    out.update({k: options[k] for k in PYBAMM_PASSTHROUGH})
    return out


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
