"""Galvanic corrosion of the plated metal by its couple with the exposed collector."""

from __future__ import annotations

import pybamm

from ..base_mechanism import LossMechanism
from ..metal_deposit import positive_part


class GalvanicCouple(LossMechanism):
    r"""Option ``"galvanic corrosion": "mixed potential"``: the metal and the bare
    collector it sits on form a short-circuited galvanic couple in the electrolyte
    (Lin et al., Nat. Chem. 11 (2019) 382; Kolesnikov et al., Adv. Energy Mater. 2020;
    docs/physics.md §5). The metal is the anode; the electrolyte is reduced on the
    collector next to it, with electrons supplied by the metal through their contact.

    The couple needs all three: metal, exposed collector and electrolyte. Its
    cathodic and anodic sites meet along the edges of the metal islands, whose length
    per unit area in a random mosaic of coverage :math:`\theta` scales as
    :math:`\theta(1-\theta)` (*form*): no couple without metal, none on a fully
    covered collector, most at half coverage. Its current is driven by the gap between
    the potential at which the electrolyte is reduced on the collector,
    :math:`U_{red}` ("Collector SEI open-circuit potential [V]", the same reduction),
    and the metal's potential the couple sits at, :math:`\Delta\phi` (0 at rest),
    through the couple's conductance (Evans' linear polarisation of a galvanic pair;
    Mansfeld, Corrosion 27 (1971) 436; *form*):

    .. math::
        j_{corr} = -4\theta(1-\theta)\, g_{corr}\, A(T)\,
            \max(U_{red} - \Delta\phi,\ 0)

    with :math:`A(T) = e^{E_{corr}/R\,(1/T_{ref} - 1/T)}`. Unlike the collector's SEI
    (:class:`~afb_models.submodels.sei.collector_sei.CollectorSEI`), which needs no
    metal, grows exponentially with the overpotential and passivates with time, the
    couple is linear in its driving potential and does not passivate: at rest with
    the collector partly covered it corrodes at a constant rate (the reaction sites
    move as the metal's edge recedes). The metal that oxidises to supply the reduction
    is lost: the current enters the interface's charge balance, which at open circuit
    reads :math:`\theta\, i_M(\Delta\phi) + j_{corr} + \ldots = 0`, and the reduced
    metal ions are locked in the corrosion products, :math:`dn_{corr}/dt = -j_{corr}/F`.
    """

    option = "galvanic corrosion"
    #: smoothing of max(gap, 0) [V]: the couple switches off within 1 mV of U_red
    GAP_WIDTH = 1e-3

    def get_fundamental_variables(self):
        n_corr = pybamm.Variable(self.channel.amount, domain="current collector")
        return {self.channel.amount: n_corr}

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        theta = variables[self.var("Collector metal coverage")]
        delta_phi = variables[
            self.var("Negative interface charge-transfer potential difference [V]")
        ]
        T = variables[self.var("Negative interface temperature [K]")]
        gap = positive_part(mp.U_sei_c - delta_phi, self.GAP_WIDTH)
        j_corr = -4 * theta * (1 - theta) * mp.g_corr * self.arrhenius(mp.E_corr, T) * gap
        variables.update(
            {
                self.var("Galvanic couple driving potential [V]"): gap,
                self.channel.current: j_corr,
            }
        )
        return variables

    def set_rhs(self, variables):
        n_corr = variables[self.channel.amount]
        self.rhs = {n_corr: -variables[self.channel.current] / self.metal_param.F}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[self.channel.amount]: pybamm.Scalar(0)}
