"""Internal shorts: metal filaments (option "internal short", one class per value),
molten metal infiltrating the electrolyte (option "melt short"), the shunt they
make, and the current collector that hands the electrochemistry what the shunt
leaves of the applied current."""

from .filament import FilamentShort, ShuntedCurrentCollector, critical_current_density
from .melt_infiltration import MeltInfiltration, NoMeltInfiltration, time_to_bridge
from .no_short import NoInternalShort
from .shunt import Shunt

__all__ = ["FilamentShort", "MeltInfiltration", "NoInternalShort", "NoMeltInfiltration",
           "Shunt",
           "ShuntedCurrentCollector", "critical_current_density", "time_to_bridge"]
