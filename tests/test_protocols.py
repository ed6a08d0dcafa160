"""Protocol files: steps in PyBaMM phrasing with areal units, read into PyBaMM steps;
every error names file:line."""

import textwrap

import pytest

import afb_models
from conftest import PROTOCOL_CELL as CELL
from conftest import protocol_step as step
from afb_models.protocols import (
    ProtocolError,
    builtin_protocols,
    load_protocol,
    to_pybamm_step,
)



def test_areal_current_and_charge():
    s = step("Charge at 1 mA cm-2 for 2 mAh cm-2")
    assert s.control == "current"
    assert s.value == pytest.approx(-10e-3)  # 1 mA cm-2 on 10 cm2, charging
    assert s.duration_charge_Ah == pytest.approx(20e-3)
    pybamm_step = to_pybamm_step(s, CELL.nominal_capacity_Ah)
    assert pybamm_step.duration == pytest.approx(2 * 3600)  # 20 mAh at 10 mA


def test_c_rate_hold_rest_and_temperature():
    assert step("Discharge at C/2 until 3.6 V").value == pytest.approx(0.5)
    assert step("Charge at 0.2C until 4.2 V").value == pytest.approx(-0.2)
    hold = step("Hold at 4.2 V until C/20")
    assert (hold.control, hold.value, hold.terminations) == ("voltage", 4.2, ("C/20", ))
    rest = step("Rest for 2 hours at 40 °C")
    assert rest.duration_s == 7200 and rest.temperature_K == pytest.approx(313.15)
    assert step("Rest for 1 day at 298 K").temperature_K == 298


def test_cell_limits():
    assert step("Charge at C/5 until upper cut-off").terminations == ("4.3 V",)
    assert step("Hold at upper cut-off until 0.05 mA cm-2").terminations == ("0.0005 A",)
    assert step("Discharge at 1C for 1 hour or until lower cut-off").terminations == (
        "3.0 V",
    )


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("Charge at 1 mA m-2 until 4.2 V", "unknown value"),
        ("Charge at C/5", "needs 'for"),
        ("Discharge at C/5 until 3 bar", "unknown end condition"),
        ("Hold at 1C until C/20", "a hold needs a voltage"),
        ("Charge at C/5 for 3 fortnights", "unknown duration"),
        ("Relax for 1 hour", "cannot read it"),
        # numbers a step cannot use: the verb gives the direction, not a sign
        ("Charge at C/0 until 4.2 V", "must be positive"),
        ("Charge at -1 mA cm-2 until 4.2 V", "direction comes from the verb"),
        ("Discharge at -0.5C until 3.6 V", "direction comes from the verb"),
        ("Discharge at -2 W until 3.6 V", "direction comes from the verb"),
        ("Charge at 0 mA until 4.2 V", "must be positive"),
        ("Charge at 1e999 mA until 4.2 V", "not a finite number"),
        ("Discharge at 1 mA for -2 mAh", "must be positive"),
        ("Rest for 0 s", "must be positive"),
        ("Rest for -1 hour", "must be positive"),
        ("Rest for 1 hour at -300 °C", "absolute zero"),
        ("Rest for 1 hour at 0 K", "absolute zero"),
        # end conditions the step cannot reach
        ("Charge at C/5 until 4.5 V", "outside the cell's cut-offs"),
        ("Discharge at C/5 until 2.5 V", "outside the cell's cut-offs"),
        ("Discharge at C/5 until 4.3 V", "a discharge lowers the voltage"),
        ("Charge at C/5 until lower cut-off", "a charge raises the voltage"),
        ("Hold at 10 V until C/20", "outside the cell's cut-offs"),
        ("Hold at 4.2 V until 4.0 V", "a hold ends on a current"),
        ("Charge at C/5 until C/20", "a constant-current step never reaches a current"),
    ],
)
def test_bad_step_names_file_and_line(text, fragment):
    with pytest.raises(ProtocolError) as info:
        step(text)
    message = str(info.value)
    assert message.startswith("test.toml:7: ")
    assert fragment in message
    assert "\n" not in message


def test_shipped_protocols_load_for_every_cell():
    assert {"louli2020", "formation", "cycling", "calendar_rest"} <= set(
        builtin_protocols()
    )
    for cell in afb_models.list_parameter_sets():
        values = afb_models.get_parameter_values(cell)
        for name in builtin_protocols():
            protocol = load_protocol(name, values)
            assert protocol.n_cycles >= 1


def test_errors_in_files_name_the_line(tmp_path, li_cell):
    path = tmp_path / "broken.toml"
    path.write_text(
        textwrap.dedent(
            """\
            name = "broken"

            [[block]]
            steps = [
                "Charge at C/5 until 4.5 V",
                "Discharge at C/2 untill 3.6 V",
            ]
            """
        )
    )
    with pytest.raises(ProtocolError) as info:
        load_protocol(path, li_cell)
    assert str(info.value).startswith(f"{path}:6: ")


def test_with_cycles_cuts_the_protocol(li_cell):
    protocol = load_protocol("louli2020", li_cell)
    assert protocol.with_cycles(3).n_cycles == 3
    assert [b.name for b in protocol.with_cycles(1).blocks] == ["formation"]
