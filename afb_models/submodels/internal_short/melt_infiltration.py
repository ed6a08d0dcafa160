"""Molten metal infiltrating the separator or solid electrolyte, and the short it
makes when it bridges it."""

from __future__ import annotations

import math

import pybamm



def _smoothstep(x):
    """0 below 0, 1 above 1, :math:`x^2(3-2x)` between."""
    s = pybamm.minimum(pybamm.maximum(x, 0), 1)
    return s**2 * (3 - 2 * s)


class MeltParameters:
    """Symbols of the melt and of the electrolyte's open pore network."""

    def __init__(self):
        P = pybamm.Parameter
        self.eta = P("Liquid metal viscosity [Pa.s]")
        self.gamma = P("Liquid metal surface tension [N.m-1]")
        self.rho_melt = P("Liquid metal resistivity [Ohm.m]")
        self.theta = P("Melt contact angle on electrolyte [deg]")
        self.eps = P("Electrolyte open porosity")
        self.eps_c = P("Electrolyte percolation threshold porosity")
        self.r = P("Electrolyte pore radius [m]")
        self.tau = P("Electrolyte pore tortuosity")
        self.L = P("Separator thickness [m]")
        self.p_stack = P("Stack pressure [Pa]")

    def driving_pressure(self):
        r""":math:`\Delta p = p + 2\gamma\cos\theta/r` [Pa]."""
        cos_theta = pybamm.cos(self.theta * math.pi / 180)
        return self.p_stack + 2 * self.gamma * cos_theta / self.r

    def front_rate_constant(self):
        r""":math:`K` of :math:`d(x^2)/dt = 2K f` [s-1] (class docstring)."""
        connected = pybamm.maximum(self.eps - self.eps_c, 0)
        return (connected * self.r**2 * pybamm.maximum(self.driving_pressure(), 0)
                / (8 * self.tau**2 * self.eta * self.eps * self.L**2))

    def bridge_conductance(self):
        r""":math:`G_{melt}` [S m-2] of the melt filling the connected pores."""
        connected = pybamm.maximum(self.eps - self.eps_c, 0)
        return connected / (self.tau**2 * self.rho_melt * self.L)


def time_to_bridge(parameter_values, temperature_K=None) -> float:
    r"""The time a fully molten metal takes to bridge the electrolyte of the cell of
    ``parameter_values`` [s], :math:`1/(2K)` (:class:`MeltInfiltration`); ``inf``
    when the melt cannot enter its pores."""
    K = parameter_values.evaluate(MeltParameters().front_rate_constant())
    return math.inf if K <= 0 else 1 / (2 * float(K))


class MeltInfiltration(pybamm.BaseSubModel):
    r"""Option ``"melt short": "infiltration"``: once the metal melts, it flows into
    the separator's or solid electrolyte's open pores and cracks, and shorts the cell
    when it reaches the other electrode (docs/physics.md §10; Michalak & Reddy,
    Sustainable Energy Fuels 9 (2025) 1545: cells with Li or Na electrodes on oxide
    electrolytes short once the metal melts, later for thicker and denser
    electrolytes).

    The melt front advances through the electrolyte (thickness :math:`L`) as viscous
    flow through its connected pores, driven by the stack pressure and capillarity,
    :math:`\Delta p = p + 2\gamma\cos\theta/r`: a wetting melt
    (:math:`\theta < 90°`) is drawn in (Washburn, Phys. Rev. 17 (1921) 273); a
    non-wetting one (molten Li and Na on LLZO and β''-alumina at first) enters only
    where the pressure exceeds the capillary entry pressure
    :math:`2\gamma|\cos\theta|/r`. Darcy's law for the front at depth :math:`xL`,
    with the capillary-bundle permeability of the connected porosity (Kozeny-Carman
    with the percolation threshold :math:`\varepsilon_c` of Mavko & Nur, Geophysics
    62 (1997) 1480: pores below it do not connect through the layer),

    .. math::
        k = \frac{(\varepsilon - \varepsilon_c)_+\, r^2}{8\tau^2}, \qquad
        \varepsilon L\,\frac{d(xL)}{dt} = \frac{k\,\Delta p_+}{\eta\, xL}\, f
        \;\;\Rightarrow\;\;
        \frac{dx}{dt} = \frac{K f}{\max(x, x_0)}, \quad
        K = \frac{(\varepsilon - \varepsilon_c)_+\, r^2\, \Delta p_+}
            {8\tau^2\eta\,\varepsilon L^2}

    with the open porosity :math:`\varepsilon`, pore radius :math:`r`, tortuosity
    :math:`\tau`, the melt's viscosity :math:`\eta` and surface tension
    :math:`\gamma`, and the liquid fraction :math:`f`
    (:class:`~afb_models.submodels.thermal.melting.MetalMelting`, exactly 0 below
    the melting band: no infiltration below the melting point however long the
    dwell). A fully molten metal bridges in :math:`t_b = 1/(2K)`
    (:func:`time_to_bridge`): later for a thicker layer (:math:`L^2`), a denser one
    (lower :math:`\varepsilon`, smaller :math:`r`), a more viscous or less wetting
    melt; never through a layer whose pores do not percolate. :math:`x_0` = 1e-3
    starts the front at a finite speed.

    When the front reaches the far side it shunts the cell through the melt in the
    connected pores (the same bundle's conductance),

    .. math::
        G_{melt} = S(x)\,\frac{(\varepsilon - \varepsilon_c)_+}{\tau^2 \rho_{melt} L}

    with :math:`S` a smooth step over :math:`x \in [0.98, 1]`, and the event
    "Melt-driven internal short" ends the run at :math:`x = 1`
    (:class:`~afb_models.submodels.internal_short.shunt.Shunt` carries the current).
    """

    #: the front's starting depth, relative to the layer [-] (numerical)
    FRONT_START = 1e-3
    #: the part of the layer over which the shunt is switched on [-] (numerical)
    BRIDGE_WIDTH = 0.02

    def __init__(self, param, options):
        super().__init__(param, name="Melt infiltration", options=options)
        self.melt = MeltParameters()

    def get_fundamental_variables(self):
        x = pybamm.Variable("Melt front depth fraction", domain="current collector")
        G = (_smoothstep((x - 1) / self.BRIDGE_WIDTH + 1)
             * self.melt.bridge_conductance())
        return {
            "Melt front depth fraction": x,
            "Melt front depth [m]": x * self.melt.L,
            "Melt shunt conductance [S.m-2]": G,
        }

    def get_coupled_variables(self, variables):
        f = variables["Metal liquid fraction"]
        x = variables["Melt front depth fraction"]
        K = self.melt.front_rate_constant()
        variables.update(
            {
                "Melt infiltration driving pressure [Pa]": self.melt.driving_pressure(),
                "Melt front speed [s-1]": K * f / pybamm.maximum(x, self.FRONT_START),
            }
        )
        return variables

    def set_rhs(self, variables):
        x = variables["Melt front depth fraction"]
        self.rhs = {x: variables["Melt front speed [s-1]"]}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables["Melt front depth fraction"]: pybamm.Scalar(0)}

    def add_events_from(self, variables):
        x = variables["Melt front depth fraction"]
        self.events.append(pybamm.Event("Melt-driven internal short", 1 - x))


class NoMeltInfiltration(pybamm.BaseSubModel):
    """Option ``"melt short": "none"``: the melt stays where it is; no shunt from it."""

    def __init__(self, param, options):
        super().__init__(param, name="No melt infiltration", options=options)

    def get_fundamental_variables(self):
        zero = pybamm.Scalar(0)
        return {
            "Melt front depth fraction": zero,
            "Melt shunt conductance [S.m-2]": zero,
        }
