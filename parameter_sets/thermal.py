"""Thermal values: the metals' heat capacity and melting, the melts' properties, the
stacks' heat capacity and cooling, and the open pore networks of separators and
solid electrolytes through which a melt can short a cell
(afb_models/submodels/thermal/, afb_models/submodels/internal_short/melt_infiltration.py,
docs/physics.md §10).

Every value states its source, or says it is an estimate, on its line.
"""

from __future__ import annotations

# References (short forms in the comments below):
#   CRC: CRC Handbook of Chemistry and Physics, 97th ed. (2016): melting points,
#     enthalpies of fusion, molar heat capacities, resistivities of the elements
#   Michalak 2025: Michalak & Reddy, Sustainable Energy Fuels 9 (2025) 1545 (Li and Na
#     cells on LLZO, Li-beta''-alumina, Na-beta''-alumina and a NASICON-type
#     electrolyte short once the metal melts; 1.0-1.2 mm discs, 11-12 mm, 40 N)
#   Celgard: Celgard 2400 data sheet (25 um, 41 % porosity, 0.043 um pores)

#: the metal: heat capacity, melting, and the melt's viscosity, surface tension and
#: resistivity (near its melting point)
METAL_THERMAL = {
    "Li": {
        "Metal specific heat capacity [J.kg-1.K-1]": 3582.0,  # source: CRC, 24.86 J mol-1 K-1 / 6.94 g mol-1
        "Metal melting temperature [K]": 453.65,  # source: CRC, 180.5 °C
        "Metal heat of fusion [J.mol-1]": 3000.0,  # source: CRC, 3.00 kJ/mol
        "Liquid metal viscosity [Pa.s]": 0.57e-3,  # source: CRC, liquid Li near its melting point
        "Liquid metal surface tension [N.m-1]": 0.40,  # source: CRC, liquid Li near its melting point
        "Liquid metal resistivity [Ohm.m]": 24e-8,  # estimate: ~24 uOhm cm for liquid Li near its melting point (the solid's 9.5 uOhm cm at 25 °C, CRC, rises to ~15 at the melting point and jumps on melting)
    },
    "Na": {
        "Metal specific heat capacity [J.kg-1.K-1]": 1228.0,  # source: CRC, 28.23 J mol-1 K-1 / 22.99 g mol-1
        "Metal melting temperature [K]": 370.95,  # source: CRC, 97.8 °C
        "Metal heat of fusion [J.mol-1]": 2600.0,  # source: CRC, 2.60 kJ/mol
        "Liquid metal viscosity [Pa.s]": 0.68e-3,  # source: CRC, liquid Na near its melting point
        "Liquid metal surface tension [N.m-1]": 0.19,  # source: CRC, liquid Na near its melting point
        "Liquid metal resistivity [Ohm.m]": 9.6e-8,  # estimate: ~9.6 uOhm cm for liquid Na near its melting point (the solid's 4.8 uOhm cm at 25 °C, CRC, rises to ~6.6 at the melting point and jumps on melting)
    },
}

#: the current collectors' heat capacity and conductivity, by material
COLLECTORS = {
    "Cu": {
        "specific heat": 385.0,  # source: CRC, Cu at 25 °C
        "conductivity": 5.96e7,  # source: CRC, Cu at 20 °C, 1.68 uOhm cm
    },
    "Al": {
        "specific heat": 897.0,  # source: CRC, Al at 25 °C
        "conductivity": 3.77e7,  # source: CRC, Al at 20 °C, 2.65 uOhm cm
    },
}

#: the electrolytes' specific heat capacity
ELECTROLYTE_SPECIFIC_HEAT = {
    "carbonate": 1800.0,  # estimate: carbonate solvents with a Li salt, 1.6-2.0 kJ kg-1 K-1
    "glyme": 2000.0,  # estimate: diglyme ~2.2 kJ kg-1 K-1, lowered by the salt
    "oxide": 700.0,  # estimate: oxide ceramics (LLZO, NASICON, beta''-alumina), 0.6-0.8 kJ kg-1 K-1 at room temperature
}


def stack_thermal(*, negative_collector: str, electrolyte: str, electrode_area: float,
                  cathode_active_specific_heat: float) -> dict:
    """The stack's thermal values of a pouch cell (a set with a cathode)."""
    cc_n, cc_p = COLLECTORS[negative_collector], COLLECTORS["Al"]
    return {
        "Negative current collector specific heat capacity [J.kg-1.K-1]": cc_n["specific heat"],  # source: COLLECTORS above
        "Negative current collector conductivity [S.m-1]": cc_n["conductivity"],  # source: COLLECTORS above
        "Positive current collector specific heat capacity [J.kg-1.K-1]": cc_p["specific heat"],  # source: COLLECTORS above, Al
        "Positive current collector conductivity [S.m-1]": cc_p["conductivity"],  # source: COLLECTORS above, Al
        "Positive electrode active material specific heat capacity [J.kg-1.K-1]": cathode_active_specific_heat,  # derived: given by the calling set, with its source
        "Positive electrode inactive material specific heat capacity [J.kg-1.K-1]": 1000.0,  # estimate: carbon black (~0.7) and PVDF (~1.3 kJ kg-1 K-1)
        "Separator specific heat capacity [J.kg-1.K-1]": 1900.0,  # estimate: polyethylene, 1.9-2.3 kJ kg-1 K-1
        "Electrolyte specific heat capacity [J.kg-1.K-1]": ELECTROLYTE_SPECIFIC_HEAT[electrolyte],  # source: ELECTROLYTE_SPECIFIC_HEAT above
        "Cell additional heat capacity [J.K-1]": 0.0,  # estimate: a pouch's foil and tabs neglected against the stack
        "Cell cooling surface area [m2]": 2 * electrode_area,  # derived: a single-layer pouch cooled on both faces
    }


#: a coin cell's thermal values, which replace a pouch's in metal_cells.coin_cell
COIN_CELL_THERMAL = {
    "Cell additional heat capacity [J.K-1]": 2.0,  # estimate: a CR2032's can, cap, spacer and spring, ~4 g of stainless steel at 0.5 J g-1 K-1
    "Cell cooling surface area [m2]": 8.3e-4,  # derived: the outer surface of a CR2032 case, 20 mm across and 3.2 mm high
}

#: the open pore network of a separator or solid electrolyte, through which a molten
#: metal can bridge it (afb_models/submodels/internal_short/melt_infiltration.py);
#: the contact angle is that of the cell's metal's melt on it
MELT_INFILTRATION = {
    "liquid separator": {
        "Electrolyte open porosity": 0.41,  # source: Celgard, 41 %
        "Electrolyte percolation threshold porosity": 0.0,  # estimate: a separator's pores are made to pass through it
        "Electrolyte pore radius [m]": 21.5e-9,  # source: Celgard, 0.043 um pores
        "Electrolyte pore tortuosity": 2.5,  # estimate: polyolefin separators, 2-4
        "Melt contact angle on electrolyte [deg]": 120.0,  # estimate: a molten alkali metal does not wet a polyolefin wetted by the electrolyte; the separator's shrinking and melting (PE 135 °C), which shorts a liquid cell first, is not modelled
    },
    "LLZO": {
        "Electrolyte open porosity": 0.06,  # estimate: a conventionally sintered LLZO disc of ~94 % relative density
        "Electrolyte percolation threshold porosity": 0.03,  # estimate: the porosity below which a sintered ceramic's pores no longer connect through it (Mavko & Nur's threshold, a few %)
        "Electrolyte pore radius [m]": 50e-9,  # estimate: pore throats and grain-boundary cracks of a sintered oxide, tens of nm
        "Electrolyte pore tortuosity": 3.0,  # estimate: sintered ceramics, 2-5
        "Melt contact angle on electrolyte [deg]": 85.0,  # estimate: molten Li on LLZO is above 90° until its surface layers are removed and just below once they are; Michalak 2025 see the melt enter under a 40 N spring (~0.4 MPa), which a non-wetting melt would not
    },
    "Li-beta-alumina": {
        "Electrolyte open porosity": 0.04,  # estimate: a dense beta''-alumina disc of ~96 % relative density
        "Electrolyte percolation threshold porosity": 0.03,  # estimate: as LLZO
        "Electrolyte pore radius [m]": 20e-9,  # estimate: a finer microstructure than LLZO's
        "Electrolyte pore tortuosity": 3.0,  # estimate: sintered ceramics, 2-5
        "Melt contact angle on electrolyte [deg]": 85.0,  # estimate: as molten Li on LLZO
    },
    "Na-beta-alumina": {
        "Electrolyte open porosity": 0.04,  # estimate: a dense beta''-alumina disc of ~96 % relative density
        "Electrolyte percolation threshold porosity": 0.03,  # estimate: as LLZO
        "Electrolyte pore radius [m]": 20e-9,  # estimate: a finer microstructure than LLZO's
        "Electrolyte pore tortuosity": 3.0,  # estimate: sintered ceramics, 2-5
        "Melt contact angle on electrolyte [deg]": 85.0,  # estimate: molten Na on beta''-alumina is above 90° until surface layers are removed (the wetting problem of Na-S cells) and just below once they are, as Li on LLZO
    },
    "NASICON": {
        "Electrolyte open porosity": 0.08,  # estimate: a solid-state sintered NASICON disc of ~92 % relative density
        "Electrolyte percolation threshold porosity": 0.03,  # estimate: as LLZO
        "Electrolyte pore radius [m]": 100e-9,  # estimate: a coarser microstructure than LLZO's
        "Electrolyte pore tortuosity": 3.0,  # estimate: sintered ceramics, 2-5
        "Melt contact angle on electrolyte [deg]": 85.0,  # estimate: as molten Na on beta''-alumina
    },
}
