"""SEI on the bare part of the collector."""

from __future__ import annotations

import pybamm

from ..base_mechanism import LossMechanism


class CollectorSEI(LossMechanism):
    r"""Option ``"collector SEI": "passivating"``: the electrolyte is reduced on the
    bare collector (area :math:`1-\theta`) below its own onset potential (native-oxide
    and salt reduction, ~1-2 V against the metal; docs/physics.md §3), passivating as
    its film thickens (*form*):

    .. math::
        j_{SEI,c} = -(1-\theta)\, \frac{j_{0,c}\, A(T)\,
            e^{-\alpha f (\Delta\phi - U_{c})}}{1 + L_{c}/\delta_c}, \qquad
        \frac{dL_c}{dt} = -\frac{\bar V_{SEI}}{z_{SEI} F}\,j_{SEI,c}, \qquad
        \frac{dn_{SEI,c}}{dt} = -\frac{j_{SEI,c}}{F}

    with :math:`\alpha = 1/2` and the SEI's activation energy. :math:`L_c` is the film
    thickness averaged over the whole collector: the part covered by metal keeps the
    film it had when it was covered. At a fixed potential the rate falls with time as
    the film grows (:math:`L_c \propto \sqrt{t}` once :math:`L_c \gg \delta_c`),
    and it grows exponentially as the potential falls: it runs mostly during the
    first charge, before the collector is covered, as part of the first-cycle loss
    of an anode-free cell. The film adds :math:`L_c \rho_{SEI}` on the bare part of
    the collector.
    """

    option = "collector SEI"
    ALPHA = 0.5

    def get_fundamental_variables(self):
        mp = self.metal_param
        cc = "current collector"
        L_c = pybamm.Variable(self.var("SEI thickness on collector [m]"), domain=cc,
                              scale=mp.L_sei_0)
        n_c = pybamm.Variable(self.channel.amount, domain=cc)
        return {self.var("SEI thickness on collector [m]"): L_c, self.channel.amount: n_c}

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        theta = variables[self.var("Collector metal coverage")]
        delta_phi = variables[
            self.var("Negative interface charge-transfer potential difference [V]")
        ]
        T = variables[self.var("Negative interface temperature [K]")]
        L_c = variables[self.var("SEI thickness on collector [m]")]
        f = mp.F / (mp.R * T)
        j_bare = -mp.j0_sei_c * self.arrhenius(mp.E_sei, T) * pybamm.exp(
            -self.ALPHA * f * (delta_phi - mp.U_sei_c)
        ) / (1 + L_c / mp.delta_c)
        variables.update(
            {
                self.var("SEI current density on collector per bare area [A.m-2]"): j_bare,
                self.channel.current: (1 - theta) * j_bare,
                self.channel.resistance: L_c * mp.rho_sei,
            }
        )
        return variables

    def set_rhs(self, variables):
        mp = self.metal_param
        j = variables[self.channel.current]
        self.rhs = {
            variables[self.var("SEI thickness on collector [m]")]: -mp.V_bar_sei
            / (mp.z_sei * mp.F) * j,
            variables[self.channel.amount]: -j / mp.F,
        }

    def set_initial_conditions(self, variables):
        zero = pybamm.Scalar(0)
        self.initial_conditions = {
            variables[self.var("SEI thickness on collector [m]")]: zero,
            variables[self.channel.amount]: zero,
        }
