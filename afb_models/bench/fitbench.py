"""The fitting benchmark (``afb bench fit``): three degradation parameters of the
default anode-free cell fitted to 100 cycles of synthetic data, as a user's fit runs.

The data: the cell run at known values of the SEI exchange current density, the
SEI formation fraction on fresh metal and the dead-metal fraction, through
:data:`PROTOCOL` (a C/10 formation, 20 cycles at C/5 with a
2-hour rest after each charge, 79 at C/2 / 1C), 60 points per step, written as a
BDF CSV with a cycler's noise (1 mV on the voltage, 1e-4 on the current). The fit:
from initial guesses a factor of 2 away, on discharge capacity and CE, with the
protocol reconstructed from the data, on ``workers`` processes. Reported: wall
time (target: under 10 minutes on 2 cores), model evaluations, and each value's
error and 95 % interval; then the same fit with the cycle skipper on
(``accelerate`` at :data:`FIT_ACCELERATION`), its wall time and values alike.
"""

from __future__ import annotations

import time
from pathlib import Path

#: the fitted parameters and their true values (the cell's calibrated ones)
TRUTH = {
    "SEI reaction exchange current density [A.m-2]": 1.5e-7,
    "SEI formation fraction on fresh metal": 1.05e-3,
    "Dead metal fraction at low current": 3.45e-3,
}
#: initial guesses: the truth times these
FACTORS = (2.0, 0.5, 2.0)
#: wall time target [s]
TARGET_WALL = 600.0
#: the cycle skipper's settings of the accelerated fit: a tolerance well below the
#: data's noise (the fit's finite differences see the skipper's error)
FIT_ACCELERATION = {"tolerance": 1e-4}
CELL = "AFB_Li_NMC532_Cu"
PROTOCOL = """name = "Anode-free cycling at two rates"
description = "Formation, 20 cycles at C/5 with a 2-hour rest after each charge, then C/2 / 1C."
cells = ["anode-free"]
temperature = "40 °C"

[[block]]
name = "formation"
steps = ["Charge at C/10 until 4.5 V", "Discharge at C/10 until 3.0 V"]

[[block]]
name = "slow"
repeat = 20
steps = ["Charge at C/5 until 4.5 V", "Rest for 2 hours", "Discharge at C/5 until 3.0 V"]

[[block]]
name = "fast"
repeat = 79
steps = ["Charge at C/2 until 4.5 V", "Discharge at 1C until 3.0 V"]
"""


def synthetic_data(path, cycles: int = 100, seed: int = 1, options=None):
    """Write the benchmark's noisy BDF CSV (60 points per step evenly in time, as a
    cycler logs); return the true run."""
    import afb_models
    from afb_models.data import write_bdf

    run = afb_models.simulate(CELL, PROTOCOL, inputs=TRUTH, cycles=cycles,
                              series_points=60, series_tolerance=0, options=options)
    write_bdf(run, path, voltage_noise=1e-3, current_noise=1e-4, seed=seed)
    return run


def run_fit_benchmark(folder, cycles: int = 100, workers: int = 2, progress=print) -> dict:
    """Make the data, fit it, and return what was measured."""
    from afb_models.fitting import fit

    from .perf import machine

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "fit_benchmark.csv"
    start = time.perf_counter()
    synthetic_data(data, cycles)
    made = time.perf_counter() - start
    progress(f"data: {cycles} cycles in {made:.1f} s")
    parameters = {name: {"initial": value * factor, "bounds": (value / 20, value * 20),
                         "log": True}
                  for (name, value), factor in zip(TRUTH.items(), FACTORS)}
    result = fit(CELL, data, parameters, workers=workers)
    progress(result.summary())
    accelerated = fit(CELL, data, parameters, workers=workers, accelerate=FIT_ACCELERATION)
    progress(accelerated.summary())
    return {
        "machine": machine(),
        "cycles": cycles,
        "workers": workers,
        "wall time [s]": result.wall_time,
        "evaluations": result.evaluations,
        "data made in [s]": made,
        "target wall time [s]": TARGET_WALL,
        "parameters": _recovered(result),
        "warnings": result.warnings,
        "accelerated": {
            "settings": FIT_ACCELERATION,
            "wall time [s]": accelerated.wall_time,
            "evaluations": accelerated.evaluations,
            "parameters": _recovered(accelerated),
            "warnings": accelerated.warnings,
        },
    }


def _recovered(result) -> dict:
    return {
        name: {"true": value, "fitted": result.values[name],
               "error [%]": 100 * (result.values[name] / value - 1),
               "ci95": list(result.ci95[name]),
               "inside ci95": bool(result.ci95[name][0] <= value <= result.ci95[name][1])}
        for name, value in TRUTH.items()
    }


def failures(results: dict) -> list[str]:
    missed = []
    if results["wall time [s]"] > TARGET_WALL:
        missed.append(f"fit wall time {results['wall time [s]']:.0f} s > {TARGET_WALL:.0f} s")
    for name, p in results["parameters"].items():
        if abs(p["error [%]"]) > 5 or not p["inside ci95"]:
            missed.append(f"{name} not recovered ({p['error [%]']:+.2f} %)")
    # the accelerated fit: within 5 % of the truth. Its 95 % intervals are the
    # data's alone (the fit knows nothing of the skipper's error), so on data this
    # precise they may miss the truth by the skipper's bias; reported, not judged
    for name, p in (results.get("accelerated") or {}).get("parameters", {}).items():
        if abs(p["error [%]"]) > 5:
            missed.append(f"accelerated: {name} not recovered ({p['error [%]']:+.2f} %)")
    return missed


def markdown(results: dict) -> str:
    """The fit section of benchmarks/RESULTS.md."""
    m = results["machine"]
    lines = [
        f"## Fitting: three degradation parameters to {results['cycles']} cycles "
        "(`afb bench fit`)",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores; {results['workers']} worker processes; "
        f"{m['date']}. Data: the default cell at known values, BDF CSV with 1 mV and "
        "1e-4 noise; initial guesses a factor of 2 away.",
        "",
        "| quantity | measured | target |",
        "|---|---|---|",
        f"| wall time of the fit [s] | {results['wall time [s]']:.0f} | < {TARGET_WALL:.0f} |",
        f"| model evaluations | {results['evaluations']} | |",
        "",
        "| parameter | true | fitted | error | 95 % interval |",
        "|---|---|---|---|---|",
    ]
    for name, p in results["parameters"].items():
        lo, hi = p["ci95"]
        lines.append(f"| {name} | {p['true']:.4g} | {p['fitted']:.4g} | "
                     f"{p['error [%]']:+.2f} % | {lo:.4g} to {hi:.4g} |")
    fast = results.get("accelerated")
    if fast is not None:
        lines += [
            "",
            f"The same fit with the cycle skipper (`accelerate = "
            f"{{ tolerance = {fast['settings']['tolerance']:g} }}`): "
            f"{fast['wall time [s]']:.0f} s against {results['wall time [s]']:.0f} s "
            f"({results['wall time [s]'] / fast['wall time [s]']:.1f} times faster), "
            f"{fast['evaluations']} model evaluations.",
            "",
            "| parameter | fitted | error | 95 % interval | holds the truth |",
            "|---|---|---|---|---|",
        ]
        for name, p in fast["parameters"].items():
            lo, hi = p["ci95"]
            lines.append(f"| {name} | {p['fitted']:.4g} | {p['error [%]']:+.2f} % | "
                         f"{lo:.4g} to {hi:.4g} | {'yes' if p['inside ci95'] else 'no'} |")
        lines += [
            "",
            "The intervals are the data's alone: the fit does not know the skipper's "
            "error, which here biases the values by up to "
            f"{max(abs(p['error [%]']) for p in fast['parameters'].values()):.2f} %, "
            "more than data this precise leaves them uncertain.",
        ]
    missed = failures(results)
    lines += ["", "Targets missed: " + ("; ".join(missed) if missed else "none") + "."]
    return "\n".join(lines) + "\n"
