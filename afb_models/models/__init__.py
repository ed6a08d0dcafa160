"""The afb cell models."""

from .anode_free_dfn import AnodeFreeDFN

__all__ = ["AnodeFreeDFN"]
