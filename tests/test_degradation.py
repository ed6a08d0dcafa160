"""Each degradation mechanism does what it should and nothing else; every cycle's loss
is split into its mechanisms; the anode-free signature Q_N/Q_1 = prod CE holds."""

import numpy as np
import pybamm
import pytest

import afb_models
from afb_models.options import CALIBRATED_OPTIONS
from afb_models.protocols import load_protocol
from afb_models.runner import Runner
from conftest import solve

ALL = {
    "SEI": "reaction limited",
    "collector SEI": "passivating",
    "deposit morphology": "current and substrate",
    "dead metal": "isolation",
    "dead metal reconnection": "true",
    "dead metal resistance": "true",
    "galvanic corrosion": "mixed potential",
}
AMOUNT = {
    "SEI": "SEI metal amount [mol.m-2]",
    "collector SEI": "Collector SEI metal amount [mol.m-2]",
    "dead metal": "Dead metal amount [mol.m-2]",
    "galvanic corrosion": "Corroded metal amount [mol.m-2]",
}
# solver tolerances for comparisons of losses that are 1e-4..1e-2 of the cycled metal
SOLVER = {"rtol": 1e-8, "atol": 1e-8}


@pytest.fixture(scope="module")
def li():
    return afb_models.get_parameter_values("AFB_Li_NMC532_Cu")


def _area_cm2(values):
    return values["Electrode height [m]"] * values["Electrode width [m]"] * 1e4


def _run(values, options, steps, solver=SOLVER):
    return solve(
        afb_models.AnodeFreeDFN(options), values, steps,
        solver=pybamm.IDAKLUSolver(**solver),
    )


# For comparisons across orders of magnitude PyBaMM's default tolerances suffice; they
# also keep rests with the collector nearly bare cheap (there the metal that is left
# is consumed by reactions of ~1e-5 A m-2, which the solver otherwise follows in steps
# of seconds).
COARSE = {"rtol": 1e-6, "atol": 1e-6}


@pytest.mark.parametrize("off", ["SEI", "collector SEI", "dead metal", "galvanic corrosion"])
def test_a_mechanism_that_is_off_loses_nothing(li, off):
    options = dict(ALL)
    options[off] = "none"
    if off == "dead metal":
        options["dead metal reconnection"] = options["dead metal resistance"] = "false"
    solution = _run(
        li, options,
        ["Charge at C/5 until 4.5 V", "Rest for 2 hours", "Discharge at C/5 until 1.25 V",
         "Rest for 2 hours"],
        solver=COARSE,
    )
    assert np.all(solution[AMOUNT[off]].entries == 0)
    for other, name in AMOUNT.items():
        if other != off:
            assert solution[name].entries[-1] > 0


def _rest_after_plating(values, plated_mAh_cm2, rest_hours):
    i = 1e-3 * _area_cm2(values)  # 1 mA cm-2
    return _run(
        values, {"galvanic corrosion": "mixed potential"},
        [f"Charge at {i} A for {plated_mAh_cm2} hours", f"Rest for {rest_hours} hours"],
        solver=COARSE,
    )


def test_corrosion_grows_with_rest_time_and_at_low_coverage(li):
    low = _rest_after_plating(li, 0.01, 6).sub_solutions[-1]  # 10 uAh cm-2: patchy
    full = _rest_after_plating(li, 1.0, 6).sub_solutions[-1]  # 1 mAh cm-2: covered
    assert low["Collector metal coverage"].entries[0] < 0.5
    assert full["Collector metal coverage"].entries[0] > 0.999
    corroded = low["Corroded metal amount [mol.m-2]"].entries
    assert np.all(np.diff(corroded) > 0)  # grows all through the rest
    lost_low = corroded[-1] - corroded[0]
    full_corroded = full["Corroded metal amount [mol.m-2]"].entries
    lost_full = full_corroded[-1] - full_corroded[0]
    assert lost_low > 100 * lost_full


def test_dead_metal_falls_as_the_stripping_current_rises(li):
    area = _area_cm2(li)
    dead = {}
    for i_mA_cm2 in (0.2, 2.0):
        solution = _run(
            li, {"dead metal": "isolation"},
            [f"Charge at {1e-3 * area} A for 2 hours",  # 2 mAh cm-2
             f"Discharge at {i_mA_cm2 * 1e-3 * area} A until 2.5 V"],
        )
        dead[i_mA_cm2] = solution["Dead metal amount [mol.m-2]"].entries[-1]
    assert dead[2.0] < dead[0.2]
    # the fraction law: x = f0 / (1 + j / j_ref) at these SEI-free conditions
    f0 = li["Dead metal fraction at low current"]
    j_ref = li["Dead metal reference current density [A.m-2]"]
    expected_ratio = (1 + 2 / j_ref) / (1 + 20 / j_ref)  # j = 2 and 20 A m-2
    assert dead[2.0] / dead[0.2] == pytest.approx(expected_ratio, rel=0.05)
    assert f0 > 0


def test_sei_loss_per_cycle_rises_with_plated_capacity(li):
    area = _area_cm2(li)
    loss = {}
    for q in (0.5, 2.0):  # mAh cm-2 plated each cycle
        steps = [
            f"Charge at {1e-3 * area} A for {q} hours",
            f"Discharge at {1e-3 * area} A until 2.5 V",
        ] * 3
        solution = _run(li, {"SEI": "reaction limited"}, steps)
        sei = solution["SEI metal amount [mol.m-2]"]
        last_cycle = solution.sub_solutions[-2:]
        loss[q] = sei(last_cycle[-1].t[-1]) - sei(last_cycle[0].t[0])
    assert loss[2.0] > loss[0.5] > 0


@pytest.fixture(scope="module")
def cycled(li):
    """15 cycles of the Louli protocol with the calibrated mechanisms on."""
    protocol = load_protocol("louli2020", li).with_cycles(15)
    runner = Runner(protocol, li, CALIBRATED_OPTIONS)
    return [r.summary for r in runner.cycles()]


def test_per_cycle_loss_split_closes(cycled):
    for s in cycled:
        q_in_minus_out = s["Charge capacity [A.h]"] - s["Discharge capacity [A.h]"]
        split = (
            s["Metal loss [A.h]"]
            + s["Plated metal change [A.h]"]
            + s["Electrolyte metal change [A.h]"]
        )
        # Exact by conservation; what remains is the algebraic residual of the charge
        # balance, ~rtol (1e-8) of the ~0.2 A.h cycled.
        assert q_in_minus_out == pytest.approx(split, abs=1e-7)
        assert s["Metal loss [A.h]"] > 0
        assert s["Metal loss [A.h]"] == pytest.approx(
            s["Dead metal loss [A.h]"] + s["SEI loss [A.h]"]
            + s["Collector SEI loss [A.h]"] + s["Corrosion loss [A.h]"]
        )


def test_anode_free_signature(li):
    """With no reservoir and losses only from the metal, Q_N / Q_1 = prod CE_k: every
    discharge runs until the metal is used up (lower cut-off far below the cathode's
    plateau), so what a cycle does not return is gone for good."""
    cycle = ["Charge at C/5 until 4.5 V", "Discharge at C/5 until 3.0 V"]
    solution = pybamm.Simulation(
        afb_models.AnodeFreeDFN(CALIBRATED_OPTIONS),
        parameter_values=li,
        experiment=pybamm.Experiment([tuple(cycle)] * 30),
        solver=pybamm.IDAKLUSolver(**SOLVER),
    ).solve()
    q_in, q_out = [], []
    for c in solution.cycles:
        q = c["Discharge capacity [A.h]"].entries
        charge, discharge = c.steps
        q_in.append(q[len(charge.t) - 1] - q[0])
        q_out.append(q[-1] - q[len(charge.t) - 1])
        plated_left = discharge["Plated metal amount [mol.m-2]"].entries[-1]
        assert plated_left < 1e-4  # the metal, not the cathode, ended the discharge
    ce = np.array(q_out) / -np.array(q_in)
    # from the second cycle on (the first charge starts from the as-made cathode)
    ratio = q_out[-1] / q_out[1]
    assert ratio == pytest.approx(np.prod(ce[2:]), rel=5e-3)
    assert ratio < 0.995  # the cell does fade (measured 0.9938 over 28 cycles)
