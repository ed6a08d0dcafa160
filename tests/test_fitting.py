"""Fitting (afb_models.fitting, afb fit): three degradation parameters recovered from
noisy synthetic BDF data; intervals, correlations and identifiability warnings; the
fit file, the saved result and its figure; one-line errors."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pybamm
import pytest

import afb_models
from afb_models import cli
from afb_models.data import write_bdf
from afb_models.fitting import FitError, estimate_noise, fit, load_fit, load_fit_file

LI_CU = "ce_mechanisms"  # shipped: 42 metal||collector cycles at three conditions

SEI_RATE = "SEI reaction exchange current density [A.m-2]"
SEI_FRESH = "SEI formation fraction on fresh metal"
DEAD = "Dead metal fraction at low current"
TRUTH = {SEI_RATE: 1.5e-7, SEI_FRESH: 1.05e-3, DEAD: 3.45e-3}  # the cell's own
#: the Li||Cu cell's own values (the truth of data made without inputs)
CELL_VALUES = {name: afb_models.get_parameter_values("AFB_Li_Cu")[name]
               for name in (SEI_FRESH, DEAD)}
#: initial guesses a factor of 2 away, on both sides
FACTORS = {SEI_RATE: 2.0, SEI_FRESH: 0.5, DEAD: 2.0}


def synthetic_bdf(cell, protocol, path, *, cycles=None, seed=1, options=None):
    """A run at the true values as a BDF CSV, with a cycler's noise: 1 mV on the
    voltage, 1e-4 (relative) on the current, 60 points per step evenly in time."""
    run = afb_models.simulate(cell, protocol, inputs=TRUTH, cycles=cycles,
                              series_points=60, series_tolerance=0, options=options)
    write_bdf(run, path, voltage_noise=1e-3, current_noise=1e-4, seed=seed)
    return run


def guesses():
    return {name: {"initial": value * FACTORS[name], "bounds": (value / 20, value * 20),
                   "log": True} for name, value in TRUTH.items()}


def assert_recovered(result):
    """Each value within 5 % of the truth and inside its 95 % interval."""
    for name, value in TRUTH.items():
        assert abs(result.values[name] / value - 1) < 0.05, (name, result.values[name])
        lo, hi = result.ci95[name]
        assert lo <= value <= hi, (name, lo, hi)
        assert lo < result.values[name] < hi


README = Path(__file__).resolve().parent.parent / "README.md"


def readme_fit_file() -> str:
    text = README.read_text(encoding="utf-8")
    return re.search(r"<!-- fit file example -->\s*```toml\n(.*?)```", text, re.S).group(1)


@pytest.fixture(scope="module")
def li_cu_fit(tmp_path_factory):
    """The README's fit file, on the data it describes: 42 noisy Li||Cu cycles."""
    folder = tmp_path_factory.mktemp("li_cu")
    synthetic_bdf("AFB_Li_Cu", LI_CU, folder / "li_cu.csv")
    (folder / "fit.toml").write_text(readme_fit_file())
    spec = load_fit_file(folder / "fit.toml")
    assert {name: p["initial"] for name, p in spec["parameters"].items()} == {
        name: pytest.approx(value * FACTORS[name]) for name, value in TRUTH.items()}
    return fit(**spec), folder


# The README's fit on its 42 noisy cycles takes ~40 s on 2 cores: slow, to keep the
# default suite inside 10 minutes (the anode-free recovery below is slow too)
@pytest.mark.slow
def test_three_degradation_parameters_are_recovered_from_noisy_bdf_data(li_cu_fit):
    result, _ = li_cu_fit
    assert_recovered(result)
    assert result.n_residuals == 2 * 42  # two targets, 42 cycles
    # the noise estimated from the data's scatter: CE ~2e-5 from the current's noise
    assert 5e-6 < result.targets["Coulombic efficiency"]["noise_used"] < 1e-4
    # a good fit of noise: the cost is about half the number of residuals
    assert result.cost < result.n_residuals
    assert result.correlation.shape == (3, 3)
    np.testing.assert_allclose(np.diag(result.correlation.values), 1.0)
    assert 10 <= result.evaluations <= 120
    assert not [w for w in result.warnings if "identifiable" in w]


@pytest.mark.slow  # the same fit
def test_the_saved_fit_reads_back_and_plots_data_against_model(li_cu_fit, tmp_path,
                                                               capsys):
    result, _ = li_cu_fit
    path = result.save(tmp_path / "fit.h5")
    again = load_fit(path)
    assert again.values == result.values and again.ci95 == result.ci95
    np.testing.assert_array_equal(again.correlation.values, result.correlation.values)
    assert again.metadata["data"]["sha256"] == result.metadata["data"]["sha256"]
    assert again.metadata["protocol source"] == "reconstructed from the data"
    np.testing.assert_array_equal(again.model["Coulombic efficiency"].values,
                                  result.model["Coulombic efficiency"].values)
    assert cli.main(["show", str(path)]) == 0
    shown = capsys.readouterr().out
    assert SEI_FRESH in shown and "95 % interval" in shown
    assert cli.main(["plot", str(path), "-o", str(tmp_path / "fit.png")]) == 0
    assert (tmp_path / "fit.png").stat().st_size > 10_000
    assert not list(tmp_path.glob(".*partial*"))


@pytest.mark.slow
def test_three_parameters_of_the_anode_free_cell_are_recovered(tmp_path):
    """The same on the anode-free cell over 40 cycles of the fitting benchmark's
    data (~2 min on 2 cores; ``afb bench fit`` fits 100)."""
    from afb_models.bench import fitbench

    options = {"particle": "quartic profile"}
    fitbench.synthetic_data(tmp_path / "cell.csv", cycles=40, options=options)
    result = fit(fitbench.CELL, tmp_path / "cell.csv", guesses(), options=options,
                 workers=2)
    assert_recovered(result)


def _li_cu_run(tmp_path, cycles=6, series_points=10, inputs=None):
    out = tmp_path / "run.h5"
    afb_models.simulate("AFB_Li_Cu", LI_CU, cycles=cycles, out=out,
                        series_points=series_points, inputs=inputs)
    return out


def test_afb_fit_on_a_run_file_with_its_metal_loss(tmp_path, capsys):
    _li_cu_run(tmp_path)
    (tmp_path / "fit.toml").write_text(
        'cell = "AFB_Li_Cu"\ndata = "run.h5"\ncycles = "2-6"\nworkers = 1\n'
        '[parameters]\n'
        f'"{SEI_FRESH}" = {{ initial = 1.6e-3, bounds = [1e-4, 1e-2], log = true }}\n'
        '[targets]\n"Coulombic efficiency" = {}\n"Metal loss" = { weight = 2 }\n')
    assert cli.main(["fit", str(tmp_path / "fit.toml")]) == 0
    out = capsys.readouterr().out
    assert SEI_FRESH in out and "95 % interval" in out and "model evaluations" in out
    result = load_fit(tmp_path / "fit.h5")
    # noise-free data from the same model: the value to the solver's accuracy
    assert result.values[SEI_FRESH] == pytest.approx(CELL_VALUES[SEI_FRESH], rel=1e-4)
    assert result.metadata["cycles"] == [2, 3, 4, 5, 6]
    assert list(result.data["cycle"].values[result.data["fitted"].values]) == [2, 3, 4, 5, 6]
    assert set(result.targets) == {"Coulombic efficiency", "Metal loss"}
    # a second fit to the same file is refused unless forced
    assert cli.main(["fit", str(tmp_path / "fit.toml")]) == 2
    assert "--force" in capsys.readouterr().err


def test_data_from_a_cell_of_another_size_is_fitted_per_area(tmp_path):
    # the same cycling from a cell of twice the area: twice the current
    write_bdf(_li_cu_run(tmp_path, cycles=3), tmp_path / "small.csv")
    frame = pd.read_csv(tmp_path / "small.csv")
    frame["Current / A"] *= 2
    frame.to_csv(tmp_path / "big.csv", index=False, float_format="%.12g")
    values = afb_models.get_parameter_values("AFB_Li_Cu")
    area_cm2 = 1e4 * values["Electrode height [m]"] * values["Electrode width [m]"]
    result = fit("AFB_Li_Cu", tmp_path / "big.csv",
                 {DEAD: {"initial": 5.2e-3, "bounds": (1e-4, 1e-2), "log": True}},
                 targets=("Coulombic efficiency", "Charge capacity"),
                 area_cm2=2 * area_cm2, workers=1)
    # noise-free data: to the solver's accuracy
    assert result.values[DEAD] == pytest.approx(CELL_VALUES[DEAD], rel=1e-4)
    # the data as the model cell would give it
    np.testing.assert_allclose(result.data["Charge capacity"].values,
                               result.model["Charge capacity"].values, rtol=1e-6)


def test_voltage_curves_of_chosen_cycles_are_fitted(tmp_path):
    resistivity = "SEI resistivity [Ohm.m]"
    run_file = _li_cu_run(tmp_path, cycles=3, series_points=40)
    result = fit("AFB_Li_Cu", run_file,
                 {resistivity: {"initial": 4e5, "bounds": (1e4, 1e7), "log": True}},
                 targets={"Voltage": {"cycles": [1, 3], "noise": 2e-4}}, workers=1)
    assert result.values[resistivity] == pytest.approx(2e5, rel=1e-3)
    curves = result.curves
    assert set(np.unique(curves["data_cycle"].values)) == {1, 3}
    assert curves.sizes["data_point"] > 100
    # the figure overlays the fitted voltage curves
    saved = result.save(tmp_path / "fit.h5")
    assert load_fit(saved).curves.sizes["data_point"] == curves.sizes["data_point"]
    from afb_models.plotting import plot_fit

    figure = plot_fit(load_fit(saved), tmp_path / "fit.png")
    # capacity and CE against cycle (no per-cycle target was fitted), then the curves
    assert [ax.get_ylabel() for ax in figure.axes] == [
        "Discharge capacity [mAh]", "Coulombic efficiency [%]", "Voltage [V]"]
    assert (tmp_path / "fit.png").stat().st_size > 10_000


def test_a_parameter_the_data_cannot_see_and_a_correlated_pair_are_flagged(tmp_path):
    # one rate, no rest: SEI on fresh metal and dead metal both take a fixed share
    # of each plating, so CE sees only their sum; reconnection is off, so its rate
    # changes nothing
    run_file = tmp_path / "run.h5"
    protocol = (
        'name = "one rate"\ndescription = "x"\ncells = ["metal||collector"]\n'
        '[[block]]\nname = "cycling"\nrepeat = 4\nsteps = [\n'
        '"Discharge at 0.5 mA cm-2 for 1 mAh cm-2",\n'
        '"Charge at 0.5 mA cm-2 until upper cut-off"]\n')
    afb_models.simulate("AFB_Li_Cu", protocol, out=run_file)
    parameters = {
        SEI_FRESH: {"initial": 1e-3, "bounds": (1e-5, 1e-2), "log": True},
        DEAD: {"initial": 2e-3, "bounds": (1e-5, 1e-2), "log": True},
        "Dead metal reconnection rate [s-1]": {"initial": 1e-5, "bounds": (1e-7, 1e-3),
                                               "log": True},
    }
    result = fit("AFB_Li_Cu", run_file, parameters, targets=("Coulombic efficiency",),
                 workers=1, max_evaluations=12)
    text = " ".join(result.warnings)
    reconnection = "Dead metal reconnection rate [s-1]"
    assert f"'{reconnection}' does not change the fitted quantities" in text
    assert f"not identifiable: the data does not determine '{reconnection}'" in text
    assert result.ci95[reconnection] == (0.0, np.inf)  # nothing bounds it
    assert f"'{SEI_FRESH}' and '{DEAD}' are correlated" in text


def test_the_noise_estimate_sees_through_a_trend():
    rng = np.random.default_rng(3)
    cycles = np.arange(400)
    trend = 0.999 - 1e-3 * np.exp(-cycles / 50) + 2e-6 * cycles
    noisy = trend + rng.normal(0, 2e-5, cycles.size)
    # 400 points: the estimate's own scatter is ~6 %
    assert estimate_noise(noisy) == pytest.approx(2e-5, rel=0.15)


@pytest.mark.parametrize("parameters, targets, match", [
    ({SEI_FRESH: {"initial": 1e-3}}, None, "'bounds' is missing"),
    ({SEI_FRESH: {"initial": 1e-1, "bounds": (1e-4, 1e-2)}}, None, "outside the bounds"),
    ({SEI_FRESH: {"initial": 1e-3, "bounds": (0, 1e-2), "log": True}}, None,
     "needs positive bounds"),
    ({"Nonsense [m]": {"initial": 1, "bounds": (0, 2)}}, None, "unknown parameter"),
    ({SEI_FRESH: {"initial": 1e-3, "bounds": (1e-4, 1e-2), "scale": 1}}, None,
     "unknown key 'scale'"),
    ({SEI_FRESH: {"initial": 1e-3, "bounds": (1e-4, 1e-2)}}, ("Capacity fade",),
     "unknown target"),
    ({SEI_FRESH: {"initial": 1e-3, "bounds": (1e-4, 1e-2)}}, ("Metal loss",),
     "the data has no 'Metal loss'"),
    ({SEI_FRESH: {"initial": 1e-3, "bounds": (1e-4, 1e-2)}}, {"Voltage": {}},
     "give the cycles"),
], ids=["no bounds", "outside", "log of zero", "unknown parameter", "unknown key",
        "unknown target", "no metal loss in CSV data", "voltage without cycles"])
def test_a_fit_that_cannot_be_set_up_is_a_one_line_error(tmp_path, parameters, targets,
                                                         match):
    run_file = _li_cu_run(tmp_path, cycles=2)
    write_bdf(run_file, tmp_path / "cell.csv")
    with pytest.raises((FitError, afb_models.cells.CellError)) as e:
        fit("AFB_Li_Cu", tmp_path / "cell.csv", parameters,
            targets=targets or ("Coulombic efficiency",), workers=1)
    assert "\n" not in str(e.value) and match in str(e.value), str(e.value)


def test_cycles_outside_the_data_are_refused(tmp_path):
    run_file = _li_cu_run(tmp_path, cycles=2)
    with pytest.raises(FitError, match="the data has cycles 1 to 2"):
        fit("AFB_Li_Cu", run_file, {SEI_FRESH: {"initial": 1e-3, "bounds": (1e-4, 1e-2)}},
            cycles="1-5", workers=1)


@pytest.mark.parametrize("text, match", [
    ('data = "run.h5"\n[parameters]\n', "'cell' is missing"),
    ('cell = "AFB_Li_Cu"\ndata = "run.h5"\nmethod = "magic"\n[parameters]\n',
     "unknown key 'method'"),
    ('cell = "AFB_Li_Cu"\ndata = "none.csv"\n[parameters]\n'
     f'"{SEI_FRESH}" = {{ initial = 1e-3, bounds = [1e-4, 1e-2] }}\n', "no such file"),
    ('cell = "AFB_Li_Cu"\ndata = "run.h5"\n[parameters]\n'
     '"Bogus [m]" = { initial = 1, bounds = [0, 2] }\n',
     "fit.toml: parameters: 'Bogus [m]': unknown parameter"),
], ids=["no cell", "unknown key", "no data", "unknown parameter"])
def test_a_bad_fit_file_exits_2_with_one_line(tmp_path, capsys, text, match):
    _li_cu_run(tmp_path, cycles=1)
    (tmp_path / "fit.toml").write_text(text)
    assert cli.main(["fit", str(tmp_path / "fit.toml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and match in err and "fit.toml" in err


def test_solver_sensitivities_miss_the_shift_of_a_voltage_end():
    """Why the Jacobian is by finite differences: IDAKLU's forward sensitivities of
    a step that ends on a voltage hold its end time fixed, so the sensitivity of
    the capacity it gives is zero, while the capacity does change. If PyBaMM starts
    to correct for the event's shift, this fails: the sensitivities can then be
    used."""
    name = "Positive electrode active material volume fraction"
    fraction = pybamm.ParameterValues("Chen2020")[name]

    def simulation():
        values = pybamm.ParameterValues("Chen2020")
        values[name] = "[input]"
        return pybamm.Simulation(
            pybamm.lithium_ion.SPM(), parameter_values=values,
            experiment=pybamm.Experiment(["Discharge at 1C until 3.5 V"]),
            solver=pybamm.IDAKLUSolver())

    solution = simulation().solve(inputs={name: fraction}, calculate_sensitivities=True)
    q = solution["Discharge capacity [A.h]"]
    dq_sensitivity = q.sensitivities[name][-1]
    plain = simulation()
    h = 1e-3 * fraction
    q0, q1 = (plain.solve(inputs={name: x})["Discharge capacity [A.h]"].entries[-1]
              for x in (fraction, fraction + h))
    dq_difference = (q1 - q0) / h
    # the capacity follows the cathode's amount (measured: 0.87 of proportional) ...
    assert dq_difference * fraction > 0.5 * q0
    # ... and the sensitivities say it does not move at all
    assert abs(dq_sensitivity) * fraction < 1e-6 * q0


# --- PyBOP --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def three_cycles(tmp_path_factory):
    return _li_cu_run(tmp_path_factory.mktemp("pybop"), cycles=3)


PYBOP_PARAMETERS = {SEI_FRESH: {"initial": 1.6e-3, "bounds": (1e-4, 1e-2), "log": True}}


def test_a_pybop_optimiser_runs_on_the_same_residuals(three_cycles):
    import pybop  # in the test extra
    from afb_models.fitting import Objective, pybop_problem

    problem = pybop_problem("AFB_Li_Cu", three_cycles, PYBOP_PARAMETERS,
                            targets=("Coulombic efficiency",), workers=1)
    objective = Objective("AFB_Li_Cu", three_cycles, PYBOP_PARAMETERS,
                          targets=("Coulombic efficiency",), workers=1)
    # the same residuals: PyBOP's sum of squares is their sum of squares (the same
    # model run, so equal to rounding)
    r = objective.residuals_of(objective._run([(1.6e-3,)])[0])
    assert problem([1.6e-3]) == pytest.approx(float(r @ r), rel=1e-12)
    # (Nelder-Mead: deterministic, where XNES's population is random)
    result = pybop.SciPyMinimize(
        problem, pybop.SciPyMinimizeOptions(method="Nelder-Mead", maxiter=30)).run()
    # noise-free data: within 1 % (the simplex's own tolerance is finer)
    assert result.x[0] == pytest.approx(CELL_VALUES[SEI_FRESH], rel=0.01)
    assert problem([result.x[0]]) < 1e-3 * problem([1.6e-3])


def test_a_pybop_sampler_runs_on_the_likelihood(three_cycles):
    import pybop  # in the test extra
    from afb_models.fitting import pybop_problem

    problem = pybop_problem("AFB_Li_Cu", three_cycles, PYBOP_PARAMETERS,
                            targets={"Coulombic efficiency": {"noise": 1e-5}},
                            workers=2, likelihood=True)
    try:
        sampler = pybop.HaarioBardenetACMC(problem, pybop.PintsSamplerOptions(
            n_chains=2, max_iterations=10, log_to_screen=False))
        samples = sampler.run()
    finally:
        problem.afb_objective.close()
    chains = np.asarray(samples.chains)
    assert chains.shape[:2] == (2, 10)
    assert np.all((chains > 1e-4) & (chains < 1e-2))
