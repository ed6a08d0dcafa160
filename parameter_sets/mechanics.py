"""The metals' mechanics under stack pressure, and the interfaces of the metals with
solid electrolytes: creep, voids, critical current density and shorts
(afb_models/submodels/interface_contact/, afb_models/submodels/internal_short/,
docs/physics.md §9).

Every value states its source, or says it is an estimate, on its line.
"""

from __future__ import annotations

# References (short forms in the comments below):
#   LePage 2019: LePage, Chen, Kazyak, Chen, Sanchez, Poli, Arruda, Thouless,
#     Dasgupta, J. Electrochem. Soc. 166 (2019) A89 (power-law creep of Li)
#   Masias 2019: Masias, Felten, Garcia-Mendez, Wolfenstine, Sakamoto, J. Mater. Sci.
#     54 (2019) 2585 (elastic, plastic and creep properties of Li)
#   Fincher 2020: Fincher, Zhang, Pharr, Chiang, Acta Mater. 186 (2020) 215 (Na
#     mechanics; homologous temperature 0.80 against Li's 0.66 at 25 °C)
#   Kasemchainan 2019: Kasemchainan et al., Nat. Mater. 18 (2019) 1105 (Li|Li6PS5Cl:
#     critical stripping current rising with stack pressure, voids of a few um)
#   Krauskopf 2019: Krauskopf, Hartmann, Zeier, Janek, ACS Appl. Mater. Interfaces 11
#     (2019) 14463 (Li|LLZO: vacancy diffusion limits stripping without pressure)
#   Tseng 2024: Tseng, Lee, Sakamoto, ACS Energy Lett. (2024) (Na|NASICON: CCD of a
#     symmetric cell 1.9 mA cm-2; ~7 Ohm cm2 after in-situ plating; 5.6 MPa)
#   Michalak 2025: Michalak & Reddy, Sustainable Energy Fuels 9 (2025) 1545 (shorted
#     cells compared with a 30 mOhm shunt)

#: the metal's mechanics, which every cell needs (the deposit's morphology reads the
#: yield strength; the contact with a solid electrolyte the creep law)
METAL_MECHANICS = {
    "Li": {
        "Metal yield strength [Pa]": 0.77e6,  # source: Masias 2019, 0.73-0.81 MPa; the middle
        "Metal creep stress exponent": 6.56,  # source: LePage 2019
        "Metal creep activation energy [J.mol-1]": 37e3,  # source: LePage 2019
        "Metal creep strain rate at yield strength [s-1]": 8.6e-10,  # estimate: a creep-limited stripping current of ~0.3 mA cm-2 under a 100 um foil at 3 MPa (with the LLZO supply length), of the order of Kasemchainan 2019
    },
    "Na": {
        "Metal yield strength [Pa]": 0.24e6,  # source: Fincher 2020, 0.19-0.28 MPa; the middle
        "Metal creep stress exponent": 5.0,  # estimate: dislocation creep of a metal near 0.8 of its melting point, n = 4-7; not a fit to Na data
        "Metal creep activation energy [J.mol-1]": 42e3,  # estimate: the activation energy of Na self-diffusion, ~10 kcal/mol, which power-law creep follows at high homologous temperature
        "Metal creep strain rate at yield strength [s-1]": 1.0e-11,  # estimate: a creep-limited stripping current of ~0.5 mA cm-2 under the 2 mAh cm-2 (17.7 um) deposit of Tseng 2024's protocol at 5.6 MPa and 25 °C (with the NASICON supply length), so that its 0.5 mA cm-2 strip loses contact as its deposit thins and returns ~80 % of the metal, and ~1.8 mA cm-2 under a 100 um foil
    },
}

#: the interface of the metal with a solid electrolyte: its contact (voids on
#: stripping) and its filaments (critical current density, shorts)
SOLID_INTERFACES = {
    "NASICON": {
        "Metal creep supply length [m]": 100e-6,  # estimate: the depth of metal whose creep strain refills the interface, at most; a thinner layer creeps over its whole thickness
        "Vacancy diffusion supply velocity [m.s-1]": 1.2e-10,  # estimate: a vacancy-diffusion-limited stripping current of ~0.05 mA cm-2 without pressure (Na diffuses faster than Li; Krauskopf 2019 give ~0.1 mA cm-2 for Li, without a Na value)
        "Vacancy diffusion activation energy [J.mol-1]": 42e3,  # estimate: Na self-diffusion, as the creep
        "Void contact length [m]": 2e-6,  # estimate: voids of a few um deep take the contact (Kasemchainan 2019)
        "Critical current density [A.m-2]": 19.0,  # source: Tseng 2024, 1.9 mA cm-2 in a symmetric Na|NASICON|Na cell
        "Critical current density reference stack pressure [Pa]": 5.6e6,  # estimate: Tseng 2024's cells were held at 5.6 MPa; that the CCD was measured at it is assumed
        "Critical current density activation energy [J.mol-1]": 40e3,  # estimate: as the creep that keeps contact; the CCD rises with temperature
        "Filament charge to short [C.m-2]": 360.0,  # estimate: 0.01 mAh cm-2 above the CCD, so that a cell shorts within the first 30-minute step 0.1 mA cm-2 above it, as CCD measurements define it
        "Hard short thickening charge ratio": 50.0,  # estimate: a filament that has carried 0.5 mAh cm-2 of shunt current, in one short or over several soft ones, is welded and cannot burn open
        "Soft short resistance [Ohm.m2]": 0.1,  # estimate: 1 kOhm cm2, a thin filament, which carries a fraction of the current of a cell with a ~100 Ohm cm2 pellet
        "Hard short resistance [Ohm.m2]": 3e-6,  # estimate: a 30 mOhm shunt on ~1 cm2 (Michalak 2025 compare a shorted cell with it)
        "Filament burn-out power density [W.m-2]": 1.0,  # estimate: 0.1 mW cm-2 melts a thin filament back: 0.3 V across a 1 kOhm cm2 soft short, which a strip reaches once the deposit runs out
        "Filament burn-out time [s]": 1.0,  # estimate: a thin filament burns open within a second
    },
    "LLZO": {
        "Metal creep supply length [m]": 100e-6,  # estimate: as the NASICON interface
        "Vacancy diffusion supply velocity [m.s-1]": 1.35e-10,  # derived: 0.1 mA cm-2 of vacancy-diffusion-limited stripping without pressure (Krauskopf 2019) x V_m / F with V_m = 13.0 cm3 mol-1
        "Vacancy diffusion activation energy [J.mol-1]": 37e3,  # estimate: as Li's creep (LePage 2019)
        "Void contact length [m]": 2e-6,  # estimate: as the NASICON interface
        "Critical current density [A.m-2]": 5.0,  # estimate: 0.5 mA cm-2, within the 0.1-1 mA cm-2 reported for Li|LLZO at room temperature (e.g. Krauskopf 2019's review of Li|garnet interfaces)
        "Critical current density reference stack pressure [Pa]": 3e6,  # estimate: the LLZO cells' stack pressure below
        "Critical current density activation energy [J.mol-1]": 37e3,  # estimate: as Li's creep
        "Filament charge to short [C.m-2]": 360.0,  # estimate: as the NASICON interface
        "Hard short thickening charge ratio": 50.0,  # estimate: as the NASICON interface
        "Soft short resistance [Ohm.m2]": 0.1,  # estimate: as the NASICON interface
        "Hard short resistance [Ohm.m2]": 3e-6,  # estimate: as the NASICON interface
        "Filament burn-out power density [W.m-2]": 1.0,  # estimate: as the NASICON interface
        "Filament burn-out time [s]": 1.0,  # estimate: as the NASICON interface
    },
}
