"""Quantities measured over several cycles of a protocol, as an experimenter would."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: the names under which measurements are stored (attributes of the run file)
MEASUREMENT_NAMES = ("Average Coulombic efficiency", "Short temperature [K]")

#: the |Z| below which a cell counts as shorted, by configuration [Ohm] (Michalak &
#: Reddy, Sustainable Energy Fuels 9 (2025) 1545: 1 Ohm for symmetric cells, 2 Ohm
#: for half cells)
SHORT_THRESHOLDS = {"symmetric": 1.0, "metal||collector": 2.0, "anode-free": 2.0}

#: what the per-cycle impedance is recorded as (runner), and the temperature it is
#: taken at
IMPEDANCE_MODULUS = "Impedance modulus [Ohm]"
IMPEDANCE_PHASE = "Impedance phase [deg]"
IMPEDANCE_FREQUENCY = "Impedance frequency [Hz]"
SHORT_THRESHOLD = "Short threshold [Ohm]"
CELL_TEMPERATURE = "Volume-averaged cell temperature [K]"


def short_temperature(modulus_Ohm, temperature_K, threshold_Ohm: float) -> float | None:
    """The temperature [K] of the first cycle whose impedance modulus is below
    ``threshold_Ohm`` (a thermal-ramp experiment's short), or None if none is."""
    modulus = np.asarray(modulus_Ohm, dtype=float)
    below = np.flatnonzero(modulus < threshold_Ohm)
    if below.size == 0:
        return None
    return float(np.asarray(temperature_K, dtype=float)[below[0]])


def average_coulombic_efficiency(
    blocks: Sequence[str],
    plated_Ah: Sequence[float],
    stripped_Ah: Sequence[float],
    from_block: str,
) -> float:
    r"""Average plating Coulombic efficiency of the Adams protocol.

    Adams et al., Adv. Energy Mater. 8 (2018) 1702097 (docs/physics.md §6): after a
    conditioning cycle, plate a reservoir :math:`Q_T`, cycle :math:`n` times with
    :math:`Q_C < Q_T`, then strip everything to the cut-off (:math:`Q_S`):

    .. math::
        \bar{CE} = \frac{n Q_C + Q_S}{n Q_C + Q_T}

    which is the charge stripped over the charge plated, counted from the first cycle
    of block ``from_block`` (the reservoir's plating) to the end.

    Parameters
    ----------
    blocks, plated_Ah, stripped_Ah
        Per cycle, in order: the protocol block it belongs to, and the charge plated
        on and stripped from the collector (the run's "Plated charge [A.h]" and
        "Stripped charge [A.h]").
    from_block
        The block whose first cycle starts the count.
    """
    blocks = [str(b) for b in blocks]
    if from_block not in blocks:
        raise ValueError(f"no cycle of block '{from_block}' in the run")
    first = blocks.index(from_block)
    plated = float(np.sum(np.asarray(plated_Ah, dtype=float)[first:]))
    stripped = float(np.sum(np.asarray(stripped_Ah, dtype=float)[first:]))
    if plated <= 0:
        raise ValueError(f"no charge was plated from block '{from_block}' on")
    return stripped / plated


def short_threshold(protocol, configuration: str) -> float:
    """The |Z| below which a cell of ``configuration`` counts as shorted in
    ``protocol`` [Ohm]: the protocol's ``[impedance] threshold``, or the
    configuration's (:data:`SHORT_THRESHOLDS`)."""
    return protocol.impedance_threshold_Ohm or SHORT_THRESHOLDS[configuration]


def measure(protocol, cycles, configuration: str = "anode-free") -> dict[str, float]:
    """The measurements ``protocol`` asks for (its ``[measurement]`` and
    ``[impedance]`` tables), from the run's per-cycle table ``cycles``: the
    ``xarray.Dataset`` of :func:`afb_models.load`, or any mapping of its names (with
    or without their units) to per-cycle sequences. ``configuration``: the cell's,
    whose short threshold applies unless the protocol gives one."""
    out = {}
    if protocol.impedance_frequency_Hz is not None:
        threshold = short_threshold(protocol, configuration)

        def column(full_name):
            short = full_name.rsplit(" [", 1)[0]
            return cycles[full_name] if full_name in cycles else cycles[short]

        found = short_temperature(np.asarray(column(IMPEDANCE_MODULUS)),
                                  np.asarray(column(CELL_TEMPERATURE)), threshold)
        if found is not None:
            out["Short temperature [K]"] = found
    if protocol.average_ce_from_block is not None:
        blocks = [str(b) for b in np.asarray(cycles["block"])]
        # the average counts the final strip: a run cut before it (`--cycles 4` of
        # the Adams protocol) has measured nothing, and gets no value
        reached_the_end = bool(blocks) and blocks[-1] == (
            protocol.final_block or protocol.blocks[-1].name
        )
        if protocol.average_ce_from_block in blocks and reached_the_end:
            out["Average Coulombic efficiency"] = average_coulombic_efficiency(
                blocks,
                np.asarray(cycles["Plated charge"]),
                np.asarray(cycles["Stripped charge"]),
                protocol.average_ce_from_block,
            )
    return out
