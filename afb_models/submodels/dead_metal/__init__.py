"""Dead (isolated) metal (option "dead metal"): one class per option value."""

from .isolation import DeadMetalIsolation
from .no_dead_metal import NoDeadMetal

__all__ = ["DeadMetalIsolation", "NoDeadMetal"]
