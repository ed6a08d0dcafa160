"""Solid-state interfaces (issue: stack pressure, voids on stripping, critical current
and shorts): the creep-limited contact against its analytic critical stripping current,
metal trapped behind voids and reconnected, filaments above the critical current
density, soft and hard shorts, and exact metal bookkeeping with all of it on."""

import numpy as np
import pybamm
import pytest

import afb_models
from conftest import cell_model
from afb_models import parameter_sets
from afb_models.submodels.interface_contact import critical_stripping_current_density
from afb_models.submodels.internal_short import critical_current_density

COIN = "AFB_Na_AuAl_NASICON"
SYMMETRIC = "AFB_Na_Na_NASICON"
#: IDA's tolerances of these tests: the charges below are integrals of the solution
SOLVER = dict(rtol=1e-8, atol=1e-8)


def _solve(cell, steps, values=None, **options):
    values = values or parameter_sets.get_parameter_values(cell)
    sim = pybamm.Simulation(cell_model(cell, **options), parameter_values=values,
                            experiment=pybamm.Experiment([tuple(steps)]),
                            solver=pybamm.IDAKLUSolver(**SOLVER))
    return sim.solve()


def _reservoir_strip(current_A_m2, pressure=None, temperature=None):
    """A 100 um Na reservoir on the collector, 0.5 mAh cm-2 of it stripped at
    ``current_A_m2`` (1 cm2 cell): the layer thins by 4.4 %, so its critical
    stripping current falls by < 3 %. Returns (solution, the analytic critical
    current)."""
    values = parameter_sets.get_parameter_values(COIN)
    values["Initial plated metal thickness [m]"] = 100e-6
    if pressure is not None:
        values["Stack pressure [Pa]"] = pressure
    if temperature is not None:
        values.update({"Ambient temperature [K]": temperature,
                       "Initial temperature [K]": temperature})
    i_crit = critical_stripping_current_density(values, 100e-6, temperature_K=temperature)
    amps = current_A_m2 * 1e-4
    seconds = 0.5e-3 * 3600 / amps  # 0.5 mAh cm-2: 4.4 um of the 100
    solution = _solve(COIN, [f"Charge at {amps} A for {seconds} seconds"], values,
                      **{"internal short": "none"})
    return solution, i_crit


@pytest.mark.parametrize("pressure, temperature", [(5.6e6, None), (8e6, None),
                                                   (5.6e6, 323.15)])
def test_critical_stripping_current_is_the_creep_law(pressure, temperature):
    """Below the analytic critical current no void opens; 5 % above it, voids open at
    the excess removal rate: the simulated threshold is the creep law's."""
    _, i_crit = _reservoir_strip(1.0, pressure, temperature)
    below, _ = _reservoir_strip(0.95 * i_crit, pressure, temperature)
    above, _ = _reservoir_strip(1.05 * i_crit, pressure, temperature)
    assert below["Interface contact fraction"].entries.min() > 1 - 1e-6
    assert below["Trapped metal amount [mol.m-2]"].entries[-1] < 1e-9
    # above: the voids deepen at v_rem - v_s(L(t)); the layer thins as it is
    # stripped, isolated and trapped, which lowers its supply by up to 3 % (of the
    # order of the 5 % excess), so the creep law is evaluated on its thickness
    values = parameter_sets.get_parameter_values(COIN)
    to_velocity = values["Metal molar volume [m3.mol-1]"] / 96485.33212
    t = above["Time [s]"].entries
    v_rem = above["Metal stripping current density [A.m-2]"].entries * to_velocity
    thickness = above["Plated metal thickness [m]"].entries
    v_s = np.array([critical_stripping_current_density(values, L, pressure, temperature)
                    for L in thickness]) * to_velocity
    expected_depth = np.trapezoid(v_rem - v_s, t)
    depth = above["Interface void depth [m]"].entries[-1]
    # trapezoidal quadrature on the solver's output times: ~1e-4
    assert depth == pytest.approx(expected_depth, rel=1e-3)
    assert above["Trapped metal amount [mol.m-2]"].entries[-1] > 1e-6


def test_critical_stripping_current_rises_with_pressure_and_temperature():
    values = parameter_sets.get_parameter_values(COIN)
    at = [critical_stripping_current_density(values, 20e-6, p, T)
          for p, T in [(2e6, 298.15), (5.6e6, 298.15), (10e6, 298.15), (5.6e6, 333.15)]]
    assert at[0] < at[1] < at[2]
    assert at[3] > at[1]
    # with no pressure, vacancy diffusion alone (Krauskopf 2019)
    vacancy = (values["Vacancy diffusion supply velocity [m.s-1]"] * 96485.33212
               / values["Metal molar volume [m3.mol-1]"])
    assert critical_stripping_current_density(values, 20e-6, 1.0) == pytest.approx(
        vacancy, rel=1e-9)


def test_strip_below_critical_empties_deposit_above_ends_early_with_trapped_metal():
    """A thin deposit (1 mAh cm-2) stripped below the vacancy-diffusion limit comes
    back whole; stripped at 0.5 mA cm-2 it ends on its cut-off early, with metal
    trapped behind the voids, and a rest lets creep restore the contact."""
    plate = "Discharge at 0.1 mA for 10 hours"
    slow = _solve(COIN, [plate, "Charge at 0.03 mA for 48 hours or until 1.5 V"],
                  **{"internal short": "none"})
    fast = _solve(COIN, [plate, "Charge at 0.5 mA until 1.5 V", "Rest for 10 hours"],
                  **{"internal short": "none"})
    plated = slow.cycles[0].steps[0]["Plated metal amount [mol.m-2]"].entries[-1]
    slow_trapped = slow["Trapped metal amount [mol.m-2]"].entries[-1]
    assert slow_trapped < 1e-3 * plated
    assert slow["Plated metal amount [mol.m-2]"].entries[-1] < 1e-2 * plated
    strip = fast.cycles[0].steps[1]
    assert "Voltage > 1.5" in strip.termination
    stripped = strip["Discharge capacity [A.h]"].entries
    assert abs(stripped[-1] - stripped[0]) < 0.9e-3  # of 1 mAh plated
    trapped = strip["Trapped metal amount [mol.m-2]"].entries[-1]
    assert trapped > 0.05 * plated
    contact = fast.cycles[0].steps[2]["Interface contact fraction"].entries
    assert contact[-1] > contact[0]  # creep closes the voids at rest


def test_in_situ_plating_ce_rises_with_stack_pressure():
    """The first cycle of the in-situ plating protocol: its CE (and its metal CE)
    rise with the stack pressure, and the voids' metal is the difference."""
    ces, trapped = [], []
    for pressure in (4e6, 5.6e6, 8e6):
        values = parameter_sets.get_parameter_values(COIN)
        values["Stack pressure [Pa]"] = pressure
        run = afb_models.simulate(values, "solid_state_plating", cycles=1,
                                  options=parameter_sets.options_of(COIN))
        c = run.cycles.isel(cycle=0)
        ces.append(float(c["Coulombic efficiency"]))
        trapped.append(float(c["Trapped metal loss"]))
    assert ces[0] < ces[1] < ces[2]
    assert trapped[0] > trapped[1] > trapped[2]


def test_staircase_shorts_above_the_ccd_not_below(tmp_path):
    """A symmetric Na||Na cell with full contact, stepped up in current: no filament
    below its critical current density; in the first block above it a filament
    bridges (a soft short, which holds the plating current at the CCD); in the
    next the shunt's charge has welded it into a hard short, and the run ends there
    with its reason."""
    values = parameter_sets.get_parameter_values(SYMMETRIC)
    ccd = critical_current_density(values) / 10  # mA cm-2
    run = afb_models.simulate(SYMMETRIC, "ccd_staircase", out=tmp_path / "short.h5",
                              options={"interface contact": "full"})
    assert "hard internal short" in run.status
    # the reason is in the run file
    assert "hard internal short" in afb_models.load(tmp_path / "short.h5").status
    currents = np.array([float(str(b).split()[0]) for b in run.cycles["block"].values])
    extent = run.cycles["Filament extent"].values
    hard = run.cycles["Hard short indicator"].values
    below = currents < ccd
    assert below.sum() == 9  # 0.1 ... 1.75 mA cm-2
    assert np.all(extent[below] < 1e-6) and np.all(hard[below] == 0)
    first_above = int(np.argmax(~below))
    assert extent[first_above] > 0.9 and hard[first_above] < 0.01  # soft
    assert hard[-1] >= 0.49 and currents[-1] > ccd


SOFT_SHORT_PROTOCOL = """
name = "soft short"
cells = ["metal||collector"]
[[block]]
name = "cycling"
repeat = 2
steps = [
    "Discharge at 0.2 mA cm-2 for 1 mAh cm-2",
    "Charge at 0.5 mA cm-2 for 6 hours or until upper cut-off",
]
"""


def test_soft_short_measured_ce_exceeds_metal_ce_and_metal_is_conserved():
    """A Na||Au-Al cell whose CCD (0.3 mA cm-2, lowered here) lies between its
    plating and stripping currents: each strip plates the Na foil above it, a
    filament from the foil bridges, and the soft short carries part of the strip's
    current until the voltage rises as the deposit runs out and burns it open. The
    measured CE (charges at the terminals) then exceeds the metal CE, which the
    shunt does not touch; "Total metal" is unchanged."""
    values = parameter_sets.get_parameter_values(COIN)
    values["Critical current density [A.m-2]"] = 3.0
    run = afb_models.simulate(values, SOFT_SHORT_PROTOCOL,
                              options={**parameter_sets.options_of(COIN),
                                       "interface contact": "full"})
    assert run.status == "completed"
    c = run.cycles
    assert np.all(c["Filament extent"].values > 0.9)  # it bridged
    assert np.all(c["Hard short indicator"].values < 0.01)  # and stayed soft
    measured = c["Coulombic efficiency"].values
    metal = c["Metal Coulombic efficiency"].values
    assert np.all(measured > metal + 0.02)
    assert np.all(measured > 1.0)  # above what any chemistry allows
    total = c["Total metal"].values
    assert np.ptp(total) < 1e-9 * total[0]


def test_every_mechanism_on_conserves_metal():
    """Conservation with every mechanism on, the solid-state ones included: voids,
    trapped metal, filaments and a shunt, over the in-situ protocol (whose first
    strip traps a fifth of the metal and whose second plating reconnects most of
    it) on the NASICON coin cell."""
    from afb_models.options import ALLOWED_OPTIONS

    everything = {name: values[-1] for name, values in ALLOWED_OPTIONS.items()
                  if name not in ("electrolyte", "particle")}
    run = afb_models.simulate(COIN, "solid_state_plating", cycles=3, options=everything)
    assert run.status == "completed"
    c = run.cycles
    assert c["Trapped metal loss"].values[0] > 0.05e-3
    total = c["Total metal"].values
    # rounding of the finite-volume sums (~1e-13 relative)
    assert np.ptp(total) < 1e-9 * total[0]


def test_solid_state_option_on_a_cell_without_its_parameters_is_one_line():
    """A liquid cell has no creep law of its interface: asking for voids on it names
    the option and the missing parameter, before anything runs."""
    from afb_models.errors import CellError

    with pytest.raises(CellError, match="'interface contact' = 'creep-limited' needs "
                                        "the parameter 'Metal creep supply length"):
        afb_models.simulate("AFB_Li_Cu", "adams_ce", cycles=1,
                            options={"interface contact": "creep-limited"})
    with pytest.raises(CellError, match="'internal short' = 'filament'"):
        afb_models.simulate("AFB_Li_Cu", "adams_ce", cycles=1,
                            options={"internal short": "filament"})


def test_losses_figure_shows_the_trapped_metal_given_back():
    """The in-situ protocol's second plating reconnects the metal its first strip
    trapped: a negative loss, which the losses figure draws as what was given back."""
    import matplotlib

    matplotlib.use("Agg")
    from afb_models.plotting import plot_losses

    run = afb_models.simulate(COIN, "solid_state_plating", cycles=2)
    trapped = run.cycles["Trapped metal loss"].values
    assert trapped[0] > 0 > trapped[1]
    fig = plot_losses(run)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    given_back = lines["trapped metal, given back"]
    np.testing.assert_allclose(given_back.get_ydata(), -1e3 * trapped[1:])  # mAh
    assert lines["trapped metal"].get_color() == given_back.get_color()
    # the inventory leaves out the pellet's lattice Na (tens of mAh against the 2
    # mAh plated), and says so
    from afb_models.plotting import plot_inventory

    labels = plot_inventory(run).axes[0].get_legend_handles_labels()[1]
    assert "electrolyte" not in labels and "trapped metal" in labels
    assert "(the solid electrolyte's own metal not shown)" in labels


def test_a_symmetric_cells_counter_foil_loses_contact_too():
    """In a symmetric cell both foils are metal on the solid electrolyte: a plating of
    the working foil strips the counter foil, which opens voids above its critical
    stripping current like the working one (and traps metal, counted in the same
    inventory term); the working foil, plated, keeps its contact."""
    values = parameter_sets.get_parameter_values(SYMMETRIC)
    i_crit = critical_stripping_current_density(values, 100e-6)  # A m-2, the 100 um foil
    amps = 1.2 * i_crit * 1e-4
    solution = _solve(SYMMETRIC, [f"Discharge at {amps} A for 30 minutes"], values,
                      **{"internal short": "none"})
    assert solution["Counter electrode interface contact fraction"].entries[-1] < 0.99
    assert solution["Counter electrode trapped metal amount [mol.m-2]"].entries[-1] > 0
    assert solution["Interface contact fraction"].entries.min() > 1 - 1e-9
    total = solution["Total metal [mol]"].entries
    assert np.ptp(total) < 1e-9 * total[0]
