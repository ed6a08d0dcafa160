"""A run's results as labelled data: :class:`Run`, made in memory or read from a file.

The same :class:`Run` comes back from :func:`afb_models.simulate` (with or without a
file) and from :func:`afb_models.load`: per-cycle values and the thinned time series as
``xarray.Dataset`` (names without their unit, the unit in the ``units`` attribute, the
full name in ``long_name``), the metadata of the run and its status.
"""

from __future__ import annotations

import json
import platform
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import xarray as xr

#: names stored as integers: the cycle number, and the step number of a series point
#: (:data:`afb_models.observables.STEP`)
INTEGER_NAMES = ("cycle", "Step")
#: names stored as text: a series point's step kind
#: (:data:`afb_models.observables.STEP_KIND`), in a file as UTF-8 bytes of this width
TEXT_NAMES = ("Step kind",)
TEXT_BYTES = 16

#: what a dropped point of a cycle's time series may be off the line through the
#: points kept on either side of it (linear in time): 1 mV
#: (:func:`afb_models.observables.thin_series`)
DEFAULT_SERIES_TOLERANCE = 1e-3
#: the most points a step of the time series keeps by default
DEFAULT_SERIES_POINTS = 100

_UNIT = re.compile(r"^(?P<name>.*?)\s*\[(?P<unit>[^\]]+)\]$")

#: a run's status: "running" while it is written; "completed" when the protocol ran to
#: its end, "completed: <reason>" when one of its termination conditions ended it;
#: "stopped: <reason>" when something else did (a solver failure, an interruption),
#: which ``afb run --resume`` can continue
COMPLETED = "completed"


def split_unit(name: str) -> tuple[str, str]:
    """("Discharge capacity", "A.h") from "Discharge capacity [A.h]"."""
    m = _UNIT.match(name)
    return (m.group("name"), m.group("unit")) if m else (name, "1")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def parameter_text(value) -> object:
    """A JSON-able form of a parameter value: numbers as numbers, the rest by name."""
    if isinstance(value, (int, float, np.floating, np.integer)):
        return float(value)
    if isinstance(value, str):
        return value
    return getattr(value, "__name__", repr(value))


def is_finished(status: str) -> bool:
    """Whether a run with this status has ended as its protocol says (nothing left to
    resume)."""
    return status == COMPLETED or status.startswith(COMPLETED + ":")


def run_metadata(*, cell, protocol, options, parameter_values, series_points,
                 series_tolerance,
                 source=None) -> dict:
    """The metadata of a new run, as :func:`afb_models.load` returns it."""
    import pybamm

    import afb_models

    return {
        "status": "running",
        "start_time": now(),
        "end_time": "",
        "afb_version": afb_models.__version__,
        "pybamm_version": pybamm.__version__,
        "python_version": platform.python_version(),
        "cell": cell,
        "protocol_name": protocol.name,
        "options": dict(options),
        "parameters": {
            k: parameter_text(v) for k, v in sorted(parameter_values.items())
        },
        "protocol": protocol.text,
        "protocol_path": protocol.path,
        "series_points": int(series_points),
        "series_tolerance": float(series_tolerance),
        # the cycle that retention and capacity terminations refer to
        "reference_cycle": int(protocol.termination.reference_cycle),
        # how the cell and protocol were given, for --resume
        "source": json.dumps(source or {}),
    }


@dataclass
class Run:
    """A run: per-cycle values, time series, metadata and status.

    >>> run = afb_models.simulate("AFB_Li_NMC532_Cu", "louli2020", cycles=5)
    >>> run.cycles["Discharge capacity"].plot()
    """

    cycles: xr.Dataset
    series: xr.Dataset
    metadata: dict
    status: str
    #: the run file, or None for a run kept in memory
    path: Path | None = field(default=None, compare=False)

    @property
    def options(self) -> dict:
        return self.metadata["options"]

    @property
    def measurements(self) -> dict[str, float]:
        """What the protocol measured over the run (e.g. "Average Coulombic
        efficiency" of the Adams protocol)."""
        from .measurements import MEASUREMENT_NAMES

        return {k: self.metadata[k] for k in MEASUREMENT_NAMES if k in self.metadata}

    @property
    def parameters(self) -> dict:
        return self.metadata["parameters"]

    @property
    def finished(self) -> bool:
        """Whether the protocol ran to its end or to one of its terminations."""
        return is_finished(self.status)

    @property
    def retention(self) -> xr.DataArray:
        """Discharge capacity relative to the protocol's reference cycle (its
        ``reference_cycle``, default the first), in %."""
        q = self.cycles["Discharge capacity"]
        reference = int(self.metadata.get("reference_cycle", 1))
        if reference not in q["cycle"].values:
            reference = int(q["cycle"].values[0])
        out = 100 * q / q.sel(cycle=reference)
        out.attrs = {"units": "%", "long_name": f"Retention (of cycle {reference}) [%]"}
        return out


class RunTable:
    """Builds a :class:`Run` in memory, cycle by cycle: the layout of the run file
    (same names, units, dtypes) without a file."""

    def __init__(self, metadata: dict):
        self.metadata = dict(metadata)
        self._rows: list[dict] = []
        self._blocks: list[str] = []
        self._series: list[dict] = []

    def add(self, result) -> None:
        self._rows.append({"cycle": result.cycle, **result.summary})
        self._blocks.append(result.block)
        m = len(result.series["Time [s]"])
        self._series.append({"cycle": np.full(m, result.cycle), **result.series})

    def run(self, status: str, measurements: Mapping[str, float] | None = None) -> Run:
        metadata = dict(self.metadata, status=status, end_time=now())
        metadata.update(measurements or {})
        return Run(self._cycles(), self._series_dataset(), metadata, status)

    def _cycles(self) -> xr.Dataset:
        names = list(self._rows[0]) if self._rows else ["cycle"]
        data_vars, coords = {}, {}
        for full_name in names:
            name, unit = split_unit(full_name)
            dtype = "i8" if name == "cycle" else "f8"
            values = np.array([row[full_name] for row in self._rows], dtype=dtype)
            attrs = {"units": unit, "long_name": full_name}
            (coords if name == "cycle" else data_vars)[name] = ("cycle", values, attrs)
        if self._rows:
            data_vars["block"] = ("cycle", np.array(self._blocks, dtype=str),
                                  {"long_name": "protocol block"})
        return xr.Dataset(data_vars, coords=coords)

    def _series_dataset(self) -> xr.Dataset:
        if not self._series:
            return xr.Dataset()
        data_vars = {}
        for full_name in self._series[0]:
            name, unit = split_unit(full_name)
            values = np.concatenate([s[full_name] for s in self._series])
            if name in TEXT_NAMES:  # as a file reads back: text, no units
                data_vars[name] = ("point", values.astype(str), {"long_name": full_name})
                continue
            values = values.astype("i8" if name in INTEGER_NAMES else "f8")
            data_vars[name] = ("point", values, {"units": unit, "long_name": full_name})
        return xr.Dataset(data_vars)


def combine(runs: Mapping[str, Run], dim: str = "cell") -> xr.Dataset:
    """The per-cycle values of several runs as one Dataset with a ``dim`` dimension
    labelled by the keys of ``runs`` (runs of different lengths are padded with NaN).

    >>> runs = {c: afb_models.simulate(c, "louli2020", cycles=50) for c in cells}
    >>> afb_models.combine(runs)["Discharge capacity"].plot.line(x="cycle")
    """
    labels = list(runs)
    parts = []
    for label in labels:
        cycles = runs[label].cycles.drop_vars("block", errors="ignore")
        cycles = cycles.assign(Retention=runs[label].retention)
        parts.append(cycles)
    out = xr.concat(parts, dim=dim, join="outer")
    out = out.assign_coords({dim: labels})
    out[dim].attrs["long_name"] = dim
    out = out.assign(status=(dim, [runs[label].status for label in labels]))
    return out
