"""Broken protocol and cell files: one line naming the file and the key, exit status 2,
and no output file left behind."""

import subprocess
import sys
from pathlib import Path

import pytest

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
