"""Cycler data in (afb_models.data): BDF CSV, the exports of Neware, Arbin, Maccor and
BioLogic, afb run files; per-cycle values computed as afb computes a model's; one-line
errors; the protocol reconstructed from the data reproduces the run it came from."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import afb_models
from afb_models import cli
from afb_models.data import DataError, read_cycling, reconstruct_protocol, write_bdf

SHORT = Path(__file__).parent / "data" / "short.toml"  # formation, then charge / rest / discharge
CELL = "AFB_Li_NMC532_Cu"

#: per-cycle values that integrating the series recovers exactly for constant-current
#: steps (the CSV keeps 12 significant digits: a time of 1e5 s to 1e-7 s)
EXACT = ("Charge capacity", "Discharge capacity", "Plated charge", "Stripped charge",
         "Coulombic efficiency", "Time", "Charge time", "Discharge time")


@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "run.h5"
    run = afb_models.simulate(CELL, SHORT, cycles=4, out=out)
    return run, out


@pytest.fixture(scope="module")
def bdf(short_run, tmp_path_factory):
    run, _ = short_run
    return write_bdf(run, tmp_path_factory.mktemp("bdf") / "cell.csv")


def assert_same_cycles(got, run, names=EXACT, rtol=1e-9):
    np.testing.assert_array_equal(got.cycles["cycle"].values, run.cycles["cycle"].values)
    for name in names:
        np.testing.assert_allclose(got.cycles[name].values, run.cycles[name].values,
                                   rtol=rtol, err_msg=name)


def test_a_bdf_csv_gives_the_runs_own_per_cycle_values(short_run, bdf):
    run, _ = short_run
    data = read_cycling(bdf)
    assert_same_cycles(data, run)
    assert data.source["current sign"].startswith("charge positive")
    assert data.source["columns"]["voltage"]["column"] == "Voltage / V"
    assert len(data.source["sha256"]) == 64
    # the series in PyBaMM's sign: a discharge positive
    np.testing.assert_allclose(data.series["Current"].values, run.series["Current"].values,
                               rtol=1e-9)
    # mean voltages need the voltage between the 10 points a step keeps: to 0.1 %
    np.testing.assert_allclose(data.cycles["Mean discharge voltage"].values,
                               run.cycles["Mean discharge voltage"].values, rtol=1e-3)


def test_a_run_file_is_read_as_data_with_its_metal_losses(short_run):
    run, path = short_run
    data = read_cycling(path)
    assert data.source["format"] == "afb run file"
    assert_same_cycles(data, run, names=(*EXACT, "Metal loss"), rtol=0)


def _frame(bdf):
    return pd.read_csv(bdf)


def _neware(frame):
    seconds = frame["Test Time / s"]
    clock = [f"{int(t // 3600):02d}:{int(t % 3600 // 60):02d}:{t % 60:09.6f}" for t in seconds]
    status = np.where(frame["Current / A"] > 0, "CC_Chg",
                      np.where(frame["Current / A"] < 0, "CC_DChg", "Rest"))
    return pd.DataFrame({"Record ID": range(1, len(frame) + 1),
                         "Cycle ID": frame["Cycle Count / 1"],
                         "Step ID": frame["Step Count / 1"], "Status": status,
                         "Total Time": clock, "Current(mA)": 1e3 * frame["Current / A"],
                         "Voltage(V)": frame["Voltage / V"]})


def _arbin(frame):
    return pd.DataFrame({"Data_Point": range(1, len(frame) + 1),
                         "Test_Time(s)": frame["Test Time / s"],
                         "Cycle_Index": frame["Cycle Count / 1"],
                         "Step_Index": frame["Step Count / 1"],
                         "Current(A)": frame["Current / A"],
                         "Voltage(V)": frame["Voltage / V"]})


def _maccor(frame):
    # Maccor: an unsigned current and a mode column
    current = frame["Current / A"]
    mode = np.where(current > 0, "C", np.where(current < 0, "D", "R"))
    return pd.DataFrame({"Rec#": range(1, len(frame) + 1),
                         "Cyc#": frame["Cycle Count / 1"], "Step": frame["Step Count / 1"],
                         "Test Time (h)": frame["Test Time / s"] / 3600,
                         "Amps": current.abs(), "Volts": frame["Voltage / V"], "MD": mode})


def _write_biologic(frame, path):
    table = pd.DataFrame({"mode": 1, "ox/red": (frame["Current / A"] > 0).astype(int),
                          "time/s": frame["Test Time / s"],
                          "Ewe/V": frame["Voltage / V"],
                          "<I>/mA": 1e3 * frame["Current / A"],
                          "cycle number": frame["Cycle Count / 1"] - 1,  # from 0
                          "Ns": frame["Step Count / 1"] - 1})
    body = table.to_csv(sep="\t", index=False, float_format="%.12g").replace(".", ",")
    header = ["EC-Lab ASCII FILE", "Nb header lines : 5", "", "Technique : GCPL"]  # the column line is the 5th
    path.write_text("\n".join(header) + "\n" + body, encoding="latin-1")


@pytest.mark.parametrize("vendor", ["neware", "arbin", "maccor", "biologic"])
def test_cycler_exports_read_as_the_same_cycles(short_run, bdf, tmp_path, vendor):
    run, _ = short_run
    frame = _frame(bdf)
    path = tmp_path / f"{vendor}.csv"
    if vendor == "biologic":
        _write_biologic(frame, path)
    else:
        {"neware": _neware, "arbin": _arbin, "maccor": _maccor}[vendor](frame).to_csv(
            path, index=False, float_format="%.12g")
    data = read_cycling(path)
    # exact to the 12 digits the files keep
    assert_same_cycles(data, run, rtol=1e-8)
    if vendor == "biologic":
        np.testing.assert_array_equal(data.cycles["data_cycle"].values,
                                      run.cycles["cycle"].values - 1)


def test_a_discharge_positive_file_is_told_from_its_voltage(short_run, bdf, tmp_path):
    run, _ = short_run
    frame = _frame(bdf)
    frame["Current / A"] = -frame["Current / A"]
    frame.to_csv(tmp_path / "flipped.csv", index=False, float_format="%.12g")
    data = read_cycling(tmp_path / "flipped.csv")
    assert data.source["current sign"].startswith("discharge positive")
    assert_same_cycles(data, run)
    given = read_cycling(tmp_path / "flipped.csv", current_sign="discharge positive")
    assert_same_cycles(given, run)


def test_without_a_cycle_column_cycles_start_at_each_plating(short_run, bdf, tmp_path):
    run, _ = short_run
    frame = _frame(bdf).drop(columns=["Cycle Count / 1", "Step Count / 1",
                                      "Step Index / 1"])
    frame.to_csv(tmp_path / "bare.csv", index=False, float_format="%.12g")
    data = read_cycling(tmp_path / "bare.csv")
    assert data.source["cycles from"] == "the current's direction"
    assert_same_cycles(data, run)


def _one_line_error(path, match, **kwargs):
    with pytest.raises(DataError) as e:
        read_cycling(path, **kwargs)
    message = str(e.value)
    assert "\n" not in message and str(path) in message
    assert match in message, message
    return message


@pytest.mark.parametrize("change, match", [
    (lambda f: f.drop(columns=["Voltage / V"]), "'Voltage / V': missing"),
    (lambda f: f.rename(columns={"Current / A": "Current / furlong"}),
     "'Current / furlong': unit 'furlong' cannot be converted"),
    (lambda f: f.assign(**{"Voltage / V": f["Voltage / V"].astype(object).where(
        f.index != 7, "n/a")}), "'Voltage / V': line 9: 'n/a' is not a number"),
    (lambda f: f.assign(**{"Test Time / s": f["Test Time / s"][::-1].values}),
     "time goes backwards"),
    (lambda f: f.assign(**{"Current / A": f["Current / A"].abs()}),
     "'Current / A': the current never changes sign"),
], ids=["missing column", "unit", "not a number", "backwards", "unsigned"])
def test_bad_data_is_a_one_line_error_naming_the_column(bdf, tmp_path, change, match):
    path = tmp_path / "bad.csv"
    change(_frame(bdf)).to_csv(path, index=False)
    _one_line_error(path, match)


def test_a_sign_convention_it_cannot_tell_is_an_error(bdf, tmp_path):
    frame = _frame(bdf)
    # the voltage runs against the current in half of the test: no convention fits
    half = frame["Test Time / s"] > frame["Test Time / s"].median()
    frame.loc[half, "Current / A"] = -frame.loc[half, "Current / A"]
    frame.to_csv(tmp_path / "mixed.csv", index=False)
    _one_line_error(tmp_path / "mixed.csv", "cannot tell the sign convention")


def test_the_fit_command_exits_2_on_bad_data(bdf, tmp_path, capsys):
    frame = _frame(bdf).drop(columns=["Current / A"])
    frame.to_csv(tmp_path / "bad.csv", index=False)
    (tmp_path / "fit.toml").write_text(
        f'cell = "{CELL}"\ndata = "bad.csv"\n[parameters]\n'
        '"SEI formation fraction on fresh metal" = { initial = 1e-3, bounds = [1e-4, 1e-2] }\n')
    assert cli.main(["fit", str(tmp_path / "fit.toml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'Current / A': missing" in err and "fit.toml" in err
    assert not (tmp_path / "fit.h5").exists()


# --- the protocol from the data ------------------------------------------------------------


def assert_reproduces(run, again, names=("Discharge capacity", "Charge capacity",
                                         "Coulombic efficiency", "Metal loss",
                                         "Mean discharge voltage")):
    """The run again from its reconstructed protocol: each per-cycle value within
    1e-6 of its largest magnitude (measured: 2e-7 at most; the voltage end
    conditions are the solver's event values, equal to the cut-offs to ~1e-8 V)."""
    assert again.status == run.status
    for name in names:
        a, b = run.cycles[name].values, again.cycles[name].values
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-6 * np.nanmax(np.abs(a)),
                                   err_msg=name)


def test_the_reconstructed_protocol_of_a_run_file_reproduces_the_run(short_run):
    run, path = short_run
    protocol = reconstruct_protocol(path, CELL)
    texts = [[s.text for s in block.steps] for block in protocol.blocks]
    assert [block.repeat for block in protocol.blocks] == [1, 3]
    assert texts[1][0].startswith("Charge at") and texts[1][0].endswith("until 4.5 V at 313.15 K")
    assert texts[1][1] == "Rest for 600 seconds at 313.15 K"
    assert_reproduces(run, afb_models.simulate(CELL, protocol))


def _same_steps(texts, expected, rel=1e-10):
    """Step texts equal but for their numbers, which agree to ``rel``."""
    number = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
    assert len(texts) == len(expected)
    for text, want in zip(texts, expected):
        assert re.sub(number, "#", text) == re.sub(number, "#", want)
        got = [float(x) for x in re.findall(number, text)]
        assert got == pytest.approx([float(x) for x in re.findall(number, want)], rel=rel)


def test_holds_and_time_limited_steps_are_reconstructed(tmp_path):
    # a CV hold ended on a current (the cycling protocol), and steps ended on a
    # charge in a Li||Cu cell (the Adams protocol)
    for cell, protocol, cycles in (("AFB_Li_NMC532_Cu", "cycling", 3),
                                   ("AFB_Li_Cu", "adams_ce", None)):
        run = afb_models.simulate(cell, protocol, cycles=cycles,
                                  out=tmp_path / f"{protocol}.h5")
        again = afb_models.simulate(cell, reconstruct_protocol(run.path, cell))
        assert_reproduces(run, again, names=("Discharge capacity", "Charge capacity",
                                             "Coulombic efficiency"))
    steps = [s.text for b in reconstruct_protocol(tmp_path / "cycling.h5",
                                                  "AFB_Li_NMC532_Cu").blocks
             for s in b.steps]
    assert any(s.startswith("Hold at 4.5 V until") for s in steps)
    # a cycler that records a CC-CV charge as one step: split again where the
    # current leaves its level, into the same two steps
    frame = _frame(write_bdf(tmp_path / "cycling.h5", tmp_path / "cycling.csv"))
    hold = frame["Step Index / 1"] == 2
    frame.loc[hold, "Step Index / 1"] = 1
    frame.loc[hold, "Step Count / 1"] -= 1
    later = frame["Step Index / 1"] == 3
    frame.loc[later, "Step Count / 1"] -= 1
    frame.to_csv(tmp_path / "cccv.csv", index=False, float_format="%.12g")
    merged = reconstruct_protocol(read_cycling(tmp_path / "cccv.csv"), "AFB_Li_NMC532_Cu")
    # the same steps, their numbers to the CSV's 12 digits (a value that rounds
    # differently in its 12th digit after the CSV's rounding prints differently)
    _same_steps([s.text for s in merged.blocks[1].steps][:2],
                [s.text for s in reconstruct_protocol(
                    tmp_path / "cycling.h5", "AFB_Li_NMC532_Cu").blocks[1].steps][:2])
    adams = reconstruct_protocol(tmp_path / "adams_ce.h5", "AFB_Li_Cu")
    cycling = [s.text for s in adams.blocks[2].steps]
    assert adams.blocks[2].repeat == 10 and all(" for " in s for s in cycling)


def test_a_step_it_cannot_read_names_where_it_is(short_run, tmp_path):
    run, _ = short_run
    frame = _frame(write_bdf(run, tmp_path / "x.csv"))
    # a ramp in current and voltage: no rest, constant current or hold
    step = frame["Step Count / 1"] == 3
    frame.loc[step, "Current / A"] = np.linspace(0.01, 0.2, int(step.sum()))
    frame.to_csv(tmp_path / "ramp.csv", index=False)
    with pytest.raises(DataError, match=r"cycle 2, step 1: neither a constant current"):
        reconstruct_protocol(read_cycling(tmp_path / "ramp.csv"), CELL)
