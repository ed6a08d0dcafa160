"""Broken protocol and cell files: one line naming the file and the key, exit status 2,
and no output file left behind."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import afb_models
from conftest import as_a_user

BAD = Path(__file__).parent / "bad_inputs"

CASES = [
    # (protocol, cell, words the message must contain)
    (BAD / "unknown_step.toml", None, ["unknown_step.toml:6:", "Relax for 1 hour"]),
    (BAD / "wrong_unit_step.toml", None, ["wrong_unit_step.toml:5:", "1 mA m-2"]),
    (BAD / "wrong_type_protocol.toml", None, ["wrong_type_protocol.toml:4:", "repeat"]),
    (None, BAD / "negative_thickness.toml",
     ["negative_thickness.toml:4:", "Separator thickness [m]", "negative"]),
    (None, BAD / "unknown_parameter.toml",
     ["unknown_parameter.toml:4:", "Separator tortuosity", "unknown parameter"]),
    (None, BAD / "wrong_unit_parameter.toml",
     ["wrong_unit_parameter.toml:4:", "Separator thickness [um]", "Separator thickness [m]"]),
    (None, BAD / "wrong_type_parameter.toml",
     ["wrong_type_parameter.toml:4:", "Separator thickness [m]", "number"]),
    (BAD / "missing.toml", None, ["missing.toml", "no such protocol file"]),
    (None, BAD / "missing.toml", ["missing.toml", "no such cell file"]),
]


@pytest.mark.parametrize("protocol,cell,words", CASES,
                         ids=[(p or c).name for p, c, _ in CASES])
def test_bad_input(tmp_path, protocol, cell, words):
    out = tmp_path / "run.h5"
    args = [sys.executable, "-m", "afb_models.cli", "run"]
    args += [str(protocol)] if protocol else []
    args += ["--cell", str(cell)] if cell else []
    args += ["--out", str(out)]
    result = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr
    assert not out.exists()


def test_bad_setting(tmp_path):
    out = tmp_path / "run.h5"
    result = subprocess.run(
        [sys.executable, "-m", "afb_models.cli", "run", "--set",
         "Positive electrode porosity=1.5", "--out", str(out)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert result.returncode == 2
    assert "--set" in result.stderr and "Positive electrode porosity" in result.stderr
    assert not out.exists()


# --- every way a user was found to break the promise, and their relatives ------------
# Each is run through the command line in this process (the same code a shell runs,
# without a new interpreter per case): exit status 2, one line on standard error
# naming the file (or flag) and the key, and no run file.

CELL_HEAD = 'base = "AFB_Li_NMC532_Cu"\n'
PROTOCOL_HEAD = 'name = "bad"\n\n[[block]]\nsteps = [\n'


def _protocol(*steps, head=""):
    return head + PROTOCOL_HEAD + "".join(f'    "{s}",\n' for s in steps) + "]\n"


GOOD_STEPS = ("Charge at C/5 until 4.5 V", "Discharge at C/5 until 3.6 V")

# (cell file text or None, protocol file text or None, extra arguments, words)
CASES_CLI = {
    "non-UTF-8 cell file": (
        CELL_HEAD.encode() + b'# caf\xe9 \xff\n[parameters]\n', None, [],
        ["cell.toml:2:", "UTF-8"]),
    "separator thickness 0": (
        CELL_HEAD + '[parameters]\n"Separator thickness [m]" = 0\n', None, [],
        ["cell.toml:3:", "Separator thickness [m]", "positive"]),
    "np_ratio inf": (CELL_HEAD + "np_ratio = inf\n", None, [],
                     ["cell.toml:2:", "np_ratio", "finite"]),
    "np_ratio nan": (CELL_HEAD + "np_ratio = nan\n", None, [],
                     ["cell.toml:2:", "np_ratio"]),
    "porosity 0": (CELL_HEAD + '[parameters]\n"Separator porosity" = 0.0\n', None, [],
                   ["cell.toml:3:", "Separator porosity", "positive"]),
    "C/0": (None, _protocol("Charge at C/0 until 4.5 V", GOOD_STEPS[1]), [],
            ["protocol.toml:5:", "C/0", "positive"]),
    "negative current": (None, _protocol("Charge at -1 mA cm-2 until 4.5 V",
                                         GOOD_STEPS[1]), [],
                         ["protocol.toml:5:", "-1 mA cm-2", "direction"]),
    "negative C-rate": (None, _protocol(GOOD_STEPS[0], "Discharge at -0.5C until 3.6 V"),
                        [], ["protocol.toml:6:", "-0.5C", "direction"]),
    "cut-off above the upper limit": (
        None, _protocol("Charge at C/5 until 4.8 V", GOOD_STEPS[1]), [],
        ["protocol.toml:5:", "4.8 V", "cut-offs"]),
    "discharge until the upper cut-off": (
        None, _protocol(GOOD_STEPS[0], "Discharge at C/5 until upper cut-off"), [],
        ["protocol.toml:6:", "a discharge lowers the voltage"]),
    "hold at 10 V": (None, _protocol(GOOD_STEPS[0], "Hold at 10 V until C/20",
                                     GOOD_STEPS[1]), [],
                     ["protocol.toml:6:", "Hold at 10 V", "cut-offs"]),
    "rest for 0 s": (None, _protocol(*GOOD_STEPS, "Rest for 0 s"), [],
                     ["protocol.toml:7:", "Rest for 0 s", "positive"]),
    "at -300 °C": (None, _protocol(*GOOD_STEPS, "Rest for 1 hour at -300 °C"), [],
                   ["protocol.toml:7:", "-300 °C", "absolute zero"]),
    "protocol temperature -300 °C": (
        None, _protocol(*GOOD_STEPS, head='temperature = "-300 °C"\n'), [],
        ["protocol.toml:1:", "absolute zero"]),
    "a current end on a constant current": (
        None, _protocol("Charge at C/5 until C/20", GOOD_STEPS[1]), [],
        ["protocol.toml:5:", "never reaches a current"]),
    "repeat 0": (None, 'name = "bad"\n[[block]]\nrepeat = 0\nsteps = ["Rest for 1 hour"]\n',
                 [], ["protocol.toml:3:", "repeat"]),
    "nominal capacity 0": (None, None, ["--set", "Nominal cell capacity [A.h]=0"],
                           ["--set", "Nominal cell capacity [A.h]", "positive"]),
    "--set inf": (None, None, ["--set", "Separator thickness [m]=inf"],
                  ["--set", "Separator thickness [m]", "finite"]),
    "--set nan": (None, None, ["--set", "Separator thickness [m]=nan"],
                  ["--set", "Separator thickness [m]", "finite"]),
    "--cycles 0": (None, None, ["--cycles", "0"], ["--cycles"]),
    "--series-points 0": (None, None, ["--series-points", "0"], ["--series-points"]),
    "--option unknown value": (None, None, ["--option", "SEI=sometimes"], ["SEI"]),
}


@pytest.mark.parametrize("case", list(CASES_CLI))
def test_bad_input_is_one_line_exit_2_and_no_file(case, tmp_path, capsys, monkeypatch):
    from afb_models import cli

    cell_text, protocol_text, extra, words = CASES_CLI[case]
    monkeypatch.chdir(tmp_path)
    args = ["run"]
    if protocol_text is not None:
        (tmp_path / "protocol.toml").write_text(protocol_text, encoding="utf-8")
        args.append("protocol.toml")
    if cell_text is not None:
        data = cell_text if isinstance(cell_text, bytes) else cell_text.encode()
        (tmp_path / "cell.toml").write_bytes(data)
        args += ["--cell", "cell.toml"]
    out = tmp_path / "run.h5"
    assert cli.main([*args, *extra, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, (word, err)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".h5") == []


@pytest.mark.parametrize("where", ["missing folder", "a folder", "read-only folder"])
def test_out_where_no_file_can_be_written(where, tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    out = {"missing folder": tmp_path / "nowhere" / "run.h5",
           "a folder": folder,
           "read-only folder": folder / "run.h5"}[where]
    if where == "read-only folder":
        folder.chmod(0o555)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "afb_models.cli", "run", "--cycles", "1", "--out",
             str(out)], capture_output=True, text=True, cwd=tmp_path, timeout=300,
            preexec_fn=as_a_user,
        )
    finally:
        folder.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and str(out) in result.stderr
    assert list(folder.iterdir()) == []


def test_a_step_the_step_before_leaves_past_its_end_is_refused_before_the_run(
        tmp_path, capsys, monkeypatch):
    """A discharge "until" a voltage above where the discharge before it left the
    cell would be skipped by PyBaMM every cycle: refused when the protocol is read."""
    from afb_models import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "protocol.toml").write_text(_protocol(
        *GOOD_STEPS, "Discharge at C/5 until 4.0 V", "Rest for 1 minute"))
    out = tmp_path / "run.h5"
    assert cli.main(["run", "protocol.toml", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "protocol.toml:7: step 'Discharge at C/5 until 4.0 V': cannot run" in err
    assert "'Discharge at C/5 until 3.6 V', line 6" in err
    assert not out.exists()


def test_a_step_skipped_where_the_cell_is_is_reported_and_counted(caplog):
    """What only the run can tell (a strip "until" the upper cut-off of a Li||Cu cell
    with nothing plated yet) is not an error, and not silent either: the first skip
    of a step is reported with the cycle, the step and the cell's voltage, and
    "Skipped steps" counts every skip."""
    # strip (nothing to strip in the first cycle: the bare collector rests above
    # the 0.5 V cut-off), then plate
    text = _protocol("Charge at 0.5 mA cm-2 until upper cut-off", "Rest for 1 minute",
                     "Discharge at 0.5 mA cm-2 for 0.5 mAh cm-2", "Rest for 1 minute",
                     ).replace("[[block]]", "[[block]]\nrepeat = 3")
    with caplog.at_level("WARNING", logger="afb"):
        run = afb_models.simulate("AFB_Li_Cu", text, cycles=3)
    assert run.status == "completed"
    np.testing.assert_array_equal(run.cycles["Skipped steps"].values, [1, 0, 0])
    reports = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(reports) == 1
    assert "cycle 1: step 'Charge at 0.5 mA cm-2 until upper cut-off' skipped" in reports[0]
    assert "the cell at" in reports[0]
