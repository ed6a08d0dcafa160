"""The carbonate Li electrolytes (parameter_sets/electrolytes.py) against published
transport data, and the table of published Li||Cu Coulombic efficiencies
(parameter_sets/data/li_cu_ce_literature.csv)."""

import csv
import math
import pickle
import re
from pathlib import Path

import numpy as np
import pybamm
import pytest
from pybamm.input.parameters.lithium_ion.Ai2020 import dlnf_dlnc_Ai2020
from pybamm.input.parameters.lithium_ion.Chen2020 import (
    electrolyte_conductivity_Nyman2008,
)
from pybamm.input.parameters.lithium_ion.Xu2019 import (
    electrolyte_conductivity_Valoen2005,
    electrolyte_diffusivity_Valoen2005,
)

from afb_models.parameter_sets import electrolytes
from afb_models.parameter_sets.electrolytes import LIPF6_EC_DMC, LIPF6_EC_EMC

CE_TABLE = Path(electrolytes.__file__).parent / "data" / "li_cu_ce_literature.csv"
PROVENANCE = re.compile(r"#\s*(source|estimate|derived|calibrated):")
T25, T40 = 298.15, 313.15

KAPPA = "Electrolyte conductivity [S.m-1]"
DIFF = "Electrolyte diffusivity [m2.s-1]"
TPLUS = "Cation transference number"
TDF = "Thermodynamic factor"


def at(function, c_e, T):
    """``function(c_e, T)`` [mol.m-3, K] as a float."""
    return float(function(pybamm.Scalar(c_e), pybamm.Scalar(T)).evaluate())


# --- the dictionaries -------------------------------------------------------------

@pytest.mark.parametrize("electrolyte", [LIPF6_EC_DMC, LIPF6_EC_EMC])
def test_dictionary_holds_pybamm_electrolyte_parameters(electrolyte):
    assert set(electrolyte) == {
        "Initial concentration in electrolyte [mol.m-3]", KAPPA, DIFF, TPLUS, TDF,
    }
    assert electrolyte["Initial concentration in electrolyte [mol.m-3]"] == 1000.0
    values = pybamm.ParameterValues("Chen2020")
    values.update(electrolyte)  # PyBaMM accepts every name and function
    assert pickle.loads(pickle.dumps(electrolyte)).keys() == electrolyte.keys()


def test_every_entry_states_its_source():
    """As tests/test_parameter_sets.py asks of the parameter sets: a source comment on
    every dictionary entry's line."""
    lines = Path(electrolytes.__file__).read_text().splitlines()
    entries = [line for line in lines if re.match(r'\s*"[^"]+"\s*:', line)]
    assert len(entries) == 10
    assert [line for line in entries if not PROVENANCE.search(line)] == []


# --- LiPF6 in EC:DMC (1:1 w/w) against published values ---------------------------
# The independent measurement is Valøen & Reimers, JES 152 (2005) A882 (PyBaMM's
# Xu2019/Ai2020 functions), LiPF6 in PC:EC:DMC (10:27:63 v/v): another EC/DMC-rich
# carbonate, 0.3-3.3 M and -10 to 60 °C. The tolerances allow for the different
# solvent ratio and the few-per-cent scatter between laboratories.

def test_conductivity_at_1M_and_25C():
    """11.8 mS/cm: within the 9-13 mS/cm of 1 M LiPF6 in EC + linear carbonates at
    25 °C (EC:EMC 3:7 is the low end, Nyman 2008: 9.5 mS/cm), and within 5 % of
    Valøen & Reimers (11.9 mS/cm)."""
    kappa = at(LIPF6_EC_DMC[KAPPA], 1000, T25)
    assert 0.9 < kappa < 1.3
    assert kappa == pytest.approx(at(electrolyte_conductivity_Valoen2005, 1000, T25), rel=0.05)


def test_conductivity_temperature_dependence_is_the_measured_one():
    """From 25 to 40 °C the conductivity rises by ~27 % in both data sets (Valøen &
    Reimers: 1.19 -> 1.52 S/m); an apparent activation energy of 10-15 kJ/mol."""
    kappa25 = at(LIPF6_EC_DMC[KAPPA], 1000, T25)
    kappa40 = at(LIPF6_EC_DMC[KAPPA], 1000, T40)
    assert kappa40 == pytest.approx(at(electrolyte_conductivity_Valoen2005, 1000, T40), rel=0.05)
    activation = pybamm.constants.R.value * math.log(kappa40 / kappa25) / (1 / T25 - 1 / T40)
    assert 10e3 < activation < 15e3


def test_conductivity_peaks_near_1M():
    """The maximum of a 1 M LiPF6 carbonate electrolyte lies at ~1 M at room
    temperature (Landesfeind 2019; Valøen & Reimers 2005) and moves to higher
    concentration as the temperature rises (both sources)."""
    c = np.linspace(100, 3000, 291)
    peak = {
        T: c[np.argmax([at(LIPF6_EC_DMC[KAPPA], ci, T) for ci in c])] for T in (T25, T40)
    }
    assert 800 <= peak[T25] <= 1200
    assert peak[T40] > peak[T25]
    valoen_peak = c[np.argmax([at(electrolyte_conductivity_Valoen2005, ci, T25) for ci in c])]
    assert abs(peak[T25] - valoen_peak) < 300  # mol m-3: the two peaks within 0.3 M


def test_diffusivity_at_1M():
    """2.9e-10 m2/s at 25 °C: in the 2-4e-10 m2/s of 1 M LiPF6 carbonates, within
    15 % of Valøen & Reimers (3.2e-10) at 25 and at 40 °C."""
    D25 = at(LIPF6_EC_DMC[DIFF], 1000, T25)
    assert 2e-10 < D25 < 4e-10
    for T in (T25, T40):
        assert at(LIPF6_EC_DMC[DIFF], 1000, T) == pytest.approx(
            at(electrolyte_diffusivity_Valoen2005, 1000, T), rel=0.15
        )


def test_transference_number():
    """0.33 at 1 M, 25 °C: within the 0.2-0.4 reported for LiPF6 carbonates (Valøen
    & Reimers 0.38, Nyman 2008 0.26 for EC:EMC); a fraction between 0 and 1 from
    10 to 50 °C and 0.1 to 2 M (outside, the fitted polynomial is not to be used)."""
    assert 0.2 < at(LIPF6_EC_DMC[TPLUS], 1000, T25) < 0.4
    grid = [
        at(LIPF6_EC_DMC[TPLUS], c, T)
        for c in np.linspace(100, 2000, 20)
        for T in np.linspace(283.15, 323.15, 5)
    ]
    assert 0 < min(grid) and max(grid) < 1


def test_thermodynamic_factor():
    """2.2 at 1 M, 25 °C; within 15 % of Valøen & Reimers' (2.1, with their t+ = 0.38;
    PyBaMM's Ai2020 function) and above 1, as for every LiPF6 carbonate above ~0.5 M."""
    tdf = at(LIPF6_EC_DMC[TDF], 1000, T25)
    valoen = pybamm.ParameterValues({TPLUS: 0.38}).evaluate(
        dlnf_dlnc_Ai2020(pybamm.Scalar(1000), pybamm.Scalar(T25))
    )
    assert tdf == pytest.approx(float(valoen), rel=0.15)
    assert 1 < tdf < 3


# --- LiPF6 in EC:EMC (3:7 w/w): PyBaMM's own functions -----------------------------

def test_ec_emc_against_nyman():
    """9.1 mS/cm at 1 M, 25 °C, within 10 % of Nyman et al., Electrochim. Acta 53 (2008)
    6356 (9.5 mS/cm), an independent measurement of the same mixture; lower than
    EC:DMC (more viscous EMC), as both papers find."""
    kappa = at(LIPF6_EC_EMC[KAPPA], 1000, T25)
    assert kappa == pytest.approx(at(electrolyte_conductivity_Nyman2008, 1000, T25), rel=0.10)
    assert kappa < at(LIPF6_EC_DMC[KAPPA], 1000, T25)
    assert 0.2 < at(LIPF6_EC_EMC[TPLUS], 1000, T25) < 0.4
    assert 2e-10 < at(LIPF6_EC_EMC[DIFF], 1000, T25) < 4e-10


# --- the table of published Li||Cu Coulombic efficiencies --------------------------

COLUMNS = [
    "electrolyte", "substrate", "plating current density [mA cm-2]",
    "stripping current density [mA cm-2]", "areal capacity [mAh cm-2]",
    "temperature [C]", "protocol", "CE [%]", "source", "note",
]
NUMERIC = COLUMNS[2:6]


def _ce_rows():
    with CE_TABLE.open(newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_ce_table_loads_and_every_row_has_a_source():
    rows = _ce_rows()
    assert len(rows) >= 10
    for row in rows:
        assert None not in row and None not in row.values()  # no row longer or shorter than the header
        assert row["electrolyte"] and row["substrate"] and row["protocol"]
        assert re.search(r"\(\d{4}\)", row["source"]), row  # a year in brackets
        assert row["note"], row  # how the value was read
        assert 0 < float(row["CE [%]"]) < 100
        for column in NUMERIC:  # empty where the source does not say
            assert row[column] == "" or float(row[column]) >= 0


def test_ce_table_has_the_baseline_and_the_comparison():
    """Rows for 1 M LiPF6 in EC + linear carbonate on Cu and for the dual-salt
    LiDFOB/LiBF4 FEC:DEC electrolyte of the default Li cell; the baseline's CE is
    well below the fluorinated and concentrated ones (80-90 % against > 95 %)."""
    rows = _ce_rows()
    baseline = [
        float(r["CE [%]"]) for r in rows
        if r["electrolyte"].startswith("1 M LiPF6 in EC:") and "FEC" not in r["electrolyte"]
    ]
    dual_salt = [float(r["CE [%]"]) for r in rows if "LiDFOB + " in r["electrolyte"]]
    assert len(baseline) >= 4 and len(dual_salt) >= 1
    assert max(baseline) < 92
    assert min(dual_salt) > 99
