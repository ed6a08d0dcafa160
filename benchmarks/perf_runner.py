"""A 1000-cycle run of the default cell: peak memory, file size, and what the runner
and the HDF5 store add to the bare solve.

Three processes, each timed and measured on its own:
  * "afb run": `afb run PROTOCOL --out FILE.h5` (runner + store, the real job);
  * "runner": the runner without the store;
  * "bare": the same cycles solved from the last state and nothing else (no summary,
    no time series, no file), with the runner's solver and fallback tolerances.
Targets: peak RSS < 400 MB and file < 50 MB for "afb run"; (afb run / bare) < 1.10.

Usage: python benchmarks/perf_runner.py [--cycles 1000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROTOCOL = """
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

CHILD = r"""
import sys, time
import pybamm, afb_models
from afb_models.options import CALIBRATED_OPTIONS
from afb_models.protocols import load_protocol
from afb_models.runner import Runner
mode, protocol_path = sys.argv[1], sys.argv[2]
values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
protocol = load_protocol(protocol_path, values)
start = time.perf_counter()
if mode == "runner":
    for _ in Runner(protocol, values, CALIBRATED_OPTIONS).cycles():
        pass
else:  # bare: the runner's solves (with its fallback tolerances), nothing else
    runner, state = Runner(protocol, values, CALIBRATED_OPTIONS), None
    for k, block in protocol.cycles():
        cycle, _ = runner._solve_cycle(k, block, state)
        state = cycle.last_state
print(time.perf_counter() - start)
"""


def _measure(args):
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(err[-2000:])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, out, usage.ru_maxrss / 1024  # MB (Linux reports kB)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        protocol = Path(folder) / "bench.toml"
        protocol.write_text(PROTOCOL.replace("{repeat}", str(args.cycles - 1)))
        out = Path(folder) / "run.h5"
        results = {}
        # one process per measurement: RUSAGE_CHILDREN's peak is the largest child's
        wall, _, rss = _measure([sys.executable, "-m", "afb_models.cli", "run",
                                 str(protocol), "--out", str(out)])
        results["afb run"] = {"wall [s]": wall, "peak RSS [MB]": rss,
                              "file size [MB]": os.path.getsize(out) / 2**20}
        print(json.dumps(results["afb run"]), flush=True)
        for mode in ("bare", "runner"):
            wall, printed, _ = _measure([sys.executable, "-c", CHILD, mode, str(protocol)])
            results[mode] = {"wall [s]": wall, "solve loop [s]": float(printed.split()[-1])}
    ratio = results["afb run"]["wall [s]"] / results["bare"]["wall [s]"]
    summary = {
        "cycles": args.cycles,
        "machine": platform.platform(),
        "results": results,
        "afb run / bare (whole process)": ratio,
    }
    print(json.dumps(summary, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2))
    ok = (results["afb run"]["peak RSS [MB]"] < 400
          and results["afb run"]["file size [MB]"] < 50 and ratio < 1.10)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
