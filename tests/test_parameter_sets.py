"""The parameter sets: listable, loadable by name (also through PyBaMM), every value
with its source, and each simulates."""

import re
from pathlib import Path

import pybamm
import pytest

import afb_models
from afb_models import parameter_sets
from afb_models.parameter_sets import substrates

NAMES = [
    "AFB_Li_Cu",
    "AFB_Li_Li",
    "AFB_Li_NMC532_Cu",
    "AFB_Na_Al",
    "AFB_Na_NASICON_AuAl",
    "AFB_Na_NVPF_glyme_Al",
]
PROVENANCE = re.compile(r"#\s*(source|estimate|derived|calibrated):")


def test_listed():
    assert parameter_sets.list_parameter_sets() == NAMES
    assert afb_models.list_parameter_sets() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_loadable_by_name_and_through_pybamm(name):
    ours = afb_models.get_parameter_values(name)
    through_pybamm = pybamm.ParameterValues(name)
    assert set(ours.keys()) == set(through_pybamm.keys())
    assert ours["Metal molar volume [m3.mol-1]"] == through_pybamm[
        "Metal molar volume [m3.mol-1]"
    ]


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="AFB_Li_NMC532_Cu"):
        afb_models.get_parameter_values("AFB_Li_graphite")


def _unannotated_entries(path):
    """Dictionary entries of ``path`` without a source/estimate/derived comment on
    their line or in the comment lines right above them."""
    missing = []
    lines = Path(path).read_text().splitlines()
    for i, line in enumerate(lines):
        if not re.match(r'\s*"[^"]+"\s*:', line) or line.rstrip().endswith("{"):
            continue  # not an entry, or a group of entries
        if PROVENANCE.search(line):
            continue
        j, found = i - 1, False
        while j >= 0 and lines[j].strip().startswith("#"):
            found = found or bool(PROVENANCE.search(lines[j]))
            j -= 1
        if not found:
            missing.append(f"{Path(path).name}:{i + 1}: {line.strip()}")
    return missing


@pytest.mark.parametrize("name", NAMES)
def test_every_value_states_its_source(name):
    assert _unannotated_entries(parameter_sets.source_file(name)) == []


def test_every_substrate_value_states_its_source():
    assert _unannotated_entries(substrates.__file__) == []


def test_every_coin_cell_value_states_its_source():
    from afb_models.parameter_sets import metal_cells

    assert _unannotated_entries(metal_cells.__file__) == []


def test_li_cell_is_the_louli_cell():
    """About 3.1 mAh cm-2 in the 3.6-4.5 V window at 40 °C (Louli 2020)."""
    values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
    area_cm2 = values["Electrode height [m]"] * values["Electrode width [m]"] * 1e4
    solution = pybamm.Simulation(
        afb_models.AnodeFreeDFN(),
        parameter_values=values,
        experiment=pybamm.Experiment(
            [
                "Charge at C/10 until 4.5 V",
                "Discharge at C/10 until 3.6 V",
            ]
        ),
        solver=pybamm.IDAKLUSolver(),
    ).solve()
    q = solution["Discharge capacity [A.h]"].entries
    discharged_mAh_cm2 = (q[-1] - q.min()) * 1e3 / area_cm2
    assert 2.8 < discharged_mAh_cm2 < 3.4  # 3.1 mAh cm-2 +- 10 %


def test_li_cathode_ocp_falls_only_as_the_cathode_fills():
    """The lithiation wall leaves the fitted curve alone where the cell cycles (under
    1 mV below x = 0.96) and takes the OCP below every lower cut-off at x = 1."""
    from pybamm.input.parameters.lithium_ion.Chen2020 import nmc_LGM50_ocp_Chen2020

    values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
    ocp = values["Positive electrode OCP [V]"]

    def at(function, x):
        return float(function(pybamm.Scalar(x)).evaluate())

    for x in (0.3, 0.6, 0.9, 0.96):
        assert abs(at(ocp, x) - at(nmc_LGM50_ocp_Chen2020, x)) < 1e-3
    assert at(ocp, 0.99) < at(ocp, 0.98) - 0.2
    assert at(ocp, 1.0) < values["Lower voltage cut-off [V]"]


@pytest.mark.parametrize("name", NAMES)
def test_each_cell_plates_and_strips(name):
    """Each set simulates in the model of its configuration: a charge (anode-free)
    or a discharge (metal||collector, symmetric) plates the collector, and the way
    back strips it."""
    values = afb_models.get_parameter_values(name)
    configuration = parameter_sets.configuration_of(name)
    model_class = getattr(afb_models, parameter_sets.CONFIGURATIONS[configuration])
    model = model_class(parameter_sets.options_of(name))
    upper = values["Upper voltage cut-off [V]"]
    lower = values["Lower voltage cut-off [V]"]
    if configuration == "anode-free":
        steps = [f"Charge at C/5 until {upper} V", f"Discharge at C/5 until {lower} V"]
    else:
        steps = ["Discharge at C/5 for 2 hours", f"Charge at C/5 for 3 hours or until {upper} V"]
    solution = pybamm.Simulation(
        model,
        parameter_values=values,
        experiment=pybamm.Experiment(steps),
        solver=pybamm.IDAKLUSolver(),
    ).solve()
    first, second = solution.sub_solutions
    if configuration == "anode-free":
        assert "Voltage >" in first.termination and "Voltage <" in second.termination
    elif configuration == "metal||collector":
        assert "Voltage >" in second.termination  # stripped to the cut-off
    plated = solution["Plated metal thickness [m]"].entries
    assert plated.max() - plated[0] > 1e-6  # micrometres of metal were plated
