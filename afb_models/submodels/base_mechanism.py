"""The base class of the loss mechanisms (afb_models.mechanisms)."""

from __future__ import annotations

import dataclasses

import pybamm

from ..mechanisms import mechanism

#: the variables a mechanism reads on the working electrode, by their names on the
#: counter electrode of a symmetric cell (a metal foil) where the generic rule
#: ("Counter electrode " + the name) would not name them
COUNTER_ELECTRODE_NAMES = {
    "Collector metal coverage": "Counter electrode metal coverage",
    "Negative interface charge-transfer potential difference [V]":
        "Counter electrode reaction overpotential [V]",
    "Plated metal amount [mol.m-2]": "Counter electrode metal amount [mol.m-2]",
}
#: what both electrodes share
SHARED_NAMES = {
    "Negative interface temperature [K]",
    "Metal liquid fraction",
    "Current collector current density [A.m-2]",
}


def side_name(name: str | None, side: str) -> str | None:
    """The name of variable ``name`` of the working electrode on ``side``
    ("working" or "counter")."""
    if name is None or side == "working" or name in SHARED_NAMES:
        return name
    if name in COUNTER_ELECTRODE_NAMES:
        return COUNTER_ELECTRODE_NAMES[name]
    first = name.split()[0]
    return "Counter electrode " + (name if first.isupper() else name[0].lower() + name[1:])


class LossMechanism(pybamm.BaseSubModel):
    """A loss mechanism of the collector's interface: one value of one option of
    :data:`afb_models.mechanisms.MECHANISMS`.

    Subclasses set :attr:`option` (which mechanism they are a value of); their loss
    channel (:attr:`channel`) comes from the table, so the names of the amount, the
    interface current or deposit rate and the film resistance they must define are
    declared once. A class for the value that means "off" defines those variables as
    zero and adds no state.

    ``side="counter"`` puts the mechanism on the metal foil of a symmetric cell's
    counter electrode: every variable it reads or defines is then that electrode's
    (:meth:`var`; "SEI thickness on metal [m]" becomes "Counter electrode SEI
    thickness on metal [m]").
    """

    #: the option of :data:`afb_models.mechanisms.MECHANISMS` this class is a value of
    option: str = ""

    def __init__(self, param, metal_param, options, afb_options, side="working"):
        name = self.option if side == "working" else f"counter electrode {self.option}"
        super().__init__(param, "negative", name=name, options=options)
        self.metal_param = metal_param
        self.afb_options = afb_options
        self.side = side
        channel = mechanism(self.option).channel
        self.channel = dataclasses.replace(
            channel, amount=self.var(channel.amount), current=self.var(channel.current),
            deposit_rate=self.var(channel.deposit_rate),
            resistance=self.var(channel.resistance),
        )

    def var(self, name: str | None) -> str | None:
        """The name of the working electrode's variable ``name`` on this side."""
        return side_name(name, self.side)

    def zero_channel(self) -> dict:
        """The channel's variables, all zero: the "off" value of a mechanism."""
        zero = pybamm.Scalar(0)
        names = [self.channel.amount, self.channel.current, self.channel.deposit_rate,
                 self.channel.resistance]
        return {name: zero for name in names if name is not None}

    def arrhenius(self, activation_energy, T):
        """:math:`\\exp(E/R\\,(1/T_{ref} - 1/T))`, 1 at the reference temperature."""
        return self.metal_param.arrhenius(activation_energy, T)
