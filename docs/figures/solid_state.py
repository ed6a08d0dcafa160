"""The figures of the solid-state interface (README, "Solid-state cells"):

- solid_state_ce.png: first-cycle CE of the Na||Au-Al coin cell on NASICON
  (AFB_Na_AuAl_NASICON) against stack pressure, for four stripping currents: plate
  2 mAh cm-2 at 0.5 mA cm-2, strip to 1.5 V (open markers: a soft short from the Na
  foil, plated above its critical current density, during the strip);
- solid_state_contact.png: the interface's contact fraction and the trapped metal
  through that strip at 0.5 mA cm-2, at three stack pressures.

Run from the repository's root: ``python docs/figures/solid_state.py`` (~1 minute).
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pybamm  # noqa: E402

import afb_models  # noqa: E402
from afb_models import parameter_sets  # noqa: E402

CELL = "AFB_Na_AuAl_NASICON"
HERE = Path(__file__).parent
PRESSURES_MPA = [2, 3, 4, 5, 5.6, 6, 7, 8, 10]
STRIP_MA_CM2 = [0.1, 0.2, 0.5, 1.0]


def strip(pressure_MPa, strip_mA_cm2):
    """The plating and strip of the figure, solved; its solution's two steps."""
    values = parameter_sets.get_parameter_values(CELL)
    values["Stack pressure [Pa]"] = pressure_MPa * 1e6
    options = {**afb_models.options.CALIBRATED_OPTIONS, **parameter_sets.options_of(CELL)}
    model = afb_models.models.MetalCollectorCell(options)
    hours = 2.0 / strip_mA_cm2 * 1.5  # the cycler's limit: 1.5 x the plated charge
    experiment = pybamm.Experiment([(
        "Discharge at 0.5 mA for 4 hours",
        f"Charge at {strip_mA_cm2} mA for {hours} hours or until 1.5 V",
    )])
    simulation = pybamm.Simulation(model, parameter_values=values, experiment=experiment,
                                   solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-8))
    return simulation.solve().cycles[0].steps


def charge(step):
    q = step["Discharge capacity [A.h]"].entries
    return abs(q[-1] - q[0])


def ce_figure():
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for current in STRIP_MA_CM2:
        runs = [strip(p, current) for p in PRESSURES_MPA]
        ce = np.array([100 * charge(s[1]) / charge(s[0]) for s in runs])
        # a filament from the Na foil, plated above the CCD (which falls with the
        # pressure), bridged during the strip: a soft short, whose charge counts
        shorted = np.array([s[1]["Filament extent"].entries.max() > 0.9 for s in runs])
        line, = ax.plot(PRESSURES_MPA, ce, "o-", label=f"strip at {current:g} mA cm$^{{-2}}$")
        pressures = np.array(PRESSURES_MPA)
        ax.plot(pressures[shorted], ce[shorted], "o", mfc="white", mec=line.get_color())
    ax.plot([], [], "o", mfc="white", mec="0.3", label="soft short during the strip")
    ax.axvline(5.6, color="0.6", lw=0.8, ls="--")
    ax.text(5.7, 52, "5.6 MPa\n(Tseng 2024)", fontsize=8, color="0.4")
    ax.set(xlabel="Stack pressure [MPa]", ylabel="First-cycle CE [%]", ylim=(50, 101),
           title="Na || Au-Al on NASICON: 2 mAh cm$^{-2}$ plated at 0.5 mA cm$^{-2}$")
    ax.title.set_fontsize(9)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(HERE / "solid_state_ce.png", dpi=120)


def contact_figure():
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5.5, 5), sharex=True)
    for pressure in (4, 5.6, 8):
        step = strip(pressure, 0.5)[1]
        q = step["Discharge capacity [A.h]"].entries
        stripped = 1e3 * np.abs(q - q[0])  # mAh cm-2 on 1 cm2
        top.plot(stripped, step["Interface contact fraction"].entries,
                 label=f"{pressure:g} MPa")
        trapped = step["Trapped metal amount [mol.m-2]"].entries * 96485.33 / 3.6  # mAh m-2
        bottom.plot(stripped, trapped / 1e4, label=f"{pressure:g} MPa")
    top.set(ylabel="Interface contact fraction", ylim=(0, 1.05),
            title="Strip at 0.5 mA cm$^{-2}$ after plating 2 mAh cm$^{-2}$ (to 1.5 V)")
    top.title.set_fontsize(9)
    bottom.set(xlabel="Stripped charge [mAh cm$^{-2}$]",
               ylabel="Trapped metal [mAh cm$^{-2}$]")
    top.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(HERE / "solid_state_contact.png", dpi=120)


if __name__ == "__main__":
    ce_figure()
    contact_figure()
