"""Performance: per-cycle time against PyBaMM's half-cell DFN in one process, and a
long run's wall time, peak memory and file size.

Per-cycle ratios: both models run the same protocol on the same cell, cycle by cycle
from the previous cycle's last state (as afb's runner does), alternating between the
two so that machine noise hits both alike; the figure is the ratio of the median
per-cycle times, afb / PyBaMM (target <= 1.2).

* "core": AnodeFreeDFN without side reactions against PyBaMM's half cell;
* "every mechanism": SEI, dead metal (with reconnection and resistance) and galvanic
  corrosion on, against PyBaMM's half cell with "SEI": "reaction limited";
* "lumped thermal": both with "thermal": "lumped", on the Li cell only, PyBaMM's
  thermal values set to afb's heat capacity and cooling
  (:func:`pybamm_lumped_values`).

Cells: PyBaMM's Xu2019 half cell (ours with a 100 um metal layer,
:func:`afb_models.parameters.half_cell_limit_values`) and the default Li cell started
with 20 um of plated Li and without its interface film resistance, so that PyBaMM's
infinite-reservoir half cell runs the same electrochemistry.

The long run: ``afb run`` of the default cell (a C/10 formation cycle, then C/5
charge and C/2 discharge in the 3.6-4.5 V window, calibrated mechanisms) in a child
process, with its wall time, peak RSS and file size; and the same cycles solved bare
(no summary, series or file) in another. The runner's overhead is measured inside
the run, on the same cycles: the time its summaries and the store take over the time
in the solver's calls (two processes one after the other differ by +-5 % on these
machines, as much as the overhead itself).

The long run is judged by a ratio, not by its wall time (which moves with the
machine: 98 s on one, 198 s on another where PyBaMM itself is 1.75 times slower):
its wall time per cycle over the per-cycle time of PyBaMM's half-cell DFN on the
same cell, the same cycle (C/5 charge to 4.5 V, C/2 discharge to 3.6 V at 40 °C) and
the solver tolerances of afb's runner (IDAKLU, rtol = atol = 1e-8), measured in this
process half just before and half just after the long run, so that both see the same
machine in the same state. Its wall time is reported as measured; its memory and
file size keep their targets.

Child processes import the afb of this process: the folder it was imported from
goes first on their PYTHONPATH (a source tree, not installed, run from anywhere).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pybamm

#: the long run's ratio target: whole-process wall time per cycle of the 1000-cycle
#: run over PyBaMM's per-cycle time (see long_run). Measured on a 2-core AMD EPYC
#: (2026-12-01): 84 s for 1000 cycles against 50.1 ms per PyBaMM cycle, 1.67, on a
#: quiet machine; 107 s against 53.2 ms, 2.01, with other jobs running (the same
#: cycles solved bare: 79 s, 1.49). 2.5 leaves the margin the absolute target
#: had (120 s over the 98 s it was met with), which covers how far the ratio moved
#: between two machines (afb 2.02 times slower on the second, PyBaMM 1.75 times)
LONG_RUN_RATIO_TARGET = 2.5
#: the long run's length by default, and the one its ratio target is set for: the
#: start-up and the cycles late in the fade (which need the fallback tolerances)
#: weigh differently in a run of another length, so its ratio is then reported only
LONG_RUN_CYCLES = 1000
#: timed cycles of PyBaMM's half cell for the long run's ratio (half before, half
#: after the long run)
REFERENCE_CYCLES = 100

TARGETS = {
    "ratio": 1.2,  # per-cycle time, afb / PyBaMM, with and without side reactions
    # the long run's wall time per cycle over PyBaMM's half cell's per-cycle time on
    # the same cycle and tolerances, at the default 1000 cycles (see long_run)
    "long run ratio": LONG_RUN_RATIO_TARGET,
    "peak RSS [MB]": 400.0,
    "file size [MB]": 50.0,
    "runner overhead": 0.10,  # (summary + store) / solve, within the long run
}

PYBAMM_OPTIONS = {"working electrode": "positive", "calculate discharge energy": "true"}
#: afb's options and PyBaMM's for each comparison; "lumped thermal" runs on the Li
#: cell only (the one with thermal values for both models: pybamm_lumped_values)
COMPARISONS = {
    "core": ({}, {}),
    "every mechanism": (
        {
            "SEI": "reaction limited",
            "dead metal": "isolation",
            "dead metal reconnection": "true",
            "dead metal resistance": "true",
            "galvanic corrosion": "mixed potential",
        },
        {"SEI": "reaction limited"},
    ),
    "lumped thermal": ({"thermal": "lumped"}, {"thermal": "lumped"}),
}

LONG_RUN_PROTOCOL = """
name = "benchmark cycling"
temperature = "40 °C"

[[block]]
name = "formation"
steps = ["Charge at C/10 until 4.5 V", "Discharge at C/10 until 1.25 V"]

[[block]]
name = "cycling"
repeat = {repeat}
steps = ["Charge at C/5 until 4.5 V", "Discharge at C/2 until 3.6 V"]
"""

_BARE_CHILD = r"""
import sys, time
import afb_models
from afb_models.options import CALIBRATED_OPTIONS
from afb_models.protocols import load_protocol
from afb_models.runner import Runner
values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
protocol = load_protocol(sys.argv[1], values)
runner, state = Runner(protocol, values, CALIBRATED_OPTIONS), None
run = {"start": 0, "fallback since": 0}
for k, index, block in protocol.indexed_cycles():
    cycle, _ = runner._solve_cycle(k, index, block, state, {}, run)
    state = cycle.last_state
"""


def _pybamm_values_for(afb_values):
    """PyBaMM's half-cell parameters for an afb cell: its metal kinetics under
    PyBaMM's lithium-metal names."""
    values = afb_values.copy()
    j0 = afb_values["Metal exchange-current density [A.m-2]"]
    values.update(
        {
            "Exchange-current density for lithium metal electrode [A.m-2]": (
                lambda c_e, c_Li, T: j0(c_e, T)
            ),
            "Lithium metal partial molar volume [m3.mol-1]": afb_values[
                "Metal molar volume [m3.mol-1]"
            ],
            "Negative electrode charge transfer coefficient": afb_values[
                "Metal charge transfer coefficient"
            ],
            "Negative electrode OCP [V]": 0.0,
            "Negative electrode OCP entropic change [V.K-1]": 0.0,
            "Negative electrode conductivity [S.m-1]": 1e7,
            "Negative electrode thickness [m]": 20e-6,
        },
        check_already_exists=False,
    )
    return values


def pybamm_lumped_values(afb_values, pybamm_values):
    """PyBaMM's lumped thermal parameters for its half cell (``pybamm_values``, from
    :func:`_pybamm_values_for`), equal to what afb's lumped model uses for the cell
    of ``afb_values``: the same heat capacity per unit area (PyBaMM's
    :math:`\bar{\rho c_p} V_{cell}` with :math:`V_{cell} = n A L`; the porous layers
    as their components by volume, PyBaMM's negative electrode as the cell's initial
    metal) and the same cooling."""
    v = afb_values
    values = pybamm_values.copy()

    def composite(parts):
        rho = sum(fraction * v[density] for fraction, density, _ in parts)
        rho_c = sum(fraction * v[density] * v[heat] for fraction, density, heat in parts)
        return rho, rho_c / rho

    eps_p, eps_am = v["Positive electrode porosity"], v["Positive electrode active material volume fraction"]
    positive = composite([
        (eps_am, "Positive electrode active material density [kg.m-3]",
         "Positive electrode active material specific heat capacity [J.kg-1.K-1]"),
        (1 - eps_am - eps_p, "Positive electrode inactive material density [kg.m-3]",
         "Positive electrode inactive material specific heat capacity [J.kg-1.K-1]"),
        (eps_p, "Electrolyte density [kg.m-3]", "Electrolyte specific heat capacity [J.kg-1.K-1]"),
    ])
    eps_s = v["Separator porosity"]
    separator = composite([
        (1 - eps_s, "Separator density [kg.m-3]", "Separator specific heat capacity [J.kg-1.K-1]"),
        (eps_s, "Electrolyte density [kg.m-3]", "Electrolyte specific heat capacity [J.kg-1.K-1]"),
    ])
    thickness = sum(values[f"{name} thickness [m]"] for name in (
        "Negative current collector", "Negative electrode", "Separator",
        "Positive electrode", "Positive current collector"))
    area = (v["Electrode height [m]"] * v["Electrode width [m]"]
            * v["Number of electrodes connected in parallel to make a cell"])
    values.update(
        {
            "Positive electrode density [kg.m-3]": positive[0],
            "Positive electrode specific heat capacity [J.kg-1.K-1]": positive[1],
            "Separator density [kg.m-3]": separator[0],
            "Separator specific heat capacity [J.kg-1.K-1]": separator[1],
            "Negative electrode density [kg.m-3]": (v["Metal molar mass [kg.mol-1]"]
                                                   / v["Metal molar volume [m3.mol-1]"]),
            "Negative electrode specific heat capacity [J.kg-1.K-1]":
                v["Metal specific heat capacity [J.kg-1.K-1]"],
            "Cell volume [m3]": area * thickness,
            "Total heat transfer coefficient [W.m-2.K-1]": v["Heat transfer coefficient [W.m-2.K-1]"],
        },
        check_already_exists=False,
    )
    return values


def comparison_cells():
    """(name, afb values, PyBaMM values, one cycle's steps) of each comparison cell."""
    import afb_models
    from afb_models.parameter_sets.degradation import LI_LIQUID
    from afb_models.parameters import half_cell_limit_values

    xu = pybamm.ParameterValues("Xu2019")
    xu_ours = half_cell_limit_values(xu)
    li_values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
    # our degradation parameters that Xu2019 does not have, from the Li cell
    for name in LI_LIQUID:
        if name not in xu_ours.keys():
            xu_ours.update({name: li_values[name]}, check_already_exists=False)
    yield "Xu2019 limit", xu_ours, xu, (
        "Discharge at C/2 until 3.5 V",
        "Charge at C/2 until 4.2 V",
    )
    li = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
    li["Initial plated metal thickness [m]"] = 20e-6
    # PyBaMM's half cell has no film resistance at its lithium interface: with ours
    # negligible too, both run the same electrochemistry (their net charge per cycle
    # agrees to 2e-4 instead of differing by 1.5 %)
    li["Negative interface resistance [Ohm.m2]"] = 1e-9
    yield "AFB_Li_NMC532_Cu (20 um Li)", li, _pybamm_values_for(li), (
        "Charge at C/5 until 4.5 V",
        "Discharge at C/2 until 3.6 V",
    )


def _time_one_cycle(sim, states):
    start = time.perf_counter()
    solution = sim.solve(starting_solution=states.get(id(sim)), showprogress=False)
    elapsed = time.perf_counter() - start
    states[id(sim)] = solution.cycles[-1].last_state
    return elapsed


def compare_with_pybamm(comparison, cell, afb_values, pybamm_values, cycle, n_cycles):
    """Median per-cycle times of afb and PyBaMM on one cell, in this process."""
    import afb_models

    our_options, their_options = COMPARISONS[comparison]
    experiment = pybamm.Experiment([cycle])
    ours = pybamm.Simulation(
        afb_models.AnodeFreeDFN(our_options), parameter_values=afb_values,
        experiment=experiment, solver=pybamm.IDAKLUSolver(),
    )
    theirs = pybamm.Simulation(
        pybamm.lithium_ion.DFN(PYBAMM_OPTIONS | their_options),
        parameter_values=pybamm_values, experiment=experiment,
        solver=pybamm.IDAKLUSolver(),
    )
    states = {}
    # the first cycle builds, discretises and compiles: not counted
    _time_one_cycle(ours, states), _time_one_cycle(theirs, states)
    t_ours, t_theirs = [], []
    for _ in range(n_cycles):
        t_ours.append(_time_one_cycle(ours, states))
        t_theirs.append(_time_one_cycle(theirs, states))
    return {
        "comparison": comparison,
        "cell": cell,
        "protocol": list(cycle),
        "cycles": n_cycles,
        "afb [ms/cycle]": 1e3 * statistics.median(t_ours),
        "PyBaMM [ms/cycle]": 1e3 * statistics.median(t_theirs),
        "ratio": statistics.median(t_ours) / statistics.median(t_theirs),
    }


def _child_environment() -> dict:
    """The environment of a child process: this one's, with the folder this process
    imported afb from first on PYTHONPATH, so that the child imports the same afb
    (a source tree that is not installed, whatever the working directory; another
    checkout in the working directory does not take its place). An installed afb's
    folder is a site directory, which the child finds anyway: it is not added, so as
    not to put site-packages before the standard library."""
    import site

    import afb_models

    env = dict(os.environ)
    root = str(Path(afb_models.__file__).resolve().parent.parent)
    site_dirs = {str(Path(d).resolve()) for d in site.getsitepackages()}
    if root not in site_dirs:
        env["PYTHONPATH"] = os.pathsep.join(
            [root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        )
    return env


def _child(args, stdout_lines=None, rss_samples=None):
    """Run ``args``; its wall time [s] and peak RSS [MB]. One child at a time: the
    peak of RUSAGE_CHILDREN is the largest child's so far, so each measurement runs
    in a fresh interpreter via a wrapper that reports its own peak. Where /proc
    exists, the child's RSS every 0.25 s goes to ``rss_samples`` as (time [s], MB)."""
    wrapper = (
        "import resource, runpy, sys, json, threading, time\n"
        "t = time.perf_counter()\n"
        "samples = []\n"
        "def sample():\n"
        "    while True:\n"
        "        try:\n"
        "            with open('/proc/self/status') as f:\n"
        "                kb = next(int(l.split()[1]) for l in f if l.startswith('VmRSS'))\n"
        "        except (OSError, StopIteration):\n"
        "            return\n"
        "        samples.append((time.perf_counter() - t, kb / 1024))\n"
        "        time.sleep(0.25)\n"
        "threading.Thread(target=sample, daemon=True).start()\n"
        "sys.argv = sys.argv[1:]\n"
        "try:\n"
        "    if sys.argv[0] == '-c':\n"
        "        code = sys.argv[1]; sys.argv = ['-c'] + sys.argv[2:]; exec(code, {'__name__': '__main__'})\n"
        "    else:\n"
        "        module = sys.argv[1]; sys.argv = [module] + sys.argv[2:]\n"
        "        runpy.run_module(module, run_name='__main__', alter_sys=True)\n"
        "except SystemExit as e:\n"
        "    if e.code: raise\n"
        "print(json.dumps({'wall': time.perf_counter() - t, "
        "'rss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "
        "'samples': samples}), file=sys.stderr)\n"
    )
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-c", wrapper, *args], capture_output=True, text=True, check=False,
        env=_child_environment(),
    )
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(process.stderr[-2000:])
    report = json.loads(process.stderr.strip().splitlines()[-1])
    if stdout_lines is not None:
        stdout_lines.extend(process.stdout.splitlines())
    if rss_samples is not None:
        rss_samples.extend(tuple(s) for s in report["samples"])
    return wall, report["rss"]


def rss_trend(samples, n_cycles: int) -> float | None:
    """Growth of the resident size over the second half of a run [MB per 1000
    cycles]: the least-squares slope of RSS against time, times the time 1000 cycles
    take. The first half holds the start-up and the one-off builds (a fallback
    solver, compiled on the first cycle that needs it); what stays is what a leak
    would add cycle by cycle. Cycles are taken as evenly spread in time."""
    if len(samples) < 8:
        return None
    t = np.array([s[0] for s in samples])
    rss = np.array([s[1] for s in samples])
    late = t >= t[-1] / 2
    slope_MB_s = np.polyfit(t[late], rss[late], 1)[0]
    return float(slope_MB_s * t[-1] / n_cycles * 1000)


def long_run_reference():
    """PyBaMM's half-cell DFN on the long run's cell, cycle and tolerances, built and
    run for one cycle (its build and compilation are not timed): a Simulation whose
    cycles :func:`time_reference_cycles` times, each from the last one's end state.

    The cell: the default cell's values under PyBaMM's names
    (:func:`_pybamm_values_for`); the cycle: the long run's cycling block read by
    afb's protocol reader and turned into PyBaMM steps as afb's runner does (40 °C);
    the solver: IDAKLU at afb's default tolerances (no rests in the cycle, so no
    per-state tolerances)."""
    import afb_models

    from ..protocols import parse_protocol, to_pybamm_step
    from ..runner import DEFAULT_TOLERANCES

    # the cell `afb run` runs without --cell, as the long run does
    values = afb_models.get_parameter_values(afb_models.parameter_sets.DEFAULT_CELL)
    protocol = parse_protocol(LONG_RUN_PROTOCOL.replace("{repeat}", "1"), "<long run>", values)
    nominal = float(values["Nominal cell capacity [A.h]"])
    cycle = tuple(
        to_pybamm_step(step, nominal, protocol.temperature_K, protocol.stack_pressure_Pa)
        for step in protocol.blocks[-1].steps
    )
    simulation = pybamm.Simulation(
        pybamm.lithium_ion.DFN(PYBAMM_OPTIONS), parameter_values=_pybamm_values_for(values),
        experiment=pybamm.Experiment([cycle]),
        solver=pybamm.IDAKLUSolver(**DEFAULT_TOLERANCES),
    )
    states = {}
    _time_one_cycle(simulation, states)
    return simulation, states


def time_reference_cycles(reference, n_cycles: int) -> list[float]:
    """Wall times [s] of ``n_cycles`` further cycles of :func:`long_run_reference`."""
    simulation, states = reference
    return [_time_one_cycle(simulation, states) for _ in range(n_cycles)]


def long_run(n_cycles: int = LONG_RUN_CYCLES, reference_cycles: int = REFERENCE_CYCLES) -> dict:
    """Wall time, peak RSS and file size of an ``afb run`` of ``n_cycles`` cycles, the
    runner's overhead over the same cycles solved bare, and the run's wall time per
    cycle over PyBaMM's half cell's (timed for ``reference_cycles`` cycles, half
    before and half after the run)."""
    reference = long_run_reference()
    pybamm_times = time_reference_cycles(reference, reference_cycles // 2)
    with tempfile.TemporaryDirectory() as folder:
        protocol = Path(folder) / "long_run.toml"
        protocol.write_text(LONG_RUN_PROTOCOL.replace("{repeat}", str(n_cycles - 1)))
        out = Path(folder) / "run.h5"
        printed = []
        samples = []
        wall, rss = _child(["-m", "afb_models.cli", "run", str(protocol),
                            "--out", str(out), "--timings"], printed, samples)
        size = os.path.getsize(out) / 2**20
        # "timings: solve S s, summary U s, store W s; ..."
        timing_line = next(line for line in printed if line.startswith("timings:"))
        parts = dict(
            (item.split()[0], float(item.split()[1]))
            for item in timing_line.split(":", 1)[1].split(";")[0].split(",")
        )
        pybamm_times += time_reference_cycles(
            reference, reference_cycles - reference_cycles // 2)
        bare_wall, _ = _child(["-c", _BARE_CHILD, str(protocol)])
    afb_per_cycle = wall / n_cycles
    pybamm_per_cycle = statistics.median(pybamm_times)
    return {
        "cycles": n_cycles,
        # judged: the whole process (start-up, build, summaries and file included:
        # what a user waits for) per cycle, over the median of PyBaMM's cycles (all
        # alike: its half cell does not age; the median keeps a stray pause out)
        "afb [ms/cycle]": 1e3 * afb_per_cycle,
        "PyBaMM [ms/cycle]": 1e3 * pybamm_per_cycle,
        "PyBaMM cycles": len(pybamm_times),
        "long run ratio": afb_per_cycle / pybamm_per_cycle,
        # reported, not judged: it moves with the machine
        "long run wall [s]": wall,
        "peak RSS [MB]": rss,
        # memory flat in the number of cycles
        "RSS growth, second half [MB per 1000 cycles]": rss_trend(samples, n_cycles),
        "file size [MB]": size,
        "solve [s]": parts["solve"],
        "summary [s]": parts["summary"],
        "store [s]": parts["store"],
        # in the same process, on the same cycles: what the runner and the store add
        # to the solver's calls
        "runner overhead": (parts["summary"] + parts["store"]) / parts["solve"],
        # two processes, one after the other: noisier (+-5 % on these machines)
        "bare solve wall [s]": bare_wall,
        "whole-process ratio to bare": wall / bare_wall,
    }


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import afb_models

    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pybamm": pybamm.__version__,
        "afb": afb_models.__version__,
        "date": time.strftime("%Y-%m-%d"),
    }


def run_perf(compare_cycles: int = 20, long_cycles: int = LONG_RUN_CYCLES,
             progress=print) -> dict:
    """Every measurement, as a dict (see the module docstring)."""
    results = {"machine": machine(), "targets": TARGETS, "comparisons": []}
    for comparison in COMPARISONS:
        for name, ours, theirs, cycle in comparison_cells():
            if comparison == "lumped thermal":
                if name == "Xu2019 limit":  # (no thermal values for afb's parts)
                    continue
                theirs = pybamm_lumped_values(ours, theirs)
            r = compare_with_pybamm(comparison, name, ours, theirs, cycle, compare_cycles)
            progress(f"{r['comparison']:16s} {r['cell']:28s} ratio {r['ratio']:.2f}")
            results["comparisons"].append(r)
    if long_cycles:
        results["long run"] = long_run(long_cycles)
        progress(json.dumps(results["long run"]))
    return results


def failures(results: dict) -> list[str]:
    """The targets the results miss."""
    missed = [
        f"per-cycle ratio {r['ratio']:.2f} > {TARGETS['ratio']} ({r['comparison']}, "
        f"{r['cell']})"
        for r in results["comparisons"]
        if r["ratio"] > TARGETS["ratio"]
    ]
    long = results.get("long run")
    if long:
        # the wall time is not judged: it is the machine's as much as afb's
        if long["cycles"] == LONG_RUN_CYCLES and long["long run ratio"] > TARGETS["long run ratio"]:
            missed.append(
                f"long run ratio {long['long run ratio']:.2f} > {TARGETS['long run ratio']} "
                f"(afb {long['afb [ms/cycle]']:.1f} ms/cycle, PyBaMM "
                f"{long['PyBaMM [ms/cycle]']:.1f} ms/cycle)"
            )
        for key in ("peak RSS [MB]", "file size [MB]", "runner overhead"):
            if long[key] > TARGETS[key]:
                missed.append(f"{key} {long[key]:.3g} > {TARGETS[key]}")
    return missed


def markdown(results: dict) -> str:
    """The perf section of benchmarks/RESULTS.md."""
    m = results["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['platform']}; Python {m['python']}, "
        f"PyBaMM {m['pybamm']}, afb {m['afb']}; {m['date']}.",
        "",
        "## Per-cycle time against PyBaMM's half-cell DFN (same process, same protocol)",
        "",
        "| comparison | cell | afb [ms/cycle] | PyBaMM [ms/cycle] | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for r in results["comparisons"]:
        target = f"<= {TARGETS['ratio']}"
        lines.append(
            f"| {r['comparison']} | {r['cell']} | {r['afb [ms/cycle]']:.1f} | "
            f"{r['PyBaMM [ms/cycle]']:.1f} | {r['ratio']:.2f} | {target} |"
        )
    long = results.get("long run")
    if long:
        ratio_target = (
            f"<= {TARGETS['long run ratio']}" if long["cycles"] == LONG_RUN_CYCLES
            else f"(set for {LONG_RUN_CYCLES} cycles)"
        )
        lines += [
            "",
            f"## A {long['cycles']}-cycle run of the default cell (`afb run ... --out`)",
            "",
            (
                "Judged by its wall time per cycle over that of PyBaMM's half-cell DFN on "
                "the same cell, cycle (C/5 charge to 4.5 V, C/2 discharge to 3.6 V, 40 °C) "
                f"and solver tolerances (rtol = atol = 1e-8), {long['PyBaMM cycles']} "
                "cycles timed in the same run (median), half before and half after it; "
                "the absolute time is reported, not judged."
            ),
            "",
            "| quantity | measured | target |",
            "|---|---|---|",
            (
                "| wall time per cycle, afb run (whole process) / PyBaMM's half cell "
                f"[ms/cycle] | {long['afb [ms/cycle]']:.1f} / "
                f"{long['PyBaMM [ms/cycle]']:.1f} | |"
            ),
            f"| ratio | {long['long run ratio']:.2f} | {ratio_target} |",
            f"| wall time [s] | {long['long run wall [s]']:.1f} | (reported) |",
            f"| peak RSS [MB] | {long['peak RSS [MB]']:.0f} | < {TARGETS['peak RSS [MB]']:.0f} |",
            f"| RSS growth over the second half [MB per 1000 cycles] | {_format(long['RSS growth, second half [MB per 1000 cycles]'], '.0f')} | flat |",
            f"| file size [MB] | {long['file size [MB]']:.1f} | < {TARGETS['file size [MB]']:.0f} |",
            f"| time in the solver / summary / store [s] | {long['solve [s]']:.1f} / {long['summary [s]']:.1f} / {long['store [s]']:.1f} | |",
            f"| runner and store overhead (same process) | {100 * long['runner overhead']:.1f} % | < {100 * TARGETS['runner overhead']:.0f} % |",
            f"| bare solve of the same cycles, own process [s] | {long['bare solve wall [s]']:.1f} | |",
            f"| whole process, afb run / bare | {long['whole-process ratio to bare']:.2f} | |",
        ]
    missed = failures(results)
    lines += ["", "Targets missed: " + ("; ".join(missed) if missed else "none") + "."]
    return "\n".join(lines) + "\n"


def _format(value, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)
