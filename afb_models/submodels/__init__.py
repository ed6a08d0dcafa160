"""Submodels of the afb models: one mechanism per module, each a pybamm.BaseSubModel."""

from .electrolyte_planar import (
    PlanarElectrolyteBoundaryFlux,
    PlanarElectrolyteConductivity,
    PlanarElectrolyteDiffusion,
)
from .inventory import MetalInventory
from .metal_deposit import MetalDeposit
from .planar_interface import PlanarInterfaceCurrent, PlanarInterfacePotential

__all__ = [
    "MetalDeposit",
    "MetalInventory",
    "PlanarElectrolyteBoundaryFlux",
    "PlanarElectrolyteConductivity",
    "PlanarElectrolyteDiffusion",
    "PlanarInterfaceCurrent",
    "PlanarInterfacePotential",
]
