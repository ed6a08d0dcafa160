"""A command line that starts fast and explains itself: the commands that need no
model import no PyBaMM and start in under 1.5 s; every command has help text;
`afb protocols` says what each protocol is for."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import afb_models
from afb_models import cli

ROOT = Path(__file__).resolve().parent.parent

#: what a command that needs no model imports, checked after it ran
PROBE = """
import sys
from afb_models.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as e:  # --help
    status = e.code
heavy = sorted(m for m in ("pybamm", "casadi", "matplotlib") if m in sys.modules)
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
sys.exit(status)
"""


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("speed") / "run.h5"
    afb_models.simulate("AFB_Li_NMC532_Cu", "louli2020", cycles=2, out=out)
    return out


def _commands(run_file):
    return [["--help"], ["cells"], ["protocols"], ["run", "--help"], ["show", str(run_file)]]


def test_commands_that_need_no_model_import_no_pybamm(run_file, tmp_path):
    for argv in _commands(run_file):
        result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True,
                                text=True, timeout=60, cwd=tmp_path)
        assert result.returncode == 0, (argv, result.stderr)
        assert "HEAVY:\n" in result.stderr, (argv, result.stderr)


def test_commands_that_need_no_model_start_in_under_1_5_s(run_file, tmp_path):
    # the whole process, as a user waits for it: measured 0.1-0.7 s here, against
    # 2-12 s when every command imported PyBaMM (1.1 s for `show` on a day the
    # machine ran everything 1.5 times slower); the best of five, so that the other
    # test worker's load on a busy machine does not decide it (three let 1.55 s
    # through once)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for argv in _commands(run_file):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "afb_models.cli", *argv],
                                    capture_output=True, text=True, timeout=60,
                                    cwd=tmp_path, env=env)
            times.append(time.perf_counter() - start)
            assert result.returncode == 0, (argv, result.stderr)
        assert min(times) < 1.5, (argv, times)


def _subcommands(parser):
    for action in parser._subparsers._group_actions:
        for name, sub in action.choices.items():
            yield name, sub, {a.dest: a.help for a in action._choices_actions}.get(name)
            if sub._subparsers is not None:
                for inner, inner_sub, text in _subcommands(sub):
                    yield f"{name} {inner}", inner_sub, text


def test_every_command_has_help_text():
    commands = list(_subcommands(cli.build_parser()))
    names = {name for name, _, _ in commands}
    assert {"run", "show", "plot", "cells", "protocols", "design", "fit", "sweep",
            "bench", "bench check", "bench perf"} <= names
    for name, sub, summary in commands:
        assert summary and len(summary) > 15, f"'afb {name}' has no one-line help"
        assert sub.description and len(sub.description) > 40, \
            f"'afb {name} --help' has no description"
        for action in sub._actions:
            if action.dest not in ("help",) and not action.option_strings == []:
                assert action.help, f"'afb {name}': {action.option_strings} has no help"
        # (a description is printed as written, a help text %-formatted)
        assert "%%" not in sub.format_help(), f"'afb {name} --help' prints '%%'"


def test_protocols_lists_each_with_its_cells_and_description(capsys):
    assert cli.main(["protocols"]) == 0
    lines = capsys.readouterr().out.splitlines()
    from afb_models.protocols import builtin_protocols

    assert len(lines) == len(builtin_protocols())
    louli = next(line for line in lines if line.startswith("louli2020 "))
    assert "[anode-free (Li)]" in louli
    assert louli.endswith("Louli et al., Nat. Energy 5 (2020) 693")
    adams = next(line for line in lines if line.startswith("adams_ce "))
    assert "[metal||collector]" in adams and "Coulombic efficiency" in adams
    # and names only, for scripts
    assert cli.main(["protocols", "--names"]) == 0
    assert capsys.readouterr().out.split() == builtin_protocols()


def test_import_afb_models_is_light():
    result = subprocess.run(
        [sys.executable, "-c", "import sys, afb_models; "
         "print('pybamm' in sys.modules, afb_models.simulate.__module__, "
         "'pybamm' in sys.modules)"],
        capture_output=True, text=True, timeout=60, cwd=ROOT)
    # nothing heavy until a model is asked for; then the public names are there
    assert result.stdout.split() == ["False", "afb_models.study", "True"], result.stderr
