"""Submodels of the afb models: one mechanism per module, each a pybamm.BaseSubModel."""

from .dead_metal import DeadMetal
from .electrolyte_planar import (
    PlanarElectrolyteBoundaryFlux,
    PlanarElectrolyteConductivity,
    PlanarElectrolyteDiffusion,
)
from .galvanic_corrosion import GalvanicCorrosion
from .inventory import MetalInventory
from .metal_deposit import MetalDeposit
from .planar_interface import PlanarInterfaceCurrent, PlanarInterfacePotential
from .sei import SEI

__all__ = [
    "SEI",
    "DeadMetal",
    "GalvanicCorrosion",
    "MetalDeposit",
    "MetalInventory",
    "PlanarElectrolyteBoundaryFlux",
    "PlanarElectrolyteConductivity",
    "PlanarElectrolyteDiffusion",
    "PlanarInterfaceCurrent",
    "PlanarInterfacePotential",
]
