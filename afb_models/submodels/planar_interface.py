"""The planar negative interface: its potentials, its double layer and its charge
balance."""

from __future__ import annotations

import pybamm

from ..mechanisms import LOSS_CHANNELS


class PlanarInterfacePotential(pybamm.BaseSubModel):
    r"""Potential differences across the planar negative interface.

    Between the collector (with the metal on it) and the electrolyte next to it, the
    current :math:`i_{int}` crosses a resistance :math:`R_{int}` (native interphase and
    contact) and then the charge-transfer plane, where the faradaic reactions run in
    parallel with the double layer. The double layer is a capacity :math:`C_{dl}`
    behind a branch resistance :math:`R_{dl}`:

    .. math::
        \phi_{s,cc} - \phi_e(0) = \Delta\phi + R_{int}\, i_{int}

    .. math::
        i_{int} = j_{far}(\Delta\phi) + j_{dl}, \qquad
        j_{dl} = \frac{\Delta\phi - V_{dl}}{R_{dl}(\theta)}, \qquad
        C_{dl}\frac{dV_{dl}}{dt} = j_{dl}

    :math:`\Delta\phi` is algebraic: after a current step it takes its new value at
    once, as in PyBaMM's half cell. The double-layer voltage :math:`V_{dl}` is the
    state. Its branch matters where no reaction can carry the current: a bare
    collector is an ideally polarisable electrode until metal nucleates on it, and at
    rest its potential is held by the double layer at :math:`V_{dl}`. Before the first
    charge :math:`V_{dl} = U_{coll}` ("Collector open-circuit potential [V]"); when
    metal is present initially (a reservoir, a foil) the metal's equilibrium, 0 V
    (:math:`(1 - \tanh(n_0/n_{min}))\, U_{coll}`). Because the branch conductance
    :math:`1/R_{dl}` bounds the slope of the interface current from below, the charge
    balance always has exactly one root, also with no metal and no current.
    The branch resistance is numerical: :math:`R_{dl} C_{dl}` (2 ms in the shipped
    cells) is slower than charge transfer (tens of microseconds), so a current step
    does not have to resolve the double layer, and faster than nucleation or any
    protocol step, so the double layer never carries a noticeable share of the current.
    On a collector covered with metal the branch is 1000 times slower
    (:meth:`PlanarInterfaceCurrent.branch_resistance`), which moves the same charge
    with no transient for the integrator to resolve.

    The collector and the metal are equipotential (their ohmic drop is below a
    nanovolt). Also defines the variables that PyBaMM's voltage break-down expects
    from a planar negative electrode (the metal is its own reference: OCP 0 V, no
    particle or ohmic overpotential in the electrode).
    """

    def __init__(self, param, metal_param, options, afb_options):
        super().__init__(param, "negative", name="Planar interface potential",
                         options=options)
        self.metal_param = metal_param
        self.afb_options = afb_options

    def get_fundamental_variables(self):
        delta_phi = pybamm.Variable(
            "Negative interface charge-transfer potential difference [V]",
            domain="current collector",
        )
        delta_phi.print_name = "delta_phi_int"
        v_dl = pybamm.Variable(
            "Negative interface double-layer potential difference [V]",
            domain="current collector",
        )
        v_dl.print_name = "v_dl"
        return {
            "Negative interface charge-transfer potential difference [V]": delta_phi,
            "Negative interface double-layer potential difference [V]": v_dl,
        }

    def get_coupled_variables(self, variables):
        phi_s = variables["Negative current collector potential [V]"]
        phi_e = variables["Negative electrolyte potential [V]"]
        T_sep = variables["Separator temperature [K]"]
        delta_phi_total = phi_s - phi_e
        zero = pybamm.Scalar(0)
        mp = self.metal_param
        # the collector's potential against the electrolyte before any current: the
        # bare collector's own, or with metal on it (a reservoir, a foil) the metal's
        # equilibrium, 0 V (which the plated amount's availability switches between;
        # a first guess far above it would also make the first Newton step of the
        # algebraic potential overshoot by volts, the stripping being capped by the
        # amount bound)
        no_metal = 1 - pybamm.tanh(mp.n_init / mp.n_strip)
        variables.update(
            {
                "Negative interface rest potential [V]": no_metal * mp.U_coll,
                "Negative electrode surface potential difference [V]": delta_phi_total,
                "Negative interface temperature [K]": pybamm.boundary_value(
                    T_sep, "left"
                ),
                # PyBaMM's names for a planar negative electrode
                "Lithium metal interface surface potential difference [V]":
                delta_phi_total,
                "Lithium metal interface electrode potential [V]": phi_s,
                "Lithium metal interface electrolyte potential [V]": phi_e,
                "Negative electrode potential drop [V]": zero,
                "X-averaged negative electrode ohmic losses [V]": zero,
                "X-averaged negative electrode open-circuit potential [V]": zero,
                "Negative electrode open-circuit potential [V]": zero,
                "Negative electrode bulk open-circuit potential [V]": zero,
                "Negative particle concentration overpotential [V]": zero,
            }
        )
        return variables

    def set_rhs(self, variables):
        v_dl = variables["Negative interface double-layer potential difference [V]"]
        j_dl = variables["Negative interface double-layer current density [A.m-2]"]
        self.rhs = {v_dl: j_dl / self.metal_param.C_dl}

    def set_algebraic(self, variables):
        delta_phi = variables[
            "Negative interface charge-transfer potential difference [V]"
        ]
        i_int = variables["Negative interface current density [A.m-2]"]
        j_far = variables["Negative interface faradaic current density [A.m-2]"]
        j_dl = variables["Negative interface double-layer current density [A.m-2]"]
        # in A m-2, so that the residual's size is a current density
        self.algebraic = {delta_phi: i_int - j_far - j_dl}

    def set_initial_conditions(self, variables):
        delta_phi = variables[
            "Negative interface charge-transfer potential difference [V]"
        ]
        v_dl = variables["Negative interface double-layer potential difference [V]"]
        rest_potential = variables["Negative interface rest potential [V]"]
        self.initial_conditions = {delta_phi: rest_potential, v_dl: rest_potential}


class PlanarInterfaceCurrent(pybamm.BaseSubModel):
    r"""Charge and metal-ion balance of the planar negative interface.

    The current through the interface (PyBaMM sign: positive when it oxidises) follows
    from the potential drop across its resistances. The films sit where they grew:
    the films on the metal (SEI) on the covered part :math:`\theta`, the films on the
    collector on the bare part :math:`1-\theta`, each in series with the interface's
    own resistance :math:`R_{int}` and in parallel with each other, and the layers
    across the whole interface (dead metal) in series with both:

    .. math::
        i_{int} = \frac{\phi_{s,cc} - \phi_e(0) - \Delta\phi}{R}, \qquad
        R = \left(\frac{\theta}{R_{int} + \sum R_{metal}}
            + \frac{1-\theta}{R_{int} + \sum R_{coll}}\right)^{-1}
            + \sum R_{series}

    (:data:`afb_models.mechanisms.LOSS_CHANNELS` says which film is where; with no
    film, :math:`R = R_{int}`). At a solid electrolyte with voids, the interface's
    own part carries the current through the contact fraction :math:`\varphi`
    only: it is divided by :math:`\varphi`
    (:mod:`afb_models.submodels.interface_contact`). The current splits into the faradaic reactions and
    the double layer, :math:`i_{int} = j_{far} + j_{dl}`. The metal-ion flux entering
    the electrolyte is the faradaic part, every reaction of which turns metal ions
    into metal or back, or locks them in a loss channel:

    .. math::
        N_e(0) = \Big(j_M + j_{sub} + \sum_k j_k\Big)/F

    Both :math:`i_{int}` and :math:`N_e(0)` are handed to the electrolyte as boundary
    fluxes (:class:`~afb_models.submodels.electrolyte_planar.PlanarElectrolyteBoundaryFlux`),
    so the metal that leaves the electrolyte is exactly the metal the deposit and the
    loss channels gain, whatever the convergence of the algebraic equations.
    """

    #: the double-layer branch's conductance on a fully covered collector, relative
    #: to a bare one (see :meth:`branch_resistance`)
    COVERED_BRANCH_CONDUCTANCE = 1e-3

    def __init__(self, param, metal_param, options):
        super().__init__(param, "negative", name="Planar interface current",
                         options=options)
        self.metal_param = metal_param

    def branch_resistance(self, variables):
        r"""Resistance of the double layer's branch [Ohm m2],
        :math:`R_{dl} / (1 - \theta + \delta)`.

        The branch is needed where no reaction can carry current, on the bare
        collector (:math:`\theta \to 0`), where it has the parameter's value. Where
        metal covers the collector the faradaic current holds the interface's
        potential, and a slower branch (1000 times, :math:`\delta` = 1e-3: 2 s
        instead of 2 ms in the shipped cells) moves the same double-layer charge
        without a transient that the integrator must resolve at every current step
        (~15 % of a cycle's steps).
        """
        theta = variables["Collector metal coverage"]
        return self.metal_param.R_dl / (1 - theta + self.COVERED_BRANCH_CONDUCTANCE)

    def film_resistance(self, variables):
        """The resistance of the interface with its films [Ohm m2] (class docstring)."""
        R_int = self.metal_param.R_int
        theta = variables["Collector metal coverage"]

        def films(area):
            return sum(variables[c.resistance] for c in LOSS_CHANNELS
                       if c.resistance and c.film_area == area)

        parallel = 1 / (theta / (R_int + films("metal"))
                        + (1 - theta) / (R_int + films("collector")))
        # the current crosses the interface where it touches the electrolyte
        contact = variables["Interface contact fraction"]
        return parallel / contact + films("series")

    def get_coupled_variables(self, variables):
        delta_phi_total = variables["Negative electrode surface potential difference [V]"]
        delta_phi = variables[
            "Negative interface charge-transfer potential difference [V]"
        ]
        v_dl = variables["Negative interface double-layer potential difference [V]"]
        R_total = self.film_resistance(variables)
        i_int = (delta_phi_total - delta_phi) / R_total
        j_ion = variables["Metal plating current density [A.m-2]"] + sum(
            variables[c.current] for c in LOSS_CHANNELS if c.current
        )
        j_far = j_ion
        F = pybamm.constants.F
        R_int = self.metal_param.R_int
        variables.update(
            {
                "Negative interface current density [A.m-2]": i_int,
                "Negative interface resistance with films [Ohm.m2]": R_total,
                "Negative interface faradaic current density [A.m-2]": j_far,
                "Negative interface double-layer current density [A.m-2]": (
                    delta_phi - v_dl
                )
                / self.branch_resistance(variables),
                "Negative interface metal-ion flux [mol.m-2.s-1]": j_ion / F,
                "Negative interface resistive overpotential [V]": delta_phi_total
                - delta_phi,
                # PyBaMM's names for a planar negative electrode
                "Lithium metal plating current density [A.m-2]": j_ion,
                "Lithium metal total interfacial current density [A.m-2]": j_far,
                "Lithium metal interface reaction overpotential [V]": variables[
                    "Negative interface overpotential [V]"
                ],
                # the drop across the films: all of it beyond the interface's own
                "Negative electrode SEI film overpotential [V]": -i_int
                * (R_total - R_int),
            }
        )
        return variables
