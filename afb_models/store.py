"""The HDF5 file of a run: written cycle by cycle, read back as xarray.

Layout (netCDF4-compatible, so ``xarray.open_dataset(FILE, group=..., engine="h5netcdf")``
opens every group):

- root attributes: ``status`` ("running"; "completed" or "completed: <termination>"
  when the protocol ended it; "stopped: <reason>" when a failure or an interruption
  did, which ``--resume`` continues),
  ``start_time``, ``end_time``, ``afb_version``, ``pybamm_version``, ``python_version``,
  ``cell``, ``protocol_name``;
- group ``metadata``: attributes ``options`` and ``parameters`` (JSON: every parameter
  value, functions by name), ``protocol`` (the protocol file's text), ``series_points``;
- group ``cycles``: dimension ``cycle`` (one entry per finished cycle), one variable per
  per-cycle quantity, its unit in the ``units`` attribute;
- group ``series``: dimension ``point``, the thinned time series of every cycle with the
  variable ``cycle`` saying which cycle a point belongs to;
- group ``state``: the solver state at the end of the last finished cycle (one variable
  per state variable), from which ``afb run --resume`` continues.

Each cycle is appended with the file opened, written and closed again, so that a run
that is killed leaves a file that opens and holds every cycle that finished.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import h5netcdf
import h5py
import numpy as np
import xarray as xr

from .results import Run, now, split_unit  # noqa: F401  (split_unit: used by callers)


#: how long a writer waits for a reader that holds the file (xarray, h5py) [s]
WAIT_FOR_READERS = 300.0


class RunFile:
    """Writes one run's HDF5 file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _open(self, mode: str) -> h5netcdf.File:
        """Open for writing; a reader that holds the file's lock (``xarray``,
        ``afb show``) is waited for rather than allowed to stop the run."""
        delay, waited = 0.02, 0.0
        while True:
            try:
                return h5netcdf.File(self.path, mode)
            except BlockingIOError:
                if waited > WAIT_FOR_READERS:
                    raise
                time.sleep(delay)
                waited += delay
                delay = min(2 * delay, 0.5)

    def create(self, metadata: dict) -> None:
        """Start a new file with the run's ``metadata``
        (:func:`afb_models.results.run_metadata`; replacing none: the caller checks
        that it does not exist)."""
        root_keys = ("status", "start_time", "end_time", "afb_version", "pybamm_version",
                     "python_version", "cell", "protocol_name")
        with self._open("w") as f:
            f.attrs.update({k: metadata[k] for k in root_keys})
            meta = f.create_group("metadata")
            meta.attrs.update(
                {
                    "options": json.dumps(metadata["options"]),
                    "parameters": json.dumps(metadata["parameters"]),
                    "protocol": metadata["protocol"],
                    "protocol_path": metadata["protocol_path"],
                    "series_points": metadata["series_points"],
                    "reference_cycle": metadata["reference_cycle"],
                    "source": metadata["source"],
                }
            )
            cycles = f.create_group("cycles")
            cycles.dimensions = {"cycle": None}
            # the coordinate exists from the start: a file with no finished cycle
            # still has its (empty) "cycle"
            var = cycles.create_variable("cycle", ("cycle",), "i8")
            var.attrs["units"] = "1"
            var.attrs["long_name"] = "cycle"
            f.create_group("series").dimensions = {"point": None}
            f.create_group("state")

    def append(self, result) -> None:
        """Add one finished cycle (a :class:`afb_models.runner.CycleResult`).

        The first cycle creates the variables through h5netcdf (dimensions, units);
        later cycles only grow and fill them, through h5py, which is ~20 times
        cheaper than re-reading the netCDF structure."""
        if self._layout_ready():
            self._append_fast(result)
        else:
            self._append_first(result)

    def _layout_ready(self) -> bool:
        if getattr(self, "_ready", False):
            return True
        with h5py.File(self.path, "r", locking=False) as f:
            self._ready = "block" in f["cycles"]
        return self._ready

    def _open_h5py(self) -> h5py.File:
        delay, waited = 0.02, 0.0
        while True:
            try:
                return h5py.File(self.path, "a")
            except BlockingIOError:
                if waited > WAIT_FOR_READERS:
                    raise
                time.sleep(delay)
                waited += delay
                delay = min(2 * delay, 0.5)

    def _append_fast(self, result) -> None:
        # h5py's low-level calls: the high-level ones cost ~0.1 ms each in object
        # and selection building, ~60 times per cycle
        with self._open_h5py() as f:
            row = {"cycle": result.cycle, **result.summary}
            k = _extend(f, "cycles/cycle", row.pop("cycle"), None)
            for full_name, value in row.items():
                _extend(f, f"cycles/{split_unit(full_name)[0]}", value, k)
            block = f["cycles"]["block"]
            block.resize((k + 1,))
            block[k] = result.block
            m = len(result.series["Time [s]"])
            n = _extend(f, "series/cycle", np.full(m, result.cycle), None)
            _resize(f, "series/point", n + m)
            for full_name, values in result.series.items():
                _extend(f, f"series/{split_unit(full_name)[0]}", values, n)
            for name, values in result.state.items():
                values = np.ascontiguousarray(values, dtype=float).ravel()
                dataset = h5py.h5d.open(f.id, f"state/{name}".encode())
                dataset.write(h5py.h5s.ALL, h5py.h5s.ALL, values)
            state = f["state"]
            state.attrs["cycle"] = result.cycle
            state.attrs["time [s]"] = result.summary["Time [s]"]

    def _append_first(self, result) -> None:
        with self._open("a") as f:
            cycles = f["cycles"]
            k = cycles.dimensions["cycle"].size
            cycles.resize_dimension("cycle", k + 1)
            row = {"cycle": result.cycle, **result.summary}
            for full_name, value in row.items():
                name, unit = split_unit(full_name)
                if name not in cycles.variables:
                    var = cycles.create_variable(name, ("cycle",), "f8" if name != "cycle" else "i8")
                    var.attrs["units"] = unit
                    var.attrs["long_name"] = full_name
                cycles.variables[name][k] = value
            if "block" not in cycles.variables:
                cycles.create_variable("block", ("cycle",), dtype=h5py.string_dtype())
            cycles.variables["block"][k] = result.block

            series = f["series"]
            n = series.dimensions["point"].size
            m = len(result.series["Time [s]"])
            series.resize_dimension("point", n + m)
            columns = {"cycle": np.full(m, result.cycle), **result.series}
            for full_name, values in columns.items():
                name, unit = split_unit(full_name)
                if name not in series.variables:
                    dtype = "i8" if name == "cycle" else "f8"
                    var = series.create_variable(name, ("point",), dtype, chunks=(4096,))
                    var.attrs["units"] = unit
                    var.attrs["long_name"] = full_name
                series.variables[name][n : n + m] = values

            state = f["state"]
            for name, values in result.state.items():
                values = np.asarray(values, dtype=float).ravel()
                if name not in state.variables:
                    dim = f"n_{len(state.dimensions)}"
                    state.dimensions[dim] = values.size
                    var = state.create_variable(name, (dim,), "f8")
                    var.attrs["shape"] = json.dumps(list(np.shape(result.state[name])))
                state.variables[name][:] = values
            state.attrs["cycle"] = result.cycle
            state.attrs["time [s]"] = result.summary["Time [s]"]

    def finish(self, status: str, measurements: dict | None = None) -> None:
        """Record the run's end: its status and what its protocol measured over the
        run (:func:`afb_models.measurements.measure`)."""
        with self._open("a") as f:
            f.attrs["status"] = status
            f.attrs["end_time"] = now()
            for name, value in (measurements or {}).items():
                f.attrs[name] = value

    def reopen(self) -> None:
        """Mark a file whose run continues (``--resume``) as running again."""
        with self._open("a") as f:
            f.attrs["status"] = "running"
            f.attrs["end_time"] = ""


def _resize(f: h5py.File, path: str, size: int) -> None:
    h5py.h5d.open(f.id, path.encode()).set_extent((size,))


def _extend(f: h5py.File, path: str, values, start: int | None) -> int:
    """Write ``values`` (a number or a 1-D array) into the 1-D dataset at ``path``
    from index ``start`` (default: its end), growing it; returns ``start``."""
    dataset = h5py.h5d.open(f.id, path.encode())
    if start is None:
        start = dataset.shape[0]
    values = np.ascontiguousarray(np.atleast_1d(values), dtype=dataset.dtype)
    dataset.set_extent((start + values.size,))
    file_space = dataset.get_space()
    file_space.select_hyperslab((start,), (values.size,))
    dataset.write(h5py.h5s.create_simple((values.size,)), file_space, values)
    return start


def _open_for_reading(path) -> h5netcdf.File:
    """Open without the file lock, unless this process holds the file open already
    (HDF5 refuses two opens with different locking in one process)."""
    try:
        return h5netcdf.File(Path(path), "r", locking=False)
    except OSError as e:
        if "locking flag" not in str(e):
            raise
        return h5netcdf.File(Path(path), "r")


def _dataset(group) -> xr.Dataset:
    """An xarray Dataset of one netCDF group, read into memory."""
    data_vars, coords = {}, {}
    for name, var in group.variables.items():
        values = var[...]
        if values.dtype.kind == "O":
            values = values.astype(str)
        attrs = {k: v for k, v in var.attrs.items() if not k.startswith("_")}
        (coords if name in group.dimensions else data_vars)[name] = (
            var.dimensions, values, attrs,
        )
    for dim, size in group.dimensions.items():
        if dim not in coords and dim == "cycle":  # a file from before the coordinate
            coords[dim] = (dim, np.zeros(0, dtype="i8"), {"units": "1", "long_name": dim})
    return xr.Dataset(data_vars, coords=coords, attrs=dict(group.attrs))


def load(path: str | Path) -> Run:
    """Read a run's file: per-cycle summary, time series and metadata.

    It opens the file without taking its lock, so it can be called while the run is
    still writing to it (``xarray.open_dataset(FILE, group="cycles",
    engine="h5netcdf")`` also works; the run then waits until it is closed).

    >>> run = afb_models.load("run.h5")
    >>> run.cycles["Discharge capacity"].plot()
    """
    with _open_for_reading(path) as f:
        cycles = _dataset(f["cycles"])
        series = _dataset(f["series"])
        metadata = dict(f.attrs)
        meta = dict(f["metadata"].attrs)
    metadata["options"] = json.loads(meta["options"])
    metadata["parameters"] = json.loads(meta["parameters"])
    metadata["protocol"] = meta["protocol"]
    metadata["protocol_path"] = meta["protocol_path"]
    metadata["series_points"] = int(meta["series_points"])
    metadata["reference_cycle"] = int(meta.get("reference_cycle", 1))
    metadata["source"] = meta.get("source", "{}")
    metadata = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in metadata.items()}
    return Run(cycles, series, metadata, metadata["status"], Path(path))


def read_state(path: str | Path) -> tuple[int, float, dict[str, np.ndarray]]:
    """(last finished cycle, its end time [s], solver state by variable name)."""
    with _open_for_reading(path) as f:
        state = f["state"]
        if "cycle" not in state.attrs:
            return 0, 0.0, {}
        values = {
            name: np.asarray(var[:]).reshape(json.loads(var.attrs["shape"]))
            for name, var in state.variables.items()
        }
        return int(state.attrs["cycle"]), float(state.attrs["time [s]"]), values
