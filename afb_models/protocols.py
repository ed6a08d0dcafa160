"""Protocol files: formation, cycling and calendar-rest protocols written in TOML.

A protocol is a list of cycle blocks, each a list of steps repeated ``repeat`` times,
and an optional termination table::

    name = "Louli 2020"
    description = "Formation then cycling at 40 °C"
    temperature = "40 °C"              # default temperature of every step
    stack_pressure = "1.17 MPa"        # default stack pressure of every step (else
                                       # the cell's "Stack pressure [Pa]")
    cells = ["anode-free"]             # optional: the cell configurations it is for
    metals = ["Li"]                    # optional: the metals it is for

    [[block]]
    name = "formation"
    steps = [
        "Charge at 0.1C until 4.5 V",
        "Discharge at 0.1C until 1.25 V",
    ]

    [[block]]
    name = "cycling"
    repeat = 200
    steps = [
        "Charge at C/5 until 4.5 V",
        "Hold at 4.5 V until C/20",
        "Discharge at C/2 until 3.6 V",
        "Rest for 10 minutes at 25 °C",
        "Rest for 1 hour at 25 °C and 0.2 MPa",
    ]

    [termination]
    capacity_below = "80 %"            # of the discharge capacity of reference_cycle
    reference_cycle = 2
    metal_exhausted = true             # stop at the first strip that empties the deposit
                                       # of a cell that started with metal on its
                                       # collector (an anode-less reservoir or a
                                       # symmetric cell's foil used up); an anode-free
                                       # cell empties it on every full discharge, and
                                       # this does not stop it
    max_time = "500 days"

    [measurement]
    average_ce_from_block = "reservoir"  # average CE of the Adams protocol, counted
                                         # from this block on (afb_models.measurements)

    [impedance]
    frequency = "1 kHz"                # at the end of every cycle, the impedance at
                                       # this frequency is recorded ("Impedance
                                       # modulus", "Impedance phase")
    threshold = "1 Ohm"                # the |Z| below which the cell is shorted: the
                                       # run's "Short temperature [K]" is the cell's
                                       # temperature at the first cycle below it
                                       # (default: 1 Ohm symmetric, 2 Ohm others)

Steps use PyBaMM's phrasing ("Charge at C/5 until 4.5 V", "Hold at 4.2 V until C/50",
"Rest for 1 hour", "... for 2 hours or until 4.2 V") plus areal units: currents in
``mA cm-2`` and durations as a charge, ``for 2 mAh cm-2`` (or ``mAh``, ``A.h``), which
become a time at the step's current. ``until upper cut-off`` and ``until lower cut-off``
stand for the cell's own voltage limits, so one protocol serves Li and Na cells. A step
may end with its own temperature, ``at 25 °C`` (or ``298 K``), its own stack pressure,
``at 5 MPa`` (or ``Pa``, ``kPa``, ``bar``), or both, ``at 25 °C and 5 MPa`` in either
order: ``Discharge at 0.5 mA cm-2 for 2 mAh cm-2 at 25 °C and 5.6 MPa``. A step's
own value wins over the protocol's ``temperature`` and ``stack_pressure``, which win
over the cell's. A pressure sets the parameter "Stack pressure [Pa]" for that step
only (:mod:`afb_models.pressure_steps`).

A ramp of the ambient temperature is a step of its own, a rest while it changes
linearly: ``Ramp to 200 °C at 10 °C per 30 minutes`` (``per minute``, ``per 2
hours``; ``K`` as ``°C``), from the temperature the step before it in its block ran
at (else the protocol's, else the cell's ambient), or ``Ramp from 100 °C to 200 °C
at ...``, which a ramp that opens a block other than the first must say. It may end
``at 5 MPa``. The steps after it run at their own temperature, as every step does
(:mod:`afb_models.temperature_steps`). Every error names ``file:line``.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

# (PyBaMM is imported where a step becomes PyBaMM's, to_pybamm_step: listing and
# reading protocols start fast)
from .errors import ProtocolError  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class Step:
    """One step of a protocol, as written and as PyBaMM text (absolute units)."""

    text: str
    line: int
    action: str  # "charge", "discharge", "hold", "rest"
    # current in A (positive: discharge), "C-rate" value, voltage [V] or power [W]
    control: str  # "current", "C-rate", "voltage", "power", "rest"
    value: float
    duration_s: float | None
    duration_charge_Ah: float | None
    terminations: tuple[str, ...]  # PyBaMM termination strings, absolute units
    temperature_K: float | None
    #: the step's own stack pressure ("at 5 MPa"), or None: the protocol's or cell's
    stack_pressure_Pa: float | None = None
    #: a ramp of the ambient temperature ("Ramp to 200 °C at 10 °C per 30
    #: minutes"): its rate [K s-1] (signed) and the temperature it starts from [K];
    #: ``temperature_K`` is where it ends. None for every other step
    ramp_rate_K_per_s: float | None = None
    ramp_from_K: float | None = None


@dataclass(frozen=True)
class Block:
    """A cycle: a list of steps, repeated ``repeat`` times."""

    name: str
    steps: tuple[Step, ...]
    repeat: int
    line: int


@dataclass(frozen=True)
class Termination:
    """When a run stops before its last cycle."""

    capacity_fraction: float | None = None
    reference_cycle: int = 1
    metal_exhausted: bool = False
    max_time_s: float | None = None


@dataclass(frozen=True)
class Protocol:
    name: str
    description: str
    path: str
    text: str
    blocks: tuple[Block, ...]
    termination: Termination = field(default_factory=Termination)
    temperature_K: float | None = None
    #: the default stack pressure of every step (``stack_pressure``), or None: the
    #: cell's "Stack pressure [Pa]"
    stack_pressure_Pa: float | None = None
    #: the block from which the protocol's average Coulombic efficiency is counted
    #: (``[measurement] average_ce_from_block``; Adams et al. 2018), or None
    average_ce_from_block: str | None = None
    #: the frequency at which each cycle's impedance is recorded at its end
    #: (``[impedance] frequency``), or None: no impedance
    impedance_frequency_Hz: float | None = None
    #: the |Z| below which the cell counts as shorted (``[impedance] threshold``), or
    #: None: the cell configuration's (:data:`afb_models.measurements.SHORT_THRESHOLDS`)
    impedance_threshold_Ohm: float | None = None
    #: the cell configurations the protocol is written for (``cells``; None: any)
    configurations: tuple[str, ...] | None = None
    #: the metals it is written for (``metals``; None: any)
    metals: tuple[str, ...] | None = None
    #: the name of the file's last block (kept when the protocol is cut): a
    #: measurement over the protocol needs a run that reached it
    final_block: str = ""
    #: steps whose voltages the cell's cut-offs make unreachable, as messages
    #: (:meth:`check_limits` raises the first)
    limit_problems: tuple[str, ...] = ()

    @property
    def n_cycles(self) -> int:
        return sum(block.repeat for block in self.blocks)

    def cycles(self):
        """Yield ``(cycle number from 1, block)`` for every cycle of the protocol."""
        for k, _, block in self.indexed_cycles():
            yield k, block

    def indexed_cycles(self):
        """Yield ``(cycle number from 1, block position from 0, block)`` for every
        cycle: blocks are told apart by position (two may share a name)."""
        k = 0
        for index, block in enumerate(self.blocks):
            for _ in range(block.repeat):
                k += 1
                yield k, index, block

    def check_cell(self, configuration: str, metal: str | None, cell_name: str) -> None:
        """Raise :class:`ProtocolError` if the protocol is not written for a cell of
        this configuration and metal (its ``cells`` and ``metals`` keys)."""
        if self.configurations is not None and configuration not in self.configurations:
            raise ProtocolError(
                f"{self.path}: 'cells': the protocol is written for "
                f"{' or '.join(self.configurations)} cells; {cell_name} is a "
                f"{configuration} cell"
            )
        if self.metals is not None and metal is not None and metal not in self.metals:
            raise ProtocolError(
                f"{self.path}: 'metals': the protocol is written for "
                f"{' or '.join(self.metals)} cells; {cell_name} is a {metal} cell"
            )
        self.check_limits()

    def check_limits(self) -> None:
        """Raise :class:`ProtocolError` for the first step whose voltage the cell's
        cut-offs make unreachable (a hold above the upper cut-off, a discharge
        'until' the upper cut-off, ...)."""
        if self.limit_problems:
            raise ProtocolError(self.limit_problems[0])

    def with_cycles(self, n_cycles: int) -> Protocol:
        """The same protocol cut (or its last block extended) to ``n_cycles``."""
        blocks, left = [], n_cycles
        for i, block in enumerate(self.blocks):
            last = i == len(self.blocks) - 1
            repeat = left if last else min(block.repeat, left)
            if repeat > 0:
                blocks.append(Block(block.name, block.steps, repeat, block.line))
            left -= repeat
            if left <= 0:
                break
        return dataclasses.replace(self, blocks=tuple(blocks))


# --- units -----------------------------------------------------------------------

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_TIME_UNITS = {
    "s": 1, "sec": 1, "second": 1, "seconds": 1,
    "min": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
    "day": 86400, "days": 86400,
}
_AREAL = r"(?:cm-2|/cm2|/cm\^2|cm\^-2)"
_CHARGE_UNITS = {"mah": 1e-3, "ah": 1.0, "a.h": 1.0}
_CURRENT_UNITS = {"ma": 1e-3, "a": 1.0, "ua": 1e-6}


class _BadNumber(ValueError):
    """A number that reads but cannot be used (zero, negative, infinite)."""


def _magnitude(text: str, what: str, *, zero: bool = False) -> float:
    """A finite positive number (zero too if ``zero``); the direction of a step
    comes from its verb, never from a sign."""
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(f"{what} '{text}' is not a finite number")
    if value < 0 or (value == 0 and not zero):
        raise _BadNumber(
            f"{what} must be positive, got {text}"
            + ("; the direction comes from the verb (Charge, Discharge)"
               if value < 0 and what in ("a current", "a C-rate", "a power") else "")
        )
    return value


def _parse_time(text: str) -> float | None:
    m = re.fullmatch(rf"\s*({_NUMBER})\s*([a-zA-Z]+)\s*", text)
    if m and m.group(2).lower() in _TIME_UNITS:
        return _magnitude(m.group(1), "a duration") * _TIME_UNITS[m.group(2).lower()]
    return None


#: absolute zero [°C]
_ABSOLUTE_ZERO_C = -273.15


def _parse_temperature(text: str) -> float | None:
    """A temperature [K] from "25 °C" or "298 K"; None if it is not one."""
    m = re.fullmatch(rf"\s*({_NUMBER})\s*(°C|oC|degC|K)\s*", text)
    if not m:
        return None
    value = float(m.group(1))
    kelvin = value - _ABSOLUTE_ZERO_C if m.group(2) != "K" else value
    if not math.isfinite(kelvin) or kelvin <= 0:
        raise _BadNumber(f"temperature '{text.strip()}' is not above absolute zero")
    return kelvin


#: pressure units [Pa] (case as written: "mPa" would be a millipascal)
_PRESSURE_UNITS = {"Pa": 1.0, "kPa": 1e3, "MPa": 1e6, "bar": 1e5}


def _parse_pressure(text: str) -> float | None:
    """A stack pressure [Pa] from "5 MPa", "560 kPa", "2 bar" or "1e6 Pa"; None if it
    is not one. Zero and below are refused: a cell is held in some way (a coin cell's
    spring is ~0.2 MPa), and that is written as a small pressure."""
    m = re.fullmatch(rf"\s*({_NUMBER})\s*(Pa|kPa|MPa|bar)\s*", text)
    if not m:
        return None
    pascal = _magnitude(m.group(1), "a stack pressure") * _PRESSURE_UNITS[m.group(2)]
    if not math.isfinite(pascal):
        raise _BadNumber(f"stack pressure '{text.strip()}' is not a finite number")
    return pascal


_FREQUENCY_UNITS = {"mHz": 1e-3, "Hz": 1.0, "kHz": 1e3, "MHz": 1e6}
_RESISTANCE_UNITS = {"mOhm": 1e-3, "Ohm": 1.0, "kOhm": 1e3}


def _parse_positive(text: str, units: dict, what: str) -> float | None:
    """A positive quantity in SI from "1 kHz" or "2 Ohm" (``units``: unit -> factor);
    None if it is not one."""
    m = re.fullmatch(rf"\s*({_NUMBER})\s*({'|'.join(units)})\s*", text)
    if not m:
        return None
    value = _magnitude(m.group(1), what) * units[m.group(2)]
    if not math.isfinite(value) or value <= 0:
        raise _BadNumber(f"{what} '{text.strip()}' must be a positive, finite number")
    return value


def _parse_c_rate(text: str) -> float | None:
    text = text.strip()
    m = re.fullmatch(rf"C/({_NUMBER})", text)
    if m:
        return 1 / _magnitude(m.group(1), "the divisor of a C-rate")
    m = re.fullmatch(rf"({_NUMBER})\s*C", text)
    if m:
        return _magnitude(m.group(1), "a C-rate")
    return None


def _parse_current(text: str, area_m2: float) -> float | None:
    """Current in A from "1 mA cm-2", "10 mA" or "0.1 A"; None if not a current."""
    m = re.fullmatch(rf"\s*({_NUMBER})\s*(mA|A|uA|µA)\s*({_AREAL})?\s*", text)
    if not m:
        return None
    unit = m.group(2).lower().replace("µ", "u")
    amps = _magnitude(m.group(1), "a current") * _CURRENT_UNITS[unit]
    if m.group(3):
        amps *= area_m2 * 1e4  # per cm2 -> per cell
    return amps


def _parse_charge(text: str, area_m2: float) -> float | None:
    """Charge in A.h from "2 mAh cm-2", "1 mAh" or "0.1 A.h"; None if not a charge."""
    m = re.fullmatch(rf"\s*({_NUMBER})\s*(mAh|Ah|A\.h)\s*({_AREAL})?\s*", text)
    if not m:
        return None
    amp_hours = _magnitude(m.group(1), "a charge") * _CHARGE_UNITS[m.group(2).lower()]
    if m.group(3):
        amp_hours *= area_m2 * 1e4
    return amp_hours


# --- steps -----------------------------------------------------------------------

#: what a step may end "at": a number and a unit word. Which units mean what (a
#: temperature, a stack pressure) is checked after the match, so that an unknown
#: unit is named as such rather than read into the duration or end condition before
_CONDITION = _NUMBER + r"\s*(?:°[A-Za-z]*|[A-Za-z]+)"
_STEP = re.compile(
    r"^(?P<action>Charge|Discharge|Hold|Rest)"
    r"(?:\s+at\s+(?P<value>.+?))?"
    r"(?:\s+for\s+(?P<duration>.+?))?"
    r"(?:\s+(?:or\s+)?until\s+(?P<until>.+?))?"
    r"(?:\s+at\s+(?P<conditions>" + _CONDITION + r"(?:\s+and\s+" + _CONDITION + r")*))?"
    r"\s*$"
)


@dataclass(frozen=True)
class CellLimits:
    """What a protocol needs to know of the cell: areas and limits."""

    area_m2: float
    nominal_capacity_Ah: float
    lower_cutoff_V: float
    upper_cutoff_V: float
    #: the cell's ambient temperature [K] where it is a number (a ramp without a
    #: 'from' may start from it), else None
    ambient_K: float | None = None

    @classmethod
    def from_parameter_values(cls, parameter_values) -> CellLimits:
        pv = parameter_values
        area = (
            pv["Electrode height [m]"]
            * pv["Electrode width [m]"]
            * pv["Number of electrodes connected in parallel to make a cell"]
        )
        return cls(
            area_m2=float(area),
            nominal_capacity_Ah=float(pv["Nominal cell capacity [A.h]"]),
            lower_cutoff_V=float(pv["Lower voltage cut-off [V]"]),
            upper_cutoff_V=float(pv["Upper voltage cut-off [V]"]),
            ambient_K=_number_or_none(pv, "Ambient temperature [K]"),
        )


def _number_or_none(parameter_values, name: str) -> float | None:
    try:
        return float(parameter_values[name])
    except (KeyError, TypeError, ValueError):
        return None


def parse_step(text: str, line: int, cell: CellLimits, where: str,
               problems: list[str] | None = None) -> Step:
    """Parse one step of file ``where`` (for the messages) for ``cell``.

    Besides its grammar, a step is checked against the cell: every number finite,
    currents, C-rates, powers, charges and durations positive (the verb gives the
    direction), temperatures above absolute zero, stack pressures positive (at most
    one of each), a hold's voltage and every voltage end condition within the cell's
    cut-offs and on the side the step moves toward (a charge rises to it, a discharge
    falls to it), a current end condition only on a step whose current can fall to
    it (a hold, a power step).

    A voltage outside the cell's cut-offs is raised at once, or, given
    ``problems``, added to it (a protocol for another kind of cell says so first,
    see :meth:`Protocol.check_cell`)."""

    def fail(message):
        raise ProtocolError(f"{where}:{line}: step '{_one_line(text)}': {message}")

    def note(message):
        if problems is None:
            fail(message)
        problems.append(f"{where}:{line}: step '{_one_line(text)}': {message}")

    if not isinstance(text, str):
        fail("a step must be a string")
    try:
        return _parse_step(text, line, cell, fail, note)
    except _BadNumber as e:
        fail(str(e))


def _one_line(text) -> str:
    return " ".join(str(text).split())


_TEMPERATURE = _NUMBER + r"\s*(?:°C|oC|degC|K)"
_RAMP = re.compile(
    r"^Ramp(?:\s+from\s+(?P<start>" + _TEMPERATURE + r"))?"
    r"\s+to\s+(?P<target>" + _TEMPERATURE + r")"
    r"\s+at\s+(?P<rate>" + _NUMBER + r")\s*(?P<rate_unit>°C|oC|degC|K)"
    r"\s+per\s+(?P<per>.+?)"
    r"(?:\s+at\s+(?P<conditions>" + _CONDITION + r"))?\s*$"
)


def _parse_ramp(text: str, line: int, fail) -> Step:
    """A ramp of the ambient temperature: "Ramp to 200 °C at 10 °C per 30 minutes",
    optionally "Ramp from 100 °C to ...", and "... at 5 MPa". A rest while the
    ambient temperature changes linearly; where it starts from, when not given, is
    settled by the block (:func:`_settle_ramps`)."""
    m = _RAMP.match(text.strip())
    if not m:
        fail("cannot read it; expected e.g. 'Ramp to 200 °C at 10 °C per 30 minutes' or "
             "'Ramp from 25 °C to 200 °C at 2 °C per minute'")
    target = _parse_temperature(m.group("target"))
    start = _parse_temperature(m.group("start")) if m.group("start") else None
    step_K = _magnitude(m.group("rate"), "a ramp rate")
    per = m.group("per").strip()
    per_s = _parse_time(per if re.match(_NUMBER, per) else f"1 {per}")
    if per_s is None:
        fail(f"unknown time 'per {per}'; use e.g. 'per 30 minutes', 'per minute', "
             "'per hour'")
    temperature, pressure = _parse_conditions(m.group("conditions"), fail)
    if temperature is not None:
        fail("a ramp's temperatures are its 'from' and 'to'; 'at' gives a stack pressure")
    rate = step_K / per_s
    duration = None if start is None else _ramp_duration(start, target, rate, fail)
    return Step(
        text=text.strip(), line=line, action="rest", control="rest", value=0.0,
        duration_s=duration, duration_charge_Ah=None, terminations=(),
        temperature_K=target, stack_pressure_Pa=pressure,
        ramp_rate_K_per_s=rate if start is None or target >= start else -rate,
        ramp_from_K=start,
    )


def _ramp_duration(start: float, target: float, rate: float, fail) -> float:
    if start == target:
        fail(f"the ramp starts where it ends ({start - 273.15:g} °C)")
    return abs(target - start) / abs(rate)


def _settle_ramps(steps: list[Step], first_in_protocol: bool, default_K, fail) -> list[Step]:
    """Give each ramp of a block without its 'from' the temperature it starts at: the
    one the step before it in the block ran at (its own, else the protocol's, else the
    cell's ambient), and its duration. A ramp that opens a block needs its 'from'
    unless it opens the protocol: cycles of a block may start at different
    temperatures."""
    settled = []
    for k, step in enumerate(steps):
        if step.ramp_rate_K_per_s is not None and step.ramp_from_K is None:
            if k == 0 and not first_in_protocol:
                fail(step, "a ramp that opens a block needs 'Ramp from ... to ...': "
                           "the block's cycles may start at different temperatures")
            before = steps[k - 1].temperature_K if k else None
            start = before if before is not None else default_K
            if start is None:
                fail(step, "the ramp's start is unknown (the cell has no ambient "
                           "temperature as a number): give 'Ramp from ... to ...'")
            duration = _ramp_duration(start, step.temperature_K, step.ramp_rate_K_per_s,
                                      lambda message: fail(step, message))
            rate = abs(step.ramp_rate_K_per_s) * (1 if step.temperature_K > start else -1)
            step = dataclasses.replace(step, ramp_from_K=start, duration_s=duration,
                                       ramp_rate_K_per_s=rate)
        settled.append(step)
    return settled


def _parse_step(text: str, line: int, cell: CellLimits, fail, note) -> Step:
    area_m2 = cell.area_m2

    if text.strip().startswith("Ramp"):
        return _parse_ramp(text, line, fail)
    m = _STEP.match(text.strip())
    if not m:
        fail(
            "cannot read it; expected e.g. 'Charge at C/5 until 4.5 V', "
            "'Discharge at 1 mA cm-2 for 2 mAh cm-2', 'Hold at 4.5 V until C/20', "
            "'Rest for 1 hour'"
        )
    action = m.group("action").lower()
    value_text, duration_text = m.group("value"), m.group("duration")
    until_text = m.group("until")
    temperature, pressure = _parse_conditions(m.group("conditions"), fail)

    # the control and its value
    if action == "rest":
        if value_text is not None:
            fail("a rest has no 'at' value")
        control, value = "rest", 0.0
    elif value_text is None:
        fail(f"'{m.group('action')}' needs a value, e.g. 'at C/5', 'at 1 mA cm-2'")
    elif action == "hold":
        v = re.fullmatch(rf"\s*({_NUMBER})\s*V\s*", value_text)
        limits = {"upper cut-off": cell.upper_cutoff_V, "lower cut-off": cell.lower_cutoff_V}
        if value_text.strip() in limits:
            control, value = "voltage", limits[value_text.strip()]
        elif v:
            control, value = "voltage", float(v.group(1))
            if not cell.lower_cutoff_V <= value <= cell.upper_cutoff_V:
                note(
                    f"a hold at {value:g} V is outside the cell's cut-offs "
                    f"({cell.lower_cutoff_V:g} V to {cell.upper_cutoff_V:g} V)"
                )
        else:
            fail(f"a hold needs a voltage, e.g. 'Hold at 4.2 V'; got '{value_text}'")
    else:
        sign = 1.0 if action == "discharge" else -1.0
        c_rate = _parse_c_rate(value_text)
        current = _parse_current(value_text, area_m2)
        power = re.fullmatch(rf"\s*({_NUMBER})\s*(mW|W)\s*", value_text)
        if c_rate is not None:
            control, value = "C-rate", sign * c_rate
        elif current is not None:
            control, value = "current", sign * current
        elif power:
            scale = 1e-3 if power.group(2) == "mW" else 1.0
            control = "power"
            value = sign * _magnitude(power.group(1), "a power") * scale
        else:
            fail(
                f"unknown value '{value_text}'; use a C-rate (C/5, 0.5C), a current "
                "(mA cm-2, mA, A) or a power (W)"
            )

    # its duration: a time, or a charge at the step's current
    duration_s, duration_charge = None, None
    if duration_text is not None:
        duration_s = _parse_time(duration_text)
        if duration_s is None:
            duration_charge = _parse_charge(duration_text, area_m2)
            if duration_charge is None:
                fail(
                    f"unknown duration '{duration_text}'; use a time (s, minutes, "
                    "hours, days) or a charge (mAh cm-2, mAh, A.h)"
                )
            if control not in ("current", "C-rate"):
                fail("a duration given as a charge needs a current or a C-rate")

    # its terminations, in PyBaMM's absolute units
    terminations = []
    if until_text is not None:
        for part in re.split(r"\s+or\s+", until_text):
            voltage = re.fullmatch(rf"\s*({_NUMBER})\s*V\s*", part)
            c_rate = _parse_c_rate(part)
            current = _parse_current(part, area_m2)
            if part.strip() in ("upper cut-off", "lower cut-off"):
                limit = (cell.upper_cutoff_V if part.strip() == "upper cut-off"
                         else cell.lower_cutoff_V)
                _check_voltage_end(action, limit, cell, note)
                terminations.append(f"{limit} V")
            elif voltage:
                limit = float(voltage.group(1))
                _check_voltage_end(action, limit, cell, note)
                terminations.append(f"{limit} V")
            elif c_rate is not None or current is not None:
                if action in ("charge", "discharge") and control in ("current", "C-rate"):
                    fail(
                        f"'until {part.strip()}': a constant-current step never reaches "
                        "a current; end it on a voltage or a time, or hold a voltage "
                        "'until' a current"
                    )
                if c_rate is not None:
                    terminations.append(f"C/{1 / c_rate:.12g}")
                else:
                    terminations.append(f"{current:.12g} A")
            else:
                fail(
                    f"unknown end condition '{part}'; use a voltage (4.2 V, upper "
                    "cut-off, lower cut-off), a C-rate (C/20) or a current (mA cm-2, mA, A)"
                )
    if duration_s is None and duration_charge is None and not terminations:
        fail("a step needs 'for <time or charge>' or 'until <condition>'")
    if action == "rest" and terminations:
        fail("a rest ends after a time: 'Rest for 1 hour'")

    if action == "hold" and any(t.endswith(" V") for t in terminations):
        fail("a hold ends on a current ('until C/20') or after a time, not on a voltage")
    return Step(
        text=text.strip(), line=line, action=action, control=control, value=value,
        duration_s=duration_s, duration_charge_Ah=duration_charge,
        terminations=tuple(terminations), temperature_K=temperature,
        stack_pressure_Pa=pressure,
    )


def _parse_conditions(text: str | None, fail) -> tuple[float | None, float | None]:
    """The temperature [K] and stack pressure [Pa] a step ends "at" ("25 °C",
    "5 MPa", "25 °C and 5 MPa" in either order); None for what it does not give."""
    temperature = pressure = None
    if text is None:
        return temperature, pressure
    seen = {}
    for part in re.split(r"\s+and\s+", text.strip()):
        kelvin = _parse_temperature(part)
        pascal = _parse_pressure(part) if kelvin is None else None
        if kelvin is None and pascal is None:
            fail(
                f"unknown unit in 'at {part.strip()}'; a step ends at a temperature "
                "(°C, K) or a stack pressure (Pa, kPa, MPa, bar), or both joined by "
                "'and', e.g. 'at 25 °C and 5 MPa'"
            )
        what = "temperature" if kelvin is not None else "stack pressure"
        if what in seen:
            fail(f"two {what}s, 'at {seen[what]}' and 'at {part.strip()}'; give one")
        seen[what] = part.strip()
        if kelvin is not None:
            temperature = kelvin
        else:
            pressure = pascal
    return temperature, pressure


def _check_voltage_end(action: str, limit: float, cell: CellLimits, note) -> None:
    """A voltage end condition the step can reach: within the cell's cut-offs, and
    not at the cut-off the step moves away from."""
    low, high = cell.lower_cutoff_V, cell.upper_cutoff_V
    if not low <= limit <= high:
        note(
            f"'until {limit:g} V' is outside the cell's cut-offs ({low:g} V to "
            f"{high:g} V); the step would end at the cut-off instead"
        )
    elif action == "charge" and limit == low:
        note(f"a charge raises the voltage; 'until {limit:g} V' is the lower cut-off")
    elif action == "discharge" and limit == high:
        note(f"a discharge lowers the voltage; 'until {limit:g} V' is the upper cut-off")


def _end_voltage(step: Step) -> float | None:
    """The voltage a step surely leaves the cell at, or beyond (a charge above, a
    discharge below), if it can end only on a voltage; a hold's voltage."""
    if step.action == "hold":
        return step.value
    if (step.action in ("charge", "discharge") and step.duration_s is None
            and step.duration_charge_Ah is None and len(step.terminations) == 1
            and step.terminations[0].endswith(" V")):
        return float(step.terminations[0][:-2])
    return None


def _unreachable_successors(blocks, where: str) -> list[str]:
    """Steps that the step just before them (in the block, from the end of a cycle
    to the start of the next, from one block to the next) leaves already past their
    voltage end condition: PyBaMM would skip them every time."""
    order = []
    for block in blocks:
        order += list(block.steps) * min(block.repeat, 2)
    problems, seen = [], set()
    for before, step in zip(order, order[1:]):
        left_at = _end_voltage(before)
        if left_at is None or step.action not in ("charge", "discharge"):
            continue
        for end in step.terminations:
            if not end.endswith(" V"):
                continue
            target = float(end[:-2])
            # a discharge ends at or below its voltage, a hold at its voltage; a
            # charge at or above
            beyond = (step.action == "discharge" and target >= left_at
                      and before.action in ("discharge", "hold")) or (
                step.action == "charge" and target <= left_at
                and before.action in ("charge", "hold"))
            if beyond and (step.line, step.text) not in seen:
                seen.add((step.line, step.text))
                side = "below" if step.action == "discharge" else "above"
                problems.append(
                    f"{where}:{step.line}: step '{step.text}': cannot run: the step "
                    f"before it ('{before.text}', line {before.line}) leaves the cell at "
                    f"{left_at:g} V or {side}, past 'until {target:g} V', so it would be "
                    "skipped"
                )
    return problems


def to_pybamm_step(step: Step, nominal_capacity_Ah: float, default_temperature_K=None,
                   default_stack_pressure_Pa=None):
    """The :mod:`pybamm.step` object of ``step``, at the step's own temperature and
    stack pressure or else at these defaults (the protocol's); a step with a pressure
    is one of :mod:`afb_models.pressure_steps`, which sets "Stack pressure [Pa]" for
    that step only, one without stays a plain PyBaMM step."""
    import pybamm

    duration = step.duration_s
    if step.duration_charge_Ah is not None:
        amps = abs(step.value) * (nominal_capacity_Ah if step.control == "C-rate" else 1)
        duration = step.duration_charge_Ah * 3600 / amps
    temperature = step.temperature_K or default_temperature_K
    kwargs = {
        "duration": duration,
        "termination": list(step.terminations) or None,
        "description": step.text,
    }
    if temperature is not None and step.ramp_rate_K_per_s is None:
        # (a ramp's ambient temperature is its own, not a constant of the step)
        kwargs["temperature"] = temperature
    if step.ramp_rate_K_per_s is not None:
        from .temperature_steps import TemperatureRamp

        pybamm_step = TemperatureRamp(start_K=step.ramp_from_K,
                                      rate_K_per_s=step.ramp_rate_K_per_s, **kwargs)
    elif step.control == "rest":
        pybamm_step = pybamm.step.rest(**kwargs)
    elif step.control == "current":
        pybamm_step = pybamm.step.current(step.value, **kwargs)
    elif step.control == "C-rate":
        pybamm_step = pybamm.step.c_rate(step.value, **kwargs)
    elif step.control == "voltage":
        pybamm_step = pybamm.step.voltage(step.value, **kwargs)
    elif step.control == "power":
        pybamm_step = pybamm.step.power(step.value, **kwargs)
    else:
        raise ValueError(f"unknown control '{step.control}'")  # unreachable: parse_step
    pressure = (step.stack_pressure_Pa if step.stack_pressure_Pa is not None
                else default_stack_pressure_Pa)
    if pressure is None:
        return pybamm_step
    from .pressure_steps import at_stack_pressure

    return at_stack_pressure(pybamm_step, pressure)


# --- files -----------------------------------------------------------------------

_BLOCK_KEYS = {"name", "steps", "repeat"}
#: the longest block name (the run file keeps a cycle's block name in this many bytes)
BLOCK_NAME_BYTES = 64
_TOP_KEYS = {"name", "description", "temperature", "stack_pressure", "block",
             "termination", "measurement", "impedance", "cells", "metals"}
_IMPEDANCE_KEYS = {"frequency", "threshold"}
_TERMINATION_KEYS = {"capacity_below", "reference_cycle", "metal_exhausted", "max_time"}
_MEASUREMENT_KEYS = {"average_ce_from_block"}


def builtin_protocols() -> list[str]:
    """Names of the protocol files shipped with afb (without ``.toml``)."""
    folder = resources.files("afb_models.experiments")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def summary_line(description: str) -> str:
    """The first clause of a protocol's description: up to its first colon (where a
    shipped protocol's description turns from what it is to its steps) or the end of
    its first sentence."""
    text = " ".join(description.split())
    colon = re.search(r":\s", text)
    # a sentence ends at ". " before a capital, not at an abbreviation ("et al., Nat.")
    stop = re.search(r"(?<![A-Z][a-z]{2})(?<!\bal)\.\s+(?=[A-Z])", text)
    ends = [m.start() for m in (colon, stop) if m is not None]
    return text[: min(ends)] if ends else text.rstrip(".")


def protocol_catalogue() -> list[dict]:
    """The shipped protocols, each as ``{"name", "title", "cells", "metals",
    "summary"}`` read straight from its file (nothing validated or built: this is
    what ``afb protocols`` lists)."""
    folder = resources.files("afb_models.experiments")
    out = []
    for name in builtin_protocols():
        try:
            data = tomllib.loads((folder / f"{name}.toml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise ProtocolError(f"{name}.toml: cannot read: {e}") from None
        out.append({
            "name": name,
            "title": str(data.get("name", name)),
            "cells": list(data.get("cells", [])),
            "metals": list(data.get("metals", [])),
            "summary": summary_line(str(data.get("description", ""))),
        })
    return out


def resolve_protocol_path(name_or_path: str | Path) -> Path:
    """A protocol file: a path, or the name of one shipped with afb."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ProtocolError(f"{path}: no such protocol file")
        return path
    shipped = resources.files("afb_models.experiments") / f"{name_or_path}.toml"
    if shipped.is_file():
        return Path(str(shipped))
    known = ", ".join(builtin_protocols())
    raise ProtocolError(
        f"{name_or_path}: no such protocol file or shipped protocol (shipped: {known})"
    )


def _line_of(text: str, needle: str, default: int = 1, start: int = 0) -> int:
    """1-based line of the first occurrence of ``needle`` at or after line ``start``."""
    lines = text.splitlines()
    for i in range(max(start - 1, 0), len(lines)):
        if needle in lines[i]:
            return i + 1
    return default


def load_protocol(name_or_path: str | Path, parameter_values) -> Protocol:
    """Read and validate a protocol file for the cell of ``parameter_values``.

    The cell gives the area that areal units (mA cm-2, mAh cm-2) refer to and the
    voltage limits that "upper cut-off" and "lower cut-off" stand for. Raises
    :class:`ProtocolError` with a ``file:line: message`` text.
    """
    path = resolve_protocol_path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ProtocolError(f"{path}:1: cannot read: {e}") from None
    return parse_protocol(text, str(path), parameter_values)


def parse_protocol(text: str, where: str, parameter_values) -> Protocol:
    """Validate protocol ``text`` (from file ``where``, for the messages)."""
    cell = CellLimits.from_parameter_values(parameter_values)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        line = m.group(1) if m else "1"
        raise ProtocolError(f"{where}:{line}: not valid TOML: {e}") from None

    def fail(line, message):
        raise ProtocolError(f"{where}:{line}: {message}")

    def table(name, allowed):
        """``data[name]``, checked to be a table of ``allowed`` keys, and the line of
        its header."""
        content, line = data[name], _line_of(text, f"[{name}]")
        if not isinstance(content, dict):
            fail(line, f"[{name}] must be a table")
        for key in content:
            if key not in allowed:
                fail(_line_of(text, key, line, line),
                     f"unknown key '{key}' in [{name}]; allowed: {sorted(allowed)}")
        return content, line

    for key in data:
        if key not in _TOP_KEYS:
            fail(_line_of(text, key), f"unknown key '{key}'; allowed: {sorted(_TOP_KEYS)}")

    default_temperature = None
    if "temperature" in data:
        try:
            default_temperature = _parse_temperature(str(data["temperature"]))
        except _BadNumber as e:
            fail(_line_of(text, "temperature"), str(e))
        if default_temperature is None:
            fail(_line_of(text, "temperature"),
                 f"temperature '{data['temperature']}' must read like '25 °C' or '298 K'")

    default_pressure = None
    if "stack_pressure" in data:
        try:
            default_pressure = _parse_pressure(str(data["stack_pressure"]))
        except _BadNumber as e:
            fail(_line_of(text, "stack_pressure"), f"stack_pressure: {e}")
        if default_pressure is None:
            fail(_line_of(text, "stack_pressure"),
                 f"stack_pressure '{data['stack_pressure']}' must read like '5.6 MPa', "
                 "'560 kPa', '5.6e6 Pa' or '56 bar'")

    blocks_data = data.get("block")
    if not isinstance(blocks_data, list) or not blocks_data:
        fail(1, "a protocol needs at least one [[block]] with steps")

    blocks, search_from, problems = [], 1, []
    for i, block in enumerate(blocks_data):
        block_line = _line_of(text, "[[block]]", start=search_from)
        search_from = block_line + 1
        for key in block:
            if key not in _BLOCK_KEYS:
                fail(_line_of(text, key, block_line, block_line),
                     f"unknown key '{key}' in block {i + 1}; allowed: {sorted(_BLOCK_KEYS)}")
        name = block.get("name", f"block {i + 1}")
        if not isinstance(name, str) or not 0 < len(name.encode()) <= BLOCK_NAME_BYTES:
            fail(_line_of(text, "name", block_line, block_line),
                 f"block {i + 1}: 'name' must be a text of 1 to {BLOCK_NAME_BYTES} bytes")
        repeat = block.get("repeat", 1)
        if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 1:
            fail(_line_of(text, "repeat", block_line, block_line),
                 f"block '{name}': repeat must be a positive integer, got {repeat!r}")
        steps_data = block.get("steps")
        if not isinstance(steps_data, list) or not steps_data:
            fail(block_line, f"block '{name}' needs a non-empty list 'steps'")
        steps, step_from = [], block_line
        for step_text in steps_data:
            line = _line_of(text, str(step_text), block_line, step_from)
            step_from = line
            steps.append(parse_step(step_text, line, cell, where, problems))

        def ramp_fail(step, message):
            raise ProtocolError(f"{where}:{step.line}: step '{_one_line(step.text)}': "
                                f"{message}")

        steps = _settle_ramps(steps, i == 0, default_temperature or cell.ambient_K,
                              ramp_fail)
        blocks.append(Block(str(name), tuple(steps), repeat, block_line))

    problems.extend(_unreachable_successors(blocks, where))

    termination = Termination()
    if "termination" in data:
        t, t_line = table("termination", _TERMINATION_KEYS)
        fraction = None
        if "capacity_below" in t:
            m = re.fullmatch(rf"\s*({_NUMBER})\s*%\s*", str(t["capacity_below"]))
            if not m or not 0 < float(m.group(1)) < 100:
                fail(_line_of(text, "capacity_below", t_line, t_line),
                     "capacity_below must be a percentage between 0 and 100, e.g. '80 %'")
            fraction = float(m.group(1)) / 100
        reference = t.get("reference_cycle", 1)
        if not isinstance(reference, int) or isinstance(reference, bool) or reference < 1:
            fail(_line_of(text, "reference_cycle", t_line, t_line),
                 "reference_cycle must be a positive integer")
        metal = t.get("metal_exhausted", False)
        if not isinstance(metal, bool):
            fail(_line_of(text, "metal_exhausted", t_line, t_line),
                 "metal_exhausted must be true or false")
        max_time = None
        if "max_time" in t:
            max_time = _parse_time(str(t["max_time"]))
            if max_time is None or max_time <= 0:
                fail(_line_of(text, "max_time", t_line, t_line),
                     "max_time must be a positive time, e.g. '30 days'")
        termination = Termination(fraction, reference, metal, max_time)

    average_ce_from_block = None
    if "measurement" in data:
        m_data, m_line = table("measurement", _MEASUREMENT_KEYS)
        if "average_ce_from_block" in m_data:
            average_ce_from_block = m_data["average_ce_from_block"]
            names = [b.name for b in blocks]
            if average_ce_from_block not in names:
                fail(_line_of(text, "average_ce_from_block", m_line, m_line),
                     f"average_ce_from_block must name a block ({', '.join(names)}), "
                     f"got {average_ce_from_block!r}")

    impedance_frequency = impedance_threshold = None
    if "impedance" in data:
        z_data, z_line = table("impedance", _IMPEDANCE_KEYS)
        for key, units, example in (("frequency", _FREQUENCY_UNITS, "1 kHz"),
                                    ("threshold", _RESISTANCE_UNITS, "1 Ohm")):
            if key not in z_data:
                continue
            try:
                value = _parse_positive(str(z_data[key]), units, f"the impedance {key}")
            except _BadNumber as e:
                fail(_line_of(text, key, z_line, z_line), str(e))
            if value is None:
                fail(_line_of(text, key, z_line, z_line),
                     f"{key} '{z_data[key]}' must read like '{example}' "
                     f"({', '.join(units)})")
            if key == "frequency":
                impedance_frequency = value
            else:
                impedance_threshold = value
        if impedance_frequency is None:
            fail(z_line, "[impedance] needs the frequency at which |Z| is recorded, "
                         "e.g. frequency = \"1 kHz\"")

    def string_list(key, allowed):
        if key not in data:
            return None
        value = data[key]
        if (not isinstance(value, list) or not value
                or any(v not in allowed for v in value)):
            fail(_line_of(text, key),
                 f"'{key}' must be a list of {', '.join(sorted(allowed))}, got {value!r}")
        return tuple(value)

    from .parameter_sets import CONFIGURATIONS

    return Protocol(
        configurations=string_list("cells", CONFIGURATIONS),
        metals=string_list("metals", ("Li", "Na")),
        final_block=blocks[-1].name,
        name=str(data.get("name", Path(where).stem)),
        description=str(data.get("description", "")),
        path=where,
        text=text,
        blocks=tuple(blocks),
        termination=termination,
        temperature_K=default_temperature,
        stack_pressure_Pa=default_pressure,
        average_ce_from_block=average_ce_from_block,
        impedance_frequency_Hz=impedance_frequency,
        impedance_threshold_Ohm=impedance_threshold,
        limit_problems=tuple(problems),
    )
