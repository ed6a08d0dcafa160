"""afb logs through logging.getLogger("afb"); as a library it prints nothing and
leaves PyBaMM's logger and the process's standard error alone; the command line shows
its log on standard error."""

import logging
import subprocess
import sys
import textwrap

import pybamm

import afb_models

#: a strip that the first cycle skips (a Li||Cu cell has nothing plated yet): the
#: runner reports it as a warning of the "afb" logger
SKIPPING = textwrap.dedent("""
    name = "skips"
    description = "A strip with nothing to strip, then a plating."
    [[block]]
    name = "cycling"
    repeat = 2
    steps = ["Charge at 0.5 mA cm-2 until upper cut-off", "Rest for 1 minute",
             "Discharge at 0.5 mA cm-2 for 0.5 mAh cm-2"]
""")


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_pybamms_logger_is_left_as_the_user_set_it(monkeypatch):
    """PyBaMM's experiment log of each solve goes to "afb.solver", not to PyBaMM's
    logger, whose level afb never changes (not even while a failed attempt is
    retried)."""
    records = _Records()
    level = pybamm.logger.level
    pybamm.logger.addHandler(records)
    pybamm.logger.setLevel(logging.DEBUG)  # the user wants everything PyBaMM says
    original = pybamm.Simulation.solve
    seen_levels, calls = [], {"n": 0}

    def failing_once(self, *args, **kwargs):
        calls["n"] += 1
        seen_levels.append(pybamm.logger.level)
        if calls["n"] == 2:  # cycle 2, mended by the first fallback
            raise pybamm.SolverError("IDA_ERR_FAIL: test failure")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pybamm.Simulation, "solve", failing_once)
    try:
        run = afb_models.simulate("AFB_Li_Cu", SKIPPING, cycles=2)
    finally:
        pybamm.logger.removeHandler(records)
        after = pybamm.logger.level
        pybamm.logger.setLevel(level)
    assert list(run.cycles["Solver tolerance level"].values) == [0, 1]
    assert seen_levels == [logging.DEBUG] * 3 and after == logging.DEBUG
    # PyBaMM's per-step and per-cycle notices ("Cycle 1/1, step 1/3: ...") were
    # not sent to its logger
    experiment = [r.getMessage() for r in records.records
                  if r.getMessage().startswith(("Cycle ", "Start running experiment",
                                                "Finish experiment", "Simulation error"))]
    assert experiment == []


def test_a_library_prints_nothing_and_the_command_line_shows_its_log(tmp_path):
    protocol = tmp_path / "skips.toml"
    protocol.write_text(SKIPPING)
    # no logging configured by the caller: Python would print a warning of a
    # logger without handlers ("last resort"); afb's null handler keeps it quiet
    library = subprocess.run(
        [sys.executable, "-c",
         f"import afb_models; afb_models.simulate('AFB_Li_Cu', {str(protocol)!r}, cycles=2)"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert library.returncode == 0, library.stderr
    assert library.stderr == ""
    # with logging configured, the same warning is there to read
    configured = subprocess.run(
        [sys.executable, "-c",
         "import logging; logging.basicConfig(); import afb_models; "
         f"afb_models.simulate('AFB_Li_Cu', {str(protocol)!r}, cycles=2)"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert "WARNING:afb:" in configured.stderr and "skipped" in configured.stderr
    command = subprocess.run(
        [sys.executable, "-m", "afb_models.cli", "run", str(protocol), "--cell",
         "AFB_Li_Cu", "--cycles", "2"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert command.returncode == 0, command.stderr
    lines = [line for line in command.stderr.splitlines() if "skipped" in line]
    assert len(lines) == 1
    assert lines[0].startswith("afb: ") and "cycle 1: step 'Charge at 0.5 mA cm-2 until " \
        "upper cut-off' skipped" in lines[0] and "the cell at its initial state" in lines[0]
