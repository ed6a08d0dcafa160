"""The ``afb`` command line."""

from __future__ import annotations

import argparse
import sys

from . import parameter_sets
from .options import ALLOWED_OPTIONS, CALIBRATED_OPTIONS, OptionError
from .protocols import ProtocolError, builtin_protocols, load_protocol

DEFAULT_PROTOCOL = "louli2020"

def _format_row(summary: dict) -> str:
    cells = [
        f"{summary['Cycle']:>5d}",
        f"{1e3 * summary['Charge capacity [A.h]']:>15.3f}",
        f"{1e3 * summary['Discharge capacity [A.h]']:>15.3f}",
        f"{100 * summary['Coulombic efficiency']:>9.3f}",
    ]
    return "  ".join(cells)


def _header() -> str:
    return "  ".join([f"{'cycle':>5s}", f"{'charge [mAh]':>15s}", f"{'discharge [mAh]':>15s}",
                      f"{'CE [%]':>9s}"])


def _parse_options(pairs: list[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        if "=" not in pair:
            raise OptionError(f"--option '{pair}': write NAME=VALUE")
        name, value = pair.split("=", 1)
        options[name.strip()] = value.strip()
    return options


def _cmd_run(args) -> int:
    from .options import validate_options
    from .runner import Runner, SolverFailure

    options = validate_options(CALIBRATED_OPTIONS | _parse_options(args.option))
    values = parameter_sets.get_parameter_values(args.cell)
    protocol = load_protocol(args.protocol, values)
    if args.cycles is not None:
        protocol = protocol.with_cycles(args.cycles)
    print(f"afb run: {protocol.name} on {args.cell} ({protocol.n_cycles} cycles at most)")
    print(_header())
    runner = Runner(protocol, values, options)
    try:
        for result in runner.cycles():
            print(_format_row(result.summary | {"Cycle": result.cycle}), flush=True)
    except SolverFailure as e:
        print(f"afb run: {e}", file=sys.stderr)
        return 1
    if runner.stop_reason:
        print(f"stopped: {runner.stop_reason}")
    return 0


def _cmd_cells(args) -> int:
    for name in parameter_sets.list_parameter_sets():
        print(f"{name:24s} {parameter_sets.describe(name)}")
    return 0


def _cmd_protocols(args) -> int:
    for name in builtin_protocols():
        print(name)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afb",
        description="Simulate anode-free lithium and sodium metal cells (DFN, PyBaMM).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="run a protocol on a cell and print one line per cycle",
        description=(
            "Run a protocol (a TOML file, or the name of a shipped one) on a cell "
            "(the name of a parameter set) and print charge capacity, discharge "
            "capacity and Coulombic efficiency for every cycle."
        ),
    )
    run.add_argument(
        "protocol", nargs="?", default=DEFAULT_PROTOCOL,
        help=f"protocol file or shipped protocol name (default: {DEFAULT_PROTOCOL}; "
        "see 'afb protocols')",
    )
    run.add_argument(
        "--cell", default=parameter_sets.DEFAULT_CELL,
        help=f"parameter set name (default: {parameter_sets.DEFAULT_CELL}; see 'afb cells')",
    )
    run.add_argument("--cycles", type=int, help="run at most this many cycles")
    run.add_argument(
        "--option", action="append", default=[], metavar="NAME=VALUE",
        help="model option, repeatable (default: the calibrated mechanisms, "
        + ", ".join(f"{k}={v}" for k, v in CALIBRATED_OPTIONS.items())
        + "); allowed: "
        + "; ".join(f"{k}: {', '.join(v)}" for k, v in ALLOWED_OPTIONS.items()),
    )
    run.set_defaults(func=_cmd_run)

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
    except (ProtocolError, OptionError, KeyError) as e:
        message = e.args[0] if e.args else str(e)
        print(f"afb: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
