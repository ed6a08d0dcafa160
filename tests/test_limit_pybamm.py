"""In the limit where they describe the same cell, AnodeFreeDFN reproduces PyBaMM's
half-cell DFN.

The limit: PyBaMM's Xu2019 values, a 100 um metal layer (the collector is fully
covered and stripping is never limited), no side reactions, the metal's kinetics from
PyBaMM's lithium-metal parameters and a negligible interface resistance
(:func:`afb_models.parameters.half_cell_limit_values`). What remains different is
numerical (the planar boundary conditions are discretised differently, O(dx^2)) and
the double layer, which after a current step carries a share of the current for a
few milliseconds.
"""

import numpy as np
import pybamm
import pytest

import afb_models
from afb_models.parameters import half_cell_limit_values
from conftest import TIGHT


@pytest.fixture(scope="module")
def solutions():
    steps = ["Discharge at C/2 until 3.5 V", "Charge at C/2 until 4.2 V"]
    xu = pybamm.ParameterValues("Xu2019")
    ours = pybamm.Simulation(
        afb_models.AnodeFreeDFN(),
        parameter_values=half_cell_limit_values(xu),
        experiment=pybamm.Experiment(steps),
        solver=pybamm.IDAKLUSolver(**TIGHT),
    ).solve()
    theirs = pybamm.Simulation(
        pybamm.lithium_ion.DFN({"working electrode": "positive"}),
        parameter_values=xu,
        experiment=pybamm.Experiment(steps),
        solver=pybamm.IDAKLUSolver(**TIGHT),
    ).solve()
    return ours, theirs


def test_voltage_agrees_within_1_mV(solutions):
    ours, theirs = solutions
    assert len(ours.sub_solutions) == len(theirs.sub_solutions) == 2
    for a, b in zip(ours.sub_solutions, theirs.sub_solutions, strict=True):
        assert a.termination == b.termination
        t = b.t - b.t[0]  # time within the step
        t = t[t <= a.t[-1] - a.t[0]]
        dV = a["Voltage [V]"](a.t[0] + t) - b["Voltage [V]"](b.t[0] + t)
        # the bound; at rtol 1e-8 the integration contributes ~1e-7 V
        assert np.max(np.abs(dV)) < 1e-3
        # the same end of step: the cut-off is reached within 1 s of a ~3 h step
        assert a.t[-1] - a.t[0] == pytest.approx(b.t[-1] - b.t[0], abs=1.0)
