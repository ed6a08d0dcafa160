"""The sweep benchmark (``afb bench sweep``): 8 cases of the default cell, 20 cycles
each, run serially in one process, on a local pool of ``workers`` processes, and on a
Dask ``LocalCluster`` of ``workers`` single-threaded worker processes; reported as the
speed-up of each over the serial run (target: 1.7x or more on 2 cores).

Every run starts from nothing (each case builds its simulation, as a sweep's cases
do), in processes that have run one cycle of the cell before the clock starts (so
that none is timed loading the solver's libraries): this one for the serial run, its
forks for the pool, and the cluster's workers, as a user's running cluster would
have.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

#: the cases: N/P ratio x separator thickness
GRID = {"np_ratio": [0, 0.05, 0.1, 0.2],
        "Separator thickness [m]": [1.2e-5, 2.5e-5]}
CELL = "AFB_Li_NMC532_Cu"
PROTOCOL = "louli2020"
CYCLES = 20
TARGET_SPEEDUP = 1.7
#: the runs the target is for
TARGETED = ("local pool", "dask")
#: the Dask configuration for CPU-bound sweeps (see the README): no statistical
#: profiler sampling the workers' deep PyBaMM stacks every 10 ms, and glibc's own
#: malloc trimming instead of Dask's 64 KiB threshold (measured on 8 cases of 20
#: cycles, 2 workers: 12.6 s with Dask's defaults, 10.5 s with these)
DASK_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}


def warm_up() -> None:
    """One cycle of the cell, so that a process has loaded what a first solve loads
    (the solver's libraries, the parameter set) before it is timed."""
    import afb_models

    afb_models.simulate(CELL, PROTOCOL, cycles=1)


def run_sweep_benchmark(workers: int = 2, progress=print) -> dict:
    from afb_models.sweeps import sweep

    from .perf import machine

    warm_up()  # this process (the serial run) and the pool's forks of it
    times = {}
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for name, kwargs in (("serial", {"workers": 1}),
                             ("local pool", {"workers": workers})):
            start = time.perf_counter()
            results[name] = sweep(CELL, PROTOCOL, grid=GRID, cycles=CYCLES,
                                  out=folder / name.replace(" ", "_"), **kwargs)
            times[name] = time.perf_counter() - start
            progress(f"{name}: {times[name]:.1f} s")
        from distributed import LocalCluster

        import dask
        from distributed import Client

        for name, config in (("dask (its defaults)", {}), ("dask", DASK_CONFIG)):
            with dask.config.set(config), \
                    LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                 dashboard_address=None) as cluster:
                with Client(cluster.scheduler_address) as client:
                    client.run(warm_up)
                start = time.perf_counter()
                results[name] = sweep(CELL, PROTOCOL, grid=GRID, cycles=CYCLES,
                                      scheduler=cluster.scheduler_address,
                                      out=folder / name.replace(" ", "_").strip("()"))
                times[name] = time.perf_counter() - start
            progress(f"{name}: {times[name]:.1f} s")
    parallel = ("local pool", "dask (its defaults)", "dask")
    same = all(
        bool((results[name]["Discharge capacity"] == results["serial"]["Discharge capacity"])
             .all()) for name in parallel)
    return {
        "machine": machine(), "workers": workers, "cases": 8, "cycles": CYCLES,
        "wall [s]": times,
        "speed-up": {name: times["serial"] / times[name] for name in parallel},
        "target speed-up": TARGET_SPEEDUP,
        "results equal to serial": same,
    }


def failures(results: dict) -> list[str]:
    missed = [f"{name} speed-up {value:.2f} < {TARGET_SPEEDUP}"
              for name, value in results["speed-up"].items()
              if name in TARGETED and value < TARGET_SPEEDUP]
    if not results["results equal to serial"]:
        missed.append("a parallel sweep's results differ from the serial one's")
    return missed


def markdown(results: dict) -> str:
    m = results["machine"]
    t = results["wall [s]"]
    lines = [
        f"## Sweeps: {results['cases']} cases of {results['cycles']} cycles "
        "(`afb bench sweep`)",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores; {results['workers']} workers; "
        f"{m['date']}. The default cell through louli2020, N/P ratio x separator "
        "thickness; each run from nothing (every case builds its simulation).",
        "",
        "| run | wall [s] | speed-up over serial | target |",
        "|---|---|---|---|",
        f"| serial (one process) | {t['serial']:.1f} | 1 | |",
        f"| local pool | {t['local pool']:.1f} | {results['speed-up']['local pool']:.2f} | "
        f">= {TARGET_SPEEDUP} |",
        f"| Dask LocalCluster, configured for sweeps | {t['dask']:.1f} | "
        f"{results['speed-up']['dask']:.2f} | >= {TARGET_SPEEDUP} |",
        f"| Dask LocalCluster, Dask's defaults | {t['dask (its defaults)']:.1f} | "
        f"{results['speed-up']['dask (its defaults)']:.2f} | |",
        "",
        "Configured for sweeps: `distributed.worker.profile.enabled: false` (Dask's "
        "profiler samples each worker's stack every 10 ms, and PyBaMM's stacks are "
        "deep) and `distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_: null` "
        "(Dask makes glibc hand freed memory back at every 64 KiB; afb's solves "
        "allocate and free much); see the README.",
        "",
        "Per-cycle results of the parallel runs equal to the serial run's: "
        + ("yes" if results["results equal to serial"] else "NO") + ".",
    ]
    missed = failures(results)
    lines += ["", "Targets missed: " + ("; ".join(missed) if missed else "none") + "."]
    return "\n".join(lines) + "\n"
