"""The figures of temperature and safety (README, "Temperature, melting and
melt-driven shorts"):

- thermal_ramp.png: the thermal-ramp protocol (Michalak & Reddy 2025) on the
  symmetric Na||Na cell on NASICON and the symmetric Li||Li cell on LLZO: |Z| at
  1 kHz at the end of each 30-minute step against the cell's temperature, and the
  short each ends in once its metal melts, and for the NASICON cell the same with a
  2 mm pellet and with a denser one (open porosity 5 % against 8 %), which take
  longer to bridge but short in the same step: a molten metal crosses these pore
  networks within minutes;
- melting.png: an adiabatic Na||Na cell on NASICON heated by its own current (5 mA
  cm-2) through the melting point of Na, with the lumped thermal model: its
  temperature holds at 97.8 °C while the liquid fraction rises.

Run from the repository's root: ``python docs/figures/thermal.py`` (~1 minute).
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pybamm  # noqa: E402

import afb_models  # noqa: E402
from afb_models import parameter_sets  # noqa: E402
from afb_models.submodels.internal_short import time_to_bridge  # noqa: E402

HERE = Path(__file__).parent


def ramp_figure():
    fig, ax = plt.subplots(figsize=(6, 4.2), constrained_layout=True)
    na = parameter_sets.get_parameter_values("AFB_Na_Na_NASICON")
    thick = na.copy()
    thick["Separator thickness [m]"] = 2e-3
    dense = na.copy()
    dense["Electrolyte open porosity"] = 0.05
    na_options = parameter_sets.options_of("AFB_Na_Na_NASICON")
    cases = [
        ("Na||Na, NASICON 1 mm", "AFB_Na_Na_NASICON", None),
        # (parameter values are a cell without a set's options: give them)
        ("Na||Na, NASICON 2 mm", thick, na_options),
        ("Na||Na, NASICON 1 mm, 95 % dense", dense, na_options),
        ("Li||Li, LLZO 0.5 mm", "AFB_Li_Li_LLZO", None),
    ]
    for label, cell, options in cases:
        run = afb_models.simulate(cell, "thermal_ramp", options=options)
        values = (parameter_sets.get_parameter_values(cell) if isinstance(cell, str)
                  else cell)
        c = run.cycles
        t_b = time_to_bridge(values)
        ax.semilogy(c["Volume-averaged cell temperature"].values - 273.15,
                    c["Impedance modulus"].values, "o-", ms=4, lw=1,
                    label=f"{label} (bridges in {t_b:.3g} s)")
    ax.axhline(1.0, ls="--", color="0.4", lw=1, label="short threshold, 1 Ohm")
    for name, T in (("Na", 97.8), ("Li", 180.5)):
        ax.axvline(T, ls=":", color="0.6", lw=1)
        ax.annotate(f"{name} melts", (T, 1e-2), rotation=90, fontsize=7,
                    textcoords="offset points", xytext=(3, 0))
    ax.set_xlabel("cell temperature [°C]")
    ax.set_ylabel("|Z| at 1 kHz [Ohm]")
    ax.set_title("Thermal ramp: +10 °C every 30 minutes, |Z| at each step", fontsize=9)
    ax.legend(fontsize=7, loc="center left")
    fig.savefig(HERE / "thermal_ramp.png", dpi=120)


def melting_figure():
    cell = "AFB_Na_Na_NASICON"
    values = parameter_sets.get_parameter_values(cell)
    values["Heat transfer coefficient [W.m-2.K-1]"] = 0.0
    values["Cell additional heat capacity [J.K-1]"] = 0.0
    T_m = values["Metal melting temperature [K]"]
    values["Initial temperature [K]"] = values["Ambient temperature [K]"] = T_m - 3
    options = {**afb_models.options.CALIBRATED_OPTIONS, **parameter_sets.options_of(cell),
               "thermal": "lumped", "internal short": "none", "melt short": "none"}
    model = afb_models.SymmetricMetalCell(options)
    experiment = pybamm.Experiment([pybamm.step.string(
        "Discharge at 5 mA for 60 minutes", period="10 seconds")])
    sol = pybamm.Simulation(model, parameter_values=values, experiment=experiment).solve()
    t = sol["Time [s]"].entries / 60
    fig, ax = plt.subplots(figsize=(6, 4), constrained_layout=True)
    ax.plot(t, sol["Volume-averaged cell temperature [C]"].entries, color="C3")
    ax.set_xlabel("time [min]")
    ax.axhline(T_m - 273.15, ls=":", color="0.5", lw=1)
    ax.set_ylabel("cell temperature [°C]", color="C3")
    ax2 = ax.twinx()
    ax2.plot(t, sol["Metal liquid fraction"].entries, color="C0")
    ax2.set_ylabel("metal liquid fraction", color="C0")
    ax.set_title("Adiabatic Na||Na on NASICON at 5 mA cm-2: Na melts at 97.8 °C",
                 fontsize=9)
    fig.savefig(HERE / "melting.png", dpi=120)


if __name__ == "__main__":
    ramp_figure()
    melting_figure()
