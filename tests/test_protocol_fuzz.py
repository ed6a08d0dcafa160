"""Fuzzing the protocol reader (Hypothesis): whatever a step or a protocol file says,
it is read into steps PyBaMM can run, or refused with one line naming the file and
the line; never another exception, never a step that would be skipped or flipped."""

import math

import pybamm
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import afb_models
from afb_models.protocols import (
    CellLimits,
    ProtocolError,
    parse_protocol,
    parse_step,
    to_pybamm_step,
)

CELL = CellLimits(area_m2=1e-3, nominal_capacity_Ah=0.03, lower_cutoff_V=3.0,
                  upper_cutoff_V=4.3)

def mostly(good, wild):
    """Three times in four a well-formed part, so that a step gets far enough to be
    checked as a whole; otherwise anything."""
    return st.integers(0, 3).flatmap(lambda i: wild if i == 0 else good)


wild_numbers = st.one_of(
    st.sampled_from(["0", "-0", "-1", "1e999", "-1e999", "1e-300", "-300", "+2", "4.31",
                     "2.9", "-0.5"]),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda x: f"{x:g}"),
    st.integers(-1000, 1000).map(str),
)
good_numbers = st.floats(0.01, 5).map(lambda x: f"{x:.3g}")
numbers = mostly(good_numbers, wild_numbers)
current_units = mostly(
    st.sampled_from(["C", "mA cm-2", "mA", "A", "uA", "µA", "W", "mW"]),
    st.sampled_from(["V", "mA m-2", "", " bar", "mA/cm2", "A cm-2"]))
values = st.one_of(
    st.tuples(numbers, current_units).map(lambda p: f"{p[0]} {p[1]}".strip()),
    numbers.map(lambda n: f"C/{n}"),
    numbers.map(lambda n: f"{n} V"),
    # signs, zeros and infinities where a magnitude belongs
    wild_numbers.map(lambda n: f"{n}C"),
    wild_numbers.map(lambda n: f"{n} mA cm-2"),
    st.sampled_from(["upper cut-off", "lower cut-off", "C", "C/", "nothing"]),
)
time_units = mostly(
    st.sampled_from(["s", "seconds", "minutes", "min", "hours", "h", "day", "days",
                     "mAh", "mAh cm-2", "A.h", "Ah"]),
    st.sampled_from(["fortnights", "", "mA", "V"]))
durations = st.tuples(numbers, time_units).map(lambda p: f"{p[0]} {p[1]}")
ends = st.lists(
    mostly(
        st.one_of(st.floats(2.8, 4.5).map(lambda v: f"{v:.2f} V"),
                  st.sampled_from(["upper cut-off", "lower cut-off", "C/20",
                                   "0.05 mA cm-2"])),
        st.one_of(wild_numbers.map(lambda n: f"{n} V"), values),
    ),
    min_size=1, max_size=3,
).map(" or ".join)
temperatures = st.tuples(
    mostly(st.floats(-40, 120).map(lambda t: f"{t:.1f}"), wild_numbers),
    mostly(st.sampled_from(["°C", "K", "degC", "oC"]), st.just("F")),
).map(lambda p: f"{p[0]} {p[1]}")


@st.composite
def step_texts(draw):
    if draw(st.integers(0, 19)) == 0:  # now and then, anything at all
        return draw(st.text(max_size=60))
    verb = draw(mostly(st.sampled_from(["Charge", "Discharge", "Hold", "Rest"]),
                       st.sampled_from(["Relax", "charge", "Charge at"])))
    text = verb
    if verb != "Rest" or draw(st.integers(0, 9)) == 0:
        text += f" at {draw(values)}"
    if verb == "Rest" or draw(st.integers(0, 2)) == 0:
        text += f" for {draw(durations)}"
    if verb != "Rest" and draw(st.integers(0, 5)):
        text += f" {draw(st.sampled_from(['until', 'or until']))} {draw(ends)}"
    if draw(st.integers(0, 3)) == 0:
        text += f" at {draw(temperatures)}"
    return text


def _check_step(step):
    """What every step the reader accepts must be."""
    assert math.isfinite(step.value)
    if step.control == "rest":
        assert step.action == "rest" and step.value == 0
    elif step.control == "voltage":
        assert step.action == "hold"
        assert CELL.lower_cutoff_V <= step.value <= CELL.upper_cutoff_V
    else:  # the verb gives the sign: never flipped by a number
        assert step.value != 0
        assert (step.value < 0) == (step.action == "charge"), step
    for amount in (step.duration_s, step.duration_charge_Ah):
        assert amount is None or (math.isfinite(amount) and amount > 0)
    assert step.duration_s is not None or step.duration_charge_Ah is not None or \
        step.terminations
    assert step.temperature_K is None or (math.isfinite(step.temperature_K)
                                          and step.temperature_K > 0)
    for end in step.terminations:
        if end.endswith(" V"):
            voltage = float(end[:-2])
            assert CELL.lower_cutoff_V <= voltage <= CELL.upper_cutoff_V
            if step.action == "charge":
                assert voltage > CELL.lower_cutoff_V
            if step.action == "discharge":
                assert voltage < CELL.upper_cutoff_V
        else:  # a current: only where the current can fall to it
            assert step.action == "hold" or step.control == "power"
            assert float(end.split("/")[-1].split()[0]) > 0
    pybamm_step = to_pybamm_step(step, CELL.nominal_capacity_Ah)
    assert isinstance(pybamm_step, pybamm.step.BaseStep)
    assert pybamm_step.duration is None or (math.isfinite(pybamm_step.duration)
                                            and pybamm_step.duration > 0)


@settings(max_examples=2500, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(step_texts())
def test_a_step_is_read_into_a_runnable_step_or_refused_in_one_line(text):
    try:
        step = parse_step(text, 7, CELL, "fuzz.toml")
    except ProtocolError as e:
        message = str(e)
        assert message.startswith("fuzz.toml:7: step '"), message
        assert "\n" not in message
        return
    _check_step(step)


toml_values = st.one_of(
    st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=12), st.booleans(),
    st.lists(st.integers(0, 3), max_size=2),
)


@st.composite
def protocol_texts(draw):
    lines = []
    if draw(st.booleans()):
        lines.append(f'temperature = "{draw(temperatures)}"')
    if draw(st.integers(0, 4)) == 0:
        lines.append(f"{draw(st.sampled_from(['cells', 'metals', 'name', 'colour']))} = "
                     f"{_toml(draw(toml_values))}")
    for _ in range(draw(st.integers(0, 3))):
        lines.append("[[block]]")
        if draw(st.booleans()):
            lines.append(f"repeat = {_toml(draw(toml_values))}")
        if draw(st.integers(0, 3)) == 0:
            lines.append(f"name = {_toml(draw(toml_values))}")
        steps = draw(st.lists(step_texts(), max_size=4))
        lines.append("steps = [" + ", ".join(_toml(s) for s in steps) + "]")
    if draw(st.booleans()):
        lines.append("[termination]")
        key = draw(st.sampled_from(["capacity_below", "reference_cycle", "max_time",
                                    "metal_exhausted", "colour"]))
        lines.append(f"{key} = {_toml(draw(toml_values))}")
    return "\n".join(lines) + "\n"


def _toml(value):
    """A TOML literal of ``value`` (strings escaped as TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if value != value else ("inf" if value == math.inf else
                                             "-inf" if value == -math.inf else repr(value))
    if isinstance(value, str):
        escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}"
                          for c in value)
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


@pytest.fixture(scope="module")
def li_values():
    return afb_models.get_parameter_values("AFB_Li_NMC532_Cu")


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow,
                                 HealthCheck.function_scoped_fixture])
@given(protocol_texts())
def test_a_protocol_file_is_read_or_refused_in_one_line_naming_the_file(li_values, text):
    try:
        protocol = parse_protocol(text, "fuzz.toml", li_values)
    except ProtocolError as e:
        message = str(e)
        assert message.startswith("fuzz.toml:"), message
        assert "\n" not in message
        return
    assert protocol.blocks and protocol.n_cycles >= 1
    for block in protocol.blocks:
        assert block.repeat >= 1 and block.steps
