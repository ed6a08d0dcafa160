"""Functional parameters shared by the afb parameter sets.

Each factory returns a function with the argument names PyBaMM passes to that
parameter, so the parameter sets stay plain dictionaries of values and functions.
"""

from __future__ import annotations

import numpy as np
import pybamm

T_REF = 298.15  # [K] reference temperature of every value quoted at 25 °C


def arrhenius(activation_energy, T):
    """Arrhenius factor exp(E/R (1/T_ref - 1/T)) relative to 25 °C."""
    return np.exp(activation_energy / pybamm.constants.R * (1 / T_REF - 1 / T))


def metal_exchange_current_density(k_ref, molar_volume, activation_energy):
    """Exchange-current density of metal deposition on the metal [A.m-2].

    The form of Xu et al., JES 166 (2019) A3456 (PyBaMM's ``Xu2019``):
    ``j0 = k F c_M^0.7 c_e^0.3`` with ``c_M = 1/V_m``, times an Arrhenius factor.
    ``k_ref`` [mol^0 m^1 s^-1 ...] is their rate constant (3.5e-8 for Li in LiPF6).
    """
    c_metal = 1 / molar_volume

    def j0(c_e, T):
        return (
            k_ref
            * pybamm.constants.F
            * c_metal**0.7
            * pybamm.maximum(c_e, 1e-3) ** 0.3
            * arrhenius(activation_energy, T)
        )

    j0.__name__ = "metal_exchange_current_density"
    return j0


def scaled(function, factor, name):
    """``factor`` times ``function``: e.g. a substrate's exchange current as a
    fraction of the metal's."""

    def scaled_function(c_e, T):
        return factor * function(c_e, T)

    scaled_function.__name__ = name
    return scaled_function


def constant_with_arrhenius(value_ref, activation_energy, name):
    """An electrolyte property that does not depend on concentration, with an
    Arrhenius temperature dependence around its 25 °C value."""

    def prop(c_e, T):
        return value_ref * arrhenius(activation_energy, T) + 0 * c_e

    prop.__name__ = name
    return prop


def held_within(function, lowest, highest, name):
    """``function(sto, T)`` with ``sto`` held inside the range the data cover, so
    that a measured property is not extrapolated beyond its measurements."""

    def held(sto, T):
        return function(pybamm.minimum(pybamm.maximum(sto, lowest), highest), T)

    held.__name__ = name
    return held


def with_lithiation_wall(ocp, drop, width, name):
    """``ocp(sto)`` with the steep fall of a layered oxide's OCP as it is filled:
    ``U(x) = ocp(x) - drop exp((x - 1) / width)``.

    The term is below 1 mV for ``x < 1 - 8 width`` and reaches ``drop`` at ``x = 1``,
    so a discharge that fills the cathode (an anode-less cell whose reservoir outlasts
    its losses) ends at the lower cut-off instead of running off a curve fitted only
    to partly lithiated material.
    """

    def walled(sto):
        return ocp(sto) - drop * np.exp((sto - 1) / width)

    walled.__name__ = name
    return walled
