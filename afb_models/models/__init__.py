"""The afb cell models."""

from .anode_free_dfn import AnodeFreeDFN
from .metal_collector_cell import MetalCollectorCell, SymmetricMetalCell

__all__ = ["AnodeFreeDFN", "MetalCollectorCell", "SymmetricMetalCell"]
