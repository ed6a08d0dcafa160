"""Solvent-diffusion-limited SEI growth on the plated metal."""

from __future__ import annotations

from .base_sei import BaseSEI


class SolventDiffusionLimitedSEI(BaseSEI):
    r"""Option ``"SEI": "solvent-diffusion limited"``: solvent diffuses through the
    film to the metal (PyBaMM's "solvent-diffusion limited" law; Marquis 2020 eq.
    5.92), so the growth falls as the film thickens and does not depend on the
    potential:

    .. math::
        j_{SEI} = -\frac{F D_{sol} c_{sol} A(T)}{L_{SEI}}

    At constant conditions the film grows as :math:`\sqrt{t}`:
    :math:`L^2 - L_0^2 = 2 \bar V_{SEI} D_{sol} c_{sol} A(T)\, t / z_{SEI}`.
    The rest (re-formation, renewal, film resistance) is :class:`BaseSEI`'s.
    """

    def growth_current(self, variables):
        mp = self.metal_param
        T = variables[self.var("Negative interface temperature [K]")]
        L = variables[self.var("SEI thickness on metal [m]")]
        return -mp.F * mp.D_sol * mp.c_sol * self.arrhenius(mp.E_sei, T) / L
