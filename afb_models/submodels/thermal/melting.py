"""The phase of the metal: solid, melting, liquid."""

from __future__ import annotations

import pybamm

from ...mechanisms import MECHANISMS
from ..base_mechanism import side_name


def metallic_channels():
    """The loss channels whose metal stays metallic (moved out of the deposit, not
    consumed by a reaction): dead and trapped metal, which melt with the rest."""
    return [m.channel for m in MECHANISMS if m.channel.deposit_rate is not None]


class MetalMelting(pybamm.BaseSubModel):
    r"""The liquid fraction of the cell's metal and the latent heat it takes to melt
    it (docs/physics.md §10). Every metal layer of the cell (the deposit, its dead
    and trapped metal, a counter foil) is at the cell's temperature, so one liquid
    fraction :math:`f` describes them all (Li melts at 180.5 °C, Na at 97.8 °C). It
    is a state: the metal melts above its melting point :math:`T_m` and freezes
    below it at a rate proportional to the superheat (or undercooling),

    .. math::
        \frac{df}{dt} = k_m\left[(T - T_m)_+ \min\!\left(\frac{1 - f}{w}, 1\right)
            - (T_m - T)_+ \min\!\left(\frac{f}{w}, 1\right)\right]

    and the latent heat it absorbs, :math:`\Delta H_f\, n_M\, df/dt` [W m-2] for
    the metal present :math:`n_M` [mol m-2], is taken from the lumped energy balance
    (:class:`~afb_models.submodels.thermal.lumped.LumpedTemperature`), so the
    energy is conserved exactly. :math:`k_m` = 0.01 K-1 s-1 is numerical (a pure
    metal melts at one temperature; :math:`w` = 0.01 ends melting at :math:`f = 1`):
    a cell heated at :math:`Q` holds :math:`Q/(\Delta H_f n_M k_m)` above
    :math:`T_m` while it melts, 0.06 K for the 100 um Na foils of a symmetric coin
    cell heated at 12 W m-2, and melting cannot be stepped over by the integrator
    (as an apparent heat capacity concentrated in a narrow band can be). :math:`f`
    stays exactly 0 below the melting point of a cell that has not melted, however
    long the dwell.

    In an isothermal model the ambient holds the cell's temperature and supplies the
    latent heat: there the liquid fraction follows the temperature, a smooth step
    across :math:`T_m \pm 0.5` K that is exactly 0 below it and 1 above,
    :math:`f = s^2(3 - 2s)` with :math:`s = (T - T_m + 0.5\,K)/(1\,K)` clipped to
    [0, 1], and adds no state (the isothermal model's equations are unchanged).

    A liquid metal wets and spreads: it fills the voids at a solid electrolyte
    (:mod:`afb_models.submodels.interface_contact`) and infiltrates the electrolyte
    (:mod:`afb_models.submodels.internal_short.melt_infiltration`).
    """

    #: :math:`k_m` [K-1 s-1] (numerical: a superheat of a few hundredths of a kelvin
    #: melts a coin cell's foils at the heat it makes, and is resolved by the
    #: integrator's tolerance on the temperature, ~1e-4 K)
    MELTING_RATE = 0.01
    #: :math:`w`: the last (first) share of the metal over which melting (freezing)
    #: slows to a stop at f = 1 (0)
    END_WIDTH = 0.01
    #: the half-width [K] of an isothermal model's melting step (numerical)
    ISOTHERMAL_HALF_WIDTH = 0.5

    def __init__(self, param, metal_param, options, counter_electrode=False,
                 counter_degrades=False, dynamic=True):
        super().__init__(param, name="Metal melting", options=options)
        self.metal_param = metal_param
        #: whether the liquid fraction is a state that takes its latent heat (the
        #: lumped thermal model), or follows the temperature the ambient imposes
        self.dynamic = dynamic
        #: whether the cell has a metal counter foil, and whether loss mechanisms act
        #: on it (a symmetric cell)
        self.counter_electrode = counter_electrode
        self.counter_degrades = counter_degrades

    def metal_amount(self, variables):
        """The metal of the cell [mol m-2]: deposit, metallic loss channels and a
        counter foil (with its own dead and trapped metal where it degrades)."""
        amount = pybamm.maximum(variables["Plated metal amount [mol.m-2]"], 0)
        for channel in metallic_channels():
            amount = amount + variables[channel.amount]
            if self.counter_degrades:
                amount = amount + variables[side_name(channel.amount, "counter")]
        if self.counter_electrode:
            amount = amount + variables["Counter electrode metal amount [mol.m-2]"]
        return amount

    def get_fundamental_variables(self):
        if not self.dynamic:
            return {}
        f = pybamm.Variable("Metal liquid fraction", domain="current collector")
        return {"Metal liquid fraction": f}

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        T = variables["Negative interface temperature [K]"]
        if self.dynamic:
            f = variables["Metal liquid fraction"]
            w = self.END_WIDTH
            rate = self.MELTING_RATE * (
                pybamm.maximum(T - mp.T_melt, 0) * pybamm.minimum(1 - f, w) / w
                - pybamm.maximum(mp.T_melt - T, 0) * pybamm.minimum(f, w) / w)
        else:
            # (the ambient supplies the latent heat: the metal is molten above T_m)
            dT = self.ISOTHERMAL_HALF_WIDTH
            s = pybamm.minimum(pybamm.maximum((T - mp.T_melt + dT) / (2 * dT), 0), 1)
            f = s**2 * (3 - 2 * s)
            rate = pybamm.Scalar(0)
            variables["Metal liquid fraction"] = f
        n_metal = self.metal_amount(variables)
        variables.update(
            {
                "Metal melting rate [s-1]": rate,
                "Metal melting temperature [K]": mp.T_melt,
                "Metal amount in cell per unit area [mol.m-2]": n_metal,
                "Latent heat absorption [W.m-2]": mp.H_fusion * n_metal * rate,
                "Molten metal amount [mol.m-2]": f * n_metal,
            }
        )
        return variables

    def set_rhs(self, variables):
        if not self.dynamic:
            return
        f = variables["Metal liquid fraction"]
        self.rhs = {f: variables["Metal melting rate [s-1]"]}

    def set_initial_conditions(self, variables):
        if not self.dynamic:
            return
        f = variables["Metal liquid fraction"]
        # molten from the start in a cell assembled above the melting point
        self.initial_conditions = {f: self.param.T_init > self.metal_param.T_melt}
