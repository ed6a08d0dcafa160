"""The ``afb`` command line."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from pathlib import Path

import numpy as np

# Only light modules here: PyBaMM, xarray and the models are imported by the
# commands that need them, so that `afb --help`, `afb cells` and `afb protocols`
# start in a fraction of a second (tests/test_cli_speed.py).
from . import parameter_sets
from .errors import (BAD_INPUT_ERRORS, CellError, DataError, FitError, OptionError,
                     ProtocolError, RunEndedOutput, RunFileError, RunFileWriteError)
from .acceleration import SOLVED, Acceleration
from .options import ALLOWED_OPTIONS, CALIBRATED_OPTIONS
from .plotting import RUN_FIGURES  # (matplotlib is imported when a figure is drawn)

DEFAULT_PROTOCOL = "louli2020"

#: (the time series' defaults, afb_models.results: 100 points per step at most, 1 mV)
DEFAULT_SERIES_POINTS, DEFAULT_SERIES_MV = 100, 1.0

#: exit statuses: 0 done; 1 the run stopped (a solver failure, the file could not be
#: written), its finished cycles kept; 2 bad input (nothing written); 3 an internal
#: error (a bug: the traceback is shown, the run file records it); 130 interrupted
SOLVER_FAILED, BAD_INPUT, INTERNAL_ERROR, INTERRUPTED = 1, 2, 3, 130


class UsageError(ValueError):
    """A command line that cannot be carried out."""


def _header() -> str:
    return "  ".join(
        [f"{'cycle':>5s}", f"{'charge [mAh]':>15s}", f"{'discharge [mAh]':>15s}",
         f"{'CE [%]':>9s}"]
    )


def _row(cycle: int, charge_Ah: float, discharge_Ah: float, ce: float,
         solved: bool = True) -> str:
    return "  ".join(
        [f"{cycle:>5d}", f"{1e3 * charge_Ah:>15.3f}", f"{1e3 * discharge_Ah:>15.3f}",
         f"{100 * ce:>9.3f}"]
    ) + ("" if solved else "  (extrapolated)")


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
    from .cells import apply_settings, load_cell
    from .study import CycleSimulator

    cell = load_cell(args.cell or parameter_sets.DEFAULT_CELL)
    apply_settings(cell, args.set)
    series_points = (DEFAULT_SERIES_POINTS if args.series_points is None
                     else args.series_points)
    if series_points < 1:
        raise UsageError("--series-points must be at least 1")
    series_mv = DEFAULT_SERIES_MV if args.series_tolerance is None else args.series_tolerance
    if not 0 <= series_mv < float("inf"):
        raise UsageError("--series-tolerance must be a number of mV, 0 or more")
    if args.cycles is not None and args.cycles < 1:
        raise UsageError("--cycles must be at least 1")
    accelerate = None
    if args.accelerate or args.accelerate_tolerance is not None:
        settings = ({} if args.accelerate_tolerance is None
                    else {"tolerance": args.accelerate_tolerance})
        try:
            accelerate = Acceleration.from_setting(settings, "--accelerate-tolerance")
        except ValueError as e:
            raise UsageError(str(e)) from None
    if args.out is not None and Path(args.out).exists() and not args.force:
        raise UsageError(
            f"{args.out}: exists; continue it with --resume, or replace it with --force"
        )
    return CycleSimulator(
        cell, args.protocol or DEFAULT_PROTOCOL, _parse_options(args.option),
        cycles=args.cycles, series_points=series_points,
        series_tolerance=1e-3 * series_mv, accelerate=accelerate,
    )


#: what a resumed run takes from its file, and so cannot be given again
_NOT_WITH_RESUME = {
    "protocol": "a protocol", "cell": "--cell", "set": "--set", "option": "--option",
    "out": "--out", "force": "--force", "series_points": "--series-points",
    "series_tolerance": "--series-tolerance",
    "timings": "--timings", "accelerate": "--accelerate",
    "accelerate_tolerance": "--accelerate-tolerance",
}


def _check_resume_flags(args) -> None:
    given = [flag for name, flag in _NOT_WITH_RESUME.items() if getattr(args, name)]
    if given:
        raise UsageError(
            f"--resume continues with the cell, parameters, options, protocol and file "
            f"stored in {args.resume}; {', '.join(given)} cannot be given with it "
            "(--cycles can: the number of cycles in all)"
        )
    if args.cycles is not None and args.cycles < 1:
        raise UsageError("--cycles must be at least 1")


class _Output:
    """Standard output of a run: its lines, and a row per finished cycle above the
    progress bar. Once its reader has gone (``afb run | head``) it prints no more,
    and a run that writes no file stops, since nobody gets its results."""

    def __init__(self, writes_file: bool):
        self.writes_file = writes_file
        self.closed = False

    def say(self, text: str) -> None:
        from tqdm import tqdm

        if self.closed:
            return
        try:
            tqdm.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            self.closed = True
            _drop_stdout()
        if self.closed and not self.writes_file:
            raise RunEndedOutput()

    def __call__(self, result) -> None:
        s = result.summary
        self.say(_row(result.cycle, s["Charge capacity [A.h]"],
                      s["Discharge capacity [A.h]"], s["Coulombic efficiency"],
                      solved=bool(s.get(SOLVED, 1.0))))


def _drop_stdout() -> None:
    """Send what is left for a closed standard output to /dev/null, so that the
    interpreter's last flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _progress_wanted() -> bool:
    """A progress bar only where a person watches: standard error is a terminal."""
    return sys.stderr.isatty()


def _cmd_run(args) -> int:
    from . import study
    from .runner import SolverFailure
    from .store import WriteLock, check_writable

    # what a long run on the command line needs, beyond a library call: a progress
    # bar where someone watches, rows as cycles finish, process-wide settings
    out = _Output(writes_file=bool(args.resume or args.out))
    sinks = {"progress": _progress_wanted(), "on_cycle": out,
             "raise_on_failure": True, "process_wide": True}
    simulator = None
    target = args.resume or args.out
    if args.resume:
        _check_resume_flags(args)
        if not Path(args.resume).is_file():
            raise RunFileError(f"{args.resume}: no such run file")
    elif args.out:
        check_writable(args.out)
    # the file is ours from here on (a second writer is refused before any work)
    lock = WriteLock(target).acquire() if target else None
    try:
        if args.resume:
            run = _load_or_fail(args.resume)
            header = (f"afb run: resuming {run.metadata['protocol_name']} on "
                      f"{run.metadata['cell']} after cycle "
                      f"{run.cycles.sizes.get('cycle', 0)}")
        else:
            simulator = _prepare(args)
            protocol, cell = simulator.protocol, simulator.cell
            header = (f"afb run: {protocol.name} on {cell.name} "
                      f"({protocol.n_cycles} cycles at most)")
        try:
            out.say(header)
            out.say(_header())
            if simulator is None:
                run = study.resume(args.resume, cycles=args.cycles,
                                   accept_changed_cell=args.accept_changed_cell, **sinks)
            else:
                run = simulator.simulate(out=args.out, overwrite=args.force, **sinks)
        except SolverFailure as e:
            print(f"afb run: {e}", file=sys.stderr)
            _print_measurements(e.run, out)
            return SOLVER_FAILED
        except RunFileWriteError as e:
            print(f"afb run: {e.strerror}; the finished cycles are kept", file=sys.stderr)
            return SOLVER_FAILED
        except RunEndedOutput:
            return 0
        except KeyboardInterrupt:
            print("afb run: interrupted; continue with --resume", file=sys.stderr)
            return INTERRUPTED
    finally:
        if lock is not None:
            lock.release()
    if run.status != "completed":
        out.say(run.status)
    if SOLVED in run.cycles:
        solved = int(run.cycles[SOLVED].values.sum())
        total = run.cycles.sizes.get("cycle", 0)
        if solved < total:
            out.say(f"{solved} of {total} cycles solved in full, {total - solved} "
                    "extrapolated")
    _print_measurements(run, out)
    if args.timings and simulator is not None:
        t = simulator.last_timings
        out.say(
            f"timings: solve {t['solve [s]']:.2f} s, summary {t['summary [s]']:.2f} s, "
            f"store {t['store [s]']:.2f} s; runner and store add "
            f"{100 * (t['summary [s]'] + t['store [s]']) / t['solve [s]']:.1f} %"
        )
    return 0


def _print_measurements(run, out=None) -> None:
    say = out.say if out is not None else print
    for name, value in run.measurements.items():
        say(f"{name}: {100 * value:.4f} %" if "efficiency" in name else
            f"{name}: {value:g}")


def _cmd_sweep(args) -> int:
    from .sweeps import failed, load_study, run_study

    study = load_study(args.study)
    results = run_study(study, args.out, workers=args.workers, scheduler=args.scheduler,
                        progress=_progress_wanted(), force=args.force)
    skipped = sum(r["skipped"] for r in results)
    bad = failed(results)
    print(f"afb sweep: {len(results)} cases in {args.out} ({skipped} already done); "
          f"afb show {args.out} for the table")
    for r in bad:
        print(f"afb sweep: case {r['index'] + 1}: {r['status']}", file=sys.stderr)
    return SOLVER_FAILED if bad else 0


def _cmd_show(args) -> int:
    if Path(args.file).is_dir():
        from .sweeps import load_sweep, sweep_table

        ds = load_sweep(args.file)
        print(f"{args.file}: sweep {ds.attrs['sweep']} ({ds.attrs['kind']})")
        print(sweep_table(ds))
        return 0
    if _is_fit_file(args.file):
        from .fitting import load_fit

        result = load_fit(args.file)
        print(f"{args.file}: fit of {result.metadata.get('cell')} to "
              f"{result.metadata.get('data', {}).get('path')}")
        print(result.summary())
        return 0
    run = _load_or_fail(args.file)
    meta = run.metadata
    print(f"{args.file}: {meta['protocol_name']} on {meta['cell']}, {run.status}")
    print(f"started {meta['start_time']}, ended {meta['end_time'] or '-'}; "
          f"afb {meta['afb_version']}, PyBaMM {meta['pybamm_version']}")
    print(_header())
    c = run.cycles
    solved = c[SOLVED].values if SOLVED in c else np.ones(c.sizes.get("cycle", 0))
    for i in range(c.sizes.get("cycle", 0)):
        print(_row(int(c["cycle"].values[i]), float(c["Charge capacity"].values[i]),
                   float(c["Discharge capacity"].values[i]),
                   float(c["Coulombic efficiency"].values[i]), solved=bool(solved[i])))
    _print_measurements(run)
    return 0


def _cmd_fit(args) -> int:
    from .fitting import fit, load_fit_file

    spec = load_fit_file(args.fit_file)
    if args.workers is not None:
        spec["workers"] = args.workers
    out = Path(args.out) if args.out else Path(args.fit_file).with_suffix(".h5")
    if out.exists() and not args.force:
        raise UsageError(f"{out}: exists; pass --force to replace it")
    if not out.parent.is_dir():
        raise UsageError(f"--out {out}: no folder {out.parent}")
    try:
        result = fit(**spec, progress=args.verbose)
    except (FitError, CellError, DataError, ProtocolError, OptionError) as e:
        # the fit file is where the user put what is wrong
        message = str(e)
        raise UsageError(message if message.startswith(f"{args.fit_file}:")
                         else f"{args.fit_file}: {message}") from None
    print(result.summary())
    result.save(out)
    print(f"afb fit: wrote {out} (afb plot {out} overlays the data and the model)")
    return 0


def _cmd_plot(args) -> int:
    from .plotting import plot_run

    if Path(args.file).is_dir():
        from .plotting import plot_sweep
        from .sweeps import load_sweep

        plot_sweep(load_sweep(args.file), args.output, merit=args.merit,
                   against=args.against)
        print(f"afb plot: wrote {args.output}")
        return 0
    if _is_fit_file(args.file):
        from .fitting import load_fit
        from .plotting import plot_fit

        plot_fit(load_fit(args.file), args.output)
        print(f"afb plot: wrote {args.output}")
        return 0
    run = _load_or_fail(args.file)
    if run.cycles.sizes.get("cycle", 0) == 0:
        raise UsageError(f"{args.file}: no finished cycle to plot")
    figures = tuple(args.figure) if args.figure else None  # (None: the cell's own)
    try:
        plot_run(run, args.output, cycles=args.cycles, areal=args.areal, figures=figures,
                 ce_log=args.ce_log)
    except ValueError as e:
        raise UsageError(f"{args.file}: {e}") from None
    print(f"afb plot: wrote {args.output}")
    return 0


def _cycle_list(text: str) -> list[int]:
    """``--cycles 1,10,100``: cycle numbers, each at least 1."""
    try:
        numbers = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}': give cycle numbers separated by commas, e.g. 1,10,100") from None
    if not numbers or min(numbers) < 1:
        raise argparse.ArgumentTypeError(f"'{text}': cycle numbers start at 1")
    return numbers


def _is_fit_file(path) -> bool:
    """Whether ``path`` is a saved fit (``afb fit``) rather than a run file."""
    import h5py

    try:
        with h5py.File(path, "r") as f:
            return "fit" in f and "data" in f
    except OSError:
        return False


def _load_or_fail(path):
    from .store import load

    return load(path)  # RunFileError: one line, exit status 2


def _cmd_eis(args) -> int:
    import numpy as np

    from .spectra import impedance

    if not (0 < args.fmin < args.fmax < float("inf")):
        raise UsageError("--fmin and --fmax: give 0 < fmin < fmax in Hz")
    if args.points < 2:
        raise UsageError("--points must be at least 2")
    frequencies = np.logspace(np.log10(args.fmin), np.log10(args.fmax), args.points)
    cell = args.cell
    if str(cell).endswith((".h5", ".hdf5")):
        if args.set:
            raise UsageError("--set: a run file's spectrum is of its own cell")
        _load_or_fail(cell)  # one line if it is not a run file
    elif args.set:
        from .cells import apply_settings, load_cell

        cell = load_cell(cell)
        apply_settings(cell, args.set)
    spectrum = impedance(cell, frequencies, options=_parse_options(args.option))
    area = spectrum.attrs["area [cm2]"]
    print(f"afb eis: {spectrum.attrs['cell']} at rest ({area:g} cm2)")
    print(f"{'frequency [Hz]':>15} {'Re Z [Ohm]':>13} {'-Im Z [Ohm]':>13} "
          f"{'|Z| [Ohm]':>13} {'phase [deg]':>12}")
    for f, re, im, mod, ph in zip(frequencies, spectrum["Real impedance"].values,
                                  spectrum["Imaginary impedance"].values,
                                  spectrum["Impedance modulus"].values,
                                  spectrum["Phase"].values):
        print(f"{f:15.4g} {re:13.6g} {-im:13.6g} {mod:13.6g} {ph:12.3f}")
    if args.output:
        from .plotting import plot_nyquist

        plot_nyquist(spectrum, args.output)
        print(f"afb eis: wrote {args.output}")
    if args.netcdf:
        spectrum.to_netcdf(args.netcdf)
        print(f"afb eis: wrote {args.netcdf}")
    return 0


def _cmd_cells(args) -> int:
    names = parameter_sets.list_parameter_sets()
    width = max(map(len, names))
    for name in names:
        print(f"{name:{width}s}  {parameter_sets.describe(name)}")
    return 0


def _cmd_design(args) -> int:
    from .cells import apply_settings
    from .design import Cathode, Coating, c_rate_per_h, load_design, parse_quantity

    if args.rate is not None:
        c_rate_per_h(args.rate, "--rate")
    spec = load_design(args.cell)
    apply_settings(spec.cell, args.set)
    # the flags over the design file's values
    flags = {"specific_capacity": "--specific-capacity",
             "electrode_density": "--electrode-density",
             "active_fraction": "--active-fraction", "loading": "--loading",
             "thickness": "--cathode-thickness", "active_density": "--active-density",
             "inactive_density": "--inactive-density"}
    given = {key: getattr(args, key) for key in flags if getattr(args, key) is not None}
    if given:
        from_flags = Cathode.from_datasheet(lambda key: flags[key], **given)
        spec.cathode = spec.cathode.updated(from_flags) if spec.cathode else from_flags
    if args.coating is not None:
        spec.coating = Coating.parse(args.coating, "--coating")
    simulate = args.simulate or args.rate is not None
    if args.voltage is not None:
        if simulate:
            raise UsageError("--voltage is the estimate's nominal voltage; with "
                             "--simulate (or --rate) the discharge gives it")
        spec.voltage_V = parse_quantity(args.voltage, "voltage", "--voltage")
    report = spec.report(simulate=simulate, rate=args.rate or "C/10")
    print(report.table())
    return 0


def _bench_progress(case) -> None:
    print(f"running {case.name}: {case.description.splitlines()[0]}", flush=True)


def _cmd_bench_check(args) -> int:
    from . import bench

    cases = bench.load_cases(args.dir, args.cases, fast_only=args.fast)
    report = bench.check(cases, args.dir, progress=_bench_progress)
    print(report.text())
    if not report.ok:
        print(f"afb bench check: drift in {', '.join(report.drifted_cases())}",
              file=sys.stderr)
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
    return _write_bench_results("perf", results, perf.markdown(results),
                                perf.failures(results), args.json, args.markdown)


def _write_bench_results(name, results, section, missed, json_path, markdown_path) -> int:
    from .bench.results_file import write_section

    Path(json_path).parent.mkdir(parents=True, exist_ok=True)
    Path(json_path).write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {json_path}")
    print(f"wrote {write_section(markdown_path, name, section)}")
    if missed:
        print(f"afb bench {name}: targets missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


def _cmd_bench_sweep(args) -> int:
    from .bench import sweepbench

    results = sweepbench.run_sweep_benchmark(args.workers)
    return _write_bench_results("sweep", results, sweepbench.markdown(results),
                                sweepbench.failures(results), args.json, args.markdown)


def _cmd_bench_skip(args) -> int:
    from .bench import skipbench

    results = skipbench.run_skip_benchmark()
    return _write_bench_results("skip", results, skipbench.markdown(results),
                                skipbench.failures(results), args.json, args.markdown)


def _cmd_bench_fit(args) -> int:
    import tempfile

    from .bench import fitbench

    with tempfile.TemporaryDirectory() as folder:
        results = fitbench.run_fit_benchmark(folder, args.cycles, args.workers)
    return _write_bench_results("fit", results, fitbench.markdown(results),
                                fitbench.failures(results), args.json, args.markdown)


def _cmd_protocols(args) -> int:
    from .protocols import protocol_catalogue

    catalogue = protocol_catalogue()
    if args.names:
        for entry in catalogue:
            print(entry["name"])
        return 0
    width = max(len(e["name"]) for e in catalogue)
    for e in catalogue:
        cells = ", ".join(e["cells"]) or "any cell"
        metals = f" ({', '.join(e['metals'])})" if e["metals"] else ""
        print(f"{e['name']:<{width}}  [{cells}{metals}] {e['summary']}")
    return 0


def _results_arguments(parser, name: str) -> None:
    """The output files of ``afb bench NAME``: its JSON, and its section of the
    Markdown results."""
    parser.add_argument("--json", default=f"benchmarks/{name}.json", metavar="FILE",
                        help=f"JSON output (default: benchmarks/{name}.json)")
    parser.add_argument("--markdown", default="benchmarks/RESULTS.md", metavar="FILE",
                        help="Markdown output (default: benchmarks/RESULTS.md)")


def _option_argument(parser) -> None:
    """``--option NAME=VALUE`` of the commands that build a model."""
    parser.add_argument(
        "--option", action="append", default=[], metavar="NAME=VALUE",
        help="model option, repeatable (default: the calibrated mechanisms, "
        + ", ".join(f"{k}={v}" for k, v in CALIBRATED_OPTIONS.items())
        + ", and the cell's own); allowed: "
        + "; ".join(f"{k}: {', '.join(v)}" for k, v in ALLOWED_OPTIONS.items()),
    )


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
        "protocol", nargs="?", default=None,
        help=f"protocol file or shipped protocol name (default: {DEFAULT_PROTOCOL}; "
        "see 'afb protocols')",
    )
    run.add_argument(
        "--cell", default=None,
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
        help="continue the run of this file after its last finished cycle, with the "
        "cell, parameters, options and protocol stored in it",
    )
    run.add_argument(
        "--accept-changed-cell", action="store_true",
        help="with --resume: continue even though the run's cell file or parameter set "
        "has changed since it started (the run keeps its stored parameter values)",
    )
    run.add_argument("--cycles", type=int,
                     help="run at most this many cycles (with --resume: in all, which "
                     "can extend a run that completed)")
    run.add_argument("--timings", action="store_true",
                     help="at the end, print the time spent solving, summarising and "
                     "storing")
    run.add_argument(
        "--accelerate", action="store_true",
        help="skip cycles where the cell changes slowly: solve a few in full, "
        "extrapolate its slow states (losses, films, deposit, metal left) over many, "
        "with error control; every cycle is still printed and stored, marked solved "
        "or extrapolated (a resumed run keeps what it was started with)",
    )
    run.add_argument(
        "--accelerate-tolerance", type=float, default=None, metavar="TOL",
        help="with --accelerate: the relative error a jump may add to the slow states "
        f"and the capacity (default: {Acceleration().tolerance:g})",
    )
    run.add_argument(
        "--series-points", type=int, default=None, metavar="N",
        help="the most time-series points a step keeps (default: "
             f"{DEFAULT_SERIES_POINTS:g})",
    )
    run.add_argument(
        "--series-tolerance", type=float, default=None, metavar="MV",
        help="the time series keeps the points where the voltage changes: a dropped "
             "point is within this many mV of the line through the kept ones "
             f"(default: {DEFAULT_SERIES_MV:g}); 0: --series-points evenly in time, as "
             "a cycler logs",
    )
    _option_argument(run)
    run.set_defaults(func=_cmd_run)

    design = sub.add_parser(
        "design",
        help="a cell's stack: layer thicknesses and masses, cathode capacity, energy "
             "density (Wh kg-1, Wh L-1)",
        description=(
            "The stack's repeat unit in the charged state (half of each collector, the "
            "cathode coating, the separator, the metal plated on the collector, a "
            "coating on it; no tabs or packaging): each layer's thickness as given "
            "(the electrolyte in a porous layer's pores adds mass, not thickness), its "
            "mass per area and share of the mass; the cathode's capacity; and the "
            "energy density. Without --simulate (at once, no model): the energy is the "
            "cathode's nominal capacity at its mean open-circuit voltage over the "
            "cycled window against the metal (or --voltage). With --simulate: a "
            "charge and discharge of the DFN model at --rate give the capacity, the "
            "mean voltage and the plated metal. C-rates and the nominal capacity are "
            "of the cell's own cathode: loading x specific capacity, or maximum "
            "concentration x active volume fraction x thickness x the stoichiometry "
            "window between the cut-offs. The cathode flags (or a design file's "
            "[cathode] table) replace the cell's cathode with what a datasheet gives; "
            "each value is a number with its unit."
        ),
        epilog=(
            "A design file (TOML): cell = \"AFB_Li_NMC532_Cu\" (or a cell file beside "
            "it); optional voltage = \"3.8 V\"; tables [parameters] (as in a cell "
            "file), [cathode] (specific_capacity, electrode_density, active_fraction, "
            "loading or thickness, active_density, inactive_density) and [coating] "
            "(material, thickness, density). Flags override it. See "
            "afb_models.design."
        ),
    )
    design.add_argument(
        "cell", nargs="?", default=parameter_sets.DEFAULT_CELL,
        metavar="CELL|DESIGN.toml",
        help="parameter set name, cell file, or design file "
        f"(default: {parameter_sets.DEFAULT_CELL})",
    )
    design.add_argument(
        "--set", action="append", default=[], metavar='"NAME [UNIT]=VALUE"',
        help="change one parameter of the cell, repeatable (before the cathode flags, "
        "which replace the cathode's values)",
    )
    sheet = design.add_argument_group(
        "cathode, as a datasheet gives it (each replaces the cell's value)")
    sheet.add_argument("--specific-capacity", metavar="Q",
                       help='of the active material between the cut-offs, e.g. '
                       '"190 mAh/g" (sets the as-made metal content of the cathode so '
                       'that the charge to the upper cut-off gives it)')
    sheet.add_argument("--electrode-density", metavar="RHO",
                       help='of the dry coating (active, binder, carbon), e.g. '
                       '"3.4 g/cm3"')
    sheet.add_argument("--active-fraction", metavar="W",
                       help='active material in the dry coating, e.g. "96 wt%%"')
    sheet.add_argument("--loading", metavar="M",
                       help='dry coating per area on one side, e.g. "20 mg/cm2" (its '
                       'thickness: loading / electrode density)')
    sheet.add_argument("--cathode-thickness", dest="thickness", metavar="L",
                       help='the coating\'s thickness instead of --loading, e.g. "60 um"')
    sheet.add_argument("--active-density", metavar="RHO",
                       help='crystal density of the active material, e.g. "4.75 g/cm3"')
    sheet.add_argument("--inactive-density", metavar="RHO",
                       help='density of the binder and carbon, e.g. "1.9 g/cm3"')
    design.add_argument(
        "--coating", metavar='"MATERIAL, THICKNESS, DENSITY"',
        help='a coating on the negative collector, e.g. "Au, 50 nm, 19.3 g/cm3" '
        "(its mass and thickness; its plating is the cell's substrate)",
    )
    design.add_argument(
        "--voltage", metavar="V",
        help='nominal voltage of the estimate without simulation, e.g. "3.8 V" '
        "(default: the cathode's mean open-circuit voltage over its window)",
    )
    design.add_argument(
        "--simulate", action="store_true",
        help="also charge and discharge the cell with the DFN model (seconds): its "
        "capacity, mean voltage and plated metal replace the estimate's",
    )
    design.add_argument(
        "--rate", default=None,
        help="C-rate of the simulated charge and discharge, of the cathode's capacity "
        "(default: C/10; implies --simulate)",
    )
    design.set_defaults(func=_cmd_design)

    sweep = sub.add_parser(
        "sweep",
        help="run a study's cases (a grid, a list or a sample) on local processes or Dask",
        description=(
            "Runs every case of a study file into its own run file in --out, on local "
            "worker processes or, with --scheduler, on a dask.distributed cluster whose "
            "workers can reach --out. Running it again continues: finished cases are "
            "skipped, killed ones resumed. Exit status 1 if a case failed (the others "
            "still run). See afb_models.sweeps.load_study for the file's keys."
        ),
    )
    sweep.add_argument("study", metavar="STUDY.toml")
    sweep.add_argument("--out", required=True, metavar="DIR",
                       help="the sweep's folder (created; reused to continue)")
    sweep.add_argument("--workers", type=int, metavar="N",
                       help="local processes (default: the cores)")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786")
    sweep.add_argument("--force", action="store_true",
                       help="replace another sweep's results in --out")
    sweep.set_defaults(func=_cmd_sweep)

    show = sub.add_parser(
        "show", help="print the per-cycle table of a run file, a fit's values, or the "
                     "table of cases of a sweep folder",
        description=(
            "For a run file (afb run --out): its protocol, cell, status and versions, "
            "then charge capacity, discharge capacity and Coulombic efficiency per "
            "cycle and the protocol's measurements. For a fit file (afb fit): the "
            "fitted values with their 95 % intervals. For a sweep folder (afb sweep): "
            "each case's status and figures of merit. Reads the file only (a run "
            "being written shows its finished cycles); for everything a run stores, "
            "open it with afb_models.load(FILE) or xarray."
        ),
    )
    show.add_argument("file", metavar="FILE.h5",
                      help="a run file, a fit file (afb fit) or a sweep folder")
    show.set_defaults(func=_cmd_show)

    plot = sub.add_parser(
        "plot",
        help="draw a run's figures (voltage curves, dQ/dV, capacity and retention, CE, "
             "metal inventory, losses), a fit against its data, or a sweep",
        description=(
            "For a run file: voltage against capacity and dQ/dV for chosen cycles "
            "(each charge and discharge from zero, coloured by cycle), discharge "
            "capacity with the retention, CE on an axis that shows 99-100 % (the "
            "formation cycles marked), the stacked metal inventory and each "
            "mechanism's loss per cycle. For a fit file: the data and the fitted "
            "model. For a sweep folder: retention of every case and a figure of merit "
            "against a varied quantity. Each figure of a run is also a function of "
            "afb_models.plotting."
        ),
    )
    plot.add_argument("file", metavar="FILE.h5",
                      help="a run file, a fit file (afb fit) or a sweep folder (afb sweep)")
    plot.add_argument("--merit", default="Cycles to 80 %",
                      help="a sweep's figure of merit to draw against a varied quantity "
                           "(default: 'Cycles to 80 %%'; also 'Mean CE', 'First-cycle CE', "
                           "'Total metal loss', ...)")
    plot.add_argument("--against", metavar="NAME",
                      help="the varied quantity on its x axis (default: the first)")
    plot.add_argument("-o", "--output", default="afb_run.png", metavar="OUT.png",
                      help="image file to write; its suffix picks the format (.png, "
                           ".pdf, .svg) (default: afb_run.png)")
    plot.add_argument("--cycles", type=_cycle_list, metavar="1,10,100",
                      help="a run's cycles to draw voltage curves and dQ/dV for "
                           "(default: the first two, the last and three between)")
    plot.add_argument("--areal", action="store_true",
                      help="capacities per electrode area (mAh cm-2) instead of mAh")
    plot.add_argument("--figure", action="append", choices=RUN_FIGURES,
                      help="draw only this figure of a run, repeatable (default: all)")
    plot.add_argument("--ce-log", action="store_true",
                      help="draw 1 - CE on a log axis instead of CE")
    plot.set_defaults(func=_cmd_plot)

    fit = sub.add_parser(
        "fit",
        help="fit cell parameters to cycling data (a BDF or cycler CSV, or a run file)",
        description=(
            "Fits the parameters a fit file names to the cycling data it names, by "
            "bounded least squares on per-cycle targets (discharge capacity, CE, metal "
            "loss, voltage curves), and prints each value with its 95 % interval, the "
            "correlations and any identifiability warning. The model replays the "
            "protocol file given, or the steps reconstructed from the data. See "
            "afb_models.fitting.load_fit_file for the file's keys."
        ),
    )
    fit.add_argument("fit_file", metavar="FIT.toml")
    fit.add_argument("--out", metavar="FIT.h5",
                     help="where to save the fit (default: FIT.h5 beside FIT.toml)")
    fit.add_argument("--workers", type=int, metavar="N",
                     help="model runs in parallel (default: the cores)")
    fit.add_argument("--force", action="store_true", help="replace an existing --out")
    fit.add_argument("-v", "--verbose", action="store_true",
                     help="print the cost of every model evaluation")
    fit.set_defaults(func=_cmd_fit)

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
                  "reference (the cycle where it is largest, both values, the "
                  "direction, the cycles beyond tolerance), the reasons the drifted "
                  "references were recorded for, and fingerprints that differ; exit "
                  "status 1 on drift"),
        ("update", "re-run the cases and store their results as the new references, "
                   "with their fingerprints and the reason"),
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
             "time per cycle against PyBaMM's, memory and file size",
        description=(
            "Times AnodeFreeDFN against PyBaMM's half-cell DFN (plain, and with SEI "
            "against all our mechanisms) cycle by cycle in this process, then runs a "
            "long `afb run` in a child process and judges its wall time per cycle "
            "against PyBaMM's half cell on the same cycle and tolerances, timed in "
            "the same run (absolute times are reported, not judged). Writes a JSON "
            "file and a Markdown table with the machine's description; exit status 1 "
            "if a target is missed."
        ),
    )
    perf.add_argument("--cycles", type=int, default=1000,
                      help="cycles of the long run (default: 1000, the length its "
                           "ratio target is set for; other lengths report it; 0 "
                           "skips the run)")
    perf.add_argument("--compare-cycles", type=int, default=20,
                      help="timed cycles per comparison with PyBaMM (default: 20)")
    _results_arguments(perf, "perf")
    perf.set_defaults(func=_cmd_bench_perf)
    fit_bench = bench_sub.add_parser(
        "fit",
        help="fit three degradation parameters to 100 cycles of synthetic data: wall "
             "time and model evaluations",
        description=(
            "Runs the default cell at known degradation parameters, writes the run as a "
            "noisy BDF CSV and fits three parameters from guesses a factor of 2 away, as "
            "afb fit would. Writes a JSON file and the fit section of the Markdown "
            "results; exit status 1 if the fit takes over 10 minutes or misses a value."
        ),
    )
    fit_bench.add_argument("--cycles", type=int, default=100,
                           help="cycles of data (default: 100)")
    fit_bench.add_argument("--workers", type=int, default=2,
                           help="model runs in parallel (default: 2)")
    _results_arguments(fit_bench, "fit")
    fit_bench.set_defaults(func=_cmd_bench_fit)
    sweep_bench = bench_sub.add_parser(
        "sweep",
        help="an 8-case sweep serially, on a local pool and on a Dask LocalCluster: "
             "speed-ups",
        description=(
            "Runs 8 cases of the default cell (20 cycles each) serially, on a local "
            "process pool and on a Dask LocalCluster, checks that the results agree, and "
            "writes a JSON file and the sweep section of the Markdown results; exit "
            "status 1 if a speed-up is under 1.7."
        ),
    )
    sweep_bench.add_argument("--workers", type=int, default=2,
                             help="processes of the pool and the cluster (default: 2)")
    _results_arguments(sweep_bench, "sweep")
    sweep_bench.set_defaults(func=_cmd_bench_sweep)
    skip_bench = bench_sub.add_parser(
        "skip",
        help="cycle skipping (--accelerate): speed-up over full runs, 10,000 cycles, "
             "accuracy against full runs",
        description=(
            "Runs 1000 cycles of the default cell with a reservoir that lasts, in full "
            "and accelerated; 10,000 cycles of it accelerated (afb run in a child "
            "process); and the default cell to 80 % and the N/P 0.2 cell through its "
            "knee, in full and accelerated. Writes a JSON file and the skip section of "
            "the Markdown results; exit status 1 if 10,000 cycles take over 60 s or an "
            "accelerated run misses the accuracy targets."
        ),
    )
    _results_arguments(skip_bench, "skip")
    skip_bench.set_defaults(func=_cmd_bench_skip)

    eis = sub.add_parser(
        "eis",
        help="impedance spectrum of a cell at rest, as assembled or at a run file's end",
        description=(
            "The impedance of a cell at rest from a frequency-domain linearisation of "
            "its afb model (PyBaMM's EISSimulation): a table of frequency, Re Z, -Im Z, "
            "|Z| and phase, and optionally a Nyquist plot and the spectrum as netCDF "
            "(xarray). The cell as assembled (a bare collector is blocking), or a run "
            "file's cell at its last finished cycle's end. From Python: "
            "afb_models.impedance(cell, frequencies)."
        ),
    )
    eis.add_argument("cell", nargs="?", default=parameter_sets.DEFAULT_CELL,
                     metavar="CELL",
                     help="a parameter set, a cell file (TOML) or a run file (.h5) "
                          f"(default: {parameter_sets.DEFAULT_CELL})")
    eis.add_argument("--fmin", type=float, default=1e-2, help="lowest frequency [Hz] "
                     "(default: 0.01)")
    eis.add_argument("--fmax", type=float, default=1e6, help="highest frequency [Hz] "
                     "(default: 1e6)")
    eis.add_argument("--points", type=int, default=41,
                     help="frequencies, log-spaced (default: 41)")
    eis.add_argument("--set", action="append", default=[], metavar='"NAME [UNIT]=VALUE"',
                     help="change one parameter of the cell, repeatable")
    _option_argument(eis)
    eis.add_argument("-o", "--output", metavar="NYQUIST.png",
                     help="draw the Nyquist plot to this image file")
    eis.add_argument("--netcdf", metavar="SPECTRUM.nc",
                     help="write the spectrum as netCDF (xarray.open_dataset reads it)")
    eis.set_defaults(func=_cmd_eis)

    cells = sub.add_parser(
        "cells", help="list the shipped parameter sets (cells), each with a line on it",
        description=(
            "Lists the parameter sets shipped with afb, one per line: its name (for "
            "--cell, or pybamm.ParameterValues(NAME)) and what the cell is. A cell "
            "file (TOML) starts from one of them; see docs/ and 'afb run --help'."
        ),
    )
    cells.set_defaults(func=_cmd_cells)
    protocols = sub.add_parser(
        "protocols", help="list the shipped protocols, each with the cells it is for",
        description=(
            "Lists the protocol files shipped with afb: the name to give 'afb run', "
            "the cell configurations (and metals) it is written for, and the first "
            "clause of its description. A protocol of your own is a TOML file in the "
            "same form (the shipped ones are in experiments/)."
        ),
    )
    protocols.add_argument("--names", action="store_true",
                           help="print the names only, one per line (for scripts)")
    protocols.set_defaults(func=_cmd_protocols)
    return parser


class _LogToStderr(logging.Handler):
    """afb's log on the command line: "afb: message" on standard error, INFO and up.
    A handler of the command line's own (the library adds none); it writes to the
    standard error of the moment, which tests capture."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(f"afb: {record.getMessage()}", file=sys.stderr)
        except Exception:  # a log line must never end the run
            self.handleError(record)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the statuses above)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    log = logging.getLogger("afb")
    handler, level = _LogToStderr(level=logging.INFO), log.level
    log.addHandler(handler)
    if log.getEffectiveLevel() > logging.INFO:
        log.setLevel(logging.INFO)
    try:
        return args.func(args)
    except (*BAD_INPUT_ERRORS, UsageError) as e:
        message = e.args[0] if e.args else str(e)
        print(f"afb: error: {message}", file=sys.stderr)
        return BAD_INPUT
    except RunFileWriteError as e:
        print(f"afb: error: {e.strerror}", file=sys.stderr)
        return SOLVER_FAILED
    except BrokenPipeError:
        # the reader has gone (afb show FILE | head): end quietly
        _drop_stdout()
        return 0
    except RunEndedOutput:  # the same, seen by a run's output
        return 0
    except KeyboardInterrupt:
        print("afb: interrupted", file=sys.stderr)
        return INTERRUPTED
    except Exception as e:
        traceback.print_exc()
        print(f"afb: internal error (a bug in afb; please report it with the traceback "
              f"above): {type(e).__name__}: {e}", file=sys.stderr)
        return INTERNAL_ERROR
    finally:
        # main() may be called again in one process (tests, scripts): leave the
        # logger as it was
        log.removeHandler(handler)
        log.setLevel(level)


if __name__ == "__main__":
    sys.exit(main())
