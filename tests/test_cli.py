"""The afb command line: help, the main job, and one-line errors."""

import subprocess
import sys


import pytest


@pytest.fixture(autouse=True)
def elsewhere(tmp_path, monkeypatch):
    """Run from an unrelated directory: the installed package must work anywhere."""
    monkeypatch.chdir(tmp_path)


def afb(*args):
    return subprocess.run(
        [sys.executable, "-m", "afb_models.cli", *args],
        capture_output=True, text=True, timeout=600,
    )


def test_help_lists_the_commands():
    result = afb("--help")
    assert result.returncode == 0
    for command in ("run", "cells", "protocols"):
        assert command in result.stdout
    run_help = afb("run", "--help")
    assert run_help.returncode == 0 and "--cell" in run_help.stdout


def test_run_prints_a_table_per_cycle():
    result = afb("run", "--cycles", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "charge [mAh]" in lines[1] and "CE [%]" in lines[1]
    rows = [line.split() for line in lines[2:]]
    assert [row[0] for row in rows] == ["1", "2", "3"]
    charge, discharge, ce = (float(x) for x in rows[2][1:4])
    assert ce == pytest.approx(100 * discharge / charge, abs=1e-3)


def test_unknown_cell_is_one_line_and_exit_2():
    result = afb("run", "--cell", "AFB_Li_graphite", "--cycles", "1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "AFB_Li_graphite" in result.stderr
