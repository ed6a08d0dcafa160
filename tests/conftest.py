"""Shared fixtures of the afb test suite."""

import pybamm
import pytest

import afb_models
from afb_models.protocols import CellLimits, parse_step

# Tolerances of the solver for tests that compare numbers: far below every bound the
# tests assert, so that a failure means the model is wrong, not the integration.
# (Below atol 1e-9 the error test on the electrolyte potentials of a nucleating
# deposit meets rounding noise; IDAKLU's "suppress_algebraic_error" lifts that.)
TIGHT = {"rtol": 1e-8, "atol": 1e-9}


def as_a_user():
    """``preexec_fn`` for a child of a root process: drop the capabilities that let
    root write where permissions say no (from the bounding set, so the program it
    runs lacks them), so that a folder's permissions apply as they do to a user."""
    import ctypes
    import os

    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture
def tight_solver():
    return pybamm.IDAKLUSolver(**TIGHT)


@pytest.fixture(scope="session")
def li_cell():
    return afb_models.get_parameter_values("AFB_Li_NMC532_Cu")


def solve(model, parameter_values, steps, solver=None, **kwargs):
    """Solve ``steps`` (PyBaMM step strings or objects) as one experiment."""
    sim = pybamm.Simulation(
        model,
        parameter_values=parameter_values,
        experiment=pybamm.Experiment(steps),
        solver=solver or pybamm.IDAKLUSolver(**TIGHT),
    )
    return sim.solve(**kwargs)


def cell_model(cell: str, **options):
    """The afb model of the shipped cell ``cell`` (its configuration's class) with the
    calibrated mechanisms, the cell's own options and ``options`` over them."""
    from afb_models import parameter_sets

    opts = {**afb_models.options.CALIBRATED_OPTIONS, **parameter_sets.options_of(cell),
            **options}
    configuration = parameter_sets.configuration_of(cell)
    cls = getattr(afb_models.models, parameter_sets.CONFIGURATIONS[configuration])
    return cls(opts)



#: a 10 cm2 cell's limits, for parsing protocol steps
PROTOCOL_CELL = CellLimits(area_m2=1e-3, nominal_capacity_Ah=0.03, lower_cutoff_V=3.0,
                           upper_cutoff_V=4.3)


def protocol_step(text):
    """``text`` parsed as a step of line 7 of "test.toml", for :data:`PROTOCOL_CELL`."""
    return parse_step(text, 7, PROTOCOL_CELL, "test.toml")
