"""The first plating on a bare substrate needs a nucleation overpotential: larger on bare
Cu than on a metal-philic coating, and smaller on the next plating when metal was
left on the collector."""

import numpy as np
import pybamm
import pytest

import afb_models
from afb_models.parameter_sets.substrates import with_substrate
from conftest import solve

# The dips are tens of mV, set by kinetics; rtol 1e-6 resolves them to ~1e-6 V.
SOLVER = {"rtol": 1e-6, "atol": 1e-8}

ETA = "Negative interface overpotential [V]"


def _plating_dip(step):
    """Most negative interface overpotential during a plating step [V]."""
    return float(np.min(step[ETA].entries))


@pytest.fixture(scope="module")
def li_values():
    return afb_models.get_parameter_values("AFB_Li_NMC532_Cu")


def test_bare_cu_needs_more_than_a_gold_coating(li_values):
    dips = {}
    for substrate in ["bare Cu", "Au-coated Cu"]:
        values = with_substrate(li_values, "Li", substrate)
        solution = solve(
            afb_models.AnodeFreeDFN(),
            values,
            ["Charge at C/10 for 1 hour"],
            solver=pybamm.IDAKLUSolver(**SOLVER),
        )
        dips[substrate] = _plating_dip(solution)
    assert dips["bare Cu"] < dips["Au-coated Cu"] < 0
    # the gap is at least the nucleation overpotential of Cu over Au (40 mV vs 0)
    assert dips["Au-coated Cu"] - dips["bare Cu"] > 0.04


def test_first_dip_matches_the_nucleation_law(li_values):
    """On a bare collector the first plating waits for the nucleation overpotential
    and then grows with the metal's kinetics: the dip's tip less the plateau after
    it is the classical-nucleation law of MetalDeposit at the applied current and
    temperature (the substrate's value at its reference current, scaled). 2 mV: the
    first nuclei carry the current on a few per cent of the collector, which adds
    their activation overpotential at the tip (~ln(1/theta) RT/((1-a)F) at theta ~ 10 %
    would be 60 mV at the metal's j0 if the current were all on them; it is not:
    measured within 1 mV)."""
    solution = solve(
        afb_models.AnodeFreeDFN(),
        li_values,
        ["Charge at C/10 for 2 hours"],
        solver=pybamm.IDAKLUSolver(**SOLVER),
    )
    area = li_values["Electrode height [m]"] * li_values["Electrode width [m]"]
    i = li_values["Nominal cell capacity [A.h]"] / 10 / area
    T = li_values["Ambient temperature [K]"]
    T_ref = li_values["Reference temperature [K]"]
    R = pybamm.constants.R.value
    eta_ref = li_values["Substrate nucleation overpotential [V]"]
    i_ref = li_values["Substrate nucleation reference current density [A.m-2]"]
    i_K = li_values["Metal nucleation rate current density [A.m-2]"]
    E = li_values["Metal nucleation activation energy [J.mol-1]"]
    i_K_T = i_K * np.exp(E / R * (1 / T_ref - 1 / T))
    expected = eta_ref * np.sqrt(T_ref * np.log(1 + i_K / i_ref)
                                 / (T * np.log(1 + i_K_T / i)))
    eta = solution[ETA].entries
    assert eta[-1] - np.min(eta) == pytest.approx(expected, abs=2e-3)


def test_metal_left_from_the_last_cycle_removes_the_dip(li_values):
    values = li_values
    solution = solve(
        afb_models.AnodeFreeDFN(),
        values,
        [
            "Charge at C/10 for 2 hours",
            "Discharge at C/10 for 1 hour",  # half of the metal stays
            "Charge at C/10 for 1 hour",
        ],
        solver=pybamm.IDAKLUSolver(**SOLVER),
    )
    first, _, second = solution.sub_solutions
    assert second[ "Plated metal amount [mol.m-2]"].entries[0] > 0.1
    assert _plating_dip(second) > _plating_dip(first) + 0.03


def _first_plating_dip(values, current_mA_cm2, temperature_K):
    values = values.copy()
    values["Ambient temperature [K]"] = temperature_K
    values["Initial temperature [K]"] = temperature_K
    area_cm2 = 1e4 * values["Electrode height [m]"] * values["Electrode width [m]"]
    current_A = current_mA_cm2 * 1e-3 * area_cm2
    solution = solve(afb_models.AnodeFreeDFN(), values,
                     [f"Charge at {current_A} A for 60 seconds"],
                     solver=pybamm.IDAKLUSolver(**SOLVER))
    return _plating_dip(solution)


def test_nucleation_overpotential_grows_with_current_and_falls_with_temperature(
    li_values,
):
    """docs/physics.md §2: a seed layer is plated at high current and low
    temperature, where the nucleation overpotential is largest (Pei 2017; Yan 2019).
    The first dip deepens with the current at both temperatures, and is deeper at
    -10 °C than at 40 °C by ~40 % (the classical-nucleation law with the Li set's
    35 kJ/mol)."""
    dips = {
        (i, T): _first_plating_dip(li_values, i, T)
        for i in (0.5, 2.0, 5.0)
        for T in (313.15, 263.15)
    }
    for T in (313.15, 263.15):
        assert dips[(0.5, T)] > dips[(2.0, T)] > dips[(5.0, T)]
    for i in (0.5, 2.0, 5.0):
        assert dips[(i, 263.15)] < 1.25 * dips[(i, 313.15)]
    # the seed-layer conditions (2 mA cm-2, -10 °C) against a plain C/10 first
    # charge at 40 °C (0.31 mA cm-2)
    assert dips[(2.0, 263.15)] < _first_plating_dip(li_values, 0.31, 313.15) - 0.02


def test_seed_layer_protocol_runs():
    from afb_models.options import CALIBRATED_OPTIONS
    from afb_models.protocols import load_protocol
    from afb_models.runner import Runner

    values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
    protocol = load_protocol("seed_layer", values).with_cycles(2)
    seed_step = protocol.blocks[0].steps[0]
    assert seed_step.temperature_K == pytest.approx(263.15)
    results = list(Runner(protocol, values, CALIBRATED_OPTIONS).cycles())
    assert len(results) == 2
    assert results[1].summary["Coulombic efficiency"] > 0.99
