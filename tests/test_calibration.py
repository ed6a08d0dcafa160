"""The default Li cell, under the Louli 2020 protocol with the calibrated mechanisms,
loses 20 % of its capacity in about 200 cycles (Louli et al., Nat. Energy 5 (2020)
693: 80 % after 200 cycles; 150-250 accepted)."""

import pytest

import afb_models
from afb_models.options import CALIBRATED_OPTIONS
from afb_models.protocols import load_protocol
from afb_models.runner import Runner


@pytest.mark.slow  # ~20 s on 2 cores; the references' first 100 cycles are in the suite
def test_louli_cell_reaches_80_percent_near_200_cycles():
    values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
    protocol = load_protocol("louli2020", values)
    runner = Runner(protocol, values, CALIBRATED_OPTIONS)
    summaries = [r.summary for r in runner.cycles()]
    # the protocol stops at the first cycle below 80 % of cycle 2
    assert runner.stop_reason.startswith("discharge capacity below 80%")
    assert 150 <= len(summaries) <= 250
    reference = summaries[1]["Discharge capacity [A.h]"]
    assert summaries[-1]["Discharge capacity [A.h]"] < 0.8 * reference
    assert summaries[-2]["Discharge capacity [A.h]"] >= 0.8 * reference
