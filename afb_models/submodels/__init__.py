"""Submodels of the afb models: one mechanism per module, each a pybamm.BaseSubModel.

The loss mechanisms (SEI, collector SEI, dead metal, galvanic corrosion, interface
contact) are
packages with one class per option value, chosen through
:data:`afb_models.mechanisms.MECHANISMS`.
"""

from .base_mechanism import LossMechanism
from .counter_electrode import CounterElectrodeVoltage, MetalCounterElectrode
from .dead_metal import DeadMetalIsolation, NoDeadMetal
from .deposit_morphology import DepositMorphology
from .electrolyte_planar import (
    PlanarElectrolyteBoundaryFlux,
    PlanarElectrolyteConductivity,
    PlanarElectrolyteDiffusion,
)
from .galvanic_corrosion import GalvanicCouple, NoGalvanicCorrosion
from .interface_contact import CreepLimitedContact, FullContact
from .internal_short import (
    FilamentShort,
    MeltInfiltration,
    NoInternalShort,
    NoMeltInfiltration,
    Shunt,
    ShuntedCurrentCollector,
)
from .inventory import MetalInventory
from .metal_deposit import MetalDeposit
from .planar_interface import PlanarInterfaceCurrent, PlanarInterfacePotential
from .sei import (
    CollectorSEI,
    NoCollectorSEI,
    NoSEI,
    ReactionLimitedSEI,
    SolventDiffusionLimitedSEI,
)
from .separator_electrolyte import SeparatorElectrolyte
from .thermal import HeatSource, LumpedTemperature, MetalMelting
from .uniform_temperature import UniformTemperature

__all__ = [
    "CollectorSEI",
    "CounterElectrodeVoltage",
    "CreepLimitedContact",
    "DeadMetalIsolation",
    "DepositMorphology",
    "FilamentShort",
    "FullContact",
    "GalvanicCouple",
    "HeatSource",
    "LossMechanism",
    "LumpedTemperature",
    "MeltInfiltration",
    "MetalCounterElectrode",
    "MetalDeposit",
    "MetalInventory",
    "MetalMelting",
    "NoCollectorSEI",
    "NoDeadMetal",
    "NoGalvanicCorrosion",
    "NoInternalShort",
    "NoMeltInfiltration",
    "NoSEI",
    "PlanarElectrolyteBoundaryFlux",
    "PlanarElectrolyteConductivity",
    "PlanarElectrolyteDiffusion",
    "PlanarInterfaceCurrent",
    "PlanarInterfacePotential",
    "ReactionLimitedSEI",
    "SeparatorElectrolyte",
    "Shunt",
    "ShuntedCurrentCollector",
    "SolventDiffusionLimitedSEI",
    "UniformTemperature",
]
