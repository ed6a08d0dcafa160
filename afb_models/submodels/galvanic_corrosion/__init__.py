"""Galvanic corrosion of the plated metal through the exposed collector (option
"galvanic corrosion"): one class per option value."""

from .mixed_potential import GalvanicCouple
from .no_corrosion import NoGalvanicCorrosion

__all__ = ["GalvanicCouple", "NoGalvanicCorrosion"]
