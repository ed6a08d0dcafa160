"""What every SEI growth law on the plated metal shares: re-formation on fresh metal,
renewal of the film as metal turns over, and its resistance."""

from __future__ import annotations

import pybamm

from ..base_mechanism import LossMechanism


class BaseSEI(LossMechanism):
    r"""SEI on the plated metal; a subclass gives the growth law
    :meth:`growth_current`, per unit of exposed metal area (PyBaMM's laws,
    ``sei_growth.py``; Marquis, DPhil thesis, Oxford 2020, eqs. 5.91-5.92).

    Every SEI reaction takes a metal ion and an electron; the metal it locks as ions is
    :math:`n_{SEI}` [mol m-2]. The metal exposed to the electrolyte per geometric
    area is :math:`\theta R_f`, with the deposit's roughness factor :math:`R_f`
    (:class:`~afb_models.submodels.deposit_morphology.DepositMorphology`).

    Plating and stripping crack the SEI (the metal changes volume by ~100 %), so SEI
    re-forms on the freshly exposed metal every time metal is plated: per mole plated
    a fraction :math:`\epsilon_{fresh}` at the reference morphology, in proportion to
    the specific surface of the metal being plated, :math:`s_p` (*form*; docs/physics.md
    §3):

    .. math::
        j_{fresh} = -\epsilon_{fresh}\, s_p\, F\, r_{plate}

    The film on the metal thickens with the growth law and is renewed as metal turns
    over under it: plating and stripping crack and re-form the film on the surface,
    whatever the amount of metal below, so each mole per area plated or stripped
    returns a fraction :math:`1/n_{renew}` of the surface to a native film of thickness
    :math:`L_{SEI,0}` (*form*; the old film is left behind with the dead metal):

    .. math::
        \frac{dL_{SEI}}{dt} = -\frac{\bar V_{SEI}\, j_{SEI}}{z_{SEI} F}
            - (L_{SEI} - L_{SEI,0})\,\frac{|j_M + j_{sub}|/F}{n_{renew}}

    so that under cycling it settles where growth and renewal balance, and only keeps
    growing at rest. (Dividing by the deposit's amount instead would renew the film
    of a thin deposit faster than that of a thick one under the same cycling: a
    cell whose reservoir is being used up would see its film thin and its
    polarisation fall, and its capacity rise, cycle after cycle.) It adds a film resistance :math:`L_{SEI}\rho_{SEI}` on the
    metal-covered part of the collector.

    .. math::
        \frac{dn_{SEI}}{dt} = -\frac{\theta R_f j_{SEI} + j_{fresh}}{F}
    """

    option = "SEI"

    def growth_current(self, variables):
        """SEI growth current density per unit of exposed metal area [A m-2]."""
        raise NotImplementedError

    def get_fundamental_variables(self):
        mp = self.metal_param
        cc = "current collector"
        L = pybamm.Variable(self.var("SEI thickness on metal [m]"), domain=cc,
                            scale=mp.L_sei_0)
        n_sei = pybamm.Variable(self.channel.amount, domain=cc)
        return {self.var("SEI thickness on metal [m]"): L, self.channel.amount: n_sei}

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        theta = variables[self.var("Collector metal coverage")]
        L = variables[self.var("SEI thickness on metal [m]")]
        R_f = variables[self.var("Metal roughness factor")]
        plating_rate = variables[self.var("Metal plating rate [mol.m-2.s-1]")]
        stripping = variables[self.var("Metal stripping current density [A.m-2]")]
        s_p = variables[self.var("Plating morphology factor")]

        j_sei = self.growth_current(variables)
        j_fresh = -mp.eps_fresh * s_p * mp.F * plating_rate
        turnover = plating_rate + stripping / mp.F  # |j_M + j_sub| / F, smoothed
        variables.update(
            {
                self.var("SEI renewal rate [s-1]"): turnover / mp.n_renew,
                self.var(
                    "SEI growth current density per exposed metal area [A.m-2]"
                ): j_sei,
                self.var("SEI re-formation current density [A.m-2]"): j_fresh,
                self.channel.current: theta * R_f * j_sei + j_fresh,
                self.channel.resistance: L * mp.rho_sei,
            }
        )
        return variables

    def set_rhs(self, variables):
        mp = self.metal_param
        L = variables[self.var("SEI thickness on metal [m]")]
        growth = variables[
            self.var("SEI growth current density per exposed metal area [A.m-2]")
        ]
        self.rhs = {
            L: -mp.V_bar_sei / (mp.z_sei * mp.F) * growth
            - (L - mp.L_sei_0) * variables[self.var("SEI renewal rate [s-1]")],
            variables[self.channel.amount]: -variables[self.channel.current] / mp.F,
        }

    def set_initial_conditions(self, variables):
        self.initial_conditions = {
            variables[self.var("SEI thickness on metal [m]")]: self.metal_param.L_sei_0,
            variables[self.channel.amount]: pybamm.Scalar(0),
        }
