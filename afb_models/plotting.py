"""The standard figures of a run."""

from __future__ import annotations

import numpy as np


def plot_run(run, path=None, max_curves: int = 12):
    """Voltage against capacity by cycle, capacity and CE against cycle, and the metal
    inventory split against cycle. Saves to ``path`` if given; returns the figure."""
    import matplotlib

    if path is not None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cycles, series = run.cycles, run.series
    fig, axes = plt.subplots(2, 2, figsize=(11, 8), constrained_layout=True)
    ax_v, ax_q, ax_ce, ax_inv = axes.ravel()

    # voltage against the charge passed within each cycle, a few cycles spread out
    numbers = np.asarray(cycles["cycle"].values)
    shown = numbers[np.unique(np.linspace(0, len(numbers) - 1, max_curves).astype(int))]
    colours = plt.cm.viridis(np.linspace(0, 1, len(shown)))
    point_cycle = np.asarray(series["cycle"].values)
    for colour, k in zip(colours, shown, strict=True):
        sel = point_cycle == k
        q = np.asarray(series["Discharge capacity"].values[sel])
        q = (q - q[0]) * 1e3
        ax_v.plot(q, series["Voltage"].values[sel], color=colour, lw=1, label=f"{k}")
    ax_v.set_xlabel("Charge passed in the cycle [mAh] (negative: charging)")
    ax_v.set_ylabel("Voltage [V]")
    ax_v.legend(title="cycle", fontsize=7, ncol=2)

    ax_q.plot(numbers, 1e3 * cycles["Charge capacity"].values, label="charge")
    ax_q.plot(numbers, 1e3 * cycles["Discharge capacity"].values, label="discharge")
    ax_q.set_xlabel("Cycle")
    ax_q.set_ylabel("Capacity [mAh]")
    ax_q.legend()

    ax_ce.plot(numbers, 100 * cycles["Coulombic efficiency"].values, ".-")
    ax_ce.set_xlabel("Cycle")
    ax_ce.set_ylabel("Coulombic efficiency [%]")

    to_mAh = 96485.33212 / 3.6
    for name in ["Plated metal", "Dead metal", "Metal in SEI", "Corroded metal"]:
        ax_inv.plot(numbers, to_mAh * cycles[name].values, label=name)
    ax_inv.set_xlabel("Cycle")
    ax_inv.set_ylabel("Metal at the end of the cycle [mAh]")
    ax_inv.legend()

    fig.suptitle(f"{run.metadata.get('cell', '')} - {run.metadata.get('protocol_name', '')}")
    if path is not None:
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return fig
