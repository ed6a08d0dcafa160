"""Dead (isolated) metal: isolation on stripping, decay, reconnection, and the
resistance of the dead layer."""

from __future__ import annotations

import pybamm

from ..base_mechanism import LossMechanism


class DeadMetalIsolation(LossMechanism):
    r"""Option ``"dead metal": "isolation"``: metal that loses electronic contact and
    stays metallic (Fang et al., Nature 572 (2019) 511: unreacted metal, not SEI,
    dominates inactive Li in Li||Cu cells). Two isolation paths (docs/physics.md §4;
    either can be switched off by a zero rate):

    * while stripping, a fraction of the stripped metal is isolated instead of
      dissolved; the fraction falls with the stripping current density (Werres et
      al. 2023), rises with the SEI thickness on the metal, and in proportion to the
      deposit's morphology factor :math:`s_d` (thin, whisker-like metal is cut off
      more easily than a dense deposit; Fang 2019; *form*):

      .. math::
          r_{strip} = \frac{x}{1+x}\,\frac{j_{strip}}{F}, \qquad
          x = f_0\, s_d\,\frac{1 + L_{SEI}/L_d}{1 + j_{strip}/j_d}

    * an O'Kane-type decay of the plated metal, slowed by the SEI (O'Kane et al.,
      PCCP 24 (2022) 7909; PyBaMM ``OKane2022``):
      :math:`r_{decay} = \gamma_0\,(L_{SEI,0}/\max(L_{SEI}, L_{SEI,0}))\, n_M`
      (no SEI on the metal reads as its native film).

    .. math::
        \frac{dn_{dead}}{dt} = r_{strip} + r_{decay} - r_{reconnect}

    and the deposit loses :math:`r_{strip} + r_{decay} - r_{reconnect}`.

    Option ``"dead metal reconnection"``: ``"true"`` lets dead metal reconnect during
    rest (Zhang et al., Nature 630 (2024) 77: isolated Li recovers during calendar
    ageing), :math:`r_{reconnect} = k_{rec}\, n_{dead} / (1 + (i/i_{rest})^2)`, with
    :math:`i` the applied current density and :math:`i_{rest}` = 0.01 A m-2 marking
    what counts as rest.

    Option ``"dead metal resistance"``: ``"true"`` adds the ionic resistance of the
    porous dead layer in series with the interface (Chen et al. 2017; Xu et al., JES
    2019: apparent capacity loss at high rate),
    :math:`R_{dead} = \rho_{dead}\, n_{dead} V_m / (1 - \epsilon_{dead})`.
    """

    option = "dead metal"
    #: current density below which the cell is treated as at rest [A m-2]
    REST_CURRENT = 0.01

    def __init__(self, param, metal_param, options, afb_options, side="working"):
        super().__init__(param, metal_param, options, afb_options, side)
        self.reconnection = afb_options["dead metal reconnection"] == "true"
        self.resistance = afb_options["dead metal resistance"] == "true"

    def get_fundamental_variables(self):
        n_dead = pybamm.Variable(self.channel.amount, domain="current collector")
        return {self.channel.amount: n_dead}

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        zero = pybamm.Scalar(0)
        n_dead = variables[self.channel.amount]
        n = pybamm.maximum(variables[self.var("Plated metal amount [mol.m-2]")], 0)
        j_strip = variables[self.var("Metal stripping current density [A.m-2]")]
        L = variables[self.var("SEI thickness on metal [m]")]
        s_d = variables[self.var("Deposit morphology factor")]

        x = mp.f_dead * s_d * (1 + L / mp.L_dead_ref) / (1 + j_strip / mp.j_dead_ref)
        r_strip = x / (1 + x) * j_strip / mp.F
        r_decay = mp.gamma_dead * mp.L_sei_0 / pybamm.maximum(L, mp.L_sei_0) * n
        if self.reconnection:
            i_cell = variables[self.var("Current collector current density [A.m-2]")]
            rest = 1 / (1 + (i_cell / self.REST_CURRENT) ** 2)
            r_reconnect = mp.k_reconnect * n_dead * rest
        else:
            r_reconnect = zero
        if self.resistance:
            R_dead = mp.rho_dead * n_dead * mp.V_m / (1 - mp.eps_dead)
        else:
            R_dead = zero
        variables.update(
            {
                self.var("Dead metal fraction of stripped metal"): x / (1 + x),
                self.var("Metal isolation rate [mol.m-2.s-1]"): r_strip + r_decay,
                self.var("Metal reconnection rate [mol.m-2.s-1]"): r_reconnect,
                self.channel.deposit_rate: r_strip + r_decay - r_reconnect,
                self.channel.resistance: R_dead,
            }
        )
        return variables

    def set_rhs(self, variables):
        n_dead = variables[self.channel.amount]
        self.rhs = {n_dead: variables[self.channel.deposit_rate]}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[self.channel.amount]: pybamm.Scalar(0)}
