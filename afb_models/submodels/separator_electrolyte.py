"""Electrolyte between two planar electrodes: the only porous-free domain of a
metal||collector or symmetric metal||metal cell."""

from __future__ import annotations

import pybamm


def boundary_gradients(param, c_e, T, tor, side, i_e, N_ion, single_ion):
    r"""Neumann values that make the discrete electrolyte fluxes at one end equal to an
    interface's electrolyte current ``i_e`` and metal-ion flux ``N_ion``.

    With :math:`N_e = -\tau D_e \partial_x c_e + t_+ i_e/F` and
    :math:`i_e = \kappa\tau(\chi\partial_x c_e - \partial_x\phi_e)`:

    .. math::
        \partial_x c_e = -\frac{N_{ion} - t_+ i_e/F}{\tau D_e}, \qquad
        \partial_x \phi_e = \chi\,\partial_x c_e - \frac{i_e}{\kappa\tau}

    Each coefficient is extrapolated onto the boundary edge exactly as PyBaMM's finite
    volumes extrapolate it (``boundary_value`` of the whole coefficient), so the flux the
    discretisation produces is the imposed one up to rounding
    (:class:`~afb_models.submodels.electrolyte_planar.PlanarElectrolyteBoundaryFlux`
    explains why this matters: PyBaMM issue #5700).
    """
    F = param.F
    t_plus = pybamm.Scalar(1) if single_ion else param.t_plus(c_e, T)
    t_plus_b = pybamm.boundary_value(t_plus, side)
    tor_D_b = pybamm.boundary_value(tor * param.D_e(c_e, T), side)
    kappa_tor_b = pybamm.boundary_value(param.kappa_e(c_e, T) * tor, side)
    dc_e = -(N_ion - t_plus_b * i_e / F) / tor_D_b
    if single_ion:
        dphi_e = -i_e / kappa_tor_b
    else:
        dphi_e = pybamm.boundary_value(param.chiRT_over_Fc(c_e, T), side) * dc_e
        dphi_e = dphi_e - i_e / kappa_tor_b
    return dc_e, dphi_e


class SeparatorElectrolyte(pybamm.BaseSubModel):
    r"""Concentrated-solution electrolyte in a separator between two planar electrodes.

    The electrolyte of a metal||collector or symmetric cell fills the separator
    (porosity :math:`\epsilon`, transport efficiency :math:`\tau = \epsilon^{b}`), with
    the working electrode (the collector and the metal plated on it) at :math:`x = 0`
    and the metal counter electrode at :math:`x = L_s`. Doyle-Fuller-Newman
    (Doyle, Fuller, Newman, JES 1993), as in PyBaMM's ``Full`` electrolyte submodels
    with no reaction in the domain:

    .. math::
        \epsilon \frac{\partial c_e}{\partial t} = -\frac{\partial N_e}{\partial x},
        \qquad N_e = -\tau D_e \frac{\partial c_e}{\partial x} + \frac{t_+ i_e}{F}

    .. math::
        \frac{\partial i_e}{\partial x} = 0, \qquad
        i_e = \kappa\tau\left(\chi \frac{\partial c_e}{\partial x}
                                 - \frac{\partial \phi_e}{\partial x}\right)

    Boundary conditions (:func:`boundary_gradients`): at :math:`x = 0` the working
    interface's current :math:`i_e(0) = i_{int}` (positive when it oxidises) and
    metal-ion flux :math:`N_e(0) = j_{ion}/F`; at :math:`x = L_s` the counter
    electrode's, :math:`i_e(L_s) = -i_{CE}`, :math:`N_e(L_s) = -i_{CE}/F`. The
    potential's level is fixed by the working interface's kinetics, which depend on
    :math:`\phi_e(0)` (the collector is the potential reference, 0 V).

    With ``single_ion`` (option ``"electrolyte": "single-ion conductor"``, a solid
    electrolyte) :math:`t_+ = 1` whatever the parameter set says, so
    :math:`\chi = 0` and a salt gradient can only come from the double layer's charge,
    which relaxes by diffusion.
    """

    def __init__(self, param, options, single_ion=False):
        super().__init__(param, name="Separator electrolyte", options=options)
        self.single_ion = single_ion

    def get_fundamental_variables(self):
        aux = {"secondary": "current collector"}
        c_e = pybamm.Variable(
            "Electrolyte concentration [mol.m-3]",
            domain="separator",
            auxiliary_domains=aux,
            scale=self.param.c_e_init_av,
        )
        c_e.print_name = "c_e"
        phi_e = pybamm.Variable(
            "Electrolyte potential [V]", domain="separator", auxiliary_domains=aux
        )
        phi_e.print_name = "phi_e"
        return {
            "Electrolyte concentration [mol.m-3]": c_e,
            "Separator electrolyte concentration [mol.m-3]": c_e,
            "Electrolyte potential [V]": phi_e,
            "Separator electrolyte potential [V]": phi_e,
            "Negative electrolyte concentration [mol.m-3]": pybamm.boundary_value(
                c_e, "left"
            ),
            "Negative electrolyte potential [V]": pybamm.boundary_value(phi_e, "left"),
            "Counter electrode electrolyte concentration [mol.m-3]":
            pybamm.boundary_value(c_e, "right"),
            "Counter electrode electrolyte potential [V]": pybamm.boundary_value(
                phi_e, "right"
            ),
            "X-averaged electrolyte concentration [mol.m-3]": pybamm.x_average(c_e),
        }

    def get_coupled_variables(self, variables):
        param = self.param
        c_e = variables["Electrolyte concentration [mol.m-3]"]
        phi_e = variables["Electrolyte potential [V]"]
        T = variables["Separator temperature [K]"]
        eps = param.s.epsilon_init
        tor = eps**param.s.b_e
        F = param.F

        i_int = variables["Negative interface current density [A.m-2]"]
        N_int = variables["Negative interface metal-ion flux [mol.m-2.s-1]"]
        i_ce = variables["Counter electrode current density [A.m-2]"]
        dc_left, dphi_left = boundary_gradients(
            param, c_e, T, tor, "left", i_int, N_int, self.single_ion
        )
        dc_right, dphi_right = boundary_gradients(
            param, c_e, T, tor, "right", -i_ce, -i_ce / F, self.single_ion
        )

        if self.single_ion:
            t_plus = pybamm.Scalar(1)
            i_e = -param.kappa_e(c_e, T) * tor * pybamm.grad(phi_e)
        else:
            t_plus = param.t_plus(c_e, T)
            i_e = param.kappa_e(c_e, T) * tor * (
                param.chiRT_over_Fc(c_e, T) * pybamm.grad(c_e) - pybamm.grad(phi_e)
            )
        N_e = -tor * param.D_e(c_e, T) * pybamm.grad(c_e) + t_plus * i_e / F
        variables.update(
            {
                "Electrolyte transport efficiency": tor,
                "Separator electrolyte transport efficiency": tor,
                "Porosity times concentration [mol.m-3]": eps * c_e,
                "Electrolyte current density [A.m-2]": i_e,
                "Electrolyte flux [mol.m-2.s-1]": N_e,
                "Electrolyte concentration gradient at negative interface [mol.m-4]":
                dc_left,
                "Electrolyte potential gradient at negative interface [V.m-1]":
                dphi_left,
                "Electrolyte concentration gradient at counter electrode [mol.m-4]":
                dc_right,
                "Electrolyte potential gradient at counter electrode [V.m-1]":
                dphi_right,
                "Electrolyte potential drop [V]": pybamm.boundary_value(phi_e, "right")
                - pybamm.boundary_value(phi_e, "left"),
            }
        )
        return variables

    def set_rhs(self, variables):
        c_e = variables["Electrolyte concentration [mol.m-3]"]
        N_e = variables["Electrolyte flux [mol.m-2.s-1]"]
        eps = self.param.s.epsilon_init
        self.rhs = {c_e: -pybamm.div(N_e) / eps}

    def set_algebraic(self, variables):
        phi_e = variables["Electrolyte potential [V]"]
        i_e = variables["Electrolyte current density [A.m-2]"]
        self.algebraic = {phi_e: pybamm.div(i_e)}

    def set_boundary_conditions(self, variables):
        c_e = variables["Electrolyte concentration [mol.m-3]"]
        phi_e = variables["Electrolyte potential [V]"]
        self.boundary_conditions = {
            c_e: {
                "left": (
                    variables[
                        "Electrolyte concentration gradient at negative interface "
                        "[mol.m-4]"
                    ],
                    "Neumann",
                ),
                "right": (
                    variables[
                        "Electrolyte concentration gradient at counter electrode "
                        "[mol.m-4]"
                    ],
                    "Neumann",
                ),
            },
            phi_e: {
                "left": (
                    variables["Electrolyte potential gradient at negative interface [V.m-1]"],
                    "Neumann",
                ),
                "right": (
                    variables["Electrolyte potential gradient at counter electrode [V.m-1]"],
                    "Neumann",
                ),
            },
        }

    def set_initial_conditions(self, variables):
        c_e = variables["Electrolyte concentration [mol.m-3]"]
        phi_e = variables["Electrolyte potential [V]"]
        # phi_e is algebraic: this is the first guess of its solve, the electrolyte
        # next to a collector at rest (the collector is the 0 V reference)
        rest = variables["Negative interface rest potential [V]"]
        self.initial_conditions = {c_e: self.param.c_e_init, phi_e: -rest}
