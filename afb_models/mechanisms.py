"""The table of loss mechanisms: which class each option value selects, and the loss
channel each mechanism feeds.

Like PyBaMM's ``"SEI"`` option, each degradation mechanism of the collector's
interface is an option whose values select a :class:`pybamm.BaseSubModel` class (one
file each, in :mod:`afb_models.submodels`). Every mechanism takes metal out of the
cycle through one **loss channel**, declared here once: the amount it holds, how
the metal gets there (an interface current that consumes metal ions, or a rate at
which plated metal is moved out of the deposit), the film resistance it adds and
where that film sits. The interface's charge balance, the deposit's mass balance, the
metal inventory, the runner's per-cycle loss split, the figures and the option lists
all iterate over :data:`MECHANISMS`; adding a mechanism is one file and one entry
here (docs/mechanisms.md shows a worked example).

No PyBaMM here: the command line lists the options, and the figures read the
channels, without importing it. The classes are named by ``"module:Class"`` and
imported by :func:`mechanism_class` when a model is built.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LossChannel:
    """Where one mechanism puts the metal it takes, and what the cell sees of it.

    Attributes
    ----------
    label : str
        Short name in figures and tables ("SEI", "dead metal").
    amount : str
        Its state per unit geometric area [mol m-2] (zero when the mechanism is off).
    inventory : str
        Its part of the cell's metal inventory [mol] (the amount times the area).
    loss : str
        Its share of each cycle's metal loss in the summary [A.h].
    current : str or None
        The faradaic current density at the interface that consumes metal ions into
        the channel [A m-2], PyBaMM's sign (negative consumes). It enters the
        interface's charge balance and the electrolyte's metal-ion flux. ``None`` for
        a channel fed from the deposit directly.
    deposit_rate : str or None
        The rate at which plated metal is moved into the channel [mol m-2 s-1] (net
        of any return), taken out of the deposit's balance. ``None`` for a channel fed
        by an interface current.
    resistance : str or None
        The film resistance it adds [Ohm m2], or ``None``.
    film_area : str
        Where that film sits: ``"metal"`` (the metal-covered part of the collector),
        ``"collector"`` (the bare part) or ``"series"`` (across the whole interface).
    reaction_potential : str or None
        For a channel fed by an interface current: the parameter naming the
        equilibrium potential of its reaction against the metal [V]. The reaction's
        heat is its current times its overpotential against it
        (:mod:`afb_models.submodels.thermal.heat_source`).
    """

    label: str
    amount: str
    inventory: str
    loss: str
    current: str | None = None
    deposit_rate: str | None = None
    resistance: str | None = None
    film_area: str = "series"
    reaction_potential: str | None = None

    @property
    def loss_name(self) -> str:
        """The summary's name of the loss without its unit, as the run file's
        datasets name it ("SEI loss")."""
        return self.loss.rsplit(" [", 1)[0]

    @property
    def inventory_name(self) -> str:
        """The inventory part's name without its unit ("Metal in SEI")."""
        return self.inventory.rsplit(" [", 1)[0]

    def __post_init__(self):
        if (self.current is None) == (self.deposit_rate is None):
            raise ValueError(f"loss channel '{self.label}': give a current or a "
                             "deposit rate, not both or neither")
        if (self.current is None) != (self.reaction_potential is None):
            raise ValueError(f"loss channel '{self.label}': a channel fed by an "
                             "interface current needs its reaction potential")
        if self.film_area not in ("metal", "collector", "series"):
            raise ValueError(f"loss channel '{self.label}': unknown film area "
                             f"'{self.film_area}'")


@dataclass(frozen=True)
class Mechanism:
    """One option of the interface: its values (the first is the default, and means
    off), the class each value selects, and the loss channel they all feed."""

    option: str
    classes: dict[str, str]
    channel: LossChannel
    #: what the option means, for ``afb options`` and the docs
    help: str = ""
    #: boolean refinements of this mechanism, which need it on: option -> help
    refinements: dict[str, str] = field(default_factory=dict)
    #: whether it needs a bare collector (no such mechanism on a metal foil, the
    #: counter electrode of a symmetric cell)
    needs_collector: bool = False
    @property
    def on_counter_foil(self) -> bool:
        """Whether a symmetric cell's counter foil has this mechanism too."""
        return not self.needs_collector

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.classes)


_SUBMODELS = "afb_models.submodels"

#: every loss mechanism of the collector's interface, in the order of the inventory
MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism(
        option="dead metal",
        classes={
            "none": f"{_SUBMODELS}.dead_metal.no_dead_metal:NoDeadMetal",
            "isolation": f"{_SUBMODELS}.dead_metal.isolation:DeadMetalIsolation",
        },
        channel=LossChannel(
            label="dead metal",
            amount="Dead metal amount [mol.m-2]",
            inventory="Dead metal [mol]",
            loss="Dead metal loss [A.h]",
            deposit_rate="Metal isolation net rate [mol.m-2.s-1]",
            resistance="Dead metal layer resistance [Ohm.m2]",
            film_area="series",
        ),
        help="dead (isolated) metal, submodels/dead_metal/",
        refinements={
            "dead metal reconnection": "dead metal reconnects at rest",
            "dead metal resistance": "the porous dead layer adds a resistance",
        },
    ),
    Mechanism(
        option="SEI",
        classes={
            "none": f"{_SUBMODELS}.sei.no_sei:NoSEI",
            "reaction limited": f"{_SUBMODELS}.sei.reaction_limited:ReactionLimitedSEI",
            "solvent-diffusion limited":
                f"{_SUBMODELS}.sei.solvent_diffusion_limited:SolventDiffusionLimitedSEI",
        },
        channel=LossChannel(
            label="SEI",
            amount="SEI metal amount [mol.m-2]",
            inventory="Metal in SEI [mol]",
            loss="SEI loss [A.h]",
            current="SEI current density on metal [A.m-2]",
            reaction_potential="SEI open-circuit potential [V]",
            resistance="SEI film resistance [Ohm.m2]",
            film_area="metal",
        ),
        help="SEI on the plated metal, submodels/sei/",
    ),
    Mechanism(
        option="collector SEI",
        classes={
            "none": f"{_SUBMODELS}.sei.no_collector_sei:NoCollectorSEI",
            "passivating": f"{_SUBMODELS}.sei.collector_sei:CollectorSEI",
        },
        channel=LossChannel(
            label="collector SEI",
            amount="Collector SEI metal amount [mol.m-2]",
            inventory="Metal in collector SEI [mol]",
            loss="Collector SEI loss [A.h]",
            current="SEI current density on collector [A.m-2]",
            reaction_potential="Collector SEI open-circuit potential [V]",
            resistance="Collector SEI film resistance [Ohm.m2]",
            film_area="collector",
        ),
        help="SEI on the bare collector, submodels/sei/collector_sei.py",
        needs_collector=True,
    ),
    Mechanism(
        option="galvanic corrosion",
        classes={
            "none": f"{_SUBMODELS}.galvanic_corrosion.no_corrosion:NoGalvanicCorrosion",
            "mixed potential":
                f"{_SUBMODELS}.galvanic_corrosion.mixed_potential:GalvanicCouple",
        },
        channel=LossChannel(
            label="corrosion",
            amount="Corroded metal amount [mol.m-2]",
            inventory="Corroded metal [mol]",
            loss="Corrosion loss [A.h]",
            current="Galvanic corrosion current density [A.m-2]",
            # (the electrolyte's reduction on the collector, which the couple drives)
            reaction_potential="Collector SEI open-circuit potential [V]",
        ),
        help="galvanic corrosion of the metal on the collector, "
             "submodels/galvanic_corrosion/",
        needs_collector=True,
    ),
    Mechanism(
        option="interface contact",
        classes={
            "full": f"{_SUBMODELS}.interface_contact.full_contact:FullContact",
            "creep-limited":
                f"{_SUBMODELS}.interface_contact.creep_limited:CreepLimitedContact",
        },
        channel=LossChannel(
            label="trapped metal",
            amount="Trapped metal amount [mol.m-2]",
            inventory="Trapped metal [mol]",
            loss="Trapped metal loss [A.h]",
            deposit_rate="Metal trapping net rate [mol.m-2.s-1]",
        ),
        help="contact of the metal with a solid electrolyte: voids on stripping, "
             "metal trapped behind them, submodels/interface_contact/",
    ),
)

#: every loss channel, in the order of :data:`MECHANISMS`
LOSS_CHANNELS: tuple[LossChannel, ...] = tuple(m.channel for m in MECHANISMS)


def mechanism(option: str) -> Mechanism:
    """The mechanism of ``option``."""
    for m in MECHANISMS:
        if m.option == option:
            return m
    raise KeyError(f"no loss mechanism '{option}'")


def mechanism_class(option: str, value: str):
    """The submodel class that option ``option`` = ``value`` selects (imported now)."""
    module, name = mechanism(option).classes[value].split(":")
    return getattr(importlib.import_module(module), name)
