"""The heat an afb cell generates, per unit electrode area, source by source."""

from __future__ import annotations

import pybamm

from ...mechanisms import MECHANISMS
from ..base_mechanism import side_name
from ..internal_short.filament import cell_voltage


class HeatSource(pybamm.BaseSubModel):
    r"""The heat generated in the cell per unit electrode area [W m-2], source by
    source (docs/physics.md §10). The bulk terms are PyBaMM's (its ``BaseThermal``:
    Bernardi et al., J. Electrochem. Soc. 132 (1985) 5, as in Timms et al. 2021);
    the planar interfaces, which PyBaMM's half cell writes as
    :math:`i_n\eta_n/L_n` (and so cannot have with :math:`L_n = 0`), are afb's.

    - Electrolyte, Ohmic: :math:`\int -\mathbf{i}_e\cdot\nabla\phi_e\,dx`
      over the separator (and the cathode).
    - Cathode (AnodeFreeDFN): solid-phase Ohmic heat
      :math:`\int -\mathbf{i}_s\cdot\nabla\phi_s\,dx`, reaction heat
      :math:`\int a j\,\eta\,dx` and reversible heat
      :math:`\int a j\,T\,\partial U/\partial T\,dx`.
    - Current collectors: :math:`i^2 L_{cc}/\sigma_{cc}` for each.
    - The collector's interface (the plated metal and the bare collector): the
      electrical power it takes, less the power stored in its double layer and in
      the products of its reactions,

      .. math::
          Q_{int} = i_{int}\,\Delta\phi - j_{dl}\,v_{dl}
              - \sum_k j_k U_k
            = i_{int}^2 R_{film} + j_{dl}(\Delta\phi_{ct} - v_{dl})
              + \sum_k j_k(\Delta\phi_{ct} - U_k) + j_M\,\Delta\phi_{ct}

      where :math:`\Delta\phi` is the potential difference across the interface with
      its films, :math:`R_{film}` the interface's and films' resistance, and the sum
      runs over the side reactions of the loss channels (SEI on the metal and on the
      collector, the reduction of galvanic corrosion) with their equilibrium
      potentials :math:`U_k` against the metal
      (:attr:`afb_models.mechanisms.LossChannel.reaction_potential`). The metal's own
      reaction has :math:`U = 0` (the potentials are against the metal): its heat is
      its current times its overpotential, with nucleation's barrier in it.
      The reversible heat of the metal's reaction is in the cathode's entropic
      coefficient, which is measured against the metal (as in PyBaMM's half cell);
      the side reactions' entropic heat is not known and not included.
    - A metal counter foil (metal||collector and symmetric cells): likewise,
      :math:`i_{CE}(\eta_{CE} + R_{CE} i_{CE}) - \sum_k j_{k,CE} U_k`.
    - An internal short: :math:`i_{sh} V`, all of it dissipated in the shunt.
    """

    def __init__(self, param, metal_param, options, cathode=True, counter_electrode=False,
                 counter_degrades=False, shunt=False):
        super().__init__(param, name="Heat source", options=options)
        #: whether the cell has a shunt (submodels/internal_short/shunt.py)
        self.shunt = shunt
        self.metal_param = metal_param
        self.cathode = cathode
        self.counter_electrode = counter_electrode
        self.counter_degrades = counter_degrades

    @staticmethod
    def side_reactions(variables, side="working"):
        """:math:`\\sum_k j_k U_k` over the loss channels with an interface current."""
        total = pybamm.Scalar(0)
        for m in MECHANISMS:
            if m.channel.current is None or (side == "counter" and not m.on_counter_foil):
                continue
            total = total + variables[side_name(m.channel.current, side)] * (
                pybamm.Parameter(m.channel.reaction_potential))
        return total

    def get_coupled_variables(self, variables):
        param = self.param
        i_int = variables["Negative interface current density [A.m-2]"]
        delta_phi = variables["Negative electrode surface potential difference [V]"]
        j_dl = variables["Negative interface double-layer current density [A.m-2]"]
        v_dl = variables["Negative interface double-layer potential difference [V]"]
        Q_int = i_int * delta_phi - j_dl * v_dl - self.side_reactions(variables)

        # the electrolyte, Ohmic
        i_e = variables["Electrolyte current density [A.m-2]"]
        phi_e = variables["Electrolyte potential [V]"]
        q_e = -pybamm.inner(i_e, pybamm.grad(phi_e))
        L_e = param.s.L + (param.p.L if self.cathode else 0)
        Q_e = pybamm.x_average(q_e) * L_e

        i_cc = variables["Current collector current density [A.m-2]"]
        Q_cc = i_cc**2 * param.n.L_cc / param.n.sigma_cc
        heats = {
            "Planar interface heating [W.m-2]": Q_int,
            "Electrolyte Ohmic heating [W.m-2]": Q_e,
        }
        if self.cathode:
            i_s = variables["Positive electrode current density [A.m-2]"]
            phi_s = variables["Positive electrode potential [V]"]
            a_j = variables["Positive electrode volumetric interfacial current density "
                            "[A.m-3]"]
            eta = variables["Positive electrode reaction overpotential [V]"]
            dUdT = variables["Positive electrode entropic change [V.K-1]"]
            T_p = variables["Positive electrode temperature [K]"]
            L_p = param.p.L
            heats.update(
                {
                    "Positive electrode Ohmic heating [W.m-2]": pybamm.x_average(
                        -pybamm.inner(i_s, pybamm.grad(phi_s))) * L_p,
                    "Positive electrode reaction heating [W.m-2]":
                        pybamm.x_average(a_j * eta) * L_p,
                    "Positive electrode reversible heating [W.m-2]":
                        pybamm.x_average(a_j * T_p * dUdT) * L_p,
                }
            )
            Q_cc = Q_cc + i_cc**2 * param.p.L_cc / param.p.sigma_cc
        heats["Current collector Ohmic heating [W.m-2]"] = Q_cc
        if self.counter_electrode:
            i_ce = variables["Counter electrode current density [A.m-2]"]
            drop = (variables["Counter electrode reaction overpotential [V]"]
                    + variables["Counter electrode ohmic overpotential [V]"])
            heats["Counter electrode heating [W.m-2]"] = i_ce * drop - (
                self.side_reactions(variables, "counter") if self.counter_degrades
                else 0)
        heats["Internal short heating [W.m-2]"] = (
            variables["Internal short current density [A.m-2]"] * cell_voltage(variables)
            if self.shunt else pybamm.Scalar(0)
        )
        Q = sum(heats.values())
        area = param.L_y * param.L_z * param.n_electrodes_parallel
        variables.update(heats)
        variables.update(
            {
                "Total heating per unit electrode-pair area [W.m-2]": Q,
                "Total heating [W]": Q * area,
            }
        )
        return variables
