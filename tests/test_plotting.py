"""The figures of a run, drawn from a real run: what each shows (axes, lines, scales),
checked against the run's own numbers."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import afb_models  # noqa: E402
from afb_models import plotting  # noqa: E402

F = 96485.33212


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("plots") / "run.h5"
    afb_models.simulate("AFB_Li_NMC532_Cu", "louli2020", cycles=4, out=out)
    return out


@pytest.fixture(scope="module")
def run(run_file):
    return afb_models.load(run_file)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _area_cm2(run):
    p = run.parameters
    return 1e4 * p["Electrode height [m]"] * p["Electrode width [m]"]


def test_voltage_against_capacity_from_zero_by_cycle(run):
    fig = plotting.plot_voltage(run, cycles=[1, 3])
    ax = fig.axes[0]
    lines = ax.get_lines()
    # a charge and a discharge in each of the two cycles (the legend's samples are
    # not drawn lines)
    drawn = [line for line in lines if len(line.get_xdata()) > 1]
    assert len(drawn) == 4
    styles = sorted(line.get_linestyle() for line in drawn)
    assert styles == ["-", "-", "--", "--"]  # discharges solid, charges dashed
    for line in drawn:
        assert line.get_xdata()[0] == 0  # each from zero capacity
    # the discharge of cycle 3 ends at the cycle's discharge capacity [mAh]
    q3 = 1e3 * float(run.cycles["Discharge capacity"].sel(cycle=3))
    ends = sorted(line.get_xdata()[-1] for line in drawn if line.get_linestyle() == "-")
    assert q3 == pytest.approx(ends[0], rel=1e-9) or q3 == pytest.approx(ends[1], rel=1e-9)
    assert ax.get_xlabel() == "Capacity [mAh]" and ax.get_ylabel() == "Voltage [V]"
    # coloured by cycle, with a colour bar
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "Cycle"
    assert drawn[0].get_color() != drawn[-1].get_color()


def test_areal_units(run):
    fig = plotting.plot_voltage(run, cycles=[2], areal=True)
    ax = fig.axes[0]
    assert "cm" in ax.get_xlabel()
    q2 = 1e3 * float(run.cycles["Discharge capacity"].sel(cycle=2)) / _area_cm2(run)
    ends = [line.get_xdata()[-1] for line in ax.get_lines() if line.get_linestyle() == "-"
            and len(line.get_xdata()) > 1]
    assert ends[0] == pytest.approx(q2, rel=1e-9)


def test_default_cycles_are_a_spread():
    assert plotting.default_cycles(np.arange(1, 4)) == [1, 2, 3]
    spread = plotting.default_cycles(np.arange(1, 301))
    assert spread[:2] == [1, 2] and spread[-1] == 300 and len(spread) == 6


def test_unknown_cycles_are_named(run):
    with pytest.raises(ValueError, match=r"cycles \[99\] are not in the run"):
        plotting.plot_voltage(run, cycles=[1, 99])


def test_dqdv_integrates_to_the_capacity(run):
    fig = plotting.plot_dqdv(run, cycles=[3])
    lines = [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) > 2]
    assert len(lines) == 2
    discharge = next(line for line in lines if line.get_linestyle() == "-")
    v, dqdv = discharge.get_xdata(), discharge.get_ydata()
    assert np.all(dqdv >= 0)
    # the area under dQ/dV is the capacity passed over its voltage range: within 2 %
    # of the cycle's discharge capacity (the grid stops up to 5 mV short of each end,
    # and the first and last points of a strip carry a little charge at the
    # steepest voltage)
    area = np.trapezoid(dqdv, v)
    q3 = 1e3 * float(run.cycles["Discharge capacity"].sel(cycle=3))
    assert area == pytest.approx(q3, rel=0.02)
    charge = next(line for line in lines if line.get_linestyle() == "--")
    assert np.all(charge.get_ydata() <= 0)  # charges drawn negative


def test_capacity_and_retention(run):
    fig = plotting.plot_capacity(run)
    ax = fig.axes[0]
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), 1e3 * run.cycles["Discharge capacity"].values)
    retention_axis = [child for child in ax.get_children()
                      if child.__class__.__name__ == "SecondaryAxis"]
    assert len(retention_axis) == 1
    assert retention_axis[0].get_ylabel().startswith("Retention [% of cycle")
    # the retention axis maps the reference cycle's capacity to 100 %
    reference = int(run.metadata["reference_cycle"])
    q_ref = 1e3 * float(run.cycles["Discharge capacity"].sel(cycle=reference))
    forward = retention_axis[0]._functions[0]
    assert forward(q_ref) == pytest.approx(100, rel=1e-9)


def test_ce_axis_shows_99_to_100_percent_and_marks_formation(run):
    fig = plotting.plot_ce(run)
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    assert low <= 99 and high >= 100
    # the formation cycle is marked, the later cycles set the axis
    later = 100 * run.cycles["Coulombic efficiency"].values[1:]
    assert high - low < 2 + np.ptp(later)
    labels = [line.get_label() for line in ax.get_lines()]
    assert "formation cycles" in labels
    formation = ax.get_lines()[labels.index("formation cycles")]
    assert list(formation.get_xdata()) == [1]
    fig = plotting.plot_ce(run, log=True)
    assert fig.axes[0].get_yscale() == "log"


def test_inventory_is_stacked_and_its_top_is_conserved(run):
    fig = plotting.plot_inventory(run)
    ax = fig.axes[0]
    stacks = ax.collections
    labels = [c.get_label() for c in stacks]
    assert labels[:2] == ["cathode", "electrolyte"] and "plated" in labels
    assert {"dead metal", "SEI"} <= set(labels)
    # the top of the stack: the total metal, flat (conservation, 1e-9 relative)
    total = sum(F / 3.6 * run.cycles[name].values
                for name in plotting.INVENTORY_PARTS if name in run.cycles)
    top = stacks[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(total.max(), rel=1e-9)
    assert np.ptp(total) / total.max() < 1e-9


def test_losses_by_mechanism(run):
    fig = plotting.plot_losses(run)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert {"dead metal", "SEI", "corrosion"} <= set(labels)
    assert fig.axes[0].get_yscale() == "log"


def test_plot_run_draws_every_figure(run, tmp_path):
    out = tmp_path / "all.png"
    fig = plotting.plot_run(run, out)
    assert out.stat().st_size > 10_000
    shown = [ax for ax in fig.axes if ax.get_visible() and ax.get_xlabel()]
    assert {ax.get_xlabel() for ax in shown} >= {"Capacity [mAh]", "Voltage [V]", "Cycle"}
    assert len([ax for ax in shown if ax.get_label() != "<colorbar>"]) == 6
    fig = plotting.plot_run(run, figures=("ce",))
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 1


def test_afb_plot_takes_cycles_areal_and_a_figure(run_file, tmp_path):
    out = tmp_path / "v.png"
    result = subprocess.run(
        [sys.executable, "-m", "afb_models.cli", "plot", str(run_file), "--cycles", "1,3",
         "--areal", "--figure", "voltage", "--figure", "dqdv", "-o", str(out)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 5_000
    bad = subprocess.run(
        [sys.executable, "-m", "afb_models.cli", "plot", str(run_file), "--cycles", "7",
         "-o", str(tmp_path / "x.png")], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines()[-1].endswith(
        "cycles [7] are not in the run (it has cycles 1-4)")
    assert not (tmp_path / "x.png").exists()


@pytest.fixture(scope="module")
def li_cu_run():
    return afb_models.simulate("AFB_Li_Cu", "ce_mechanisms", cycles=2)


def test_a_cell_without_a_cathode_gets_its_own_figures(li_cu_run):
    assert not plotting.has_cathode(li_cu_run)
    fig = plotting.plot_run(li_cu_run)
    labels = {ax.get_ylabel() for ax in fig.axes if ax.get_visible()}
    # no dQ/dV of a plating plateau; the charge plated and stripped, not a capacity
    assert not any(label.startswith("dQ/dV") for label in labels)
    assert "Charge [mAh]" in labels and "Coulombic efficiency [%]" in labels
    fig = plotting.plot_capacity(li_cu_run)
    stripped = next(line for line in fig.axes[0].get_lines() if line.get_label() == "stripped")
    np.testing.assert_allclose(stripped.get_ydata(),
                               1e3 * li_cu_run.cycles["Stripped charge"].values)
    # from zero, with room above (a constant charge per cycle must not draw its
    # rounding across the axis)
    low, high = fig.axes[0].get_ylim()
    assert low == 0 and high > stripped.get_ydata().max()
    # the voltage axis is the plating's and stripping's (tens of mV to the 0.5 V
    # cut-off), not the bare collector's open circuit of ~3 V at the first point
    fig = plotting.plot_voltage(li_cu_run)
    low, high = fig.axes[0].get_ylim()
    first = li_cu_run.series["Voltage"].values[0]
    assert first > 2 and high < 1 and low < -0.05


def test_ce_shows_the_metals_own_ce(run):
    fig = plotting.plot_ce(run)
    metal = next(line for line in fig.axes[0].get_lines()
                 if line.get_label().startswith("metal"))
    low, high = fig.axes[0].get_ylim()
    expected = np.clip(100 * run.cycles["Metal Coulombic efficiency"].values, low, high)
    np.testing.assert_allclose(metal.get_ydata(), expected)
