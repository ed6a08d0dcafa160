"""Submodels of the afb models: one mechanism per module, each a pybamm.BaseSubModel."""

from .counter_electrode import MetalCounterElectrode
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
from .separator_electrolyte import SeparatorElectrolyte
from .uniform_temperature import UniformTemperature

__all__ = [
    "SEI",
    "DeadMetal",
    "GalvanicCorrosion",
    "MetalDeposit",
    "MetalCounterElectrode",
    "MetalInventory",
    "PlanarElectrolyteBoundaryFlux",
    "PlanarElectrolyteConductivity",
    "PlanarElectrolyteDiffusion",
    "PlanarInterfaceCurrent",
    "PlanarInterfacePotential",
    "SeparatorElectrolyte",
    "UniformTemperature",
]
