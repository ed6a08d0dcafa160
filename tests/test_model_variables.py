"""AnodeFreeDFN is a PyBaMM model with the variables users rely on."""

import pybamm
import pytest

import afb_models

REQUIRED = [
    "Plated metal amount [mol.m-2]",
    "Plated metal thickness [m]",
    "Collector metal coverage",
    "Negative interface overpotential [V]",
    "Total metal [mol]",
    "Voltage [V]",
    "Current [A]",
    "Discharge capacity [A.h]",
    "Time [s]",
    "Metal in positive electrode [mol]",
    "Metal in electrolyte [mol]",
    "Plated metal [mol]",
]


@pytest.mark.parametrize("name", REQUIRED)
def test_variable_exists(name):
    assert name in afb_models.AnodeFreeDFN().variables


def test_is_a_pybamm_model_that_solves_with_idaklu(li_cell):
    model = afb_models.AnodeFreeDFN()
    assert isinstance(model, pybamm.BaseBatteryModel)
    sim = pybamm.Simulation(
        model,
        parameter_values=li_cell,
        experiment=pybamm.Experiment(["Charge at C/2 for 10 minutes"]),
        solver=pybamm.IDAKLUSolver(),
    )
    solution = sim.solve()
    assert solution["Plated metal thickness [m]"].entries[-1] > 0
    assert solution["Time [s]"].entries[-1] == pytest.approx(600)


def test_submodels_can_be_swapped_before_building():
    model = afb_models.AnodeFreeDFN(build=False)
    assert "metal deposit" in model.submodels
    model.build_model()
    assert "Plated metal amount [mol.m-2]" in model.variables


def test_pybamm_knows_the_model_by_name():
    assert isinstance(pybamm.Model("AnodeFreeDFN"), afb_models.AnodeFreeDFN)
