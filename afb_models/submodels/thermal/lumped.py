"""Lumped thermal model of an afb cell: one temperature, the heat of every source,
the latent heat of the metal, Newton cooling."""

from __future__ import annotations

import pybamm


class ThermalParameters:
    """Symbols of the stack's heat capacity and cooling (PyBaMM's names where PyBaMM
    has them)."""

    def __init__(self):
        P = pybamm.Parameter
        self.c_cn = P("Negative current collector specific heat capacity [J.kg-1.K-1]")
        self.rho_cn = P("Negative current collector density [kg.m-3]")
        self.L_cn = P("Negative current collector thickness [m]")
        self.c_cp = P("Positive current collector specific heat capacity [J.kg-1.K-1]")
        self.rho_cp = P("Positive current collector density [kg.m-3]")
        self.L_cp = P("Positive current collector thickness [m]")
        self.c_sep = P("Separator specific heat capacity [J.kg-1.K-1]")
        self.rho_sep = P("Separator density [kg.m-3]")
        self.eps_s = P("Separator porosity")
        self.L_s = P("Separator thickness [m]")
        self.c_e = P("Electrolyte specific heat capacity [J.kg-1.K-1]")
        self.rho_e = P("Electrolyte density [kg.m-3]")
        self.c_am = P("Positive electrode active material specific heat capacity "
                      "[J.kg-1.K-1]")
        self.rho_am = P("Positive electrode active material density [kg.m-3]")
        self.c_in = P("Positive electrode inactive material specific heat capacity "
                      "[J.kg-1.K-1]")
        self.rho_in = P("Positive electrode inactive material density [kg.m-3]")
        self.eps_am = P("Positive electrode active material volume fraction")
        self.eps_p = P("Positive electrode porosity")
        self.L_p = P("Positive electrode thickness [m]")
        self.c_metal = P("Metal specific heat capacity [J.kg-1.K-1]")
        self.M_metal = P("Metal molar mass [kg.mol-1]")
        self.C_extra = P("Cell additional heat capacity [J.K-1]")
        self.h = P("Heat transfer coefficient [W.m-2.K-1]")
        self.A_cool = P("Cell cooling surface area [m2]")


class LumpedTemperature(pybamm.thermal.BaseThermal):
    r"""Option ``"thermal": "lumped"``: one temperature :math:`T` for the whole cell
    (PyBaMM's lumped model, Timms et al., J. Electrochem. Soc. 168 (2021) 070503,
    written per unit electrode area for a cell whose negative is a metal layer):

    .. math::
        C_A\frac{dT}{dt} = Q_A - h\,\frac{A_{cool}}{n A}\,(T - T_{amb})
            - \Delta H_f\, n_M\, \frac{df}{dt}

    with the heat source :math:`Q_A` [W m-2] of
    :class:`~afb_models.submodels.thermal.heat_source.HeatSource` (every reaction,
    film, bulk phase and shunt of the cell), the latent heat the metal absorbs as
    it melts (:class:`~afb_models.submodels.thermal.melting.MetalMelting`), and the
    heat
    capacity per unit electrode area of the stack's layers,

    .. math::
        C_A = \sum_k \rho_k c_{p,k} L_k + M c_{p,M}\, n_M + \frac{C_{extra}}{n A}

    (collectors; separator as polymer and electrolyte by volume; cathode as active
    material, inactive material and electrolyte by volume; the metal present,
    which changes as it is plated and stripped; and what else the cell holds at
    its temperature, a coin cell's can and spacers). :math:`A` is the electrode
    area, :math:`n` the number of electrode pairs, :math:`A_{cool}` the cooled
    surface. The ambient :math:`T_{amb}` is the step's (a protocol's
    "at 60 °C" or a ramp). Every temperature the submodels read (each Arrhenius
    rate, the interface, the electrolyte, the cathode) is :math:`T`.
    """

    def __init__(self, param, metal_param, options, cathode=True):
        super().__init__(param, options=options)
        self.name = "Lumped temperature"
        self.metal_param = metal_param
        self.thermal = ThermalParameters()
        #: whether the cell has a porous cathode (AnodeFreeDFN) or only a separator
        self.cathode = cathode

    def get_fundamental_variables(self):
        T = pybamm.Variable("Volume-averaged cell temperature [K]",
                            scale=self.param.T_ref, print_name="T_av")
        T_cc = pybamm.PrimaryBroadcast(T, "current collector")
        if self.cathode:
            # PyBaMM's names for every domain of its half cell
            T_dict = {
                "negative current collector": T_cc,
                "positive current collector": T_cc,
                "x-averaged cell": T_cc,
                "volume-averaged cell": T,
            }
            for domain in ["negative electrode", "separator", "positive electrode"]:
                T_dict[domain] = pybamm.PrimaryBroadcast(T_cc, domain)
            return self._get_standard_fundamental_variables(T_dict)
        T_sep = pybamm.PrimaryBroadcast(T_cc, "separator")
        y, z = pybamm.standard_spatial_vars.y, pybamm.standard_spatial_vars.z
        T_amb = pybamm.yz_average(self.param.T_amb(y, z, pybamm.t))
        return {
            "Separator temperature [K]": T_sep,
            "Cell temperature [K]": T_sep,
            "X-averaged cell temperature [K]": T_cc,
            "Volume-averaged cell temperature [K]": T,
            "Ambient temperature [K]": T_amb,
            "Cell temperature [C]": T_sep - 273.15,
            "Volume-averaged cell temperature [C]": T - 273.15,
        }

    def heat_capacity(self, variables):
        """:math:`C_A` of the class docstring [J K-1 m-2]."""
        th = self.thermal
        C = (th.rho_cn * th.c_cn * th.L_cn
             + ((1 - th.eps_s) * th.rho_sep * th.c_sep + th.eps_s * th.rho_e * th.c_e)
             * th.L_s)
        if self.cathode:
            eps_in = 1 - th.eps_am - th.eps_p
            C = C + th.rho_cp * th.c_cp * th.L_cp + (
                th.eps_am * th.rho_am * th.c_am + eps_in * th.rho_in * th.c_in
                + th.eps_p * th.rho_e * th.c_e
            ) * th.L_p
        n_metal = variables["Metal amount in cell per unit area [mol.m-2]"]
        area = self.param.L_y * self.param.L_z * self.param.n_electrodes_parallel
        return C + th.M_metal * th.c_metal * n_metal + th.C_extra / area

    def get_coupled_variables(self, variables):
        th = self.thermal
        T = variables["Volume-averaged cell temperature [K]"]
        T_amb = pybamm.yz_average(variables["Ambient temperature [K]"])
        area = self.param.L_y * self.param.L_z * self.param.n_electrodes_parallel
        cooling = th.h * th.A_cool / area * (T - T_amb)
        C = self.heat_capacity(variables)
        variables.update(
            {
                "Cell heat capacity per unit electrode area [J.K-1.m-2]": C,
                "Cell heat capacity [J.K-1]": C * area,
                "Surface cooling per unit electrode area [W.m-2]": cooling,
                "Surface total cooling [W]": cooling * area,
            }
        )
        return variables

    def set_rhs(self, variables):
        T = variables["Volume-averaged cell temperature [K]"]
        Q = variables["Total heating per unit electrode-pair area [W.m-2]"]
        cooling = variables["Surface cooling per unit electrode area [W.m-2]"]
        latent = variables["Latent heat absorption [W.m-2]"]
        C = variables["Cell heat capacity per unit electrode area [J.K-1.m-2]"]
        self.rhs = {T: (Q - cooling - latent) / C}

    def set_initial_conditions(self, variables):
        T = variables["Volume-averaged cell temperature [K]"]
        self.initial_conditions = {T: self.param.T_init}
