"""Stack design of an anode-free (or anode-less) cell: layer thicknesses and masses,
the cathode's capacity, and the energy density, from the cell's parameters or from
what a datasheet gives; optionally checked by a simulated charge and discharge.

>>> report = afb_models.design.design("AFB_Li_NMC532_Cu")          # no simulation
>>> report = afb_models.design.design(
...     "AFB_Li_NMC532_Cu",
...     cathode=Cathode.from_datasheet(specific_capacity="190 mAh/g",
...                                    electrode_density="3.4 g/cm3",
...                                    active_fraction="96 wt%", loading="20 mg/cm2"),
...     coating=Coating.parse("Au, 50 nm, 19.3 g/cm3"))
>>> print(report.table())
>>> afb_models.design.energy_density("AFB_Li_NMC532_Cu").gravimetric_Wh_kg  # simulated

The stack's repeat unit (double-sided electrodes, no tabs or packaging): half the
positive collector (shared by two coatings), one cathode coating, one separator, the
metal plated in the charged state, the negative collector's coating if any, and half
the negative collector. A porous layer's thickness is its thickness: the electrolyte
in its pores adds mass, not thickness.

A design file (``afb design DESIGN.toml``) names a cell and what a datasheet gives::

    cell = "AFB_Li_NMC532_Cu"        # a parameter set, or a cell file (beside this file)
    voltage = "3.8 V"                # optional: the nominal voltage of the estimate

    [parameters]                     # optional: as in a cell file
    "Separator thickness [m]" = 16e-6

    [cathode]                        # optional: each key replaces the cell's value
    specific_capacity = "190 mAh/g"  # of the active material, between the cut-offs
    electrode_density = "3.4 g/cm3"  # of the dry coating (active, binder, carbon)
    active_fraction = "96 wt%"       # of the dry coating
    loading = "20 mg/cm2"            # dry coating per side; or thickness = "59 um"
    active_density = "4.75 g/cm3"    # optional: the crystal density of the active
    inactive_density = "1.9 g/cm3"   # optional: binder and carbon

    [coating]                        # optional: a layer on the negative collector
    material = "Au"
    thickness = "50 nm"
    density = "19.3 g/cm3"

Every quantity is a string with its unit. Errors are :class:`DesignError` (a
:class:`~afb_models.errors.CellError`): one line naming the file (or flag) and key.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import numpy as np
import pybamm

from .errors import DesignError  # noqa: F401  (re-exported)
from .options import validate_options

#: Faraday's constant [C.mol-1], PyBaMM's value (the model's)
FARADAY_C_MOL = pybamm.constants.F.value


# --- quantities with units ---------------------------------------------------------

#: kind -> (an example, {unit as written with its spaces removed: factor to SI})
_UNITS = {
    "specific capacity": ("190 mAh/g", {
        # mAh g-1 and Ah kg-1 are the same number
        "mAh/g": 1.0, "mAhg-1": 1.0, "Ah/kg": 1.0, "Ahkg-1": 1.0,
    }),
    "density": ("3.4 g/cm3", {
        "g/cm3": 1e3, "gcm-3": 1e3, "g/cc": 1e3, "g/mL": 1e3, "g/ml": 1e3,
        "kg/m3": 1.0, "kgm-3": 1.0,
    }),
    "mass fraction": ("96 wt%", {"wt%": 1e-2, "wt.%": 1e-2, "%": 1e-2}),
    "areal mass": ("20 mg/cm2", {
        "mg/cm2": 1e-2, "mgcm-2": 1e-2, "g/m2": 1e-3, "gm-2": 1e-3,
        "kg/m2": 1.0, "kgm-2": 1.0,
    }),
    "thickness": ("60 um", {"nm": 1e-9, "um": 1e-6, "mm": 1e-3, "cm": 1e-2, "m": 1.0}),
    "voltage": ("3.8 V", {"V": 1.0, "mV": 1e-3}),
}
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
#: typographic forms of the same unit (µm, cm³, g cm⁻³, g·cm-3, cm^3)
_UNIT_SPELLING = str.maketrans({"µ": "u", "μ": "u", "³": "3", "²": "2", "⁻": "-",
                                "¹": "1", "·": "", "^": "", "*": ""})


def parse_quantity(text, kind: str, where: str) -> float:
    """The SI value of ``text``, a number and its unit (e.g. ``"190 mAh/g"``), as a
    quantity of ``kind`` (a key of the unit table: "specific capacity" [Ah kg-1 =
    mAh g-1], "density" [kg m-3], "mass fraction" [-], "areal mass" [kg m-2],
    "thickness" [m], "voltage" [V]). It must be positive and finite; a mass fraction
    at most 100 wt%. ``where`` names the file and key, or the flag, in errors."""
    example, units = _UNITS[kind]
    if isinstance(text, bool) or not isinstance(text, str):
        raise DesignError(
            f"{where}: write the {kind} as a string with its unit, e.g. \"{example}\", "
            f"got {text!r}"
        )
    match = _NUMBER.match(text)
    if not match:
        raise DesignError(
            f"{where}: '{text}': write a number and its unit, e.g. '{example}'"
        )
    number, unit = float(match.group(1)), match.group(2)
    spelled = "".join(unit.translate(_UNIT_SPELLING).split())
    if spelled not in units:
        raise DesignError(
            f"{where}: '{text}': {'no unit' if not unit else f'unknown unit {unit!r}'} "
            f"for {kind}; use {', '.join(_readable_units(units))}"
        )
    if not math.isfinite(number) or number <= 0:
        raise DesignError(f"{where}: '{text}': must be positive")
    value = number * units[spelled]
    if kind == "mass fraction" and value > 1:
        raise DesignError(f"{where}: '{text}': at most 100 wt%")
    return value


def _readable_units(units: dict) -> list[str]:
    """The units of a kind as one would write them (one spelling per factor)."""
    seen, out = set(), []
    for unit, factor in units.items():
        if factor not in seen:
            seen.add(factor)
            out.append(unit)
    return out


# --- what a datasheet gives ---------------------------------------------------------

#: Cathode field -> (datasheet key in a design file, quantity kind)
_CATHODE_KEYS = {
    "specific_capacity_Ah_kg": ("specific_capacity", "specific capacity"),
    "electrode_density_kg_m3": ("electrode_density", "density"),
    "active_mass_fraction": ("active_fraction", "mass fraction"),
    "loading_kg_m2": ("loading", "areal mass"),
    "thickness_m": ("thickness", "thickness"),
    "active_density_kg_m3": ("active_density", "density"),
    "inactive_density_kg_m3": ("inactive_density", "density"),
}


@dataclass(frozen=True)
class Cathode:
    """A cathode coating as a datasheet gives it; ``None``: the cell's own value.

    ``specific_capacity_Ah_kg`` (the same number as mAh g-1) is the active
    material's reversible capacity between the cell's cut-offs;
    ``electrode_density_kg_m3`` and ``active_mass_fraction`` are those of the dry
    coating (active material, binder and carbon); ``loading_kg_m2`` is the dry
    coating's mass per area on one side, or give ``thickness_m`` instead. The
    densities of the active material and of the binder and carbon are the cell's
    unless given. ``sources`` names where each value came from (a file and key, a
    flag) for errors. See :func:`apply_cathode` for the conversion.
    """

    specific_capacity_Ah_kg: float | None = None
    electrode_density_kg_m3: float | None = None
    active_mass_fraction: float | None = None
    loading_kg_m2: float | None = None
    thickness_m: float | None = None
    active_density_kg_m3: float | None = None
    inactive_density_kg_m3: float | None = None
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        for name in _CATHODE_KEYS:
            value = getattr(self, name)
            if value is None:
                continue
            where = self.where(name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise DesignError(f"{where}: must be a number, got {value!r}")
            if not (math.isfinite(value) and value > 0):
                raise DesignError(f"{where}: must be positive, got {value!r}")
        if self.active_mass_fraction is not None and self.active_mass_fraction > 1:
            raise DesignError(
                f"{self.where('active_mass_fraction')}: a mass fraction (0 to 1; "
                f"100 wt% is 1), got {self.active_mass_fraction!r}"
            )
        if self.loading_kg_m2 is not None and self.thickness_m is not None:
            raise DesignError(
                f"{self.where('loading_kg_m2', 'thickness_m')}: give the coating's "
                "loading or its thickness, not both (the electrode density links them)"
            )

    def where(self, *names: str) -> str:
        """Where the values of fields ``names`` came from (for an error)."""
        return ", ".join(self.sources.get(n, f"Cathode.{n}") for n in names)

    @classmethod
    def from_datasheet(cls, where: str | Callable[[str], str] = "cathode",
                       **quantities) -> Cathode:
        """A cathode from datasheet strings with units, by their design-file keys:
        ``specific_capacity="190 mAh/g"``, ``electrode_density="3.4 g/cm3"``,
        ``active_fraction="96 wt%"``, ``loading="20 mg/cm2"`` (or
        ``thickness="59 um"``), ``active_density``, ``inactive_density``; ``None``
        values are left out. Errors name a value ``where 'key'``, or ``where(key)``
        if ``where`` is a function (a file and line, a flag)."""
        by_key = {key: (name, kind) for name, (key, kind) in _CATHODE_KEYS.items()}
        values, sources = {}, {}
        for key, text in quantities.items():
            source = where(key) if callable(where) else f"{where} '{key}'"
            if key not in by_key:
                raise DesignError(f"{source}: unknown key; allowed: {', '.join(by_key)}")
            if text is None:
                continue
            name, kind = by_key[key]
            sources[name] = source
            values[name] = parse_quantity(text, kind, source)
        return cls(**values, sources=sources)

    def updated(self, other: Cathode | None) -> Cathode:
        """This cathode with the values ``other`` gives in place of its own (a flag
        over a design file's value). A loading replaces a thickness and the other way
        round."""
        if other is None:
            return self
        given = {f.name: getattr(other, f.name) for f in fields(other)
                 if f.name in _CATHODE_KEYS and getattr(other, f.name) is not None}
        if "loading_kg_m2" in given:
            given.setdefault("thickness_m", None)
        if "thickness_m" in given:
            given.setdefault("loading_kg_m2", None)
        return replace(self, **given, sources=self.sources | other.sources)


@dataclass(frozen=True)
class Coating:
    """A coating on the negative collector (e.g. 50 nm of Au): its mass and thickness
    enter the stack. (Its effect on plating is the cell's substrate, a cell file's
    ``substrate`` key.)"""

    material: str
    thickness_m: float
    density_kg_m3: float
    source: str = field(default="Coating", compare=False, repr=False)

    def __post_init__(self):
        if not isinstance(self.material, str) or not self.material.strip():
            raise DesignError(f"{self.source}: the coating's material must be named")
        for name in ("thickness_m", "density_kg_m3"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                math.isfinite(value) and value > 0
            ):
                raise DesignError(f"{self.source}: {name} must be positive, got {value!r}")

    @property
    def mass_kg_m2(self) -> float:
        return self.thickness_m * self.density_kg_m3

    @classmethod
    def parse(cls, text: str, where: str = "--coating") -> Coating:
        """A coating from ``"MATERIAL, THICKNESS, DENSITY"``, e.g.
        ``"Au, 50 nm, 19.3 g/cm3"``."""
        parts = [p.strip() for p in str(text).split(",")]
        if len(parts) != 3 or not parts[0]:
            raise DesignError(
                f"{where}: '{text}': write MATERIAL, THICKNESS, DENSITY, e.g. "
                "'Au, 50 nm, 19.3 g/cm3'"
            )
        return cls(parts[0], parse_quantity(parts[1], "thickness", where),
                   parse_quantity(parts[2], "density", where), source=where)


# --- the cathode: from a datasheet to the model's parameters, and its capacity ------


@dataclass(frozen=True)
class CathodeCapacity:
    r"""A cathode coating's composition and capacity, per unit electrode area.

    The theoretical capacity fills the active material from stoichiometry
    :math:`x = 0` to 1, :math:`Q_{th} = F c_{max} \epsilon_{am} L_p`; the nominal
    capacity is the part between :math:`x_{charged}`, where the open-circuit
    potential reaches the upper cut-off (the metal at 0 V), and
    :math:`x_{discharged}`, the lower of the as-made stoichiometry (in an anode-free
    cell all cyclable metal starts in the cathode) and where the potential falls to
    the lower cut-off: :math:`Q = Q_{th} (x_{discharged} - x_{charged})`, the
    capacity the model's "Capacity [A.h]" counts at equilibrium. With a datasheet
    specific capacity :math:`q`, :math:`Q = q\, \epsilon_{am} L_p \rho_{am}` (and the
    as-made stoichiometry is set to hold it, :func:`apply_cathode`).
    """

    thickness_m: float
    active_volume_fraction: float
    inactive_volume_fraction: float
    porosity: float
    active_density_kg_m3: float
    inactive_density_kg_m3: float
    max_concentration_mol_m3: float
    x_charged: float
    x_discharged: float
    #: what ends the discharge side of the window: "as made", "the lower cut-off"
    #: or "the datasheet's specific capacity"
    discharged_by: str
    upper_cutoff_V: float
    #: mean open-circuit voltage over the window (the metal at 0 V) [V]
    mean_ocv_V: float

    @property
    def active_loading_kg_m2(self) -> float:
        return self.active_volume_fraction * self.thickness_m * self.active_density_kg_m3

    @property
    def loading_kg_m2(self) -> float:
        """The dry coating (active material, binder and carbon) per area."""
        return self.active_loading_kg_m2 + (
            self.inactive_volume_fraction * self.thickness_m * self.inactive_density_kg_m3
        )

    @property
    def electrode_density_kg_m3(self) -> float:
        return self.loading_kg_m2 / self.thickness_m

    @property
    def active_mass_fraction(self) -> float:
        return self.active_loading_kg_m2 / self.loading_kg_m2

    @property
    def theoretical_Ah_m2(self) -> float:
        return (FARADAY_C_MOL * self.max_concentration_mol_m3
                * self.active_volume_fraction * self.thickness_m / 3600)

    @property
    def nominal_Ah_m2(self) -> float:
        return self.theoretical_Ah_m2 * (self.x_discharged - self.x_charged)

    @property
    def specific_capacity_Ah_kg(self) -> float:
        """Nominal capacity per mass of active material (the number of mAh g-1)."""
        return self.nominal_Ah_m2 / self.active_loading_kg_m2


#: stoichiometry steps on which the open-circuit potential is evaluated: its
#: crossings of the cut-offs are interpolated linearly within a step, an error of
#: |U''| h^2 / 8 ~ 20 V x (1/2000)^2 / 8 ~ 1e-6 V for the shipped curves (below
#: 1e-6 in x)
_OCP_POINTS = 2000


def _ocp(values: pybamm.ParameterValues, x: np.ndarray) -> np.ndarray:
    """The cathode's open-circuit potential [V] at stoichiometries ``x``, at the
    reference temperature (where the entropic term vanishes)."""
    U = pybamm.FunctionParameter(
        "Positive electrode OCP [V]",
        {"Positive particle stoichiometry": pybamm.Vector(np.asarray(x, dtype=float))},
    )
    return np.asarray(values.evaluate(U), dtype=float).ravel()


def _crossing(x: np.ndarray, U: np.ndarray, voltage: float, last: bool) -> float | None:
    """The stoichiometry where the decreasing ``U(x)`` falls through ``voltage`` (the
    last crossing if ``last``, else the first); ``None`` where it does not."""
    k = np.nonzero((U[:-1] > voltage) & (U[1:] <= voltage))[0]
    if len(k) == 0:
        return None
    k = k[-1] if last else k[0]
    return float(x[k] + (x[k + 1] - x[k]) * (U[k] - voltage) / (U[k] - U[k + 1]))


def _window(values: pybamm.ParameterValues) -> tuple[float, float]:
    """The stoichiometries where the cathode's open-circuit potential crosses the
    upper and the lower cut-off: (x_charged, x_lower)."""
    x = np.linspace(0, 1, _OCP_POINTS + 1)
    U = _ocp(values, x)
    upper = values["Upper voltage cut-off [V]"]
    lower = values["Lower voltage cut-off [V]"]
    x_charged = _crossing(x, U, upper, last=True)
    if x_charged is None:
        x_charged = 0.0 if U[0] <= upper else 1.0
    below = x >= x_charged
    x_lower = _crossing(x[below], U[below], lower, last=False)
    return x_charged, 1.0 if x_lower is None else x_lower


def cathode_capacity(values: pybamm.ParameterValues, *, discharged_by: str | None = None,
                     where: str = "cell") -> CathodeCapacity:
    """The composition and capacity of the cathode of parameter values ``values``
    (see :class:`CathodeCapacity`)."""
    v = values
    L_p = v["Positive electrode thickness [m]"]
    eps_am = v["Positive electrode active material volume fraction"]
    eps_p = v["Positive electrode porosity"]
    eps_inactive = 1 - eps_p - eps_am
    if eps_inactive < -1e-12:  # rounding of fractions that add up to 1
        raise DesignError(
            f"{where}: 'Positive electrode porosity' + 'Positive electrode active "
            f"material volume fraction' exceed 1 ({eps_p:g} + {eps_am:g})"
        )
    c_max = v["Maximum concentration in positive electrode [mol.m-3]"]
    x_initial = v["Initial concentration in positive electrode [mol.m-3]"] / c_max
    x_charged, x_lower = _window(v)
    if discharged_by is None:
        discharged_by = "as made" if x_initial <= x_lower else "the lower cut-off"
    x_discharged = min(x_initial, x_lower)
    if not x_discharged > x_charged:
        raise DesignError(
            f"{where}: the cathode holds no capacity between its cut-offs: its "
            f"open-circuit potential reaches {v['Upper voltage cut-off [V]']:g} V at "
            f"x = {x_charged:.3f}, above its as-made x = {x_initial:.3f}"
        )
    x = np.linspace(x_charged, x_discharged, _OCP_POINTS + 1)
    return CathodeCapacity(
        thickness_m=L_p,
        active_volume_fraction=eps_am,
        inactive_volume_fraction=max(eps_inactive, 0.0),
        porosity=eps_p,
        active_density_kg_m3=v["Positive electrode active material density [kg.m-3]"],
        inactive_density_kg_m3=v["Positive electrode inactive material density [kg.m-3]"],
        max_concentration_mol_m3=c_max,
        x_charged=x_charged,
        x_discharged=x_discharged,
        discharged_by=discharged_by,
        upper_cutoff_V=v["Upper voltage cut-off [V]"],
        mean_ocv_V=float(np.trapezoid(_ocp(v, x), x) / (x_discharged - x_charged)),
    )


def apply_cathode(values: pybamm.ParameterValues, cathode: Cathode,
                  where: str = "cathode") -> pybamm.ParameterValues:
    r"""A copy of ``values`` with the cathode coating a datasheet gives (the values it
    leaves out are the cell's own).

    With electrode density :math:`\rho_{el}`, active mass fraction :math:`w`, and
    densities :math:`\rho_{am}` of the active material and :math:`\rho_{in}` of the
    binder and carbon (the volume of a coating is the sum of its constituents'):

    .. math::
        \epsilon_{am} = \frac{\rho_{el} w}{\rho_{am}}, \quad
        \epsilon_{in} = \frac{\rho_{el} (1 - w)}{\rho_{in}}, \quad
        \epsilon = 1 - \epsilon_{am} - \epsilon_{in}, \quad
        L_p = m / \rho_{el}

    for a loading :math:`m` [kg m-2] (or the thickness as given; else the cell's).
    The cell's own :math:`\rho_{el} = \epsilon_{am}\rho_{am} + \epsilon_{in}\rho_{in}`
    and :math:`w = \epsilon_{am}\rho_{am}/\rho_{el}` stand in for those not given.

    A specific capacity :math:`q` [Ah kg-1] sets the as-made stoichiometry
    :math:`x_0 = x_{charged} + 3600\, q \rho_{am} / (F c_{max})`, so that the
    cathode gives up :math:`q` per mass of active material on the charge to the
    upper cut-off (:math:`x_{charged}`, see :class:`CathodeCapacity`): the cell's
    open-circuit curve stays, the datasheet says how much of it the material uses.
    """
    v = values.copy()
    given = {name for name in _CATHODE_KEYS if getattr(cathode, name) is not None}
    if not given:
        return v
    rho_am = cathode.active_density_kg_m3 or v[
        "Positive electrode active material density [kg.m-3]"]
    rho_in = cathode.inactive_density_kg_m3 or v[
        "Positive electrode inactive material density [kg.m-3]"]
    own = cathode_capacity(values, where=where)
    rho_el = cathode.electrode_density_kg_m3 or own.electrode_density_kg_m3
    w = cathode.active_mass_fraction or own.active_mass_fraction
    if cathode.thickness_m is not None:
        L_p = cathode.thickness_m
    elif cathode.loading_kg_m2 is not None:
        L_p = cathode.loading_kg_m2 / rho_el
    else:
        L_p = own.thickness_m
    eps_am = rho_el * w / rho_am
    eps_in = rho_el * (1 - w) / rho_in
    porosity = 1 - eps_am - eps_in
    if porosity <= 0:
        named = [n for n in ("electrode_density_kg_m3", "active_mass_fraction",
                             "active_density_kg_m3", "inactive_density_kg_m3")
                 if n in given]
        raise DesignError(
            f"{cathode.where(*named) if named else where}: leaves the coating no pores: "
            f"{rho_el / 1e3:g} g cm-3 at {100 * w:.1f} wt% active fills "
            f"{100 * eps_am:.1f} vol% with active material ({rho_am / 1e3:g} g cm-3) and "
            f"{100 * eps_in:.1f} vol% with binder and carbon ({rho_in / 1e3:g} g cm-3); "
            f"porosity {porosity:.3f}"
        )
    v.update({
        "Positive electrode thickness [m]": L_p,
        "Positive electrode active material volume fraction": eps_am,
        "Positive electrode porosity": porosity,
        "Positive electrode active material density [kg.m-3]": rho_am,
        "Positive electrode inactive material density [kg.m-3]": rho_in,
    })
    q = cathode.specific_capacity_Ah_kg
    if q is not None:
        c_max = v["Maximum concentration in positive electrode [mol.m-3]"]
        x_charged, x_lower = _window(v)
        x_initial = x_charged + 3600 * q * rho_am / (FARADAY_C_MOL * c_max)
        if x_initial > x_lower:
            most = (x_lower - x_charged) * FARADAY_C_MOL * c_max / (3600 * rho_am)
            raise DesignError(
                f"{cathode.where('specific_capacity_Ah_kg')}: {q:g} mAh g-1 is more "
                f"than the cell's open-circuit curve holds between its cut-offs "
                f"({v['Upper voltage cut-off [V]']:g} V at x = {x_charged:.3f}, "
                f"{v['Lower voltage cut-off [V]']:g} V at x = {x_lower:.3f}): at most "
                f"{most:.1f} mAh g-1 of a material of {c_max:g} mol m-3"
            )
        v["Initial concentration in positive electrode [mol.m-3]"] = x_initial * c_max
    return v


# --- the stack ------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """One material of a layer, per unit electrode area."""

    name: str
    mass_kg_m2: float


@dataclass(frozen=True)
class Layer:
    """One layer of the stack's repeat unit, per unit electrode area: its thickness
    and the materials in it (a porous layer's electrolyte adds mass, not thickness)."""

    name: str
    thickness_m: float
    components: tuple[Component, ...]

    @property
    def mass_kg_m2(self) -> float:
        return sum(c.mass_kg_m2 for c in self.components)


def _single(name: str, thickness_m: float, density_kg_m3: float) -> Layer:
    return Layer(name, thickness_m, (Component(name, thickness_m * density_kg_m3),))


def dense_metal_thickness_m(values: pybamm.ParameterValues, capacity_Ah_m2: float) -> float:
    """Thickness [m] of dense metal holding ``capacity_Ah_m2`` (one electron per
    atom): the charge over the metal's charge per volume, :math:`3600\\, Q / (F
    \\rho / M) = 3600\\, Q\\, V_m / F`, with :math:`V_m = M / \\rho` its molar
    volume."""
    return 3600 * capacity_Ah_m2 / FARADAY_C_MOL * values["Metal molar volume [m3.mol-1]"]


def stack_layers(values: pybamm.ParameterValues, plated_thickness_m: float,
                 coating: Coating | None = None, metal: str = "metal") -> tuple[Layer, ...]:
    """The repeat unit's layers (see the module docstring) for a charged state with
    ``plated_thickness_m`` of dense metal on the collector (or its coating)."""
    v = values
    L_p, L_s = v["Positive electrode thickness [m]"], v["Separator thickness [m]"]
    eps_p, eps_s = v["Positive electrode porosity"], v["Separator porosity"]
    eps_am = v["Positive electrode active material volume fraction"]
    eps_inactive = 1 - eps_p - eps_am
    if eps_inactive < -1e-12:  # rounding of fractions that add up to 1
        raise DesignError(
            "'Positive electrode porosity' + 'Positive electrode active material volume "
            f"fraction' exceed 1 ({eps_p:g} + {eps_am:g})"
        )
    eps_inactive = max(eps_inactive, 0.0)
    rho_e = v["Electrolyte density [kg.m-3]"]
    metal_density = v["Metal molar mass [kg.mol-1]"] / v["Metal molar volume [m3.mol-1]"]
    layers = [
        _single("positive collector (half)", v["Positive current collector thickness [m]"] / 2,
                v["Positive current collector density [kg.m-3]"]),
        Layer("cathode coating", L_p, (
            Component("active material", eps_am * L_p
                      * v["Positive electrode active material density [kg.m-3]"]),
            Component("binder and carbon", eps_inactive * L_p
                      * v["Positive electrode inactive material density [kg.m-3]"]),
            Component("electrolyte in the pores", eps_p * L_p * rho_e),
        )),
        Layer("separator", L_s, (
            Component("separator material", (1 - eps_s) * L_s * v["Separator density [kg.m-3]"]),
            Component("electrolyte in the pores", eps_s * L_s * rho_e),
        )),
        _single(f"plated {metal} (charged)", plated_thickness_m, metal_density),
    ]
    if coating is not None:
        layers.append(_single(f"{coating.material} coating on the collector",
                              coating.thickness_m, coating.density_kg_m3))
    layers.append(_single("negative collector (half)",
                          v["Negative current collector thickness [m]"] / 2,
                          v["Negative current collector density [kg.m-3]"]))
    return tuple(layers)


# --- the report -----------------------------------------------------------------------


@dataclass(frozen=True)
class DesignReport:
    """Energy density of a stack's repeat unit (no tabs or packaging), with its
    layers in the charged state and its cathode's capacity.

    Without a simulation the energy is the cathode's nominal capacity at a nominal
    voltage (``voltage_basis`` says which) and the plated metal is that capacity's
    dense metal (plus any reservoir); with one, ``capacity_Ah_m2`` and
    ``mean_voltage_V`` are a simulated discharge's, and the plated metal the charge's.
    """

    cell: str
    layers: tuple[Layer, ...]
    cathode: CathodeCapacity
    area_m2: float
    #: the parameter set's "Nominal cell capacity [A.h]"
    set_nominal_capacity_Ah: float
    capacity_Ah_m2: float
    mean_voltage_V: float
    voltage_basis: str
    #: the simulation's C-rate, current (of the cathode's capacity) and charge
    #: capacity; None: none ran
    rate: str | None = None
    current_A: float | None = None
    charge_Ah_m2: float | None = None

    @property
    def cathode_capacity_Ah(self) -> float:
        """The cell's nominal capacity from its own cathode: the C-rate basis."""
        return self.cathode.nominal_Ah_m2 * self.area_m2

    @property
    def energy_Wh_m2(self) -> float:
        return self.capacity_Ah_m2 * self.mean_voltage_V

    @property
    def mass_kg_m2(self) -> float:
        return sum(layer.mass_kg_m2 for layer in self.layers)

    @property
    def thickness_m(self) -> float:
        return sum(layer.thickness_m for layer in self.layers)

    @property
    def gravimetric_Wh_kg(self) -> float:
        return self.energy_Wh_m2 / self.mass_kg_m2

    @property
    def volumetric_Wh_L(self) -> float:
        return self.energy_Wh_m2 / self.thickness_m / 1000

    def table(self) -> str:
        """The stack table (each layer's thickness, areal mass and mass share, the
        materials of porous layers beneath it, and the totals), the cathode's
        capacity and the energy density, as text."""
        total = self.mass_kg_m2
        row = "{:<38}{:>15}{:>16}{:>10}"
        lines = [
            f"{self.cell}: stack repeat unit, charged state (no tabs or packaging)",
            row.format("layer", "thickness [um]", "mass [mg cm-2]", "mass [%]"),
        ]
        for layer in self.layers:
            lines.append(row.format(
                layer.name, f"{1e6 * layer.thickness_m:.2f}",
                f"{100 * layer.mass_kg_m2:.3f}", f"{100 * layer.mass_kg_m2 / total:.1f}"))
            if len(layer.components) > 1:
                for c in layer.components:
                    lines.append(row.format(
                        f"  {c.name}", "", f"{100 * c.mass_kg_m2:.3f}",
                        f"{100 * c.mass_kg_m2 / total:.1f}"))
        lines.append(row.format("total", f"{1e6 * self.thickness_m:.2f}",
                                f"{100 * total:.3f}", "100.0"))
        c = self.cathode
        lines += [
            (f"cathode: {100 * c.loading_kg_m2:.3f} mg cm-2 dry coating at "
             f"{c.electrode_density_kg_m3 / 1e3:.3f} g cm-3, "
             f"{100 * c.active_mass_fraction:.1f} wt% active; volume fractions: active "
             f"{c.active_volume_fraction:.3f}, binder and carbon "
             f"{c.inactive_volume_fraction:.3f}, pores {c.porosity:.3f}"),
            (f"cathode capacity: {c.nominal_Ah_m2 / 10:.3f} mAh cm-2 = "
             f"{c.specific_capacity_Ah_kg:.1f} mAh g-1 x "
             f"{100 * c.active_loading_kg_m2:.3f} mg cm-2 active"),
            (f"  from x = {c.x_discharged:.4f} ({c.discharged_by}) to "
             f"{c.x_charged:.4f} ({c.upper_cutoff_V:g} V) of c_max "
             f"{c.max_concentration_mol_m3:g} mol m-3; theoretical (x = 1 to 0) "
             f"{c.theoretical_Ah_m2 / 10:.3f} mAh cm-2"),
            (f"nominal capacity (the C-rate basis): {1e3 * self.cathode_capacity_Ah:.2f} "
             f"mAh on {1e4 * self.area_m2:.2f} cm2"),
        ]
        difference = self.set_nominal_capacity_Ah / self.cathode_capacity_Ah - 1
        # beyond rounding of a quoted nominal capacity: worth the reader's attention
        if abs(difference) > 0.01:
            lines.append(
                "the parameter set's \"Nominal cell capacity [A.h]\": "
                f"{1e3 * self.set_nominal_capacity_Ah:.2f} mAh "
                f"({1e-1 * self.set_nominal_capacity_Ah / self.area_m2:.3f} mAh cm-2), "
                f"{abs(100 * difference):.1f} % {'below' if difference < 0 else 'above'} "
                "the cathode's; C-rates here are of the cathode's"
            )
        if self.rate is not None:
            lines.append(
                f"simulated at {self.rate} ({1e3 * self.current_A:.3f} mA): charge "
                f"{1e-1 * self.charge_Ah_m2:.3f} mAh cm-2, discharge "
                f"{1e-1 * self.capacity_Ah_m2:.3f} mAh cm-2 at a mean "
                f"{self.mean_voltage_V:.3f} V"
            )
        lines += [
            (f"energy: {1e-1 * self.energy_Wh_m2:.2f} mWh cm-2 at "
             f"{self.mean_voltage_V:.3f} V ({self.voltage_basis})"),
            f"gravimetric energy density: {self.gravimetric_Wh_kg:.0f} Wh kg-1",
            f"volumetric energy density:  {self.volumetric_Wh_L:.0f} Wh L-1",
        ]
        return "\n".join(lines)


_C_RATE = re.compile(
    r"^\s*(?:C\s*/\s*(?P<div>\d*\.?\d+)|(?P<mul>\d*\.?\d+)?\s*C)\s*$"
)


def c_rate_per_h(rate: str, where: str = "rate") -> float:
    """The C-rate ``rate`` ("C/10", "0.1C", "C", "2C") as a multiple of the capacity
    per hour."""
    match = _C_RATE.match(str(rate))
    if match:
        if match.group("div") is not None:
            per_h = 1 / float(match.group("div")) if float(match.group("div")) else 0.0
        else:
            per_h = float(match.group("mul") or 1)
        if per_h > 0:
            return per_h
    raise DesignError(f"{where}: '{rate}': write a positive C-rate, e.g. C/10 or 0.5C")


def design(cell, cathode: Cathode | None = None, coating: Coating | None = None, *,
           voltage_V: float | None = None, simulate: bool = False, rate: str = "C/10",
           options=None) -> DesignReport:
    """The stack design of ``cell`` (a parameter-set name, a cell file, or a
    :class:`afb_models.cells.Cell`), with a datasheet ``cathode`` (its values
    replace the cell's, :func:`apply_cathode`) and a ``coating`` on the negative
    collector.

    Without ``simulate``: the energy is the cathode's nominal capacity
    (:class:`CathodeCapacity`) at ``voltage_V``, by default the mean open-circuit
    voltage over the cathode's window with the metal at 0 V (the equilibrium
    discharge, no overpotential); the plated metal is that capacity's dense metal
    plus any reservoir.

    With ``simulate``: the cell is charged at ``rate`` to its upper cut-off and
    discharged at ``rate`` to its lower cut-off with :class:`~afb_models.AnodeFreeDFN`
    (``options``; by default no side reactions: the design value, before any fade),
    the C-rate taken of the cathode's nominal capacity (not the parameter set's
    "Nominal cell capacity [A.h]"); the discharge's capacity and mean voltage and the
    charge's plated metal enter the report.
    """
    from .cells import Cell, load_cell

    if not isinstance(cell, Cell):
        cell = load_cell(cell)
    if cell.configuration != "anode-free":
        raise DesignError(
            f"{cell.name}: a {cell.configuration} cell has no cathode; a design needs "
            "an anode-free or anode-less cell"
        )
    values = cell.parameter_values
    if cathode is not None:
        values = apply_cathode(values, cathode)
    capacity = cathode_capacity(
        values, where=cell.name,
        discharged_by=("the datasheet's specific capacity"
                       if cathode is not None and cathode.specific_capacity_Ah_kg
                       else None),
    )
    area_m2 = values["Electrode height [m]"] * values["Electrode width [m]"]
    common = {"cell": cell.name, "cathode": capacity, "area_m2": area_m2,
              "set_nominal_capacity_Ah": values["Nominal cell capacity [A.h]"]}
    if not simulate:
        if voltage_V is None:
            voltage_V = capacity.mean_ocv_V
            basis = (f"mean open-circuit voltage from x = {capacity.x_discharged:.3f} "
                     f"to {capacity.x_charged:.3f}, the metal at 0 V")
        else:
            if not (math.isfinite(voltage_V) and voltage_V > 0):
                raise DesignError(f"voltage: must be positive, got {voltage_V!r}")
            basis = "the nominal voltage given"
        plated = (values["Initial plated metal thickness [m]"]
                  + dense_metal_thickness_m(values, capacity.nominal_Ah_m2))
        return DesignReport(
            layers=stack_layers(values, plated, coating, cell.metal),
            capacity_Ah_m2=capacity.nominal_Ah_m2, mean_voltage_V=voltage_V,
            voltage_basis=basis, **common,
        )
    if voltage_V is not None:
        raise DesignError("voltage: the simulated discharge gives the voltage; "
                          "a nominal voltage is for a design without simulation")
    current_A = c_rate_per_h(rate) * capacity.nominal_Ah_m2 * area_m2
    charge_Ah_m2, discharge_Ah_m2, mean_voltage_V, plated = _simulate(
        cell, values, current_A, rate, options)
    return DesignReport(
        layers=stack_layers(values, plated, coating, cell.metal),
        capacity_Ah_m2=discharge_Ah_m2, mean_voltage_V=mean_voltage_V,
        voltage_basis=f"mean of the simulated discharge at {rate}",
        rate=rate, current_A=current_A, charge_Ah_m2=charge_Ah_m2, **common,
    )


def _simulate(cell, values, current_A: float, rate: str, options):
    """Charge at ``current_A`` to the upper cut-off and discharge at it to the lower
    one: (charge and discharge capacity [A.h.m-2], the discharge's mean voltage [V],
    the plated metal's thickness when charged [m])."""
    from .models import AnodeFreeDFN

    model = AnodeFreeDFN(validate_options(cell.options | dict(options or {})))
    upper = values["Upper voltage cut-off [V]"]
    lower = values["Lower voltage cut-off [V]"]
    experiment = pybamm.Experiment([
        f"Charge at {current_A:.8g} A until {upper} V",
        f"Discharge at {current_A:.8g} A until {lower} V",
    ])
    solution = pybamm.Simulation(
        model, parameter_values=values, experiment=experiment,
        solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-8),
    ).solve()
    if len(solution.cycles) < 2 or solution.cycles[1] is None:
        raise RuntimeError(
            f"{cell.name}: the discharge at {rate} to {lower} V could not be solved"
        )
    charge, discharge = solution.cycles[0].steps[0], solution.cycles[1].steps[0]
    area = values["Electrode height [m]"] * values["Electrode width [m]"]
    q_charge = charge["Discharge capacity [A.h]"].entries
    q = discharge["Discharge capacity [A.h]"].entries
    e = discharge["Discharge energy [W.h]"].entries
    return (
        abs(q_charge[-1] - q_charge[0]) / area,
        (q[-1] - q[0]) / area,
        (e[-1] - e[0]) / (q[-1] - q[0]),
        float(charge["Plated metal thickness [m]"].entries[-1]),
    )


def energy_density(cell, rate: str = "C/10", options=None) -> DesignReport:
    """Gravimetric and volumetric energy density of the stack of ``cell`` from a
    simulated charge and discharge at ``rate`` (:func:`design` with
    ``simulate=True``)."""
    return design(cell, simulate=True, rate=rate, options=options)


# --- a design file ----------------------------------------------------------------------


@dataclass
class Design:
    """What ``afb design`` works on: a cell, and what a datasheet adds to it."""

    cell: object  # afb_models.cells.Cell
    cathode: Cathode | None = None
    coating: Coating | None = None
    voltage_V: float | None = None
    #: the design file's path, if there is one (the report's title)
    path: str | None = None

    def report(self, *, simulate: bool = False, rate: str = "C/10",
               options=None) -> DesignReport:
        """The :func:`design` of this cell, cathode, coating and voltage (which a
        simulation replaces with its discharge's)."""
        report = design(self.cell, self.cathode, self.coating,
                        voltage_V=None if simulate else self.voltage_V,
                        simulate=simulate, rate=rate, options=options)
        if self.path is not None:
            report = replace(report, cell=f"{self.path} ({self.cell.name})")
        return report


def _line_of(text: str, key: str, after: str | None = None) -> int:
    """The first line of ``text`` that holds ``key`` (for an error's file:line), in
    the table that starts at the line holding ``after`` if given."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if after in line), 0) if after else 0
    for i, line in enumerate(lines[start:], start=start + 1):
        if not line.lstrip().startswith("#") and key in line.split("=")[0]:
            return i
    return start + 1


def load_design(name_or_file) -> Design:
    """The design of a parameter-set name, a cell file (a TOML file with ``base``) or
    a design file (see the module docstring)."""
    import tomllib

    from . import parameter_sets
    from .cells import check_value, load_cell
    from .settings_file import SettingsFile

    path = Path(name_or_file)
    if str(name_or_file) in parameter_sets.PARAMETER_SETS or path.suffix != ".toml":
        return Design(load_cell(name_or_file))
    try:
        is_cell_file = "base" in tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        is_cell_file = True  # load_cell says what is wrong with it
    if is_cell_file:
        return Design(load_cell(name_or_file))

    sections = {"cell", "voltage", "parameters", "cathode", "coating"}
    settings = SettingsFile(path, "design", DesignError, allowed=sections,
                            required=("cell",))
    spec, text = settings.spec, path.read_text(encoding="utf-8")

    def where(key: str, table: str | None = None) -> str:
        if table is None:
            return f"{path}:{_line_of(text, key)}: '{key}'"
        return f"{path}:{_line_of(text, key, after=f'[{table}]')}: [{table}] '{key}'"

    def table(name: str) -> dict:
        value = spec.get(name, {})
        if not isinstance(value, dict):
            raise DesignError(f"{where(name)}: must be a table, [{name}]")
        return value

    cell = load_cell(settings.relative("cell"))
    updates = {key: check_value(cell.parameter_values, key, value,
                                f"{path}:{_line_of(text, key, after='[parameters]')}")
               for key, value in table("parameters").items()}
    cell.parameter_values.update(updates)

    cathode_spec = table("cathode")
    cathode = (Cathode.from_datasheet(lambda key: where(key, "cathode"), **cathode_spec)
               if cathode_spec else None)

    coating = None
    coating_spec = table("coating")
    if coating_spec:
        keys = ("material", "thickness", "density")
        for key in coating_spec:
            if key not in keys:
                raise DesignError(
                    f"{where(key, 'coating')}: unknown key; allowed: {', '.join(keys)}")
        for key in keys:
            if key not in coating_spec:
                raise DesignError(f"{path}:{_line_of(text, '[coating]')}: [coating] "
                                  f"'{key}' is missing")
        material = coating_spec["material"]
        if not isinstance(material, str):
            raise DesignError(f"{where('material', 'coating')}: must be a string")
        coating = Coating(
            material,
            parse_quantity(coating_spec["thickness"], "thickness",
                           where("thickness", "coating")),
            parse_quantity(coating_spec["density"], "density", where("density", "coating")),
            source=f"{path}:{_line_of(text, '[coating]')}: [coating]",
        )
    voltage_V = (parse_quantity(spec["voltage"], "voltage", where("voltage"))
                 if "voltage" in spec else None)
    return Design(cell, cathode, coating, voltage_V, str(path))
