"""Per-cycle observables: what a solved cycle is summarised into.

Pure functions of a cycle's solution: the per-cycle summary (capacities, CE, energies,
mean voltages, the metal inventory at the end of the cycle and each mechanism's loss in
it), the thinned time series, and the measurements a protocol asks for over many cycles
(:mod:`afb_models.measurements`). The simulator (:mod:`afb_models.runner`) produces
solved cycles; sinks (the run file, an in-memory :class:`~afb_models.results.Run`, the
printed table) consume what this module makes of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import casadi
import numpy as np
import pybamm

from .submodels.inventory import INVENTORY_VARIABLES

#: the variables a cycle's time series keeps, in the order they are stored
SERIES_VARIABLES = (
    "Time [s]",
    "Current [A]",
    "Voltage [V]",
    "Discharge capacity [A.h]",
    "Plated metal amount [mol.m-2]",
    "Negative interface overpotential [V]",
    "Ambient temperature [K]",
)

#: the series' step number: the step's position in its protocol block, from 1 (a
#: step PyBaMM skipped has a number and no points), so that the steps of a run can
#: be told apart when it is read as data (:mod:`afb_models.data`)
STEP = "Step"

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

#: every variable the per-cycle summary and time series read from a step
EVALUATED = tuple(
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


class Evaluator:
    """Variables of a solution evaluated at given times, cheaply.

    The solver's state is interpolated linearly between its output times (exact at
    them), and one CasADi function per discretised model evaluates every variable
    at once. PyBaMM's ProcessedVariables build (and serialise) one function per
    variable and solution and evaluate it at every output time, which costs more
    than a per-cycle summary can afford.
    """

    def __init__(self, names):
        self.names = tuple(names)
        # (id(model), n_points, input names) -> (model, function, row slices); the
        # model is kept so that its id stays unique
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
        key = (id(model), n, tuple(inputs))
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


def solved_steps(cycle) -> list:
    """The steps of a cycle that were solved: PyBaMM skips a step whose end condition
    already holds when it starts, and keeps an ``EmptySolution`` in its place."""
    return [s for s in cycle.steps if not isinstance(s, pybamm.EmptySolution)]


@dataclass(frozen=True)
class StepTotals:
    """What one step passed: charge [A.h] (positive: a discharge, PyBaMM's sign),
    energy [W.h] (same sign) and its duration [s]."""

    charge: float
    energy: float
    duration: float


def charge_summary(steps, plating_sign: int) -> dict[str, float]:
    """The charge, energy and efficiency part of a cycle's summary from the totals
    of its steps (:class:`StepTotals`): a model's cycle and a cycler's alike
    (:mod:`afb_models.data`).

    A step counts by its net charge: a charge if it took charge in, a discharge if
    it gave charge out. It plated the collector when its charge has the sign
    ``plating_sign`` (-1 in an anode-free cell, where a charge plates; +1 in a
    metal||collector cell). The CE is the charge stripped over the charge plated.
    """
    charge = discharge = charge_energy = discharge_energy = 0.0
    charge_time = discharge_time = plated = stripped = 0.0
    for step in steps:
        dq, de, dt = step.charge, step.energy, step.duration
        if dq < 0:
            charge, charge_energy = charge - dq, charge_energy - de
            charge_time += dt
        elif dq > 0:
            discharge, discharge_energy = discharge + dq, discharge_energy + de
            discharge_time += dt
        if dq * plating_sign > 0:
            plated += abs(dq)
        elif dq != 0:
            stripped += abs(dq)
    return {
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
    }


def summarise(
    cycle,
    evaluate: Evaluator,
    *,
    plating_sign: int,
    series_points: int,
    time_offset: float = 0.0,
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """The summary and the thinned time series of one solved ``cycle``.

    ``plating_sign`` is the sign of the discharge capacity's change while metal is
    plated on the collector (-1 in an anode-free cell, where a charge plates; +1 in a
    metal||collector cell); a cycle's CE is the charge stripped over the charge
    plated (:func:`charge_summary`). The series keeps ``series_points`` points per
    step, evenly spaced in time, with each point's step number (:data:`STEP`).
    """
    steps = []
    peak_plated = 0.0
    exhausted = False
    series = {name: [] for name in (*SERIES_VARIABLES, STEP)}
    first_values = last_values = None
    n_points = max(series_points, 2)  # at least the two ends of a step
    for number, step in enumerate(cycle.steps, start=1):
        if isinstance(step, pybamm.EmptySolution):  # skipped by PyBaMM
            continue
        t = step.all_ts[-1]
        values = {
            name: value[0]
            for name, value in evaluate(step, np.linspace(t[0], t[-1], n_points)).items()
        }
        first_values = first_values or values
        last_values = values
        q = values["Discharge capacity [A.h]"]
        e = values["Discharge energy [W.h]"]
        metal = values["Plated metal [mol]"]
        dq = q[-1] - q[0]
        steps.append(StepTotals(dq, e[-1] - e[0], step.t[-1] - step.t[0]))
        if dq * plating_sign < 0:  # a strip
            exhausted = exhausted or metal[-1] < 0.01 * metal[0]
        # (the plated metal is monotonic within a step, so its peak is at an end)
        peak_plated = max(peak_plated, metal.max())
        # thinned series: evenly spaced in time within each step
        # (with a single point kept per step, the step's end)
        for name in SERIES_VARIABLES:
            series[name].append(values[name][-series_points:])
        series[STEP].append(np.full(min(series_points, n_points), number))
    summary = {"Time [s]": float(cycle.t[-1]) + time_offset,
               **charge_summary(steps, plating_sign),
               "Peak plated metal [mol]": float(peak_plated),
               # a stripping step ended because the plated metal ran out (< 1 % left)
               "Metal exhausted": float(exhausted)}
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
    series["Time [s]"] = series["Time [s]"] + time_offset
    return summary, series
