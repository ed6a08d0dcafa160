"""Fitting a cell's parameters to its cycling: per-cycle capacity, CE, metal loss and
chosen voltage curves; bounded least squares with 95 % intervals, a correlation
matrix and identifiability warnings.

>>> result = afb_models.fit(
...     "AFB_Li_NMC532_Cu", "cell07.csv",
...     {"SEI reaction exchange current density [A.m-2]":
...          {"initial": 3e-7, "bounds": (1e-9, 1e-5), "log": True}},
...     targets=("Discharge capacity", "Coulombic efficiency"), cycles="1-60")
>>> result.values, result.ci95, result.correlation
>>> result.save("fit.h5")                       # afb plot fit.h5 overlays data and model

How it works:

- the model replays what the cell saw: a protocol file, or the steps reconstructed
  from the data (:func:`afb_models.data.reconstruct_protocol`); it runs from cycle 1
  to the last fitted cycle, since every cycle's losses carry into the next, with
  the fitted parameters as inputs of one :class:`~afb_models.study.CycleSimulator`
  (built once per process);
- residuals are (model - data) / noise x weight per cycle and target; the noise of
  each target is given, or estimated from the data's scatter about a smooth trend
  (the median absolute second difference, which a slow fade does not inflate);
- the optimiser is SciPy's ``least_squares`` (trust-region reflective, bounded), on
  parameters scaled to [0, 1] between their bounds (on a log scale where asked);
- the Jacobian is by forward differences, evaluated in parallel over the local
  cores, and computed with each trial point so that an accepted step costs one
  round of model runs. IDAKLU's forward sensitivities are not used: they hold the
  end time of each step fixed, while a step that ends on a voltage ends earlier
  or later as a parameter changes, and that shift is the whole of a capacity's
  sensitivity (measured on PyBaMM's SPM, a discharge to 3.5 V: dQ/d(active
  fraction) = 0 from the sensitivities against 4.05 A.h from finite
  differences, ``tests/test_fitting.py`` keeps the check);
- at the optimum, the covariance is s^2 (J^T J)^-1 with s^2 the residuals' mean
  square per degree of freedom; 95 % intervals use Student's t and are mapped back
  through the log scale; a parameter is flagged as not determined by the data when
  the scaled Jacobian has a near-zero singular value (below 1e-3 of the largest) or
  its correlation with another exceeds 0.95.

PyBOP: :func:`pybop_problem` builds a ``pybop.Problem`` on the same per-cycle
residuals, so that its optimisers (CMA-ES, XNES, ...) and samplers (MCMC) run on
them: see the README for which to use when.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr

from .errors import FitError  # noqa: F401  (re-exported)
from .data import CyclingData, DataError, read_cycling, reconstruct_protocol

#: per-cycle targets a fit can compare: name in the data and the model's cycles
CYCLE_TARGETS = ("Discharge capacity", "Charge capacity", "Coulombic efficiency",
                 "Metal loss", "Plated charge", "Stripped charge",
                 "Mean discharge voltage", "Mean charge voltage")

#: the target that compares voltage curves of chosen cycles
VOLTAGE = "Voltage"

#: the model's time series when voltage curves are fitted: within 10 uV of the
#: solution between its points (the data's points fall anywhere; at the default 1 mV,
#: the model's interpolation error would not cancel between runs and would bias a
#: fitted resistance by ~1 %), at most this many points per step
_CURVE_TOLERANCE = 1e-5
_CURVE_POINTS = 2000

#: forward-difference step: in decades for a log-scaled parameter, relative
#: otherwise (large enough that the solver's error, ~1e-8 relative, is 1e-4 of the
#: change it makes in a CE)
_STEP_DECADES = 0.01
_STEP_RELATIVE = 0.02

#: identifiability thresholds
_SMALL_SINGULAR_VALUE = 1e-3
_HIGH_CORRELATION = 0.95


@dataclass(frozen=True)
class FitParameter:
    name: str
    initial: float
    lower: float
    upper: float
    log: bool = False

    def to_unit(self, value: float) -> float:
        """The value on [0, 1] between the bounds (on a log scale if ``log``)."""
        if self.log:
            return (math.log10(value) - math.log10(self.lower)) / (
                math.log10(self.upper) - math.log10(self.lower))
        return (value - self.lower) / (self.upper - self.lower)

    def from_unit(self, z: float) -> float:
        if self.log:
            lo, hi = math.log10(self.lower), math.log10(self.upper)
            return 10 ** (lo + z * (hi - lo))
        return self.lower + z * (self.upper - self.lower)

    @property
    def width(self) -> float:
        """The bounds' span on the fitted scale (decades if ``log``)."""
        if self.log:
            return math.log10(self.upper) - math.log10(self.lower)
        return self.upper - self.lower

    def step(self, value: float) -> float:
        """The forward-difference step on the unit scale."""
        if self.log:
            return _STEP_DECADES / self.width
        return max(_STEP_RELATIVE * abs(value), 1e-6 * self.width) / self.width


def parse_parameters(parameters: Mapping, where: str = "parameters") -> list[FitParameter]:
    """FitParameters from {name: {"initial": x, "bounds": (lo, hi), "log": bool}}."""
    if not isinstance(parameters, Mapping) or not parameters:
        raise FitError(f"{where}: give at least one parameter to fit, as "
                       "{name: {'initial': x, 'bounds': (lo, hi)}}")
    out = []
    for name, spec in parameters.items():
        here = f"{where}: '{name}'"
        if not isinstance(spec, Mapping):
            raise FitError(f"{here}: give {{'initial': x, 'bounds': (lo, hi)}}, not {spec!r}")
        unknown = set(spec) - {"initial", "bounds", "log"}
        if unknown:
            raise FitError(f"{here}: unknown key {sorted(unknown)[0]!r} (initial, bounds, log)")
        try:
            initial = float(spec["initial"])
            lower, upper = (float(b) for b in spec["bounds"])
        except KeyError as e:
            raise FitError(f"{here}: '{e.args[0]}' is missing") from None
        except (TypeError, ValueError):
            raise FitError(f"{here}: initial and bounds must be numbers, bounds two of "
                           "them") from None
        log = spec.get("log", False)
        if not isinstance(log, bool):
            raise FitError(f"{here}: log must be true or false, not {log!r}")
        if not all(map(math.isfinite, (initial, lower, upper))) or not lower < upper:
            raise FitError(f"{here}: bounds must be finite with lower < upper, got "
                           f"({lower:g}, {upper:g})")
        if not lower <= initial <= upper:
            raise FitError(f"{here}: initial {initial:g} is outside the bounds "
                           f"({lower:g}, {upper:g})")
        if log and lower <= 0:
            raise FitError(f"{here}: a log-scaled parameter needs positive bounds")
        out.append(FitParameter(name, initial, lower, upper, log))
    return out


def parse_targets(targets, data: CyclingData) -> dict[str, dict]:
    """{target: {"weight": w, "noise": sigma or None, "cycles": [...] (voltage)}}."""
    if isinstance(targets, str):
        targets = (targets,)
    if not isinstance(targets, Mapping):
        targets = {name: {} for name in targets}
    if not targets:
        raise FitError("targets: give at least one")
    out = {}
    for name, spec in targets.items():
        spec = dict(spec or {})
        here = f"targets: '{name}'"
        unknown = set(spec) - {"weight", "noise", "cycles"}
        if unknown:
            raise FitError(f"{here}: unknown key {sorted(unknown)[0]!r} (weight, noise, cycles)")
        if name not in (*CYCLE_TARGETS, VOLTAGE):
            raise FitError(f"{here}: unknown target; use one of "
                           f"{', '.join((*CYCLE_TARGETS, VOLTAGE))}")
        if name in CYCLE_TARGETS and name not in data.cycles:
            raise FitError(f"{here}: the data has no '{name}' (a cycler does not measure "
                           "metal loss; an afb run file has it)")
        weight = spec.get("weight", 1.0)
        noise = spec.get("noise")
        if not isinstance(weight, (int, float)) or not weight > 0 or not math.isfinite(weight):
            raise FitError(f"{here}: weight must be a positive number, not {weight!r}")
        if noise is not None and (not isinstance(noise, (int, float)) or not noise > 0
                                  or not math.isfinite(noise)):
            raise FitError(f"{here}: noise must be a positive number, not {noise!r}")
        entry = {"weight": float(weight), "noise": None if noise is None else float(noise)}
        if name == VOLTAGE:
            cycles = spec.get("cycles")
            if not cycles:
                raise FitError(f"{here}: give the cycles whose voltage curves to fit, "
                               "e.g. {'cycles': [2, 50]}")
            entry["cycles"] = [int(c) for c in cycles]
        elif "cycles" in spec:
            raise FitError(f"{here}: 'cycles' is for the Voltage target; choose the "
                           "fitted cycles with the fit's cycles")
        out[name] = entry
    return out


def parse_cycles(cycles, n_data: int) -> list[int]:
    """Cycle numbers from None (all), N (the first N), "a-b", or an iterable of ints
    and "a-b" ranges."""
    if cycles is None:
        return list(range(1, n_data + 1))
    if isinstance(cycles, bool):
        raise FitError(f"cycles: {cycles!r} is not a cycle range")
    if isinstance(cycles, int):
        cycles = [f"1-{cycles}"]
    elif isinstance(cycles, str):
        cycles = [part for part in cycles.split(",")]
    out = set()
    for part in cycles:
        try:
            if isinstance(part, str) and "-" in part.strip()[1:]:
                a, b = (int(x) for x in part.split("-", 1))
                out.update(range(a, b + 1))
            else:
                out.add(int(part))
        except (TypeError, ValueError):
            raise FitError(f"cycles: cannot read {part!r}; use e.g. '1-60' or [2, 5, 7]") from None
    chosen = sorted(out)
    if not chosen or chosen[0] < 1 or chosen[-1] > n_data:
        raise FitError(f"cycles: the data has cycles 1 to {n_data}; got {chosen[:1]} to "
                       f"{chosen[-1:]}")
    return chosen


def estimate_noise(values: np.ndarray) -> float:
    """The scatter of a per-cycle series about a smooth trend: the median absolute
    second difference (robust to a block change and an outlier), over sqrt(6) for
    white noise, times 1.4826 for a Gaussian's standard deviation."""
    y = np.asarray(values, dtype=float)
    y = y[np.isfinite(y)]
    if y.size < 4:
        return float("nan")
    d2 = np.diff(y, 2)
    return float(1.4826 * np.median(np.abs(d2 - np.median(d2))) / math.sqrt(6))


# --- the model side -------------------------------------------------------------------------


@dataclass
class _Problem:
    """What each evaluation needs: picklable, sent once to each worker."""

    cell: object
    protocol: object
    options: dict
    names: tuple[str, ...]
    last_cycle: int
    series_points: int
    curve_cycles: tuple[int, ...]
    series_tolerance: float = _CURVE_TOLERANCE
    #: the cycle skipper's settings (None: every cycle solved)
    accelerate: dict | None = None


_WORKER: dict = {}


def _simulator(problem: _Problem):
    from .protocols import Termination
    from .study import CycleSimulator

    # the problem itself is kept (not its id, which a later problem may reuse once
    # this one is freed)
    if _WORKER.get("built for") is not problem:
        accelerate = problem.accelerate
        if accelerate is not None:
            # the fitted voltage curves come from cycles solved in full
            accelerate = dict(accelerate, always_solve=tuple(sorted(
                set(accelerate.get("always_solve", ())) | set(problem.curve_cycles))))
        sim = CycleSimulator(problem.cell, problem.protocol, problem.options,
                             input_names=problem.names, cycles=problem.last_cycle,
                             series_points=problem.series_points,
                             series_tolerance=problem.series_tolerance,
                             accelerate=accelerate)
        # the data's cycles decide where the fit ends, not the protocol's terminations
        sim.protocol = dataclasses.replace(sim.protocol, termination=Termination())
        _WORKER.update({"built for": problem, "sim": sim})
    return _WORKER["sim"]


def _init_worker(problem: _Problem) -> None:
    _WORKER["problem"] = problem
    # a worker is the fit's own process: what the command line does for a long
    # run (solver messages a fallback tolerance mends kept off standard error)
    _WORKER["process_wide"] = True


def _evaluate_in_worker(values: tuple[float, ...]):
    return _evaluate(_WORKER["problem"], values)


def _evaluate(problem: _Problem, values) -> dict:
    """One model run: its per-cycle values and the voltage curves of the chosen
    cycles."""
    sim = _simulator(problem)
    run = sim.simulate(dict(zip(problem.names, (float(v) for v in values))),
                       process_wide=_WORKER.get("process_wide", False))
    cycles = {name: run.cycles[name].values.astype(float) for name in CYCLE_TARGETS
              if name in run.cycles}
    curves = {}
    if problem.curve_cycles:
        series = run.series
        for k in problem.curve_cycles:
            sel = series["cycle"].values == k
            curves[k] = (series["Step"].values[sel], series["Discharge capacity"].values[sel],
                         series["Voltage"].values[sel], series["Current"].values[sel])
    return {"cycles": cycles, "curves": curves, "status": run.status,
            "n": int(run.cycles.sizes.get("cycle", 0))}


def _curve_residuals(model_curve, data_curve, noise) -> np.ndarray:
    """The model's voltage at the data's points, step by step, against the charge
    passed since the step began (beyond the model's end of a step, its last
    voltage), over the noise."""
    d_step, d_q, d_v = data_curve
    out = np.empty(d_v.size)
    if model_curve is None:
        out[:] = d_v / noise  # no model: as if at 0 V
        return out
    m_step, m_q, m_v, _ = model_curve
    for n in np.unique(d_step):
        d = d_step == n
        m = m_step == n
        if not m.any():
            out[d] = d_v[d] / noise
            continue
        dq = np.abs(d_q[d] - d_q[d][0])
        mq = np.abs(m_q[m] - m_q[m][0])
        order = np.argsort(mq, kind="stable")
        out[d] = (np.interp(dq, mq[order], m_v[m][order]) - d_v[d]) / noise
    return out


# --- the result -----------------------------------------------------------------------------


@dataclass
class FitResult:
    """A fit: best values, 95 % intervals, correlations, what it cost, and the data
    and the fitted model's per-cycle values for plotting."""

    values: dict[str, float]
    ci95: dict[str, tuple[float, float]]
    correlation: xr.DataArray
    evaluations: int
    wall_time: float
    initial: dict[str, float]
    bounds: dict[str, tuple[float, float]]
    log: dict[str, bool]
    cost: float
    n_residuals: int
    targets: dict[str, dict]
    warnings: list[str]
    data: xr.Dataset
    model: xr.Dataset
    metadata: dict = field(default_factory=dict)
    curves: xr.Dataset | None = None

    def summary(self) -> str:
        """The table ``afb fit`` prints."""
        lines = [f"{'parameter':<58} {'value':>12} {'95 % interval':>29} {'initial':>11}"]
        for name, value in self.values.items():
            lo, hi = self.ci95[name]
            # enough digits that a narrow interval's ends differ
            digits = next((d for d in range(4, 9) if f"{lo:.{d}g}" != f"{hi:.{d}g}"), 8)
            interval = f"{lo:.{digits}g} to {hi:.{digits}g}"
            lines.append(f"{name:<58} {value:>12.{digits}g} {interval:>29} "
                         f"{self.initial[name]:>11.4g}")
        if len(self.values) > 1:
            lines.append("correlation:")
            names = list(self.values)
            for i, a in enumerate(names):
                row = " ".join(f"{self.correlation.values[i, j]:+.2f}" for j in range(len(names)))
                lines.append(f"  {row}   {a}")
        lines.append(f"{self.evaluations} model evaluations in {self.wall_time:.1f} s; "
                     f"cost {self.cost:.4g} over {self.n_residuals} residuals")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def to_dataset(self) -> xr.Dataset:
        names = list(self.values)
        ds = xr.Dataset(
            {
                "value": ("parameter", [self.values[n] for n in names]),
                "ci95_lower": ("parameter", [self.ci95[n][0] for n in names]),
                "ci95_upper": ("parameter", [self.ci95[n][1] for n in names]),
                "initial": ("parameter", [self.initial[n] for n in names]),
                "lower_bound": ("parameter", [self.bounds[n][0] for n in names]),
                "upper_bound": ("parameter", [self.bounds[n][1] for n in names]),
                "log_scale": ("parameter", [int(self.log[n]) for n in names]),
                "correlation": (("parameter", "parameter_2"), self.correlation.values),
            },
            coords={"parameter": names, "parameter_2": names},
        )
        ds.attrs.update({
            "evaluations": int(self.evaluations), "wall_time_s": float(self.wall_time),
            "cost": float(self.cost), "n_residuals": int(self.n_residuals),
            "targets": json.dumps(self.targets), "warnings": json.dumps(self.warnings),
            "metadata": json.dumps(self.metadata),
        })
        return ds

    def save(self, path) -> Path:
        """Write the fit to an HDF5 (netCDF4) file: groups ``fit`` (parameters,
        intervals, correlation; the data's provenance and the set-up as
        attributes), ``data`` and ``model`` (per-cycle values), ``curves`` (the
        fitted voltage curves, if any). Written whole, then renamed into place."""
        path = Path(path)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            self.to_dataset().to_netcdf(partial, group="fit", mode="w", engine="h5netcdf")
            for group, ds in (("data", self.data), ("model", self.model),
                              ("curves", self.curves)):
                if ds is not None:
                    _clean(ds).to_netcdf(partial, group=group, mode="a", engine="h5netcdf")
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        return path


def _clean(ds: xr.Dataset) -> xr.Dataset:
    """A Dataset netCDF can store: string variables as fixed text."""
    ds = ds.copy()
    for name in list(ds.variables):
        if ds[name].dtype.kind == "O":
            ds[name] = ds[name].astype(str)
    return ds


def load_fit(path) -> FitResult:
    """A saved :class:`FitResult`."""
    path = Path(path)
    try:
        with xr.open_dataset(path, group="fit", engine="h5netcdf") as f:
            fit = f.load()
        data = xr.open_dataset(path, group="data", engine="h5netcdf").load()
        model = xr.open_dataset(path, group="model", engine="h5netcdf").load()
        try:
            curves = xr.open_dataset(path, group="curves", engine="h5netcdf").load()
        except (OSError, KeyError):
            curves = None
    except (OSError, KeyError, ValueError) as e:
        raise FitError(f"{path}: not a saved fit: {e}") from None
    names = [str(n) for n in fit["parameter"].values]
    return FitResult(
        values={n: float(v) for n, v in zip(names, fit["value"].values)},
        ci95={n: (float(a), float(b)) for n, a, b in zip(
            names, fit["ci95_lower"].values, fit["ci95_upper"].values)},
        correlation=xr.DataArray(fit["correlation"].values,
                                 coords={"parameter": names, "parameter_2": names},
                                 dims=("parameter", "parameter_2")),
        evaluations=int(fit.attrs["evaluations"]), wall_time=float(fit.attrs["wall_time_s"]),
        initial={n: float(v) for n, v in zip(names, fit["initial"].values)},
        bounds={n: (float(a), float(b)) for n, a, b in zip(
            names, fit["lower_bound"].values, fit["upper_bound"].values)},
        log={n: bool(v) for n, v in zip(names, fit["log_scale"].values)},
        cost=float(fit.attrs["cost"]), n_residuals=int(fit.attrs["n_residuals"]),
        targets=json.loads(fit.attrs["targets"]), warnings=json.loads(fit.attrs["warnings"]),
        data=data, model=model, metadata=json.loads(fit.attrs["metadata"]), curves=curves,
    )


# --- the fit ------------------------------------------------------------------------------


class Objective:
    """The scaled residuals of a fit as a function of the parameters on [0, 1]:
    what :func:`fit` minimises and :func:`pybop_problem` wraps.

    Evaluations run in this process (``workers=1``) or in a pool of worker
    processes, each holding one built simulator."""

    def __init__(self, cell, data, parameters, *, targets, protocol=None, options=None,
                 cycles=None, area_cm2=None, workers=None, accelerate=None):
        from .acceleration import Acceleration
        from .study import resolve_cell

        acceleration = Acceleration.settings_of(accelerate, "accelerate", FitError)

        self.parameters = parse_parameters(parameters)
        self.cell = resolve_cell(cell)
        values = self.cell.parameter_values
        for p in self.parameters:
            if p.name not in values.keys():
                raise FitError(f"parameters: '{p.name}': unknown parameter of cell "
                               f"{self.cell.name}")
        # which steps plate the collector is the cell's: a cycler's file is read
        # (or read again) as that cell's
        configuration = self.cell.configuration
        if not isinstance(data, CyclingData):
            data = read_cycling(data, configuration=None if _is_run_file(data)
                                else configuration)
        elif data.run is None and data.configuration != configuration:
            path = data.source.get("path")
            if path is None or not Path(path).is_file():
                raise FitError(
                    f"data: read as a {data.configuration} cell's, but cell "
                    f"{self.cell.name} is {configuration}; read it with "
                    f"configuration='{configuration}'")
            data = read_cycling(path, configuration=configuration,
                                current_sign=_given_sign(data))
        self.cycles = parse_cycles(cycles, data.n_cycles)
        self.last_cycle = self.cycles[-1]
        self.targets = parse_targets(targets, data)
        if protocol is None:
            protocol = reconstruct_protocol(data, self.cell, area_cm2=area_cm2,
                                            cycles=self.last_cycle)
            self.protocol_source = "reconstructed from the data"
        else:
            self.protocol_source = str(getattr(protocol, "path", protocol))
        # capacities compare per area when the data's cell has another size: the
        # data's are scaled to the model cell's area
        cell_area = _area_cm2(values)
        self.capacity_scale = 1.0 if area_cm2 is None else cell_area / float(area_cm2)
        self.data_all = data
        self.data = data.select(range(1, self.last_cycle + 1))
        curve_cycles = tuple(self.targets.get(VOLTAGE, {}).get("cycles", ()))
        bad = [k for k in curve_cycles if k not in self.cycles]
        if bad:
            raise FitError(f"targets: 'Voltage': cycle {bad[0]} is not among the fitted "
                           "cycles")
        self.problem = _Problem(
            self.cell, protocol, dict(options or {}), tuple(p.name for p in self.parameters),
            self.last_cycle, _CURVE_POINTS if curve_cycles else 1, curve_cycles,
            accelerate=acceleration)
        self._prepare_data()
        self.workers = _workers(workers)
        self._pool = None
        self.evaluations = 0
        self._cache: dict[tuple, np.ndarray] = {}
        self.last_outputs = None

    # the data side: fixed vectors, noise per target
    def _prepare_data(self) -> None:
        cycles = self.data.cycles
        selected = np.asarray(self.cycles) - 1
        self.blocks = []  # (target, data values, mask, sigma*weight)
        self.noise = {}
        for name, spec in self.targets.items():
            if name == VOLTAGE:
                continue
            y = cycles[name].values.astype(float)[selected] * (
                self.capacity_scale if _is_capacity(name) else 1.0)
            mask = np.isfinite(y)
            sigma = spec["noise"]
            if sigma is None:
                sigma = estimate_noise(y)
                scale = np.nanmax(np.abs(y)) if mask.any() else 1.0
                # noise-free data (a model run): a floor at the solver's accuracy
                sigma = max(sigma if math.isfinite(sigma) else 0.0, 1e-7 * scale)
            self.noise[name] = float(sigma)
            self.blocks.append((name, y, mask, sigma / spec["weight"]))
        self.curve_data = {}
        if VOLTAGE in self.targets:
            series = self.data.series
            noises = []
            for k in self.targets[VOLTAGE]["cycles"]:
                sel = (series["cycle"].values == k) & (np.abs(series["Current"].values) > 0)
                step = series["Step"].values[sel]
                q = series["Discharge capacity"].values[sel] * self.capacity_scale
                v = series["Voltage"].values[sel]
                self.curve_data[k] = (step, q, v)
                for n in np.unique(step):
                    noises.append(estimate_noise(v[step == n]))
            sigma = self.targets[VOLTAGE]["noise"]
            if sigma is None:
                finite = [x for x in noises if math.isfinite(x)]
                sigma = max(float(np.median(finite)) if finite else 0.0, 1e-5)
            self.noise[VOLTAGE] = float(sigma)
            self.voltage_sigma = sigma / self.targets[VOLTAGE]["weight"]

    @property
    def n_residuals(self) -> int:
        n = sum(int(mask.sum()) for _, _, mask, _ in self.blocks)
        return n + sum(v[2].size for v in self.curve_data.values())

    def values_of(self, z) -> tuple[float, ...]:
        return tuple(p.from_unit(float(np.clip(x, 0, 1))) for p, x in zip(self.parameters, z))

    def _run(self, points: list) -> list[dict]:
        """Model outputs at several parameter vectors (values, not unit scale)."""
        self.evaluations += len(points)
        if self.workers == 1 or len(points) == 1 and self._pool is None:
            return [_evaluate(self.problem, p) for p in points]
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork: a worker starts as a copy of this process, so a script or a
            # notebook without a __main__ guard works (spawn would run it again);
            # the pool starts before this process has solved anything
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context(method),
                initializer=_init_worker, initargs=(self.problem,))
        return list(self._pool.map(_evaluate_in_worker, points))

    def residuals_of(self, out: dict) -> np.ndarray:
        parts = []
        selected = np.asarray(self.cycles) - 1
        for name, y, mask, sigma in self.blocks:
            model = np.zeros(self.last_cycle)
            values = out["cycles"].get(name, np.zeros(0))[: self.last_cycle]
            model[: values.size] = values
            # a model that stopped early (a solver failure) has nothing in the
            # cycles it did not reach: 0, far from any data
            # (the data is in the model cell's size already: see _prepare_data)
            model = np.nan_to_num(model[selected], nan=0.0)
            parts.append(((model - y) / sigma)[mask])
        for k, data_curve in self.curve_data.items():
            parts.append(_curve_residuals(out["curves"].get(k), data_curve,
                                          self.voltage_sigma))
        return np.concatenate(parts)

    def residuals(self, z) -> np.ndarray:
        key = tuple(np.round(np.asarray(z, dtype=float), 15))
        if key not in self._cache:
            self._cache[key] = self.residuals_of(self._run([self.values_of(z)])[0])
        return self._cache[key]

    def _steps(self, z):
        return [p.step(p.from_unit(x)) for p, x in zip(self.parameters, z)]

    def _perturbed(self, z):
        points = []
        for j, h in enumerate(self._steps(z)):
            zj = np.array(z, dtype=float)
            zj[j] = zj[j] + h if zj[j] + h <= 1 else zj[j] - h
            points.append(zj)
        return points

    def evaluate_with_jacobian(self, z) -> tuple[np.ndarray, np.ndarray]:
        """Residuals and their forward-difference Jacobian at ``z``, the model runs
        in one parallel batch."""
        z = np.asarray(z, dtype=float)
        perturbed = self._perturbed(z)
        wanted = [z, *perturbed]
        missing = [p for p in wanted if tuple(np.round(p, 15)) not in self._cache]
        outputs = self._run([self.values_of(p) for p in missing])
        for p, out in zip(missing, outputs):
            self._cache[tuple(np.round(p, 15))] = self.residuals_of(out)
        r0 = self._cache[tuple(np.round(z, 15))]
        columns = [(self._cache[tuple(np.round(p, 15))] - r0) / (p - z).sum()
                   for p in perturbed]
        return r0, np.column_stack(columns)

    def model_run(self, values: Mapping[str, float]):
        """The model's Run at these parameter values (in this process)."""
        sim = _simulator(self.problem)
        return sim.simulate({p.name: float(values[p.name]) for p in self.parameters})

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _is_run_file(path) -> bool:
    return Path(path).suffix in (".h5", ".nc", ".hdf5")


def _given_sign(data: CyclingData) -> str | None:
    """The current sign a file was read with, if the reader was told it."""
    sign = data.source.get("current sign", "")
    return sign.removesuffix(" (given)") if sign.endswith("(given)") else None


def _is_capacity(name: str) -> bool:
    return name in ("Discharge capacity", "Charge capacity", "Metal loss", "Plated charge",
                    "Stripped charge")


def _area_cm2(values) -> float:
    """The cell's electrode area, as its protocols read areal units with."""
    from .protocols import CellLimits

    return CellLimits.from_parameter_values(values).area_m2 * 1e4


def _workers(workers) -> int:
    if workers is None:
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                   else os.cpu_count() or 1)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise FitError(f"workers: a positive number of processes, not {workers!r}")
    return workers


def fit(
    cell,
    data,
    parameters: Mapping[str, Mapping],
    *,
    targets: Iterable[str] | Mapping[str, Mapping] = ("Discharge capacity",
                                                      "Coulombic efficiency"),
    protocol=None,
    options: Mapping[str, str] | None = None,
    cycles=None,
    area_cm2: float | None = None,
    workers: int | None = None,
    max_evaluations: int = 300,
    progress: bool = False,
    accelerate=False,
) -> FitResult:
    """Fit ``parameters`` of ``cell`` to the cycling ``data``.

    Parameters
    ----------
    cell
        As for :func:`afb_models.simulate` (a set name, a cell file, a Cell, ...).
    data
        A path (BDF or cycler CSV, an afb run file) or what
        :func:`afb_models.data.read_cycling` returns.
    parameters
        ``{name: {"initial": x, "bounds": (lo, hi), "log": bool}}``: scalar
        parameters of the cell; ``log`` fits the decade (for a rate spanning orders
        of magnitude).
    targets
        Names of per-cycle quantities ("Discharge capacity", "Coulombic efficiency",
        "Metal loss" where the data has it, "Charge capacity", ...) or a mapping
        ``{name: {"weight": w, "noise": sigma}}``; ``"Voltage": {"cycles": [2, 40]}``
        fits the voltage curves of those cycles. Noise is estimated from the data
        where not given.
    protocol
        What the cell saw: a protocol (name, file, text, Protocol); default: the
        steps reconstructed from the data.
    options
        Model options on top of the calibrated ones, as for ``simulate``.
    cycles
        The cycles fitted: None (all), N (1 to N), "a-b", or a list; the model runs
        from cycle 1 to the last.
    area_cm2
        The data's cell's electrode area, if it is not the model cell's: currents
        and capacities are then compared per area.
    workers
        Processes evaluating the model (default: the cores this process may use).
    max_evaluations
        Stop after about this many model runs.
    progress
        Print each iteration's cost on standard error.
    accelerate
        Skip cycles in every model run (True, or a dict of settings such as
        ``{"tolerance": 1e-4}``; :mod:`afb_models.acceleration`); the cycles of
        the voltage target are always solved in full. The 95 % intervals are the
        data's alone: they do not include the skipper's error, which biases the
        values (by up to 0.6 % at a tolerance of 1e-4 in ``afb bench fit``, where
        that is more than the intervals' width; a tolerance of 1e-5 took as long
        as no skipping there). Use it to explore; confirm a final fit without it.
    """
    from scipy.optimize import least_squares

    start = time.perf_counter()
    objective = Objective(cell, data, parameters, targets=targets, protocol=protocol,
                          options=options, cycles=cycles, area_cm2=area_cm2,
                          workers=workers, accelerate=accelerate)
    n = len(objective.parameters)
    z0 = np.array([p.to_unit(p.initial) for p in objective.parameters])
    parallel = objective.workers > 1
    jacobians: dict[tuple, np.ndarray] = {}

    def fun(z):
        key = tuple(np.round(z, 15))
        if parallel:
            # the trial point and its differences in one batch: an accepted step
            # then needs no second round
            r, jac = objective.evaluate_with_jacobian(z)
            jacobians[key] = jac
        else:
            r = objective.residuals(z)
        if progress:
            import sys

            print(f"  evaluation {objective.evaluations}: cost {0.5 * r @ r:.6g} at "
                  f"{dict(zip([p.name for p in objective.parameters], objective.values_of(z)))}",
                  file=sys.stderr)
        return r

    def jac(z):
        key = tuple(np.round(z, 15))
        if key not in jacobians:
            jacobians[key] = objective.evaluate_with_jacobian(z)[1]
        return jacobians[key]

    try:
        solution = least_squares(
            fun, z0, jac=jac, bounds=(np.zeros(n), np.ones(n)), method="trf",
            x_scale="jac", max_nfev=max(2, max_evaluations // (n + 1)),
            # a parameter to 1e-4 of its bounds' span, the cost to 1e-4: finer
            # than the 95 % intervals of any fit to measured data, and coarser than
            # the forward differences' own error
            xtol=1e-4, ftol=1e-4, gtol=1e-8,
        )
        z = np.clip(solution.x, 0, 1)
        r, J = objective.evaluate_with_jacobian(z)
    finally:
        objective.close()
    best = dict(zip([p.name for p in objective.parameters], objective.values_of(z)))
    ci95, correlation, warnings = _uncertainty(objective, z, r, J)
    if not solution.success:
        warnings.append(f"the optimiser stopped before converging: {solution.message}")
    run = objective.model_run(best)
    names = [p.name for p in objective.parameters]
    data_cycles = objective.data.cycles
    keep = [c for c in data_cycles.data_vars if c in CYCLE_TARGETS or c == "Time"]
    data_cycles = data_cycles[keep]
    if objective.capacity_scale != 1.0:
        # the data as the model cell's size would give it, as it was fitted
        for name in keep:
            if _is_capacity(name):
                data_cycles[name] = data_cycles[name] * objective.capacity_scale
        data_cycles.attrs["scaled"] = (
            f"capacities x {objective.capacity_scale:.6g}: the data cell's area "
            f"({area_cm2:g} cm2) to the model cell's")
    result = FitResult(
        values=best,
        ci95=ci95,
        correlation=xr.DataArray(correlation, coords={"parameter": names,
                                                      "parameter_2": names},
                                 dims=("parameter", "parameter_2")),
        evaluations=objective.evaluations,
        wall_time=time.perf_counter() - start,
        initial={p.name: p.initial for p in objective.parameters},
        bounds={p.name: (p.lower, p.upper) for p in objective.parameters},
        log={p.name: p.log for p in objective.parameters},
        cost=float(0.5 * r @ r),
        n_residuals=int(r.size),
        targets={name: dict(spec, noise_used=objective.noise[name])
                 for name, spec in objective.targets.items()},
        warnings=warnings,
        data=data_cycles.assign(fitted=("cycle", np.isin(
            data_cycles["cycle"].values, objective.cycles))),
        model=run.cycles[[c for c in run.cycles.data_vars if c != "block"]],
        metadata={
            "cell": objective.cell.name, "options": dict(options or {}),
            "protocol": objective.problem.protocol.text
            if hasattr(objective.problem.protocol, "text") else str(protocol),
            "protocol source": objective.protocol_source,
            "data": objective.data_all.source, "cycles": objective.cycles,
            "area_cm2": area_cm2, "method": "scipy.optimize.least_squares (trf)",
            "workers": objective.workers,
            "afb_version": __import__("afb_models").__version__,
        },
        curves=_curves_dataset(objective, run),
    )
    return result


def _uncertainty(objective: Objective, z, r, J):
    """95 % intervals, the correlation matrix and identifiability warnings from the
    Jacobian at the optimum (on the fitted scale: decades for a log parameter)."""
    from scipy import stats

    params = objective.parameters
    n, m = len(params), r.size
    widths = np.array([p.width for p in params])
    J_u = J / widths  # d r / d u, u the fitted scale
    dof = max(m - n, 1)
    s2 = float(r @ r) / dof
    norms = np.linalg.norm(J_u, axis=0)
    warnings = []
    safe = np.where(norms > 0, norms, 1.0)
    for p, norm in zip(params, norms):
        if norm == 0:
            warnings.append(f"'{p.name}' does not change the fitted quantities at all: it is "
                            "not determined by the data")
    _, singular, vt = np.linalg.svd(J_u / safe)
    if singular.size and singular[-1] < _SMALL_SINGULAR_VALUE * singular[0]:
        weakest = vt[-1]
        involved = [params[i].name for i in np.argsort(-np.abs(weakest))
                    if abs(weakest[i]) > 0.3]
        warnings.append(
            "not identifiable: the data does not determine "
            f"{' and '.join(repr(x) for x in involved)} (a near-zero singular value of "
            f"the scaled Jacobian, {singular[-1] / singular[0]:.1e} of the largest)")
    # the covariance from the singular directions the data determines; a parameter
    # with a share in a direction it does not (a zero singular value) has no bound
    # on its interval
    determined = singular > 1e-12 * singular[0]
    free = vt[~determined]
    scaled = vt[determined].T / singular[determined]
    cov = s2 * (scaled @ scaled.T) / np.outer(safe, safe)
    sd = np.sqrt(np.clip(np.diag(cov), 0, None))
    undetermined = (np.abs(free) > 1e-6).any(axis=0) if free.size else np.zeros(n, bool)
    sd = np.where(undetermined, np.inf, sd)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    corr = np.where(np.isfinite(corr), corr, 0.0)
    np.fill_diagonal(corr, 1.0)
    for i in range(n):
        for j in range(i + 1, n):
            if abs(corr[i, j]) > _HIGH_CORRELATION:
                warnings.append(
                    f"'{params[i].name}' and '{params[j].name}' are correlated "
                    f"({corr[i, j]:+.3f}): the data determines a combination of them "
                    "better than either")
    t = stats.t.ppf(0.975, dof)
    ci95 = {}
    for p, zi, sdi in zip(params, z, sd):
        u = math.log10(p.from_unit(zi)) if p.log else p.from_unit(zi)
        lo, hi = u - t * sdi, u + t * sdi
        if p.log:
            with np.errstate(over="ignore"):  # an undetermined parameter: 0 to inf
                lo, hi = np.power(10.0, lo), np.power(10.0, hi)
        ci95[p.name] = (float(lo), float(hi))
        if zi <= 1e-6 or zi >= 1 - 1e-6:
            warnings.append(f"'{p.name}' ended at its bound: widen the bounds or fix it")
    return ci95, corr, warnings


def _curves_dataset(objective: Objective, run) -> xr.Dataset | None:
    """The data's and the fitted model's voltage curves of the chosen cycles."""
    if not objective.curve_data:
        return None
    parts = {}
    for k, (step, q, v) in objective.curve_data.items():
        parts.setdefault("data_cycle", []).append(np.full(v.size, k))
        parts.setdefault("data_step", []).append(step)
        parts.setdefault("data_charge", []).append(q)
        parts.setdefault("data_voltage", []).append(v)
        sel = run.series["cycle"].values == k
        parts.setdefault("model_cycle", []).append(np.full(int(sel.sum()), k))
        parts.setdefault("model_step", []).append(run.series["Step"].values[sel])
        parts.setdefault("model_charge", []).append(
            run.series["Discharge capacity"].values[sel])
        parts.setdefault("model_voltage", []).append(run.series["Voltage"].values[sel])
    return xr.Dataset({
        name: (("data_point" if name.startswith("data") else "model_point"),
               np.concatenate(values))
        for name, values in parts.items()
    })


# --- PyBOP -----------------------------------------------------------------------------------

#: PyBOP's names of the residual vector a problem compares
PYBOP_DOMAIN = "Residual index"
PYBOP_TARGET = "Scaled residual"


def pybop_problem(cell, data, parameters, *, targets=("Discharge capacity",
                                                      "Coulombic efficiency"),
                  protocol=None, options=None, cycles=None, area_cm2=None, workers=None,
                  likelihood: bool = False, accelerate=False):
    """A ``pybop.Problem`` on the per-cycle residuals :func:`fit` minimises, so that
    PyBOP's optimisers and samplers run on them (arguments as for :func:`fit`).

    The simulator returns the residual vector, (model - data) / noise x weight
    (``"Scaled residual"`` over ``"Residual index"``), and the problem compares it
    with zeros: with ``pybop.SumSquaredError`` (default) its cost is twice
    :func:`fit`'s; with ``likelihood=True`` it is a ``pybop.LogPDF`` on a Gaussian
    log-likelihood of unit sigma (the residuals are already scaled by the noise),
    which PyBOP's MCMC samplers take. Log-scaled parameters get PyBOP's
    ``LogTransformation``. A batch of inputs (a population optimiser's, a sampler's
    chains) runs in parallel on ``workers`` processes. Call
    ``problem.afb_objective.close()`` when done, to stop them.

    >>> problem = pybop_problem("AFB_Li_Cu", "cell.csv", parameters)
    >>> result = pybop.XNES(problem).run()
    """
    import pybop

    objective = Objective(cell, data, parameters, targets=targets, protocol=protocol,
                          options=options, cycles=cycles, area_cm2=area_cm2,
                          workers=workers, accelerate=accelerate)
    pybop_parameters = pybop.Parameters({
        p.name: pybop.Parameter(
            bounds=[p.lower, p.upper], initial_value=p.initial,
            transformation=pybop.LogTransformation() if p.log else None)
        for p in objective.parameters
    })
    m = objective.n_residuals
    dataset = pybop.Dataset({PYBOP_DOMAIN: np.arange(m, dtype=float),
                             PYBOP_TARGET: np.zeros(m)}, domain=PYBOP_DOMAIN)
    simulator = _pybop_simulator_class()(objective, pybop_parameters)
    if likelihood:
        cost = pybop.GaussianLogLikelihoodKnownSigma(dataset, sigma=1.0, target=PYBOP_TARGET)
        problem = pybop.LogPDF(simulator, cost)
    else:
        cost = pybop.SumSquaredError(dataset, target=PYBOP_TARGET)
        problem = pybop.Problem(simulator, cost)
    problem.afb_objective = objective
    return problem


def _pybop_simulator_class():
    """A ``pybop.BaseSimulator`` over an :class:`Objective` (made on first use, so
    that afb does not import PyBOP unless asked)."""
    import pybop

    class AfbResidualSimulator(pybop.BaseSimulator):
        def __init__(self, objective: Objective, parameters):
            super().__init__(parameters)
            self.objective = objective

        def set_output_variables(self, target):
            if list(target) != [PYBOP_TARGET]:
                raise FitError(f"the afb problem's only output is '{PYBOP_TARGET}'")

        def solve_batch(self, inputs, calculate_sensitivities=False):
            names = [p.name for p in self.objective.parameters]
            points = [tuple(float(np.asarray(x[n]).item()) for n in names) for x in inputs]
            outputs = self.objective._run(points)
            solutions = []
            for x, out in zip(inputs, outputs):
                solution = pybop.Solution(inputs=x)
                solution.set_solution_variable(PYBOP_TARGET,
                                               data=self.objective.residuals_of(out))
                solutions.append(solution)
            return solutions

    return AfbResidualSimulator


# --- fit files -----------------------------------------------------------------------------


def load_fit_file(path) -> dict:
    """The arguments of :func:`fit` from a fit file (TOML)::

        cell = "AFB_Li_NMC532_Cu"         # a set name or a cell file (relative to here)
        data = "cell07.csv"               # BDF / cycler CSV or an afb run file
        protocol = "protocol.toml"        # optional: else reconstructed from the data
        cycles = "1-60"                   # optional: the fitted cycles
        area_cm2 = 1.54                   # optional: the data's cell's area
        current_sign = "charge positive"  # optional: when the voltage cannot tell it
        workers = 2                       # optional: model runs in parallel
        accelerate = true                 # optional: skip cycles (or a table of
                                          # settings, e.g. { tolerance = 1e-4 })
        options = { particle = "quartic profile" }

        [parameters]
        "SEI reaction exchange current density [A.m-2]" = { initial = 3e-7, bounds = [1e-9, 1e-5], log = true }

        [targets]
        "Discharge capacity" = { weight = 1 }
        "Coulombic efficiency" = { weight = 1, noise = 2e-5 }
        Voltage = { cycles = [2, 60] }
    """
    from .acceleration import Acceleration
    from .settings_file import SettingsFile

    path = Path(path)
    fit_file = SettingsFile(
        path, "fit", FitError,
        allowed={"cell", "data", "protocol", "cycles", "area_cm2", "options", "parameters",
                 "targets", "current_sign", "workers", "accelerate"},
        required=("cell", "data", "parameters"))
    spec = fit_file.spec
    cell = fit_file.relative("cell")
    data_path = fit_file.relative("data")
    try:
        # (read as an anode-free cell's here; fit reads it again as its cell's)
        data = read_cycling(data_path, current_sign=spec.get("current_sign"))
    except DataError as e:
        raise DataError(f"{path}: data: {e}") from None
    protocol = fit_file.relative("protocol") if "protocol" in spec else None
    try:
        parameters = {name: dict(v, bounds=tuple(v["bounds"])) if isinstance(v, dict)
                      and "bounds" in v else v for name, v in spec["parameters"].items()}
        parse_parameters(parameters, f"{path}: parameters")
    except AttributeError:
        raise FitError(f"{path}: parameters: a table of parameter names") from None
    return {
        "cell": cell, "data": data, "parameters": parameters,
        "targets": spec.get("targets", ("Discharge capacity", "Coulombic efficiency")),
        "protocol": protocol, "options": spec.get("options"), "cycles": spec.get("cycles"),
        "area_cm2": spec.get("area_cm2"), "workers": spec.get("workers"),
        "accelerate": Acceleration.settings_of(spec.get("accelerate"),
                                               f"{path}: accelerate", FitError),
    }


__all__ = ["FitError", "FitResult", "Objective", "estimate_noise", "fit", "load_fit",
           "load_fit_file", "pybop_problem"]
