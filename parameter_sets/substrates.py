"""Negative current collectors (substrates) for metal plating.

Each entry holds the parameters that make a collector differ for plating: its
nucleation overpotential (the dip measured at a reference current density), the
morphology of the deposit that grows on it (relative to a bare collector), and its
rest potential against the metal before any plating.
``with_substrate(parameter_values, metal, name)`` swaps the collector of a cell.
"""

from __future__ import annotations

# References (short forms in the comments below):
#   Yan 2016: Yan et al., Nat. Energy 1 (2016) 16010 (Li nucleation on Cu, Au, Ag, ...)
#   Tseng 2024: Tseng, Lee, Sakamoto, ACS Energy Lett. (2024) (Na plated on Au-coated Al
#     under NASICON; volume and page not checked here)

#: metal -> substrate name -> values
SUBSTRATES = {
    "Li": {
        "bare Cu": {
            # source: Yan 2016, Fig. 1: ~40 mV on Cu
            "Substrate nucleation overpotential [V]": 0.04,
            # source: Yan 2016, Fig. 1: measured at 10 uA cm-2
            "Substrate nucleation reference current density [A.m-2]": 0.1,
            # derived: the bare collector is the morphology's reference
            "Substrate deposit morphology factor": 1.0,
            # estimate: open-circuit voltage of fresh Li||Cu cells, ~3 V
            "Collector open-circuit potential [V]": 3.0,
        },
        "Au-coated Cu": {
            # source: Yan 2016: ~0 mV on Au (alloying)
            "Substrate nucleation overpotential [V]": 0.0,
            # source: Yan 2016, Fig. 1: measured at 10 uA cm-2
            "Substrate nucleation reference current density [A.m-2]": 0.1,
            # estimate: Yan 2016 shows dense, uniform Li grown on the seeded coating;
            # a 40 % smaller specific surface than on bare Cu, not measured
            "Substrate deposit morphology factor": 0.6,
            # estimate: as bare Cu
            "Collector open-circuit potential [V]": 3.0,
        },
        "Ag-coated Cu": {
            # source: Yan 2016: ~0 mV on Ag (alloying)
            "Substrate nucleation overpotential [V]": 0.0,
            # source: Yan 2016, Fig. 1: measured at 10 uA cm-2
            "Substrate nucleation reference current density [A.m-2]": 0.1,
            # estimate: Yan 2016 shows dense, uniform Li grown on the seeded coating;
            # a 40 % smaller specific surface than on bare Cu, not measured
            "Substrate deposit morphology factor": 0.6,
            # estimate: as bare Cu
            "Collector open-circuit potential [V]": 3.0,
        },
    },
    "Na": {
        "bare Al": {
            # estimate: as Na on bare Cu (below), ~32 mV; not measured on Al
            "Substrate nucleation overpotential [V]": 0.032,
            # estimate: the current of the quoted value is not known; 0.5 mA cm-2,
            # common in Na plating studies
            "Substrate nucleation reference current density [A.m-2]": 5.0,
            # derived: the bare collector is the morphology's reference
            "Substrate deposit morphology factor": 1.0,
            # estimate: open-circuit voltage of fresh Na||Al cells, ~2.7 V
            "Collector open-circuit potential [V]": 2.7,
        },
        "bare Cu": {
            # estimate: 31.8 mV, a value quoted for Na on bare Cu (against 11.3 mV on
            # Na15Sn4-coated Cu) whose primary source has not been traced
            "Substrate nucleation overpotential [V]": 0.0318,
            # estimate: the current of the quoted value is not known; 0.5 mA cm-2,
            # common in Na plating studies
            "Substrate nucleation reference current density [A.m-2]": 5.0,
            # derived: the bare collector is the morphology's reference
            "Substrate deposit morphology factor": 1.0,
            # estimate: as bare Al
            "Collector open-circuit potential [V]": 2.7,
        },
        "Au-coated Al": {
            # estimate: sodiophilic Au; dense homogeneous plating (Tseng 2024), below
            # the 11.3 mV quoted for Na15Sn4-coated Cu
            "Substrate nucleation overpotential [V]": 0.005,
            # estimate: as the bare collectors' values, 0.5 mA cm-2
            "Substrate nucleation reference current density [A.m-2]": 5.0,
            # estimate: Tseng 2024 shows dense, homogeneous Na on Au-coated Al; as the
            # Li coatings, 0.6 of the bare collector's specific surface
            "Substrate deposit morphology factor": 0.6,
            # estimate: as bare Al
            "Collector open-circuit potential [V]": 2.7,
        },
    },
}


def substrate_names(metal: str) -> list[str]:
    """The substrates available for ``metal`` ("Li" or "Na")."""
    return sorted(SUBSTRATES[metal])


def substrate_parameters(metal: str, name: str) -> dict:
    """Parameter values of substrate ``name`` for ``metal``."""
    try:
        return dict(SUBSTRATES[metal][name])
    except KeyError:
        known = ", ".join(f"'{s}'" for s in substrate_names(metal)) if metal in SUBSTRATES else ""
        raise KeyError(
            f"unknown substrate '{name}' for metal '{metal}'; known: {known}"
        ) from None


def with_substrate(parameter_values, metal: str, name: str):
    """A copy of ``parameter_values`` with the negative collector replaced by ``name``."""
    new = parameter_values.copy()
    new.update(substrate_parameters(metal, name))
    return new
