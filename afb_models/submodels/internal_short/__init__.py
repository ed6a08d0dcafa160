"""Internal shorts (option "internal short"): one class per option value, and the
current collector that hands the electrochemistry what the shunt leaves of the
applied current."""

from .filament import FilamentShort, ShuntedCurrentCollector, critical_current_density
from .no_short import NoInternalShort

__all__ = ["FilamentShort", "NoInternalShort", "ShuntedCurrentCollector",
           "critical_current_density"]
