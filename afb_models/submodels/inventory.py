"""Metal inventory: where every mole of the cell's cyclable metal is."""

from __future__ import annotations

import pybamm

from ..mechanisms import LOSS_CHANNELS
from .base_mechanism import side_name

#: where the cell's cyclable metal is, by variable name
CYCLABLE_VARIABLES = (
    "Metal in positive electrode [mol]",
    "Metal in counter electrode [mol]",
    "Metal in electrolyte [mol]",
    "Plated metal [mol]",
)
#: where the cell's metal is, by variable name: the cyclable parts, one part per loss
#: channel (afb_models.mechanisms), and, last, their sum
INVENTORY_VARIABLES = (
    *CYCLABLE_VARIABLES,
    *(channel.inventory for channel in LOSS_CHANNELS),
    "Total metal [mol]",
)


def stoichiometry_at_voltage(ocp, voltage, points: int = 100):
    r"""The stoichiometry :math:`x` where a decreasing open-circuit potential
    ``ocp(x)`` crosses ``voltage``, as an expression: ``ocp`` on ``points`` + 1 even
    steps of [0, 1], interpolated linearly in the step where it crosses (the
    interpolation error is below 1e-5 in x for the shipped curves at 100 steps); 0
    or 1 where it does not cross. Every leaf is a parameter, so PyBaMM folds the
    expression into one number when it sets the parameters. (A flat sum: a nested
    bisection is too deep for PyBaMM's tree walks.)"""
    xs = [k / points for k in range(points + 1)]
    values = [ocp(pybamm.Scalar(x)) for x in xs]
    root = (values[-1] > voltage) * 1.0  # above the voltage everywhere: x = 1
    for k in range(points):
        crossing = (values[k] > voltage) * (values[k + 1] <= voltage)
        weight = (values[k] - voltage) / (values[k] - values[k + 1] + 1e-300)
        root = root + crossing * (xs[k] + weight / points)
    return root


class MetalInventory(pybamm.BaseSubModel):
    r"""Bookkeeping of the cell's metal (docs/physics.md §6).

    .. math::
        N_{total} = N_{pos} + N_{CE} + N_{e} + N_{plated} + \sum_k N_k

    with :math:`N_{pos} = A \int \epsilon_s \bar c_s\, dx` (PyBaMM's particle total;
    zero in a metal||collector cell), :math:`N_{CE} = A\, n_{CE}` the metal counter
    electrode's (zero in an anode-free cell),
    :math:`N_e = A \int \epsilon c_e\, dx` over the separator and cathode, and
    :math:`N_{plated} = A\, n_M` and the losses :math:`N_k = A\, n_k` of the loss
    channels (:data:`afb_models.mechanisms.LOSS_CHANNELS`: dead metal, SEI on the
    metal and on the collector, corrosion). The electrolyte and cathode totals are finite-volume integrals consistent with
    the discretised balances, so the total is conserved to rounding whenever the model
    conserves metal.

    "Capacity [A.h]" is the charge of the metal the cell can still cycle between its
    voltage limits at equilibrium, PyBaMM's summary capacity for a cell whose
    negative is the metal itself (so ``termination="80% capacity"`` and
    ``pybamm.plot_summary_variables`` work). With a cathode: the metal in the cathode
    above what it keeps when charged to the upper cut-off (the stoichiometry
    :math:`x_{100}` where :math:`U_p(x_{100}, T_{ref})` equals the cut-off, with the
    metal at 0 V), plus the plated metal, at most the cathode's room below
    :math:`x = 1`:

    .. math::
        Q = \frac{F}{3600}\min\left(N_{pos} + N_{plated} - x_{100} N_{p,max},\
            (1 - x_{100}) N_{p,max}\right), \qquad
        N_{p,max} = A L_p\, \bar\epsilon_{s,p}\, c_{p,max}

    In a metal||collector or symmetric cell, the metal plated on the working
    electrode. The metal lost to side reactions is "Total capacity lost to side
    reactions [A.h]" and, in % of all the cell's metal, "Loss of metal inventory
    [%]".
    """

    def __init__(self, param, options, cathode=True, counter_electrode=False,
                 counter_electrode_losses=False):
        super().__init__(param, name="Metal inventory", options=options)
        self.cathode = cathode
        self.counter_electrode = counter_electrode
        #: whether the loss channels hold metal of the counter electrode too (a
        #: symmetric cell's second foil)
        self.counter_electrode_losses = counter_electrode_losses

    def get_coupled_variables(self, variables):
        A = self.param.A_cc
        zero = pybamm.Scalar(0)
        n_pos = (
            variables["Total lithium in primary phase in positive electrode [mol]"]
            if self.cathode
            else zero
        )
        n_ce = (
            A * variables["Counter electrode metal amount [mol.m-2]"]
            if self.counter_electrode
            else zero
        )
        eps_c_e = variables["Porosity times concentration [mol.m-3]"]
        x = pybamm.SpatialVariable("x", domain=eps_c_e.domain)
        n_e = A * pybamm.yz_average(pybamm.Integral(eps_c_e, x))
        n_plated = A * variables["Plated metal amount [mol.m-2]"]
        losses = {c.inventory: A * variables[c.amount] for c in LOSS_CHANNELS}
        if self.counter_electrode_losses:
            for c in LOSS_CHANNELS:
                counter = side_name(c.amount, "counter")
                if counter in variables:
                    losses[c.inventory] = losses[c.inventory] + A * variables[counter]
        n_lost = sum(losses.values())
        n_total = n_pos + n_ce + n_e + n_plated + n_lost
        F = self.param.F
        variables.update(
            {
                "Metal in positive electrode [mol]": n_pos,
                "Metal in counter electrode [mol]": n_ce,
                "Metal in electrolyte [mol]": n_e,
                "Plated metal [mol]": n_plated,
                **losses,
                "Lost metal [mol]": n_lost,
                "Total metal [mol]": n_total,
                "Plated metal capacity [A.h]": n_plated * F / 3600,
                "Capacity [A.h]": self._capacity(variables, n_pos, n_plated) * F / 3600,
                "Total capacity lost to side reactions [A.h]": n_lost * F / 3600,
                "Loss of metal inventory [%]": 100 * n_lost / n_total,
            }
        )
        return variables

    def _capacity(self, variables, n_pos, n_plated):
        """The metal the cell can cycle [mol] (see the class docstring)."""
        if not self.cathode:
            return n_plated
        p = self.param.p
        eps_s = variables["X-averaged positive electrode active material volume fraction"]
        n_full = self.param.A_cc * p.L * eps_s * p.prim.c_max
        x_100 = stoichiometry_at_voltage(
            lambda x: p.prim.U(x, self.param.T_ref), self.param.voltage_high_cut
        )
        return pybamm.minimum(n_pos + n_plated - x_100 * n_full, (1 - x_100) * n_full)
