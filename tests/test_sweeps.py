"""Sweeps (afb_models.sweeps, afb sweep): a Dask LocalCluster gives what a serial run
gives; a killed sweep resumes without redoing a finished case; a failing case is
reported and the others finish; one labelled result; one-line errors before anything
runs."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import afb_models
from afb_models import cli
from afb_models.sweeps import load_study, load_sweep, sweep

SHORT = Path(__file__).parent / "data" / "short.toml"
CELL = "AFB_Li_NMC532_Cu"
GRID = {"np_ratio": [0, 0.2], "Separator thickness [m]": [1.2e-5, 2.5e-5]}

#: what a study file varies, with a protocol placeholder
PROTOCOL = SHORT.read_text().replace('"Discharge at 1C until 3.6 V"',
                                     '"Discharge at {rate} until 3.6 V"')


def assert_same(a, b, rtol=1e-9):
    """Per-cycle values of two sweeps: the same cases solved the same way, in other
    processes (measured: bit-identical)."""
    assert list(a["status"].values.ravel()) == list(b["status"].values.ravel())
    for name in ("Discharge capacity", "Charge capacity", "Coulombic efficiency",
                 "Metal loss", "Total metal", "Time"):
        np.testing.assert_allclose(a[name].values, b[name].values, rtol=rtol, err_msg=name)


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    return sweep(CELL, SHORT, grid=GRID, cycles=2, workers=1, out=out)


# (slow: ~40 s with the cluster's start; the default suite keeps the local pool's
# test, and benchmarks/ the cluster's speed-up)
@pytest.mark.slow
def test_a_dask_cluster_gives_what_a_serial_run_gives(serial, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        on_dask = sweep(CELL, SHORT, grid=GRID, cycles=2, scheduler=cluster.scheduler_address,
                        out=tmp_path / "dask")
    assert_same(on_dask, serial)
    # a grid: one dimension per varied quantity
    assert on_dask["Discharge capacity"].dims == ("np_ratio", "Separator thickness [m]",
                                                  "cycle")
    assert list(on_dask["np_ratio"].values) == [0, 0.2]
    assert (on_dask["status"] == "completed").all()
    # the reservoir is there: more metal at the end of each cycle
    plated = on_dask["Plated metal"].isel(cycle=-1)
    assert (plated.sel(np_ratio=0.2) > plated.sel(np_ratio=0)).all()


def test_a_local_pool_gives_the_same(serial, tmp_path):
    pooled = sweep(CELL, SHORT, grid=GRID, cycles=2, workers=2, out=tmp_path / "pool")
    assert_same(pooled, serial)
    assert_same(load_sweep(tmp_path / "pool"), serial)


def _study(tmp_path, body, name="study.toml"):
    (tmp_path / "protocol.toml").write_text(PROTOCOL)
    path = tmp_path / name
    path.write_text(f'cell = "{CELL}"\nprotocol = "protocol.toml"\n' + body)
    return path


def test_a_killed_sweep_resumes_without_redoing_a_finished_case(tmp_path):
    study = _study(tmp_path, 'cycles = 4\n[[cases]]\nrate = "1C"\n[[cases]]\nrate = "C/2"\n'
                             '[[cases]]\nrate = "2C"\n')
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "afb_models.cli", "sweep", str(study), "--out", str(out),
         "--workers", "1"], cwd=tmp_path, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    first = out / "case_0001.h5"
    second = out / "case_0002.h5"
    deadline = time.time() + 300
    try:
        # killed once the first case has finished and the second has cycles
        while time.time() < deadline and process.poll() is None:
            if second.exists() and afb_models.load(second).cycles.sizes["cycle"] >= 1:
                break
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert afb_models.load(first).status == "completed"
    killed = afb_models.load(second)
    assert killed.status == "running" and killed.cycles.sizes["cycle"] < 4
    stamp = first.stat().st_mtime_ns

    assert cli.main(["sweep", str(study), "--out", str(out), "--workers", "1"]) == 0
    assert first.stat().st_mtime_ns == stamp  # not run again
    resumed = load_sweep(out)
    assert list(resumed["status"].values) == ["completed"] * 3
    # the resumed case ends as an uninterrupted run of it does
    alone = afb_models.simulate(CELL, PROTOCOL.replace("{rate}", "C/2"), cycles=4)
    np.testing.assert_allclose(resumed["Discharge capacity"].isel(case=1).values,
                               alone.cycles["Discharge capacity"].values, rtol=1e-6)


def test_a_failing_case_is_reported_and_the_others_finish(tmp_path, capsys):
    # 1000 Ohm m2 at the interface: no step can start (the solver fails on the
    # first cycle: every step is beyond the cut-offs at its initial conditions)
    study = _study(tmp_path, 'cycles = 2\n[grid]\n"Negative interface resistance [Ohm.m2]" = '
                             '[1e-4, 1e3, 2e-4]\nrate = ["1C"]\n')
    assert cli.main(["sweep", str(study), "--out", str(tmp_path / "out"),
                     "--workers", "2"]) == 1
    err = capsys.readouterr().err
    assert "case 2: stopped: cycle 1: solver failed" in err
    ds = load_sweep(tmp_path / "out")
    status = ds["status"].sel(rate="1C").values
    assert status[0] == "completed" and status[2] == "completed"
    assert status[1].startswith("stopped: cycle 1: solver failed")
    # the table and the figure take it
    assert cli.main(["show", str(tmp_path / "out")]) == 0
    table = capsys.readouterr().out
    assert "stopped: cycle 1: solver failed" in table and table.count("completed") == 2
    assert cli.main(["plot", str(tmp_path / "out"), "-o", str(tmp_path / "s.png"),
                     "--merit", "Mean CE", "--against",
                     "Negative interface resistance [Ohm.m2]"]) == 0
    assert (tmp_path / "s.png").stat().st_size > 10_000
    assert cli.main(["plot", str(tmp_path / "out"), "--merit", "Beauty"]) == 2
    assert "not a figure of merit" in capsys.readouterr().err
    # running again does not retry what the solver cannot do
    assert cli.main(["sweep", str(study), "--out", str(tmp_path / "out")]) == 1
    assert "(3 already done)" in capsys.readouterr().out


def test_a_latin_hypercube_sample_is_reproducible_and_spans_its_ranges(tmp_path):
    body = ('[sample]\nn = 6\nseed = 7\n[sample.ranges]\n'
            '"SEI reaction exchange current density [A.m-2]" = [1e-8, 1e-6, "log"]\n'
            'np_ratio = [0, 0.5]\n')
    a, b = load_study(_study(tmp_path, body)), load_study(_study(tmp_path, body, "b.toml"))
    assert a.cases == b.cases and len(a.cases) == 6
    rates = np.log10([c["SEI reaction exchange current density [A.m-2]"] for c in a.cases])
    # a Latin hypercube: one point in each sixth of each range
    assert sorted(np.floor((rates + 8) / 2 * 6).astype(int)) == list(range(6))
    ratios = [c["np_ratio"] for c in a.cases]
    assert sorted(np.floor(np.array(ratios) / 0.5 * 6).astype(int)) == list(range(6))


@pytest.mark.parametrize("body, match", [
    ('[grid]\n"Bogus [m]" = [1, 2]\nrate = ["1C"]\n', "'Bogus [m]': not a parameter"),
    ('[grid]\n"Separator thickness [m]" = [2e-5, -1e-5]\nrate = ["1C"]\n',
     "case 2"),
    ('[grid]\nnp_ratio = [0.1, -0.2]\nrate = ["1C"]\n', "np_ratio: a finite number >= 0"),
    ('[grid]\nsubstrate = ["bare Cu", "Pt-coated Cu"]\nrate = ["1C"]\n',
     "substrate: unknown for Li: 'Pt-coated Cu'"),
    ('[grid]\n"option:SEI" = ["none", "magic"]\nrate = ["1C"]\n', "magic"),
    ('[grid]\nrate = ["1C", "-1C"]\n', "case 2 (rate=-1C)"),
    ('[grid]\nnp_ratio = [0.1]\n', "{rate} has no value"),
    ('[grid]\nrate = ["1C"]\n[sample]\nn = 2\nseed = 1\n', "exactly one of cases, grid or sample"),
    ('[sample]\nn = 2\n[sample.ranges]\nnp_ratio = [0, 1]\n', "integer 'seed'"),
    ('color = "red"\n[grid]\nrate = ["1C"]\n', "unknown key 'color'"),
], ids=["unknown name", "negative thickness", "negative N/P", "unknown substrate",
        "unknown option value", "negative rate", "placeholder without value", "two kinds",
        "sample without seed", "unknown key"])
def test_a_bad_study_is_a_one_line_error_before_anything_runs(tmp_path, capsys, body, match):
    study = _study(tmp_path, body)
    assert cli.main(["sweep", str(study), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and match in err and "study.toml" in err, err
    assert not (tmp_path / "out" / "case_0001.h5").exists()


def test_another_sweep_in_the_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    first = _study(tmp_path, 'cycles = 1\n[grid]\nrate = ["1C"]\n')
    assert cli.main(["sweep", str(first), "--out", str(out)]) == 0
    other = _study(tmp_path, 'cycles = 1\n[grid]\nrate = ["2C"]\n', "other.toml")
    assert cli.main(["sweep", str(other), "--out", str(out)]) == 2
    assert "holds another sweep" in capsys.readouterr().err
    assert json.loads((out / "sweep.json").read_text())["cases"][0]["values"] == {"rate": "1C"}


def test_the_shipped_study_file_reads_and_its_cases_build(tmp_path):
    from afb_models.sweeps import build_case

    from afb_models.sweeps import shipped_studies

    assert shipped_studies() == ["np_ratio_rate"]
    study = load_study("np_ratio_rate")  # by name
    assert study.where.endswith("np_ratio_rate.toml")
    assert study.kind == "grid" and len(study.cases) == 8
    assert set(study.varied) == {"np_ratio", "strip_rate"}
    for i, case in enumerate(study.cases):
        build_case(study, i, case, tmp_path)


def test_a_list_of_cases_is_labelled_by_what_each_case_sets(tmp_path):
    ds = sweep(CELL, SHORT, cases=[{"np_ratio": 0.1}, {"substrate": "Au-coated Cu"}],
               cycles=1, workers=1, out=tmp_path / "cases")
    assert ds["Discharge capacity"].dims == ("case", "cycle")
    # a quantity a case does not set: NaN for a number, "" for a name
    np.testing.assert_array_equal(ds["np_ratio"].values, [0.1, np.nan])
    assert list(ds["substrate"].values) == ["", "Au-coated Cu"]
    assert list(ds["label"].values) == ["np_ratio=0.1", "substrate=Au-coated Cu"]
    assert (ds["status"] == "completed").all()
