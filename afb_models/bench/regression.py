"""Reference cases: run, compare with stored results, regenerate.

A case file (``benchmarks/cases/NAME.toml``)::

    description = "Li anode-free cell, Louli 2020 formation + 100 cycles"
    cell = "AFB_Li_NMC532_Cu"          # parameter set or cell file
    protocol = "louli2020"             # shipped protocol name or file
    cycles = 101                       # optional: cut the protocol
    options = "calibrated"             # or a table of model options, on top of the
                                       # calibrated ones (as `afb run --option`)
    fast = false                       # run by CI (`afb bench check --fast`)

    [tolerances]                       # per quantity: rtol and/or atol
    "Discharge capacity [A.h]" = { rtol = 1e-6 }

Its reference (``benchmarks/references/NAME.json``) holds the per-cycle values of the
quantities with a tolerance, the run's measurements and a record of every update with
its reason, date and versions.
"""

from __future__ import annotations

import json
import platform
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pybamm

from ..options import CALIBRATED_OPTIONS
from ..study import simulate

_CASE_KEYS = {"description", "cell", "protocol", "cycles", "options", "fast", "tolerances"}


class BenchError(ValueError):
    """A case or reference that cannot be read; the message names the file and key."""


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    description: str
    cell: str
    protocol: str
    cycles: int | None
    options: dict
    fast: bool
    tolerances: dict = field(default_factory=dict)  # quantity -> {"rtol", "atol"}


def _case_from(path: Path) -> Case:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise BenchError(f"{path}: not valid TOML: {e}") from None
    unknown = set(data) - _CASE_KEYS
    if unknown:
        raise BenchError(
            f"{path}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_CASE_KEYS)}"
        )
    for key in ("cell", "protocol", "tolerances"):
        if key not in data:
            raise BenchError(f"{path}: '{key}' is missing")
    options = data.get("options", "calibrated")
    if options == "calibrated":
        options = dict(CALIBRATED_OPTIONS)  # (what the study layer adds anyway)
    elif not isinstance(options, dict):
        raise BenchError(f"{path}: 'options' must be \"calibrated\" or a table")
    tolerances = {}
    for quantity, tol in data["tolerances"].items():
        if not isinstance(tol, dict) or not set(tol) <= {"rtol", "atol"} or not tol:
            raise BenchError(
                f"{path}: tolerances.'{quantity}': give {{ rtol = ... }} and/or "
                "{ atol = ... }"
            )
        tolerances[quantity] = {"rtol": float(tol.get("rtol", 0.0)),
                                "atol": float(tol.get("atol", 0.0))}
    cycles = data.get("cycles")
    if cycles is not None and (not isinstance(cycles, int) or cycles < 1):
        raise BenchError(f"{path}: 'cycles' must be a positive integer")
    return Case(
        name=path.stem,
        path=path,
        description=str(data.get("description", "")),
        cell=str(data["cell"]),
        protocol=str(data["protocol"]),
        cycles=cycles,
        options=options,
        fast=bool(data.get("fast", False)),
        tolerances=tolerances,
    )


def load_cases(folder: str | Path, names=None, fast_only: bool = False) -> list[Case]:
    """The cases of ``folder``/cases, all or those named, optionally only the fast."""
    folder = Path(folder)
    case_dir = folder / "cases"
    if not case_dir.is_dir():
        raise BenchError(
            f"{case_dir}: no such folder (run from the repository root, or pass --dir)"
        )
    cases = {p.stem: _case_from(p) for p in sorted(case_dir.glob("*.toml"))}
    if names:
        missing = [n for n in names if n not in cases]
        if missing:
            raise BenchError(
                f"{case_dir}: no case {', '.join(missing)}; known: {', '.join(cases)}"
            )
        cases = {n: cases[n] for n in names}
    return [c for c in cases.values() if c.fast or not fast_only]


def run_case(case: Case) -> dict:
    """Run ``case`` through the study layer (as ``afb run`` would); return its
    quantities: per-cycle lists for every quantity with a tolerance, and the
    protocol's measurements."""
    run = simulate(case.cell, case.protocol, options=case.options, cycles=case.cycles)
    if not run.finished:
        raise BenchError(f"{case.path}: the run did not finish: {run.status}")
    by_full_name = {
        var.attrs.get("long_name", name): name for name, var in run.cycles.variables.items()
    }
    quantities = {}
    for name in case.tolerances:
        if name in by_full_name:
            quantities[name] = [float(v) for v in run.cycles[by_full_name[name]].values]
    for name, value in run.measurements.items():
        quantities[name] = [float(value)]
    unknown = set(case.tolerances) - set(quantities)
    if unknown:
        raise BenchError(
            f"{case.path}: tolerances name quantities the run does not have: "
            f"{sorted(unknown)}"
        )
    return {"cycles": run.cycles.sizes["cycle"], "quantities": quantities}


@dataclass
class Drift:
    case: str
    quantity: str
    max_abs: float
    max_rel: float
    tolerance: dict
    ok: bool
    note: str = ""


@dataclass
class DriftReport:
    drifts: list[Drift]

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.drifts)

    def table(self) -> str:
        lines = [f"{'case':24s} {'quantity':36s} {'max |diff|':>11s} {'max rel':>9s} "
                 f"{'tolerance':>22s}  result"]
        for d in self.drifts:
            tol = ", ".join(f"{k} {v:g}" for k, v in d.tolerance.items() if v) or "-"
            lines.append(
                f"{d.case:24s} {d.quantity:36s} {d.max_abs:11.3g} {d.max_rel:9.2g} "
                f"{tol:>22s}  {'ok' if d.ok else 'DRIFT'}{(' ' + d.note) if d.note else ''}"
            )
        return "\n".join(lines)


def _reference_path(folder: Path, case: Case) -> Path:
    return Path(folder) / "references" / f"{case.name}.json"


def read_reference(folder, case: Case) -> dict:
    path = _reference_path(folder, case)
    if not path.is_file():
        raise BenchError(
            f"{path}: no reference for case '{case.name}'; create it with "
            f"afb bench update {case.name} --reason \"...\""
        )
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise BenchError(f"{path}: not valid JSON: {e}") from None


def compare(case: Case, result: dict, reference: dict) -> list[Drift]:
    """Each quantity's largest deviation from the reference, against its tolerance:
    |new - ref| <= atol + rtol |ref| at every cycle (numpy.isclose's rule)."""
    drifts = []
    ref_quantities = reference["quantities"]
    for name, tol in case.tolerances.items():
        new = np.asarray(result["quantities"].get(name, []), dtype=float)
        if name not in ref_quantities:
            drifts.append(Drift(case.name, name, np.nan, np.nan, tol, False,
                                "(not in the reference)"))
            continue
        ref = np.asarray(ref_quantities[name], dtype=float)
        if new.shape != ref.shape:
            drifts.append(Drift(case.name, name, np.nan, np.nan, tol, False,
                                f"({new.size} values, reference has {ref.size})"))
            continue
        both_nan = np.isnan(new) & np.isnan(ref)
        diff = np.where(both_nan, 0.0, np.abs(new - ref))
        scale = np.where(both_nan, 1.0, np.abs(ref))
        allowed = tol["atol"] + tol["rtol"] * scale
        ok = bool(np.all(diff <= allowed))  # a NaN on one side only is a drift
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(scale > 0, diff / scale, np.where(diff > 0, np.inf, 0.0))
        drifts.append(Drift(case.name, name, float(np.nanmax(diff, initial=0)),
                            float(np.nanmax(rel, initial=0)), tol, ok))
    return drifts


def check(cases, folder, progress=None) -> DriftReport:
    """Re-run ``cases`` and compare each with its reference in ``folder``."""
    drifts = []
    for case in cases:
        reference = read_reference(folder, case)  # before the run: fail fast
        if progress:
            progress(case)
        drifts.extend(compare(case, run_case(case), reference))
    return DriftReport(drifts)


def _versions() -> dict:
    import afb_models

    return {
        "afb": afb_models.__version__,
        "pybamm": pybamm.__version__,
        "python": platform.python_version(),
        "machine": platform.platform(),
    }


def update(cases, folder, reason: str, progress=None) -> list[Path]:
    """Re-run ``cases`` and store their results as the new references, recording
    ``reason`` with the date and versions. Returns the files written."""
    if not reason or not reason.strip():
        raise BenchError("update: give the reason for the new references (--reason)")
    written = []
    for case in cases:
        if progress:
            progress(case)
        result = run_case(case)
        path = _reference_path(folder, case)
        history = []
        if path.is_file():
            try:
                history = json.loads(path.read_text()).get("history", [])
            except json.JSONDecodeError:
                history = []
        entry = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 "reason": reason.strip(), **_versions()}
        data = {"case": case.name, "description": case.description,
                "cycles": result["cycles"], "quantities": result["quantities"],
                "history": history + [entry]}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n")
        tmp.replace(path)  # never a half-written reference
        written.append(path)
    return written
