"""Impedance spectra (afb_models.impedance, PyBaMM's EISSimulation on the afb models):
a bare collector is blocking, a plated one closes on the real axis at the sum of the
cell's resistances, a hard-shorted cell is the shunt's resistor."""

import numpy as np
import pybamm
import pytest

import afb_models
from afb_models import parameter_sets
from afb_models.parameters import MetalElectrodeParameters

F = np.logspace(-3, 6, 28)


def test_a_bare_collector_is_blocking():
    """Before the first plating the collector's interface is its double layer alone:
    at low frequency Z = -1/(i w C_dl A), a phase of -90 degrees."""
    z = afb_models.impedance("AFB_Li_Cu", F)
    values = parameter_sets.get_parameter_values("AFB_Li_Cu")
    capacity = values["Negative electrode double-layer capacity [F.m-2]"] * 1e-4  # 1 cm2
    low = z.sel(Frequency=F[:6])
    assert np.all(low["Phase"] < -89.9)
    omega = 2 * np.pi * low["Frequency"].values
    # measured within 1.2e-6 (the leak of the collector's SEI reaction at rest)
    np.testing.assert_allclose(-low["Imaginary impedance"].values * omega * capacity, 1,
                               rtol=1e-5)


def _sum_of_resistances(name):
    """The symmetric NASICON cell's resistances in series [Ohm], from its
    parameters: the pellet, each foil's interface and SEI film, and each foil's
    charge transfer, RT/(F j0) (Butler-Volmer linearised, alpha_a + alpha_c = 1)."""
    v = parameter_sets.get_parameter_values(name)
    T = v["Reference temperature [K]"]
    c = v["Initial concentration in electrolyte [mol.m-3]"]
    kappa = v.evaluate(pybamm.FunctionParameter(
        "Electrolyte conductivity [S.m-1]",
        {"Electrolyte concentration [mol.m-3]": pybamm.Scalar(c),
         "Temperature [K]": pybamm.Scalar(T)}))
    j0 = v.evaluate(MetalElectrodeParameters().j0_metal(pybamm.Scalar(c), pybamm.Scalar(T)))
    r_ct = 8.314462618 * T / (96485.33212 * j0)
    film = v["SEI resistivity [Ohm.m]"] * v["Initial SEI thickness [m]"]
    areal = (v["Separator thickness [m]"] / kappa
             + v["Negative interface resistance [Ohm.m2]"]
             + v["Counter electrode interface resistance [Ohm.m2]"]
             + 2 * film + 2 * r_ct)
    return areal / 1e-4  # 1 cm2


def test_a_plated_cell_closes_on_the_real_axis_at_the_sum_of_its_resistances():
    """A symmetric cell on a solid electrolyte (no salt gradient, so no diffusion
    tail): at low frequency the spectrum reaches the real axis at the sum of its
    resistances in series; at high frequency the working foil's double layer
    shorts its interface."""
    name = "AFB_Na_Na_NASICON"
    z = afb_models.impedance(name, F, options={"interface contact": "full",
                                               "internal short": "none"})
    expected = _sum_of_resistances(name)
    low = z.sel(Frequency=F[0])
    assert abs(float(low["Phase"])) < 0.01
    # measured: 1.1e-5 relative at 1 mHz (what is left of the arc there, and the
    # SEI reactions' small conductance in parallel)
    assert float(low["Real impedance"]) == pytest.approx(expected, rel=5e-5)
    assert float(z["Real impedance"].sel(Frequency=F[-1])) < 0.9 * expected
    assert float(z["Imaginary impedance"].min()) < -1.0  # the arc


def test_a_hard_shorted_cell_is_the_shunts_resistor():
    values = parameter_sets.get_parameter_values("AFB_Na_Na_NASICON")
    hard = values["Hard short thickening charge ratio"]
    z = afb_models.impedance("AFB_Na_Na_NASICON", F,
                             state={"Filament extent": 1.5, "Filament thickening": 2 * hard})
    r_shunt = values["Hard short resistance [Ohm.m2]"] / 1e-4
    # the shunt in parallel with the cell (~200 Ohm): 1.4-1.7e-4 below the shunt
    np.testing.assert_allclose(z["Impedance modulus"].values, r_shunt, rtol=2e-4)
    assert np.all(np.abs(z["Phase"].values) < 0.01)


def test_a_run_files_last_state(tmp_path):
    """The spectrum of a run file is taken at its last cycle's end: a Li||Cu cell
    left with 5 mAh cm-2 plated (the Adams protocol's reservoir) is no longer
    blocking; the same cell as assembled is."""
    out = tmp_path / "adams.h5"
    afb_models.simulate("AFB_Li_Cu", "adams_ce", cycles=2, out=out)
    plated = afb_models.impedance(out, F)
    assert float(plated["Phase"].sel(Frequency=F[0])) > -45
    bare = afb_models.impedance("AFB_Li_Cu", F)
    assert float(bare["Phase"].sel(Frequency=F[0])) < -89


def test_bad_frequencies_and_states_are_one_line():
    with pytest.raises(ValueError, match="frequencies"):
        afb_models.impedance("AFB_Li_Li", [0, 1])
    with pytest.raises(KeyError, match="no state 'Filament lenght'"):
        afb_models.impedance("AFB_Li_Li", F, state={"Filament lenght": 1})


def test_afb_eis_prints_draws_and_writes_the_spectrum(tmp_path, capsys):
    import xarray as xr

    from afb_models.cli import main

    png, nc = tmp_path / "nyquist.png", tmp_path / "z.nc"
    assert main(["eis", "AFB_Na_Na_NASICON", "--points", "5", "--fmin", "0.01",
                 "--fmax", "1e4", "-o", str(png), "--netcdf", str(nc)]) == 0
    out = capsys.readouterr().out
    assert "AFB_Na_Na_NASICON at rest" in out and len(out.splitlines()) >= 7
    assert png.stat().st_size > 0
    stored = xr.open_dataset(nc)
    again = afb_models.impedance("AFB_Na_Na_NASICON", np.logspace(-2, 4, 5))
    np.testing.assert_allclose(stored["Real impedance"], again["Real impedance"], rtol=1e-9)
    assert main(["eis", "AFB_Li_Li", "--fmin", "10", "--fmax", "1"]) == 2
    assert "--fmin and --fmax" in capsys.readouterr().err
