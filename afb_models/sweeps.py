"""Studies at scale: many cases of one cell and protocol, on local worker processes or a
Dask cluster, each case its own crash-safe run file, one labelled result.

>>> ds = afb_models.sweep("AFB_Li_NMC532_Cu", "louli2020",
...                       grid={"np_ratio": [0, 0.2], "option:SEI": ["none",
...                             "reaction limited"]}, cycles=50, out="np_sei")
>>> ds["Retention"].sel(cycle=50)            # dims: np_ratio x option:SEI
>>> afb_models.load_sweep("np_sei")          # the same, from the folder

What a case can vary (the names of a study's ``grid``, ``cases`` or ``sample``):

- a parameter of the cell, by its full name ("Separator thickness [m]"), checked as a
  cell file's values are (positive where it must be, finite);
- a cell setting: ``substrate`` (a name from ``parameter_sets/substrates.py``) or
  ``np_ratio`` (an anode-less reservoir; 0 is anode-free);
- a model option, as ``option:NAME`` ("option:SEI" = "none");
- a protocol placeholder: a ``{name}`` in the protocol's text (a step's current
  "Discharge at {strip_rate} until 3.6 V", a temperature "at {T} °C").

Every case is built and its protocol read before anything runs, so an unknown name or
an out-of-range value is a one-line error naming the study file and the case. A
sweep's folder holds ``sweep.json`` (the study and its cases) and one run file per
case; running the same sweep again skips finished cases and resumes the others
(killed, interrupted), so a sweep can be stopped and continued; a case whose solver
fails is recorded with its reason and the others go on.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr

from .errors import SweepError  # noqa: F401  (re-exported)
from .cells import CellError, check_value
from .mechanisms import LOSS_CHANNELS
from .results import is_finished

#: cell settings a case can vary
SETTINGS = ("substrate", "np_ratio")
#: the prefix of a varied model option
OPTION = "option:"
#: a protocol placeholder
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: the sweep folder's manifest
MANIFEST = "sweep.json"


# --- the study ------------------------------------------------------------------------------


@dataclass
class Study:
    """A sweep's recipe: a cell, a protocol (text, with placeholders), options and the
    cases, each a {varied name: value}."""

    cell: object
    protocol_text: str
    protocol_where: str
    cases: list[dict]
    kind: str = "cases"  # "grid", "cases" or "sample"
    grid: dict[str, list] | None = None
    options: dict = field(default_factory=dict)
    cycles: int | None = None
    series_points: int | None = None
    name: str = "sweep"
    where: str = "sweep"
    #: the cycle skipper's settings (a dict; None: every cycle solved), see
    #: :mod:`afb_models.acceleration`
    accelerate: dict | None = None

    @property
    def varied(self) -> list[str]:
        names = []
        for case in self.cases:
            names.extend(n for n in case if n not in names)
        return names


def _protocol_text(protocol) -> tuple[str, str]:
    """(text, where) of a shipped name, a file or TOML text."""
    from importlib import resources

    if isinstance(protocol, str) and "\n" in protocol:
        return protocol, "<protocol text>"
    path = Path(protocol)
    if path.is_file():
        return path.read_text(encoding="utf-8"), str(path)
    shipped = resources.files("afb_models.experiments") / f"{protocol}.toml"
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8"), f"{protocol}.toml"
    from .protocols import ProtocolError, builtin_protocols

    raise ProtocolError(f"protocol '{protocol}': not a file or a shipped protocol "
                        f"({', '.join(builtin_protocols())})")


def make_cases(*, cases=None, grid=None, sample=None, where="sweep") -> tuple[str, list, dict | None]:
    """(kind, the cases, the grid) from exactly one of ``cases`` (a list of
    {name: value}), ``grid`` ({name: [values]}, every combination) or ``sample``
    ({"n": N, "seed": s, "ranges": {name: [lo, hi] or [lo, hi, "log"]}}, a
    Latin hypercube)."""
    given = [k for k, v in (("cases", cases), ("grid", grid), ("sample", sample)) if v]
    if len(given) != 1:
        raise SweepError(f"{where}: give exactly one of cases, grid or sample "
                         f"(got {', '.join(given) or 'none'})")
    if cases:
        if not all(isinstance(c, Mapping) and c for c in cases):
            raise SweepError(f"{where}: cases: a list of {{name: value}} tables")
        return "cases", [dict(c) for c in cases], None
    if grid:
        if not isinstance(grid, Mapping):
            raise SweepError(f"{where}: grid: a table of {{name: [values]}}")
        for name, values in grid.items():
            if not isinstance(values, (list, tuple)) or not values:
                raise SweepError(f"{where}: grid: '{name}': a list of values")
            if len(set(map(repr, values))) != len(values):
                raise SweepError(f"{where}: grid: '{name}': a value is repeated")
        names = list(grid)
        return "grid", [dict(zip(names, combo)) for combo in
                        itertools.product(*(grid[n] for n in names))], {
                            n: list(grid[n]) for n in names}
    return "sample", _latin_hypercube(sample, where), None


def _latin_hypercube(sample: Mapping, where: str) -> list[dict]:
    from scipy.stats import qmc

    unknown = set(sample) - {"n", "seed", "ranges"}
    if unknown:
        raise SweepError(f"{where}: sample: unknown key '{sorted(unknown)[0]}' (n, seed, ranges)")
    n, seed, ranges = sample.get("n"), sample.get("seed"), sample.get("ranges")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise SweepError(f"{where}: sample: 'n' must be a positive number of cases")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise SweepError(f"{where}: sample: give an integer 'seed' (the sample is then "
                         "the same each time)")
    if not isinstance(ranges, Mapping) or not ranges:
        raise SweepError(f"{where}: sample: 'ranges' = {{name = [lo, hi] or [lo, hi, \"log\"]}}")
    bounds = []
    for name, spec in ranges.items():
        here = f"{where}: sample: '{name}'"
        if not isinstance(spec, (list, tuple)) or len(spec) not in (2, 3):
            raise SweepError(f"{here}: [lo, hi] or [lo, hi, \"log\"]")
        lo, hi = spec[0], spec[1]
        log = len(spec) == 3
        if log and spec[2] != "log":
            raise SweepError(f"{here}: the third entry can only be \"log\"")
        if not all(isinstance(x, (int, float)) and math.isfinite(x) for x in (lo, hi)) \
                or not lo < hi:
            raise SweepError(f"{here}: needs finite lo < hi")
        if log and lo <= 0:
            raise SweepError(f"{here}: a log range needs lo > 0")
        bounds.append((name, float(lo), float(hi), log))
    unit = qmc.LatinHypercube(d=len(bounds), seed=seed).random(n)
    out = []
    for row in unit:
        case = {}
        for (name, lo, hi, log), u in zip(bounds, row):
            case[name] = float(10 ** (math.log10(lo) + u * (math.log10(hi) - math.log10(lo)))
                               if log else lo + u * (hi - lo))
        out.append(case)
    return out


def shipped_studies() -> list[str]:
    """The study files shipped with afb (``experiments/studies``), by name."""
    from importlib import resources

    folder = resources.files("afb_models.experiments") / "studies"
    return sorted(p.name[:-5] for p in folder.iterdir()
                  if p.name.endswith(".toml") and not p.name.endswith("_protocol.toml"))


def _study_path(path) -> Path:
    """A study file, or the file of a shipped study's name."""
    from importlib import resources

    candidate = Path(path)
    if candidate.exists() or candidate.suffix == ".toml":
        return candidate
    shipped = resources.files("afb_models.experiments") / "studies" / f"{path}.toml"
    if shipped.is_file():
        return Path(str(shipped))
    raise SweepError(f"{path}: no such study file, nor a shipped study "
                     f"({', '.join(shipped_studies())})")


def load_study(path) -> Study:
    """A study file (TOML), or the name of a shipped one (:func:`shipped_studies`)::

        name = "N/P ratio and stripping rate"
        cell = "AFB_Li_NMC532_Cu"          # a set name or a cell file (relative to here)
        protocol = "np_rate.toml"          # a file (relative to here) or a shipped name
        cycles = 300                       # optional: cut the protocol
        options = { "dead metal" = "isolation" }   # optional
        accelerate = true                  # optional: skip cycles (or a table of
                                           # settings, e.g. { tolerance = 1e-3 })

        [grid]                             # or [[cases]] tables, or [sample]
        np_ratio = [0, 0.1, 0.2, 0.5]
        strip_rate = ["C/2", "1C"]         # fills {strip_rate} in the protocol
    """
    from .acceleration import Acceleration
    from .settings_file import SettingsFile

    path = _study_path(path)
    study_file = SettingsFile(
        path, "study", SweepError,
        allowed={"name", "description", "cell", "protocol", "cycles", "options", "grid",
                 "cases", "sample", "series_points", "accelerate"},
        required=("cell", "protocol"))
    spec = study_file.spec
    protocol_text, protocol_where = _protocol_text(study_file.relative("protocol"))
    kind, cases, grid = make_cases(cases=spec.get("cases"), grid=spec.get("grid"),
                                   sample=spec.get("sample"), where=str(path))
    cycles = spec.get("cycles")
    if cycles is not None and (isinstance(cycles, bool) or not isinstance(cycles, int)
                               or cycles < 1):
        raise SweepError(f"{path}: 'cycles' must be a positive integer")
    return Study(cell=study_file.relative("cell"), protocol_text=protocol_text,
                 protocol_where=protocol_where, cases=cases, kind=kind, grid=grid,
                 options=dict(spec.get("options") or {}), cycles=cycles,
                 series_points=spec.get("series_points"),
                 name=str(spec.get("name", path.stem)), where=str(path),
                 accelerate=Acceleration.settings_of(spec.get("accelerate"),
                                                    f"{path}: accelerate", SweepError))


# --- a case ------------------------------------------------------------------------------


@dataclass
class CaseTask:
    """What a worker needs to run one case (picklable)."""

    index: int
    label: str
    cell: object  # a Cell
    protocol_text: str
    protocol_where: str
    options: dict
    cycles: int | None
    series_points: int | None
    path: str
    accelerate: dict | None = None


def case_label(case: Mapping) -> str:
    return ", ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in case.items())


def build_case(study: Study, index: int, case: Mapping, folder: Path) -> CaseTask:
    """The case's cell, protocol and options, checked: any error names the study and
    the case."""
    from .options import OptionError, validate_options
    from .parameter_sets.substrates import SUBSTRATES, with_substrate
    from .cells import with_reservoir
    from .protocols import ProtocolError
    from .study import resolve_cell, resolve_options, resolve_protocol

    where = f"{study.where}: case {index + 1} ({case_label(case)})"
    try:
        cell = resolve_cell(study.cell)
    except CellError as e:
        raise SweepError(f"{study.where}: cell: {e}") from None
    values = cell.parameter_values
    options = dict(study.options)
    placeholders = {}
    used = set(_PLACEHOLDER.findall(study.protocol_text))
    for name, value in case.items():
        if name == "substrate":
            known = SUBSTRATES[cell.metal]
            if value not in known:
                raise SweepError(f"{where}: substrate: unknown for {cell.metal}: {value!r}; "
                                 f"known: {', '.join(sorted(known))}")
            values = with_substrate(values, cell.metal, value)
        elif name == "np_ratio":
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value) or value < 0:
                raise SweepError(f"{where}: np_ratio: a finite number >= 0 (0: anode-free), "
                                 f"not {value!r}")
            values = with_reservoir(values, np_ratio=float(value))
        elif name.startswith(OPTION):
            options[name[len(OPTION):]] = value
        elif name in used:
            placeholders[name] = value
        elif name in values.keys():
            try:
                values.update({name: check_value(values, name, value, where)})
            except CellError as e:
                raise SweepError(str(e)) from None
        else:
            raise SweepError(
                f"{where}: '{name}': not a parameter of {cell.name}, a cell setting "
                f"({', '.join(SETTINGS)}), an option ({OPTION}NAME) or a placeholder of the "
                f"protocol ({', '.join('{' + p + '}' for p in sorted(used)) or 'it has none'})")
    missing = used - set(placeholders)
    if missing:
        raise SweepError(f"{where}: the protocol's {{{sorted(missing)[0]}}} has no value in "
                         "this case")
    cell.parameter_values = values
    text = _PLACEHOLDER.sub(lambda m: str(placeholders[m.group(1)]), study.protocol_text)
    try:
        validate_options(resolve_options(cell, options))
        protocol = resolve_protocol(text, values, study.cycles)
        protocol.check_cell(cell.configuration, cell.metal, cell.name)
    except (ProtocolError, CellError, OptionError, ValueError) as e:
        message = str(e).replace("<protocol text>", study.protocol_where)
        raise SweepError(f"{where}: {message}") from None
    return CaseTask(index, case_label(case), cell, text, study.protocol_where, options,
                    study.cycles, study.series_points, str(folder / f"case_{index + 1:04d}.h5"),
                    study.accelerate)


def _solver_failed(status: str) -> bool:
    return status.startswith("stopped:") and "solver failed" in status


def run_case(task: CaseTask) -> dict:
    """Run (or resume, or skip) one case into its run file; returns its status. Runs
    in a worker process."""
    from .store import RunFileError, load
    from .study import CycleSimulator, resume

    path = Path(task.path)
    if path.exists():
        try:
            run = load(path)
        except RunFileError:
            path.unlink()  # damaged before its first version was whole: start again
        else:
            if is_finished(run.status) or _solver_failed(run.status):
                return {"index": task.index, "status": run.status, "skipped": True,
                        "cycles": int(run.cycles.sizes.get("cycle", 0))}
            run = resume(path, process_wide=True)
            return {"index": task.index, "status": run.status, "skipped": False,
                    "cycles": int(run.cycles.sizes.get("cycle", 0))}
    try:
        # the protocol's text is given with its file's name, for its messages
        simulator = CycleSimulator(task.cell, task.protocol_text, task.options,
                                   cycles=task.cycles, series_points=task.series_points,
                                   accelerate=task.accelerate)
        run = simulator.simulate(out=path, process_wide=True)
    except Exception as e:  # recorded, and the other cases go on
        return {"index": task.index, "status": f"stopped: {type(e).__name__}: {e}",
                "skipped": False, "cycles": 0}
    return {"index": task.index, "status": run.status, "skipped": False,
            "cycles": int(run.cycles.sizes.get("cycle", 0))}


# --- running ---------------------------------------------------------------------------------


def _manifest(study: Study, tasks: list[CaseTask]) -> dict:
    import afb_models

    return {
        "name": study.name, "study": study.where, "kind": study.kind,
        "varied": study.varied, "grid": study.grid,
        "cases": [{"values": case, "file": Path(t.path).name, "label": t.label}
                  for case, t in zip(study.cases, tasks)],
        "cell": str(getattr(study.cell, "name", study.cell)),
        "protocol": study.protocol_text, "options": study.options, "cycles": study.cycles,
        "accelerate": study.accelerate,
        "afb_version": afb_models.__version__,
    }


def _write_manifest(folder: Path, manifest: dict, force: bool) -> None:
    path = folder / MANIFEST
    if path.exists():
        old = json.loads(path.read_text())
        same = all(old.get(k) == manifest.get(k)
                   for k in ("cases", "protocol", "options", "cycles", "cell", "accelerate"))
        if not same and not force:
            raise SweepError(f"{folder}: holds another sweep (its {MANIFEST} differs); "
                             "give another folder, or force to replace it")
        if same:
            return
        for case in old.get("cases", []):
            (folder / case["file"]).unlink(missing_ok=True)
    partial = folder / f".{MANIFEST}.{os.getpid()}.partial"
    partial.write_text(json.dumps(manifest, indent=1, default=str))
    os.replace(partial, path)


def run_study(study: Study, out, *, workers: int | None = None,
              scheduler: str | None = None, progress: bool = False,
              force: bool = False) -> list[dict]:
    """Run every case of ``study`` into folder ``out``; returns each case's result
    ({"index", "status", "skipped", "cycles"}), in case order."""
    folder = Path(out)
    tasks = [build_case(study, i, case, folder) for i, case in enumerate(study.cases)]
    folder.mkdir(parents=True, exist_ok=True)
    _write_manifest(folder, _manifest(study, tasks), force)
    if scheduler is not None:
        results = _run_on_dask(tasks, scheduler, study, progress)
    else:
        results = _run_locally(tasks, _workers(workers), study, progress)
    return sorted(results, key=lambda r: r["index"])


def _workers(workers) -> int:
    if workers is None:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
            os.cpu_count() or 1)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise SweepError(f"workers: a positive number of processes, not {workers!r}")
    return workers


class _Progress:
    """A bar counting cycles over every case (read from the run files as they grow),
    with the finished cases in its text."""

    def __init__(self, tasks, study, enabled: bool):
        from tqdm import tqdm

        self.tasks = tasks
        per_case = study.cycles or None
        total = per_case * len(tasks) if per_case else None
        self.bar = tqdm(total=total, unit="cycle", disable=not enabled, dynamic_ncols=True)
        self.done = 0
        self.enabled = enabled

    def poll(self, finished: dict) -> None:
        if not self.enabled:
            return
        from .store import read_state

        cycles = 0
        for t in self.tasks:
            if t.index in finished:
                cycles += finished[t.index]["cycles"]
                continue
            try:
                cycles += read_state(t.path)[0]
            except Exception:  # not there yet, or being replaced
                pass
        self.bar.n = cycles
        self.bar.set_postfix_str(f"cases {len(finished)}/{len(self.tasks)}", refresh=False)
        self.bar.refresh()

    def close(self):
        self.bar.close()


def _run_locally(tasks, workers: int, study, progress: bool) -> list[dict]:
    bar = _Progress(tasks, study, progress)
    finished = {}
    try:
        if workers == 1:
            for task in tasks:
                finished[task.index] = run_case(task)
                bar.poll(finished)
            return list(finished.values())
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        # fork: a worker starts as a copy of this process (a script without a
        # __main__ guard works); each case builds its own simulation
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(min(workers, len(tasks)),
                                 mp_context=multiprocessing.get_context(method)) as pool:
            pending = {pool.submit(run_case, t): t for t in tasks}
            while pending:
                done, _ = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
                for future in done:
                    task = pending.pop(future)
                    finished[task.index] = _result_of(future, task)
                bar.poll(finished)
    finally:
        bar.close()
    return list(finished.values())


def _result_of(future, task) -> dict:
    try:
        return future.result()
    except Exception as e:  # the worker itself died
        return {"index": task.index, "status": f"stopped: the worker died: {e}",
                "skipped": False, "cycles": 0}


def _run_on_dask(tasks, scheduler: str, study, progress: bool) -> list[dict]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise SweepError("--scheduler needs dask.distributed: pip install "
                         "\"afb[dask]\"") from None
    try:
        client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError) as e:
        raise SweepError(f"--scheduler {scheduler}: cannot connect: {e}") from None
    bar = _Progress(tasks, study, progress)
    finished = {}
    try:
        futures = {client.submit(run_case, t, pure=False, key=f"afb-case-{t.index}-"
                                 f"{time.time_ns()}"): t for t in tasks}
        # (the bar moves as cases finish: the cluster's workers, not this process,
        # watch the run files)
        for future in as_completed(list(futures)):
            task = futures[future]
            finished[task.index] = _result_of(future, task)
            bar.poll(finished)
    finally:
        bar.close()
        client.close()
    return list(finished.values())


# --- results -----------------------------------------------------------------------------------


def load_sweep(folder) -> xr.Dataset:
    """A sweep's results: per-cycle values with a ``case`` dimension (the varied
    quantities as coordinates) x ``cycle``, or, for a grid, one dimension per varied
    quantity x ``cycle``; each case's ``status`` ("not run" for a case without a
    file) and its figures of merit (:func:`figures_of_merit`)."""
    from .results import combine
    from .store import RunFileError, load

    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise SweepError(f"{folder}: not a sweep folder (no {MANIFEST})") from None
    runs, missing = {}, []
    for i, case in enumerate(manifest["cases"]):
        path = folder / case["file"]
        try:
            runs[i] = load(path)
        except (RunFileError, OSError):
            missing.append(i)
    n = len(manifest["cases"])
    status = ["not run"] * n
    for i, run in runs.items():
        status[i] = run.status
    # (a case that stopped before its first cycle has a status and no values)
    with_cycles = {i: runs[i] for i in sorted(runs) if runs[i].cycles.sizes.get("cycle", 0)}
    if with_cycles:
        ds = combine(with_cycles, dim="case").drop_vars("status")
        ds = ds.reindex(case=list(range(n)))
    else:
        ds = xr.Dataset(coords={"case": range(n)})
    ds["status"] = ("case", status)
    ds = ds.merge(figures_of_merit(ds))
    varied = manifest["varied"]
    for name in varied:
        values = [case["values"].get(name) for case in manifest["cases"]]
        ds = ds.assign_coords({name: ("case", _coordinate(values))})
    ds = ds.assign_coords(label=("case", [c["label"] for c in manifest["cases"]]))
    ds.attrs.update({"sweep": manifest["name"], "study": manifest["study"],
                     "kind": manifest["kind"], "varied": json.dumps(varied)})
    if manifest["kind"] == "grid" and varied:
        ds = ds.drop_vars("label").set_index(case=varied).unstack("case")
        # each dimension in the order the study gives its values (unstack sorts them)
        ds = ds.reindex({name: _coordinate(manifest["grid"][name]) for name in varied})
        ds = ds.transpose(*varied, ...)
    return ds


def sweep_table(ds: xr.Dataset) -> str:
    """The table ``afb show DIR`` prints: a row per case, its varied values, status
    and figures of merit."""
    varied = json.loads(ds.attrs.get("varied", "[]"))
    flat = ds.stack(case=varied) if ds.attrs.get("kind") == "grid" and varied else ds
    to_mAh = 1e3
    head = [*varied, "status", "to 80 %", "CE 1st", "mean CE",
            *(c.label for c in LOSS_CHANNELS)]
    rows = []
    for i in range(flat.sizes["case"]):
        c = flat.isel(case=i)
        merit = c.get("Cycles to 80 %")
        n = int(c["cycle"].size) if "cycle" in c.dims else 0
        to80 = ("-" if merit is None else f"{int(merit)}" if np.isfinite(merit)
                else f">{n}")
        def loss(name):
            v = c.get(name)
            return "-" if v is None or not np.isfinite(v) else f"{to_mAh * float(v):.3f}"
        def pct(name):
            v = c.get(name)
            return "-" if v is None or not np.isfinite(v) else f"{100 * float(v):.3f}"
        status = str(c["status"].values)
        rows.append([*(_text(c[v].values) for v in varied), status[:40], to80,
                     pct("First-cycle CE"), pct("Mean CE"),
                     *(loss(_total(c.loss_name)) for c in LOSS_CHANNELS)])
    widths = [max(len(h), *(len(r[j]) for r in rows)) for j, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(x.ljust(w) for x, w in zip(r, widths)) for r in rows]
    lines.append("CE in %; losses: metal lost over the run by mechanism [mAh]")
    return "\n".join(lines)


def _coordinate(values) -> np.ndarray:
    """A varied quantity's values over the cases: numbers as floats, the rest as
    text; a case that does not set it (a list of cases) has NaN or ""."""
    given = [v for v in values if v is not None]
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in given):
        return np.asarray([np.nan if v is None else v for v in values], dtype=float)
    return np.asarray(["" if v is None else str(v) for v in values])


def _text(value) -> str:
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float):
        return "-" if not np.isfinite(value) else f"{value:.6g}"
    return str(value) or "-"


def _total(loss: str) -> str:
    """The run total of a per-cycle loss: "SEI loss" -> "Total SEI loss", "Dead metal
    loss" -> "Total dead metal loss"."""
    word = loss.split()[0]
    return f"Total {loss if word.isupper() else loss[0].lower() + loss[1:]}"


def figures_of_merit(ds: xr.Dataset) -> xr.Dataset:
    """Per case: cycles to 80 % retention (NaN if it never fell that far), the first
    cycle's CE, the mean CE after it, and the metal lost by each mechanism over the
    run [A.h]."""
    out = {}
    if "Retention" in ds:
        below = ds["Retention"] < 80
        first = below.argmax("cycle")
        cycles = ds["cycle"].values
        out["Cycles to 80 %"] = xr.where(below.any("cycle"), cycles[first.values], np.nan)
        ce = ds["Coulombic efficiency"]
        out["First-cycle CE"] = ce.isel(cycle=0)
        out["Mean CE"] = ce.isel(cycle=slice(1, None)).mean("cycle")
        for name in (*(c.loss_name for c in LOSS_CHANNELS), "Metal loss"):
            if name in ds:
                out[_total(name)] = ds[name].sum("cycle", min_count=1)
    return xr.Dataset(out)


# --- the public call ----------------------------------------------------------------------------


def sweep(cell, protocol, *, cases: Iterable[Mapping] | None = None,
          grid: Mapping[str, list] | None = None, sample: Mapping | None = None,
          options: Mapping[str, str] | None = None, cycles: int | None = None,
          workers: int | None = None, scheduler: str | None = None, out=None,
          progress: bool = False, accelerate=False) -> xr.Dataset:
    """Run ``cell`` through ``protocol`` for every case; return :func:`load_sweep`'s
    Dataset.

    ``cases`` (a list of {name: value}), ``grid`` ({name: [values]}) or ``sample``
    ({"n", "seed", "ranges"}): what varies (see the module's docstring for the
    names). ``workers``: local processes (default: the cores); ``scheduler``: the
    address of a ``dask.distributed`` scheduler to run on instead (the workers must
    reach ``out``). ``out``: the folder for the run files (a temporary one if not
    given); running again into the same folder continues the sweep. ``accelerate``:
    skip cycles in every case (True, or a dict of settings; see
    :func:`afb_models.simulate`).
    """
    import tempfile

    from .acceleration import Acceleration

    if isinstance(protocol, str) and "\n" not in protocol or isinstance(protocol, Path):
        text, where = _protocol_text(protocol)
    else:
        text, where = protocol, "<protocol text>"
    kind, case_list, grid_spec = make_cases(cases=list(cases) if cases else None,
                                            grid=grid, sample=sample)
    study = Study(cell=cell, protocol_text=text, protocol_where=where, cases=case_list,
                  kind=kind, grid=grid_spec, options=dict(options or {}), cycles=cycles,
                  accelerate=Acceleration.settings_of(accelerate, "accelerate",
                                                      SweepError))
    if out is None:
        with tempfile.TemporaryDirectory() as folder:
            run_study(study, folder, workers=workers, scheduler=scheduler,
                      progress=progress)
            return load_sweep(folder).load()
    run_study(study, out, workers=workers, scheduler=scheduler, progress=progress)
    return load_sweep(out)


def failed(results: list[dict]) -> list[dict]:
    """The cases that did not end as their protocol says."""
    return [r for r in results if not is_finished(r["status"])]


__all__ = ["SweepError", "Study", "failed", "figures_of_merit", "load_study",
           "load_sweep", "run_study", "sweep", "sweep_table"]
