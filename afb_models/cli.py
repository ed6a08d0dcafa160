"""The ``afb`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import parameter_sets
from .cells import CellError, apply_settings, load_cell
from .bench.regression import BenchError
from .options import ALLOWED_OPTIONS, CALIBRATED_OPTIONS, OptionError
from .protocols import ProtocolError, builtin_protocols
from .study import RunEndedError

DEFAULT_PROTOCOL = "louli2020"

#: exit statuses
BAD_INPUT, SOLVER_FAILED, INTERRUPTED = 2, 1, 130


class UsageError(ValueError):
    """A command line that cannot be carried out."""


def _header() -> str:
    return "  ".join(
        [f"{'cycle':>5s}", f"{'charge [mAh]':>15s}", f"{'discharge [mAh]':>15s}",
         f"{'CE [%]':>9s}"]
    )


def _row(cycle: int, charge_Ah: float, discharge_Ah: float, ce: float) -> str:
    return "  ".join(
        [f"{cycle:>5d}", f"{1e3 * charge_Ah:>15.3f}", f"{1e3 * discharge_Ah:>15.3f}",
         f"{100 * ce:>9.3f}"]
    )


def _parse_options(pairs: list[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        if "=" not in pair:
            raise OptionError(f"--option '{pair}': write NAME=VALUE")
        name, value = pair.split("=", 1)
        options[name.strip()] = value.strip()
    return options


def _prepare(args):
    """The simulator of a new run, validated before any file is written."""
    from .study import CycleSimulator

    cell = load_cell(args.cell)
    apply_settings(cell, args.set)
    if args.series_points < 1:
        raise UsageError("--series-points must be at least 1")
    if args.cycles is not None and args.cycles < 1:
        raise UsageError("--cycles must be at least 1")
    if args.out is not None and Path(args.out).exists() and not args.force:
        raise UsageError(
            f"{args.out}: exists; continue it with --resume, or replace it with --force"
        )
    return CycleSimulator(
        cell, args.protocol, _parse_options(args.option), cycles=args.cycles,
        series_points=args.series_points,
    )


def _print_row(result) -> None:
    from tqdm import tqdm

    s = result.summary
    # above the progress bar, if one is shown
    tqdm.write(_row(result.cycle, s["Charge capacity [A.h]"],
                    s["Discharge capacity [A.h]"], s["Coulombic efficiency"]))
    sys.stdout.flush()


def _progress_wanted() -> bool:
    """A progress bar only where a person watches: standard error is a terminal."""
    return sys.stderr.isatty()


def _cmd_run(args) -> int:
    from . import study
    from .runner import SolverFailure

    # what a long run on the command line needs, beyond a library call: a progress
    # bar where someone watches, rows as cycles finish, process-wide settings
    sinks = {"progress": _progress_wanted(), "on_cycle": _print_row,
             "raise_on_failure": True, "process_wide": True}
    simulator = None
    if args.resume:
        path = Path(args.resume)
        run = _load_or_fail(path)
        if run.finished:
            raise UsageError(f"{path}: the run has ended ({run.status}); nothing to resume")
        print(f"afb run: resuming {run.metadata['protocol_name']} on {run.metadata['cell']} "
              f"after cycle {run.cycles.sizes.get('cycle', 0)}")
    else:
        simulator = _prepare(args)
        protocol, cell = simulator.protocol, simulator.cell
        print(f"afb run: {protocol.name} on {cell.name} ({protocol.n_cycles} cycles at most)")
    print(_header(), flush=True)
    try:
        if simulator is None:
            run = study.resume(args.resume, **sinks)
        else:
            run = simulator.simulate(out=args.out, overwrite=args.force, **sinks)
    except SolverFailure as e:
        print(f"afb run: {e}", file=sys.stderr)
        _print_measurements(e.run)
        return SOLVER_FAILED
    except KeyboardInterrupt:
        print("afb run: interrupted; continue with --resume", file=sys.stderr)
        return INTERRUPTED
    if run.status != "completed":
        print(run.status)
    _print_measurements(run)
    if args.timings and simulator is not None:
        t = simulator.last_timings
        print(
            f"timings: solve {t['solve [s]']:.2f} s, summary {t['summary [s]']:.2f} s, "
            f"store {t['store [s]']:.2f} s; runner and store add "
            f"{100 * (t['summary [s]'] + t['store [s]']) / t['solve [s]']:.1f} %"
        )
    return 0


def _print_measurements(run) -> None:
    for name, value in run.measurements.items():
        print(f"{name}: {100 * value:.4f} %" if "efficiency" in name else
              f"{name}: {value:g}")


def _cmd_show(args) -> int:
    run = _load_or_fail(args.file)
    meta = run.metadata
    print(f"{args.file}: {meta['protocol_name']} on {meta['cell']}, {run.status}")
    print(f"started {meta['start_time']}, ended {meta['end_time'] or '-'}; "
          f"afb {meta['afb_version']}, PyBaMM {meta['pybamm_version']}")
    print(_header())
    c = run.cycles
    for i in range(c.sizes.get("cycle", 0)):
        print(_row(int(c["cycle"].values[i]), float(c["Charge capacity"].values[i]),
                   float(c["Discharge capacity"].values[i]),
                   float(c["Coulombic efficiency"].values[i])))
    _print_measurements(run)
    return 0


def _cmd_plot(args) -> int:
    from .plotting import plot_run

    run = _load_or_fail(args.file)
    if run.cycles.sizes.get("cycle", 0) == 0:
        raise UsageError(f"{args.file}: no finished cycle to plot")
    plot_run(run, args.output)
    print(f"afb plot: wrote {args.output}")
    return 0


def _load_or_fail(path):
    from .store import load

    if not Path(path).is_file():
        raise UsageError(f"{path}: no such run file")
    try:
        return load(path)
    except Exception as e:
        raise UsageError(f"{path}: not an afb run file ({type(e).__name__})") from None


def _cmd_cells(args) -> int:
    for name in parameter_sets.list_parameter_sets():
        print(f"{name:24s} {parameter_sets.describe(name)}")
    return 0


def _cmd_design(args) -> int:
    from .design import energy_density

    cell = load_cell(args.cell)
    apply_settings(cell, args.set)
    if cell.configuration != "anode-free":
        raise UsageError(
            f"{args.cell}: a {cell.configuration} cell has no cathode; "
            "'afb design' needs an anode-free or anode-less cell"
        )
    print(energy_density(cell, rate=args.rate).table())
    return 0


def _bench_progress(case) -> None:
    print(f"running {case.name}: {case.description.splitlines()[0]}", flush=True)


def _cmd_bench_check(args) -> int:
    from . import bench

    cases = bench.load_cases(args.dir, args.cases, fast_only=args.fast)
    report = bench.check(cases, args.dir, progress=_bench_progress)
    print(report.table())
    if not report.ok:
        drifted = sorted({d.case for d in report.drifts if not d.ok})
        print(f"afb bench check: drift in {', '.join(drifted)}", file=sys.stderr)
        return 1
    return 0


def _cmd_bench_update(args) -> int:
    from . import bench

    cases = bench.load_cases(args.dir, args.cases, fast_only=args.fast)
    for path in bench.update(cases, args.dir, args.reason, progress=_bench_progress):
        print(f"wrote {path}")
    return 0


def _cmd_bench_perf(args) -> int:
    from .bench import perf

    results = perf.run_perf(args.compare_cycles, args.cycles)
    for path, text in [(args.json, json.dumps(results, indent=2) + "\n"),
                       (args.markdown, perf.markdown(results))]:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text)
        print(f"wrote {path}")
    missed = perf.failures(results)
    if missed:
        print("afb bench perf: targets missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


def _cmd_protocols(args) -> int:
    for name in builtin_protocols():
        print(name)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afb",
        description="Simulate anode-free lithium and sodium metal cells (DFN, PyBaMM).",
        epilog="Run 'afb COMMAND --help' for the arguments of a command.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="run a protocol on a cell, one line per cycle, optionally to an HDF5 file",
        description=(
            "Run a protocol (a TOML file, or the name of a shipped one) on a cell "
            "cycle by cycle, printing charge capacity, discharge capacity and "
            "Coulombic efficiency for every cycle. With --out, every finished cycle "
            "is appended to an HDF5 file at once; a run that stops (killed, "
            "interrupted, solver failure) keeps all finished cycles and continues with "
            "--resume."
        ),
    )
    run.add_argument(
        "protocol", nargs="?", default=DEFAULT_PROTOCOL,
        help=f"protocol file or shipped protocol name (default: {DEFAULT_PROTOCOL}; "
        "see 'afb protocols')",
    )
    run.add_argument(
        "--cell", default=parameter_sets.DEFAULT_CELL,
        help="parameter set name or cell file (TOML) "
        f"(default: {parameter_sets.DEFAULT_CELL}; see 'afb cells')",
    )
    run.add_argument(
        "--set", action="append", default=[], metavar='"NAME [UNIT]=VALUE"',
        help="change one parameter of the cell, repeatable, e.g. "
        '--set "Separator thickness [m]=16e-6"',
    )
    run.add_argument("--out", metavar="FILE.h5", help="write the run to this HDF5 file")
    run.add_argument("--force", action="store_true", help="replace an existing --out file")
    run.add_argument(
        "--resume", metavar="FILE.h5",
        help="continue the run of this file after its last finished cycle",
    )
    run.add_argument("--cycles", type=int, help="run at most this many cycles")
    run.add_argument("--timings", action="store_true",
                     help="at the end, print the time spent solving, summarising and "
                     "storing")
    run.add_argument(
        "--series-points", type=int, default=10, metavar="N",
        help="time-series points kept per step (default: 10)",
    )
    run.add_argument(
        "--option", action="append", default=[], metavar="NAME=VALUE",
        help="model option, repeatable (default: the calibrated mechanisms, "
        + ", ".join(f"{k}={v}" for k, v in CALIBRATED_OPTIONS.items())
        + "); allowed: "
        + "; ".join(f"{k}: {', '.join(v)}" for k, v in ALLOWED_OPTIONS.items()),
    )
    run.set_defaults(func=_cmd_run)

    design = sub.add_parser(
        "design",
        help="energy density of a cell's stack (Wh kg-1, Wh L-1) with its mass table",
        description=(
            "Gravimetric and volumetric energy density of the stack's repeat unit "
            "(half of each collector, cathode coating, separator, electrolyte in the "
            "pores, metal plated in the charged state; no tabs or packaging), with "
            "the mean voltage and capacity of a simulated charge and discharge."
        ),
    )
    design.add_argument(
        "cell", nargs="?", default=parameter_sets.DEFAULT_CELL,
        help=f"parameter set name or cell file (default: {parameter_sets.DEFAULT_CELL})",
    )
    design.add_argument(
        "--set", action="append", default=[], metavar='"NAME [UNIT]=VALUE"',
        help="change one parameter of the cell, repeatable",
    )
    design.add_argument("--rate", default="C/10",
                        help="charge and discharge rate (default: C/10)")
    design.set_defaults(func=_cmd_design)

    show = sub.add_parser("show", help="print the per-cycle table of a run file")
    show.add_argument("file", metavar="FILE.h5")
    show.set_defaults(func=_cmd_show)

    plot = sub.add_parser(
        "plot",
        help="draw voltage against capacity, capacity and CE, and the metal inventory",
    )
    plot.add_argument("file", metavar="FILE.h5")
    plot.add_argument("-o", "--output", default="afb_run.png", metavar="OUT.png",
                      help="image file to write (default: afb_run.png)")
    plot.set_defaults(func=_cmd_plot)

    bench = sub.add_parser(
        "bench",
        help="benchmark regression: check or update reference runs; time against PyBaMM",
        description=(
            "Reference cases live in DIR/cases/*.toml and their stored results in "
            "DIR/references/*.json (DIR: ./benchmarks by default, run from the "
            "repository's root)."
        ),
    )
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    for name, text in [
        ("check", "re-run the cases and report each quantity's drift from its "
                  "reference; exit status 1 on drift"),
        ("update", "re-run the cases and store their results as the new references, "
                   "with the reason"),
    ]:
        command = bench_sub.add_parser(name, help=text, description=text)
        command.add_argument("cases", nargs="*", metavar="CASE",
                             help="case names (default: all)")
        command.add_argument("--fast", action="store_true",
                             help="only the cases marked fast (what CI runs)")
        command.add_argument("--dir", default="benchmarks",
                             help="the benchmarks folder (default: ./benchmarks)")
        if name == "update":
            command.add_argument("--reason", required=True,
                                 help="why the references change (kept in their history)")
        command.set_defaults(func=_cmd_bench_check if name == "check" else _cmd_bench_update)
    perf = bench_sub.add_parser(
        "perf",
        help="per-cycle time against PyBaMM's half-cell DFN, and a 1000-cycle run's "
             "wall time, memory and file size",
        description=(
            "Times AnodeFreeDFN against PyBaMM's half-cell DFN (plain, and with SEI "
            "against all our mechanisms) cycle by cycle in this process, then runs a "
            "long `afb run` in a child process. Writes a JSON file and a Markdown "
            "table with the machine's description; exit status 1 if a target is missed."
        ),
    )
    perf.add_argument("--cycles", type=int, default=1000,
                      help="cycles of the long run (default: 1000; 0 skips it)")
    perf.add_argument("--compare-cycles", type=int, default=20,
                      help="timed cycles per comparison with PyBaMM (default: 20)")
    perf.add_argument("--json", default="benchmarks/perf.json", metavar="FILE",
                      help="JSON output (default: benchmarks/perf.json)")
    perf.add_argument("--markdown", default="benchmarks/RESULTS.md", metavar="FILE",
                      help="Markdown output (default: benchmarks/RESULTS.md)")
    perf.set_defaults(func=_cmd_bench_perf)

    cells = sub.add_parser("cells", help="list the parameter sets")
    cells.set_defaults(func=_cmd_cells)
    protocols = sub.add_parser("protocols", help="list the shipped protocols")
    protocols.set_defaults(func=_cmd_protocols)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ProtocolError, OptionError, CellError, UsageError, BenchError, KeyError,
            RunEndedError) as e:
        message = e.args[0] if e.args else str(e)
        print(f"afb: error: {message}", file=sys.stderr)
        return BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
