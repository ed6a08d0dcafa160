"""Cells: a parameter set by name, or a cell file (TOML) that starts from one.

A cell file::

    base = "AFB_Li_NMC532_Cu"          # a parameter set (see `afb cells`)
    substrate = "Au-coated Cu"         # optional: another collector (substrates.py)
    np_ratio = 0.2                     # optional: an anode-less cell's metal reservoir,
                                       # 0.2 x the nominal capacity (or give
                                       # "Initial plated metal thickness [m]")

    [parameters]
    "Separator thickness [m]" = 16e-6
    "Initial plated metal thickness [m]" = 5e-6

Every value is checked: the name must be one the base set has (the unit is part of the
name), the value a number of the right sign. ``--set "Name [unit]=value"`` on the
command line goes through the same checks. Errors are :class:`CellError` with a
``file:line: message`` text.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pybamm

from .errors import CellError  # noqa: F401  (re-exported)
from . import parameter_sets
from .parameter_sets.substrates import SUBSTRATES, with_substrate


@dataclass
class Cell:
    name: str
    parameter_values: pybamm.ParameterValues
    metal: str
    #: "anode-free", "metal||collector" or "symmetric" (picks the model)
    configuration: str = "anode-free"
    #: model options the cell needs (e.g. a solid electrolyte's)
    options: dict = field(default_factory=dict)
    #: a digest of what the cell was read from (its file's text, its parameter set's
    #: values), taken when it was read: a resumed run tells by it that the cell
    #: file has changed since ("": unknown)
    fingerprint: str = ""


def fingerprint(values: pybamm.ParameterValues, *parts) -> str:
    """SHA-256 of a cell's parameter values (functions by name) and ``parts``."""
    import hashlib
    import json

    from .results import parameter_text

    text = json.dumps(
        [{k: parameter_text(v) for k, v in sorted(values.items())}, *parts],
        sort_keys=True, default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


#: names (or name parts) of parameters that cannot be negative
_NON_NEGATIVE = re.compile(
    r"thickness|radius|concentration|porosity|fraction|capacity|resistance|"
    r"resistivity|conductivity|diffusivity|height|width|time|exchange-current|"
    r"amount|Number of|molar|\[K\]",
    re.IGNORECASE,
)
#: parameters that must be strictly positive: a zero makes the model singular or
#: meaningless (no separator, no cathode, no area, no capacity to take C-rates from)
_POSITIVE = re.compile(
    r"^(Separator thickness|Positive electrode thickness|Positive particle radius|"
    r"Electrode height|Electrode width|Nominal cell capacity|Number of electrodes|"
    r"Positive electrode active material volume fraction|Metal molar volume|"
    r"Maximum concentration in positive electrode|Initial concentration in electrolyte)"
    r"|porosity|conductivity|diffusivity|\[K\]",
    re.IGNORECASE,
)
_UNIT_FREE = re.compile(r"\s*\[[^\]]*\]\s*$")


def check_value(values: pybamm.ParameterValues, name: str, value, where: str) -> float:
    """Check one parameter assignment; returns the value as a float."""
    if name not in values.keys():
        bare = _UNIT_FREE.sub("", name)
        same = [k for k in values.keys() if _UNIT_FREE.sub("", k) == bare]
        if same:
            raise CellError(
                f"{where}: '{name}': wrong unit; the parameter is '{same[0]}' "
                "(the unit is part of the name)"
            )
        raise CellError(f"{where}: '{name}': unknown parameter for this cell")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CellError(
            f"{where}: '{name}': must be a number, got {type(value).__name__} {value!r}"
        )
    value = float(value)
    if not math.isfinite(value):
        raise CellError(f"{where}: '{name}': must be finite, got {value}")
    if _NON_NEGATIVE.search(name) and value < 0:
        raise CellError(f"{where}: '{name}': cannot be negative, got {value:g}")
    if "[K]" in name and value <= 0:
        raise CellError(f"{where}: '{name}': a temperature must be above 0 K, got {value:g}")
    if _POSITIVE.search(name) and value <= 0:
        raise CellError(f"{where}: '{name}': must be positive, got {value:g}")
    if re.search(r"porosity|volume fraction", name, re.IGNORECASE) and value > 1:
        raise CellError(f"{where}: '{name}': must be between 0 and 1, got {value:g}")
    return value


def _line_of(text: str, needle: str) -> int:
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return i
    return 1


def load_cell(name_or_file: str | Path) -> Cell:
    """The cell of a parameter-set name or of a cell file."""
    if str(name_or_file) in parameter_sets.PARAMETER_SETS:
        name = str(name_or_file)
        values = parameter_sets.get_parameter_values(name)
        options = parameter_sets.options_of(name)
        configuration = parameter_sets.configuration_of(name)
        return Cell(
            name, values, parameter_sets.metal_of(name), configuration, options,
            fingerprint(values, options, configuration),
        )
    path = Path(name_or_file)
    if path.suffix != ".toml" and not path.exists():
        known = ", ".join(parameter_sets.list_parameter_sets())
        raise CellError(
            f"{name_or_file}: not a parameter set ({known}) nor a cell file"
        )
    if not path.is_file():
        raise CellError(f"{path}: no such cell file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise CellError(
            f"{path}:{line}: not UTF-8 text (byte {e.start}); save it as UTF-8"
        ) from None
    except OSError as e:
        raise CellError(f"{path}: cannot read: {e.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise CellError(f"{path}:{m.group(1) if m else 1}: not valid TOML: {e}") from None

    for key in data:
        if key not in ("base", "substrate", "np_ratio", "parameters"):
            raise CellError(
                f"{path}:{_line_of(text, key)}: '{key}': unknown key; "
                "allowed: base, substrate, np_ratio, parameters"
            )
    base = data.get("base")
    if base not in parameter_sets.PARAMETER_SETS:
        known = ", ".join(parameter_sets.list_parameter_sets())
        raise CellError(
            f"{path}:{_line_of(text, 'base')}: 'base': must name a parameter set "
            f"({known}), got {base!r}"
        )
    values = parameter_sets.get_parameter_values(base)
    metal = parameter_sets.metal_of(base)
    if "substrate" in data:
        substrate = data["substrate"]
        if substrate not in SUBSTRATES[metal]:
            known = ", ".join(sorted(SUBSTRATES[metal]))
            raise CellError(
                f"{path}:{_line_of(text, 'substrate')}: 'substrate': unknown for "
                f"{metal}: {substrate!r}; known: {known}"
            )
        values = with_substrate(values, metal, substrate)
    overrides = data.get("parameters", {})
    if not isinstance(overrides, dict):
        raise CellError(f"{path}:{_line_of(text, 'parameters')}: [parameters] must be a table")
    updates = {}
    for key, value in overrides.items():
        where = f"{path}:{_line_of(text, key)}"
        updates[key] = check_value(values, key, value, where)
    values.update(updates)
    if "np_ratio" in data:
        where = f"{path}:{_line_of(text, 'np_ratio')}"
        np_ratio = data["np_ratio"]
        if isinstance(np_ratio, bool) or not isinstance(np_ratio, (int, float)):
            raise CellError(f"{where}: 'np_ratio': must be a number, got {np_ratio!r}")
        if "Initial plated metal thickness [m]" in updates:
            raise CellError(
                f"{where}: 'np_ratio': give the reservoir as np_ratio or as "
                "'Initial plated metal thickness [m]', not both"
            )
        if not np_ratio >= 0:
            raise CellError(f"{where}: 'np_ratio': cannot be negative, got {np_ratio:g}")
        if not math.isfinite(np_ratio):
            raise CellError(f"{where}: 'np_ratio': must be finite, got {np_ratio}")
        values = with_reservoir(values, np_ratio=float(np_ratio))
    options = parameter_sets.options_of(base)
    configuration = parameter_sets.configuration_of(base)
    return Cell(
        str(path), values, metal, configuration, options,
        fingerprint(values, options, configuration, text),
    )


def reservoir_thickness(values: pybamm.ParameterValues, np_ratio: float) -> float:
    """Thickness [m] of dense metal worth ``np_ratio`` times the cell's nominal areal
    capacity (the N/P ratio of an anode-less cell: 0 is anode-free)."""
    if not (np_ratio >= 0 and math.isfinite(np_ratio)):
        raise CellError(f"np_ratio: must be a finite non-negative number, got {np_ratio!r}")
    area = values["Electrode height [m]"] * values["Electrode width [m]"]
    capacity_C_m2 = 3600 * values["Nominal cell capacity [A.h]"] / area
    return np_ratio * capacity_C_m2 / pybamm.constants.F.value * values[
        "Metal molar volume [m3.mol-1]"
    ]


def with_reservoir(
    values: pybamm.ParameterValues,
    *,
    np_ratio: float | None = None,
    thickness: float | None = None,
) -> pybamm.ParameterValues:
    """A copy of ``values`` for an anode-less cell: an initial metal layer on the
    collector, given as its thickness [m] or as an N/P ratio (reservoir capacity over
    the cell's nominal capacity; docs/physics.md §1, §6).

    >>> values = with_reservoir(get_parameter_values("AFB_Li_NMC532_Cu"), np_ratio=0.2)
    """
    if (np_ratio is None) == (thickness is None):
        raise CellError("give the reservoir as np_ratio or as thickness, not both")
    if thickness is None:
        thickness = reservoir_thickness(values, np_ratio)
    elif not thickness >= 0:
        raise CellError(f"thickness: must be non-negative, got {thickness!r}")
    values = values.copy()
    values["Initial plated metal thickness [m]"] = thickness
    return values


def apply_settings(cell: Cell, settings: list[str]) -> None:
    """Apply ``--set "Name [unit]=value"`` assignments to ``cell``."""
    updates = {}
    for setting in settings:
        if "=" not in setting:
            raise CellError(f"--set '{setting}': write \"Name [unit]=value\"")
        name, text = (part.strip() for part in setting.rsplit("=", 1))
        try:
            value = float(text)
        except ValueError:
            raise CellError(f"--set '{name}': must be a number, got '{text}'") from None
        updates[name] = check_value(cell.parameter_values, name, value, "--set")
    cell.parameter_values.update(updates)
