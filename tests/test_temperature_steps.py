"""Temperature steps of protocols: a ramp of the ambient temperature ("Ramp to 200 °C
at 10 °C per 30 minutes") that the models follow, rate for rate."""

import pickle

import numpy as np
import pybamm
import pytest

import afb_models
from afb_models import parameter_sets
from afb_models.parameters import MetalElectrodeParameters
from afb_models.protocols import ProtocolError, parse_protocol, to_pybamm_step

LI_LI = parameter_sets.get_parameter_values("AFB_Li_Li")
AMBIENT_C = LI_LI["Ambient temperature [K]"] - 273.15  # 40 °C


def _protocol(*steps, blocks=1, temperature=None):
    head = f'temperature = "{temperature}"\n' if temperature else ""
    body = "".join(
        f'[[block]]\nname = "b{b}"\nsteps = [{", ".join(repr(s) for s in steps)}]\n'
        for b in range(blocks))
    return parse_protocol(head + body, "p.toml", LI_LI)


def test_a_ramp_starts_where_the_step_before_it_ran_and_lasts_its_span():
    p = _protocol("Rest for 10 minutes at 30 °C", "Ramp to 60 °C at 10 °C per 30 minutes",
                  "Ramp to 50 °C at 2 K per minute")
    up, down = p.blocks[0].steps[1:]
    assert up.ramp_from_K == pytest.approx(303.15) and up.temperature_K == pytest.approx(333.15)
    assert up.duration_s == pytest.approx(90 * 60)
    assert up.ramp_rate_K_per_s == pytest.approx(10 / 1800)
    # the step before it ends at 60 °C: down by 10 K at 2 K per minute
    assert down.ramp_from_K == pytest.approx(333.15)
    assert down.ramp_rate_K_per_s == pytest.approx(-2 / 60)
    assert down.duration_s == pytest.approx(300)
    # a first step: from the protocol's temperature, else the cell's ambient
    assert _protocol(f"Ramp to {AMBIENT_C + 10:g} °C at 1 °C per minute") \
        .blocks[0].steps[0].duration_s == pytest.approx(600)
    assert _protocol("Ramp to 35 °C at 1 °C per minute", temperature="30 °C") \
        .blocks[0].steps[0].duration_s == pytest.approx(300)
    # with its own 'from' and a stack pressure
    s = _protocol("Ramp from 100 °C to 110 °C at 10 °C per 30 minutes at 5 MPa") \
        .blocks[0].steps[0]
    assert s.ramp_from_K == pytest.approx(373.15) and s.stack_pressure_Pa == 5e6


@pytest.mark.parametrize("step, message", [
    (f"Ramp to {AMBIENT_C:g} °C at 1 °C per minute", "starts where it ends"),
    ("Ramp to 60 °C at 0 °C per minute", "must be positive"),
    ("Ramp to 60 °C at 1 °C per fortnight", "unknown time 'per fortnight'"),
    ("Ramp to 60 °C at 1 °C per minute at 30 °C", "'at' gives a stack pressure"),
    ("Ramp to 60 C at 1 °C per minute", "cannot read it"),
])
def test_bad_ramps_are_one_line(step, message):
    with pytest.raises(ProtocolError, match=message) as e:
        _protocol(step)
    assert str(e.value).startswith("p.toml:")


def test_a_ramp_opening_a_later_block_needs_its_start():
    with pytest.raises(ProtocolError, match="opens a block needs 'Ramp from"):
        _protocol("Ramp to 35 °C at 1 °C per minute", blocks=2)
    p = _protocol("Ramp from 25 °C to 35 °C at 1 °C per minute", blocks=2)
    assert p.blocks[1].steps[0].duration_s == pytest.approx(600)


def test_the_ramp_step_keeps_its_ramp_through_copy_and_pickle():
    step = _protocol("Ramp to 60 °C at 10 °C per 30 minutes at 2 MPa").blocks[0].steps[0]
    built = to_pybamm_step(step, 1e-3)
    other = to_pybamm_step(_protocol("Ramp to 70 °C at 10 °C per 30 minutes")
                           .blocks[0].steps[0], 1e-3)
    assert built.basic_repr() != other.basic_repr()
    assert built.basic_repr().startswith("Rest(")  # the runner's rest tolerances
    for again in (built.copy(), pickle.loads(pickle.dumps(built))):
        assert again.ramp == built.ramp and again.stack_pressure == 2e6
        assert "ambient ramp" in again.basic_repr()
    assert pickle.loads(pickle.dumps(built)).basic_repr() == built.basic_repr()


@pytest.mark.parametrize("cell", ["AFB_Li_Li", "AFB_Li_NMC532_Cu"])
def test_the_cell_and_its_rates_follow_the_ramp(cell):
    """The interface's temperature is the ramp's at every output time, and the
    metal's exchange current (Arrhenius) follows it: its ratio between the ends is
    the parameter's own ratio at those temperatures."""
    values = parameter_sets.get_parameter_values(cell)
    protocol = parse_protocol(
        '[[block]]\nsteps = ["Ramp from 25 °C to 60 °C at 10 °C per 30 minutes"]\n',
        "p.toml", values)
    step = protocol.blocks[0].steps[0]
    experiment = pybamm.Experiment([(to_pybamm_step(step, 1.0),)])
    config = parameter_sets.configuration_of(cell)
    model = getattr(afb_models.models, parameter_sets.CONFIGURATIONS[config])(
        parameter_sets.options_of(cell))
    solution = pybamm.Simulation(model, parameter_values=values, experiment=experiment,
                                 solver=pybamm.IDAKLUSolver()).solve()
    t = solution["Time [s]"].entries
    T = solution["Negative interface temperature [K]"].entries
    np.testing.assert_allclose(T, 298.15 + 35 / (105 * 60) * (t - t[0]), rtol=1e-12)
    assert t[-1] - t[0] == pytest.approx(105 * 60)
    j0 = solution["Metal exchange-current density [A.m-2]"].entries
    c = solution["Negative electrolyte concentration [mol.m-3]"].entries
    mp = MetalElectrodeParameters()
    expected = [values.evaluate(mp.j0_metal(pybamm.Scalar(float(np.ravel(c)[k])),
                                            pybamm.Scalar(T[k]))) for k in (0, -1)]
    assert j0[-1] / j0[0] == pytest.approx(expected[1] / expected[0], rel=1e-9)
    assert j0[-1] / j0[0] > 2  # it did rise
