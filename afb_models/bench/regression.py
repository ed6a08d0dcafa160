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
quantities with a tolerance, the run's measurements, the fingerprint of what the run
was made of (afb and PyBaMM versions; hashes of the cell's parameter values, the model
options and the protocol; the options themselves) and a record of every update with
its reason, date and versions.

``check`` reports, per quantity, the cycle where it differs most from the reference
against its tolerance, both values there, the direction and how many cycles are
beyond the tolerance; for a case that drifted it prints the reference's recorded
reasons, and for every case whose fingerprint differs from the reference's, what
differs.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import platform
import textwrap
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pybamm

from ..errors import BenchError  # (re-exported: bench.BenchError)
from ..options import CALIBRATED_OPTIONS
from ..study import simulate

_CASE_KEYS = {"description", "cell", "protocol", "cycles", "options", "fast", "tolerances"}


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
    per_cycle = [name for name in quantities if name not in run.measurements]
    return {"cycles": run.cycles.sizes["cycle"], "quantities": quantities,
            "per cycle": per_cycle}


# --- fingerprints --------------------------------------------------------------------

#: what a fingerprint holds: the inputs of the run (a change of any is a likely cause
#: of a drift) and the versions of the code (informational: afb's version does not
#: move with every change of its code)
_INPUTS = ("parameters", "options", "protocol")
_VERSIONS = ("afb", "pybamm")
_VERSION_NAMES = {"afb": "afb", "pybamm": "PyBaMM"}


def _code_text(obj) -> str:
    """The code of a function or class as parsed, so that comments, docstrings and
    layout do not count; its source text where it does not parse alone (a lambda
    within a call), its qualified name where there is no source."""
    try:
        source = inspect.getsource(obj)
    except (OSError, TypeError):
        return getattr(obj, "__qualname__", type(obj).__qualname__)
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return source
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def _describe(value, depth: int = 0, within: tuple = ()) -> str:
    """A parameter value as text that changes when what it computes changes: a number
    by its exact value, an array by a hash of its data, a function by its code, the
    values it closes over and the functions and constants of its own module it
    calls, a callable object by its class's code and its attributes. (The cell
    fingerprint names functions only: a changed OCP curve under the same name would
    go unseen.) ``within``: the callables being described, to stop at a cycle (by
    identity: they are alive while described, so their ids are their own)."""
    if value is None or isinstance(value, (bool, int, float, str, np.number)):
        return repr(value.item() if isinstance(value, np.number) else value)
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        return f"array{data.shape}:{hashlib.sha256(data.tobytes()).hexdigest()}"
    if depth > 8 or id(value) in within:
        return getattr(value, "__qualname__", type(value).__qualname__)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_describe(v, depth + 1, within) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(
            f"{k!r}: {_describe(v, depth + 1, within)}"
            for k, v in sorted(value.items(), key=lambda item: str(item[0]))
        ) + "}"
    if inspect.ismodule(value) or inspect.isclass(value):
        return f"{value.__module__}.{value.__qualname__}" if inspect.isclass(value) \
            else value.__name__
    within = (*within, id(value))
    if inspect.isfunction(value):
        text, functions = [_code_text(value)], [value]
    elif callable(value) and hasattr(value, "__dict__"):
        cls = type(value)
        text = [_code_text(cls), _describe(vars(value), depth + 1, within)]
        functions = [f for f in vars(cls).values() if inspect.isfunction(f)]
    else:
        return getattr(value, "__qualname__", type(value).__qualname__)
    for function in functions:
        try:
            closure = inspect.getclosurevars(function)
        except (TypeError, ValueError):
            continue
        # helpers and constants of the function's own module (an Arrhenius factor,
        # a reference temperature); not those of the libraries it calls
        own = {
            name: g for name, g in closure.globals.items()
            if not name.startswith("__") and not inspect.ismodule(g)
            and getattr(g, "__module__", function.__module__) == function.__module__
        }
        text.append(_describe([dict(closure.nonlocals), own], depth + 1, within))
    return "\n".join(text)


def _hash(*parts) -> str:
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def case_fingerprint(case: Case) -> dict:
    """What the case's run is made of: the afb and PyBaMM versions, and hashes of the
    cell's parameter values (with the code of its functions), of the model options
    the run uses (the calibrated ones, the cell's, the case's, defaults filled in)
    and of the protocol as cut; ``option values``: those options, to name a change.
    Reads the cell and protocol; builds nothing."""
    import afb_models

    from ..cells import fingerprint
    from ..study import resolve_cell, resolve_options, resolve_protocol

    cell = resolve_cell(case.cell)
    options = resolve_options(cell, case.options)
    protocol = resolve_protocol(case.protocol, cell.parameter_values, case.cycles)
    values = cell.parameter_values
    functions = {
        name: _describe(value) for name, value in values.items()
        if not isinstance(value, (int, float, np.number))
    }
    return {
        "afb": afb_models.__version__,
        "pybamm": pybamm.__version__,
        "parameters": fingerprint(values, cell.configuration, functions),
        "options": _hash(options),
        "protocol": _hash(protocol.text, protocol.n_cycles),
        "option values": options,
    }


def fingerprint_change(case_name: str, recorded, current: dict, drifted: bool) -> str | None:
    """One line on how ``current`` differs from the reference's ``recorded``
    fingerprint, or None if it does not."""
    if not recorded:
        return (f"{case_name}: the reference has no fingerprint (made before they were "
                "recorded); `afb bench update` records one")
    inputs = [key for key in _INPUTS if recorded.get(key) != current[key]]
    versions = [
        f"{_VERSION_NAMES[key]} {recorded.get(key)} -> {current[key]}"
        for key in _VERSIONS if recorded.get(key) != current[key]
    ]
    if not inputs and not versions:
        return None
    parts = []
    for key in inputs:
        if key == "options" and isinstance(recorded.get("option values"), dict):
            old, new = recorded["option values"], current["option values"]
            changed = [
                f"'{name}' {old.get(name, '(none)')} -> {new.get(name, '(none)')}"
                for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)
            ]
            parts.append("options (" + ", ".join(changed) + ")" if changed else "options")
        else:
            parts.append(key)
    line = f"{case_name}: fingerprint differs from the reference's: " + ", ".join(
        parts + versions)
    if inputs:
        return line + ("; the likely cause of its drift" if drifted
                       else "; every quantity is still within its tolerance")
    return line + " (versions only: parameters, options and protocol are the reference's)"


# --- comparison -----------------------------------------------------------------------


@dataclass
class Drift:
    """One quantity of one case against its reference. ``cycle`` (numbered from 1;
    None for a single value or where nothing differs), ``reference`` and ``new``:
    where the difference is largest against its tolerance; ``beyond``: how many of
    the ``count`` values are beyond the tolerance."""

    case: str
    quantity: str
    max_abs: float
    max_rel: float
    tolerance: dict
    ok: bool
    note: str = ""
    cycle: int | None = None
    reference: float = np.nan
    new: float = np.nan
    beyond: int = 0
    count: int = 0

    @property
    def direction(self) -> str:
        if self.max_abs == 0:
            return "none"
        if np.isnan(self.reference) and np.isnan(self.new):
            return "-"
        if np.isnan(self.new):
            return "new NaN"
        if np.isnan(self.reference):
            return "ref NaN"
        if self.new == self.reference:
            return "same"
        return "higher" if self.new > self.reference else "lower"


def _fmt(value: float) -> str:
    # 12 significant digits: a quantity held to rtol 1e-9 shows its drift
    return "-" if np.isnan(value) else f"{value:.12g}"


@dataclass
class DriftReport:
    drifts: list[Drift]
    #: case -> the line on its fingerprint (see :func:`fingerprint_change`)
    fingerprints: dict = field(default_factory=dict)
    #: case -> its reference's history (date, reason, versions of every update)
    histories: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.drifts)

    def drifted_cases(self) -> list[str]:
        return list(dict.fromkeys(d.case for d in self.drifts if not d.ok))

    def table(self) -> str:
        """A row per quantity: the cycle where it differs most from the reference
        against its tolerance, both values there, the direction, the relative
        difference, the tolerance and how many values are beyond it."""
        header = ["case", "quantity", "cycle", "reference", "new", "change", "rel. diff",
                  "tolerance", "beyond tol.", "result"]
        rows = []
        for d in self.drifts:
            tol = ", ".join(f"{k} {v:g}" for k, v in d.tolerance.items() if v) or "-"
            rows.append([
                d.case, d.quantity, "-" if d.cycle is None else str(d.cycle),
                _fmt(d.reference), _fmt(d.new), d.direction,
                "-" if np.isnan(d.max_rel) else f"{d.max_rel:.2g}", tol,
                f"{d.beyond} of {d.count}" if d.count else "-",
                ("ok" if d.ok else "DRIFT") + (f" {d.note}" if d.note else ""),
            ])
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        right = {2, 3, 4, 6, 8}  # numbers
        return "\n".join(
            "  ".join(c.rjust(w) if i in right else c.ljust(w)
                      for i, (c, w) in enumerate(zip(r, widths))).rstrip()
            for r in [header, *rows]
        )

    def notes(self) -> str:
        """The fingerprint line of every case whose fingerprint differs, and the
        recorded reasons of the reference of every case that drifted."""
        lines = []
        for name in dict.fromkeys(d.case for d in self.drifts):
            if self.fingerprints.get(name):
                lines.append(self.fingerprints[name])
            if name in self.drifted_cases():
                lines.append(f"{name}: drift; the reasons its reference was recorded for, "
                             "oldest first:")
                for entry in self.histories.get(name, []):
                    lines.append(
                        f"  {str(entry.get('date', '?'))[:10]} (afb {entry.get('afb', '?')}, "
                        f"PyBaMM {entry.get('pybamm', '?')}): {entry.get('reason', '?')}"
                    )
        return "\n".join(lines)

    def text(self) -> str:
        notes = self.notes()
        return self.table() + ("\n\n" + notes if notes else "")


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
        reference = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise BenchError(f"{path}: not valid JSON: {e}") from None
    if not isinstance(reference, dict) or not isinstance(reference.get("quantities"), dict):
        raise BenchError(f"{path}: 'quantities' is missing; regenerate it with afb bench "
                         f"update {case.name} --reason \"...\"")
    if not isinstance(reference.get("fingerprint", {}), dict):
        raise BenchError(f"{path}: 'fingerprint' must be a table of versions and hashes")
    if not isinstance(reference.get("history", []), list):
        raise BenchError(f"{path}: 'history' must be a list of records")
    return reference


def compare(case: Case, result: dict, reference: dict) -> list[Drift]:
    """Each quantity against the reference and its tolerance:
    |new - ref| <= atol + rtol |ref| at every cycle (numpy.isclose's rule); a NaN on
    one side only is beyond any tolerance."""
    drifts = []
    ref_quantities = reference["quantities"]
    per_cycle = result.get("per cycle")
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
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(scale > 0, diff / scale, np.where(diff > 0, np.inf, 0.0))
            # how many times its tolerance each value is off; where the reference is
            # zero a relative difference is infinite even within an atol, so the
            # cycle shown is the one furthest beyond the tolerance, not in rel
            excess = np.where(allowed > 0, diff / allowed, np.where(diff > 0, np.inf, 0.0))
        excess = np.where(np.isnan(diff), np.inf, excess)
        beyond = ~(diff <= allowed)  # NaN compares False: a NaN on one side is beyond
        drift = Drift(case.name, name, float(np.nanmax(diff, initial=0)),
                      np.nan, tol, not beyond.any(), beyond=int(beyond.sum()),
                      count=int(new.size))
        if new.size and (excess.max() > 0 or beyond.any()):
            i = int(np.argmax(excess))
            drift.reference, drift.new = float(ref[i]), float(new[i])
            drift.max_rel = float(rel[i])
            is_per_cycle = (name in per_cycle if per_cycle is not None
                            else new.size == result.get("cycles"))
            drift.cycle = i + 1 if is_per_cycle else None
        else:
            drift.max_rel = 0.0
        drifts.append(drift)
    return drifts


def check(cases, folder, progress=None) -> DriftReport:
    """Re-run ``cases`` and compare each with its reference in ``folder``; compare
    their fingerprints too."""
    report = DriftReport([])
    for case in cases:
        reference = read_reference(folder, case)  # before the run: fail fast
        current = case_fingerprint(case)
        if progress:
            progress(case)
        drifts = compare(case, run_case(case), reference)
        report.drifts.extend(drifts)
        report.histories[case.name] = reference.get("history", [])
        report.fingerprints[case.name] = fingerprint_change(
            case.name, reference.get("fingerprint"), current,
            drifted=not all(d.ok for d in drifts),
        )
    return report


def _versions() -> dict:
    import afb_models

    return {
        "afb": afb_models.__version__,
        "pybamm": pybamm.__version__,
        "python": platform.python_version(),
        "machine": platform.platform(),
    }


def update(cases, folder, reason: str, progress=None) -> list[Path]:
    """Re-run ``cases`` and store their results as the new references, with their
    fingerprints, recording ``reason`` with the date and versions. Returns the files
    written."""
    if not reason or not reason.strip():
        raise BenchError("update: give the reason for the new references (--reason)")
    written = []
    for case in cases:
        if progress:
            progress(case)
        current = case_fingerprint(case)
        result = run_case(case)
        path = _reference_path(folder, case)
        history = []
        if path.is_file():
            try:
                history = json.loads(path.read_text()).get("history", [])
            except (json.JSONDecodeError, AttributeError):
                history = []
        entry = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 "reason": reason.strip(), **_versions()}
        data = {"case": case.name, "description": case.description,
                "fingerprint": current,
                "cycles": result["cycles"], "quantities": result["quantities"],
                "history": history + [entry]}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n")
        tmp.replace(path)  # never a half-written reference
        written.append(path)
    return written
