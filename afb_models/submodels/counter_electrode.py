"""The metal counter electrode of a metal||collector or symmetric cell."""

from __future__ import annotations

import pybamm


class MetalCounterElectrode(pybamm.BaseSubModel):
    r"""Planar metal counter electrode: a finite reservoir of metal foil.

    The counter electrode (Li foil in a Li||Cu cell, Na in Na||Al, the second foil of a
    symmetric cell) sits at :math:`x = L_s`. In the metal||collector convention the
    collector is the cell's positive terminal, so a discharge (current
    :math:`I > 0`) strips the counter electrode and plates the collector, and the
    counter electrode's current density (positive when it oxidises) is the cell's,
    :math:`i_{CE} = I/A`. Its metal (:math:`n_{CE}` [mol m-2], from
    "Counter electrode metal thickness [m]") follows Faraday's law,

    .. math::
        \frac{dn_{CE}}{dt} = -\frac{i_{CE}}{F}

    and its kinetics are Butler-Volmer with OCP 0 V against the metal and the metal's
    exchange current (the same function as on the plated metal, Xu et al. JES 2019),
    solved for the overpotential :math:`\eta_{CE}`:

    .. math::
        i_{CE} = j_{0,M}(c_e(L_s), T)\left[e^{\alpha f \eta_{CE}}
                   - e^{-(1-\alpha) f \eta_{CE}}\right]

    plus a series resistance ("Counter electrode interface resistance [Ohm.m2]"):
    :math:`\phi_{CE} = \phi_e(L_s) + \eta_{CE} + R_{CE}\, i_{CE}`. The cell's voltage is
    the collector's potential against it, :math:`V = \phi_{cc} - \phi_{CE}`. The counter electrode
    is a reservoir: no SEI, dead metal or corrosion is modelled on it (its losses do not
    enter what a metal||collector cell measures, the working electrode's CE). The event
    "Counter electrode metal exhausted" stops a simulation before it runs out.
    """

    def __init__(self, param, metal_param, options):
        super().__init__(param, name="Metal counter electrode", options=options)
        self.metal_param = metal_param

    def get_fundamental_variables(self):
        n_ce = pybamm.Variable(
            "Counter electrode metal amount [mol.m-2]", domain="current collector"
        )
        eta_ce = pybamm.Variable(
            "Counter electrode reaction overpotential [V]", domain="current collector"
        )
        return {
            "Counter electrode metal amount [mol.m-2]": n_ce,
            "Counter electrode metal thickness [m]": n_ce * self.metal_param.V_m,
            "Counter electrode reaction overpotential [V]": eta_ce,
        }

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        i_ce = variables["Current collector current density [A.m-2]"]
        eta = variables["Counter electrode reaction overpotential [V]"]
        c_e = variables["Counter electrode electrolyte concentration [mol.m-3]"]
        phi_e = variables["Counter electrode electrolyte potential [V]"]
        T = variables["Negative interface temperature [K]"]
        f = mp.F / (mp.R * T)
        j0 = mp.j0_metal(c_e, T)
        j_bv = j0 * (
            pybamm.exp(mp.alpha * f * eta) - pybamm.exp(-(1 - mp.alpha) * f * eta)
        )
        phi_ce = phi_e + eta + mp.R_ce * i_ce
        # the collector (working electrode) is the cell's positive terminal
        V = variables["Negative current collector potential [V]"] - phi_ce
        variables.update(
            {
                "Voltage [V]": V,
                "Battery voltage [V]": V,
                "Terminal voltage [V]": V,
                "Counter electrode current density [A.m-2]": i_ce,
                "Counter electrode kinetic current density [A.m-2]": j_bv,
                "Counter electrode exchange-current density [A.m-2]": j0,
                "Counter electrode potential [V]": phi_ce,
                "Counter electrode ohmic overpotential [V]": mp.R_ce * i_ce,
            }
        )
        return variables

    def set_rhs(self, variables):
        n_ce = variables["Counter electrode metal amount [mol.m-2]"]
        i_ce = variables["Counter electrode current density [A.m-2]"]
        self.rhs = {n_ce: -i_ce / self.metal_param.F}

    def set_algebraic(self, variables):
        eta = variables["Counter electrode reaction overpotential [V]"]
        i_ce = variables["Counter electrode current density [A.m-2]"]
        j_bv = variables["Counter electrode kinetic current density [A.m-2]"]
        self.algebraic = {eta: j_bv - i_ce}

    def set_initial_conditions(self, variables):
        n_ce = variables["Counter electrode metal amount [mol.m-2]"]
        eta = variables["Counter electrode reaction overpotential [V]"]
        mp = self.metal_param
        self.initial_conditions = {n_ce: mp.L_ce / mp.V_m, eta: pybamm.Scalar(0)}

    def add_events_from(self, variables):
        n_ce = variables["Counter electrode metal amount [mol.m-2]"]
        n_0 = self.metal_param.L_ce / self.metal_param.V_m
        self.events.append(
            pybamm.Event("Counter electrode metal exhausted", n_ce - 0.01 * n_0)
        )

