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


def plot_fit(result, path=None, max_curves: int = 4):
    """A fit against its data: discharge capacity and CE against cycle (data as
    points, the fitted model as a line, unfitted cycles greyed), and the fitted
    voltage curves. Saves to ``path`` if given; returns the figure."""
    import matplotlib

    if path is not None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data, model = result.data, result.model
    # the per-cycle quantities the fit compared (the plated charge of a
    # metal||collector protocol is set by it, and says nothing)
    panels = [n for n in result.targets if n in data and n in model] or [
        n for n in ("Discharge capacity", "Coulombic efficiency") if n in data and n in model]
    curves = result.curves
    n_panels = len(panels) + (1 if curves is not None else 0)
    fig, axes = plt.subplots(1, n_panels, figsize=(5 * n_panels, 4.2),
                             constrained_layout=True, squeeze=False)
    fitted = data["fitted"].values.astype(bool) if "fitted" in data else None
    for ax, name in zip(axes[0], panels):
        scale, unit = ((100, "%") if name == "Coulombic efficiency"
                       else (1, "V") if name.startswith("Mean") else (1e3, "mAh"))
        x = data["cycle"].values
        y = scale * data[name].values
        if fitted is not None:
            if (~fitted).any():
                ax.plot(x[~fitted], y[~fitted], "o", color="0.7", ms=3,
                        label="data (not fitted)")
            x, y = x[fitted], y[fitted]
        ax.plot(x, y, "o", ms=3, label="data")
        ax.plot(model["cycle"].values, scale * model[name].values, "-", label="model")
        ax.set_xlabel("Cycle")
        ax.set_ylabel(f"{name} [{unit}]")
        ax.ticklabel_format(axis="y", useOffset=False)
        ax.legend(fontsize=8)
        if name == "Coulombic efficiency":
            # the formation cycle would set the scale: show the cycles after it
            later = y[1:] if y.size > 2 else y
            finite = later[np.isfinite(later)]
            if finite.size:
                pad = max(np.ptp(finite) * 0.2, 0.01)
                ax.set_ylim(finite.min() - pad, finite.max() + pad)
    if curves is not None:
        ax = axes[0][-1]
        cycles = np.unique(curves["data_cycle"].values)[:max_curves]
        colours = plt.cm.viridis(np.linspace(0, 0.9, len(cycles)))
        for colour, k in zip(colours, cycles):
            for side, style in (("data", "o"), ("model", "-")):
                sel = curves[f"{side}_cycle"].values == k
                steps = curves[f"{side}_step"].values[sel]
                q = curves[f"{side}_charge"].values[sel]
                v = curves[f"{side}_voltage"].values[sel]
                for n in np.unique(steps):
                    m = steps == n
                    qs = 1e3 * np.abs(q[m] - q[m][0])
                    ax.plot(qs, v[m], style, color=colour, ms=2, lw=1,
                            label=f"cycle {k} {side}" if n == steps[0] else None)
        ax.set_xlabel("Charge passed in the step [mAh]")
        ax.set_ylabel("Voltage [V]")
        ax.legend(fontsize=7)
    names = ", ".join(f"{n.split('[')[0].strip()} = {v:.3g}" for n, v in result.values.items())
    fig.suptitle(f"Fit: {names}", fontsize=9)
    if path is not None:
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return fig


def plot_sweep(ds, path=None, merit: str = "Cycles to 80 %", against: str | None = None):
    """A sweep: retention against cycle for every case, and a figure of merit
    against a varied quantity (one line per value of the others). Saves to
    ``path`` if given; returns the figure."""
    import json

    import matplotlib

    if path is not None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .sweeps import SweepError

    varied = json.loads(ds.attrs.get("varied", "[]"))
    grid = ds.attrs.get("kind") == "grid" and varied
    flat = ds.stack(case=varied) if grid else ds
    if merit not in ds:
        known = [n for n in ds.data_vars if "cycle" not in ds[n].dims and n != "status"]
        raise SweepError(f"--merit '{merit}': not a figure of merit; known: "
                         f"{', '.join(known)}")
    against = against or (varied[0] if varied else None)
    if against is not None and against not in varied:
        raise SweepError(f"--against '{against}': not a varied quantity "
                         f"({', '.join(varied)})")
    fig, (ax_r, ax_m) = plt.subplots(1, 2, figsize=(12, 4.5), constrained_layout=True)
    n = flat.sizes["case"]
    colours = plt.cm.viridis(np.linspace(0, 0.9, max(n, 1)))
    for i in range(n):
        c = flat.isel(case=i)
        label = ", ".join(f"{v}={c[v].values}" for v in varied)
        ax_r.plot(c["cycle"].values, c["Retention"].values, color=colours[i], lw=1,
                  label=label)
    ax_r.axhline(80, color="0.6", ls=":", lw=1)
    later = flat["Retention"].where(flat["cycle"] > flat["cycle"].min()).values
    if np.isfinite(later).any():
        # the formation cycle (above 100 % of the cycles after it) would set the scale
        low, high = np.nanmin(later), np.nanmax(later)
        ax_r.set_ylim(min(low, 80) - 2, high + 2)
    ax_r.set_xlabel("Cycle")
    ax_r.set_ylabel("Retention [%]")
    ax_r.legend(fontsize=7)
    if against is not None:
        others = [v for v in varied if v != against]
        keys = {}
        censored = False
        for i in range(n):
            c = flat.isel(case=i)
            key = ", ".join(f"{v}={c[v].values}" for v in others)
            y, open_marker = float(c[merit].values), False
            if merit == "Cycles to 80 %" and not np.isfinite(y):
                # it never fell to 80 %: drawn at its last cycle, as "at least"
                ran = np.isfinite(c["Retention"].values)
                y, open_marker = float(c["cycle"].values[ran][-1]) if ran.any() else np.nan, True
                censored = True
            keys.setdefault(key, []).append((c[against].values.item(), y, open_marker))
        numeric = all(isinstance(x, (int, float)) for pts in keys.values() for x, _, _ in pts)
        for key, points in keys.items():
            if numeric:
                points.sort()
            xs = [x if numeric else str(x) for x, _, _ in points]
            line, = ax_m.plot(xs, [y for _, y, _ in points], "-", label=key or None)
            for x, (_, y, open_marker) in zip(xs, points):
                ax_m.plot([x], [y], "o", color=line.get_color(),
                          mfc="none" if open_marker else line.get_color())
        ax_m.set_xlabel(against)
        if any(keys):
            ax_m.legend(fontsize=7)
        if censored:
            ax_m.set_title("open: above 80 % at its last cycle", fontsize=8)
    ax_m.set_ylabel(merit)
    fig.suptitle(f"Sweep {ds.attrs.get('sweep', '')}", fontsize=10)
    if path is not None:
        fig.savefig(path, dpi=120)
        plt.close(fig)
    return fig
