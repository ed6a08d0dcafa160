"""Reaction-limited SEI growth on the plated metal."""

from __future__ import annotations

import pybamm

from .base_sei import BaseSEI


class ReactionLimitedSEI(BaseSEI):
    r"""Option ``"SEI": "reaction limited"``: the growth is limited by the reduction
    at the metal's surface (PyBaMM's "reaction limited" law; Marquis 2020 eq. 5.91),
    with PyBaMM's symmetric transfer coefficient and an Arrhenius factor:

    .. math::
        j_{SEI} = -j_{0,SEI}\, A(T)\, e^{-\alpha_{SEI} f (\Delta\phi - U_{SEI})},
        \qquad \alpha_{SEI} = 1/2, \quad A(T) = e^{E_{SEI}/R\,(1/T_{ref} - 1/T)}

    The rest (re-formation, renewal, film resistance) is :class:`BaseSEI`'s.
    """

    #: PyBaMM's symmetric "reaction limited" law
    ALPHA = 0.5

    def growth_current(self, variables):
        mp = self.metal_param
        delta_phi = variables[
            self.var("Negative interface charge-transfer potential difference [V]")
        ]
        T = variables[self.var("Negative interface temperature [K]")]
        f = mp.F / (mp.R * T)
        return -mp.j0_sei * self.arrhenius(mp.E_sei, T) * pybamm.exp(
            -self.ALPHA * f * (delta_phi - mp.U_sei)
        )
