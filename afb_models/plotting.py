"""The figures people expect of a run, a fit and a sweep, as matplotlib figures.

Each figure of a run is also a function of its own that draws into a given axes
(``ax=``) or a new figure: :func:`plot_voltage`, :func:`plot_dqdv`,
:func:`plot_capacity`, :func:`plot_ce`, :func:`plot_inventory`, :func:`plot_losses`;
:func:`plot_run` puts them side by side (``afb plot RUN.h5``).

>>> from afb_models import plotting
>>> fig = plotting.plot_voltage(run, cycles=[1, 10, 100], areal=True)
"""

from __future__ import annotations

import numpy as np

from .mechanisms import LOSS_CHANNELS


#: the figures of a run, by name: what ``afb plot --figure`` takes
RUN_FIGURES = ("voltage", "dqdv", "capacity", "ce", "inventory", "losses", "impedance")

#: Faraday's constant [C mol-1] (PyBaMM's value): mol of metal x F / 3600 -> A.h
_F = 96485.33212


def _pyplot(headless: bool):
    import matplotlib

    if headless:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _area_cm2(run) -> float:
    """The cell's electrode area [cm2], from its stored parameters."""
    p = run.parameters
    return 1e4 * float(p["Electrode height [m]"]) * float(p["Electrode width [m]"])


def _capacity_scale(run, areal: bool) -> tuple[float, str]:
    """(factor from A.h, unit): mAh, or mAh cm-2 when ``areal``."""
    return (1e3 / _area_cm2(run), "mAh cm$^{-2}$") if areal else (1e3, "mAh")


def has_cathode(run) -> bool:
    """Whether the run's cell has a cathode (an anode-free or anode-less cell), not
    a metal counter electrode (metal||collector, symmetric)."""
    import json

    try:
        configuration = json.loads(run.metadata.get("source") or "{}").get("configuration")
    except ValueError:
        configuration = None
    if configuration is not None:
        return configuration == "anode-free"
    counter = run.cycles.get("Metal in counter electrode")
    return counter is None or not np.nanmax(np.abs(counter.values), initial=0) > 0


def default_cycles(numbers, n: int = 6) -> list[int]:
    """A spread of a run's cycles to draw: the first two (the first plating on the
    bare collector, then the first cycle on the formed cell), the last, and the
    rest evenly between."""
    numbers = np.asarray(numbers)
    if numbers.size <= n:
        return [int(k) for k in numbers]
    inner = numbers[np.round(np.linspace(1, numbers.size - 1, n - 1)).astype(int)]
    return sorted({int(numbers[0]), *(int(k) for k in inner)})


def _chosen_cycles(run, cycles) -> list[int]:
    numbers = run.cycles["cycle"].values
    # an accelerated run's extrapolated cycles have no time series to draw
    solved = (run.cycles["Solved in full"].values.astype(bool)
              if "Solved in full" in run.cycles else np.ones(numbers.size, bool))
    if cycles is None:
        return default_cycles(numbers[solved])
    wanted = [int(k) for k in cycles]
    missing = [k for k in wanted if k not in numbers]
    if missing:
        raise ValueError(
            f"cycles {missing} are not in the run (it has cycles "
            f"{int(numbers[0]) if numbers.size else '-'}-"
            f"{int(numbers[-1]) if numbers.size else '-'})")
    extrapolated = [k for k in wanted if not solved[np.searchsorted(numbers, k)]]
    if extrapolated:
        raise ValueError(
            f"cycles {extrapolated} were extrapolated (an accelerated run): they have no "
            "time series; choose solved cycles, or run with "
            f"accelerate={{'always_solve': {extrapolated}}}")
    return wanted


def half_cycles(run, cycle: int):
    """The charges and discharges of ``cycle`` in the run's time series, each as
    ``(direction, capacity [A.h] from zero, voltage [V])``: a run of consecutive
    points whose current has one sign (a constant-voltage hold continues the charge
    before it; rests are left out). ``direction`` is "charge" or "discharge"."""
    series = run.series
    sel = series["cycle"].values == cycle
    q = series["Discharge capacity"].values[sel]
    v = series["Voltage"].values[sel]
    current = series["Current"].values[sel]
    # a point's direction: the current's sign (PyBaMM's: positive discharges); the
    # first point of a step carries the step's current from its start
    sign = np.sign(current)
    out, start = [], None
    for i in range(sel.sum() + 1):
        here = sign[i] if i < sign.size else 0
        if start is not None and (i == sign.size or here != sign[start]):
            segment = slice(start, i)
            if i - start >= 2:
                direction = "discharge" if sign[start] > 0 else "charge"
                out.append((direction, np.abs(q[segment] - q[start]), v[segment]))
            start = None
        if start is None and i < sign.size and here != 0:
            start = i
    return out


def _cycle_colours(plt, chosen):
    """A colour per chosen cycle from viridis, and the mappable of its colour bar."""
    import matplotlib as mpl

    low, high = min(chosen), max(chosen)
    norm = mpl.colors.Normalize(vmin=low, vmax=high if high > low else low + 1)
    cmap = plt.get_cmap("viridis")
    mappable = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    return {k: cmap(norm(k)) for k in chosen}, mappable


def _direction_legend(ax) -> None:
    from matplotlib.lines import Line2D

    ax.legend(handles=[Line2D([], [], color="0.3", ls="-", label="discharge"),
                       Line2D([], [], color="0.3", ls="--", label="charge")],
              fontsize=8, loc="best")


def plot_voltage(run, cycles=None, *, areal: bool = False, ax=None):
    """Voltage against capacity for ``cycles`` (default :func:`default_cycles`):
    each charge and discharge from zero capacity (charges dashed, discharges
    solid), coloured by cycle with a colour bar. Returns the figure."""
    plt = _pyplot(False)
    fig, ax = _figure(plt, ax)
    chosen = _chosen_cycles(run, cycles)
    colours, mappable = _cycle_colours(plt, chosen)
    scale, unit = _capacity_scale(run, areal)
    drawn = []
    for k in chosen:
        for direction, q, v in half_cycles(run, k):
            ax.plot(scale * q, v, color=colours[k], lw=1.2,
                    ls="-" if direction == "discharge" else "--")
            drawn.append(v)
    if drawn and not has_cathode(run):
        # a bare collector's open circuit (volts, at the first point of a plating)
        # would set the axis of a plating at tens of mV: the axis holds every point
        # but the first of each curve
        v = np.concatenate(drawn)
        rest = np.concatenate([curve[1:] for curve in drawn])
        if rest.size and np.ptp(v) > 2 * np.ptp(rest) > 0:
            pad = 0.1 * np.ptp(rest)
            ax.set_ylim(rest.min() - pad, rest.max() + pad)
            ax.set_title("off the axis: the bare collector's open circuit at the "
                         "start of a plating", fontsize=8)
    ax.set_xlabel(f"Capacity [{unit}]")
    ax.set_ylabel("Voltage [V]")
    fig.colorbar(mappable, ax=ax, label="Cycle")
    _direction_legend(ax)
    return fig


def plot_dqdv(run, cycles=None, *, areal: bool = False, ax=None, step_V: float = 0.005):
    """Differential capacity dQ/dV against voltage for ``cycles``: each charge
    (dashed, drawn negative, as cyclers do) and discharge (solid), from the stored
    series resampled on a ``step_V`` voltage grid (the series keeps its points
    within 1 mV by default, so a 5 mV grid differentiates it without its noise).
    Returns the figure."""
    plt = _pyplot(False)
    fig, ax = _figure(plt, ax)
    chosen = _chosen_cycles(run, cycles)
    colours, mappable = _cycle_colours(plt, chosen)
    scale, unit = _capacity_scale(run, areal)
    span = [np.inf, -np.inf]
    for k in chosen:
        for direction, q, v in half_cycles(run, k):
            voltage, dq_dv = differential_capacity(q, v, step_V)
            if voltage.size:
                sign = 1 if direction == "discharge" else -1
                ax.plot(voltage, sign * scale * dq_dv, color=colours[k], lw=1.2,
                        ls="-" if direction == "discharge" else "--")
                # the voltages where all but the first and last 0.5 % of the
                # capacity pass (not the first charge's climb from a bare collector)
                share = np.cumsum(dq_dv) / max(dq_dv.sum(), 1e-300)
                inside = voltage[(share > 0.005) & (share < 0.995)]
                if inside.size:
                    span = [min(span[0], inside.min()), max(span[1], inside.max())]
    if np.isfinite(span).all():
        pad = 0.05 * (span[1] - span[0]) + step_V
        ax.set_xlim(span[0] - pad, span[1] + pad)
    ax.axhline(0, color="0.6", lw=0.6)
    ax.set_xlabel("Voltage [V]")
    ax.set_ylabel(f"dQ/dV [{unit} V$^{{-1}}$]")
    fig.colorbar(mappable, ax=ax, label="Cycle")
    _direction_legend(ax)
    return fig


def differential_capacity(q, v, step_V: float = 0.005):
    """dQ/dV [A.h V-1] of one charge or discharge (capacity ``q`` [A.h] from zero,
    voltage ``v`` [V]) on a grid of ``step_V``: the derivative of a monotone cubic
    (PCHIP) through the capacity against voltage, along the curve made monotonic in
    voltage (a relaxation at a step's start, or a nucleation dip, is left out). A
    cubic rather than differences of the thinned series, whose straight segments
    would make a staircase. Returns (grid, dQ/dV)."""
    from scipy.interpolate import PchipInterpolator

    q, v = np.asarray(q, float), np.asarray(v, float)
    rising = v[-1] >= v[0]
    monotonic = np.maximum.accumulate(v) if rising else np.minimum.accumulate(v)
    keep = np.r_[True, np.diff(monotonic) != 0]  # strictly monotonic points only
    vs, qs = monotonic[keep], q[keep]
    if vs.size < 3 or abs(vs[-1] - vs[0]) < 2 * step_V:
        return np.zeros(0), np.zeros(0)
    if not rising:
        vs, qs = vs[::-1], qs[::-1]
    grid = np.arange(vs[0], vs[-1], step_V)
    return grid, np.abs(PchipInterpolator(vs, qs).derivative()(grid))


def plot_capacity(run, *, areal: bool = False, ax=None):
    """Discharge capacity against cycle, with the retention (% of the protocol's
    reference cycle) on the right axis; for a cell without a cathode (metal||collector,
    symmetric), the charge plated and the charge stripped back. Returns the figure."""
    plt = _pyplot(False)
    fig, ax = _figure(plt, ax)
    scale, unit = _capacity_scale(run, areal)
    cycles = run.cycles
    numbers = cycles["cycle"].values
    if not has_cathode(run):
        stripped = scale * cycles["Stripped charge"].values
        plated = scale * cycles["Plated charge"].values
        ax.plot(numbers, stripped, ".-", ms=3, lw=1, label="stripped")
        ax.plot(numbers, plated, ".", ms=2, color="0.6", label="plated")
        ax.set_xlabel("Cycle")
        ax.set_ylabel(f"Charge [{unit}]")
        # from zero: a protocol that plates the same charge every cycle would
        # otherwise draw its rounding (1e-13 of it) across the whole axis
        top = np.nanmax(np.concatenate([stripped, plated]), initial=0)
        ax.set_ylim(0, 1.1 * top if top > 0 else None)
        ax.legend(fontsize=8)
        return fig
    q = scale * cycles["Discharge capacity"].values
    ax.plot(numbers, q, ".-", ms=3, lw=1, label="discharge")
    ax.plot(numbers, scale * cycles["Charge capacity"].values, ".", ms=2, color="0.6",
            label="charge")
    ax.set_xlabel("Cycle")
    ax.set_ylabel(f"Discharge capacity [{unit}]")
    retention = run.retention.values
    finite = np.isfinite(retention) & (retention != 0)
    if finite.any():
        # the retention axis is the capacity axis rescaled: 100 % at the reference
        reference = float(np.median(q[finite] * 100 / retention[finite]))
        ax.secondary_yaxis("right", functions=(lambda x: 100 * x / reference,
                                               lambda r: r * reference / 100)
                           ).set_ylabel(
            f"Retention [% of cycle {run.metadata.get('reference_cycle', 1)}]")
        ax.axhline(0.8 * reference, color="0.6", ls=":", lw=1)
    ax.legend(fontsize=8)
    return fig


def formation_cycles(run) -> np.ndarray:
    """Which cycles are formation: the first (the first plating on the bare
    collector) and those of a protocol block named for formation or a seed layer."""
    blocks = np.asarray(run.cycles["block"].values, dtype=str) if "block" in run.cycles \
        else np.array([""] * run.cycles.sizes.get("cycle", 0))
    numbers = run.cycles["cycle"].values
    named = np.char.find(np.char.lower(blocks), "formation") >= 0
    named |= np.char.find(np.char.lower(blocks), "seed") >= 0
    return named | (numbers == numbers.min() if numbers.size else named)


def plot_ce(run, *, log: bool = False, ax=None):
    """Coulombic efficiency against cycle, the formation cycles marked (open
    markers, shaded). The axis is set by the cycles after formation, so that
    99-100 % can be read (a formation cycle below it is drawn at the axis' foot,
    its value written); with ``log``, 1 - CE on a log axis instead. Returns the
    figure."""
    plt = _pyplot(False)
    fig, ax = _figure(plt, ax)
    numbers = run.cycles["cycle"].values
    ce = 100 * run.cycles["Coulombic efficiency"].values
    # the metal's own CE (1 - lost / plated): what a reservoir, or a deposit left on
    # the collector, hides from the cell's (absent from files of afb before it)
    metal = (100 * run.cycles["Metal Coulombic efficiency"].values
             if "Metal Coulombic efficiency" in run.cycles else None)
    formation = formation_cycles(run)
    later = ce[~formation & np.isfinite(ce)]
    if metal is not None:
        later = np.concatenate([later, metal[~formation & np.isfinite(metal)]])
    if formation.any():
        ax.axvspan(numbers[formation].min() - 0.5, numbers[formation].max() + 0.5,
                   color="0.9", zorder=0, label="formation")
    if log:
        loss = 1 - ce / 100
        shown = np.isfinite(loss) & (loss > 0)
        ax.semilogy(numbers[shown & ~formation], loss[shown & ~formation], ".-", ms=3,
                    lw=1, label="cycling")
        ax.semilogy(numbers[shown & formation], loss[shown & formation], "o", mfc="none",
                    color="C3", label="formation cycles")
        if metal is not None:
            metal_loss = 1 - metal / 100
            ok = np.isfinite(metal_loss) & (metal_loss > 0)
            ax.semilogy(numbers[ok], metal_loss[ok], "-", lw=1, color="C1",
                        label="metal (1 - CE: lost / plated)")
        ax.set_ylabel("1 - Coulombic efficiency")
        ax.legend(fontsize=8)
        ax.set_xlabel("Cycle")
        return fig
    if later.size:
        # the axis of the cycles after formation: 99-100 % at least, widened to
        # their 5th percentile (the first cycle in a new voltage window, e.g., would
        # otherwise set it) and their highest
        low = min(99.0, float(np.nanpercentile(later, 5)) - 0.05)
        high = max(100.0, float(np.nanmax(later))) + 0.05
    else:
        low, high = 99.0, 100.05
    ax.set_ylim(low, high)
    ax.axhline(100, color="0.6", lw=0.6)
    ax.plot(numbers[~formation], np.clip(ce[~formation], low, high), ".-", ms=3, lw=1,
            label="cycling")
    if metal is not None:
        ax.plot(numbers, np.clip(metal, low, high), "-", lw=1, color="C1",
                label="metal (1 - lost / plated)")
    ax.plot(numbers[formation], np.clip(ce[formation], low, high), "o", mfc="none",
            color="C3", label="formation cycles")
    # a value off the axis is drawn at its edge, with its value
    outside = np.flatnonzero(np.isfinite(ce) & ((ce < low) | (ce > high)))
    for i in outside[:8]:
        ax.annotate(f"{ce[i]:.1f} %", (numbers[i], min(max(ce[i], low), high)),
                    textcoords="offset points", xytext=(4, 6 if ce[i] < low else -10),
                    fontsize=7, color="C3")
    ax.ticklabel_format(axis="y", useOffset=False)
    ax.set_xlabel("Cycle")
    ax.set_ylabel("Coulombic efficiency [%]")
    ax.legend(fontsize=8, loc="lower right")
    return fig


#: the metal inventory's parts, stacked from the bottom: summary name -> label (the
#: cyclable metal, then one part per loss channel of afb_models.mechanisms)
INVENTORY_PARTS = {
    "Metal in positive electrode": "cathode",
    "Metal in counter electrode": "counter electrode",
    "Metal in electrolyte": "electrolyte",
    "Plated metal": "plated",
    **{channel.inventory_name: channel.label for channel in LOSS_CHANNELS},
}


def plot_inventory(run, *, areal: bool = False, ax=None):
    """The metal inventory at the end of each cycle, stacked (cathode, counter
    electrode, electrolyte, plated, then one part per loss channel; the parts a cell does not
    have are left out), in charge units. Conserved, the stack's top is flat. A solid
    electrolyte's metal is its lattice's, which does not cycle and would dwarf the
    rest (tens of mAh in a NASICON pellet): it is left out, and the legend says so.
    Returns the figure."""
    plt = _pyplot(False)
    fig, ax = _figure(plt, ax)
    scale, unit = _capacity_scale(run, areal)
    numbers = run.cycles["cycle"].values
    parts, labels = [], []
    lattice = run.options.get("electrolyte") == "single-ion conductor"
    for name, label in INVENTORY_PARTS.items():
        if name not in run.cycles or (lattice and name == "Metal in electrolyte"):
            continue
        values = scale * _F / 3600 * run.cycles[name].values
        if np.nanmax(np.abs(values), initial=0) > 0:
            parts.append(values)
            labels.append(label)
    if parts:
        ax.stackplot(numbers, *parts, labels=labels, alpha=0.85)
    if lattice:
        # (an empty entry: the legend tells what the stack leaves out)
        ax.plot([], [], " ", label="(the solid electrolyte's own metal not shown)")
    ax.set_xlabel("Cycle")
    ax.set_ylabel(f"Metal at the end of the cycle [{unit}]")
    ax.legend(fontsize=7, loc="lower left", reverse=True)
    return fig


#: each mechanism's loss per cycle: summary name -> label
LOSS_PARTS = {channel.loss_name: channel.label for channel in LOSS_CHANNELS}


def plot_losses(run, *, areal: bool = False, ax=None):
    """The metal each mechanism took in each cycle, on a log axis (what a CE below
    100 % is made of), and, as open markers of its colour, what it gave back in a
    cycle (trapped metal reconnected by a plating, dead metal reconnected at rest).
    Returns the figure."""
    plt = _pyplot(False)
    fig, ax = _figure(plt, ax)
    scale, unit = _capacity_scale(run, areal)
    numbers = run.cycles["cycle"].values
    largest = 0.0
    for name, label in LOSS_PARTS.items():
        if name in run.cycles:
            values = scale * run.cycles[name].values
            positive = values > 0
            color = None
            if positive.any():
                # (a cycle that gave metal back breaks the line)
                line, = ax.semilogy(numbers, np.where(positive, values, np.nan), ".-",
                                    ms=2, lw=1, label=label)
                color = line.get_color()
                largest = max(largest, float(values[positive].max()))
            recovered = values < 0
            if recovered.any():
                ax.semilogy(numbers[recovered], -values[recovered], "o", ms=4, mfc="none",
                            color=color, label=f"{label}, given back")
                largest = max(largest, float(-values[recovered].min()))
    ax.set_xlabel("Cycle")
    ax.set_ylabel(f"Metal lost in the cycle [{unit}]")
    if largest > 0:
        ax.legend(fontsize=8)
        # a mechanism that hardly acts (corrosion on a collector a reservoir keeps
        # covered: 1e-60 of the others) would stretch the axis over tens of decades
        # and flatten the rest; below a millionth of the largest loss it is off it
        low = max(ax.get_ylim()[0], 1e-6 * largest)
        ax.set_ylim(low, None)
    return fig


def _figure(plt, ax):
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.5, 4), constrained_layout=True)
        return fig, ax
    return ax.figure, ax


def plot_run(run, path=None, *, cycles=None, areal: bool = False, figures=None,
             ce_log: bool = False):
    """The figures of a run, side by side: voltage against capacity and dQ/dV for
    chosen ``cycles``, discharge capacity and retention, CE, the stacked metal
    inventory, the losses by mechanism and, for a protocol that records it, |Z|
    against temperature (``figures``: a subset of :data:`RUN_FIGURES`; by default
    all of them, but dQ/dV for a cell without a cathode, whose plating plateau has
    none to show, the impedance for a run that recorded none, and the voltage,
    capacity and CE figures for a run that passed no charge). Saves to ``path`` if given;
    returns the figure."""
    if run.cycles.sizes.get("cycle", 0) == 0:
        raise ValueError("the run has no finished cycle to plot")
    if figures is None:
        figures = tuple(f for f in RUN_FIGURES if (has_cathode(run) or f != "dqdv")
                        and (has_impedance(run) or f != "impedance")
                        and (passed_charge(run) or f not in _CHARGE_FIGURES))
    unknown = [f for f in figures if f not in RUN_FIGURES]
    if unknown:
        raise ValueError(f"unknown figure(s) {unknown}; known: {', '.join(RUN_FIGURES)}")
    plt = _pyplot(path is not None)
    n = len(figures)
    columns = min(n, 3)
    rows = -(-n // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(5.2 * columns, 4.0 * rows),
                             constrained_layout=True, squeeze=False)
    draw = {
        "voltage": lambda ax: plot_voltage(run, cycles, areal=areal, ax=ax),
        "dqdv": lambda ax: plot_dqdv(run, cycles, areal=areal, ax=ax),
        "capacity": lambda ax: plot_capacity(run, areal=areal, ax=ax),
        "ce": lambda ax: plot_ce(run, log=ce_log, ax=ax),
        "inventory": lambda ax: plot_inventory(run, areal=areal, ax=ax),
        "losses": lambda ax: plot_losses(run, areal=areal, ax=ax),
        "impedance": lambda ax: plot_impedance_temperature(run, ax=ax),
    }
    flat = axes.ravel()
    for ax, name in zip(flat, figures):
        draw[name](ax)
    for ax in flat[n:]:
        ax.set_visible(False)
    fig.suptitle(f"{run.metadata.get('cell', '')} - {run.metadata.get('protocol_name', '')}"
                 f" ({run.status})", fontsize=10)
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


#: the figures of the charge a run passed, empty for one that only rested
_CHARGE_FIGURES = ("voltage", "dqdv", "capacity", "ce")


def passed_charge(run) -> bool:
    """Whether any cycle of the run passed charge (a thermal ramp only rests)."""
    c = run.cycles
    return bool(np.any(c["Charge capacity"].values > 0)
                or np.any(c["Discharge capacity"].values > 0))


def has_impedance(run) -> bool:
    """Whether the run recorded an impedance per cycle (a protocol with an
    ``[impedance]`` table, such as thermal_ramp)."""
    return "Impedance modulus" in run.cycles


def plot_impedance_temperature(run, path=None, *, ax=None):
    """|Z| at the protocol's frequency at the end of each cycle against the cell's
    temperature then, on a log scale: a thermal-ramp experiment's record. The short
    threshold is a dashed line, and the short temperature (the first point below it)
    a marker. Saves to ``path`` if given; returns the figure."""
    if not has_impedance(run):
        raise ValueError("the run recorded no impedance: its protocol has no "
                         "[impedance] table (e.g. thermal_ramp)")
    plt = _pyplot(path is not None)
    fig, ax = _figure(plt, ax)
    c = run.cycles
    celsius = c["Volume-averaged cell temperature"].values - 273.15
    modulus = c["Impedance modulus"].values
    at = (f" at {float(c['Impedance frequency'].values[-1]):g} Hz"
          if "Impedance frequency" in c else "")
    ax.semilogy(celsius, modulus, "o-", ms=4, lw=1, label=f"|Z|{at}")
    if "Short threshold" in c:
        threshold = float(c["Short threshold"].values[-1])
        ax.axhline(threshold, ls="--", color="0.4", lw=1,
                   label=f"short threshold {threshold:g} Ohm")
    short = run.measurements.get("Short temperature [K]")
    if short is not None:
        ax.axvline(short - 273.15, color="C3", lw=1,
                   label=f"short at {short - 273.15:.0f} °C")
    ax.set_xlabel("cell temperature [°C]")
    ax.set_ylabel("|Z| [Ohm]")
    ax.legend(fontsize=8)
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig


def plot_nyquist(spectrum, path=None, *, areal: bool = False, ax=None):
    """The Nyquist plot of an impedance spectrum (:func:`afb_models.impedance`):
    -Im Z against Re Z on equal axes, a marker at each decade of frequency
    labelled with it. ``areal``: in Ohm cm2. Saves to ``path`` if given; returns
    the figure."""
    plt = _pyplot(path is not None)
    fig, ax = _figure(plt, ax)
    scale = spectrum.attrs.get("area [cm2]", 1.0) if areal else 1.0
    unit = "Ohm cm$^2$" if areal else "Ohm"
    re = scale * spectrum["Real impedance"].values
    im = -scale * spectrum["Imaginary impedance"].values
    f = spectrum["Frequency"].values
    ax.plot(re, im, ".-", ms=3, lw=1)
    decades = np.arange(np.ceil(np.log10(f.min())), np.floor(np.log10(f.max())) + 1)
    for decade in decades:
        k = int(np.argmin(np.abs(np.log10(f) - decade)))
        ax.plot(re[k], im[k], "o", ms=4, mfc="none", color="0.3")
        ax.annotate(f"{10 ** decade:g} Hz", (re[k], im[k]), fontsize=7,
                    textcoords="offset points", xytext=(4, 4))
    ax.set_xlabel(f"Re Z [{unit}]")
    ax.set_ylabel(f"-Im Z [{unit}]")
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_title(spectrum.attrs.get("cell", ""), fontsize=9)
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig

