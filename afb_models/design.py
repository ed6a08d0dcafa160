"""Energy density of an anode-free (or anode-less) stack, from the cell's parameters
and a simulated discharge.

>>> report = afb_models.design.energy_density("AFB_Li_NMC532_Cu")
>>> report.gravimetric_Wh_kg, report.volumetric_Wh_L
>>> print(report.table())
"""

from __future__ import annotations

from dataclasses import dataclass

import pybamm

from .options import validate_options


@dataclass(frozen=True)
class Component:
    """One layer of the stack's repeat unit, per unit electrode area."""

    name: str
    thickness_m: float
    mass_kg_m2: float


@dataclass(frozen=True)
class DesignReport:
    """Energy density of a stack's repeat unit (no tabs or packaging).

    The repeat unit of a double-sided stack: half the positive collector (shared by
    two coatings), one cathode coating with the electrolyte in its pores, one
    separator with the electrolyte in its pores, the metal plated in the charged
    state, and half the negative collector. ``energy_Wh_m2`` and
    ``mean_voltage_V`` come from a simulated discharge of the cell.
    """

    cell: str
    components: tuple[Component, ...]
    capacity_Ah_m2: float
    mean_voltage_V: float
    rate: str

    @property
    def energy_Wh_m2(self) -> float:
        return self.capacity_Ah_m2 * self.mean_voltage_V

    @property
    def mass_kg_m2(self) -> float:
        return sum(c.mass_kg_m2 for c in self.components)

    @property
    def thickness_m(self) -> float:
        return sum(c.thickness_m for c in self.components)

    @property
    def gravimetric_Wh_kg(self) -> float:
        return self.energy_Wh_m2 / self.mass_kg_m2

    @property
    def volumetric_Wh_L(self) -> float:
        return self.energy_Wh_m2 / self.thickness_m / 1000

    def table(self) -> str:
        """The component masses and volumes, and the totals, as text."""
        lines = [
            f"{self.cell}: stack repeat unit, charged state",
            f"{'component':<34}{'thickness [um]':>15}{'mass [mg cm-2]':>16}{'mass [%]':>10}",
        ]
        for c in self.components:
            lines.append(
                f"{c.name:<34}{1e6 * c.thickness_m:>15.2f}{100 * c.mass_kg_m2:>16.3f}"
                f"{100 * c.mass_kg_m2 / self.mass_kg_m2:>10.1f}"
            )
        lines.append(
            f"{'total':<34}{1e6 * self.thickness_m:>15.2f}{100 * self.mass_kg_m2:>16.3f}"
            f"{100.0:>10.1f}"
        )
        lines += [
            f"discharge at {self.rate}: {1e-1 * self.capacity_Ah_m2:.3f} mAh cm-2 at a "
            f"mean {self.mean_voltage_V:.3f} V",
            f"gravimetric energy density: {self.gravimetric_Wh_kg:.0f} Wh kg-1",
            f"volumetric energy density:  {self.volumetric_Wh_L:.0f} Wh L-1",
        ]
        return "\n".join(lines)


def stack_components(values: pybamm.ParameterValues, plated_thickness_m: float):
    """The repeat unit's layers (see :class:`DesignReport`) for a charged state with
    ``plated_thickness_m`` of dense metal on the collector."""
    v = values
    L_p, L_s = v["Positive electrode thickness [m]"], v["Separator thickness [m]"]
    eps_p, eps_s = v["Positive electrode porosity"], v["Separator porosity"]
    eps_am = v["Positive electrode active material volume fraction"]
    eps_inactive = 1 - eps_p - eps_am
    if eps_inactive < -1e-12:
        raise ValueError(
            "'Positive electrode porosity' + 'Positive electrode active material volume "
            f"fraction' exceed 1 ({eps_p:g} + {eps_am:g})"
        )
    rho_e = v["Electrolyte density [kg.m-3]"]
    metal_density = v["Metal molar mass [kg.mol-1]"] / v["Metal molar volume [m3.mol-1]"]
    L_pcc = v["Positive current collector thickness [m]"] / 2
    L_ncc = v["Negative current collector thickness [m]"] / 2
    return (
        Component("positive collector (half)", L_pcc,
                  L_pcc * v["Positive current collector density [kg.m-3]"]),
        Component("cathode active material", eps_am * L_p,
                  eps_am * L_p * v["Positive electrode active material density [kg.m-3]"]),
        Component("cathode binder and carbon", max(eps_inactive, 0) * L_p,
                  max(eps_inactive, 0) * L_p
                  * v["Positive electrode inactive material density [kg.m-3]"]),
        Component("electrolyte in the cathode", eps_p * L_p, eps_p * L_p * rho_e),
        Component("separator", (1 - eps_s) * L_s,
                  (1 - eps_s) * L_s * v["Separator density [kg.m-3]"]),
        Component("electrolyte in the separator", eps_s * L_s, eps_s * L_s * rho_e),
        Component("plated metal (charged)", plated_thickness_m,
                  plated_thickness_m * metal_density),
        Component("negative collector (half)", L_ncc,
                  L_ncc * v["Negative current collector density [kg.m-3]"]),
    )


def energy_density(cell, rate: str = "C/10", options=None) -> DesignReport:
    """Gravimetric and volumetric energy density of the stack of ``cell`` (a
    parameter-set name or cell file, or a :class:`afb_models.cells.Cell`).

    The cell is charged at ``rate`` to its upper cut-off and discharged at ``rate``
    to its lower cut-off with :class:`~afb_models.AnodeFreeDFN` (``options``, by
    default no side reactions: the design value, before any fade); the charged
    state's plated metal and the discharge's capacity and mean voltage enter the
    report.
    """
    from .cells import Cell, load_cell
    from .models import AnodeFreeDFN

    if not isinstance(cell, Cell):
        cell = load_cell(cell)
    if cell.configuration != "anode-free":
        raise ValueError(
            f"{cell.name}: an energy density needs a cell with a cathode, not a "
            f"{cell.configuration} cell"
        )
    values = cell.parameter_values
    model = AnodeFreeDFN(validate_options(cell.options | dict(options or {})))
    upper = values["Upper voltage cut-off [V]"]
    lower = values["Lower voltage cut-off [V]"]
    experiment = pybamm.Experiment(
        [f"Charge at {rate} until {upper} V", f"Discharge at {rate} until {lower} V"]
    )
    solution = pybamm.Simulation(
        model, parameter_values=values, experiment=experiment,
        solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-8),
    ).solve()
    if len(solution.cycles) < 2 or solution.cycles[1] is None:
        raise RuntimeError(
            f"{cell.name}: the discharge at {rate} to {lower} V could not be solved"
        )
    charge, discharge = solution.cycles[0].steps[0], solution.cycles[1].steps[0]
    q = discharge["Discharge capacity [A.h]"].entries
    e = discharge["Discharge energy [W.h]"].entries
    area = values["Electrode height [m]"] * values["Electrode width [m]"]
    capacity = (q[-1] - q[0]) / area
    mean_voltage = (e[-1] - e[0]) / (q[-1] - q[0])
    plated = float(charge["Plated metal thickness [m]"].entries[-1])
    return DesignReport(
        cell=cell.name,
        components=stack_components(values, plated),
        capacity_Ah_m2=capacity,
        mean_voltage_V=mean_voltage,
        rate=rate,
    )
