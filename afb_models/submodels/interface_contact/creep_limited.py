"""Voids at a metal/solid-electrolyte interface: contact lost on stripping faster
than creep and vacancy diffusion refill the interface, metal trapped behind the
voids, contact restored by plating and by creep."""

from __future__ import annotations

import pybamm

from ..base_mechanism import LossMechanism
from ..metal_deposit import positive_part


def creep_strain_rate(metal_param, p, T):
    r"""Power-law creep of the metal under the stack pressure [s-1]:
    :math:`\dot\varepsilon = \dot\varepsilon_y (p/\sigma_y)^n\, e^{Q/R\,(1/T_{ref}-1/T)}`
    (LePage et al., J. Electrochem. Soc. 166 (2019) A89 for Li; written about the
    yield strength so that its one rate is a strain rate at a stress one can
    measure)."""
    mp = metal_param
    return mp.creep_rate_y * (p / mp.sigma_y) ** mp.n_creep * mp.arrhenius(mp.Q_creep, T)


def creeping_depth(metal_param, L_metal):
    r"""The depth of metal whose creep feeds the interface [m],
    :math:`L_{eff} = L_{cr}(1 - e^{-L_M/L_{cr}})`: the whole metal layer while it is
    thinner than the supply length :math:`L_{cr}`, at most :math:`L_{cr}`."""
    return metal_param.L_creep * (1 - pybamm.exp(-L_metal / metal_param.L_creep))


def metal_supply_velocity(metal_param, p, T, L_metal):
    r"""How fast the metal can refill the interface [m s-1]: creep of the metal layer
    plus vacancy diffusion,
    :math:`v_s = L_{eff}(L_M)\,\dot\varepsilon(p, T) + v_{vac}\, e^{E_{vac}/R\,(1/T_{ref}-1/T)}`."""
    mp = metal_param
    return (creeping_depth(mp, L_metal) * creep_strain_rate(mp, p, T)
            + mp.v_vac * mp.arrhenius(mp.E_vac, T))


def critical_stripping_current_density(parameter_values, metal_thickness_m,
                                       pressure_Pa=None, temperature_K=None) -> float:
    r"""The stripping current density above which voids open [A m-2] under a metal
    layer ``metal_thickness_m`` thick, :math:`i_{crit} = F\, v_s(p, T, L_M) / V_m`
    (:class:`CreepLimitedContact`), for the cell of ``parameter_values`` at its
    stack pressure and reference temperature unless given. The analytic counterpart
    of what a simulated strip shows."""
    from ...parameters import MetalElectrodeParameters

    mp = MetalElectrodeParameters()
    L = pybamm.Scalar(metal_thickness_m)
    return mp.evaluate_at_stack(
        parameter_values, lambda p, T: mp.F * metal_supply_velocity(mp, p, T, L) / mp.V_m,
        pressure_Pa, temperature_K)


class CreepLimitedContact(LossMechanism):
    r"""Option ``"interface contact": "creep-limited"``: the contact of the metal
    with a solid electrolyte, lost where stripping outpaces the metal's supply
    (docs/physics.md §9; Kasemchainan et al., Nat. Mater. 18 (2019) 1105: a critical
    stripping current that rises with the stack pressure; Krauskopf et al., ACS Appl.
    Mater. Interfaces 11 (2019) 14463: vacancy diffusion alone without pressure).

    Stripping removes metal from the interface at the volume rate
    :math:`v_{rem} = V_m\, j_{strip}/F` per unit area. The metal behind it refills the
    interface by power-law creep under the stack pressure :math:`p` and by vacancy
    diffusion at most at

    .. math::
        v_s(p, T, L_M) = L_{eff}\,\dot\varepsilon_y
            \left(\frac{p}{\sigma_y}\right)^{n} e^{Q/R\,(1/T_{ref} - 1/T)}
            + v_{vac}\, e^{E_{vac}/R\,(1/T_{ref} - 1/T)}, \qquad
        L_{eff} = L_{cr}\left(1 - e^{-L_M/L_{cr}}\right)

    the creep strain rate of the metal layer times the depth that creeps toward the
    interface: the whole layer :math:`L_M = n_M V_m` while it is thinner than the
    supply length :math:`L_{cr}` ("Metal creep supply length [m]"), at most
    :math:`L_{cr}` (*form*). A thin plated film therefore refills its interface
    slower than a thick foil, and the last of a strip is the hardest. What it cannot refill opens as voids, of
    depth :math:`h_v` per unit area ("Interface void depth [m]"); what it can spare,
    and the metal plated, close them where they are open:

    .. math::
        \frac{dh_v}{dt} = (v_{rem} - v_s)_+
            - \left[(v_s - v_{rem})_+ + V_m r_{plate}\right](1 - \varphi),
        \qquad \varphi = e^{-h_v/\delta_v}

    (plus, where the voids are deeper than the metal left, reachable and trapped,
    :math:`(h_v - L_M - L_T)_+/\tau_s` with :math:`\tau_s` = 10 s: the voids open
    within the metal, and where it is gone the stack pressure settles the
    electrolyte onto the collector or the trapped metal; *form*).
    :math:`\varphi` is the contact fraction ("Interface contact fraction"), and
    :math:`\delta_v` the void depth at which it has fallen to 1/e ("Void contact
    length [m]"; *form*: the simplest law with full contact at :math:`h_v = 0` and
    none for deep voids). The critical stripping current density is then
    :math:`i_{crit} = F v_s/V_m` (:func:`critical_stripping_current_density`):
    below it no void opens; above it, the voids deepen at :math:`v_{rem} - v_s`. Every reaction
    of the interface runs on the contact area only (the metal's and the substrate's
    exchange currents and the interface resistance scale with :math:`\varphi`,
    :class:`~afb_models.submodels.metal_deposit.MetalDeposit`,
    :class:`~afb_models.submodels.planar_interface.PlanarInterfaceCurrent`): the
    local current density is the applied one over :math:`\varphi`, and the
    overpotential rises as contact is lost, until a strip ends on its cut-off.
    The load is taken as the stack pressure over the geometric area: its
    concentration on the remaining contacts would make the void growth stop at a
    partial contact, which Kasemchainan et al. do not see above the critical current.

    **Trapped metal.** The metal cut off behind the voids has no ionic path; it is
    counted in its own inventory term :math:`n_T` ("Trapped metal amount
    [mol.m-2]", the loss channel "trapped metal"). Contact lost traps metal of the
    reachable deposit :math:`n_M` under it, contact restored reconnects the share
    of the trapped metal under it:

    .. math::
        \frac{dn_T}{dt} = n_M\,\frac{(v_{rem} - v_s)_+}{\delta_v + L_M}
            - n_T\,\varphi\,\frac{(v_s - v_{rem})_+ + V_m r_{plate}}{\delta_v}

    (*form*). A deposit thinner than the voids (:math:`L_M \ll \delta_v`) is cut
    into islands: the share lying under the lost contact is trapped
    (:math:`-\dot\varphi/\varphi`, so a deposit spread evenly stays even); a
    layer thicker than the voids stays connected behind them, and only metal of
    the voids' volume is cut off (:math:`(v_{rem} - v_s)/V_m`). Reconnection is
    the trapped share under the contact regained (:math:`\dot\varphi/(1-\varphi)`).
    The deposit loses the same rate (:attr:`channel`).

    ``side="counter"``: the same for a symmetric cell's counter foil, whose
    variables are named "Counter electrode ..."; its kinetics and interface
    resistance then run on its own contact fraction
    (:class:`~afb_models.submodels.counter_electrode.MetalCounterElectrode`). So a strip above the critical current ends with
    metal still on the collector but out of contact; the metal CE falls; the next
    plating, and creep at rest, reconnect it as they close the voids.
    A molten metal (liquid fraction :math:`f`,
    :class:`~afb_models.submodels.thermal.melting.MetalMelting`) wets and spreads:
    no voids open in it (the opening rate is multiplied by :math:`1 - f`), and it
    fills the voids and flows over the trapped metal within the wetting time
    :math:`\tau_w` = 10 s (numerical: fast against any step),
    :math:`-f h_v/\tau_w` and :math:`-f n_{trap}/\tau_w`: contact becomes full.
    """

    option = "interface contact"

    def get_fundamental_variables(self):
        cc = "current collector"
        h_v = pybamm.Variable(self.var("Interface void depth [m]"), domain=cc, scale=1e-6)
        n_trapped = pybamm.Variable(self.channel.amount, domain=cc)
        contact = pybamm.exp(-pybamm.maximum(h_v, 0) / self.metal_param.delta_void)
        return {
            self.var("Interface void depth [m]"): h_v,
            self.channel.amount: n_trapped,
            self.var("Interface contact fraction"): contact,
        }

    #: width of the smooth switch between void growth and closure [m s-1] (1e-15:
    #: 1e-6 of the supply at the smallest critical current of the shipped cells)
    SWITCH_WIDTH = 1e-15
    #: how fast the electrolyte settles onto the collector where the voids are
    #: deeper than the metal left [s] (numerical: fast against any step)
    SETTLING_TIME = 10.0
    #: how fast a molten metal fills the voids and flows over the metal trapped
    #: behind them [s] (numerical: fast against any step)
    WETTING_TIME = 10.0

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        contact = variables[self.var("Interface contact fraction")]
        n_trapped = variables[self.channel.amount]
        n = pybamm.maximum(variables[self.var("Plated metal amount [mol.m-2]")], 0)
        L_metal = n * mp.V_m
        j_strip = variables[self.var("Metal stripping current density [A.m-2]")]
        r_plate = variables[self.var("Metal plating rate [mol.m-2.s-1]")]
        T = variables[self.var("Negative interface temperature [K]")]
        v_removal = mp.V_m * j_strip / mp.F
        v_supply = metal_supply_velocity(mp, mp.p_stack, T, L_metal)
        excess = v_removal - v_supply
        # a molten metal holds no voids: it flows into them and over the trapped
        # metal within the wetting time
        liquid = variables["Metal liquid fraction"]
        opening = positive_part(excess, self.SWITCH_WIDTH) * (1 - liquid)
        closing = positive_part(-excess, self.SWITCH_WIDTH) + mp.V_m * r_plate
        trapping = n * opening / (mp.delta_void + L_metal)
        reconnection = (n_trapped * contact * closing / mp.delta_void
                        + liquid * n_trapped / self.WETTING_TIME)
        # voids open within the metal: deeper than the metal left (reachable and
        # trapped), the stack pressure settles the electrolyte onto what is there
        h_v = variables[self.var("Interface void depth [m]")]
        L_all = L_metal + pybamm.maximum(n_trapped, 0) * mp.V_m
        settling = (positive_part(h_v - L_all, 1e-9) / self.SETTLING_TIME
                    + liquid * h_v / self.WETTING_TIME)
        variables.update(
            {
                self.var("Metal supply velocity [m.s-1]"): v_supply,
                self.var("Critical stripping current density [A.m-2]"):
                    mp.F * v_supply / mp.V_m,
                self.var("Interface void growth rate [m.s-1]"):
                    opening - closing * (1 - contact) - settling,
                self.var("Metal trapping rate [mol.m-2.s-1]"): trapping,
                self.var("Trapped metal reconnection rate [mol.m-2.s-1]"): reconnection,
                self.channel.deposit_rate: trapping - reconnection,
            }
        )
        return variables

    def set_rhs(self, variables):
        h_v = variables[self.var("Interface void depth [m]")]
        n_trapped = variables[self.channel.amount]
        self.rhs = {
            h_v: variables[self.var("Interface void growth rate [m.s-1]")],
            n_trapped: variables[self.channel.deposit_rate],
        }

    def set_initial_conditions(self, variables):
        self.initial_conditions = {
            variables[self.var("Interface void depth [m]")]: pybamm.Scalar(0),
            variables[self.channel.amount]: pybamm.Scalar(0),
        }
