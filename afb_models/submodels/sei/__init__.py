"""SEI on the plated metal (option "SEI") and on the bare collector (option
"collector SEI"): one class per option value, one file each."""

from .base_sei import BaseSEI
from .collector_sei import CollectorSEI
from .no_collector_sei import NoCollectorSEI
from .no_sei import NoSEI
from .reaction_limited import ReactionLimitedSEI
from .solvent_diffusion_limited import SolventDiffusionLimitedSEI

__all__ = [
    "BaseSEI",
    "CollectorSEI",
    "NoCollectorSEI",
    "NoSEI",
    "ReactionLimitedSEI",
    "SolventDiffusionLimitedSEI",
]
