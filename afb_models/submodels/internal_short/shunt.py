"""The shunt of an internal short: the current the electronic paths between the
electrodes carry."""

from __future__ import annotations

import pybamm

from .filament import cell_voltage


class Shunt(pybamm.BaseSubModel):
    r"""The electronic paths between the electrodes in parallel: a metal filament
    (:class:`~afb_models.submodels.internal_short.filament.FilamentShort`) and a
    molten metal's bridge
    (:class:`~afb_models.submodels.internal_short.melt_infiltration.MeltInfiltration`),

    .. math::
        i_{sh} = (G_{fil} + G_{melt})\, V

    solved as an algebraic equation (the voltage depends on the current the
    electrochemistry carries, :math:`i_{app} + i_{sh}`:
    :class:`~afb_models.submodels.internal_short.filament.ShuntedCurrentCollector`).
    With neither mechanism on, the model has no shunt at all
    (:class:`~afb_models.submodels.internal_short.no_short.NoInternalShort`).
    """

    def __init__(self, param, options, melt=False):
        super().__init__(param, name="Shunt", options=options)
        self.melt = melt

    def get_fundamental_variables(self):
        i_sh = pybamm.Variable("Internal short current density [A.m-2]",
                               domain="current collector")
        return {"Internal short current density [A.m-2]": i_sh}

    def get_coupled_variables(self, variables):
        G = variables["Filament shunt conductance [S.m-2]"]
        if self.melt:
            G = G + variables["Melt shunt conductance [S.m-2]"]
        variables["Shunt conductance [S.m-2]"] = G
        return variables

    def set_algebraic(self, variables):
        i_sh = variables["Internal short current density [A.m-2]"]
        G = variables["Shunt conductance [S.m-2]"]
        self.algebraic = {i_sh: i_sh - G * cell_voltage(variables)}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {
            variables["Internal short current density [A.m-2]"]: pybamm.Scalar(0)
        }
