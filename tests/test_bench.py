"""Benchmark regression: the fast reference cases still match their stored results
(what CI runs), a drift is reported (case, quantity, cycle, both values, direction,
the reference's reasons) and fails, a changed option shows in the fingerprint, and an
update records its reason and fingerprint. Performance: the long run is judged by its
ratio to PyBaMM, not by seconds, and perf's child processes import this afb."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from afb_models import bench
from afb_models.cli import main

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_fast_cases_match_their_references(capsys):
    assert main(["bench", "check", "--fast", "--dir", str(BENCHMARKS)]) == 0
    out = capsys.readouterr().out
    assert "DRIFT" not in out
    fast = {case.name for case in bench.load_cases(BENCHMARKS, fast_only=True)}
    assert {"na_liquid", "na_solid_state", "li_cu_ce", "calendar_rest"} <= fast


def test_every_case_has_a_reference_with_a_reason_and_a_fingerprint():
    for case in bench.load_cases(BENCHMARKS):
        reference = bench.regression.read_reference(BENCHMARKS, case)
        assert reference["history"] and reference["history"][-1]["reason"]
        assert set(case.tolerances) <= set(reference["quantities"])
        recorded = reference["fingerprint"]
        current = bench.regression.case_fingerprint(case)
        assert set(recorded) == set(current)
        assert all(len(recorded[key]) == 64 for key in ("parameters", "options", "protocol"))


@pytest.fixture
def scratch(tmp_path):
    """A copy of the benchmarks folder with only the cheapest case."""
    folder = tmp_path / "benchmarks"
    (folder / "cases").mkdir(parents=True)
    (folder / "references").mkdir()
    shutil.copy(BENCHMARKS / "cases" / "li_cu_ce.toml", folder / "cases")
    shutil.copy(BENCHMARKS / "references" / "li_cu_ce.json", folder / "references")
    return folder


def test_a_drift_is_reported_and_fails(scratch, capsys):
    path = scratch / "references" / "li_cu_ce.json"
    reference = json.loads(path.read_text())
    plated = reference["quantities"]["Plated charge [A.h]"]
    new_value = plated[4]  # the run reproduces the stored value
    plated[4] *= 1 + 3e-5  # cycle 5, beyond rtol 1e-6: the new value is lower
    plated[7] *= 1 - 2e-6  # cycle 8: beyond too, but less
    reference["quantities"]["Average Coulombic efficiency"][0] -= 1e-5  # > atol 1e-7
    reference["history"][-1]["reason"] = "the reason recorded for this reference"
    path.write_text(json.dumps(reference))
    assert main(["bench", "check", "--dir", str(scratch)]) == 1
    out, err = capsys.readouterr()
    drift_lines = [line for line in out.splitlines() if "DRIFT" in line]
    assert len(drift_lines) == 2
    plated_line = next(line for line in drift_lines if "Plated charge [A.h]" in line)
    fields = plated_line.split()
    # case, quantity, cycle, reference, new, direction, ..., cycles beyond tolerance
    assert fields[0] == "li_cu_ce" and fields[4] == "5"
    assert float(fields[5]) == pytest.approx(plated[4], rel=1e-11)
    assert float(fields[6]) == pytest.approx(new_value, rel=1e-11)
    assert fields[7] == "lower" and "2 of 13" in plated_line
    ce_line = next(line for line in drift_lines if "Average Coulombic efficiency" in line)
    assert " - " in ce_line and "higher" in ce_line and "1 of 1" in ce_line  # one value
    assert "the reason recorded for this reference" in out
    assert "drift in li_cu_ce" in err


def test_a_changed_option_shows_in_the_fingerprint(scratch, capsys):
    case = scratch / "cases" / "li_cu_ce.toml"
    case.write_text(case.read_text().replace(
        'options = "calibrated"', 'options = { "SEI" = "none" }'))
    assert main(["bench", "check", "--dir", str(scratch)]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "fingerprint differs" in line)
    assert line.startswith("li_cu_ce:")
    assert "'SEI' reaction limited -> none" in line and "likely cause" in line


def test_the_fingerprint_tells_a_changed_parameter_from_a_new_version(scratch):
    case = bench.load_cases(scratch)[0]
    recorded = bench.regression.case_fingerprint(case)
    assert bench.regression.case_fingerprint(case) == recorded  # stable
    cell = scratch / "cell.toml"
    cell.write_text('base = "AFB_Li_Cu"\n[parameters]\n"Separator thickness [m]" = 2.1e-5\n')
    (scratch / "cases" / "li_cu_ce.toml").write_text(
        case.path.read_text().replace('cell = "AFB_Li_Cu"', f'cell = "{cell.as_posix()}"'))
    changed = bench.regression.case_fingerprint(bench.load_cases(scratch)[0])
    assert changed["parameters"] != recorded["parameters"]
    assert changed["options"] == recorded["options"]
    line = bench.regression.fingerprint_change("li_cu_ce", recorded, changed, drifted=True)
    assert "parameters" in line and "likely cause of its drift" in line
    newer = dict(recorded, afb="9.9.9")
    line = bench.regression.fingerprint_change("li_cu_ce", recorded, newer, drifted=False)
    assert "afb " + recorded["afb"] + " -> 9.9.9" in line and "versions only" in line
    assert bench.regression.fingerprint_change("li_cu_ce", recorded, recorded, False) is None


def test_update_records_why(scratch, capsys):
    path = scratch / "references" / "li_cu_ce.json"
    reference = json.loads(path.read_text())
    del reference["fingerprint"]  # as made before fingerprints
    path.write_text(json.dumps(reference))
    assert main(["bench", "update", "li_cu_ce", "--dir", str(scratch),
                 "--reason", "test of the update record"]) == 0
    reference = json.loads(path.read_text())
    assert reference["history"][-1]["reason"] == "test of the update record"
    assert len(reference["history"]) >= 2  # the earlier records are kept
    case = bench.load_cases(scratch)[0]
    assert reference["fingerprint"] == bench.regression.case_fingerprint(case)
    capsys.readouterr()
    assert main(["bench", "check", "--dir", str(scratch)]) == 0
    assert "fingerprint" not in capsys.readouterr().out


def test_bad_case_and_missing_folder_are_one_line_errors(scratch, tmp_path, capsys):
    assert main(["bench", "check", "no_such_case", "--dir", str(scratch)]) == 2
    assert main(["bench", "check", "--dir", str(tmp_path / "nowhere")]) == 2
    (scratch / "cases" / "broken.toml").write_text('cell = "AFB_Li_Cu"\n')
    assert main(["bench", "check", "--dir", str(scratch)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert all(line.startswith("afb: error:") for line in err)
    assert "broken.toml" in err[-1] and "protocol" in err[-1]


def _perf_results(long_run_wall=90.0, pybamm_ms=45.0, cycles=1000, ratio=1.3):
    from afb_models.bench import perf

    afb_ms = 1e3 * long_run_wall / cycles
    return {
        "machine": perf.machine(),
        "targets": perf.TARGETS,
        "comparisons": [{"comparison": "every mechanism", "cell": "x", "protocol": [],
                         "cycles": 1, "afb [ms/cycle]": 13.0,
                         "PyBaMM [ms/cycle]": 10.0, "ratio": ratio}],
        "long run": {"cycles": cycles, "long run wall [s]": long_run_wall,
                     "afb [ms/cycle]": afb_ms, "PyBaMM [ms/cycle]": pybamm_ms,
                     "PyBaMM cycles": 100, "long run ratio": afb_ms / pybamm_ms,
                     "peak RSS [MB]": 300.0,
                     "file size [MB]": 7.0, "bare solve wall [s]": 85.0,
                     "RSS growth, second half [MB per 1000 cycles]": 10.0,
                     "solve [s]": 80.0, "summary [s]": 2.0, "store [s]": 4.0,
                     "runner overhead": 6.0 / 80.0,
                     "whole-process ratio to bare": 90 / 85},
    }


def test_perf_markdown_names_machine_and_targets():
    from afb_models.bench import perf

    results = _perf_results()
    text = perf.markdown(results)
    assert results["machine"]["cpu"] in text and "| 1.30 |" in text
    assert f"| ratio | 2.00 | <= {perf.TARGETS['long run ratio']} |" in text
    assert "long run wall [s]" not in perf.TARGETS
    assert perf.failures(results) == ["per-cycle ratio 1.30 > 1.2 (every mechanism, x)"]


def test_the_long_run_is_judged_by_its_ratio_to_pybamm_not_by_seconds():
    from afb_models.bench import perf

    target = perf.TARGETS["long run ratio"]
    pybamm_ms = 50.0
    at_target = 1000 * target * pybamm_ms / 1e3  # [s] for 1000 cycles
    fast = _perf_results(0.9 * at_target, pybamm_ms, ratio=1.0)
    assert perf.failures(fast) == []
    # a machine twice as slow for both: twice the seconds, the same ratio
    slow = _perf_results(2 * 0.9 * at_target, 2 * pybamm_ms, ratio=1.0)
    assert perf.failures(slow) == []
    # the seconds of the fast machine, but PyBaMM twice as fast on it: afb is slower
    worse = _perf_results(0.9 * at_target, pybamm_ms / 2, ratio=1.0)
    assert len(perf.failures(worse)) == 1 and "long run ratio" in perf.failures(worse)[0]
    # a shorter run weighs its start-up more: its ratio is reported, not judged
    short = _perf_results(0.2 * at_target, pybamm_ms / 2, cycles=100, ratio=1.0)
    assert perf.failures(short) == []
    assert "(set for 1000 cycles)" in perf.markdown(short)


def test_perf_children_import_this_afb_from_a_source_tree(tmp_path):
    """A child started as `afb bench perf` starts it imports the afb its parent
    imported: here a copy of the source tree, which the parent imported from a
    folder it then left, whether or not afb is also installed (the child would
    otherwise find the installed one, or none)."""
    root = Path(__file__).resolve().parent.parent  # the repository
    tree = tmp_path / "tree"
    for name in ("afb_models", "parameter_sets", "experiments"):
        shutil.copytree(root / name, tree / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    parent = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(tree)!r})\n"
        "import afb_models\n"
        f"os.chdir({str(elsewhere)!r})\n"
        "from afb_models.bench import perf\n"
        "printed = []\n"
        "perf._child(['-c', 'import afb_models; print(afb_models.__file__)'], printed)\n"
        "print(afb_models.__file__)\n"
        "print(printed[-1])\n"
    )
    result = subprocess.run([sys.executable, "-c", parent], capture_output=True, text=True,
                            timeout=120, cwd=elsewhere, check=False)
    assert result.returncode == 0, result.stderr
    parent_file, child_file = result.stdout.strip().splitlines()[-2:]
    assert Path(parent_file).resolve().is_relative_to(tree)
    assert Path(child_file).resolve() == Path(parent_file).resolve()


def test_rss_trend_finds_a_leak_not_a_one_off_build():
    from afb_models.bench import perf

    t = np.linspace(0, 100, 401)  # a 1000-cycle run sampled every 0.25 s
    noise = 20 * np.sin(7 * t)  # cycle-to-cycle swings of a few tens of MB
    step = np.where(t > 30, 40.0, 0.0)  # a fallback solver built a third of the way in
    flat = list(zip(t, 300 + noise + step))
    leaking = list(zip(t, 300 + noise + step + 0.5 * t))  # 0.5 MB/s: 50 MB per 1000
    assert abs(perf.rss_trend(flat, 1000)) < 5
    assert perf.rss_trend(leaking, 1000) == pytest.approx(50, abs=5)
    assert perf.rss_trend(flat[:4], 1000) is None


def test_perf_and_fit_each_keep_the_others_section_of_the_results(tmp_path):
    from afb_models.bench.results_file import write_section

    path = tmp_path / "RESULTS.md"
    # a file written before sections existed: its body is the perf section
    path.write_text("# Benchmark results\n\nWritten by `afb bench perf`.\n\nold perf table\n")
    write_section(path, "fit", "fit table\n")
    text = path.read_text()
    assert "old perf table" in text and "fit table" in text
    assert text.index("old perf table") < text.index("fit table")
    write_section(path, "perf", "new perf table\n")
    text = path.read_text()
    assert "new perf table" in text and "fit table" in text and "old perf" not in text
    assert text.count("# Benchmark results") == 1
