"""Functional parameters shared by the afb parameter sets.

Each is a small class whose instances are called with the arguments PyBaMM passes to
that parameter, so the parameter sets stay plain dictionaries of values and functions.
They are classes rather than closures so that parameter values can be pickled: sent to
a process pool or a Dask worker, or saved with a study.
"""

from __future__ import annotations

import numpy as np
import pybamm

T_REF = 298.15  # derived: [K], 25 °C, the reference temperature of every value quoted at 25 °C


def arrhenius(activation_energy, T):
    """Arrhenius factor exp(E/R (1/T_ref - 1/T)) relative to 25 °C."""
    return np.exp(activation_energy / pybamm.constants.R * (1 / T_REF - 1 / T))


class _NamedFunction:
    """A parameter function with a ``__name__`` (PyBaMM and the run file show it) and
    an equality by value, so two sets built alike compare equal."""

    __name__ = "function"

    def __repr__(self):
        return self.__name__

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self):
        return hash((type(self).__name__, self.__name__))


class metal_exchange_current_density(_NamedFunction):
    """Exchange-current density of metal deposition on the metal [A.m-2].

    The form of Xu et al., JES 166 (2019) A3456 (PyBaMM's ``Xu2019``):
    ``j0 = k F c_M^0.7 c_e^0.3`` with ``c_M = 1/V_m``, times an Arrhenius factor.
    ``k_ref`` [mol^0 m^1 s^-1 ...] is their rate constant (3.5e-8 for Li in LiPF6).
    """

    def __init__(self, k_ref, molar_volume, activation_energy):
        self.k_ref = k_ref
        self.c_metal = 1 / molar_volume
        self.activation_energy = activation_energy
        self.__name__ = "metal_exchange_current_density"

    def __call__(self, c_e, T):
        return (
            self.k_ref
            * pybamm.constants.F
            * self.c_metal**0.7
            * pybamm.maximum(c_e, 1e-3) ** 0.3
            * arrhenius(self.activation_energy, T)
        )


class scaled(_NamedFunction):
    """``factor`` times ``function``: e.g. a substrate's exchange current as a
    fraction of the metal's."""

    def __init__(self, function, factor, name):
        self.function = function
        self.factor = factor
        self.__name__ = name

    def __call__(self, c_e, T):
        return self.factor * self.function(c_e, T)


class constant_with_arrhenius(_NamedFunction):
    """An electrolyte property that does not depend on concentration, with an
    Arrhenius temperature dependence around its 25 °C value."""

    def __init__(self, value_ref, activation_energy, name):
        self.value_ref = value_ref
        self.activation_energy = activation_energy
        self.__name__ = name

    def __call__(self, c_e, T):
        return self.value_ref * arrhenius(self.activation_energy, T) + 0 * c_e


class held_within(_NamedFunction):
    """``function(sto, T)`` with ``sto`` held inside the range the data cover, so
    that a measured property is not extrapolated beyond its measurements."""

    def __init__(self, function, lowest, highest, name):
        self.function = function
        self.lowest = lowest
        self.highest = highest
        self.__name__ = name

    def __call__(self, sto, T):
        return self.function(
            pybamm.minimum(pybamm.maximum(sto, self.lowest), self.highest), T
        )


class with_lithiation_wall(_NamedFunction):
    """``ocp(sto)`` with the steep fall of a layered oxide's OCP as it is filled:
    ``U(x) = ocp(x) - drop exp((x - 1) / width)``.

    The term is below 1 mV for ``x < 1 - 8 width`` and reaches ``drop`` at ``x = 1``,
    so a discharge that fills the cathode (an anode-less cell whose reservoir outlasts
    its losses) ends at the lower cut-off instead of running off a curve fitted only
    to partly lithiated material.
    """

    def __init__(self, ocp, drop, width, name):
        self.ocp = ocp
        self.drop = drop
        self.width = width
        self.__name__ = name

    def __call__(self, sto):
        return self.ocp(sto) - self.drop * np.exp((sto - 1) / self.width)
