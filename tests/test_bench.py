"""Benchmark regression: the fast reference cases still match their stored results
(what CI runs), a drift is reported and fails, and an update records its reason."""

import json
import shutil
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


def test_every_case_has_a_reference_with_a_reason():
    for case in bench.load_cases(BENCHMARKS):
        reference = bench.regression.read_reference(BENCHMARKS, case)
        assert reference["history"] and reference["history"][-1]["reason"]
        assert set(case.tolerances) <= set(reference["quantities"])


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
    reference["quantities"]["Average Coulombic efficiency"][0] += 1e-5  # > atol 1e-7
    path.write_text(json.dumps(reference))
    assert main(["bench", "check", "--dir", str(scratch)]) == 1
    out = capsys.readouterr().out
    drift_lines = [line for line in out.splitlines() if "DRIFT" in line]
    assert len(drift_lines) == 1 and "Average Coulombic efficiency" in drift_lines[0]


def test_update_records_why(scratch):
    assert main(["bench", "update", "li_cu_ce", "--dir", str(scratch),
                 "--reason", "test of the update record"]) == 0
    reference = json.loads((scratch / "references" / "li_cu_ce.json").read_text())
    assert reference["history"][-1]["reason"] == "test of the update record"
    assert len(reference["history"]) >= 2  # the earlier records are kept
    assert main(["bench", "check", "--dir", str(scratch)]) == 0


def test_bad_case_and_missing_folder_are_one_line_errors(scratch, tmp_path, capsys):
    assert main(["bench", "check", "no_such_case", "--dir", str(scratch)]) == 2
    assert main(["bench", "check", "--dir", str(tmp_path / "nowhere")]) == 2
    (scratch / "cases" / "broken.toml").write_text('cell = "AFB_Li_Cu"\n')
    assert main(["bench", "check", "--dir", str(scratch)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert all(line.startswith("afb: error:") for line in err)
    assert "broken.toml" in err[-1] and "protocol" in err[-1]


def test_perf_markdown_names_machine_and_targets():
    from afb_models.bench import perf

    results = {
        "machine": perf.machine(),
        "targets": perf.TARGETS,
        "comparisons": [{"comparison": "every mechanism", "cell": "x", "protocol": [],
                         "cycles": 1, "afb [ms/cycle]": 13.0,
                         "PyBaMM [ms/cycle]": 10.0, "ratio": 1.3}],
        "long run": {"cycles": 1000, "long run wall [s]": 90.0, "peak RSS [MB]": 300.0,
                     "file size [MB]": 7.0, "bare solve wall [s]": 85.0,
                     "RSS growth, second half [MB per 1000 cycles]": 10.0,
                     "solve [s]": 80.0, "summary [s]": 2.0, "store [s]": 4.0,
                     "runner overhead": 6.0 / 80.0,
                     "whole-process ratio to bare": 90 / 85},
    }
    text = perf.markdown(results)
    assert results["machine"]["cpu"] in text and "| 1.30 |" in text
    assert perf.failures(results) == ["per-cycle ratio 1.30 > 1.2 (every mechanism, x)"]


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
