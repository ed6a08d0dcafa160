"""Metal||collector (Li||Cu, Na||Al) and symmetric metal||metal cells: same
submodels, options, variables and runner as the anode-free cell; exact metal
inventory; the Adams CE protocol."""

import numpy as np
import pybamm
import pytest

import afb_models
from afb_models.cells import load_cell
from afb_models.measurements import average_coulombic_efficiency
from afb_models.options import CALIBRATED_OPTIONS
from afb_models.protocols import load_protocol
from afb_models.runner import Runner
from afb_models.submodels.base_mechanism import side_name
from conftest import solve
from test_model_variables import REQUIRED

EVERY_MECHANISM = CALIBRATED_OPTIONS | {
    "dead metal resistance": "true",
    "SEI": "solvent-diffusion limited",
}
PLATE_REST_STRIP = [
    "Discharge at 1 mA for 1 hour",  # 1 mAh cm-2 plated on the collector
    "Rest for 1 hour",
    "Charge at 1 mA for 50 minutes or until 0.5 V",
    "Rest for 1 hour",
]


@pytest.fixture(scope="module")
def li_cu():
    return afb_models.get_parameter_values("AFB_Li_Cu")


@pytest.mark.parametrize(
    "model_class", [afb_models.MetalCollectorCell, afb_models.SymmetricMetalCell]
)
def test_same_variables_as_the_anode_free_cell(model_class):
    model = model_class(EVERY_MECHANISM)
    names = REQUIRED + [
        "Dead metal amount [mol.m-2]", "SEI metal amount [mol.m-2]",
        "Corroded metal amount [mol.m-2]", "Dead metal [mol]", "Metal in SEI [mol]",
        "Corroded metal [mol]",
    ]
    missing = [name for name in names if name not in model.variables]
    assert not missing
    assert "Counter electrode metal amount [mol.m-2]" in model.variables


@pytest.mark.parametrize(
    "model_class,cell",
    [
        (afb_models.MetalCollectorCell, "AFB_Li_Cu"),
        (afb_models.MetalCollectorCell, "AFB_Na_Al"),
        (afb_models.SymmetricMetalCell, "AFB_Li_Li"),
    ],
)
def test_total_metal_is_conserved_with_every_mechanism(model_class, cell):
    values = afb_models.get_parameter_values(cell)
    solution = solve(
        model_class(EVERY_MECHANISM), values, PLATE_REST_STRIP * 3,
        solver=pybamm.IDAKLUSolver(),  # exact by construction, at any tolerance
    )
    total = solution["Total metal [mol]"].entries
    assert (total.max() - total.min()) / total[0] < 1e-9
    assert solution["Lost metal [mol]"].entries[-1] > 0  # the mechanisms did act


def test_a_discharge_plates_the_collector_from_the_counter_electrode(li_cu):
    """Faraday on both electrodes, and the metal||collector sign convention."""
    solution = solve(afb_models.MetalCollectorCell(), li_cu, PLATE_REST_STRIP[:1])
    area_cm2 = 1e4 * li_cu["Electrode height [m]"] * li_cu["Electrode width [m]"]
    plated_mAh_cm2 = 1.0 / area_cm2
    thickness = solution["Plated metal thickness [m]"].entries[-1]
    # 4.85 um of Li per mAh cm-2 (docs/physics.md §2)
    expected = plated_mAh_cm2 * 36e3 / 96485.33212 * li_cu["Metal molar volume [m3.mol-1]"]
    assert thickness == pytest.approx(expected, rel=1e-3)
    assert expected / plated_mAh_cm2 == pytest.approx(4.85e-6, rel=1e-2)
    counter = solution["Metal in counter electrode [mol]"].entries
    plated = solution["Plated metal [mol]"].entries
    electrolyte = solution["Metal in electrolyte [mol]"].entries
    F = 96485.33212
    assert counter[0] - counter[-1] == pytest.approx(3.6 / F, rel=1e-9)  # 1 mAh
    # all of it reaches the collector but the double layer's charge, released as the
    # bare collector is pulled from its rest potential to the metal's
    dl_charge = (li_cu["Negative electrode double-layer capacity [F.m-2]"]
                 * li_cu["Collector open-circuit potential [V]"] * 1e-4 / F)
    assert electrolyte[-1] - electrolyte[0] == pytest.approx(dl_charge, rel=0.1)
    assert plated[-1] + electrolyte[-1] == pytest.approx(
        plated[0] + electrolyte[0] + counter[0] - counter[-1], rel=1e-9
    )
    voltage = solution["Voltage [V]"].entries
    # plating on Cu: the collector sits below the metal's potential, with the
    # nucleation dip at the start deeper than the growth plateau
    assert voltage[-1] < 0
    assert voltage[1:].min() < voltage[-1] - 0.02


def test_a_strip_ends_at_the_cut_off_with_the_collector_nearly_bare(li_cu):
    steps = ["Discharge at 1 mA for 1 hour", "Charge at 1 mA until 0.5 V"]
    solution = solve(afb_models.MetalCollectorCell(), li_cu, steps)
    strip = solution.cycles[1].steps[0]
    assert "0.5" in strip.termination
    plated = solution["Plated metal amount [mol.m-2]"].entries
    # less than 0.05 % of the plated metal is left: what the Adams protocol assumes
    assert plated[-1] < 5e-4 * plated.max()


def test_symmetric_cell_polarises_the_same_both_ways():
    values = afb_models.get_parameter_values("AFB_Li_Li")
    steps = ["Discharge at 1 mA for 30 minutes", "Charge at 1 mA for 30 minutes"]
    solution = solve(afb_models.SymmetricMetalCell(), values, steps)
    plate, strip = (c.steps[0]["Voltage [V]"].entries[-1] for c in solution.cycles)
    # identical foils, kinetics and electrolyte on both sides: the steady
    # polarisation is antisymmetric, to within the small asymmetry of the
    # concentration-dependent exchange currents
    assert plate < 0 < strip
    assert -plate == pytest.approx(strip, rel=2e-2)
    coverage = solution["Collector metal coverage"].entries
    assert coverage.min() > 1 - 1e-9  # a foil covers its collector completely


def test_counter_electrode_running_out_ends_the_step(li_cu):
    values = li_cu.copy()
    values["Counter electrode metal thickness [m]"] = 2e-6  # ~0.4 mAh cm-2 of Li
    solution = solve(afb_models.MetalCollectorCell(), values,
                     ["Discharge at 1 mA for 1 hour"])
    assert solution.termination == "event: Counter electrode metal exhausted"


def test_runner_and_adams_protocol_measure_the_plating_ce():
    """The Adams protocol's average CE equals the model's own inventory loss over the
    same cycles (within 0.05 % absolute: the metal left on the collector at the
    strip cut-off is all that may tell them apart)."""
    cell = load_cell("AFB_Li_Cu")
    assert cell.configuration == "metal||collector"
    protocol = load_protocol("adams_ce", cell.parameter_values)
    runner = Runner(protocol, cell.parameter_values, CALIBRATED_OPTIONS,
                    configuration=cell.configuration)
    results = list(runner.cycles())
    assert [r.block for r in results] == (
        ["conditioning", "reservoir"] + ["cycling"] * 10 + ["final strip"]
    )
    ce = average_coulombic_efficiency(
        [r.block for r in results],
        [r.summary["Plated charge [A.h]"] for r in results],
        [r.summary["Stripped charge [A.h]"] for r in results],
        "reservoir",
    )
    counted = results[1:]
    plated = sum(r.summary["Plated charge [A.h]"] for r in counted)
    lost = sum(r.summary["Metal loss [A.h]"] for r in counted)
    assert plated == pytest.approx(5e-3 + 10 * 1e-3, rel=1e-6)
    assert abs(ce - (1 - lost / plated)) < 5e-4
    assert 0.99 < ce < 1  # the calibrated Li electrolyte loses ~0.1-0.3 % per cycle
    # in a metal||collector cell a discharge plates: CE is charge over discharge
    first = results[0].summary
    assert first["Plated charge [A.h]"] == first["Discharge capacity [A.h]"]
    assert first["Coulombic efficiency"] == pytest.approx(
        first["Charge capacity [A.h]"] / first["Discharge capacity [A.h]"]
    )


def test_run_file_stores_the_average_ce(tmp_path):
    from afb_models.cli import main

    out = tmp_path / "ce.h5"
    assert main(["run", "adams_ce", "--cell", "AFB_Na_Al", "--out", str(out)]) == 0
    run = afb_models.load(out)
    ce = run.measurements["Average Coulombic efficiency"]
    c = run.cycles
    counted = list(c["block"].values).index("reservoir")
    expected = (c["Stripped charge"].values[counted:].sum()
                / c["Plated charge"].values[counted:].sum())
    assert ce == pytest.approx(expected, rel=1e-12)
    assert 0.9 < ce < 1


def test_both_foils_of_a_symmetric_cell_degrade_and_are_counted():
    """SEI and dead metal grow on both foils of a Li||Li cell. Cycled symmetrically
    (each foil strips and plates the same charge in turn), the two foils hold the
    same losses (within 1 %: the one that strips first is one half-cycle ahead),
    the inventory counts both, and the metal is conserved with them."""
    values = afb_models.get_parameter_values("AFB_Li_Li")
    area = values["Electrode height [m]"] * values["Electrode width [m]"]
    i = 1e-3 * area * 1e4  # 1 mA cm-2
    model = afb_models.SymmetricMetalCell(CALIBRATED_OPTIONS)
    solution = solve(model, values,
                     [f"Discharge at {i} A for 1 hour", f"Charge at {i} A for 1 hour"] * 3)
    for amount, inventory in (("SEI metal amount [mol.m-2]", "Metal in SEI [mol]"),
                              ("Dead metal amount [mol.m-2]", "Dead metal [mol]")):
        working = solution[amount].entries[-1]
        counter = solution[side_name(amount, "counter")].entries[-1]
        assert working > 0 and counter > 0
        assert counter == pytest.approx(working, rel=0.01)
        assert solution[inventory].entries[-1] == pytest.approx(
            area * (working + counter), rel=1e-12)
    total = solution["Total metal [mol]"].entries
    assert np.ptp(total) < 1e-9 * total[0]
    # the counter foil's SEI film is in the cell's voltage
    films = solution["Counter electrode film resistance [Ohm.m2]"].entries
    assert films[-1] > values["Initial SEI thickness [m]"] * values["SEI resistivity [Ohm.m]"] * 0.5


def test_a_metal_collector_cells_counter_foil_stays_a_reservoir():
    """In a Li||Cu cell the counter foil is a reservoir: it has no loss states, so
    what the cell measures is the collector's plating CE alone."""
    model = afb_models.MetalCollectorCell(CALIBRATED_OPTIONS)
    assert "Counter electrode SEI metal amount [mol.m-2]" not in model.variables
    symmetric = afb_models.SymmetricMetalCell(CALIBRATED_OPTIONS)
    assert "Counter electrode SEI metal amount [mol.m-2]" in symmetric.variables
