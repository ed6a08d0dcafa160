"""A stack pressure per protocol and per step ("Rest for 1 hour at 5 MPa",
``stack_pressure = "5.6 MPa"``): read, refused in one line naming file:line when it
cannot be used, turned into a PyBaMM step that sets "Stack pressure [Pa]" for that
step only, and run by the runner."""

import dataclasses
import pickle
import textwrap

import numpy as np
import pybamm
import pytest

import afb_models
from afb_models import pressure_steps
from afb_models.pressure_steps import at_stack_pressure
from conftest import PROTOCOL_CELL as CELL
from conftest import protocol_step as step
from afb_models.protocols import (
    ProtocolError,
    parse_protocol,
    to_pybamm_step,
)
from afb_models.study import CycleSimulator



# --- reading -----------------------------------------------------------------------


@pytest.mark.parametrize("text,pascal", [
    ("Rest for 1 hour at 5 MPa", 5e6),
    ("Rest for 1 hour at 560 kPa", 5.6e5),
    ("Rest for 1 hour at 2 bar", 2e5),
    ("Rest for 1 hour at 1.17e6 Pa", 1.17e6),
    ("Rest for 1 hour at 5MPa", 5e6),
])
def test_pressure_units(text, pascal):
    s = step(text)
    assert s.stack_pressure_Pa == pytest.approx(pascal, rel=1e-12)
    assert s.temperature_K is None and s.duration_s == 3600


def test_the_value_clause_comes_first_and_the_pressure_last():
    """The value 'at' of a charge is non-greedy: the trailing 'at' is the pressure."""
    s = step("Charge at 1 mA cm-2 for 1 hour at 5 MPa")
    assert (s.control, s.value) == ("current", pytest.approx(-10e-3))
    assert s.duration_s == 3600
    assert s.stack_pressure_Pa == 5e6 and s.temperature_K is None
    s = step("Hold at 4.2 V until C/20 at 3 bar")
    assert (s.control, s.value, s.terminations) == ("voltage", 4.2, ("C/20",))
    assert s.stack_pressure_Pa == pytest.approx(3e5)
    s = step("Discharge at C/2 for 1 hour or until 3.6 V at 1 MPa")
    assert s.terminations == ("3.6 V",) and s.duration_s == 3600
    assert s.stack_pressure_Pa == 1e6


@pytest.mark.parametrize("text", [
    "Discharge at 0.5 mA cm-2 for 2 mAh cm-2 at 25 °C and 5.6 MPa",
    "Discharge at 0.5 mA cm-2 for 2 mAh cm-2 at 5.6 MPa and 25 °C",
    "Discharge at 0.5 mA cm-2 for 2 mAh cm-2 at 5600 kPa and 298.15 K",
])
def test_temperature_and_pressure_in_either_order(text):
    s = step(text)
    assert s.value == pytest.approx(5e-3) and s.duration_charge_Ah == pytest.approx(0.02)
    assert s.temperature_K == pytest.approx(298.15)
    assert s.stack_pressure_Pa == pytest.approx(5.6e6)


@pytest.mark.parametrize("text", [
    "Rest for 10 minutes at 25 °C",
    "Charge at C/5 until 4.2 V",
    "Discharge at 1 mA cm-2 for 2 mAh cm-2",
    "Hold at 4.2 V until C/20",
])
def test_steps_without_a_pressure_have_none(text):
    assert step(text).stack_pressure_Pa is None


@pytest.mark.parametrize("text,fragment", [
    ("Rest for 1 hour at 0 MPa", "a stack pressure must be positive, got 0"),
    ("Rest for 1 hour at 0 Pa and 25 °C", "a stack pressure must be positive"),
    ("Rest for 1 hour at -1 bar", "a stack pressure must be positive, got -1"),
    ("Rest for 1 hour at 1e999 MPa", "not a finite number"),
    ("Rest for 1 hour at 1e308 MPa", "not a finite number"),
    ("Rest for 1 hour at 5 psi", "unknown unit in 'at 5 psi'"),
    ("Rest for 1 hour at 25 °F", "unknown unit in 'at 25 °F'"),
    ("Rest for 1 hour at 5 MPa and 3 bar", "two stack pressures"),
    ("Rest for 1 hour at 25 °C and 30 °C", "two temperatures"),
    ("Charge at C/5 until 4.2 V at 25 °C and 1 MPa and 2 MPa", "two stack pressures"),
])
def test_bad_pressures_name_file_line_and_step(text, fragment):
    with pytest.raises(ProtocolError) as info:
        step(text)
    message = str(info.value)
    assert message.startswith(f"test.toml:7: step '{text}': "), message
    assert fragment in message
    assert "\n" not in message


def test_an_unknown_unit_says_what_a_step_may_end_at():
    with pytest.raises(ProtocolError) as info:
        step("Rest for 1 hour at 5 psi")
    for word in ("temperature", "stack pressure", "MPa", "bar", "°C"):
        assert word in str(info.value)


PROTOCOL = """\
name = "pressed"
temperature = "40 °C"
stack_pressure = "{pressure}"

[[block]]
steps = [
    "Charge at C/5 until 4.2 V",
    "Rest for 1 hour at 2 bar",
]
"""


def test_protocol_default_pressure(li_cell):
    protocol = parse_protocol(PROTOCOL.format(pressure="5.6 MPa"), "p.toml", li_cell)
    assert protocol.stack_pressure_Pa == pytest.approx(5.6e6)
    assert protocol.with_cycles(3).stack_pressure_Pa == pytest.approx(5.6e6)
    charge, rest = protocol.blocks[0].steps
    assert charge.stack_pressure_Pa is None  # the protocol's applies
    assert rest.stack_pressure_Pa == pytest.approx(2e5)
    # and none: the cell's own
    assert parse_protocol(PROTOCOL.replace('stack_pressure = "{pressure}"\n', ""),
                          "p.toml", li_cell).stack_pressure_Pa is None


@pytest.mark.parametrize("value,fragment", [
    ("0 MPa", "must be positive"),
    ("-2 bar", "must be positive"),
    ("5.6 psi", "must read like '5.6 MPa'"),
    ("5.6", "must read like '5.6 MPa'"),
])
def test_bad_protocol_pressure_names_the_line(li_cell, value, fragment):
    with pytest.raises(ProtocolError) as info:
        parse_protocol(PROTOCOL.format(pressure=value), "p.toml", li_cell)
    message = str(info.value)
    assert message.startswith("p.toml:3: stack_pressure"), message
    assert fragment in message and "\n" not in message


def test_a_number_without_unit_is_refused(li_cell):
    text = PROTOCOL.replace('"{pressure}"', "5.6e6")
    with pytest.raises(ProtocolError, match=r"^p\.toml:3: stack_pressure '5600000.0'"):
        parse_protocol(text, "p.toml", li_cell)


# --- PyBaMM steps ------------------------------------------------------------------


def test_a_step_without_pressure_stays_a_plain_pybamm_step():
    for text in ("Rest for 10 minutes at 25 °C", "Charge at C/5 until 4.2 V",
                 "Hold at 4.2 V until C/20"):
        pybamm_step = to_pybamm_step(step(text), CELL.nominal_capacity_Ah)
        assert type(pybamm_step).__module__.startswith("pybamm.")
        assert "stack pressure" not in repr(pybamm_step)


@pytest.mark.parametrize("text,kind", [
    ("Rest for 1 hour at 5 MPa", "Rest"),
    ("Charge at 1 mA cm-2 for 1 hour at 5 MPa", "Current"),
    ("Discharge at C/2 until 3.6 V at 5 MPa", "CRate"),
    ("Hold at 4.2 V until C/20 at 5 MPa", "Voltage"),
    ("Discharge at 10 mW until 3.6 V at 5 MPa", "Power"),
])
def test_the_pybamm_step_carries_its_pressure(text, kind):
    s = step(text)
    at_5 = to_pybamm_step(s, CELL.nominal_capacity_Ah)
    assert type(at_5) is getattr(pressure_steps, kind)
    assert isinstance(at_5, getattr(pybamm.step, kind))
    assert at_5.stack_pressure == 5e6
    # the kind still opens its reprs (the runner finds rest models by "Rest(")
    assert at_5.basic_repr().startswith(f"{kind}(") and repr(at_5).startswith(f"{kind}(")
    assert "stack pressure=5000000.0" in at_5.basic_repr()
    assert "stack pressure=5000000.0" in repr(at_5)

    # another pressure: another model and another processed step; none: PyBaMM's
    at_2 = to_pybamm_step(dataclasses.replace(s, stack_pressure_Pa=2e6),
                          CELL.nominal_capacity_Ah)
    plain = to_pybamm_step(dataclasses.replace(s, stack_pressure_Pa=None),
                           CELL.nominal_capacity_Ah)
    assert len({at_5.basic_repr(), at_2.basic_repr(), plain.basic_repr()}) == 3
    assert len({repr(at_5), repr(at_2), repr(plain)}) == 3
    assert at_5 != at_2 and hash(at_5) != hash(at_2)
    assert at_5.unified_branch_repr() != at_2.unified_branch_repr()

    # copy (what pybamm.Experiment runs) keeps it, as does a copy of a copy
    copied = at_5.copy()
    assert type(copied) is type(at_5) and copied.stack_pressure == 5e6
    assert "stack pressure=5000000.0" in copied.basic_repr()
    assert copied.copy().basic_repr() == copied.basic_repr()
    assert copied.copy().basic_repr() != at_2.copy().basic_repr()

    # pickles (a run's steps go to other processes)
    back = pickle.loads(pickle.dumps(at_5))
    assert type(back) is type(at_5) and back.stack_pressure == 5e6
    assert back.basic_repr() == at_5.basic_repr() and repr(back) == repr(at_5)


def test_the_protocol_default_applies_where_the_step_has_none():
    charge, rest = step("Charge at C/5 until 4.2 V"), step("Rest for 1 hour at 2 bar")
    assert to_pybamm_step(charge, 0.03, None, 5.6e6).stack_pressure == 5.6e6
    assert to_pybamm_step(rest, 0.03, None, 5.6e6).stack_pressure == 2e5  # its own
    both = to_pybamm_step(step("Rest for 1 hour at 2 bar and 25 °C"), 0.03, 313.15, 5e6)
    assert (both.stack_pressure, both.temperature) == (2e5, pytest.approx(298.15))


def test_at_stack_pressure_checks_its_arguments():
    rest = pybamm.step.rest(duration=60)
    with pytest.raises(ValueError, match="finite and positive"):
        at_stack_pressure(rest, 0)
    with pytest.raises(ValueError, match="finite and positive"):
        at_stack_pressure(rest, float("nan"))
    with pytest.raises(ValueError, match="already has a stack pressure"):
        at_stack_pressure(at_stack_pressure(rest, 1e6), 2e6)
    with pytest.raises(TypeError, match="Resistance"):
        at_stack_pressure(pybamm.step.resistance(1.0, duration=60), 1e6)
    # the step given is left as it was
    assert type(rest) is pybamm.step.Rest and "stack pressure" not in rest.basic_repr()


def test_an_experiment_builds_one_model_per_pressure():
    steps = [at_stack_pressure(pybamm.step.rest(duration=60), p) for p in (1e6, 2e6)]
    experiment = pybamm.Experiment([(*steps, steps[0])])
    assert [s.stack_pressure for s in experiment.steps] == [1e6, 2e6, 1e6]
    assert len({s.basic_repr() for s in experiment.unique_steps}) == 2


# --- the parameter is used ------------------------------------------------------------


def _pressure_factor(solution, pv):
    """The pressure factor f_p in the "Plating morphology factor" s_p of a solved
    step: s_p divided by the rest of its law (deposit_morphology.py), evaluated on
    the solution's own plating rate and temperature, so that nothing but the
    pressure is left."""
    F, R = pybamm.constants.F.value, pybamm.constants.R.value
    s_p = solution["Plating morphology factor"].entries
    rate = solution["Metal plating rate [mol.m-2.s-1]"].entries
    T = solution["Negative interface temperature [K]"].entries
    current_factor = ((F * rate + 1e-6)
                      / pv["Deposit morphology reference current density [A.m-2]"])
    rest_of_law = (
        pv["Substrate deposit morphology factor"]
        * current_factor ** pv["Deposit morphology current exponent"]
        * np.exp(pv["Deposit morphology activation energy [J.mol-1]"] / R
                 * (1 / T - 1 / pv["Reference temperature [K]"]))
    )
    return s_p / rest_of_law


def test_each_step_runs_at_its_own_pressure():
    pv = afb_models.parameter_sets.get_parameter_values("AFB_Li_NMC532_Cu")
    low, high = 0.2e6, 20e6
    assert pv["Stack pressure [Pa]"] not in (low, high)
    sim = pybamm.Simulation(
        afb_models.AnodeFreeDFN({"deposit morphology": "current and substrate"}),
        parameter_values=pv,
        experiment=pybamm.Experiment([(
            at_stack_pressure(pybamm.step.c_rate(-0.5, duration=600), low),
            at_stack_pressure(pybamm.step.rest(duration=60), high),
        )]),
    )
    solution = sim.solve()
    keys = sorted(sim.steps_to_built_models)  # (a set's order, made fixed)
    assert len(keys) == 2
    assert keys[0].startswith("CRate(") and "stack pressure=200000.0" in keys[0]
    assert keys[1].startswith("Rest(") and "stack pressure=20000000.0" in keys[1]

    p_ref = pv["Deposit morphology reference stack pressure [Pa]"]
    sigma_y = pv["Metal yield strength [Pa]"]

    def expected(p):
        return (1 + p_ref / sigma_y) / (1 + p / sigma_y)

    charge, rest = solution.cycles[0].steps
    f_charge, f_rest = _pressure_factor(charge, pv), _pressure_factor(rest, pv)
    np.testing.assert_allclose(f_charge, expected(low), rtol=1e-6)
    np.testing.assert_allclose(f_rest, expected(high), rtol=1e-6)
    # the two differ by the law's ratio, far more than the tolerance above
    np.testing.assert_allclose(f_charge.mean() / f_rest.mean(),
                               (1 + high / sigma_y) / (1 + low / sigma_y), rtol=1e-6)
    assert (1 + high / sigma_y) / (1 + low / sigma_y) > 10


# --- through the runner ------------------------------------------------------------


def _li_cu_protocol(plate_at="", head=""):
    return textwrap.dedent(f"""\
        name = "pressure"
        {head}
        [[block]]
        repeat = 2
        steps = [
            "Discharge at 0.5 mA cm-2 for 0.5 mAh cm-2{plate_at}",
            "Rest for 1 minute at 25 °C and 2 bar",
            "Charge at 0.5 mA cm-2 until upper cut-off",
        ]
        """)


def test_the_runner_builds_each_step_at_its_pressure():
    simulator = CycleSimulator(
        "AFB_Li_Cu", _li_cu_protocol(" at 20 MPa", 'stack_pressure = "1 MPa"'))
    runner, protocol = simulator.runner({})
    simulation = runner._simulation(0, protocol.blocks[0])
    keys = list(simulation.steps_to_built_models)
    assert len(keys) == 3
    plate = next(k for k in keys if k.startswith("Current(0."))  # a discharge plates
    charge = next(k for k in keys if k.startswith("Current(-"))
    assert "stack pressure=20000000.0" in plate  # its own
    assert "stack pressure=1000000.0" in charge  # the protocol's
    rest = next(k for k in keys if k.startswith("Rest("))
    assert "stack pressure=200000.0" in rest and "temperature=298.15" in rest


def test_a_run_plates_at_the_step_pressure():
    """The pressure of the plating step is the one that shapes the deposit: a run
    with only that step at 20 MPa grows the SEI and dead metal of a run at 20 MPa
    throughout (the protocol's default), far less than one at the cell's 1.17 MPa."""
    cell = afb_models.get_parameter_values("AFB_Li_Cu")
    assert cell["Stack pressure [Pa]"] != 20e6
    at_cell = afb_models.simulate(cell, _li_cu_protocol(), cycles=2)
    at_step = afb_models.simulate(cell, _li_cu_protocol(" at 20 MPa"), cycles=2)
    at_default = afb_models.simulate(
        cell, _li_cu_protocol(head='stack_pressure = "20 MPa"'), cycles=2)
    for run in (at_cell, at_step, at_default):
        assert run.status == "completed"
    for name in ("Metal in SEI", "Dead metal"):
        step_values = at_step.cycles[name].values
        np.testing.assert_allclose(step_values, at_default.cycles[name].values, rtol=1e-5)
        assert np.all(step_values < 0.5 * at_cell.cycles[name].values), name
    assert np.all(at_step.cycles["Coulombic efficiency"].values
                  > at_cell.cycles["Coulombic efficiency"].values)


def test_the_unified_experiment_model_refuses_a_step_pressure():
    """PyBaMM's unified mode builds one model with one set of parameter values: it
    would run the step at the cell's pressure, so it is refused, not run."""
    sim = pybamm.Simulation(
        afb_models.AnodeFreeDFN(),
        parameter_values=afb_models.get_parameter_values("AFB_Li_NMC532_Cu"),
        experiment=pybamm.Experiment(
            [at_stack_pressure(pybamm.step.c_rate(-0.5, duration=60), 2e5)]),
        experiment_model_mode="unified",
    )
    with pytest.raises(pybamm.ModelError, match="legacy experiment mode"):
        sim.solve()
