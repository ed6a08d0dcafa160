"""Energy density of the stack (afb design): component masses and volumes add up,
and the energy is the simulated discharge's."""

import subprocess
import sys

import pytest

from afb_models.cells import load_cell, with_reservoir
from afb_models.design import energy_density, stack_components


def test_component_table_by_hand(li_cell):
    parts = {c.name: c for c in stack_components(li_cell, plated_thickness_m=15e-6)}
    # 48 um of coating at 70 vol% NMC532 (4.75 g cm-3): 16 mg cm-2 (Louli 2020)
    active = parts["cathode active material"]
    assert 100 * active.mass_kg_m2 == pytest.approx(15.96, rel=1e-9)
    # 15 um of dense Li at 0.534 g cm-3
    metal = parts["plated metal (charged)"]
    assert metal.mass_kg_m2 == pytest.approx(15e-6 * 6.94e-3 / 1.30e-5, rel=1e-9)
    # the coating's volume is split between solid, binder and pores
    coating = sum(
        parts[n].thickness_m
        for n in ("cathode active material", "cathode binder and carbon",
                  "electrolyte in the cathode")
    )
    assert coating == pytest.approx(li_cell["Positive electrode thickness [m]"])


def test_li_cell_energy_density():
    report = energy_density("AFB_Li_NMC532_Cu")
    assert report.gravimetric_Wh_kg == pytest.approx(
        report.capacity_Ah_m2 * report.mean_voltage_V / report.mass_kg_m2
    )
    # the plated metal is the charge's: 4.85 um per mAh cm-2 (docs/physics.md §2)
    metal = next(c for c in report.components if c.name.startswith("plated metal"))
    assert metal.thickness_m / (report.capacity_Ah_m2 / 10) == pytest.approx(
        4.85e-6, rel=0.15  # the charge exceeds the discharge by the first-cycle loss
    )
    # an anode-free NMC stack at 4.5 V: well above Li-ion's ~250-300 Wh kg-1
    assert 400 < report.gravimetric_Wh_kg < 650
    assert 1000 < report.volumetric_Wh_L < 1700
    assert "Wh kg-1" in report.table() and "Wh L-1" in report.table()


def test_a_reservoir_costs_energy_density():
    # the Na cell: its cathode limits the discharge with or without a reservoir, so
    # only the stack changes (the Li cell's discharge is limited by its metal)
    cell = load_cell("AFB_Na_NVPF_glyme_Al")
    free = energy_density(cell)
    cell.parameter_values = with_reservoir(cell.parameter_values, np_ratio=1.0)
    reservoir = cell.parameter_values["Initial plated metal thickness [m]"]
    less = energy_density(cell)
    # the same energy (the cathode limits both) in a stack thicker by the reservoir
    assert less.energy_Wh_m2 == pytest.approx(free.energy_Wh_m2, rel=1e-4)
    assert less.thickness_m == pytest.approx(free.thickness_m + reservoir, rel=1e-4)
    assert less.volumetric_Wh_L < free.volumetric_Wh_L
    assert less.gravimetric_Wh_kg < free.gravimetric_Wh_kg


def test_design_command(tmp_path):
    # (run outside the source tree, so that the installed package is the one found)
    result = subprocess.run(
        [sys.executable, "-m", "afb_models.cli", "design", "AFB_Na_NVPF_glyme_Al"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    assert "Wh kg-1" in result.stdout and "negative collector" in result.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "afb_models.cli", "design", "AFB_Li_Cu"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert bad.returncode == 2 and "no cathode" in bad.stderr
