"""The table of loss mechanisms (afb_models.mechanisms) drives the models, the
inventory, the loss split, the sweeps, the figures and the option lists; adding a
mechanism is one file and one table entry (docs/mechanisms.md, run here)."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pybamm
import pytest

import afb_models
from afb_models.mechanisms import LOSS_CHANNELS, MECHANISMS, mechanism_class
from afb_models.options import ALLOWED_OPTIONS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "option, value",
    [(m.option, v) for m in MECHANISMS for v in m.values],
)
def test_each_value_selects_a_class_of_its_option(option, value):
    cls = mechanism_class(option, value)
    assert issubclass(cls, pybamm.BaseSubModel)
    assert cls.option == option
    assert ALLOWED_OPTIONS[option] == tuple(m.values for m in MECHANISMS
                                            if m.option == option)[0]


@pytest.mark.parametrize("m", MECHANISMS, ids=lambda m: m.option)
def test_each_class_defines_its_channel_and_off_adds_no_state(m):
    """Built with only this mechanism on (each value in turn), the model has the
    channel's variables; the "off" value has no state of its own."""
    states = {}
    for value in m.values:
        model = afb_models.AnodeFreeDFN({m.option: value})
        channel = m.channel
        for name in (channel.amount, channel.current, channel.deposit_rate,
                     channel.resistance):
            if name is not None:
                assert name in model.variables, (m.option, value, name)
        assert channel.inventory in model.variables
        states[value] = len(model.rhs) + len(model.algebraic)
    off, *on = m.values
    assert all(states[v] > states[off] for v in on)


def test_inventory_loss_split_figures_and_sweeps_list_every_channel():
    from afb_models import observables, plotting, sweeps
    from afb_models.submodels.inventory import INVENTORY_VARIABLES

    for channel in LOSS_CHANNELS:
        assert channel.inventory in INVENTORY_VARIABLES
        assert observables.LOSS_SPLIT[channel.loss] == channel.inventory
        assert plotting.INVENTORY_PARTS[channel.inventory_name] == channel.label
        assert plotting.LOSS_PARTS[channel.loss_name] == channel.label
        assert sweeps._total(channel.loss_name).startswith("Total ")
    assert sweeps._total("SEI loss") == "Total SEI loss"
    assert sweeps._total("Dead metal loss") == "Total dead metal loss"


def test_a_channel_must_say_how_metal_gets_there():
    from afb_models.mechanisms import LossChannel

    with pytest.raises(ValueError, match="current or a deposit rate"):
        LossChannel(label="x", amount="a", inventory="b", loss="c")
    with pytest.raises(ValueError, match="film area"):
        LossChannel(label="x", amount="a", inventory="b", loss="c", current="d",
                    reaction_potential="e", film_area="separator")
    # the heat of a channel's reaction needs its equilibrium potential
    with pytest.raises(ValueError, match="reaction potential"):
        LossChannel(label="x", amount="a", inventory="b", loss="c", current="d")


def _doc_code_blocks():
    text = (ROOT / "docs" / "mechanisms.md").read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_worked_example_adds_a_mechanism_with_one_file_and_one_entry(tmp_path):
    """docs/mechanisms.md's HF-corrosion example, as written: its file becomes a
    module of afb_models.submodels and its entry joins the table before the rest of
    afb is imported; then the option exists, the model conserves metal with the new
    channel, and the runner's summary splits the loss into it."""
    module_code, entry_code = _doc_code_blocks()
    script = textwrap.dedent('''
        import sys, types
        import afb_models.mechanisms as m
        from afb_models.mechanisms import Mechanism, LossChannel, _SUBMODELS

        module = types.ModuleType("afb_models.submodels.hf_corrosion")
        module.__package__ = "afb_models.submodels"
        sys.modules[module.__name__] = module
        entry = eval(ENTRY.strip().rstrip(","))
        m.MECHANISMS = (*m.MECHANISMS, entry)
        m.LOSS_CHANNELS = tuple(x.channel for x in m.MECHANISMS)
        exec(compile(MODULE, "hf_corrosion.py", "exec"), module.__dict__)

        import numpy as np, pybamm, afb_models
        from afb_models.options import ALLOWED_OPTIONS, CALIBRATED_OPTIONS
        from afb_models.protocols import load_protocol
        from afb_models.runner import Runner
        assert ALLOWED_OPTIONS["HF corrosion"] == ("none", "first order")
        values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
        values.update({"HF corrosion rate [mol.m-2.s-1]": 1e-7},
                      check_already_exists=False)
        options = {**CALIBRATED_OPTIONS, "HF corrosion": "first order"}
        protocol = load_protocol("louli2020", values).with_cycles(2)
        results = list(Runner(protocol, values, options).cycles())
        lost = [r.summary["HF corrosion loss [A.h]"] for r in results]
        assert all(x > 0 for x in lost), lost
        total = [r.summary["Total metal [mol]"] for r in results]
        assert abs(total[-1] - total[0]) < 1e-9 * total[0], total
        print("OK", lost)
    ''').replace("ENTRY", repr(entry_code)).replace("MODULE", repr(module_code))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True,
                         text=True, cwd=tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.startswith("OK")
