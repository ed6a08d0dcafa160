"""Dead (isolated) metal: isolation on stripping, decay, reconnection, and the
resistance of the dead layer."""

from __future__ import annotations

import pybamm


class DeadMetal(pybamm.BaseSubModel):
    r"""Metal that loses electronic contact and stays metallic (Fang et al., Nature
    572 (2019) 511: unreacted metal, not SEI, dominates inactive Li in Li||Cu cells).

    Option ``"dead metal"``: ``"none"`` or ``"isolation"``, with two isolation paths
    (docs/physics.md §4; either can be switched off by a zero rate):

    * while stripping, a fraction of the stripped metal is isolated instead of
      dissolved; the fraction falls with the stripping current density (Werres et
      al. 2023) and rises with the SEI thickness (*form*):

      .. math::
          r_{strip} = \frac{x}{1+x}\,\frac{j_{strip}}{F}, \qquad
          x = f_0\,\frac{1 + L_{SEI}/L_d}{1 + j_{strip}/j_d}

    * an O'Kane-type decay of the plated metal, slowed by the SEI (O'Kane et al.,
      PCCP 24 (2022) 7909; PyBaMM ``OKane2022``):
      :math:`r_{decay} = \gamma_0\,(L_{SEI,0}/L_{SEI})\, n_M`.

    .. math::
        \frac{dn_{dead}}{dt} = r_{strip} + r_{decay} - r_{reconnect}

    Option ``"dead metal reconnection"``: ``"true"`` lets dead metal reconnect during
    rest (Zhang et al., Nature 2024: isolated Li recovers during calendar ageing),
    :math:`r_{reconnect} = k_{rec}\, n_{dead} / (1 + (i/i_{rest})^2)`, with :math:`i` the
    applied current density and :math:`i_{rest}` = 0.01 A m-2 marking what counts as
    rest.

    Option ``"dead metal resistance"``: ``"true"`` adds the ionic resistance of the
    porous dead layer in series with the interface (Chen et al. 2017; Xu et al., JES
    2019: apparent capacity loss at high rate),
    :math:`R_{dead} = \rho_{dead}\, n_{dead} V_m / (1 - \epsilon_{dead})`.
    """

    #: current density below which the cell is treated as at rest [A m-2]
    REST_CURRENT = 0.01

    def __init__(self, param, metal_param, options, afb_options):
        super().__init__(param, "negative", name="Dead metal", options=options)
        self.metal_param = metal_param
        self.on = afb_options["dead metal"] != "none"
        self.reconnection = afb_options["dead metal reconnection"] == "true"
        self.resistance = afb_options["dead metal resistance"] == "true"
        self.sei_on = afb_options["SEI"] != "none"

    def get_fundamental_variables(self):
        if not self.on:
            return {"Dead metal amount [mol.m-2]": pybamm.Scalar(0)}
        n_dead = pybamm.Variable(
            "Dead metal amount [mol.m-2]", domain="current collector"
        )
        return {"Dead metal amount [mol.m-2]": n_dead}

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        zero = pybamm.Scalar(0)
        if not self.on:
            variables.update(
                {
                    "Metal isolation rate [mol.m-2.s-1]": zero,
                    "Metal reconnection rate [mol.m-2.s-1]": zero,
                    "Dead metal layer resistance [Ohm.m2]": zero,
                }
            )
            return variables
        n_dead = variables["Dead metal amount [mol.m-2]"]
        n = pybamm.maximum(variables["Plated metal amount [mol.m-2]"], 0)
        j_strip = variables["Metal stripping current density [A.m-2]"]
        L = variables["SEI thickness on metal [m]"]

        x = mp.f_dead * (1 + L / mp.L_dead_ref) / (1 + j_strip / mp.j_dead_ref)
        r_strip = x / (1 + x) * j_strip / mp.F
        sei_ratio = mp.L_sei_0 / L if self.sei_on else pybamm.Scalar(1)
        r_decay = mp.gamma_dead * sei_ratio * n
        if self.reconnection:
            i_cell = variables["Current collector current density [A.m-2]"]
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
                "Dead metal fraction of stripped metal": x / (1 + x),
                "Metal isolation rate [mol.m-2.s-1]": r_strip + r_decay,
                "Metal reconnection rate [mol.m-2.s-1]": r_reconnect,
                "Dead metal layer resistance [Ohm.m2]": R_dead,
            }
        )
        return variables

    def set_rhs(self, variables):
        if not self.on:
            return
        n_dead = variables["Dead metal amount [mol.m-2]"]
        self.rhs = {
            n_dead: variables["Metal isolation rate [mol.m-2.s-1]"]
            - variables["Metal reconnection rate [mol.m-2.s-1]"]
        }

    def set_initial_conditions(self, variables):
        if not self.on:
            return
        self.initial_conditions = {
            variables["Dead metal amount [mol.m-2]"]: pybamm.Scalar(0)
        }
