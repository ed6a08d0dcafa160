"""The study layer: one Python API for runs, shared by the command line, the
benchmarks, fitting and sweeps.

>>> import afb_models
>>> run = afb_models.simulate("AFB_Li_NMC532_Cu", "louli2020", cycles=20)
>>> run.cycles["Discharge capacity"]            # xarray, one value per cycle

>>> sim = afb_models.CycleSimulator("AFB_Li_NMC532_Cu", "louli2020", cycles=20,
...     input_names=["SEI reaction exchange current density [A.m-2]"])
>>> runs = [sim.simulate({"SEI reaction exchange current density [A.m-2]": j})
...         for j in (1e-7, 2e-7)]                 # built once, solved twice

What a run is made of, and in what order (the same for ``afb run``):

- the cell: a parameter-set name, a cell file (TOML), a :class:`~afb_models.cells.Cell`
  or a ``pybamm.ParameterValues`` (its configuration, metal and needed options are
  then read from its values: see :func:`resolve_cell`);
- the options: the calibrated mechanisms (:data:`afb_models.options.CALIBRATED_OPTIONS`),
  then the cell's own (e.g. the NASICON cell's single-ion conductor), then the
  caller's;
- the protocol: a shipped name, a file, TOML text or a
  :class:`~afb_models.protocols.Protocol`, cut to ``cycles`` if given.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pybamm

from .errors import CellChangedError, RunEndedError, RunEndedOutput  # noqa: F401  (re-exported)
from . import models
from .cells import Cell, CellError, check_value, load_cell
from .measurements import CELL_TEMPERATURE, IMPEDANCE_MODULUS, measure
from .options import CALIBRATED_OPTIONS, validate_options
from .protocols import Protocol, ProtocolError, load_protocol, parse_protocol
from .results import (COMPLETED, DEFAULT_SERIES_POINTS, DEFAULT_SERIES_TOLERANCE, Run, RunTable,
                      is_finished, parameter_text, run_metadata)
from .acceleration import SOLVED, Acceleration
from .runner import Runner, SolverFailure

logger = logging.getLogger("afb")

#: cycles between two trims of the heap in a command-line run (see
#: :func:`afb_models.runner.release_freed_memory`)
TRIM_HEAP_EVERY = 10

#: parameters that a protocol is read with (areas, capacity, voltage limits) or that
#: PyBaMM evaluates when it builds an experiment: as inputs, they make the simulator
#: build again for each new value (see :class:`CycleSimulator`)
_PROTOCOL_PARAMETERS = (
    "Electrode height [m]",
    "Electrode width [m]",
    "Number of electrodes connected in parallel to make a cell",
    "Nominal cell capacity [A.h]",
    "Lower voltage cut-off [V]",
    "Upper voltage cut-off [V]",
    "Ambient temperature [K]",
    "Initial temperature [K]",
    "Reference temperature [K]",
)


# --- what a run is made of -----------------------------------------------------------


def resolve_cell(cell) -> Cell:
    """A :class:`Cell` (a copy, free to change) from a parameter-set name, a cell
    file, a Cell or a ``pybamm.ParameterValues``.

    A bare ParameterValues says nothing of the cell it describes, so this reads it
    from the values: a cell with a "Counter electrode metal thickness [m]" is a
    metal||collector cell (symmetric if its collector starts with metal), otherwise
    anode-free; a metal molar volume above 18 cm3 mol-1 is Na (Li: 13.0, Na: 23.7); a
    "Cation transference number"
    of 1 is a single-ion conductor. Pass a :class:`Cell` to say it yourself.
    """
    if isinstance(cell, Cell):
        return dataclasses.replace(
            cell, parameter_values=cell.parameter_values.copy(), options=dict(cell.options)
        )
    if isinstance(cell, pybamm.ParameterValues):
        values = cell.copy()
        if "Counter electrode metal thickness [m]" in values.keys():
            plated = values["Initial plated metal thickness [m]"]
            configuration = (
                "symmetric" if isinstance(plated, (int, float)) and plated > 0
                else "metal||collector"
            )
        else:
            configuration = "anode-free"
        # Li 13.0, Na 23.7 cm3 mol-1 (docs/physics.md §2)
        metal = "Na" if values["Metal molar volume [m3.mol-1]"] > 1.8e-5 else "Li"
        options = {}
        t_plus = values["Cation transference number"] if (
            "Cation transference number" in values.keys()) else None
        if isinstance(t_plus, (int, float)) and t_plus == 1:
            options["electrolyte"] = "single-ion conductor"
        return Cell("parameter values", values, metal, configuration, options)
    if isinstance(cell, (str, Path)):
        return load_cell(cell)
    raise CellError(
        f"cell: give a parameter-set name, a cell file, a Cell or a "
        f"pybamm.ParameterValues, not {type(cell).__name__}"
    )


def resolve_options(cell: Cell, options: Mapping[str, str] | None = None) -> dict:
    """The options a run of ``cell`` uses: the calibrated mechanisms, then the cell's
    own, then ``options`` (validated, defaults filled in)."""
    return validate_options(CALIBRATED_OPTIONS | cell.options | dict(options or {}))


def resolve_protocol(protocol, parameter_values, cycles: int | None = None) -> Protocol:
    """A :class:`Protocol` for the cell of ``parameter_values`` from a shipped name, a
    file, TOML text or a Protocol (read again for this cell, whose area and limits
    its areal units and cut-offs refer to), cut to ``cycles`` if given."""
    if isinstance(protocol, Protocol):
        out = parse_protocol(protocol.text, protocol.path, parameter_values)
        if out.n_cycles != protocol.n_cycles:  # it had been cut
            out = out.with_cycles(protocol.n_cycles)
    elif isinstance(protocol, str) and "\n" in protocol:
        out = parse_protocol(protocol, "<protocol text>", parameter_values)
    elif isinstance(protocol, (str, Path)):
        out = load_protocol(protocol, parameter_values)
    else:
        raise ProtocolError(
            f"protocol: give a shipped name, a file, TOML text or a Protocol, not "
            f"{type(protocol).__name__}"
        )
    if cycles is not None:
        if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
            raise ProtocolError(f"cycles: must be a positive integer, got {cycles!r}")
        out = out.with_cycles(cycles)
    return out


# --- the simulator ----------------------------------------------------------------------


class CycleSimulator:
    """A cell, a protocol and options, built once and run as often as asked, with
    parameter values given as inputs.

    Parameters
    ----------
    cell, protocol, options
        As for :func:`simulate`.
    input_names : iterable of str
        Scalar parameters of the cell whose values each :meth:`simulate` call gives.
        They enter the model as ``pybamm.InputParameter``: a new value costs a solve,
        not a build. Parameters that shape the mesh (thicknesses, particle radius)
        or that the protocol is read with (area, nominal capacity, voltage limits,
        temperatures) cannot be symbolic inputs; for them the simulator builds once
        per distinct value and keeps what it built (:attr:`n_builds` counts).
    cycles : int, optional
        Cut the protocol to this many cycles.
    series_points : int, optional
        The most time-series points a step keeps (default 100).
    series_tolerance : float, optional
        The series keeps the points where the voltage changes, so that a dropped
        point is within this many volts of the line through the kept ones (default
        1e-3: 1 mV; :func:`afb_models.observables.thin_series`); 0 keeps
        ``series_points`` evenly in time instead, as a cycler logs.
    solver : pybamm.BaseSolver, optional
        A solver to use alone (default: IDAKLU at 1e-8 with fallback tolerances, see
        :class:`afb_models.runner.Runner`).
    accelerate : bool, dict or Acceleration, optional
        Skip cycles where the cell changes slowly, extrapolating them from solved
        ones with error control (:mod:`afb_models.acceleration`): True for the
        default settings, a dict of settings (e.g. ``{"tolerance": 1e-3}``) or an
        :class:`~afb_models.acceleration.Acceleration`. Default: every cycle solved.

    A CycleSimulator pickles as its recipe (cell, protocol, options, input names), so
    it can be sent to a process pool or a Dask worker, where it builds again.
    """

    def __init__(
        self,
        cell,
        protocol,
        options: Mapping[str, str] | None = None,
        input_names: Iterable[str] = (),
        *,
        cycles: int | None = None,
        series_points: int | None = None,
        series_tolerance: float | None = None,
        solver: pybamm.BaseSolver | None = None,
        accelerate=None,
    ):
        self.acceleration = Acceleration.from_setting(accelerate)
        self.cell = resolve_cell(cell)
        self.caller_options = dict(options or {})
        self.options = resolve_options(self.cell, self.caller_options)
        self.cycles = cycles
        self.protocol = resolve_protocol(protocol, self.cell.parameter_values, cycles)
        self.protocol.check_cell(self.cell.configuration, self.cell.metal, self.cell.name)
        self.series_points = DEFAULT_SERIES_POINTS if series_points is None else series_points
        if (isinstance(self.series_points, bool) or not isinstance(self.series_points, int)
                or self.series_points < 1):
            raise ValueError(f"series_points: must be at least 1, got {series_points!r}")
        self.series_tolerance = (DEFAULT_SERIES_TOLERANCE if series_tolerance is None
                                 else series_tolerance)
        if (isinstance(self.series_tolerance, bool)
                or not isinstance(self.series_tolerance, (int, float))
                or not 0 <= self.series_tolerance < float("inf")):
            raise ValueError("series_tolerance: must be a number of volts, 0 or more, got "
                             f"{series_tolerance!r}")
        self.solver = solver
        self.input_names = tuple(input_names)
        self._check_input_names()
        structural = self._structural_parameters() if self.input_names else set()
        self._rebuilt_inputs = tuple(n for n in self.input_names if n in structural)
        self._symbolic_inputs = tuple(n for n in self.input_names if n not in structural)
        self._runners: dict[tuple, tuple[Runner, Protocol]] = {}
        #: the last run's timings (solve, summary and store [s], see Runner.timings)
        self.last_timings: dict = {}
        #: time spent building simulations (parameters set, discretised), and
        #: solving (including the solver's set-up on a first solve), over all calls [s]
        self.timings = {"build [s]": 0.0, "solve [s]": 0.0}

    # pickled as its recipe: what it built stays behind
    def __getstate__(self):
        state = dict(self.__dict__)
        state["_runners"] = {}
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    def _check_input_names(self) -> None:
        values = self.cell.parameter_values
        for name in self.input_names:
            if name not in values.keys():
                raise CellError(f"input '{name}': unknown parameter for this cell")
            value = values[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise CellError(
                    f"input '{name}': only a scalar parameter can be an input; this one "
                    f"is {parameter_text(value)!r}"
                )

    def _structural_parameters(self) -> set[str]:
        from .parameter_sets import CONFIGURATIONS

        model_class = getattr(models, CONFIGURATIONS[self.cell.configuration])
        geometry = pybamm.Geometry(model_class(self.options, build=False).default_geometry)
        names = {p.name for p in geometry.parameters}
        return names | set(_PROTOCOL_PARAMETERS)

    @property
    def n_builds(self) -> int:
        """How many simulations (one per block, tolerance and rebuilt-input value)
        have been built."""
        return sum(runner.n_built for runner, _ in self._runners.values())

    def _check_inputs(self, inputs: Mapping[str, float]) -> dict[str, float]:
        inputs = dict(inputs or {})
        missing = [n for n in self.input_names if n not in inputs]
        extra = [n for n in inputs if n not in self.input_names]
        if missing or extra:
            raise CellError(
                "inputs: "
                + (f"missing {missing}" if missing else "")
                + ("; " if missing and extra else "")
                + (f"{extra} not among the simulator's input_names "
                   f"(give them when it is made)" if extra else "")
            )
        return {
            name: check_value(self.cell.parameter_values, name, value, "inputs")
            for name, value in inputs.items()
        }

    def runner(self, inputs: Mapping[str, float]) -> tuple[Runner, Protocol]:
        """The runner (built once per value of the rebuilt inputs) and the protocol
        for ``inputs``."""
        key = tuple(inputs[n] for n in self._rebuilt_inputs)
        if key not in self._runners:
            values = self.cell.parameter_values.copy()
            values.update({n: inputs[n] for n in self._rebuilt_inputs})
            values.update({n: pybamm.InputParameter(n) for n in self._symbolic_inputs})
            protocol = self.protocol
            if self._rebuilt_inputs:
                protocol = resolve_protocol(self.protocol, values)
            runner = Runner(
                protocol, values, self.options, solver=self.solver,
                series_points=self.series_points, configuration=self.cell.configuration,
                series_tolerance=self.series_tolerance, acceleration=self.acceleration,
            )
            self._runners[key] = (runner, protocol)
        return self._runners[key]

    def metadata(self, inputs: Mapping[str, float], protocol: Protocol) -> dict:
        """The run's metadata: the cell's parameters with ``inputs`` in them."""
        values = self.cell.parameter_values.copy()
        values.update(dict(inputs))
        return run_metadata(
            cell=self.cell.name, protocol=protocol, options=self.options,
            parameter_values=values, series_points=self.series_points,
            series_tolerance=self.series_tolerance,
            source={"cell": self.cell.name, "cycles": self.cycles,
                    "configuration": self.cell.configuration,
                    "fingerprint": self.cell.fingerprint,
                    # resumed, the run goes on as it was made
                    "accelerate": (self.acceleration.to_dict()
                                   if self.acceleration is not None else None)},
        )

    def simulate(
        self,
        inputs: Mapping[str, float] | None = None,
        *,
        out: str | Path | None = None,
        progress: bool = False,
        on_cycle: Callable | None = None,
        overwrite: bool = False,
        raise_on_failure: bool = False,
        process_wide: bool = False,
    ) -> Run:
        """Run the protocol with these ``inputs``; return the :class:`Run`.

        ``out``: also stream every finished cycle to this HDF5 file (the returned
        Run is then the file read back, as :func:`afb_models.load` gives it; an
        existing file is an error unless ``overwrite``). ``progress``: a progress
        bar on standard error. ``on_cycle(result)`` is called with every finished
        :class:`~afb_models.observables.CycleResult`.

        A cycle the solver cannot solve ends the run: the Run keeps every cycle
        before it and its status says why ("stopped: cycle N: solver failed: ...");
        with ``raise_on_failure`` the :class:`~afb_models.runner.SolverFailure` is
        raised after the file is closed, with the Run as its ``run``.
        ``process_wide``: what the command line does for a long run, which changes
        the whole process (standard error silenced on solves a fallback may mend,
        the heap trimmed every 10 cycles); a library call leaves both alone.
        """
        inputs = self._check_inputs(inputs)
        if out is not None and Path(out).exists() and not overwrite:
            raise FileExistsError(f"{out}: exists; pass overwrite=True to replace it")
        runner, protocol = self.runner(inputs)
        built_before = runner.build_time
        run = execute(
            runner, protocol, self.metadata(inputs, protocol),
            inputs={n: inputs[n] for n in self._symbolic_inputs},
            out=out, overwrite=overwrite, progress=progress, on_cycle=on_cycle,
            raise_on_failure=raise_on_failure, process_wide=process_wide,
        )
        self.last_timings = dict(runner.timings)
        built = runner.build_time - built_before
        self.timings["build [s]"] += built
        # (a simulation built in a cycle is built within the time of its solve)
        self.timings["solve [s]"] += runner.timings["solve [s]"] - built
        return run


def execute(
    runner: Runner,
    protocol: Protocol,
    metadata: dict,
    *,
    inputs: Mapping[str, float] | None = None,
    out: str | Path | None = None,
    overwrite: bool = True,
    progress: bool = False,
    on_cycle: Callable | None = None,
    raise_on_failure: bool = False,
    resume: dict | None = None,
    process_wide: bool = False,
) -> Run:
    """Run ``runner``'s cycles into the sinks: the run file (``out``, written under
    its :class:`~afb_models.store.WriteLock`), or a Run in memory; a progress bar;
    ``on_cycle``. ``resume``: continue the run of file ``out`` (keys "cycles": the
    finished cycles, as a Dataset; "source": the run's new ``source`` metadata)."""
    from .store import WriteLock

    if out is None:
        return _execute(runner, protocol, metadata, None, inputs=inputs,
                        progress=progress, on_cycle=on_cycle,
                        raise_on_failure=raise_on_failure, resume=resume,
                        process_wide=process_wide)
    with WriteLock(out):
        if resume is None and not overwrite and Path(out).exists():
            raise FileExistsError(f"{out}: exists; pass overwrite=True to replace it")
        return _execute(runner, protocol, metadata, Path(out), inputs=inputs,
                        progress=progress, on_cycle=on_cycle,
                        raise_on_failure=raise_on_failure, resume=resume,
                        process_wide=process_wide)


def _execute(runner, protocol, metadata, out, *, inputs, progress, on_cycle,
             raise_on_failure, resume, process_wide) -> Run:
    from tqdm import tqdm

    from .store import RunFile, RunFileWriteError, load

    runner.silence_stderr = process_wide
    runner.trim_heap_every = TRIM_HEAP_EVERY if process_wide else 0
    store = RunFile(out) if out is not None else None
    table = RunTable(metadata) if store is None else None
    # what the protocol's measurements need of every cycle, the resumed ones too
    measured = {"block": [], "Plated charge": [], "Stripped charge": [],
                "Impedance modulus": [], "Volume-averaged cell temperature": []}
    first = 0
    if resume is not None:
        done = resume["cycles"]
        for name in measured:
            measured[name].extend(list(done[name].values) if name in done else [])
        first = done.sizes.get("cycle", 0)
        store.reopen(resume.get("source"))
    elif store is not None:
        store.create(metadata)
    bar = tqdm(total=protocol.n_cycles, initial=first, unit="cycle",
               disable=not progress, dynamic_ncols=True)
    status, failure, raising = COMPLETED, None, False
    # extrapolated cycles wait for the solved cycle that checked them, and go to the
    # file with it as one version (a file never holds a jump that was not checked,
    # and a long accelerated run writes its file once per jump, not per cycle)
    pending = []

    def write(results):
        start = time.perf_counter()
        if store is not None:
            store.append_many(results)
        else:
            for r in results:
                table.add(r)
        runner.timings["store [s]"] += time.perf_counter() - start

    try:
        runner.timings["store [s]"] = 0.0
        for result in runner.cycles(inputs):
            pending.append(result)
            if result.summary.get(SOLVED, 1.0):
                write(pending)
                pending = []
            s = result.summary
            measured["block"].append(result.block)
            measured["Plated charge"].append(s["Plated charge [A.h]"])
            measured["Stripped charge"].append(s["Stripped charge [A.h]"])
            measured["Impedance modulus"].append(s.get(IMPEDANCE_MODULUS, float("nan")))
            measured["Volume-averaged cell temperature"].append(s[CELL_TEMPERATURE])
            if on_cycle is not None:
                on_cycle(result)
            bar.set_postfix_str(
                f"Q {1e3 * s['Discharge capacity [A.h]']:.2f} mAh, "
                f"CE {100 * s['Coulombic efficiency']:.3f} %", refresh=False
            )
            bar.update(1)
        if pending:  # (the skipper ends every jump on solved cycles)
            write(pending)
            pending = []
        if runner.stop_reason:
            status = f"{COMPLETED}: {runner.stop_reason}"
    except SolverFailure as e:
        status, failure = f"stopped: {e}", e
        if not raise_on_failure:  # (raised, the failure is the caller's to report)
            logger.warning("%s", e)
    except KeyboardInterrupt:
        status, raising = "stopped: interrupted", True
        raise
    except RunFileWriteError as e:
        status, raising = f"stopped: {e.strerror}", True
        raise
    except RunEndedOutput:
        status, raising = "stopped: its output was closed", True
        raise
    except Exception as e:
        # a bug: the file says so, and the run can continue once it is mended
        status, raising = f"stopped: internal error: {type(e).__name__}: {e}", True
        raise
    finally:
        bar.close()
        measurements = (measure(protocol, measured, runner.configuration)
                        if measured["block"] else {})
        if store is not None:
            try:
                store.finish(status, measurements)
            except RunFileWriteError as e:
                if not raising:
                    raise
                # the error in flight says more (and is reported); the file keeps
                # its cycles and says "running"
                logger.debug("the end of the run could not be recorded: %s", e.strerror)
            finally:
                store.close()
    run = load(out) if store is not None else table.run(status, measurements)
    if failure is not None and raise_on_failure:
        failure.run = run
        raise failure
    return run


# --- the public calls -------------------------------------------------------------------


def simulate(
    cell,
    protocol,
    *,
    options: Mapping[str, str] | None = None,
    inputs: Mapping[str, float] | None = None,
    cycles: int | None = None,
    out: str | Path | None = None,
    series_points: int | None = None,
    series_tolerance: float | None = None,
    progress: bool = False,
    accelerate=False,
) -> Run:
    """Run ``protocol`` on ``cell``; return the :class:`~afb_models.results.Run`.

    Parameters
    ----------
    cell
        A parameter-set name ("AFB_Li_NMC532_Cu"), a cell file (TOML), a
        :class:`~afb_models.cells.Cell` or a ``pybamm.ParameterValues``.
    protocol
        A shipped protocol's name ("louli2020"), a protocol file, TOML text or a
        :class:`~afb_models.protocols.Protocol`.
    options : dict, optional
        Model options on top of what ``afb run`` uses: the calibrated mechanisms,
        then the cell's own options.
    inputs : dict, optional
        Parameter values to run with (as :class:`CycleSimulator` inputs).
    cycles : int, optional
        Cut the protocol to this many cycles.
    out : path, optional
        Stream the run to this HDF5 file, as ``afb run --out`` does.
    series_points : int, optional
        The most time-series points a step keeps (default 100).
    series_tolerance : float, optional
        What a dropped point of the series may be off the line through the kept
        ones, in volts (default 1e-3).
    progress : bool, optional
        Show a progress bar.
    accelerate : bool, dict or Acceleration, optional
        Extrapolate the cycles where the cell changes slowly instead of solving
        them (``afb run --accelerate``; :mod:`afb_models.acceleration`): True for
        the default settings, or a dict of settings such as
        ``{"tolerance": 1e-3}``. Every cycle is still in the run, its
        "Solved in full" 1 or 0.

    The result is the same with or without ``out``, and the same as ``afb run``'s
    for the same cell and protocol.
    """
    simulator = CycleSimulator(
        cell, protocol, options, input_names=list(inputs or ()), cycles=cycles,
        series_points=series_points, series_tolerance=series_tolerance,
        accelerate=accelerate,
    )
    return simulator.simulate(inputs, out=out, progress=progress)


def resume(
    path: str | Path,
    *,
    cycles: int | None = None,
    accept_changed_cell: bool = False,
    progress: bool = False,
    on_cycle: Callable | None = None,
    raise_on_failure: bool = False,
    process_wide: bool = False,
) -> Run:
    """Continue the run of file ``path`` after its last finished cycle, with the
    parameters, options and protocol stored in the file.

    ``cycles``: run to this many cycles in all instead of the number the run was
    started with (a run that completed its cut protocol can so be extended).
    The cell is rebuilt from the parameter set or cell file the run was made of, with
    every parameter value the file stores; if that set or file has changed since,
    this raises :class:`CellChangedError` unless ``accept_changed_cell``.
    Raises :class:`~afb_models.store.RunFileBusy` while another run writes the file.
    """
    from .store import WriteLock, load, read_state

    path = Path(path)
    with WriteLock(path):
        run = load(path)
        done = run.cycles.sizes.get("cycle", 0)
        source = json.loads(run.metadata["source"])
        if cycles is not None:
            if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles <= done:
                raise RunEndedError(
                    f"{path}: cycles: the run has {done} cycles; give more to continue it, "
                    f"got {cycles!r}"
                )
        extendable = run.status == COMPLETED and cycles is not None
        if is_finished(run.status) and not extendable:
            raise RunEndedError(
                f"{path}: the run has ended ({run.status}); nothing to resume"
                + (" (give a larger number of cycles to extend it)"
                   if run.status == COMPLETED else "")
            )
        cell = _cell_of_run(path, run, source, accept_changed_cell, done)
        protocol = parse_protocol(
            run.metadata["protocol"], run.metadata["protocol_path"], cell.parameter_values
        )
        if cycles is not None:
            source["cycles"] = cycles
        if source.get("cycles") is not None:
            protocol = protocol.with_cycles(source["cycles"])
        options = validate_options(run.options)
        runner = Runner(protocol, cell.parameter_values, options,
                        series_points=run.metadata["series_points"],
                        series_tolerance=run.metadata["series_tolerance"],
                        configuration=cell.configuration,
                        acceleration=Acceleration.from_setting(
                            source.get("accelerate"), f"{path}: accelerate"))
        last_cycle, time_s, state = read_state(path)
        reference = None
        ref_cycle = protocol.termination.reference_cycle
        if last_cycle >= ref_cycle and ref_cycle in run.cycles["cycle"].values:
            reference = float(run.cycles["Discharge capacity"].sel(cycle=ref_cycle))
        if state:
            runner.resume_from(last_cycle, time_s, state, reference)
        return execute(runner, protocol, dict(run.metadata), out=path, progress=progress,
                       on_cycle=on_cycle, raise_on_failure=raise_on_failure,
                       resume={"cycles": run.cycles, "source": json.dumps(source)},
                       process_wide=process_wide)


def _cell_of_run(path: Path, run: Run, source: dict, accept_changed: bool,
                 done: int) -> Cell:
    """The cell of a stored run: rebuilt from the set or cell file it was made of,
    with every scalar parameter as the file stores it; refused if the set or file
    has changed since (unless ``accept_changed``, which ``source`` then records)."""
    name = source.get("cell")
    if name is None or name == "parameter values":
        raise CellError(
            f"{path}: the run's cell was given as parameter values from Python and "
            "cannot be rebuilt from the file; run it again"
        )
    try:
        cell = load_cell(name)
    except CellError as e:
        raise CellError(f"{path}: the run's cell cannot be read again: {e}") from None
    stored = run.parameters
    values = cell.parameter_values
    updates, differ, gone = {}, [], []
    for key, value in stored.items():
        if key not in values.keys():
            gone.append(key)
            continue
        current = values[key]
        if isinstance(value, float) and isinstance(current, (int, float)):
            updates[key] = value
        elif parameter_text(current) != value:
            differ.append(f"'{key}' was {value!r}, is {parameter_text(current)!r}")
    if differ:  # what the file does not store (functions) cannot be put back
        raise CellChangedError(
            f"{path}: the cell {name} no longer has what the run used "
            f"({'; '.join(differ[:3])}{' ...' if len(differ) > 3 else ''}); run it again"
        )
    if gone and not accept_changed:  # the model no longer has them: new physics
        raise CellChangedError(
            f"{path}: the cell {name} no longer has what the run used "
            f"({'; '.join(repr(k) + ' is gone' for k in gone[:3])}"
            f"{' ...' if len(gone) > 3 else ''}); resume with --accept-changed-cell "
            "to continue without them, or run it again"
        )
    recorded = source.get("fingerprint")
    changed = bool(gone) or (bool(recorded) and recorded != cell.fingerprint)
    if changed and not accept_changed:
        raise CellChangedError(
            f"{path}: the cell {name} has changed since the run started; resume with "
            "--accept-changed-cell to continue it with the parameter values stored "
            "in the run"
        )
    if changed:
        dropped = f" (without {', '.join(repr(k) for k in gone)})" if gone else ""
        source.setdefault("accepted_changes", []).append(
            f"cell {name} changed; continued from cycle {done + 1} with the stored "
            f"values{dropped}"
        )
        source["fingerprint"] = cell.fingerprint
    values.update(updates)
    if "configuration" in source:
        cell.configuration = source["configuration"]
    return cell


__all__ = [
    "CellChangedError",
    "CycleSimulator",
    "resolve_cell",
    "resolve_options",
    "resolve_protocol",
    "resume",
    "simulate",
]
