"""Metal inventory: where every mole of the cell's cyclable metal is."""

from __future__ import annotations

import pybamm


#: where the cell's metal is, by variable name; the last one is their sum
INVENTORY_VARIABLES = (
    "Metal in positive electrode [mol]",
    "Metal in counter electrode [mol]",
    "Metal in electrolyte [mol]",
    "Plated metal [mol]",
    "Dead metal [mol]",
    "Metal in SEI [mol]",
    "Corroded metal [mol]",
    "Total metal [mol]",
)


class MetalInventory(pybamm.BaseSubModel):
    r"""Bookkeeping of the cell's metal (docs/physics.md §6).

    .. math::
        N_{total} = N_{pos} + N_{CE} + N_{e} + N_{plated} + N_{dead} + N_{SEI} + N_{corr}

    with :math:`N_{pos} = A \int \epsilon_s \bar c_s\, dx` (PyBaMM's particle total;
    zero in a metal||collector cell), :math:`N_{CE} = A\, n_{CE}` the metal counter
    electrode's (zero in an anode-free cell),
    :math:`N_e = A \int \epsilon c_e\, dx` over the separator and cathode, and
    :math:`N_{plated} = A\, n_M` and the losses :math:`A\, n_k` of the degradation
    mechanisms. The electrolyte and cathode totals are finite-volume integrals consistent with
    the discretised balances, so the total is conserved to rounding whenever the model
    conserves metal.
    """

    def __init__(self, param, options, cathode=True, counter_electrode=False):
        super().__init__(param, name="Metal inventory", options=options)
        self.cathode = cathode
        self.counter_electrode = counter_electrode

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
        n_dead = A * variables["Dead metal amount [mol.m-2]"]
        n_sei = A * variables["SEI metal amount [mol.m-2]"]
        n_corr = A * variables["Corroded metal amount [mol.m-2]"]
        F = self.param.F
        variables.update(
            {
                "Metal in positive electrode [mol]": n_pos,
                "Metal in counter electrode [mol]": n_ce,
                "Metal in electrolyte [mol]": n_e,
                "Plated metal [mol]": n_plated,
                "Dead metal [mol]": n_dead,
                "Metal in SEI [mol]": n_sei,
                "Corroded metal [mol]": n_corr,
                "Lost metal [mol]": n_dead + n_sei + n_corr,
                "Total metal [mol]": n_pos + n_ce + n_e + n_plated + n_dead + n_sei + n_corr,
                "Plated metal capacity [A.h]": n_plated * F / 3600,
            }
        )
        return variables
