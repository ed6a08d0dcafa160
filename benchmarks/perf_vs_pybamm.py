"""Per-cycle solve time of AnodeFreeDFN against PyBaMM's half-cell DFN.

Both models run the same protocol on the same cell, cycle by cycle from the previous
cycle's last state (as afb's runner does), alternating between the two models so that
machine noise hits both alike. The figure of merit is the ratio of the median
per-cycle times, ours / PyBaMM's; the target is <= 1.2.

Comparisons:
  * "core": AnodeFreeDFN without side reactions against PyBaMM's half cell;
  * "degradation": AnodeFreeDFN with every mechanism on (SEI, dead metal with
    reconnection and resistance, galvanic corrosion) against PyBaMM's half cell with
    "SEI": "reaction limited".

Cells:
  * "Xu2019 limit": PyBaMM's Xu2019 half cell, with a 100 um metal layer for ours
    (afb_models.parameters.half_cell_limit_values);
  * "AFB_Li_NMC532_Cu": our default anode-free cell, started with 20 um of plated Li
    so that PyBaMM's infinite-reservoir half cell runs the same electrochemistry.

Usage: python benchmarks/perf_vs_pybamm.py [--cycles N] [--only core|degradation]
       [--json FILE]
Exit status 1 if a ratio exceeds the target.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time

import pybamm

import afb_models
from afb_models.parameter_sets.degradation import LI_LIQUID as LI_DEGRADATION
from afb_models.parameters import half_cell_limit_values

TARGET = 1.2
PYBAMM_OPTIONS = {"working electrode": "positive", "calculate discharge energy": "true"}
COMPARISONS = {
    "core": ({}, {}),
    "degradation": (
        {
            "SEI": "reaction limited",
            "dead metal": "isolation",
            "dead metal reconnection": "true",
            "dead metal resistance": "true",
            "galvanic corrosion": "mixed potential",
        },
        {"SEI": "reaction limited"},
    ),
}


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


def cells():
    xu = pybamm.ParameterValues("Xu2019")
    xu_ours = half_cell_limit_values(xu)
    # our degradation parameters that Xu2019 does not have, from the Li cell
    li_values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
    for name in LI_DEGRADATION:
        if name not in xu_ours.keys():
            xu_ours.update({name: li_values[name]}, check_already_exists=False)
    yield "Xu2019 limit", xu_ours, xu, (
        "Discharge at C/2 until 3.5 V",
        "Charge at C/2 until 4.2 V",
    )
    li = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
    li["Initial plated metal thickness [m]"] = 20e-6
    yield "AFB_Li_NMC532_Cu", li, _pybamm_values_for(li), (
        "Charge at C/5 until 4.5 V",
        "Discharge at C/2 until 3.6 V",
    )


def _cycle_times(sim, n_cycles, solutions):
    """Time one more cycle of ``sim``; ``solutions`` keeps its last state."""
    start = time.perf_counter()
    solution = sim.solve(starting_solution=solutions.get(id(sim)), showprogress=False)
    elapsed = time.perf_counter() - start
    solutions[id(sim)] = solution.cycles[-1].last_state
    return elapsed


def measure(comparison, name, ours_values, pybamm_values, cycle, n_cycles):
    our_options, their_options = COMPARISONS[comparison]
    experiment = pybamm.Experiment([cycle])
    ours = pybamm.Simulation(
        afb_models.AnodeFreeDFN(our_options), parameter_values=ours_values,
        experiment=experiment, solver=pybamm.IDAKLUSolver(),
    )
    theirs = pybamm.Simulation(
        pybamm.lithium_ion.DFN(PYBAMM_OPTIONS | their_options),
        parameter_values=pybamm_values,
        experiment=experiment, solver=pybamm.IDAKLUSolver(),
    )
    states = {}
    # first cycle: builds, discretises and compiles; not counted
    _cycle_times(ours, 1, states), _cycle_times(theirs, 1, states)
    t_ours, t_theirs = [], []
    for _ in range(n_cycles):
        t_ours.append(_cycle_times(ours, 1, states))
        t_theirs.append(_cycle_times(theirs, 1, states))
    ratios = [a / b for a, b in zip(t_ours, t_theirs)]
    return {
        "comparison": comparison,
        "cell": name,
        "protocol": list(cycle),
        "cycles": n_cycles,
        "afb median per-cycle time [s]": statistics.median(t_ours),
        "PyBaMM median per-cycle time [s]": statistics.median(t_theirs),
        "ratio of medians": statistics.median(t_ours) / statistics.median(t_theirs),
        "median of pairwise ratios": statistics.median(ratios),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--only", choices=sorted(COMPARISONS))
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)

    comparisons = [args.only] if args.only else list(COMPARISONS)
    results = [
        measure(comparison, *cell, args.cycles)
        for comparison in comparisons
        for cell in cells()
    ]
    print(
        f"{'comparison':12s} {'cell':18s} {'afb [ms/cycle]':>15s} "
        f"{'PyBaMM [ms/cycle]':>18s} {'ratio':>7s}"
    )
    for r in results:
        print(
            f"{r['comparison']:12s} {r['cell']:18s} "
            f"{1e3 * r['afb median per-cycle time [s]']:15.1f} "
            f"{1e3 * r['PyBaMM median per-cycle time [s]']:18.1f} "
            f"{r['ratio of medians']:7.2f}"
        )
    if args.json:
        meta = {
            "machine": platform.platform(),
            "python": platform.python_version(),
            "pybamm": pybamm.__version__,
            "afb": afb_models.__version__,
            "target": TARGET,
        }
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "results": results}, f, indent=2)
    worst = max(r["ratio of medians"] for r in results)
    if worst > TARGET:
        print(f"ratio {worst:.2f} exceeds the target {TARGET}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
