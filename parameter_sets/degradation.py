"""Degradation parameters of the afb cells: SEI on metal and collector, dead metal,
galvanic corrosion. Each value states its source or says it is an estimate; the
"calibrated" ones were set so that the default Li cell reproduces the capacity fade of
Louli et al., Nat. Energy 5 (2020) 693 (see docs/calibration.md)."""

from __future__ import annotations

# References (short forms in the comments below):
#   Louli 2020: Louli et al., Nat. Energy 5 (2020) 693
#   Xu 2019: Xu, Chen, Dasgupta, Siegel, Stefanopoulou, J. Electrochem. Soc. 166 (2019) A3456
#   O'Kane 2022: O'Kane et al., Phys. Chem. Chem. Phys. 24 (2022) 7909
#   Werres 2023: Werres et al., ACS Nano 17 (2023) 10218 (less isolated Li at higher
#     stripping current)
#   Lin 2019: Lin et al., Nat. Chem. 11 (2019) 382 (galvanic corrosion of Li on Cu)
#   Seh 2015: Seh, Sun, Sun, Cui, ACS Cent. Sci. 1 (2015) 449 (Na plating in glymes, CE
#     above 99.9 %)
#   PyBaMM's graphite SEI example block: the SEI values of PyBaMM's Marquis2019,
#     Chen2020, Mohtat2020 and Xu2019 sets, "example parameters for SEI growth" from
#     Ramadass et al., JES 151 (2004) A196; Ploehn, Ramadass, White, JES 151 (2004)
#     A456; Single, Latz, Horstmann, ChemSusChem 11 (2018) 1950; Safari et al., JES 156
#     (2009) A145; Yang et al., J. Power Sources 360 (2017) 28 -- all graphite anodes.
#     Xu 2019 (a Li-metal paper) is not their source: PyBaMM's Xu2019 set copies them.

#: Li metal in a carbonate (FEC:DEC, LiDFOB + LiBF4) electrolyte
LI_LIQUID = {
    # --- SEI on the metal (PyBaMM's names) ---
    "Initial SEI thickness [m]": 5e-9,  # estimate: PyBaMM's graphite SEI example value (in its Xu2019 set too), not measured on Li metal
    "SEI reaction exchange current density [A.m-2]": 1.5e-7,  # estimate: PyBaMM's graphite SEI example value (in its Xu2019 set too; PyBaMM's Ramadass2004 set has 1.5e-6), not measured on Li metal
    "SEI open-circuit potential [V]": 0.4,  # estimate: PyBaMM's graphite SEI example value (in its Xu2019 set too), not measured on Li metal in FEC:DEC
    "SEI partial molar volume [m3.mol-1]": 9.585e-5,  # estimate: PyBaMM's graphite SEI example value (in its Xu2019 set too), for an organic, EC-derived SEI; not measured on Li metal
    "Ratio of lithium moles to SEI moles": 2.0,  # estimate: PyBaMM's graphite SEI example value (in its Xu2019 set too; 2 Li per (CH2OCO2Li)2), not measured on Li metal; a LiF-rich SEI would have 1
    "SEI solvent diffusivity [m2.s-1]": 2.5e-22,  # estimate: PyBaMM's graphite SEI example value (in its Xu2019 set too), not measured on Li metal
    "Bulk solvent concentration [mol.m-3]": 2636.0,  # estimate: PyBaMM's graphite SEI example value (in its Xu2019 set too), for the EC-based LiPF6 electrolytes of those sets, not this cell's FEC:DEC
    "SEI resistivity [Ohm.m]": 2e5,  # estimate: PyBaMM's graphite SEI example value (in its Xu2019 set too), not measured on Li metal
    "SEI growth activation energy [J.mol-1]": 30e3,  # estimate: typical SEI growth, 20-40 kJ/mol (PyBaMM's OKane2022 set: 38 kJ/mol, graphite)
    "SEI renewal amount [mol.m-2]": 0.373,  # estimate: the film over the metal is renewed by one e-fold per 1 mAh cm-2 plated or stripped under it (a 3 mAh cm-2 cycle renews it ~6 times over)
    "SEI formation fraction on fresh metal": 1.05e-3,  # calibrated: to the Louli 2020 capacity fade, see docs/calibration.md
    # --- nucleation and the deposit's morphology (submodels/metal_deposit.py, deposit_morphology.py) ---
    "Metal nucleation rate current density [A.m-2]": 1e3,  # estimate: the classical-nucleation law then deepens the dip by ~15 % per decade of current at 0.01-0.1 mA cm-2 and ~40 % from 0.01 to 1 mA cm-2, the order of the rise in Pei et al., Nano Lett. 17 (2017) 1132
    "Metal nucleation activation energy [J.mol-1]": 35e3,  # estimate: as the metal's exchange current (attachment of ad-atoms); dips ~25 % shallower at 60 °C than at 0 °C, the trend of Yan et al., Angew. Chem. Int. Ed. 58 (2019) 11364
    "Deposit morphology reference current density [A.m-2]": 5.0,  # derived: the morphology factor is 1 at 0.5 mA cm-2, the Adams protocol's current
    "Deposit morphology current exponent": 0.5,  # estimate: specific surface of the deposit ~ i^0.5 (finer grains and whiskers at higher current, Pei 2017); not fitted
    "Deposit morphology activation energy [J.mol-1]": 20e3,  # estimate: larger, denser grains at higher temperature (Yan 2019); ~30 % less surface at 40 °C than at 25 °C
    "Initial metal roughness factor": 1.0,  # estimate: dense first deposit
    "Metal roughness growth [m2.mol-1]": 0.02,  # estimate: surface doubles after ~50 mol m-2 (~40 cycles) plated at the reference morphology
    # --- SEI on the exposed collector ---
    "Collector SEI exchange-current density [A.m-2]": 1e-13,  # estimate: ~0.3 A m-2 at the nucleation potential on bare Cu
    "Collector SEI open-circuit potential [V]": 1.5,  # estimate: salt (LiDFOB, LiBF4) reduction onset on Cu, ~1.5-1.7 V
    "Collector SEI passivation thickness [m]": 10e-9,  # estimate: a 10 nm film halves the rate
    # --- dead metal ---
    "Dead metal fraction at low current": 3.45e-3,  # calibrated: to the Louli 2020 capacity fade, see docs/calibration.md
    "Dead metal reference current density [A.m-2]": 10.0,  # estimate: 1 mA cm-2 halves the fraction; the trend (less isolated Li at higher stripping current) of Werres 2023, not its numbers
    "Dead metal reference SEI thickness [m]": 50e-9,  # estimate: 50 nm of SEI doubles the fraction
    "Dead metal decay constant [s-1]": 1e-9,  # estimate: the dead-lithium decay form of O'Kane 2022 (graphite, 1e-6 s-1 in PyBaMM's OKane2022 set), rate scaled down to bulk metal
    "Dead metal reconnection rate [s-1]": 5e-6,  # estimate: days-long recovery of isolated Li at rest (Zhang et al., Nature, 2024: recovery of isolated Li through discharged-state calendar ageing)
    "Dead metal layer resistivity [Ohm.m]": 15.0,  # estimate: tortuosity 3 / (0.4 S m-1 x porosity 0.5)
    "Dead metal layer porosity": 0.5,  # estimate: mossy dead layer
    # --- galvanic corrosion ---
    "Galvanic couple conductance [S.m-2]": 6.7e-3,  # estimate: ~1 uA cm-2 at half coverage at rest (1.5 V of driving potential), the order of the galvanic corrosion of Li on Cu in Lin 2019
    "Galvanic corrosion activation energy [J.mol-1]": 30e3,  # estimate: as SEI growth
}

#: Na metal in a glyme electrolyte: thinner, partly soluble SEI; dead metal dominates
NA_LIQUID = dict(LI_LIQUID) | {
    "SEI reaction exchange current density [A.m-2]": 5e-8,  # estimate: glyme SEI on Na more stable than carbonate SEI on Li
    "SEI formation fraction on fresh metal": 4e-4,  # estimate: half the Li value: NaPF6 in glymes plates Na with CE above 99.9 % (Seh 2015)
    "Dead metal fraction at low current": 1.5e-3,  # estimate: below the Li value, as Na in glymes plates with CE above 99.9 % (Seh 2015); dead metal taken as the larger part of that loss
    "Collector SEI open-circuit potential [V]": 1.2,  # estimate: NaPF6/glyme reduction onset on Al
}

#: Na metal on a solid electrolyte: no liquid to reduce, contact losses instead
NA_SOLID = dict(NA_LIQUID) | {
    "SEI reaction exchange current density [A.m-2]": 1e-10,  # estimate: NASICON is stable against Na
    "SEI formation fraction on fresh metal": 1e-5,  # estimate: no liquid to re-form an SEI
    "Collector SEI exchange-current density [A.m-2]": 1e-16,  # estimate: no liquid to reduce
    "Galvanic couple conductance [S.m-2]": 8e-6,  # estimate: no liquid to reduce; ~1e-3 of the liquid cells' couple
    "Dead metal fraction at low current": 3e-3,  # estimate: void formation on stripping isolates metal
}

#: Li metal in 1 M LiPF6 in EC:DMC (the conventional carbonate electrolyte, LP30) on
#: bare Cu: an organic, EC-derived SEI that re-forms on every fresh deposit and a mossy
#: deposit that isolates much of the metal; Li||Cu CE of 80-90 % (Kim et al., PNAS 120
#: (2023) e2214357120, parameter_sets/data/li_cu_ce_literature.csv). What is not listed
#: is LI_LIQUID's: the SEI growth values there are PyBaMM's graphite values for EC-based
#: LiPF6 electrolytes, nearer to this electrolyte than to the fluorinated one.
LI_CARBONATE = dict(LI_LIQUID) | {
    "Collector SEI open-circuit potential [V]": 0.8,  # estimate: EC reduction onset on inert electrodes, ~0.8 V vs Li/Li+ (Xu K., Chem. Rev. 104 (2004) 4303); LiPF6/HF reduction begins higher but passivates little
    # The two fractions keep LI_LIQUID's ratio (dead metal 3.29 x the SEI fraction): dead
    # metal the larger loss, as Fang et al., Nature 572 (2019) 511 measured in a LiPF6
    # carbonate electrolyte (unreacted Li0 dominates the inactive Li); their numbers were
    # not used. The sum is fitted to the Li||Cu CE of 1 M LiPF6 EC:DMC.
    "SEI formation fraction on fresh metal": 5.03e-2,  # calibrated: Adams average CE of the Li||Cu cell (li_cu_carbonate.py) to 86.0 %, 1 M LiPF6 in EC:DMC (1:2 v/v) on Cu in the Li||Cu CE dataset of Kim et al., PNAS 120 (2023) e2214357120; see docs/calibration.md
    "Dead metal fraction at low current": 0.165,  # calibrated: Adams average CE of the Li||Cu cell (li_cu_carbonate.py) to 86.0 %, 1 M LiPF6 in EC:DMC (1:2 v/v) on Cu in the Li||Cu CE dataset of Kim et al., PNAS 120 (2023) e2214357120; see docs/calibration.md
}
