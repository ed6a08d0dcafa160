"""The cycle-skipping benchmark (``afb bench skip``): what ``--accelerate`` buys and
what it costs, against full runs in the same process.

* Speed: 1000 cycles of the default cell with a reservoir that lasts them (N/P 120:
  a metal layer 120 times the cathode's capacity, so that the cell drifts without a
  knee), solved in full and accelerated; and 10,000 cycles of it accelerated, as
  ``afb run --accelerate --cycles 10000 --out`` in a child process (whole process:
  start-up, build, file; target under 60 s on 2 cores).
* Accuracy: the default cell to 80 % of its capacity and the anode-less N/P 0.2 cell
  through its knee, full and accelerated: the largest difference in discharge
  capacity at any cycle (target 0.5 %), the cycle the run ends on (1 % or one cycle),
  and each mechanism's cumulative loss (1 %).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

#: the reservoir (N/P ratio) of the speed cases: lasts 10,000 cycles of the default
#: cell (its knee comes after ~11,000)
LONG_LIFE_NP = 120
TARGETS = {
    "10,000 cycles wall [s]": 60.0,
    "capacity error": 5e-3,
    "loss error": 1e-2,
}
LOSSES = ("Dead metal loss", "SEI loss", "Collector SEI loss", "Corrosion loss")


def _cell_file(folder: Path, np_ratio: float) -> Path:
    path = folder / f"np_{np_ratio:g}.toml"
    path.write_text(f'base = "AFB_Li_NMC532_Cu"\nnp_ratio = {np_ratio}\n')
    return path


def _timed(cell, cycles=None, accelerate=False):
    import afb_models

    start = time.perf_counter()
    run = afb_models.simulate(cell, "louli2020", cycles=cycles, accelerate=accelerate)
    return run, time.perf_counter() - start


def compare(full, fast) -> dict:
    """The accelerated run ``fast`` against the full run ``full``."""
    n_full, n_fast = full.cycles.sizes["cycle"], fast.cycles.sizes["cycle"]
    n = min(n_full, n_fast)
    q_full = full.cycles["Discharge capacity"].values[:n]
    q_fast = fast.cycles["Discharge capacity"].values[:n]
    losses = {}
    for name in LOSSES:
        a, b = fast.cycles[name].values[:n].sum(), full.cycles[name].values[:n].sum()
        # (a mechanism that does not act, e.g. corrosion on a collector the
        # reservoir keeps covered, is right when it stays at nothing)
        losses[name] = float(abs(a - b) / abs(b)) if b != 0 else (0.0 if a == 0 else np.inf)
    return {
        "cycles (full, accelerated)": [n_full, n_fast],
        "status (full, accelerated)": [full.status, fast.status],
        "solved in full": int(fast.cycles["Solved in full"].values.sum()),
        "capacity error": float(np.max(np.abs(q_fast - q_full) / q_full)),
        "loss errors": losses,
    }


def ten_thousand(folder: Path) -> dict:
    """``afb run --accelerate --cycles 10000`` in a child process."""
    from .perf import _child

    cell = _cell_file(folder, LONG_LIFE_NP)
    out = folder / "life.h5"
    printed = []
    wall, rss = _child(["-m", "afb_models.cli", "run", "--accelerate", "--cycles", "10000",
                        "--cell", str(cell), "--out", str(out)], printed)
    import afb_models

    run = afb_models.load(out)
    return {"cycles": int(run.cycles.sizes["cycle"]), "status": run.status,
            "solved in full": int(run.cycles["Solved in full"].values.sum()),
            "wall [s]": wall, "peak RSS [MB]": rss,
            "file size [MB]": out.stat().st_size / 2**20}


def run_skip_benchmark(progress=print) -> dict:
    from .perf import machine

    results = {"machine": machine(), "targets": TARGETS}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        long_life = _cell_file(folder, LONG_LIFE_NP)
        full, t_full = _timed(long_life, 1000)
        fast, t_fast = _timed(long_life, 1000, accelerate=True)
        results["1000 cycles"] = {"full wall [s]": t_full, "accelerated wall [s]": t_fast,
                                  "speed-up": t_full / t_fast, **compare(full, fast)}
        progress(f"1000 cycles: {t_full:.1f} s in full, {t_fast:.1f} s accelerated")
        results["10,000 cycles"] = ten_thousand(folder)
        progress(f"10,000 cycles: {results['10,000 cycles']['wall [s]']:.1f} s")
        results["accuracy"] = []
        for label, cell in (("default cell to 80 %", "AFB_Li_NMC532_Cu"),
                            ("N/P 0.2 through its knee", _cell_file(folder, 0.2))):
            full, t_full = _timed(cell)
            fast, t_fast = _timed(cell, accelerate=True)
            row = {"case": label, "full wall [s]": t_full, "accelerated wall [s]": t_fast,
                   "speed-up": t_full / t_fast, **compare(full, fast)}
            results["accuracy"].append(row)
            progress(f"{label}: capacity within {row['capacity error']:.2e}, "
                     f"{t_full:.1f} s / {t_fast:.1f} s")
    return results


def failures(results: dict) -> list[str]:
    missed = []
    ten = results["10,000 cycles"]
    if ten["wall [s]"] > TARGETS["10,000 cycles wall [s]"] or ten["cycles"] != 10000:
        missed.append(f"10,000 cycles: {ten['cycles']} cycles in {ten['wall [s]']:.0f} s")
    for row in [results["1000 cycles"], *results["accuracy"]]:
        name = row.get("case", "1000 cycles")
        if row["capacity error"] > TARGETS["capacity error"]:
            missed.append(f"{name}: capacity error {row['capacity error']:.2e}")
        worst = max(row["loss errors"].values())
        if worst > TARGETS["loss error"]:
            missed.append(f"{name}: loss error {worst:.2e}")
        n_full, n_fast = row["cycles (full, accelerated)"]
        if abs(n_full - n_fast) > max(1, 0.01 * n_full):
            missed.append(f"{name}: ends at cycle {n_fast}, the full run at {n_full}")
    return missed


def markdown(results: dict) -> str:
    """The skip section of benchmarks/RESULTS.md."""
    m = results["machine"]
    one = results["1000 cycles"]
    ten = results["10,000 cycles"]
    worst_one = max(one["loss errors"], key=one["loss errors"].get)
    lines = [
        "## Cycle skipping (`afb bench skip`, `--accelerate` at its default tolerance 1e-3)",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores; {m['date']}. Speed: the default cell "
        f"with a reservoir of N/P {LONG_LIFE_NP} (it lasts the run), louli2020.",
        "",
        "| run | cycles | solved in full | wall [s] | speed-up | target |",
        "|---|---|---|---|---|---|",
        f"| 1000 cycles, every cycle solved | 1000 | 1000 | {one['full wall [s]']:.1f} | | |",
        f"| 1000 cycles, accelerated | 1000 | {one['solved in full']} | "
        f"{one['accelerated wall [s]']:.1f} | {one['speed-up']:.1f} | |",
        f"| 10,000 cycles, accelerated (`afb run`, whole process, to a file of "
        f"{ten['file size [MB]']:.1f} MB) | {ten['cycles']} | {ten['solved in full']} | "
        f"{ten['wall [s]']:.1f} | | < {TARGETS['10,000 cycles wall [s]']:.0f} s |",
        "",
        f"1000 cycles accelerated against every cycle solved: capacity within "
        f"{one['capacity error']:.1e} at every cycle, each mechanism's loss within "
        f"{one['loss errors'][worst_one]:.1e} ({worst_one}; a mechanism that does not "
        "act under the reservoir, the collector's SEI and corrosion, stays at nothing "
        "in both).",
        "",
        "Accuracy against full runs (targets: capacity within 0.5 % at every cycle, the "
        "last cycle within 1 % or one cycle, each mechanism's loss within 1 %):",
        "",
        "| case | cycles (full / accelerated) | solved in full | capacity error | "
        "worst loss error | wall full / accelerated [s] |",
        "|---|---|---|---|---|---|",
    ]
    for row in results["accuracy"]:
        n_full, n_fast = row["cycles (full, accelerated)"]
        worst = max(row["loss errors"], key=row["loss errors"].get)
        lines.append(
            f"| {row['case']} | {n_full} / {n_fast} | {row['solved in full']} | "
            f"{row['capacity error']:.1e} | {row['loss errors'][worst]:.1e} ({worst}) | "
            f"{row['full wall [s]']:.1f} / {row['accelerated wall [s]']:.1f} |")
    missed = failures(results)
    lines += ["", "Targets missed: " + ("; ".join(missed) if missed else "none") + "."]
    return "\n".join(lines) + "\n"
