"""Cycle skipping: the slow life of a cell from a few solved cycles.

An anode-free cell changes slowly from one cycle to the next: its losses (SEI, dead
metal, corrosion), its film thicknesses, the roughness of its deposit and the metal
left on the collector drift by a fraction of a percent per cycle, while what a cycle
does to the concentrations and potentials repeats. The skipper solves a few cycles
in full, fits the per-cycle change of every state, and jumps over many cycles by
integrating that change; it then solves two cycles in full from where the jump
landed, which both checks the jump and measures the change again. It is envelope
following (Petzold, SIAM J. Sci. Stat. Comput. 2 (1981) 239; in battery ageing,
the cycle-jumping of e.g. Dubarry et al., and PyBaMM issue #3521).

**What a jump extrapolates.** Every quantity of a cycle is a *level* (a value at the
cycle's end: every state of the solver, the inventory's parts, the time) or a
*per-cycle* value (capacities, energies, each mechanism's loss in the cycle). With
r_j the per-cycle change of a level (or the per-cycle value itself) at cycle j, the
skipper takes r as a parabola in j about the last solved cycle a:

    r(a + i) = r_a + s i + c i^2 / 2,        X(a + j) = X_a + sum_{i=1..j} r(a + i),

s and c from the parabola through the rates of the last solved cycle and two
before it, at least 3 cycles apart (over the last jump, once there is one). The
same weights apply to every quantity, and they sum to one on the solved values, so
every quantity linear in the states keeps its value: the metal inventory (the
cathode's lithium, the electrolyte's, the plated metal and every loss) is conserved
across a jump exactly, to rounding, and each extrapolated cycle's losses add up to
the change of the levels. Ratios (CE, mean voltages, metal CE) are computed from the
extrapolated charges and energies. An intensive state (a film thickness, the
roughness, the deposit's morphology) whose change shrinks (or grows) by a steady
ratio q from cycle to cycle relaxes towards a value (or grows exponentially): it
goes on as r_a q^i, which a polynomial cannot follow over a long jump, and which
keeps the jumps stable where a relaxation is faster than they are long (see
:meth:`_Skipper._trend`).

**Error control.** The cycle two after a jump (c2), solved from the first (c1),
gives a clean per-cycle change; the prediction of it differs from it by d, and the
jump of H cycles carries an error of about (H + 2) |d| / 2 in each level (the
difference between the predictor and the trapezoidal corrector, Milne's device).
Relative to each level (the inventory's parts, floored at a tenth of the metal a
cycle plates; the film thicknesses, the roughness and the morphology, at 10 times
the tolerance: they matter through the losses they drive) and together with the
error in the discharge capacity that c1 and c2 show against their prediction, it
must stay below :attr:`Acceleration.tolerance`; otherwise the jump is shortened and
tried again. The next jump grows by up to a factor 2. Before the first jump of a
block (and after solving in full), an a priori bound from the rates' curvature
keeps a transient, like the first cycles after formation, from being jumped.

**Where it solves in full.** The first :attr:`Acceleration.warmup` cycles of each
protocol block, and up to the termination's reference cycle; where the kind of
cycle changes (a step ending differently, the metal exhausted, a step skipped);
where the metal left on the collector (or a symmetric cell's counter foil) would
fall by more than half in a jump (the knee of an anode-less cell: the jumps shrink
as the reservoir runs out, and it is crossed cycle by cycle); and where the
capacity or the time would come within half their distance of a termination. A
jump ends two cycles before its block does, so every block's last cycle is solved.
If the cycle after a jump meets a termination, the jump is shortened until the
cycle that meets it is solved in full: terminations fall on the cycle where a full
run has them (to within the error of the slow states).

Every cycle is yielded, in order: extrapolated ones with their summary, their state
and no time series, their summary's "Solved in full" 0 and "Extrapolation error"
the jump's relative error estimate (0 for cycles solved in full).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Iterator, Mapping

import numpy as np

# (PyBaMM and the runner are imported where the skipper runs: the command line reads
# the settings without them)

logger = logging.getLogger("afb")

#: the summary's mark of a cycle solved in full (1) or extrapolated (0)
SOLVED = "Solved in full"
#: the summary's relative error estimate of the jump a cycle belongs to (0 for a
#: cycle solved in full from a solved one)
EXTRAPOLATION_ERROR = "Extrapolation error"

#: summary values that say what kind of cycle it was: a jump spans cycles of one kind
_REGIME = ("Metal exhausted", "Skipped steps")
#: summary values an extrapolated cycle copies from the solved cycle it starts at
_COPIED = ("Solver tolerance level", *_REGIME)
#: summary values computed from the others
_DERIVED = ("Coulombic efficiency", "Mean charge voltage [V]", "Mean discharge voltage [V]",
            "Metal loss [A.h]", "Metal Coulombic efficiency", SOLVED, EXTRAPOLATION_ERROR)
#: the inventory's parts that a jump may not use up: the metal left on the collector
#: and a symmetric cell's counter foil
_RESERVOIRS = ("Plated metal [mol]", "Metal in counter electrode [mol]")
#: units of the states that repeat from cycle to cycle (potentials) or only count
#: (charge and energy throughput): not in the error norm
_FAST_UNITS = ("[V]", "[A.h]", "[W.h]", "[mol.m-3]")
#: the intensive states (film thicknesses, roughness, morphology) are held to this
#: many times the tolerance: they matter through the losses they drive, which are
#: held to the tolerance itself, and the slowest of them relax on the scale of a
#: long jump (see _Skipper._trend), so that held as tightly they would keep every
#: jump short for an error that shows nowhere else
_INTENSIVE_LOOSENESS = 10.0
#: an intensive state's change must shrink by this ratio per cycle at least to be
#: taken as a relaxation, or grow by the other to be taken as exponential growth
#: (closer to 1, a drift and a relaxation look alike); and it must be more than
#: this share of the state per cycle (the solver's noise is ~1e-8)
_MAX_DECAY = 0.999
_MIN_GROWTH = 1.01
_MOVING = 1e-6
#: the fewest cycles between two of the solved cycles a trend is taken from (closer,
#: the solver's noise in their rates would show in the curvature)
_SPACING = 3
#: a reservoir under this share of the cycle's peak deposit is spent: the jumps no
#: longer guard it (what is left is the trace a strip leaves behind)
_SPENT = 1e-2
#: the inventory's parts are measured against at least this share of the cycle's
#: peak deposit: what decides a cell's capacity is its metal against what a cycle
#: moves, so the trace a strip leaves needs no better than that
_INVENTORY_FLOOR = 0.1


@dataclasses.dataclass(frozen=True)
class Acceleration:
    """Settings of the cycle skipper (``afb run --accelerate``,
    ``simulate(..., accelerate=True)``).

    Parameters
    ----------
    tolerance : float
        The relative error a jump may add to each slow state (the inventory's
        parts, film thicknesses, roughness) and to the discharge capacity (default
        1e-3). The accuracy test of the suite (tests/test_acceleration.py) holds the
        default cell's capacity within 0.5 % of a full run at every cycle with it.
    max_jump : int
        The most cycles extrapolated in one jump (default 1000).
    warmup : int
        Cycles of each protocol block solved in full before the first jump
        (default 6): the first cycles after a change of protocol settle.
    min_jump : int
        The fewest cycles worth a jump, which costs two solved cycles (default 4).
    always_solve : tuple of int
        Cycles to solve in full whatever the cell does (a fit's voltage curves,
        cycles whose time series a study reads).
    """

    tolerance: float = 1e-3
    max_jump: int = 1000
    warmup: int = 6
    min_jump: int = 4
    always_solve: tuple[int, ...] = ()

    def __post_init__(self):
        if not (isinstance(self.tolerance, (int, float)) and not isinstance(self.tolerance, bool)
                and 0 < self.tolerance < 1):
            raise ValueError(f"accelerate: tolerance: must be a number between 0 and 1, "
                             f"got {self.tolerance!r}")
        for name, least in (("max_jump", 1), ("warmup", 2), ("min_jump", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise ValueError(f"accelerate: {name}: must be an integer of at least "
                                 f"{least}, got {value!r}")
        try:
            cycles = tuple(sorted({int(k) for k in self.always_solve}))
        except (TypeError, ValueError):
            cycles = None
        if cycles is None or any(k < 1 for k in cycles) or any(
                isinstance(k, bool) or k != int(k) for k in self.always_solve):
            raise ValueError(f"accelerate: always_solve: must be a list of cycle numbers "
                             f"from 1, got {self.always_solve!r}")
        object.__setattr__(self, "always_solve", cycles)
        if self.min_jump > self.max_jump:
            raise ValueError(f"accelerate: min_jump ({self.min_jump}) is above max_jump "
                             f"({self.max_jump})")

    @classmethod
    def from_setting(cls, value, where: str = "accelerate") -> Acceleration | None:
        """The settings from what a user gives: True (the defaults), False or None
        (no skipping), a mapping of settings, or an :class:`Acceleration`.
        ``where`` names the setting in an error."""
        if value is None or value is False:
            return None
        if value is True:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            known = [f.name for f in dataclasses.fields(cls)]
            unknown = [k for k in value if k not in known]
            if unknown:
                raise ValueError(f"{where}: unknown setting '{unknown[0]}'; known: "
                                 f"{', '.join(known)}")
            try:
                return cls(**dict(value))
            except ValueError as e:
                raise ValueError(f"{where}: {str(e).removeprefix('accelerate: ')}") from None
        raise ValueError(f"{where}: give true, false or a table of settings, not {value!r}")

    @classmethod
    def settings_of(cls, value, where: str, error=ValueError) -> dict | None:
        """The settings a fit or study file (or a call) gives, checked, as the dict
        that pickles and is stored (None: no skipping); a bad value raises ``error``
        (the file's own error class) with the one-line message."""
        try:
            settings = cls.from_setting(value, where)
        except ValueError as e:
            raise error(str(e)) from None
        return None if settings is None else settings.to_dict()

    def to_dict(self) -> dict:
        out = dataclasses.asdict(self)
        out["always_solve"] = list(self.always_solve)
        return out


class _Layout:
    """Where each quantity of a cycle sits in the vectors the skipper extrapolates:
    the level vector (the solver's state, the named states flattened, the summary's
    levels) and the per-cycle vector (the summary's per-cycle values)."""

    def __init__(self, result):
        from .observables import END_OF_CYCLE_VARIABLES

        summary = result.summary
        self.keys = list(summary)
        # the summary's levels: the time, the inventory's parts
        self.levels = [k for k in ("Time [s]", *END_OF_CYCLE_VARIABLES) if k in summary]
        self.per = [k for k in summary if k not in self.levels and k not in _COPIED
                    and k not in _DERIVED]
        self.n_y = _solver_state(result).size
        self.states = {name: np.shape(value) for name, value in result.state.items()}
        sizes = [int(np.prod(shape)) if shape else 1 for shape in self.states.values()]
        offsets = np.cumsum([0, *sizes])
        self.state_slices = {name: slice(self.n_y + int(offsets[i]), self.n_y + int(offsets[i + 1]))
                             for i, name in enumerate(self.states)}
        start = self.n_y + int(offsets[-1])
        self.level_index = {k: start + i for i, k in enumerate(self.levels)}
        self.per_index = {k: i for i, k in enumerate(self.per)}
        # the slow states in the error norm: the inventory's parts (in mol), and the
        # scalar states that are neither potentials nor counters nor concentrations
        # nor areal amounts (those are the inventory's parts again): film
        # thicknesses, the roughness, the deposit's morphology
        inventory = [self.level_index[k] for k in self.levels
                     if k not in ("Time [s]", "Total metal [mol]")]
        self.reservoirs = [self.level_index[k] for k in _RESERVOIRS if k in self.level_index]
        intensive = [name for name, shape in self.states.items()
                     if int(np.prod(shape) if shape else 1) == 1
                     and not name.endswith(_FAST_UNITS) and not name.endswith("[mol.m-2]")]
        other = [self.state_slices[name].start for name in intensive]
        # where the intensive states sit in the level vector: as named states, and
        # in the solver's state (see _Skipper._trend)
        y_index = {var.name: slices[0].start
                   for var, slices in result.last_state.all_models[-1].y_slices.items()}
        self.intensive = np.array(other + [y_index[n] for n in intensive if n in y_index],
                                  dtype=int)
        #: the levels in the error norm, and which of them are the inventory's parts
        self.norm = np.array(inventory + other, dtype=int)
        self._is_inventory = np.array([True] * len(inventory) + [False] * len(other))
        self.series_template = {name: np.asarray(v)[:0] for name, v in result.series.items()}

    def scales(self, level: np.ndarray, peak: float) -> np.ndarray:
        """What the error of each level in the norm is relative to: its value; for the
        inventory's parts, at least :data:`_INVENTORY_FLOOR` of the cycle's peak
        deposit ``peak`` [mol]; for the intensive states, :data:`_INTENSIVE_LOOSENESS`
        times it."""
        scale = np.abs(level[self.norm])
        return np.where(self._is_inventory, np.maximum(scale, _INVENTORY_FLOOR * peak),
                        _INTENSIVE_LOOSENESS * scale)

    def name_of(self, i: int) -> str:
        for name, s in self.state_slices.items():
            if s.start <= i < s.stop:
                return name
        for name, j in self.level_index.items():
            if j == i:
                return name
        return f"solver state {i}"

    def level(self, result) -> np.ndarray:
        state = [np.asarray(result.state[name], dtype=float).ravel() for name in self.states]
        return np.concatenate([_solver_state(result), *state,
                               [result.summary[k] for k in self.levels]])

    def per_cycle(self, result) -> np.ndarray:
        return np.array([result.summary[k] for k in self.per], dtype=float)


def _solver_state(result) -> np.ndarray:
    return np.asarray(result.last_state.all_ys[-1][:, -1], dtype=float).ravel()


def _signature(result) -> tuple:
    """What kind of cycle it was: how each step ended, and the regime flags."""
    return (tuple(result.step_terminations),
            *(result.summary.get(k) for k in _REGIME))


@dataclasses.dataclass
class _Point:
    """A cycle solved in full, with its per-cycle changes when the cycle before it
    was solved too (its rates: the change of each level, then the per-cycle values)."""

    result: object  # the cycle's CycleResult
    level: np.ndarray
    per: np.ndarray
    rate: np.ndarray | None
    signature: tuple
    #: the change of the levels over the cycle before, if that cycle led straight
    #: to this one (solved, or the landing of a jump)
    rate_before: np.ndarray | None = None
    #: how its rates go on, once a jump from here is planned (see _Skipper._trend)
    trend: _Trend | None = None

    @property
    def cycle(self) -> int:
        return self.result.cycle


@dataclasses.dataclass
class _Trend:
    """How the rates go on from a solved cycle: r(a + i) = r_a + slope i +
    curvature i^2 / 2, or r_a decay^i where ``decay`` is not NaN (a relaxing or an
    exponentially growing intensive state); ``bend``: the curvature of every rate,
    those taken as exponential too, for the a priori bound on a first jump."""

    slope: np.ndarray
    curvature: np.ndarray
    decay: np.ndarray
    bend: np.ndarray


@dataclasses.dataclass
class _Jump:
    """An accepted jump: its cycles (extrapolated, then the two solved), the last
    solved one, and its relative error estimate."""

    results: list  # of CycleResult
    c2: _Point
    error: float


def _factor(error: float, settings: Acceleration) -> float:
    """How much longer (or shorter) the next jump can be after one with ``error``:
    its error grows about as the square of its length."""
    if error <= 0:
        return 2.0
    return max(0.25, min(2.0, 0.9 * math.sqrt(settings.tolerance / error)))


class _Skipper:
    def __init__(self, runner, inputs: dict, ends, settings: Acceleration):
        self.runner = runner
        self.inputs = inputs
        self.ends = ends
        self.settings = settings
        #: jumps made and rejected, and the cycles extrapolated, over the run
        self.counts = {"jumps": 0, "rejected": 0, "extrapolated": 0}

    # --- the run ---------------------------------------------------------------------

    def run(self) -> Iterator:
        runner, settings = self.runner, self.settings
        state = None
        for index, block, first, last in self._segments():
            layout = None
            clean: list[_Point] = []   # solved cycles with clean rates, this segment
            previous: _Point | None = None
            solved_here = 0
            jump = 2 * settings.min_jump  # the next jump's length, as the errors allow
            wait = 0  # cycles to solve in full before a jump is tried again
            k = first
            while k <= last:
                plan = 0
                if previous is not None and previous.cycle == k - 1 and wait == 0:
                    plan = self._plan(layout, clean, previous, solved_here, jump, last)
                accepted = None
                while plan >= settings.min_jump:
                    outcome = self._jump(layout, previous, plan, index, block)
                    if isinstance(outcome, _Jump):
                        accepted = outcome
                        break
                    self.counts["rejected"] += 1
                    plan = min(plan - 1, int(plan * _factor(outcome, settings)))
                    jump = max(plan, settings.min_jump)
                    if plan < settings.min_jump:
                        wait = settings.min_jump
                if accepted is not None:
                    yield from accepted.results
                    jump = max(settings.min_jump, int(plan * _factor(accepted.error, settings)))
                    previous = accepted.c2
                    clean.append(previous)
                    solved_here += 2
                else:
                    result = runner.solve_cycle(k, index, block, state, self.inputs)
                    if layout is None:
                        layout = _Layout(result)
                    previous = self._point(layout, result, previous)
                    if previous.rate is not None:
                        clean.append(previous)
                    solved_here += 1
                    wait = max(wait - 1, 0)
                    yield result
                state = previous.result.last_state
                k = previous.cycle + 1
                del clean[:-8]

    def _segments(self):
        """(block position, block, first cycle, last cycle) of each run of cycles of
        one block, from the runner's first cycle on."""
        segments = []
        for k, index, block in self.runner.protocol.indexed_cycles():
            if k < self.runner._first_cycle:
                continue
            if segments and segments[-1][0] == index:
                segments[-1][3] = k
            else:
                segments.append([index, block, k, k])
        return [tuple(s) for s in segments]

    def _point(self, layout: _Layout, result, previous: _Point | None) -> _Point:
        level, per = layout.level(result), layout.per_cycle(result)
        rate = before = None
        if previous is not None and previous.cycle == result.cycle - 1:
            rate = np.concatenate([level - previous.level, per])
            before = previous.rate if previous.rate is not None else previous.rate_before
        return _Point(result, level, per, rate, _signature(result), before)

    # --- planning a jump -------------------------------------------------------------

    def _trend(self, layout: _Layout, clean: list[_Point]):
        """How the rates go on from the last clean point (a :class:`_Trend`), or
        None if too few clean points of the same kind of cycle are known.

        The rates' slope and curvature are those of the parabola through the last
        clean point and two before it, each at least :data:`_SPACING` cycles before
        the next (the line through two if there are not three).

        An intensive state (a film thickness, the roughness, the deposit's
        morphology) whose change over the last cycle is a fraction q of its change
        over the cycle before (0 < q < 1) relaxes towards a value the cycle sets
        (the morphology of a deposit that each cycle partly replaces, a film
        renewed as the metal turns over), on a scale of tens of cycles: it goes on
        as r q^j, exactly for a relaxation, which the polynomial cannot follow. So
        does one whose change grows by q > 1 (the film on a collector that comes
        bare for longer at each discharge, as a reservoir runs out).
        Extrapolated by the polynomial from its rate at the end of a jump, a
        relaxation the jump itself set off would be carried on over the next one,
        longer each time (explicit extrapolation is unstable for a relaxation
        faster than the jump).
        """
        if not clean:
            return None
        last = clean[-1]
        picked = [last]
        for p in reversed(clean[:-1]):
            if p.signature != last.signature:
                break
            if picked[-1].cycle - p.cycle >= _SPACING:
                picked.append(p)
                if len(picked) == 3:
                    break
        if len(picked) < 2:
            return None
        x1 = picked[1].cycle - last.cycle
        f01 = (picked[1].rate - last.rate) / x1
        if len(picked) == 2:
            slope, curvature = f01, np.zeros_like(f01)
        else:
            x2 = picked[2].cycle - last.cycle
            f12 = (picked[2].rate - picked[1].rate) / (x2 - x1)
            f012 = (f12 - f01) / x2
            slope, curvature = f01 - f012 * x1, 2 * f012
        bend = curvature.copy()
        decay = np.full(last.level.size, np.nan)
        if last.rate_before is not None:
            i = layout.intensive
            now, before = last.rate[i], last.rate_before[i]
            q = np.divide(now, before, out=np.full(i.size, np.nan), where=before != 0)
            # (a change within the solver's noise says nothing of its trend)
            moving = np.abs(now) > _MOVING * np.abs(last.level[i])
            taken = moving & (((q > 0) & (q < _MAX_DECAY)) | (q > _MIN_GROWTH))
            exponential = i[taken]
            decay[exponential] = q[taken]
            slope, curvature = slope.copy(), curvature.copy()
            slope[exponential] = curvature[exponential] = bend[exponential] = 0.0
        return _Trend(slope, curvature, decay, bend)

    def _plan(self, layout: _Layout, clean, previous: _Point, solved_here: int, jump: int,
              last: int) -> int:
        """How many cycles to extrapolate after ``previous``, the last cycle solved
        (0: solve the next one in full)."""
        settings = self.settings
        a = previous.cycle
        if previous.rate is None or not clean or clean[-1] is not previous:
            return 0
        if solved_here < settings.warmup:
            return 0
        t = self.ends.termination
        if t.capacity_fraction is not None and a < t.reference_cycle:
            return 0
        trend = previous.trend = self._trend(layout, clean)
        if trend is None:
            return 0
        n = min(jump, settings.max_jump, last - a - 2)
        # the cycles to solve in full: no jump spans one (it may be a check cycle)
        later = [k for k in settings.always_solve if k > a]
        if later:
            n = min(n, later[0] - a - 1)
        n_level = previous.level.size
        rate, slope = previous.rate, trend.slope
        peak = max(previous.result.summary.get("Peak plated metal [mol]", 0.0), 0.0)
        q = n_level + layout.per_index["Discharge capacity [A.h]"]
        if clean[-2].cycle == a - 1:
            # solved in full since the last jump (or none yet): is the cell's change
            # smooth enough to jump at all? Taken as linear, the rates would put a
            # level off by about |r''| n^3 / 6 and the capacity by |r''| n^2 / 2 (a
            # bound that a transient, like the first cycles after formation, keeps
            # small until it has died away)
            curvature = trend.bend
            i = layout.norm
            scale = layout.scales(previous.level, peak)
            bent = np.abs(curvature[i]) > 0
            if bent.any():
                with np.errstate(divide="ignore", over="ignore"):
                    limit = np.min((6 * settings.tolerance * scale[bent]
                                    / np.abs(curvature[i][bent])) ** (1 / 3))
                n = min(n, int(min(limit, n)))
            if curvature[q] != 0:
                n = min(n, int(math.sqrt(2 * settings.tolerance * abs(previous.rate[q])
                                         / abs(curvature[q]))))
        # the reservoirs: a jump uses up at most half of what is left
        for i in layout.reservoirs:
            value, change = previous.level[i], rate[i]
            if change < 0 and value > _SPENT * peak:
                n = min(n, int(0.5 * value / -change) - 2)
        # the capacity termination: at most half the distance to it
        threshold = self.ends.capacity_threshold
        if threshold is not None and slope[q] < 0:
            n = min(n, int(0.5 * (rate[q] - threshold) / -slope[q]) - 2)
        if t.max_time_s is not None:
            i = layout.level_index["Time [s]"]
            n = min(n, int(0.5 * (t.max_time_s - previous.level[i]) / max(rate[i], 1e-300)) - 2)
        logger.debug("after cycle %d: a jump of %d planned (controller: %d)", a, n, jump)
        return max(n, 0)

    # --- a jump ----------------------------------------------------------------------

    def _extrapolate(self, anchor: _Point, j: np.ndarray):
        """The levels and per-cycle values ``j`` cycles after ``anchor`` (rows): the
        rates r(a + i) = r_a + s i + c i^2 / 2 (c the curvature), the levels their
        sums over the cycles i = 1 ... j."""
        n_level = anchor.level.size
        trend = anchor.trend
        rate, slope, half_c = anchor.rate, trend.slope, trend.curvature / 2
        j = j[:, None].astype(float)
        levels = (anchor.level + j * rate[:n_level] + slope[:n_level] * j * (j + 1) / 2
                  + half_c[:n_level] * j * (j + 1) * (2 * j + 1) / 6)
        relaxing = np.flatnonzero(~np.isnan(trend.decay))
        if relaxing.size:
            q = trend.decay[relaxing]
            levels[:, relaxing] = (anchor.level[relaxing]
                                   + rate[relaxing] * q * (1 - q ** j) / (1 - q))
        per = rate[n_level:] + slope[n_level:] * j + half_c[n_level:] * j * j
        return levels, per

    def _jump(self, layout: _Layout, anchor: _Point, n: int, index, block) -> _Jump | float:
        """Extrapolate ``n`` cycles after ``anchor`` and solve two in full from where
        the jump lands. Returns the accepted :class:`_Jump`, or the error estimate of
        a rejected one relative to the tolerance (inf: it cannot be estimated)."""
        from .observables import CycleResult
        from .runner import SolverFailure

        runner, settings = self.runner, self.settings
        a = anchor.cycle
        levels, per = self._extrapolate(anchor, np.arange(1, n + 1))
        summaries = [self._summary(layout, anchor, levels[i], per[i]) for i in range(n)]
        # no extrapolated cycle may end the run: the cycle that does is solved
        for i, summary in enumerate(summaries):
            probe = CycleResult(a + i + 1, block.name, summary, {}, None, {}, [])
            if self.ends.reason(probe) is not None:
                return math.inf
        landing = self._landing(layout, anchor, levels[-1])
        try:
            # (a failure shortens the jump: no solver message for the user)
            r1 = runner.solve_cycle(a + n + 1, index, block, landing, self.inputs, quiet=True)
            r2 = runner.solve_cycle(a + n + 2, index, block, r1.last_state, self.inputs,
                                    quiet=True)
        except SolverFailure as e:
            logger.debug("a jump of %d cycles after cycle %d: %s", n, a, e)
            return math.inf
        c1_level = layout.level(r1)
        # (c1's change from where the jump landed: not clean, since the landing is
        # extrapolated, but it shows how a relaxing state settles)
        c1 = _Point(r1, c1_level, layout.per_cycle(r1), None, _signature(r1),
                    np.concatenate([c1_level - levels[-1], layout.per_cycle(r1)]))
        c2 = self._point(layout, r2, c1)
        if c1.signature != anchor.signature or c2.signature != anchor.signature:
            return math.inf
        if self.ends.reason(r1) is not None:  # it may have been met before c1
            return math.inf
        error = self._error(layout, anchor, n, c1, c2)
        if error > settings.tolerance:
            logger.debug("a jump of %d cycles after cycle %d: error %.3g > %.3g", n, a,
                         error, settings.tolerance)
            return error
        results = []
        for i, summary in enumerate(summaries):
            summary[EXTRAPOLATION_ERROR] = error
            results.append(CycleResult(
                cycle=a + i + 1, block=block.name, summary=summary,
                series=dict(layout.series_template), last_state=None,
                state=self._state(layout, levels[i]),
                step_terminations=list(anchor.result.step_terminations),
            ))
        r1.summary[EXTRAPOLATION_ERROR] = r2.summary[EXTRAPOLATION_ERROR] = error
        results += [r1, r2]
        self.counts["jumps"] += 1
        self.counts["extrapolated"] += n
        return _Jump(results, c2, error)

    def _error(self, layout, anchor: _Point, n: int, c1: _Point, c2: _Point) -> float:
        """The jump's relative error estimate (see the module's docstring)."""
        x = c2.cycle - anchor.cycle
        trend = anchor.trend
        predicted = anchor.rate + trend.slope * x + trend.curvature / 2 * x * x
        relaxing = np.flatnonzero(~np.isnan(trend.decay))
        predicted[relaxing] = anchor.rate[relaxing] * trend.decay[relaxing] ** x
        i = layout.norm
        d = np.abs(c2.rate[i] - predicted[i]) * (n + 2) / 2
        peak = max(anchor.result.summary.get("Peak plated metal [mol]", 0.0), 0.0)
        scale = np.maximum(layout.scales(c2.level, peak), layout.scales(anchor.level, peak))
        ratio = np.divide(d, scale, out=np.zeros_like(d), where=scale > 0)
        q = layout.per_index["Discharge capacity [A.h]"]
        _, per = self._extrapolate(anchor, np.array([n + 1, n + 2]))
        capacity = max(abs(anchor.per[q]), 1e-300)
        capacity_error = float(np.max(np.abs(per[:, q] - [c1.per[q], c2.per[q]]))) / capacity
        if logger.isEnabledFor(logging.DEBUG):
            worst = int(np.argmax(ratio)) if ratio.size else None
            logger.debug("a jump of %d after cycle %d: errors: states %.3g (%s), capacity %.3g",
                         n, anchor.cycle, ratio.max() if ratio.size else 0.0,
                         layout.name_of(i[worst]) if worst is not None else "-",
                         capacity_error)
        return max(float(ratio.max()) if ratio.size else 0.0, capacity_error)

    def _summary(self, layout: _Layout, anchor: _Point, level, per) -> dict:
        from .observables import charge_ratios, metal_loss_summary

        values = {k: float(level[i]) for k, i in layout.level_index.items()}
        values.update({k: float(per[i]) for k, i in layout.per_index.items()})
        for k in _COPIED:
            if k in anchor.result.summary:
                values[k] = anchor.result.summary[k]
        values.update(charge_ratios(
            values["Charge capacity [A.h]"], values["Discharge capacity [A.h]"],
            values["Plated charge [A.h]"], values["Stripped charge [A.h]"],
            values["Charge energy [W.h]"], values["Discharge energy [W.h]"]))
        values.update(metal_loss_summary(values))
        values[SOLVED] = 0.0
        values[EXTRAPOLATION_ERROR] = 0.0
        return {k: values[k] for k in layout.keys}

    def _state(self, layout: _Layout, level) -> dict[str, np.ndarray]:
        return {name: level[s].reshape(shape) if shape else level[s].copy()
                for (name, shape), s in zip(layout.states.items(), layout.state_slices.values())}

    def _landing(self, layout: _Layout, anchor: _Point, level):
        """The solution a jump lands in: the anchor's last state with the
        extrapolated solver state and time."""
        import pybamm

        base = anchor.result.last_state
        t_index = layout.level_index["Time [s]"]
        t = float(base.all_ts[-1][-1]) + float(level[t_index] - anchor.level[t_index])
        # (PyBaMM's check of a new solution's size evaluates variables by
        # interpolating in time, which a one-point solution cannot; the jump's own
        # error control judges the landing)
        return pybamm.Solution(
            [np.array([t])], [level[: layout.n_y].reshape(-1, 1)], base.all_models,
            base.all_inputs, None, None, base.termination, check_solution=False,
        )


def skip_cycles(runner, inputs: dict, ends, settings: Acceleration) -> Iterator:
    """The runner's cycles with slow stretches extrapolated (see the module's
    docstring); ``ends``: the run's :class:`~afb_models.runner.Terminations`."""
    skipper = _Skipper(runner, inputs, ends, settings)
    runner.skip_counts = skipper.counts
    yield from skipper.run()


__all__ = ["EXTRAPOLATION_ERROR", "SOLVED", "Acceleration", "skip_cycles"]
