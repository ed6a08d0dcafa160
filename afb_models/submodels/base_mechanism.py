"""The base class of the loss mechanisms (afb_models.mechanisms)."""

from __future__ import annotations

import pybamm

from ..mechanisms import mechanism


class LossMechanism(pybamm.BaseSubModel):
    """A loss mechanism of the collector's interface: one value of one option of
    :data:`afb_models.mechanisms.MECHANISMS`.

    Subclasses set :attr:`option` (which mechanism they are a value of); their loss
    channel (:attr:`channel`) comes from the table, so the names of the amount, the
    interface current or deposit rate and the film resistance they must define are
    declared once. A class for the value that means "off" defines those variables as
    zero and adds no state.
    """

    #: the option of :data:`afb_models.mechanisms.MECHANISMS` this class is a value of
    option: str = ""

    def __init__(self, param, metal_param, options, afb_options):
        super().__init__(param, "negative", name=self.option, options=options)
        self.metal_param = metal_param
        self.afb_options = afb_options
        self.channel = mechanism(self.option).channel

    def zero_channel(self) -> dict:
        """The channel's variables, all zero: the "off" value of a mechanism."""
        zero = pybamm.Scalar(0)
        names = [self.channel.amount, self.channel.current, self.channel.deposit_rate,
                 self.channel.resistance]
        return {name: zero for name in names if name is not None}

    def arrhenius(self, activation_energy, T):
        """:math:`\\exp(E/R\\,(1/T_{ref} - 1/T))`, 1 at the reference temperature."""
        mp = self.metal_param
        return pybamm.exp(activation_energy / mp.R * (1 / mp.T_ref - 1 / T))
