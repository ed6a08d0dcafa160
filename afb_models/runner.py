"""The cycle simulator: solves a protocol cycle by cycle.

The model is built and discretised once per cycle block of the protocol (a block is
known by its position, so two blocks may share a name); every cycle is solved from the
last state of the one before (``Solution.last_state``), summarised while it is in
memory (:mod:`afb_models.observables`) and handed to the caller, then dropped, so
memory stays flat in the number of cycles. Parameters given as
``pybamm.InputParameter`` take their values from the ``inputs`` of each run, so one
built simulator serves many parameter values (:class:`afb_models.CycleSimulator`).

The library changes nothing process-wide (it logs to ``logging.getLogger("afb")``,
and PyBaMM's experiment log of each solve goes there too, see :class:`_SolverLog`);
the command line asks for what a long run needs (standard error silenced on attempts
a fallback may mend, the heap trimmed).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import numpy as np
import pybamm

from . import models
from .observables import (DEFAULT_SERIES_POINTS, DEFAULT_SERIES_TOLERANCE, EXTRAPOLATION_ERROR,
                          SOLVED, CycleEvaluators, CycleResult, Evaluator, solved_steps,
                          summarise)
from .errors import CellError
from .options import missing_option_parameter
from .protocols import Block, Protocol, Termination, to_pybamm_step

logger = logging.getLogger("afb")


def _load_libc():
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc
        return None


_LIBC = _load_libc()


def release_freed_memory() -> None:
    """Return the heap's free memory to the system (glibc's ``malloc_trim``).

    Each cycle's solution holds arrays of a few MB; freed, they leave holes in the
    heap that glibc keeps, and the resident size creeps up by ~0.1 MB per cycle.
    The command line trims every :attr:`Runner.trim_heap_every` cycles, which keeps a
    long run's memory flat; every cycle would cost ~1 ms in the trim and the page
    faults that follow it. A process-wide act, so the library leaves it to its caller.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


@contextmanager
def _quiet_attempt(quiet: bool, silence_stderr: bool):
    """Silence a solve whose failure a later attempt may mend, while ``quiet`` and
    ``silence_stderr``: the process's standard error, where SUNDIALS writes its own
    messages (``[IDAS ERROR] IDACalcIC ...``) straight from C. A process-wide act,
    which only the command line asks for."""
    if not (quiet and silence_stderr):
        yield
        return
    saved_fd = _silence_fd(2)
    try:
        yield
    finally:
        _restore_fd(2, saved_fd)


class _SolverLog(pybamm.callbacks.LoggingCallback):
    """PyBaMM's experiment log, sent to afb's logger ``afb.solver`` at DEBUG level
    instead of PyBaMM's logger.

    PyBaMM logs a failed step as an ERROR of its own logger. The runner solves a
    cycle again with looser tolerances when a step fails, and reports a failure no
    attempt mends itself (:class:`SolverFailure`), so a failed attempt is not an
    error for the user to read; PyBaMM's logger (and its level) are left as the
    user set them. Being a ``LoggingCallback``, it takes the place of PyBaMM's
    default one (``pybamm.callbacks.setup_callbacks``).
    """

    def __init__(self):
        # (the parent's __init__ would bind PyBaMM's logger)
        self.logfile = None
        self.logger = logging.getLogger("afb.solver")

    def _debug(self, text: str) -> None:
        self.logger.debug("%s", text)

    def _ignore(self, logs):
        """PyBaMM's progress notes of each step and cycle: the runner reports its own."""

    on_experiment_start = on_cycle_start = on_step_start = _ignore
    on_step_end = on_cycle_end = on_experiment_end = _ignore

    def on_experiment_error(self, logs):
        self._debug(f"solver error: {logs['error']}")

    def on_experiment_infeasible_time(self, logs):
        self._debug(f"step '{logs['step operating conditions']}' reached its default "
                    "duration")

    def on_experiment_infeasible_event(self, logs):
        self._debug(f"'{logs['termination']}' during "
                    f"'{logs['step operating conditions']}'")


def _silence_fd(fd: int) -> int | None:
    """Point ``fd`` at the null device; return a copy of the old one to restore it
    with, or None where the process has no such descriptor."""
    try:
        saved = os.dup(fd)
    except OSError:
        return None
    sys.stderr.flush()
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)
    return saved


def _restore_fd(fd: int, saved: int | None) -> None:
    if saved is None:
        return
    os.dup2(saved, fd)
    os.close(saved)


#: tolerances tried, in turn, on a cycle that the default solver fails to solve
FALLBACK_TOLERANCES = ({"rtol": 1e-7, "atol": 1e-7}, {"rtol": 1e-6, "atol": 1e-8})
#: the default tolerances (see :class:`Runner`)
DEFAULT_TOLERANCES = {"rtol": 1e-8, "atol": 1e-8}


#: absolute tolerance of every potential [V] with the runner's own solvers
POTENTIAL_ATOL = 1e-5


def _absolute_tolerances(model, atol: float) -> np.ndarray:
    """Per-state absolute tolerances of a rest step's discretised ``model``: ``atol``
    for every state, and :data:`POTENTIAL_ATOL` (in the state's scaled units) for
    potentials.

    A collector stripped bare floats at open circuit: only its double layer holds
    the potential of the whole cell against it, with a conductance C_dl/h that falls
    with the step h. The rounding noise of the cathode's solid-phase Ohm's law
    (sigma phi / dx, ~1e-8 A m-2 at 100 S m-1) then moves that potential by more than
    an absolute tolerance of 1e-8 V unless the steps stay near a millisecond: a
    30-minute rest after a full strip took ~200,000 steps and a minute. At 10 uV it
    takes ~250 steps (a formation cycle with two rests costs 1.2-1.4 times the same
    cycle without them). Only rests get it: under current the collector's potential
    is held by the current, and potentials at 10 uV there moved the per-cycle charges
    by 4e-6 of their value, more than a resumed run may differ from an uninterrupted
    one.
    """
    n_states = max(s.stop for slices in model.y_slices.values() for s in slices)
    out = np.full(n_states, float(atol))
    for variable, slices in model.y_slices.items():
        if variable.name.endswith("[V]"):
            try:
                scale = float(variable.scale.evaluate()) if variable.scale is not None else 1.0
            except (KeyError, TypeError, ValueError):  # a scale that needs inputs
                scale = 1.0
            for s in slices:
                out[s] = max(atol, POTENTIAL_ATOL / abs(scale))
    return out


class SolverFailure(RuntimeError):
    """The solver failed inside a cycle; the cycles before it are complete."""

    def __init__(self, cycle: int, message: str):
        super().__init__(f"cycle {cycle}: solver failed: {message}")
        self.cycle = cycle
        self.reason = message


#: PyBaMM's termination of a step whose end condition holds at its start
_SKIPPED = "Event exceeded in initial conditions"
#: the model's events that end a cycle where it stands, and the run with it
#: (:meth:`Terminations.reason` gives the reason from the summary)
_RUN_ENDING_EVENTS = ("event: Hard internal short", "event: Melt-driven internal short")


class Terminations:
    """A protocol's termination conditions through one run: the reference capacity,
    once its cycle is done, and whether a cycle ends the run.

    :meth:`reason` does not change anything, so the cycle skipper
    (:mod:`afb_models.acceleration`) asks it of a cycle it has only predicted.
    """

    def __init__(self, termination: Termination, *, starts_with_metal: bool,
                 reference_capacity: float | None = None):
        self.termination = termination
        # an anode-free cell empties its deposit on every full discharge; what
        # ends a run is a reservoir (or a symmetric cell's foil) used up
        self.starts_with_metal = starts_with_metal
        #: the discharge capacity of the protocol's reference cycle [A.h]
        self.reference_capacity = reference_capacity

    def note(self, result: CycleResult) -> None:
        """Take the reference capacity from ``result`` if it is the reference cycle."""
        if result.cycle == self.termination.reference_cycle:
            self.reference_capacity = result.summary["Discharge capacity [A.h]"]

    @property
    def capacity_threshold(self) -> float | None:
        """The discharge capacity [A.h] under which a run ends, once known."""
        t = self.termination
        if t.capacity_fraction is None or self.reference_capacity is None:
            return None
        return t.capacity_fraction * self.reference_capacity

    def reason(self, result: CycleResult) -> str | None:
        """Why the run ends after ``result``'s cycle, or None if it goes on."""
        t = self.termination
        summary = result.summary
        # (the event "Hard internal short" stops the step half-way up the indicator's
        # smooth step, at 0.5 to the event's root tolerance)
        if summary.get("Hard short indicator", 0.0) >= 0.49:
            return "a hard internal short (a metal filament bridged the electrolyte)"
        # (the event "Melt-driven internal short" stops the step at a front depth of
        # 1, to its root tolerance)
        if summary.get("Melt front depth fraction", 0.0) >= 0.999:
            return ("a melt-driven internal short (the molten metal bridged the "
                    "electrolyte)")
        if t.metal_exhausted and self.starts_with_metal and summary["Metal exhausted"]:
            return "the plated metal was exhausted"
        threshold = self.capacity_threshold
        if threshold is not None and summary["Discharge capacity [A.h]"] < threshold:
            return (f"discharge capacity below {t.capacity_fraction:.0%} of cycle "
                    f"{t.reference_cycle}")
        if t.max_time_s is not None and summary["Time [s]"] >= t.max_time_s:
            return "maximum time reached"
        return None


class Runner:
    """Solves ``protocol`` on the cell of ``parameter_values``, cycle by cycle.

    Most callers want :func:`afb_models.simulate` or
    :class:`afb_models.CycleSimulator`, which pick the model, the options and the
    sinks as ``afb run`` does; this is the engine under them.

    Parameters
    ----------
    protocol : Protocol
        From :func:`afb_models.protocols.load_protocol`.
    parameter_values : pybamm.ParameterValues
        The cell. Parameters set to ``pybamm.InputParameter`` take their values from
        the ``inputs`` of :meth:`cycles`.
    options : dict, optional
        The model's options (:data:`afb_models.options.ALLOWED_OPTIONS`).
    configuration : str, optional
        The cell's configuration, which picks the model: "anode-free"
        (:class:`~afb_models.AnodeFreeDFN`, the default), "metal||collector" or
        "symmetric" (:data:`afb_models.parameter_sets.CONFIGURATIONS`).
    solver : pybamm.BaseSolver, optional
        Default: ``pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-8)``. Per-cycle Coulombic
        efficiencies are differences of nearly equal charges: at PyBaMM's default
        rtol (1e-6) they scatter by ~1e-5 from cycle to cycle, at 1e-8 by ~3e-8.
        If a cycle fails with the default solver, it is solved again with the
        tolerances of :data:`FALLBACK_TOLERANCES` in turn (IDA's error test can fail
        on a collector that is nearly bare), and the next cycles start with the one
        that worked, trying the default again every :attr:`RETRY_DEFAULT_EVERY`
        cycles; the summary's "Solver tolerance level" says which solved each cycle
        (0: the default). A solver passed in is used alone.
    series_points : int, optional
        The most points a step keeps in each cycle's time series (default 100).
    series_tolerance : float, optional
        The series keeps the points where the voltage changes: a dropped point is
        within this many volts of the line through the kept ones (default 1 mV;
        :func:`afb_models.observables.thin_series`).
    acceleration : afb_models.acceleration.Acceleration, optional
        Skip cycles where the cell changes slowly: extrapolate them from the solved
        ones, with error control (:mod:`afb_models.acceleration`). Default: solve
        every cycle.
    """

    #: after a cycle needed a fallback, the next cycles start with it, and every this
    #: many cycles the default is tried again (a cell whose collector is left bare at
    #: every discharge needs the fallback for good; trying the default first would
    #: waste a failed solve on every cycle)
    RETRY_DEFAULT_EVERY = 20

    def __init__(
        self,
        protocol: Protocol,
        parameter_values: pybamm.ParameterValues,
        options: Mapping[str, str] | None = None,
        solver: pybamm.BaseSolver | None = None,
        series_points: int = DEFAULT_SERIES_POINTS,
        configuration: str = "anode-free",
        series_tolerance: float = DEFAULT_SERIES_TOLERANCE,
        acceleration=None,
    ):
        from .parameter_sets import CONFIGURATIONS

        protocol.check_limits()  # no step is silently skipped for its voltages
        self.protocol = protocol
        self.parameter_values = parameter_values
        if configuration not in CONFIGURATIONS:
            known = ", ".join(CONFIGURATIONS)
            raise ValueError(f"unknown cell configuration '{configuration}'; known: {known}")
        self.model = getattr(models, CONFIGURATIONS[configuration])(options)
        self.configuration = configuration
        problem = missing_option_parameter(self.model.afb_options, parameter_values.keys())
        if problem:
            raise CellError(problem)
        # the electrical direction that plates metal on the collector: a cycle's CE
        # is the charge stripped over the charge plated
        self._plating_sign = -1 if self.model.plating_direction == "charge" else 1
        self._own_solvers = solver is None
        if solver is None:
            self._solvers = [
                pybamm.IDAKLUSolver(**tol)
                for tol in (DEFAULT_TOLERANCES, *FALLBACK_TOLERANCES)
            ]
        else:
            self._solvers = [solver]
        self.series_points = series_points
        self.series_tolerance = series_tolerance
        self.acceleration = acceleration
        # (block position, attempt) -> simulation
        self._simulations: dict[tuple[int, int], pybamm.Simulation] = {}
        self._state_names = [var.name for var in self.model.initial_conditions]
        #: where the time went in the last run: the solver's calls (PyBaMM's
        #: Simulation.solve, all attempts) and the summary of each cycle
        self.timings = {"solve [s]": 0.0, "summary [s]": 0.0}
        #: time spent building simulations (setting parameters, discretising) [s]
        self.build_time = 0.0
        self._step_values = CycleEvaluators()
        self._state_values = None  # built with the model, see _state_of
        self._first_cycle = 1
        self._time_offset = 0.0
        self._reference_capacity = None
        self._reported_skips: set[tuple[int, int]] = set()
        self._fallback = {"start": 0, "fallback since": 0}
        self.stop_reason: str | None = None
        #: process-wide acts the command line asks for: standard error silenced on
        #: attempts a fallback may mend, and the heap trimmed every this many cycles
        #: (0: never; see :func:`release_freed_memory`)
        self.silence_stderr = False
        self.trim_heap_every = 0
        self._solver_log = _SolverLog()
        #: the spectra of a protocol with an [impedance] table (built at its first)
        self._spectra = None

    def resume_from(
        self, cycle: int, time_s: float, state: dict, reference_capacity=None
    ) -> None:
        """Continue after ``cycle``, which ended at ``time_s`` in ``state`` (state
        variables by name, as :attr:`CycleResult.state`). Call before
        :meth:`cycles`."""
        if self._simulations:
            raise RuntimeError("resume_from must be called before the first cycle")
        state = dict(state)
        for variable, initial in self.model.initial_conditions.items():
            if variable.name not in state:
                # a state this model has and the run's did not (a run file of an
                # earlier afb): it starts where it would have started
                value = self.parameter_values.process_symbol(initial).evaluate()
                state[variable.name] = np.atleast_1d(np.asarray(value, dtype=float))
                logger.warning("the stored state has no '%s', which the model has now; "
                            "it starts from its initial value", variable.name)
        self.model.set_initial_conditions_from(state)
        self._first_cycle = cycle + 1
        self._time_offset = time_s
        self._reference_capacity = reference_capacity

    def _simulation(self, index: int, block: Block, attempt: int = 0) -> pybamm.Simulation:
        key = (index, attempt)
        if key not in self._simulations:
            nominal = float(self.parameter_values["Nominal cell capacity [A.h]"])
            steps = [
                to_pybamm_step(s, nominal, self.protocol.temperature_K,
                               self.protocol.stack_pressure_Pa)
                for s in block.steps
            ]
            experiment = pybamm.Experiment([tuple(steps)])
            start = time.perf_counter()
            simulation = pybamm.Simulation(
                self.model,
                parameter_values=self.parameter_values,
                experiment=experiment,
                solver=self._solvers[attempt],
            )
            # parameters set and discretised now, not within the first solve, so
            # that the build shows in the timings as such
            simulation.build_for_experiment()
            if self._own_solvers:
                # rests only: where the current flows, the collector's potential is
                # held by it, and 1e-8 V costs nothing
                base = (DEFAULT_TOLERANCES, *FALLBACK_TOLERANCES)[attempt]["atol"]
                for step, built in (simulation.steps_to_built_models or {}).items():
                    if str(step).startswith("Rest("):
                        built.atol = _absolute_tolerances(built, base)
            self.build_time += time.perf_counter() - start
            self._simulations[key] = simulation
        return self._simulations[key]

    @property
    def n_built(self) -> int:
        """How many simulations (block and tolerance) have been built so far."""
        return len(self._simulations)

    def _solve_cycle(self, k: int, index: int, block: Block, state, inputs, run,
                     quiet: bool = False):
        """The cycle's solution and the index of the tolerances that solved it (0:
        the default, see :data:`FALLBACK_TOLERANCES`)."""
        reason = ""
        if run["start"] and k - run["fallback since"] >= self.RETRY_DEFAULT_EVERY:
            run["start"] = 0
        for attempt in range(run["start"], len(self._solvers)):
            try:
                # a failure that a later attempt may mend is not an error to report;
                # the summary's "Solver tolerance level" records it
                last_attempt = attempt == len(self._solvers) - 1
                with _quiet_attempt(quiet or not last_attempt, self.silence_stderr):
                    solution = self._simulation(index, block, attempt).solve(
                        starting_solution=state, showprogress=False, inputs=inputs,
                        callbacks=[self._solver_log],
                    )
            except pybamm.SolverError as e:
                reason = str(e).splitlines()[0]
                continue
            cycle = solution.cycles[-1]
            if cycle is None or not solved_steps(cycle):
                reason = "no step of the cycle could be solved"
                continue
            if any(s.termination == "failure" for s in cycle.steps) or (
                len(cycle.steps) < len(block.steps) and not self._ended_early(cycle)
            ):
                reason = "a step did not reach its end"
                continue
            if attempt > run["start"]:
                run["fallback since"] = k
            run["start"] = attempt
            return cycle, attempt
        raise SolverFailure(k, reason)

    def _skipped_steps(self, k: int, index: int, block: Block, cycle, previous) -> int:
        """How many of the cycle's steps PyBaMM skipped because their end condition
        held when they started (a strip "until" the upper cut-off of a cell with
        nothing plated yet); the first skip of each step is reported, with where
        the cell was (``previous``: the cycle before, None for the first)."""
        skipped = 0
        for i, (step, solved) in enumerate(zip(block.steps, cycle.steps)):
            if solved.termination != _SKIPPED:
                continue
            skipped += 1
            if (index, i) in self._reported_skips:
                continue
            self._reported_skips.add((index, i))
            # (the skipped step has no solution: the cell is where the last solved
            # step before it left it, or the cycle before, or its initial state)
            before = [s for s in cycle.steps[:i] if not isinstance(s, pybamm.EmptySolution)]
            source = before[-1] if before else previous
            try:
                voltage = f"{float(source['Voltage [V]'].entries[-1]):.4g} V"
            except (KeyError, IndexError, ValueError, TypeError):
                voltage = "its initial state"
            logger.warning(
                "%s:%d: cycle %d: step '%s' skipped: its end condition already held "
                "when it started (the cell at %s); 'Skipped steps' counts every skip",
                self.protocol.path, step.line, k, step.text, voltage,
            )
        return skipped

    @staticmethod
    def _ended_early(cycle) -> bool:
        """Whether the cycle's last step ended on an experiment condition (PyBaMM
        skips the steps whose end condition already holds), or on an event that
        ends the run (a hard internal short, which the summary records)."""
        termination = cycle.steps[-1].termination
        return "[experiment]" in termination or termination in _RUN_ENDING_EVENTS

    def _value(self, name: str, inputs: Mapping) -> float:
        """A scalar parameter's value in this run (from ``inputs`` if it is one)."""
        value = self.parameter_values[name]
        if isinstance(value, pybamm.InputParameter):
            return float(inputs[value.name])
        return float(value)

    def cycles(self, inputs: Mapping[str, float] | None = None) -> Iterator[CycleResult]:
        """Solve the protocol's cycles, yielding each as it finishes.

        ``inputs`` gives the values of the parameters that are
        ``pybamm.InputParameter`` in the parameter values. Stops early at the
        protocol's termination conditions (then :attr:`stop_reason` says which).
        Raises :class:`SolverFailure` if a cycle cannot be solved. With
        :attr:`acceleration` set, slow stretches of cycles are extrapolated
        instead of solved (:mod:`afb_models.acceleration`); every cycle is still
        yielded, in order, its summary's "Solved in full" saying which.
        """
        inputs = dict(inputs or {})
        self.stop_reason = None
        self._reported_skips: set[tuple[int, int]] = set()
        self.timings.update({"solve [s]": 0.0, "summary [s]": 0.0})
        # which tolerances a cycle starts with, and the cycle that last needed a
        # fallback
        self._fallback = {"start": 0, "fallback since": 0}
        ends = Terminations(
            self.protocol.termination,
            starts_with_metal=self._value("Initial plated metal thickness [m]", inputs) > 0,
            reference_capacity=self._reference_capacity,
        )
        if self.acceleration is None:
            source = self._every_cycle(inputs)
        else:
            from .acceleration import skip_cycles

            source = skip_cycles(self, inputs, ends, self.acceleration)
        for result in source:
            yield result
            ends.note(result)
            reason = ends.reason(result)
            if reason is not None:
                self.stop_reason = reason
                return

    def _every_cycle(self, inputs: dict) -> Iterator[CycleResult]:
        """Every cycle of the protocol, solved in full."""
        state = None
        for k, index, block in self.protocol.indexed_cycles():
            if k < self._first_cycle:
                continue
            result = self.solve_cycle(k, index, block, state, inputs)
            state = result.last_state
            yield result

    def solve_cycle(self, k: int, index: int, block: Block, state, inputs: dict,
                    quiet: bool = False) -> CycleResult:
        """Solve cycle ``k`` (of block ``block``, at position ``index`` in the
        protocol) from ``state`` (the last state of the cycle before, as a PyBaMM
        solution; None: the model's initial conditions) and summarise it. Call
        within :meth:`cycles`, which sets up what a run keeps between cycles.
        ``quiet``: a failure is the caller's to mend (the cycle skipper's check of
        a jump, which it shortens), so no attempt's solver messages are shown."""
        start = time.perf_counter()
        cycle, level = self._solve_cycle(k, index, block, state, inputs, self._fallback,
                                         quiet)
        solved = time.perf_counter()
        if self.trim_heap_every and k % self.trim_heap_every == 0:
            release_freed_memory()
        summary, series = summarise(
            cycle, self._step_values, plating_sign=self._plating_sign,
            series_points=self.series_points, series_tolerance=self.series_tolerance,
            step_kinds=[s.action for s in block.steps], time_offset=self._time_offset,
        )
        # which tolerances solved the cycle: 0 the default, 1 and 2 the fallbacks
        summary["Solver tolerance level"] = float(level)
        summary["Skipped steps"] = float(self._skipped_steps(k, index, block, cycle, state))
        summary[SOLVED] = 1.0
        summary[EXTRAPOLATION_ERROR] = 0.0
        last_state = cycle.last_state
        state_by_name = self._state_of(last_state)
        if self.protocol.impedance_frequency_Hz is not None:
            summary.update(self._impedance(state_by_name, summary, inputs))
        result = CycleResult(
            cycle=k, block=block.name, summary=summary, series=series,
            last_state=last_state, state=state_by_name,
            step_terminations=[s.termination for s in cycle.steps],
        )
        self.timings["solve [s]"] += solved - start
        self.timings["summary [s]"] += time.perf_counter() - solved
        return result

    def _impedance(self, state: dict, summary: dict, inputs: Mapping) -> dict:
        """The impedance at the protocol's frequency of the cell at rest in ``state``
        at the temperature it ended the cycle at (:class:`afb_models.spectra.RestSpectra`,
        built once per run): what a cycler's spectrum at the end of each step of a
        thermal ramp gives."""
        from .measurements import (CELL_TEMPERATURE, IMPEDANCE_FREQUENCY,
                                   IMPEDANCE_MODULUS, IMPEDANCE_PHASE, SHORT_THRESHOLD,
                                   short_threshold)
        from .spectra import RestSpectra

        if self._spectra is None:
            self._spectra = RestSpectra(type(self.model)(self.model.afb_options),
                                        self.parameter_values)
        z = self._spectra(state, [self.protocol.impedance_frequency_Hz],
                          summary[CELL_TEMPERATURE], inputs)[0]
        return {IMPEDANCE_MODULUS: float(abs(z)),
                IMPEDANCE_PHASE: float(np.degrees(np.angle(z))),
                IMPEDANCE_FREQUENCY: float(self.protocol.impedance_frequency_Hz),
                SHORT_THRESHOLD: short_threshold(self.protocol, self.configuration)}

    def _state_of(self, solution) -> dict[str, np.ndarray]:
        """Every state variable's values at the end of ``solution``, by name. Scalar
        states are read straight from the solver's state vector (unscaled), which is
        cheap; the others through PyBaMM, which knows how to lay them out for
        ``set_initial_conditions_from``."""
        model = solution.all_models[-1]
        inputs = solution.all_inputs[-1]
        y = solution.all_ys[-1][:, -1]
        wanted = set(self._state_names)
        state = {}
        for var, slices in model.y_slices.items():
            if var.name in wanted and slices[0].stop - slices[0].start == 1:
                scaled = np.asarray(y[slices[0]]).ravel()
                scale = (
                    float(var.scale.evaluate(inputs=inputs))
                    if var.scale is not None else 1.0
                )
                reference = (
                    float(var.reference.evaluate(inputs=inputs))
                    if var.reference is not None else 0.0
                )
                state[var.name] = reference + scale * scaled
        others = sorted(wanted - state.keys())
        if others:
            if self._state_values is None:
                self._state_values = Evaluator(others, affine=False)
            # each as a column: set_initial_conditions_from takes the last column of
            # a 2-D value as the flat state vector, in the discretisation's order
            t_end = solution.all_ts[-1][-1]
            state.update(self._state_values(solution, t_end))
        return state
