"""Faraday's law for the plated metal: thickness per plated charge is Q Vm / F."""

import pybamm
import pytest

import afb_models
from conftest import solve

F = pybamm.constants.F.value
MAH_PER_CM2 = 36.0e3  # C m-2 in 1 mAh cm-2


@pytest.mark.parametrize(
    "cell,table_um,digits",
    # docs/physics.md §2: 4.85 um of Li and 8.8 um of Na per mAh cm-2
    [("AFB_Li_NMC532_Cu", 4.85, 2), ("AFB_Na_NVPF_glyme_Al", 8.8, 1)],
)
def test_plated_thickness_per_charge(cell, table_um, digits):
    values = afb_models.get_parameter_values(cell)
    molar_volume = values["Metal molar volume [m3.mol-1]"]
    area_cm2 = (
        values["Electrode height [m]"] * values["Electrode width [m]"] * 1e4
    )
    # rtol 1e-6 on the integrated charge is far inside the 0.1 % asked for
    solution = solve(
        afb_models.AnodeFreeDFN(),
        values,
        [f"Charge at {0.5 * area_cm2 * 1e-3} A for 2 hours"],  # 1 mAh cm-2
        solver=pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8),
    )
    charge = -solution["Discharge capacity [A.h]"].entries[-1] * 3600  # C
    thickness = solution["Plated metal thickness [m]"].entries[-1]
    expected = charge / (area_cm2 * 1e-4) * molar_volume / F
    # All passed charge plates metal except what charges the double layer of the
    # bare collector down from its rest potential (C_dl * 3 V = 0.6 C m-2 of
    # 3.6e4 C m-2): far inside 0.1 %.
    assert thickness == pytest.approx(expected, rel=1e-3)
    # and the per-mAh cm-2 value is the textbook one to the digits it is quoted with
    per_mah_um = thickness / (charge / (area_cm2 * 1e-4) / MAH_PER_CM2) * 1e6
    assert round(per_mah_um, digits) == table_um
