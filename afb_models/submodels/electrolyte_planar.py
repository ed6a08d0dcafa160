"""Exactly conservative electrolyte boundary conditions at a planar negative interface."""

from __future__ import annotations

import pybamm


def _interface_value(symbol):
    """Value of a node-valued expression at the planar interface (x = 0).

    PyBaMM's finite volumes evaluate a flux coefficient on the exterior edge by linear
    extrapolation of its nodal values (``FiniteVolume.shift``), and ``boundary_value``
    uses the same two-node extrapolation. Taking the boundary value of the *whole*
    coefficient (not of its reciprocal, nor of its argument) makes the discrete flux at
    the boundary equal to the imposed one up to rounding.
    """
    return pybamm.boundary_value(symbol, "left")


class PlanarElectrolyteBoundaryFlux(pybamm.BaseSubModel):
    r"""Electrolyte boundary fluxes at the planar negative interface.

    At :math:`x = 0` the electrolyte current is the interface's reaction current,
    :math:`i_e(0) = j_{int}`, and the metal-ion flux is the part of it that turns ions
    into metal or back, :math:`N_e(0) = j_{ion}/F`
    (:class:`~afb_models.submodels.planar_interface.PlanarInterfaceCurrent`). With

    .. math::
        N_e = -\tau D_e \nabla c_e + \frac{t_+ i_e}{F}, \qquad
        i_e = \kappa\tau\left(\chi\nabla c_e - \nabla\phi_e\right),
        \quad \chi = \frac{2(1-t_+)RT}{F c_e}\left(1 + \frac{d\ln f}{d\ln c_e}\right)

    the two Neumann values that impose them are

    .. math::
        \partial_x c_e(0) = -\frac{j_{ion}/F - t_+(0)\, j_{int}/F}{(\tau D_e)(0)},
        \qquad
        \partial_x \phi_e(0) = \chi(0)\,\partial_x c_e(0) - \frac{j_{int}}{(\kappa\tau)(0)}

    where each coefficient at the interface is extrapolated exactly as the finite
    volume discretisation extrapolates it onto the boundary edge. The flux into the
    electrolyte is then the interface's own metal-ion flux by construction, and metal
    is conserved to rounding error.

    PyBaMM's half cell imposes :math:`\partial_x c_e = -\langle(1-t_+)/(\tau D_e F)\rangle\, i`
    with the reciprocal extrapolated, which differs from the flux the discretisation
    produces whenever :math:`D_e` depends on concentration (PyBaMM issue #5700, the
    slow drift); and it sets :math:`\phi_e(0)` by a Dirichlet condition, so
    :math:`i_e(0)` equals the applied current only as far as the algebraic equations
    are converged, while the metal it plates is counted with the applied current (the
    part that comes and goes within a cycle). The Robin form used here removes both:
    the same symbol :math:`j_{int}` is the interface kinetics, the electrolyte current
    at the boundary and, with :math:`j_{ion}`, the rate of change of the plated metal.
    """

    def __init__(self, param, options):
        super().__init__(param, "negative", name="Planar electrolyte boundary flux",
                         options=options)

    def get_coupled_variables(self, variables):
        c_e = variables["Electrolyte concentration [mol.m-3]"]
        T = variables["Cell temperature [K]"]
        tor = variables["Electrolyte transport efficiency"]
        j_int = variables["Negative interface current density [A.m-2]"]
        N_ion = variables["Negative interface metal-ion flux [mol.m-2.s-1]"]
        param = self.param
        F = param.F

        t_plus_0 = _interface_value(param.t_plus(c_e, T))
        tor_D_0 = _interface_value(tor * param.D_e(c_e, T))
        chi_0 = _interface_value(param.chiRT_over_Fc(c_e, T))
        kappa_tor_0 = _interface_value(param.kappa_e(c_e, T) * tor)

        dc_e_0 = -(N_ion - t_plus_0 * j_int / F) / tor_D_0
        dphi_e_0 = chi_0 * dc_e_0 - j_int / kappa_tor_0
        variables.update(
            {
                "Electrolyte concentration gradient at negative interface [mol.m-4]":
                dc_e_0,
                "Electrolyte potential gradient at negative interface [V.m-1]":
                dphi_e_0,
            }
        )
        return variables


class PlanarElectrolyteDiffusion(pybamm.electrolyte_diffusion.Full):
    """PyBaMM's electrolyte mass balance (``Full``) with the metal-ion flux of the
    planar negative interface as its left boundary condition
    (:class:`PlanarElectrolyteBoundaryFlux`)."""

    def set_boundary_conditions(self, variables):
        c_e = variables["Electrolyte concentration [mol.m-3]"]
        c_e_conc = variables["Electrolyte concentration concatenation [mol.m-3]"]
        lbc = variables[
            "Electrolyte concentration gradient at negative interface [mol.m-4]"
        ]
        # right: the cathode current collector, no flux
        bcs = {"left": (lbc, "Neumann"), "right": (pybamm.Scalar(0), "Neumann")}
        self.boundary_conditions = {c_e: bcs, c_e_conc: bcs}


class PlanarElectrolyteConductivity(pybamm.electrolyte_conductivity.Full):
    """PyBaMM's electrolyte charge balance (``Full``) with the reaction current of the
    planar negative interface as its left (Robin) boundary condition
    (:class:`PlanarElectrolyteBoundaryFlux`)."""

    def set_boundary_conditions(self, variables):
        phi_e = variables["Electrolyte potential [V]"]
        lbc = variables["Electrolyte potential gradient at negative interface [V.m-1]"]
        self.boundary_conditions = {
            phi_e: {"left": (lbc, "Neumann"), "right": (pybamm.Scalar(0), "Neumann")}
        }
