"""Runs streamed to HDF5: the layout opens in xarray, a killed run keeps its finished
cycles and resumes to the same results, a solver failure keeps what came before it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pybamm
import pytest
import xarray as xr

import afb_models
from afb_models import cli
from afb_models.protocols import parse_protocol
from afb_models.runner import Runner, SolverFailure

DATA = Path(__file__).parent / "data"
SHORT = DATA / "short.toml"  # 8 cycles


def afb(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "afb_models.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=600,
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run of the short protocol on a cell file with a --set."""
    folder = tmp_path_factory.mktemp("reference")
    out = folder / "reference.h5"
    result = afb("run", SHORT, "--cell", DATA / "good_cell.toml",
                 "--set", "Positive electrode thickness [m]=45e-6", "--out", out,
                 cwd=folder)
    assert result.returncode == 0, result.stderr
    return out


def test_layout_opens_in_xarray_with_units_and_metadata(reference):
    cycles = xr.open_dataset(reference, group="cycles", engine="h5netcdf")
    assert list(cycles["cycle"].values) == list(range(1, 9))
    assert cycles["Discharge capacity"].attrs["units"] == "A.h"
    assert cycles["Total metal"].attrs["units"] == "mol"
    for name in ["Charge capacity", "Coulombic efficiency", "Discharge energy",
                 "Mean discharge voltage", "Metal in positive electrode",
                 "Metal in electrolyte", "Plated metal", "Dead metal", "Metal in SEI",
                 "Corroded metal", "Dead metal loss", "SEI loss", "Corrosion loss"]:
        assert name in cycles
    series = xr.open_dataset(reference, group="series", engine="h5netcdf")
    assert series["Voltage"].attrs["units"] == "V"
    assert set(np.unique(series["cycle"].values)) == set(range(1, 9))

    run = afb_models.load(reference)
    assert run.status == "completed"
    meta = run.metadata
    assert meta["start_time"] and meta["end_time"]
    assert meta["afb_version"] == afb_models.__version__
    assert meta["pybamm_version"] == pybamm.__version__
    assert "Charge at C/2 until 4.5 V" in meta["protocol"]
    assert run.options["SEI"] == "reaction limited"
    assert run.parameters["Separator thickness [m]"] == pytest.approx(16e-6)  # cell file
    assert run.parameters["Positive electrode thickness [m]"] == pytest.approx(45e-6)
    assert run.parameters["Substrate nucleation overpotential [V]"] == 0.0  # Au-coated


def _cycles_in(path):
    try:
        return afb_models.load(path).cycles.sizes.get("cycle", 0)
    except Exception:  # being written, or not created yet
        return 0


def test_sigkill_keeps_finished_cycles_and_resume_matches(reference, tmp_path):
    out = tmp_path / "killed.h5"
    process = subprocess.Popen(
        [sys.executable, "-m", "afb_models.cli", "run", str(SHORT),
         "--cell", str(DATA / "good_cell.toml"),
         "--set", "Positive electrode thickness [m]=45e-6", "--out", str(out)],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 300
    while _cycles_in(out) < 3 and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    killed = afb_models.load(out)  # the file opens
    finished = killed.cycles.sizes["cycle"]
    assert 3 <= finished < 8
    assert killed.status == "running"
    assert list(killed.cycles["cycle"].values) == list(range(1, finished + 1))

    result = afb("run", "--resume", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    resumed = afb_models.load(out)
    expected = afb_models.load(reference)
    assert resumed.status == "completed"
    assert list(resumed.cycles["cycle"].values) == list(range(1, 9))
    scale = float(expected.cycles["Charge capacity"].max())
    for name, values in expected.cycles.data_vars.items():
        if values.dtype.kind != "f":
            continue
        got = resumed.cycles[name].values
        # 1e-6 relative; quantities that are small differences of large ones (a
        # cycle's change of the electrolyte's metal, ~1e-8 A.h) against 1e-6 of the
        # cycle's capacity
        atol = 1e-6 * scale if name.endswith(("change", "loss")) else 0
        np.testing.assert_allclose(got, values.values, rtol=1e-6, atol=atol, err_msg=name)


def test_solver_failure_keeps_earlier_cycles(tmp_path, monkeypatch, capsys):
    calls = {"n": 0}
    original = pybamm.Simulation.solve

    def failing_solve(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] >= 3:  # cycle 3 fails, with every fallback tolerance too
            raise pybamm.SolverError("IDA_CONV_FAIL: test failure")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pybamm.Simulation, "solve", failing_solve)
    out = tmp_path / "failed.h5"
    status = cli.main(["run", str(SHORT), "--out", str(out)])
    assert status == cli.SOLVER_FAILED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cycle 3" in err
    run = afb_models.load(out)
    assert list(run.cycles["cycle"].values) == [1, 2]
    assert run.status.startswith("stopped: cycle 3: solver failed")


def test_resume_keeps_the_series_resolution_of_the_run(tmp_path, monkeypatch):
    original = pybamm.Simulation.solve
    calls = {"n": 0}

    def failing_solve(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] >= 3:  # cycle 3 fails, with every fallback tolerance too
            raise pybamm.SolverError("IDA_CONV_FAIL: test failure")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pybamm.Simulation, "solve", failing_solve)
    out = tmp_path / "coarse.h5"
    assert cli.main(["run", str(SHORT), "--out", str(out), "--series-points", "3"]) == (
        cli.SOLVER_FAILED
    )
    monkeypatch.undo()
    assert cli.main(["run", "--resume", str(out)]) == 0  # without --series-points
    run = afb_models.load(out)
    assert run.status == "completed" and run.metadata["series_points"] == 3
    points = np.bincount(run.series["cycle"].values.astype(int))[1:]
    # 3 points per step in every cycle, before (1, 2) and after the resume (3-8):
    # the formation cycle has 2 steps, the others 3
    assert list(points) == [6] + [9] * 7


def test_series_points_below_one_is_a_usage_error(tmp_path, capsys):
    out = tmp_path / "never.h5"
    assert cli.main(["run", str(SHORT), "--out", str(out), "--series-points", "0"]) == 2
    assert "--series-points must be at least 1" in capsys.readouterr().err
    assert not out.exists()


def test_a_cycle_the_default_solver_fails_is_solved_with_a_fallback(
    tmp_path, monkeypatch, li_cell
):
    calls = {"n": 0}
    original = pybamm.Simulation.solve

    def failing_once(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise pybamm.SolverError("IDA_ERR_FAIL: test failure")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pybamm.Simulation, "solve", failing_once)
    protocol = parse_protocol(SHORT.read_text(), str(SHORT), li_cell).with_cycles(4)
    runner = Runner(protocol, li_cell)
    runner.RETRY_DEFAULT_EVERY = 2
    results = [r.summary for r in runner.cycles()]
    # cycle 2 needs the first fallback; cycle 3 starts with it; cycle 4, two cycles
    # after the failure, tries the default again
    assert [r["Solver tolerance level"] for r in results] == [0, 1, 1, 0]
    assert calls["n"] == 5  # one failed solve, not one per cycle


def test_a_mended_failure_prints_nothing_a_final_one_does(monkeypatch, capfd, li_cell):
    # SUNDIALS writes its messages from C straight to the process's stderr
    original = pybamm.Simulation.solve
    calls = {"n": 0}

    def failing_from_c(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] in (2, 4, 5, 6):  # cycle 2: mended; cycle 3: every attempt fails
            os.write(2, f"[IDAS ERROR] call {calls['n']}\n".encode())
            raise pybamm.SolverError("IDA_ERR_FAIL: test failure")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pybamm.Simulation, "solve", failing_from_c)
    protocol = parse_protocol(SHORT.read_text(), str(SHORT), li_cell).with_cycles(3)
    runner = Runner(protocol, li_cell)
    runner.RETRY_DEFAULT_EVERY = 1
    runner.silence_stderr = True  # what the command line asks for (process_wide)
    solved = []
    with pytest.raises(SolverFailure):
        for result in runner.cycles():
            solved.append(result.summary["Solver tolerance level"])
    assert solved == [0, 1]
    err = capfd.readouterr().err
    # the failures a fallback mended (calls 2, 4, 5) are silent; the last attempt's
    # failure (call 6) is the user's to read
    assert "[IDAS ERROR]" in err and err.count("[IDAS ERROR]") == 1
    assert "call 6" in err


def test_a_library_call_leaves_standard_error_alone(monkeypatch, capfd, li_cell):
    original = pybamm.Simulation.solve
    calls = {"n": 0}

    def failing_from_c(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # cycle 2, mended by the first fallback
            os.write(2, b"[IDAS ERROR] call 2\n")
            raise pybamm.SolverError("IDA_ERR_FAIL: test failure")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pybamm.Simulation, "solve", failing_from_c)
    protocol = parse_protocol(SHORT.read_text(), str(SHORT), li_cell).with_cycles(2)
    run = afb_models.simulate(li_cell, protocol)
    assert list(run.cycles["Solver tolerance level"].values) == [0, 1]
    assert "call 2" in capfd.readouterr().err  # no process-wide redirection


def test_progress_bar_only_on_a_terminal(tmp_path, monkeypatch, capsys):
    assert not cli._progress_wanted()  # pytest's stderr is not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli._progress_wanted()


def test_show_and_plot(reference, tmp_path):
    shown = afb("show", reference, cwd=tmp_path)
    assert shown.returncode == 0
    assert "completed" in shown.stdout and len(shown.stdout.splitlines()) == 3 + 8
    png = tmp_path / "run.png"
    plotted = afb("plot", reference, "-o", png, cwd=tmp_path)
    assert plotted.returncode == 0, plotted.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _protocol(text, values):
    return parse_protocol(text, "test.toml", values)


def test_terminations(li_cell):
    full = """
    [[block]]
    repeat = 5
    steps = ["Charge at C/2 until 4.5 V", "Discharge at C/2 until 2.5 V"]
    [termination]
    metal_exhausted = true
    """
    runner = Runner(_protocol(full, li_cell), li_cell)
    results = list(runner.cycles())
    # an anode-free cell empties its deposit on every full discharge: no reservoir
    # is used up, and the run goes on (a reservoir's end: test_shipped_protocols.py)
    assert [r.cycle for r in results] == [1, 2, 3, 4, 5]
    assert all(r.summary["Metal exhausted"] == 1.0 for r in results)
    assert runner.stop_reason is None

    timed = """
    [[block]]
    repeat = 5
    steps = ["Charge at C/2 until 4.5 V", "Discharge at C/2 until 3.6 V"]
    [termination]
    max_time = "5 hours"
    """
    runner = Runner(_protocol(timed, li_cell), li_cell)
    results = [r.summary["Time [s]"] for r in runner.cycles()]
    assert results[-1] >= 5 * 3600 > results[-2]
    assert runner.stop_reason == "maximum time reached"
