"""Time series that keep the physics: the points where the voltage changes (the
nucleation dip of a first plating, the knee at the end of a discharge), each with its
step's number, kind and capacity from zero, and units a reader of the file sees."""

import numpy as np
import pytest
import xarray as xr

import afb_models
import afb_models.runner
from afb_models.observables import thin_series

#: plate 1 mAh cm-2 onto the bare Cu of a Li||Cu cell and strip it to the cut-off
LI_CU = """
name = "first plating"
description = "A first plating on bare Cu, then its strip."
[[block]]
name = "plate and strip"
steps = ["Discharge at 0.5 mA cm-2 for 1 mAh cm-2",
         "Charge at 0.5 mA cm-2 until upper cut-off"]
"""


def _linear_error(t, v, kept):
    """The largest distance of every point from the line through the kept points."""
    return np.max(np.abs(v - np.interp(t, t[kept], v[kept])))


def test_thinning_keeps_every_dropped_point_within_the_tolerance():
    t = np.linspace(0, 3600, 4001)
    # a first plating: a sharp nucleation dip, a plateau, a knee at the end
    v = (-0.05 - 0.08 * np.exp(-(((t - 20) / 6) ** 2)) - 0.2 * np.exp((t - 3600) / 60))
    current = np.full_like(t, 1e-3)
    kept = thin_series(t, v, current, voltage_tolerance=1e-3, max_points=10_000)
    assert kept[0] == 0 and kept[-1] == t.size - 1
    assert _linear_error(t, v, kept) <= 1e-3
    # and it needs only a few of the 4001 points for it
    assert kept.size < 80
    # a tighter tolerance keeps more, to its own bound
    fine = thin_series(t, v, current, voltage_tolerance=1e-4, max_points=10_000)
    assert fine.size > kept.size and _linear_error(t, v, fine) <= 1e-4


def test_a_capped_series_keeps_what_matters_most():
    t = np.linspace(0, 3600, 4001)
    v = -0.05 - 0.08 * np.exp(-(((t - 20) / 6) ** 2)) - 0.2 * np.exp((t - 3600) / 60)
    kept = thin_series(t, v, np.ones_like(t), voltage_tolerance=1e-3, max_points=8)
    assert kept.size == 8
    assert np.argmin(v) in kept  # the bottom of the dip
    assert thin_series(t, v, np.ones_like(t), max_points=1).tolist() == [t.size - 1]


def test_a_hold_keeps_the_points_where_its_current_decays():
    # a constant-voltage hold: the voltage does not change, the current does
    t = np.linspace(0, 3600, 2001)
    current = -0.2 * np.exp(-t / 600) - 0.01
    kept = thin_series(t, np.full_like(t, 4.5), current, voltage_tolerance=1e-3,
                       max_points=10_000)
    assert kept.size > 10
    assert _linear_error(t, current, kept) <= 0.01 * np.max(np.abs(current))


@pytest.fixture(scope="module")
def first_plating():
    """A Li||Cu run whose full solution is kept beside the stored series."""
    full = []
    original = afb_models.runner.summarise

    def keep_full_solution(cycle, *args, **kwargs):
        full.append([(np.asarray(step.t), np.asarray(step["Voltage [V]"].entries))
                     for step in cycle.steps])
        return original(cycle, *args, **kwargs)

    afb_models.runner.summarise = keep_full_solution
    try:
        # the default cap (100 points per step) and tolerance (1 mV), and a cap
        # that leaves the tolerance alone in charge
        runs = {points: afb_models.simulate("AFB_Li_Cu", LI_CU, cycles=1,
                                            series_points=points)
                for points in (None, 10_000)}
    finally:
        afb_models.runner.summarise = original
    return runs, full[:1]


def test_the_first_platings_dip_survives_in_the_stored_series(first_plating):
    runs, full = first_plating
    t_full, v_full = full[0][0]
    series = runs[None].series
    plating = series["Step"].values == 1
    # the nucleation dip: the lowest voltage of the first plating (10 points evenly
    # in time, as before, missed it by tens of mV)
    assert v_full.min() < v_full[-1] - 0.01  # there is a dip to keep
    assert series["Voltage"].values[plating].min() == pytest.approx(v_full.min(), abs=2e-3)


def test_the_stored_series_is_the_solution_within_the_tolerance(first_plating):
    runs, full = first_plating
    series = runs[10_000].series
    for number, (t_full, v_full) in enumerate(full[0], start=1):
        sel = series["Step"].values == number
        t, v = series["Time"].values[sel], series["Voltage"].values[sel]
        # linear in time between the stored points, every point of the solution is
        # within 1 mV (the tolerance; the stored points are the solver's own, and
        # the interpolation is exact at them: 1e-9 for the time's rounding)
        assert np.max(np.abs(np.interp(t_full, t, v) - v_full)) <= 1e-3 + 1e-9
        # the end-of-strip knee: its last 50 mV are kept to the same bound
        assert v[-1] == pytest.approx(v_full[-1], abs=1e-12)


def test_each_point_has_its_steps_number_kind_and_capacity(tmp_path):
    out = tmp_path / "run.h5"
    run = afb_models.simulate("AFB_Li_NMC532_Cu", "louli2020", cycles=2, out=out)
    series, cycles = run.series, run.cycles
    for cycle in (1, 2):
        sel = series["cycle"].values == cycle
        steps = series["Step"].values[sel]
        kinds = series["Step kind"].values[sel]
        capacity = series["Step capacity"].values[sel]
        assert list(np.unique(steps)) == [1, 2]
        assert set(kinds[steps == 1]) == {"charge"}
        assert set(kinds[steps == 2]) == {"discharge"}
        for step, name in ((1, "Charge capacity"), (2, "Discharge capacity")):
            c = capacity[steps == step]
            assert c[0] == 0 and np.all(np.diff(c) >= 0)
            # the step's capacity ends at the cycle's (one step each way; both are
            # the same difference of the same states: 1e-12 for rounding)
            expected = float(cycles[name].sel(cycle=cycle))
            assert c[-1] == pytest.approx(expected, rel=1e-12)
    # a reader of the file sees the units and the text
    stored = xr.open_dataset(out, group="series", engine="h5netcdf")
    for name in ("Time", "Current", "Voltage", "Discharge capacity", "Step capacity"):
        assert stored[name].attrs["units"] in {"s", "A", "V", "A.h"}
        assert stored[name].attrs["long_name"].endswith(f"[{stored[name].attrs['units']}]")
    assert list(np.unique(stored["Step kind"].values.astype(str))) == ["charge", "discharge"]
    # the file and the run in memory agree
    np.testing.assert_array_equal(stored["Step kind"].values.astype(str),
                                  series["Step kind"].values)
    assert run.metadata["series_tolerance"] == 1e-3


def test_the_affine_evaluation_equals_casadis(first_plating):
    """Variables affine in time and the states are evaluated with numpy (J [t; y] + c);
    they equal CasADi's evaluation of the same expressions at every output time."""
    from afb_models.observables import SERIES_VARIABLES, SUMMARY_VARIABLES, Evaluator

    captured = []
    original = afb_models.runner.summarise

    def keep_cycle(cycle, *args, **kwargs):
        captured.append(cycle)
        return original(cycle, *args, **kwargs)

    afb_models.runner.summarise = keep_cycle
    try:
        afb_models.simulate("AFB_Li_NMC532_Cu", "louli2020", cycles=1)
    finally:
        afb_models.runner.summarise = original
    for step in captured[0].steps:
        t = np.asarray(step.all_ts[-1])
        for names in (SERIES_VARIABLES, SUMMARY_VARIABLES):
            fast, plain = Evaluator(names), Evaluator(names, affine=False)
            a, b = fast(step, t), plain(step, t)
            assert fast._affine, "the variables are affine: the numpy path was taken"
            for name in names:
                # the same sums in another order: rounding, 1e-12 of the largest value
                scale = max(np.max(np.abs(b[name])), 1e-300)
                assert np.max(np.abs(a[name] - b[name])) <= 1e-12 * scale, name


def test_a_run_file_from_before_the_step_columns_resumes(tmp_path):
    """A run file of afb 0.1.0 before the series had step kinds and capacities (and
    a tolerance): it loads, resumes with the new columns made for it (NaN and "" for
    the points before them), and plots."""
    import gzip
    from pathlib import Path

    from afb_models import plotting

    old = Path(__file__).parent / "data" / "run_file_0.1.0_before_step_kinds.h5.gz"
    path = tmp_path / "old.h5"
    path.write_bytes(gzip.decompress(old.read_bytes()))
    before = afb_models.load(path)
    assert "Step kind" not in before.series and before.cycles.sizes["cycle"] == 2
    assert before.metadata["series_tolerance"] == 1e-3  # the default, not stored
    # (the cell may have changed since the file was made: its layout is the point)
    run = afb_models.resume(path, cycles=4, accept_changed_cell=True)
    assert run.status == "completed" and run.cycles.sizes["cycle"] == 4
    series = run.series
    new = series["cycle"].values > 2
    assert set(series["Step kind"].values[~new]) == {""}
    assert np.isnan(series["Step capacity"].values[~new]).all()
    assert set(series["Step kind"].values[new]) == {"charge", "discharge"}
    assert np.isfinite(series["Step capacity"].values[new]).all()
    # the cycles before are as they were
    np.testing.assert_array_equal(run.cycles["Discharge capacity"].values[:2],
                                  before.cycles["Discharge capacity"].values)
    plotting.plot_run(run, tmp_path / "old.png")
