"""Quantities measured over several cycles of a protocol, as an experimenter would."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: the names under which measurements are stored (attributes of the run file)
MEASUREMENT_NAMES = ("Average Coulombic efficiency",)


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


def measure(protocol, cycles) -> dict[str, float]:
    """The measurements ``protocol`` asks for (its ``[measurement]`` table), from the
    run's per-cycle table ``cycles``: the ``xarray.Dataset`` of
    :func:`afb_models.load`, or any mapping of its names to per-cycle sequences."""
    out = {}
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
