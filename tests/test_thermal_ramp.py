"""The thermal-ramp experiment (issue: temperature and safety, item 6): the protocol's
[impedance] table, |Z| at its frequency recorded at the end of every step, the short
temperature, and the figure of |Z| against temperature."""

import numpy as np
import pytest

import afb_models
from afb_models import parameter_sets
from afb_models.measurements import SHORT_THRESHOLDS, short_temperature
from afb_models.protocols import ProtocolError, load_protocol, parse_protocol

NA_NA = "AFB_Na_Na_NASICON"
VALUES = parameter_sets.get_parameter_values(NA_NA)


def _protocol(impedance: str):
    text = (f"{impedance}\n[[block]]\nname = \"25 °C\"\n"
            "steps = [\"Rest for 30 minutes at 25 °C\"]\n")
    return parse_protocol(text, "p.toml", VALUES)


def test_the_impedance_table_is_read_with_its_units():
    p = _protocol('[impedance]\nfrequency = "1 kHz"\nthreshold = "500 mOhm"')
    assert p.impedance_frequency_Hz == 1e3 and p.impedance_threshold_Ohm == 0.5
    p = _protocol('[impedance]\nfrequency = "20 mHz"')
    assert p.impedance_frequency_Hz == pytest.approx(0.02)
    assert p.impedance_threshold_Ohm is None  # the configuration's
    assert _protocol("").impedance_frequency_Hz is None


@pytest.mark.parametrize("table, message", [
    ('[impedance]\nfrequency = "1 kHz"\nlimit = "1 Ohm"', "unknown key 'limit'"),
    ('[impedance]\nfrequency = "1 kilohertz"', "must read like '1 kHz'"),
    ('[impedance]\nfrequency = "0 Hz"', "positive"),
    ('[impedance]\nfrequency = "1 kHz"\nthreshold = "1 V"', "must read like '1 Ohm'"),
    ('[impedance]\nthreshold = "1 Ohm"', "needs the frequency"),
])
def test_a_bad_impedance_table_is_one_line_naming_the_file(table, message):
    with pytest.raises(ProtocolError, match=message) as e:
        _protocol(table)
    assert str(e.value).startswith("p.toml:") and "\n" not in str(e.value)


def test_short_temperature_is_the_first_step_below_the_threshold():
    assert short_temperature([50, 3, 0.5, 0.1], [300, 310, 320, 330], 1.0) == 320
    assert short_temperature([50, 3], [300, 310], 1.0) is None
    assert SHORT_THRESHOLDS["symmetric"] == 1.0
    assert SHORT_THRESHOLDS["metal||collector"] == 2.0


@pytest.fixture(scope="module")
def na_ramp(tmp_path_factory):
    out = tmp_path_factory.mktemp("ramp") / "na.h5"
    return afb_models.simulate(NA_NA, "thermal_ramp", out=out), out


def test_the_thermal_ramp_shorts_a_na_cell_at_the_first_step_above_its_melting_point(
        na_ramp):
    run, _ = na_ramp
    assert run.status == ("completed: a melt-driven internal short (the molten metal "
                          "bridged the electrolyte)")
    c = run.cycles
    T = c["Volume-averaged cell temperature"].values
    z = c["Impedance modulus"].values
    T_melt = VALUES["Metal melting temperature [K]"]
    # the steps: 25 °C up by 10 °C; the short in the first above 97.8 °C
    np.testing.assert_allclose(T, 298.15 + 10 * np.arange(T.size), atol=1e-9)
    assert T[-2] < T_melt < T[-1]
    assert run.measurements["Short temperature [K]"] == pytest.approx(T[-1])
    # before it the pellet's conductivity rises with temperature: |Z| falls
    assert np.all(np.diff(z[:-1]) < 0) and z[-2] > 10
    # after it, the melt's shunt alone (to 1e-3: the interfaces in parallel with it
    # are > 1e5 times its resistance)
    open_pores = (VALUES["Electrolyte open porosity"]
                  - VALUES["Electrolyte percolation threshold porosity"])
    shunt = (VALUES["Electrolyte pore tortuosity"] ** 2
             * VALUES["Liquid metal resistivity [Ohm.m]"]
             * VALUES["Separator thickness [m]"] / open_pores)
    area = VALUES["Electrode height [m]"] * VALUES["Electrode width [m]"]
    assert z[-1] == pytest.approx(shunt / area, rel=1e-3)
    assert abs(c["Impedance phase"].values[-1]) < 1e-3
    assert set(c["Short threshold"].values) == {1.0}
    assert set(c["Impedance frequency"].values) == {1e3}


def test_the_figure_draws_impedance_against_temperature(na_ramp):
    import matplotlib

    matplotlib.use("Agg")
    from afb_models.plotting import RUN_FIGURES, plot_impedance_temperature, plot_run

    run, _ = na_ramp
    assert "impedance" in RUN_FIGURES
    fig = plot_impedance_temperature(run)
    ax = fig.axes[0]
    x, y = ax.lines[0].get_data()
    np.testing.assert_allclose(x, run.cycles["Volume-averaged cell temperature"].values
                               - 273.15)
    np.testing.assert_allclose(y, run.cycles["Impedance modulus"].values)
    assert ax.get_yscale() == "log"
    # a run with impedance has the figure among its defaults; one that only rested
    # has no voltage, capacity or CE to show
    fig = plot_run(run)
    labels = [a.get_ylabel() for a in fig.axes if a.get_visible()]
    assert "|Z| [Ohm]" in labels
    assert not any("Voltage" in label or "efficiency" in label for label in labels)
    assert len(labels) == 3  # inventory, losses, impedance


def test_a_protocol_threshold_overrides_the_configurations(na_ramp):
    from afb_models.measurements import measure

    run, _ = na_ramp
    text = load_protocol("thermal_ramp", VALUES).text
    strict = parse_protocol(text.replace('frequency = "1 kHz"',
                                         'frequency = "1 kHz"\nthreshold = "0.01 mOhm"'),
                            "ramp.toml", VALUES)
    assert strict.impedance_threshold_Ohm == pytest.approx(1e-5)
    # the melt's shunt (0.17 mOhm) is above 0.01 mOhm: no short by |Z|
    assert "Short temperature [K]" not in measure(strict, run.cycles, "symmetric")
    # without a threshold of its own: the configuration's, 1 Ohm symmetric, 2 Ohm half
    default = load_protocol("thermal_ramp", VALUES)
    for configuration in ("symmetric", "metal||collector"):
        assert measure(default, run.cycles, configuration)["Short temperature [K]"] \
            == pytest.approx(378.15)
    almost = {**{k: run.cycles[k].values for k in run.cycles.data_vars}}
    almost["Impedance modulus"] = np.where(almost["Impedance modulus"] < 1, 1.5,
                                           almost["Impedance modulus"])
    assert "Short temperature [K]" not in measure(default, almost, "symmetric")
    assert measure(default, almost, "metal||collector")["Short temperature [K]"] \
        == pytest.approx(378.15)


@pytest.mark.slow
def test_a_li_cell_on_llzo_shorts_above_lis_melting_point():
    run = afb_models.simulate("AFB_Li_Li_LLZO", "thermal_ramp")
    T_melt = parameter_sets.get_parameter_values("AFB_Li_Li_LLZO")[
        "Metal melting temperature [K]"]
    short = run.measurements["Short temperature [K]"]
    assert T_melt < short < T_melt + 10
