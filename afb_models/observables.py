"""Per-cycle observables: what a solved cycle is summarised into.

Pure functions of a cycle's solution: the per-cycle summary (capacities, CE, energies,
mean voltages, the metal inventory at the end of the cycle and each mechanism's loss in
it), the thinned time series, and the measurements a protocol asks for over many cycles
(:mod:`afb_models.measurements`). The simulator (:mod:`afb_models.runner`) produces
solved cycles; sinks (the run file, an in-memory :class:`~afb_models.results.Run`, the
printed table) consume what this module makes of them.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import casadi
import numpy as np
import pybamm

from .results import DEFAULT_SERIES_POINTS, DEFAULT_SERIES_TOLERANCE
from .mechanisms import LOSS_CHANNELS
from .submodels.inventory import INVENTORY_VARIABLES

#: the variables a cycle's time series keeps at each of its points, in the order
#: they are stored (with :data:`STEP`, :data:`STEP_KIND` and :data:`STEP_CAPACITY`)
SERIES_VARIABLES = (
    "Time [s]",
    "Current [A]",
    "Voltage [V]",
    "Discharge capacity [A.h]",
    "Plated metal amount [mol.m-2]",
    "Negative interface overpotential [V]",
    "Ambient temperature [K]",
    # the cell's own ("thermal": "lumped"; the ambient's in an isothermal model)
    "Volume-averaged cell temperature [K]",
)

#: the series' step number: the step's position in its protocol block, from 1 (a
#: step PyBaMM skipped has a number and no points), so that the steps of a run can
#: be told apart when it is read as data (:mod:`afb_models.data`)
STEP = "Step"
#: the series' step kind: what the protocol's step does ("charge", "discharge",
#: "hold" or "rest"; :attr:`afb_models.protocols.Step.action`)
STEP_KIND = "Step kind"
#: the charge passed since the step started, from zero (a cycler's step capacity)
STEP_CAPACITY = "Step capacity [A.h]"


#: the states of the interface with a solid electrolyte at the end of a cycle (1, 0
#: and 0 where it has none: submodels/interface_contact/, submodels/internal_short/)
INTERFACE_VARIABLES = ("Interface contact fraction", "Filament extent",
                       "Hard short indicator")
#: the cell's temperature, the molten share of its metal and the melt's front in the
#: electrolyte at the end of a cycle (submodels/thermal/,
#: submodels/internal_short/melt_infiltration.py; 0 without a melt short)
THERMAL_VARIABLES = ("Volume-averaged cell temperature [K]", "Metal liquid fraction",
                     "Melt front depth fraction")
#: per-cycle values taken at the end of the cycle: the metal inventory, the
#: interface's states and the thermal ones
END_OF_CYCLE_VARIABLES = (*INVENTORY_VARIABLES, *INTERFACE_VARIABLES, *THERMAL_VARIABLES)

# the summary's marks of a solved or an extrapolated cycle (the cycle skipper's)
from .acceleration import EXTRAPOLATION_ERROR, SOLVED  # noqa: E402,F401

#: what each cycle's loss is split into: summary name -> inventory variable. By
#: conservation, charge in - charge out = the sum of these changes over the cycle.
LOSS_SPLIT = {
    **{channel.loss: channel.inventory for channel in LOSS_CHANNELS},
    "Plated metal change [A.h]": "Plated metal [mol]",
    "Electrolyte metal change [A.h]": "Metal in electrolyte [mol]",
}

#: what the summary reads at the two ends of each step
SUMMARY_VARIABLES = tuple(
    dict.fromkeys(
        (
            "Discharge capacity [A.h]",
            "Discharge energy [W.h]",
            "Plated metal [mol]",
            *END_OF_CYCLE_VARIABLES,
        )
    )
)
#: what the thinning of the series follows at every output time of the solver
THINNING_VARIABLES = ("Voltage [V]", "Current [A]")


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


#: CasADi operations of a piecewise function (see Evaluator: not evaluated as affine)
_PIECEWISE_OPS = {getattr(casadi, name) for name in (
    "OP_LT", "OP_LE", "OP_EQ", "OP_NE", "OP_NOT", "OP_AND", "OP_OR", "OP_IF_ELSE_ZERO",
    "OP_SIGN", "OP_FLOOR", "OP_CEIL", "OP_FMOD", "OP_REMAINDER", "OP_FMIN", "OP_FMAX",
    "OP_FABS", "OP_COPYSIGN", "OP_BSPLINE") if hasattr(casadi, name)}


class Evaluator:
    """Variables of a solution evaluated at given times, cheaply.

    The solver's state is interpolated linearly between its output times (exact at
    them), and one CasADi function per discretised model evaluates every variable
    at once, from the states they depend on only: the voltage of a DFN depends on two
    of its ~500 states, so the voltage at a step's every output time costs little
    (:func:`thin_series` needs it). PyBaMM's ProcessedVariables build (and
    serialise) one function per variable and solution and evaluate it at every
    output time, which costs more than a per-cycle summary can afford.
    """

    def __init__(self, names, *, affine: bool = True):
        """``affine``: evaluate variables affine in time and the states as such
        (worth it for a few variables at many points; not for every state at one)."""
        self.names = tuple(names)
        self.affine = affine
        # (id(model), input names) -> (model, function, row slices, state rows,
        # affine coefficients' function or None); the model is kept so that its id
        # stays unique
        self._functions: dict = {}
        # (that key, the inputs' values) -> (jacobian in [t; y], offset)
        self._affine: dict = {}

    def _compile(self, model, inputs: dict, n_states: int):
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
        full = casadi.Function("evaluate", [t, y, p], [casadi.vertcat(*outputs)]).expand()
        # the states the variables depend on: only they are interpolated and passed
        used = np.flatnonzero(full.which_depends("i1", ["o0"], 1, False))
        t_s, y_s, p_s = casadi.SX.sym("t"), casadi.SX.sym("y", used.size), casadi.SX.sym(
            "p", p.size1())
        y_full = casadi.SX.zeros(n_states)
        for k, i in enumerate(used):
            y_full[int(i)] = y_s[k]
        out = full(t_s, y_full, p_s)
        reduced = casadi.Function("evaluate", [t_s, y_s, p_s], [out])
        # variables affine in time and the states (a DFN's voltage, capacities,
        # inventory integrals) are evaluated as J [t; y] + c with numpy: a CasADi
        # call costs ~0.25 us per point, which the voltage at every output time of
        # a step would pay ~1000 times
        z = casadi.vertcat(t_s, y_s)
        jacobian = casadi.jacobian(out, z) if self.affine else None
        affine = None
        # affine: a Jacobian that depends on neither, and no operation whose
        # derivative is zero where the function jumps (a comparison, a sign)
        ops = {reduced.instruction_id(k) for k in range(reduced.n_instructions())}
        if (jacobian is not None and not casadi.depends_on(jacobian, z)
                and not ops & _PIECEWISE_OPS):
            offset = casadi.substitute(out, z, casadi.SX.zeros(z.size1()))
            affine = casadi.Function("affine", [p_s], [jacobian, offset])
        return model, reduced, rows, used, affine

    def __call__(self, solution, t_points) -> dict[str, np.ndarray]:
        """Each variable's values, an array (its size, len(t_points)), at
        ``t_points`` within the last sub-solution of ``solution``."""
        model, inputs = solution.all_models[-1], solution.all_inputs[-1]
        t, y = np.asarray(solution.all_ts[-1]), solution.all_ys[-1]
        t_points = np.atleast_1d(np.asarray(t_points, dtype=float))
        n = t_points.size
        key = (id(model), tuple(inputs))
        cached = self._functions.get(key)
        if cached is None or cached[0] is not model:
            cached = self._functions[key] = self._compile(model, inputs, y.shape[0])
        _, function, rows, used, affine = cached
        y = np.asarray(y)
        rows_used = used[:, None]  # (only the states used, at the columns needed)
        if t.size > 1:
            right = np.clip(np.searchsorted(t, t_points), 1, t.size - 1)
            left = right - 1
            span = t[right] - t[left]
            w = np.where(span > 0, (t_points - t[left]) / np.where(span > 0, span, 1), 0)
            y_points = y[rows_used, left] * (1 - w) + y[rows_used, right] * w
        else:
            y_points = np.repeat(y[rows_used, [-1]], n, axis=1)
        p = [np.ravel(v) for v in inputs.values()]
        p = np.concatenate(p) if p else np.zeros(0)
        if affine is not None:
            coefficients = self._affine.get((key, p.tobytes()))
            if coefficients is None:
                if len(self._affine) > 64:  # (inputs that change every run)
                    self._affine.clear()
                coefficients = self._affine[(key, p.tobytes())] = tuple(
                    np.asarray(casadi.DM(m).full()) for m in affine(p))
            jacobian, offset = coefficients
            values = (jacobian[:, :1] * t_points + jacobian[:, 1:] @ y_points
                      + offset.reshape(-1, 1))
        else:
            # (called with n columns, a CasADi function is evaluated at each)
            values = np.asarray(function(t_points.reshape(1, -1), y_points,
                                         np.tile(p.reshape(-1, 1), (1, n))))
        return {name: values[rows[name]] for name in self.names}


class CycleEvaluators:
    """The evaluators a cycle's summary and series need: the summary's variables at
    the ends of each step, the voltage and current at every output time of the
    solver (cheap: they depend on a few states), and the series' variables at the
    points the thinning keeps."""

    def __init__(self):
        self.ends = Evaluator(SUMMARY_VARIABLES)
        self.dense = Evaluator(THINNING_VARIABLES)
        self.series = Evaluator(SERIES_VARIABLES)


def thin_series(t, voltage, current, *, voltage_tolerance: float = DEFAULT_SERIES_TOLERANCE,
                max_points: int = DEFAULT_SERIES_POINTS,
                current_fraction: float = 0.01) -> np.ndarray:
    """The indices of the points of one step to keep: the fewest such that the
    voltage interpolated linearly in time between kept points is within
    ``voltage_tolerance`` [V] of every dropped point, and the current within
    ``current_fraction`` of the step's largest current (what a constant-voltage
    hold changes), or at most ``max_points``.

    Greedy Ramer-Douglas-Peucker: starting from the step's two ends, the point
    furthest (in tolerances) from the line through the points kept on either side
    of it is kept next, so that a capped series keeps the features that matter most
    (the nucleation dip of a first plating, the knee at the end of a discharge).
    With ``max_points`` 1, the step's end.
    """
    t = np.asarray(t, dtype=float)
    n = t.size
    if max_points <= 1 or n == 1:
        return np.array([n - 1])
    if n == 2:
        return np.array([0, 1])
    scale_v = np.asarray(voltage, dtype=float) / voltage_tolerance
    current = np.asarray(current, dtype=float)
    largest = float(np.max(np.abs(current)))
    # (a constant current, a rest: nothing to follow but the voltage)
    varies = largest > 0 and float(np.ptp(current)) > current_fraction * largest
    scale_i = current / (current_fraction * largest) if varies else None

    def worst(a: int, b: int):
        """The point between ``a`` and ``b`` furthest from their chord, in
        tolerances, or None if every point is within one."""
        if b - a < 2:
            return None
        span = t[b] - t[a]
        w = (t[a + 1 : b] - t[a]) / span if span > 0 else np.zeros(b - a - 1)
        error = np.abs(scale_v[a + 1 : b] - (scale_v[a] + w * (scale_v[b] - scale_v[a])))
        if scale_i is not None:
            error = np.maximum(error, np.abs(
                scale_i[a + 1 : b] - (scale_i[a] + w * (scale_i[b] - scale_i[a]))))
        k = int(np.argmax(error))
        return (-float(error[k]), a, b, a + 1 + k) if error[k] > 1 else None

    keep = [0, n - 1]
    heap = [x for x in (worst(0, n - 1),) if x is not None]
    while heap and len(keep) < max_points:
        _, a, b, k = heapq.heappop(heap)
        keep.append(k)
        for segment in (worst(a, k), worst(k, b)):
            if segment is not None:
                heapq.heappush(heap, segment)
    return np.sort(np.asarray(keep))


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
        "Coulombic efficiency": np.nan,
        "Charge energy [W.h]": charge_energy,
        "Discharge energy [W.h]": discharge_energy,
        "Mean charge voltage [V]": np.nan,
        "Mean discharge voltage [V]": np.nan,
        "Charge time [s]": charge_time,
        "Discharge time [s]": discharge_time,
    } | charge_ratios(charge, discharge, plated, stripped, charge_energy, discharge_energy)


def charge_ratios(charge, discharge, plated, stripped, charge_energy,
                  discharge_energy) -> dict[str, float]:
    """The ratios of a cycle's summary: its CE and mean voltages, from its charges
    [A.h] and energies [W.h] (NaN where a charge is zero)."""
    return {
        # (undefined for a cycle that only plates or only strips, e.g. the
        # reservoir cycle of the Adams protocol)
        "Coulombic efficiency": (
            stripped / plated if plated > 0 and stripped > 0 else np.nan
        ),
        "Mean charge voltage [V]": charge_energy / charge if charge > 0 else np.nan,
        "Mean discharge voltage [V]": (
            discharge_energy / discharge if discharge > 0 else np.nan
        ),
    }


def metal_loss_summary(summary) -> dict[str, float]:
    """A cycle's metal loss [A.h], the sum of its loss channels, and its metal CE,
    from its summary's losses and plated charge."""
    loss = sum(summary[c.loss] for c in LOSS_CHANNELS)
    plated = summary["Plated charge [A.h]"]
    # the metal's own efficiency, which a reservoir cannot hide: of the metal plated
    # in the cycle, the share not lost to a side reaction or isolated (the cell's CE,
    # stripped over plated, stays near 1 while a reservoir makes up the loss)
    return {"Metal loss [A.h]": loss,
            "Metal Coulombic efficiency": 1 - loss / plated if plated > 0 else np.nan}


def summarise(
    cycle,
    evaluate: CycleEvaluators,
    *,
    plating_sign: int,
    series_points: int = DEFAULT_SERIES_POINTS,
    series_tolerance: float = DEFAULT_SERIES_TOLERANCE,
    step_kinds=None,
    time_offset: float = 0.0,
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """The summary and the thinned time series of one solved ``cycle``.

    ``plating_sign`` is the sign of the discharge capacity's change while metal is
    plated on the collector (-1 in an anode-free cell, where a charge plates; +1 in a
    metal||collector cell); a cycle's CE is the charge stripped over the charge
    plated (:func:`charge_summary`). The summary reads each step at its two ends.
    The series keeps, per step, the points of the solver's output that
    :func:`thin_series` picks (``series_tolerance`` [V], at most ``series_points``;
    with a tolerance of 0, ``series_points`` evenly in time, as a cycler logs),
    with each point's step number (:data:`STEP`), the step's kind
    (:data:`STEP_KIND`, from ``step_kinds``, the block's step actions) and the charge
    passed since the step began (:data:`STEP_CAPACITY`).
    """
    steps = []
    peak_plated = 0.0
    exhausted = False
    series = {name: [] for name in (*SERIES_VARIABLES, STEP_CAPACITY, STEP, STEP_KIND)}
    first_values = last_values = None
    for number, step in enumerate(cycle.steps, start=1):
        if isinstance(step, pybamm.EmptySolution):  # skipped by PyBaMM
            continue
        t = np.asarray(step.all_ts[-1])
        values = {name: value[0] for name, value in evaluate.ends(step, t[[0, -1]]).items()}
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
        if series_tolerance > 0:
            # the series: the points where the voltage (or a hold's current) changes
            dense = evaluate.dense(step, t)
            kept = thin_series(t, dense["Voltage [V]"][0], dense["Current [A]"][0],
                               voltage_tolerance=series_tolerance, max_points=series_points)
            t_kept = t[kept]
        else:
            # evenly in time, as a cycler logs by time (the step's end if one point)
            t_kept = np.linspace(t[0], t[-1], max(series_points, 2))[-series_points:]
        points = {name: value[0] for name, value in evaluate.series(step, t_kept).items()}
        for name in SERIES_VARIABLES:
            series[name].append(points[name])
        series[STEP_CAPACITY].append(np.abs(points["Discharge capacity [A.h]"] - q[0]))
        series[STEP].append(np.full(t_kept.size, number))
        kind = step_kinds[number - 1] if step_kinds is not None else ""
        series[STEP_KIND].append(np.full(t_kept.size, kind))
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
    summary.update(metal_loss_summary(summary))
    series = {name: np.concatenate(v) for name, v in series.items()}
    series["Time [s]"] = series["Time [s]"] + time_offset
    return summary, series
