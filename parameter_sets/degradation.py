"""Degradation parameters of the afb cells: SEI on metal and collector, dead metal,
galvanic corrosion. Each value states its source or says it is an estimate; the
"calibrated" ones were set so that the default Li cell reproduces the capacity fade of
Louli et al., Nat. Energy 5 (2020) 693 (see docs/calibration.md)."""

from __future__ import annotations

#: Li metal in a carbonate (FEC:DEC, LiDFOB + LiBF4) electrolyte
LI_LIQUID = {
    # --- SEI on the metal (PyBaMM's names) ---
    "Initial SEI thickness [m]": 5e-9,  # source: Xu 2019 (PyBaMM Xu2019)
    "SEI reaction exchange current density [A.m-2]": 1.5e-7,  # source: Xu 2019 (PyBaMM Xu2019)
    "SEI open-circuit potential [V]": 0.4,  # source: Xu 2019 (PyBaMM Xu2019)
    "SEI partial molar volume [m3.mol-1]": 9.585e-5,  # source: Xu 2019 (PyBaMM Xu2019)
    "Ratio of lithium moles to SEI moles": 2.0,  # source: Xu 2019 (PyBaMM Xu2019)
    "SEI solvent diffusivity [m2.s-1]": 2.5e-22,  # source: Xu 2019 (PyBaMM Xu2019)
    "Bulk solvent concentration [mol.m-3]": 2636.0,  # source: Xu 2019 (PyBaMM Xu2019)
    "SEI resistivity [Ohm.m]": 2e5,  # source: Xu 2019 (PyBaMM Xu2019)
    "SEI growth activation energy [J.mol-1]": 30e3,  # estimate: typical SEI growth, 20-40 kJ/mol
    "SEI formation fraction on fresh metal": 8e-4,  # calibrated: Louli 2020 fade, see docs/calibration.md
    "Initial metal roughness factor": 1.0,  # estimate: dense first deposit
    "Metal roughness growth [m2.mol-1]": 0.02,  # estimate: surface doubles after ~50 mol m-2 (~40 cycles) plated
    # --- SEI on the exposed collector ---
    "Collector SEI exchange-current density [A.m-2]": 1e-13,  # estimate: ~0.3 A m-2 at the nucleation potential on bare Cu
    "Collector SEI open-circuit potential [V]": 1.5,  # estimate: salt (LiDFOB, LiBF4) reduction onset on Cu, ~1.5-1.7 V
    "Collector SEI passivation thickness [m]": 10e-9,  # estimate: a 10 nm film halves the rate
    # --- dead metal ---
    "Dead metal fraction at low current": 2.6e-3,  # calibrated: Louli 2020 fade, see docs/calibration.md
    "Dead metal reference current density [A.m-2]": 10.0,  # estimate: 1 mA cm-2 halves the fraction (Werres 2023 trend)
    "Dead metal reference SEI thickness [m]": 50e-9,  # estimate: 50 nm of SEI doubles the fraction
    "Dead metal decay constant [s-1]": 1e-9,  # estimate: O'Kane 2022 form, rate scaled to bulk metal
    "Dead metal reconnection rate [s-1]": 5e-6,  # estimate: days-long recovery at rest (Zhang et al., Nature 2024)
    "Dead metal layer resistivity [Ohm.m]": 15.0,  # estimate: tortuosity 3 / (0.4 S m-1 x porosity 0.5)
    "Dead metal layer porosity": 0.5,  # estimate: mossy dead layer
    # --- galvanic corrosion ---
    "Collector corrosion current density at the metal potential [A.m-2]": 0.01,  # estimate: ~1 uA cm-2 on bare Cu (Lin et al., Nat. Chem. 2019)
    "Collector corrosion transfer coefficient": 0.5,  # estimate: symmetric
    "Collector corrosion activation energy [J.mol-1]": 30e3,  # estimate: as SEI growth
}

#: Na metal in a glyme electrolyte: thinner, partly soluble SEI; dead metal dominates
NA_LIQUID = dict(LI_LIQUID) | {
    "SEI reaction exchange current density [A.m-2]": 5e-8,  # estimate: glyme SEI on Na more stable than carbonate SEI on Li
    "SEI formation fraction on fresh metal": 4e-4,  # estimate: glyme electrolytes give CE > 99.9 % on Na (docs/physics.md §8)
    "Dead metal fraction at low current": 1.5e-3,  # estimate: dead metal dominates the losses of Na (docs/physics.md §4)
    "Collector SEI open-circuit potential [V]": 1.2,  # estimate: NaPF6/glyme reduction onset on Al
}

#: Na metal on a solid electrolyte: no liquid to reduce, contact losses instead
NA_SOLID = dict(NA_LIQUID) | {
    "SEI reaction exchange current density [A.m-2]": 1e-10,  # estimate: NASICON is stable against Na
    "SEI formation fraction on fresh metal": 1e-5,  # estimate: no liquid to re-form an SEI
    "Collector SEI exchange-current density [A.m-2]": 1e-16,  # estimate: no liquid to reduce
    "Collector corrosion current density at the metal potential [A.m-2]": 1e-5,  # estimate: no liquid to reduce
    "Dead metal fraction at low current": 3e-3,  # estimate: void formation on stripping isolates metal
}
