"""Option "electrolyte": "single-ion conductor" (a solid electrolyte): transference
number 1, no salt gradient under current."""

import pybamm

import afb_models
from afb_models import parameter_sets
from conftest import solve

# The runner's tolerances: c_e is scaled by its initial value, so a relative spread
# below ~1e-8 is at the solver's resolution; the bounds below sit well above it.
SOLVER = {"rtol": 1e-8, "atol": 1e-8}

CHARGE_THEN_DISCHARGE = ["Charge at C/5 for 2 hours", "Discharge at C/5 for 1 hour"]


def _spread_after(solution, t_from_s):
    """Largest (max - min) of the electrolyte concentration over the cell, relative
    to its initial value, from ``t_from_s`` after the start of every step on (a
    current step moves the double layer, whose charge then spreads by diffusion)."""
    spreads = []
    for step in (s for cycle in solution.cycles for s in cycle.steps):
        c = step["Electrolyte concentration [mol.m-3]"].entries
        t = step["Time [s]"].entries
        spread = (c.max(axis=0) - c.min(axis=0)) / c[:, 0].mean()
        spreads.append(spread[t >= t[0] + t_from_s].max())
    return max(spreads)


def test_single_ion_conductor_keeps_the_electrolyte_uniform(li_cell):
    """The Li cell's liquid has t+ = 0.4 and builds a gradient of ~1.5 % at C/5; as a
    single-ion conductor (t+ = 1 by the option, whatever the parameter set says)
    the same cell keeps it uniform. For a few minutes after each current step the
    double layer's change of charge (the bare collector's discharge from its rest
    potential at the start: ~1e-3 relative near the collector) spreads by diffusion;
    afterwards the spread is at the solver's resolution."""
    solver = pybamm.IDAKLUSolver(**SOLVER)
    liquid = solve(afb_models.AnodeFreeDFN(), li_cell, CHARGE_THEN_DISCHARGE, solver)
    solid = solve(
        afb_models.AnodeFreeDFN({"electrolyte": "single-ion conductor"}),
        li_cell,
        CHARGE_THEN_DISCHARGE,
        solver,
    )
    assert _spread_after(liquid, 600) > 1e-2
    assert _spread_after(solid, 600) < 1e-7
    total = solid["Total metal [mol]"].entries
    assert (total.max() - total.min()) / total[0] < 1e-9


def test_metal_collector_cell_with_a_solid_electrolyte():
    values = afb_models.get_parameter_values("AFB_Li_Cu")
    model = afb_models.MetalCollectorCell({"electrolyte": "single-ion conductor"})
    solution = solve(model, values, ["Discharge at 1 mA for 1 hour"],
                     pybamm.IDAKLUSolver(**SOLVER))
    assert _spread_after(solution, 600) < 1e-7


def test_the_na_solid_state_set_is_a_single_ion_conductor():
    name = "AFB_Na_NASICON_AuAl"
    assert parameter_sets.options_of(name)["electrolyte"] == "single-ion conductor"
    values = afb_models.get_parameter_values(name)
    solver = pybamm.IDAKLUSolver(**SOLVER)
    steps = ["Charge at C/5 for 2 hours"]
    solid = solve(afb_models.AnodeFreeDFN(parameter_sets.options_of(name)), values,
                  steps, solver)
    # the same cell if its electrolyte had a liquid's transference number
    values_liquid = values.copy()
    values_liquid["Cation transference number"] = 0.5
    liquid = solve(afb_models.AnodeFreeDFN(), values_liquid, steps, solver)
    # the solid electrolyte's diffusivity is tiny (1e-12 m2 s-1): the double layer's
    # initial charge (~1e-4 relative, near the collector) takes L^2/D ~ 40 min to
    # spread, hence the later start and looser bound than in the liquid-set tests
    assert _spread_after(solid, 3600) < 1e-5
    assert _spread_after(liquid, 3600) > 1e-2
