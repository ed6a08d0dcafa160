"""Run a protocol cycle by cycle.

The model is built and discretised once per distinct cycle block; every cycle is solved
from the last state of the one before (``Solution.last_state``), summarised while it is
in memory and handed to the caller, then dropped, so memory stays flat in the number of
cycles.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import casadi
import numpy as np
import pybamm

from . import models
from .protocols import Block, Protocol, to_pybamm_step
from .submodels.inventory import INVENTORY_VARIABLES

#: the variables a cycle's time series keeps, in the order they are stored
SERIES_VARIABLES = (
    "Time [s]",
    "Current [A]",
    "Voltage [V]",
    "Discharge capacity [A.h]",
    "Plated metal amount [mol.m-2]",
    "Negative interface overpotential [V]",
)

#: per-cycle values taken at the end of the cycle: the metal inventory
END_OF_CYCLE_VARIABLES = INVENTORY_VARIABLES

#: what each cycle's loss is split into: summary name -> inventory variable. By
#: conservation, charge in - charge out = the sum of these changes over the cycle.
LOSS_SPLIT = {
    "Dead metal loss [A.h]": "Dead metal [mol]",
    "SEI loss [A.h]": "Metal in SEI [mol]",
    "Corrosion loss [A.h]": "Corroded metal [mol]",
    "Plated metal change [A.h]": "Plated metal [mol]",
    "Electrolyte metal change [A.h]": "Metal in electrolyte [mol]",
}


@dataclass
class CycleResult:
    """One finished cycle: its summary, a thinned time series, and its last state
    (as a PyBaMM solution, and as the values of every state variable by name)."""

    cycle: int
    block: str
    summary: dict[str, float]
    series: dict[str, np.ndarray]
    last_state: pybamm.Solution
    state: dict[str, np.ndarray]
    step_terminations: list[str]


class SolverFailure(RuntimeError):
    """The solver failed inside a cycle; the cycles before it are complete."""

    def __init__(self, cycle: int, message: str):
        super().__init__(f"cycle {cycle}: solver failed: {message}")
        self.cycle = cycle
        self.reason = message


#: every variable the per-cycle summary and time series read from a step
_EVALUATED = tuple(
    dict.fromkeys(
        (
            "Discharge capacity [A.h]",
            "Discharge energy [W.h]",
            "Plated metal [mol]",
            *SERIES_VARIABLES,
            *INVENTORY_VARIABLES,
        )
    )
)


class _Evaluator:
    """Variables of a solution evaluated at given times, cheaply.

    The solver's state is interpolated linearly between its output times (exact at
    them), and one CasADi function per discretised model evaluates every variable
    at once. PyBaMM's ProcessedVariables build (and serialise) one function per
    variable and solution and evaluate it at every output time, which costs more
    than a per-cycle summary can afford.
    """

    def __init__(self, names):
        self.names = tuple(names)
        # (id(model), n_points) -> (model, function, row slices); the model is kept so
        # that its id stays unique
        self._functions: dict = {}

    def _compile(self, model, inputs: dict, n_states: int, n_points: int):
        t = casadi.MX.sym("t")
        y = casadi.MX.sym("y", n_states)
        sizes = [int(np.size(v)) for v in inputs.values()]
        p = casadi.MX.sym("p", sum(sizes))
        p_by_name, offset = {}, 0
        for name, size in zip(inputs, sizes):
            p_by_name[name] = p[offset : offset + size]
            offset += size
        outputs, rows, start = [], {}, 0
        for name in self.names:
            expression = model.get_processed_variable(name).to_casadi(
                t, y, inputs=p_by_name
            )
            outputs.append(expression)
            rows[name] = slice(start, start + expression.size1())
            start += expression.size1()
        f = casadi.Function("evaluate", [t, y, p], [casadi.vertcat(*outputs)])
        return model, f.expand().map(n_points), rows

    def __call__(self, solution, t_points) -> dict[str, np.ndarray]:
        """Each variable's values, an array (its size, len(t_points)), at
        ``t_points`` within the last sub-solution of ``solution``."""
        model, inputs = solution.all_models[-1], solution.all_inputs[-1]
        t, y = np.asarray(solution.all_ts[-1]), np.asarray(solution.all_ys[-1])
        t_points = np.atleast_1d(np.asarray(t_points, dtype=float))
        n = t_points.size
        key = (id(model), n)
        cached = self._functions.get(key)
        if cached is None or cached[0] is not model:
            cached = self._functions[key] = self._compile(model, inputs, y.shape[0], n)
        _, function, rows = cached
        if t.size > 1:
            right = np.clip(np.searchsorted(t, t_points), 1, t.size - 1)
            left = right - 1
            span = t[right] - t[left]
            w = np.where(span > 0, (t_points - t[left]) / np.where(span > 0, span, 1), 0)
            y_points = y[:, left] * (1 - w) + y[:, right] * w
        else:
            y_points = np.repeat(y[:, -1:], n, axis=1)
        p = [np.ravel(v) for v in inputs.values()]
        p = np.concatenate(p) if p else np.zeros(0)
        values = np.asarray(
            function(t_points.reshape(1, -1), y_points, np.tile(p.reshape(-1, 1), (1, n)))
        )
        return {name: values[rows[name]] for name in self.names}


def _load_libc():
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc
        return None


_LIBC = _load_libc()
#: cycles between two trims of the heap (see _release_freed_memory)
TRIM_EVERY = 10


def _release_freed_memory() -> None:
    """Return the heap's free memory to the system (glibc's ``malloc_trim``).

    Each cycle's solution holds arrays of a few MB; freed, they leave holes in the
    heap that glibc keeps, and the resident size creeps up by ~0.1 MB per cycle.
    Trimming every :data:`TRIM_EVERY` cycles keeps a long run's memory flat; every
    cycle would cost ~1 ms in the trim and the page faults that follow it.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


@contextmanager
def _quiet_pybamm(quiet: bool):
    """Silence a solve whose failure a later attempt may mend, while ``quiet``:
    PyBaMM's logger (its ERROR lines for a failed step) and the process's standard
    error, where SUNDIALS writes its own messages (``[IDAS ERROR] IDACalcIC ...``)
    straight from C."""
    if not quiet:
        yield
        return
    level = pybamm.logger.level
    pybamm.logger.setLevel(logging.CRITICAL)
    saved_fd = _silence_fd(2)
    try:
        yield
    finally:
        _restore_fd(2, saved_fd)
        pybamm.logger.setLevel(level)


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


class Runner:
    """Runs ``protocol`` on the cell of ``parameter_values`` with an AnodeFreeDFN.

    Parameters
    ----------
    protocol : Protocol
        From :func:`afb_models.protocols.load_protocol`.
    parameter_values : pybamm.ParameterValues
        The cell.
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
        Points per step kept in each cycle's time series (default 10).
    """

    def __init__(
        self,
        protocol: Protocol,
        parameter_values: pybamm.ParameterValues,
        options: Mapping[str, str] | None = None,
        solver: pybamm.BaseSolver | None = None,
        series_points: int = 10,
        configuration: str = "anode-free",
    ):
        from .parameter_sets import CONFIGURATIONS

        self.protocol = protocol
        self.parameter_values = parameter_values
        if configuration not in CONFIGURATIONS:
            known = ", ".join(CONFIGURATIONS)
            raise ValueError(f"unknown cell configuration '{configuration}'; known: {known}")
        self.model = getattr(models, CONFIGURATIONS[configuration])(options)
        # the electrical direction that plates metal on the collector: a cycle's CE
        # is the charge stripped over the charge plated
        self._plating_sign = -1 if self.model.plating_direction == "charge" else 1
        if solver is None:
            self._solvers = [
                pybamm.IDAKLUSolver(**tol)
                for tol in ({"rtol": 1e-8, "atol": 1e-8}, *FALLBACK_TOLERANCES)
            ]
        else:
            self._solvers = [solver]
        self.series_points = series_points
        self._simulations: dict[tuple[str, int], pybamm.Simulation] = {}
        self._state_names = [var.name for var in self.model.initial_conditions]
        #: where the time went: the solver's calls (PyBaMM's Simulation.solve, all
        #: attempts) and the runner's own work on each cycle
        self.timings = {"solve [s]": 0.0, "summary [s]": 0.0}
        self._start_attempt = 0  # index of the tolerances tried first
        self._fallback_since = 0  # the cycle that last needed a fallback
        self._step_values = _Evaluator(_EVALUATED)
        self._state_values = None  # built with the model, see _state_of
        self._first_cycle = 1
        self._time_offset = 0.0
        self._reference_capacity = None
        self.stop_reason: str | None = None

    def resume_from(
        self, cycle: int, time_s: float, state: dict, reference_capacity=None
    ) -> None:
        """Continue after ``cycle``, which ended at ``time_s`` in ``state`` (state
        variables by name, as :attr:`CycleResult.state`). Call before
        :meth:`cycles`."""
        if self._simulations:
            raise RuntimeError("resume_from must be called before the first cycle")
        self.model.set_initial_conditions_from(state)
        self._first_cycle = cycle + 1
        self._time_offset = time_s
        self._reference_capacity = reference_capacity

    def _simulation(self, block: Block, attempt: int = 0) -> pybamm.Simulation:
        key = (block.name, attempt)
        if key not in self._simulations:
            nominal = float(self.parameter_values["Nominal cell capacity [A.h]"])
            steps = [
                to_pybamm_step(s, nominal, self.protocol.temperature_K)
                for s in block.steps
            ]
            experiment = pybamm.Experiment([tuple(steps)])
            self._simulations[key] = pybamm.Simulation(
                self.model,
                parameter_values=self.parameter_values,
                experiment=experiment,
                solver=self._solvers[attempt],
            )
        return self._simulations[key]

    #: after a cycle needed a fallback, the next cycles start with it, and every this
    #: many cycles the default is tried again (a cell whose collector is left bare at
    #: every discharge needs the fallback for good; trying the default first would
    #: waste a failed solve on every cycle)
    RETRY_DEFAULT_EVERY = 20

    def _solve_cycle(self, k: int, block: Block, state):
        """The cycle's solution and the index of the tolerances that solved it (0:
        the default, see :data:`FALLBACK_TOLERANCES`)."""
        reason = ""
        if self._start_attempt and k - self._fallback_since >= self.RETRY_DEFAULT_EVERY:
            self._start_attempt = 0
        for attempt in range(self._start_attempt, len(self._solvers)):
            try:
                # a failure that a later attempt may mend is not an error to report;
                # the summary's "Solver tolerance level" records it
                last_attempt = attempt == len(self._solvers) - 1
                with _quiet_pybamm(not last_attempt):
                    solution = self._simulation(block, attempt).solve(
                        starting_solution=state, showprogress=False
                    )
            except pybamm.SolverError as e:
                reason = str(e).splitlines()[0]
                continue
            cycle = solution.cycles[-1]
            if cycle is None or not cycle.steps:
                reason = "no step of the cycle could be solved"
                continue
            if any(s.termination == "failure" for s in cycle.steps) or (
                len(cycle.steps) < len(block.steps) and not self._ended_early(cycle)
            ):
                reason = "a step did not reach its end"
                continue
            if attempt > self._start_attempt:
                self._fallback_since = k
            self._start_attempt = attempt
            return cycle, attempt
        raise SolverFailure(k, reason)

    @staticmethod
    def _ended_early(cycle) -> bool:
        """Whether the cycle's last step ended on an experiment condition (PyBaMM
        skips the steps whose end condition already holds)."""
        return "[experiment]" in cycle.steps[-1].termination

    def cycles(self) -> Iterator[CycleResult]:
        """Solve the protocol's cycles, yielding each as it finishes.

        Stops early at the protocol's termination conditions (then
        :attr:`stop_reason` says which). Raises :class:`SolverFailure` if a cycle
        cannot be solved.
        """
        state = None
        reference_capacity = self._reference_capacity
        termination = self.protocol.termination
        for k, block in self.protocol.cycles():
            if k < self._first_cycle:
                continue
            start = time.perf_counter()
            cycle, level = self._solve_cycle(k, block, state)
            solved = time.perf_counter()
            if k % TRIM_EVERY == 0:
                _release_freed_memory()
            result = self._summarise(k, block, cycle)
            # which tolerances solved the cycle: 0 the default, 1 and 2 the fallbacks
            result.summary["Solver tolerance level"] = float(level)
            state = cycle.last_state
            self.timings["solve [s]"] += solved - start
            self.timings["summary [s]"] += time.perf_counter() - solved
            yield result

            if k == termination.reference_cycle:
                reference_capacity = result.summary["Discharge capacity [A.h]"]
            if self._should_stop(result, reference_capacity):
                return

    def _should_stop(self, result: CycleResult, reference_capacity) -> bool:
        t = self.protocol.termination
        if t.metal_exhausted and result.summary["Metal exhausted"]:
            self.stop_reason = "the plated metal was exhausted"
            return True
        if (
            t.capacity_fraction is not None
            and reference_capacity is not None
            and result.summary["Discharge capacity [A.h]"]
            < t.capacity_fraction * reference_capacity
        ):
            self.stop_reason = (
                f"discharge capacity below {t.capacity_fraction:.0%} of cycle "
                f"{t.reference_cycle}"
            )
            return True
        if t.max_time_s is not None and result.summary["Time [s]"] >= t.max_time_s:
            self.stop_reason = "maximum time reached"
            return True
        return False

    def _state_of(self, solution) -> dict[str, np.ndarray]:
        """Every state variable's values at the end of ``solution``, by name. Scalar
        states are read straight from the solver's state vector (unscaled), which is
        cheap; the others through PyBaMM, which knows how to lay them out for
        ``set_initial_conditions_from``."""
        model = solution.all_models[-1]
        y = solution.all_ys[-1][:, -1]
        wanted = set(self._state_names)
        state = {}
        for var, slices in model.y_slices.items():
            if var.name in wanted and slices[0].stop - slices[0].start == 1:
                scaled = np.asarray(y[slices[0]]).ravel()
                scale = float(var.scale.evaluate()) if var.scale is not None else 1.0
                reference = (
                    float(var.reference.evaluate()) if var.reference is not None else 0.0
                )
                state[var.name] = reference + scale * scaled
        others = sorted(wanted - state.keys())
        if others:
            if self._state_values is None:
                self._state_values = _Evaluator(others)
            # each as a column: set_initial_conditions_from takes the last column of
            # a 2-D value as the flat state vector, in the discretisation's order
            t_end = solution.all_ts[-1][-1]
            state.update(self._state_values(solution, t_end))
        return state

    def _summarise(self, k: int, block: Block, cycle) -> CycleResult:
        charge = discharge = charge_energy = discharge_energy = 0.0
        charge_time = discharge_time = 0.0
        plated = stripped = 0.0
        peak_plated = 0.0
        exhausted = False
        series = {name: [] for name in SERIES_VARIABLES}
        first_values = last_values = None
        n_points = max(self.series_points, 2)  # at least the two ends of a step
        for step in cycle.steps:
            t = step.all_ts[-1]
            values = {
                name: value[0]
                for name, value in self._step_values(
                    step, np.linspace(t[0], t[-1], n_points)
                ).items()
            }
            first_values = first_values or values
            last_values = values
            q = values["Discharge capacity [A.h]"]
            e = values["Discharge energy [W.h]"]
            metal = values["Plated metal [mol]"]
            dq, de = q[-1] - q[0], e[-1] - e[0]
            dt = step.t[-1] - step.t[0]
            if dq < 0:
                charge, charge_energy = charge - dq, charge_energy - de
                charge_time += dt
            elif dq > 0:
                discharge, discharge_energy = discharge + dq, discharge_energy + de
                discharge_time += dt
            if dq * self._plating_sign > 0:
                plated += abs(dq)
            elif dq != 0:
                stripped += abs(dq)
                exhausted = exhausted or metal[-1] < 0.01 * metal[0]
            # (the plated metal is monotonic within a step, so its peak is at an end)
            peak_plated = max(peak_plated, metal.max())
            # thinned series: evenly spaced in time within each step
            # (with a single point kept per step, the step's end)
            for name in SERIES_VARIABLES:
                series[name].append(values[name][-self.series_points :])
        summary = {
            "Time [s]": float(cycle.t[-1]) + self._time_offset,
            "Charge capacity [A.h]": charge,
            "Discharge capacity [A.h]": discharge,
            # charge into and out of the collector's metal (for an anode-free cell
            # the charge and the discharge capacity; the other way round in a
            # metal||collector cell)
            "Plated charge [A.h]": plated,
            "Stripped charge [A.h]": stripped,
            # (undefined for a cycle that only plates or only strips, e.g. the
            # reservoir cycle of the Adams protocol)
            "Coulombic efficiency": (
                stripped / plated if plated > 0 and stripped > 0 else np.nan
            ),
            "Charge energy [W.h]": charge_energy,
            "Discharge energy [W.h]": discharge_energy,
            "Mean charge voltage [V]": charge_energy / charge if charge > 0 else np.nan,
            "Mean discharge voltage [V]": (
                discharge_energy / discharge if discharge > 0 else np.nan
            ),
            "Charge time [s]": charge_time,
            "Discharge time [s]": discharge_time,
            "Peak plated metal [mol]": float(peak_plated),
            # a stripping step ended because the plated metal ran out (< 1 % left)
            "Metal exhausted": float(exhausted),
        }
        last = cycle.last_state
        for name in END_OF_CYCLE_VARIABLES:
            summary[name] = float(last_values[name][-1])
        to_Ah = pybamm.constants.F.value / 3600
        for name, variable in LOSS_SPLIT.items():
            change = last_values[variable][-1] - first_values[variable][0]
            summary[name] = float(change * to_Ah)
        summary["Metal loss [A.h]"] = (
            summary["Dead metal loss [A.h]"]
            + summary["SEI loss [A.h]"]
            + summary["Corrosion loss [A.h]"]
        )
        series = {name: np.concatenate(v) for name, v in series.items()}
        series["Time [s]"] = series["Time [s]"] + self._time_offset
        return CycleResult(
            cycle=k,
            block=block.name,
            summary=summary,
            series=series,
            last_state=last,
            state=self._state_of(last),
            step_terminations=[s.termination for s in cycle.steps],
        )


def run_protocol(protocol, parameter_values, options=None, **kwargs) -> list[dict]:
    """Solve every cycle of ``protocol``; return the per-cycle summaries."""
    runner = Runner(protocol, parameter_values, options, **kwargs)
    return [result.summary | {"Cycle": result.cycle} for result in runner.cycles()]
