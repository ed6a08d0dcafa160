"""The carbonate Li cells (1 M LiPF6 in EC:DMC on bare Cu): their Li||Cu CE is the
published one the loss fractions were fitted to (docs/calibration.md, "The carbonate
Li cells"), and lower than the fluorinated electrolyte's, in the Li||Cu cell and in
the anode-free NMC532||Cu cell."""

import csv
from pathlib import Path

import numpy as np
import pytest

import afb_models
from afb_models import parameter_sets

#: 1 M LiPF6 in EC:DMC (1:2 v/v) on Cu, Li||Cu CE 86.0 %: the Li||Cu CE dataset of
#: Kim et al., Proc. Natl. Acad. Sci. USA 120 (2023) e2214357120, row 5 of
#: parameter_sets/data/li_cu_ce_literature.csv
TARGET_CE = 0.860
TARGET_ELECTROLYTE = "1 M LiPF6 in EC:DMC (1:2 v/v)"
CE_TABLE = Path(parameter_sets.__file__).parent / "data" / "li_cu_ce_literature.csv"


def adams_ce(name):
    """The Adams average CE of the Li||Cu set ``name``, calibrated mechanisms on."""
    return afb_models.simulate(name, "adams_ce").measurements[
        "Average Coulombic efficiency"]


@pytest.fixture(scope="module")
def carbonate_ce():
    return adams_ce("AFB_Li_Cu_carbonate")


def test_target_is_the_published_value():
    with CE_TABLE.open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["electrolyte"] == TARGET_ELECTROLYTE]
    assert len(rows) == 1
    assert float(rows[0]["CE [%]"]) / 100 == pytest.approx(TARGET_CE)
    assert "Kim" in rows[0]["source"] and "e2214357120" in rows[0]["source"]


def test_carbonate_cells_use_the_carbonate_electrolyte():
    from afb_models.parameter_sets.degradation import LI_CARBONATE
    from afb_models.parameter_sets.electrolytes import LIPF6_EC_DMC

    for name in ("AFB_Li_Cu_carbonate", "AFB_Li_NMC532_Cu_carbonate"):
        values = afb_models.get_parameter_values(name)
        for key, value in (LIPF6_EC_DMC | LI_CARBONATE).items():
            assert values[key] is value or values[key] == value, (name, key)
    assert afb_models.get_parameter_values("AFB_Li_Cu_carbonate")[
        "Ambient temperature [K]"] == 298.15
    assert parameter_sets.configuration_of("AFB_Li_Cu_carbonate") == "metal||collector"
    assert parameter_sets.configuration_of("AFB_Li_NMC532_Cu_carbonate") == "anode-free"


def test_li_cu_ce_is_the_published_carbonate_ce(carbonate_ce):
    """The calibration target, within 0.5 % absolute (the fit reached 0.2 %)."""
    assert abs(carbonate_ce - TARGET_CE) < 0.005


def test_li_cu_ce_is_below_the_fluorinated_electrolytes(carbonate_ce):
    fluorinated = adams_ce("AFB_Li_Cu")
    assert carbonate_ce < fluorinated - 0.05  # 86 % against ~99.7 %


def test_anode_free_carbonate_cell_loses_more_metal():
    """Three cycles of the Louli protocol on the anode-free NMC532||Cu cells: the
    carbonate cell completes them, and its metal CE is below the fluorinated cell's
    in every cycle."""
    carbonate = afb_models.simulate("AFB_Li_NMC532_Cu_carbonate", "louli2020", cycles=3)
    fluorinated = afb_models.simulate("AFB_Li_NMC532_Cu", "louli2020", cycles=3)
    assert carbonate.status == "completed"
    ce_carbonate = carbonate.cycles["Metal Coulombic efficiency"].values
    ce_fluorinated = fluorinated.cycles["Metal Coulombic efficiency"].values
    assert len(ce_carbonate) == len(ce_fluorinated) == 3
    assert np.all(ce_carbonate < ce_fluorinated)
    assert np.all((0.8 < ce_carbonate) & (ce_carbonate < 0.97))
