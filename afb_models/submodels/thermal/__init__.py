"""The cell's temperature (option "thermal"), its heat sources, and the melting of
the metal: one class per file."""

from .heat_source import HeatSource
from .lumped import LumpedTemperature
from .melting import MetalMelting

__all__ = ["HeatSource", "LumpedTemperature", "MetalMelting"]
