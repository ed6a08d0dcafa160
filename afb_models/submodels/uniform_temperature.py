"""Uniform, isothermal temperature for cells with no porous electrode."""

from __future__ import annotations

import pybamm


class UniformTemperature(pybamm.BaseSubModel):
    """Isothermal cell at the ambient temperature (per step, as the protocol sets it),
    for cells whose only through-cell domain is the separator."""

    def __init__(self, param, options):
        super().__init__(param, name="Uniform temperature", options=options)

    def get_fundamental_variables(self):
        t = pybamm.PrimaryBroadcast(pybamm.t, "current collector")
        y, z = pybamm.standard_spatial_vars.y, pybamm.standard_spatial_vars.z
        T_cc = self.param.T_amb(y, z, t)
        T_sep = pybamm.PrimaryBroadcast(T_cc, "separator")
        T_av = pybamm.yz_average(T_cc)
        return {
            "Separator temperature [K]": T_sep,
            "Cell temperature [K]": T_sep,
            "X-averaged cell temperature [K]": T_cc,
            "Volume-averaged cell temperature [K]": T_av,
            "Ambient temperature [K]": T_av,
            "Cell temperature [C]": T_sep - 273.15,
            "Volume-averaged cell temperature [C]": T_av - 273.15,
        }
