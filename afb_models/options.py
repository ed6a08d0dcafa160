"""Validated options of the afb models: names, allowed values and defaults, in one place.

An option that is not listed here does not exist; a value that is not listed is not
implemented. Both raise :class:`OptionError` naming the allowed choices. (No PyBaMM
here: the command line lists the options without importing it; a model's
``model.options`` is :class:`afb_models.models.model_options.ModelOptions`.)
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import OptionError  # noqa: F401  (re-exported)
from .mechanisms import MECHANISMS

#: option name -> allowed values; the first value is the default.
ALLOWED_OPTIONS: dict[str, tuple[str, ...]] = {
    # How the stripping branch is switched off as the plated metal runs out
    # (docs/physics.md §2): a tanh gate g = tanh(n/n_min) (BatCan), or the activity of the
    # plated metal a = n^4/(n^4 + n_min^4) (Hein, Danner, Latz 2020).
    "stripping limit": ("tanh", "activity"),
    # Collector coverage by metal as a function of the plated amount (docs/physics.md §2).
    "coverage": ("exponential", "linear"),
    # Plating on the bare substrate: "substrate" needs the substrate's nucleation
    # overpotential first; "none" treats the bare substrate like metal.
    "nucleation": ("substrate", "none"),
    # The deposit's morphology (submodels/deposit_morphology.py): "fixed", or set by
    # the substrate, the plating current density and the temperature.
    "deposit morphology": ("fixed", "current and substrate"),
    # The loss mechanisms (afb_models.mechanisms: one class per value, one loss
    # channel each) and their boolean refinements.
    **{
        name: values
        for m in MECHANISMS
        for name, values in (
            (m.option, m.values),
            *((refinement, ("false", "true")) for refinement in m.refinements),
        )
    },
    # Filaments through a solid electrolyte above its critical current density, and
    # the internal short they make (submodels/internal_short/).
    "internal short": ("none", "filament"),
    # Molten metal infiltrating the separator or solid electrolyte, and the short it
    # makes when it bridges it (submodels/internal_short/melt_infiltration.py).
    "melt short": ("none", "infiltration"),
    # The cell's temperature: the ambient's (isothermal), or one temperature with
    # every heat source of the cell, the metal's latent heat and Newton cooling
    # (submodels/thermal/). Handed to PyBaMM for the cathode's submodels.
    "thermal": ("isothermal", "lumped"),
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
    "collector SEI": "passivating",
    "deposit morphology": "current and substrate",
    "dead metal": "isolation",
    "galvanic corrosion": "mixed potential",
}

#: the parameters an option's value needs beyond every cell's (the interface of a
#: solid electrolyte: parameter_sets/mechanics.py), by (option, value)
OPTION_PARAMETERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("interface contact", "creep-limited"): (
        "Metal creep supply length [m]",
        "Vacancy diffusion supply velocity [m.s-1]",
        "Vacancy diffusion activation energy [J.mol-1]",
        "Void contact length [m]",
    ),
    ("internal short", "filament"): (
        "Critical current density [A.m-2]",
        "Critical current density reference stack pressure [Pa]",
        "Critical current density activation energy [J.mol-1]",
        "Filament charge to short [C.m-2]",
        "Hard short thickening charge ratio",
        "Soft short resistance [Ohm.m2]",
        "Hard short resistance [Ohm.m2]",
        "Filament burn-out power density [W.m-2]",
        "Filament burn-out time [s]",
    ),
    ("melt short", "infiltration"): (
        "Liquid metal viscosity [Pa.s]",
        "Liquid metal surface tension [N.m-1]",
        "Liquid metal resistivity [Ohm.m]",
        "Melt contact angle on electrolyte [deg]",
        "Electrolyte open porosity",
        "Electrolyte percolation threshold porosity",
        "Electrolyte pore radius [m]",
        "Electrolyte pore tortuosity",
    ),
    ("thermal", "lumped"): (
        "Metal specific heat capacity [J.kg-1.K-1]",
        "Negative current collector specific heat capacity [J.kg-1.K-1]",
        "Separator specific heat capacity [J.kg-1.K-1]",
        "Electrolyte specific heat capacity [J.kg-1.K-1]",
        "Cell additional heat capacity [J.K-1]",
        "Cell cooling surface area [m2]",
        "Negative current collector conductivity [S.m-1]",
    ),
}


def missing_option_parameter(options: Mapping[str, str], parameter_names) -> str | None:
    """A one-line reason why a cell with the parameters ``parameter_names`` cannot run
    with ``options`` (a parameter an option's value needs and the cell lacks), or
    None."""
    names = set(parameter_names)
    for (option, value), needed in OPTION_PARAMETERS.items():
        if options.get(option) != value:
            continue
        for name in needed:
            if name not in names:
                return (f"option '{option}' = '{value}' needs the parameter '{name}', "
                        "which the cell does not have (the shipped cells that can "
                        "run with it have it: parameter_sets/mechanics.py, "
                        "parameter_sets/thermal.py)")
    return None


#: the options that are handed to PyBaMM unchanged
PYBAMM_PASSTHROUGH = ("particle", "thermal")


def validate_options(options: Mapping[str, str] | None) -> dict[str, str]:
    """Return the complete options dict (defaults filled in) or raise OptionError."""
    # another afb model's options (models.model_options.ModelOptions): its afb part
    options = getattr(options, "afb", options)
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
    for m in MECHANISMS:
        for refinement in m.refinements:
            if full[refinement] == "true" and full[m.option] == m.values[0]:
                raise OptionError(
                    f"option '{refinement}' needs '{m.option}' other than "
                    f"'{m.values[0]}'"
                )
    return full


def pybamm_options(options: Mapping[str, str]) -> dict[str, str]:
    """The PyBaMM options for the cathode/electrolyte part of the cell."""
    # discharge energy is integrated as a state so per-cycle energies are exact
    out = {"working electrode": "positive", "calculate discharge energy": "true"}
    out.update({k: options[k] for k in PYBAMM_PASSTHROUGH})
    return out
