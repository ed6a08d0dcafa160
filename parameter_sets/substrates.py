"""Negative current collectors (substrates) for metal plating.

Each entry holds the parameters that make a collector differ for plating: its
nucleation overpotential, the exchange current of metal deposition on it (relative to
that on the metal), and its rest potential against the metal before any plating.
``with_substrate(parameter_values, metal, name)`` swaps the collector of a cell.
"""

from __future__ import annotations

#: metal -> substrate name -> values. Exchange current as a fraction of the metal's.
SUBSTRATES = {
    "Li": {
        "bare Cu": {
            # source: Yan et al., Nat. Energy 1 (2016) 16010, Fig. 1: ~40 mV on Cu
            "Substrate nucleation overpotential [V]": 0.04,
            # estimate: "much lower than on the metal" (docs/physics.md §2)
            "Substrate exchange-current fraction": 0.01,
            # estimate: open-circuit voltage of fresh Li||Cu cells, ~3 V
            "Collector open-circuit potential [V]": 3.0,
        },
        "Au-coated Cu": {
            # source: Yan et al., Nat. Energy 1 (2016) 16010: ~0 mV on Au (alloying)
            "Substrate nucleation overpotential [V]": 0.0,
            # estimate: lithiophilic coating alloys with Li, kinetics as on the metal
            "Substrate exchange-current fraction": 1.0,
            # estimate: as bare Cu
            "Collector open-circuit potential [V]": 3.0,
        },
        "Ag-coated Cu": {
            # source: Yan et al., Nat. Energy 1 (2016) 16010: ~0 mV on Ag (alloying)
            "Substrate nucleation overpotential [V]": 0.0,
            # estimate: lithiophilic coating alloys with Li, kinetics as on the metal
            "Substrate exchange-current fraction": 1.0,
            # estimate: as bare Cu
            "Collector open-circuit potential [V]": 3.0,
        },
    },
    "Na": {
        "bare Al": {
            # estimate: as Na on bare Cu, 31.8 mV (docs/physics.md §2)
            "Substrate nucleation overpotential [V]": 0.032,
            # estimate: "much lower than on the metal" (docs/physics.md §2)
            "Substrate exchange-current fraction": 0.01,
            # estimate: open-circuit voltage of fresh Na||Al cells, ~2.7 V
            "Collector open-circuit potential [V]": 2.7,
        },
        "bare Cu": {
            # source: docs/physics.md §2, Na on bare Cu: 31.8 mV
            "Substrate nucleation overpotential [V]": 0.0318,
            # estimate: "much lower than on the metal" (docs/physics.md §2)
            "Substrate exchange-current fraction": 0.01,
            # estimate: as bare Al
            "Collector open-circuit potential [V]": 2.7,
        },
        "Au-coated Al": {
            # estimate: sodiophilic Au; dense homogeneous plating (Tseng, Lee,
            # Sakamoto, ACS Energy Lett. 2024), below Na15Sn4@Cu's 11.3 mV
            "Substrate nucleation overpotential [V]": 0.005,
            # estimate: Au alloys with Na, kinetics as on the metal
            "Substrate exchange-current fraction": 1.0,
            # estimate: as bare Al
            "Collector open-circuit potential [V]": 2.7,
        },
    },
}


def substrate_names(metal: str) -> list[str]:
    """The substrates available for ``metal`` ("Li" or "Na")."""
    return sorted(SUBSTRATES[metal])


def substrate_parameters(metal: str, name: str, metal_j0) -> dict:
    """Parameter values of substrate ``name`` for ``metal``, given the metal's
    exchange-current density function ``metal_j0(c_e, T)``."""
    from .functions import scaled

    try:
        values = dict(SUBSTRATES[metal][name])
    except KeyError:
        known = ", ".join(f"'{s}'" for s in substrate_names(metal)) if metal in SUBSTRATES else ""
        raise KeyError(
            f"unknown substrate '{name}' for metal '{metal}'; known: {known}"
        ) from None
    fraction = values.pop("Substrate exchange-current fraction")
    values["Substrate exchange-current density [A.m-2]"] = scaled(
        metal_j0, fraction, f"substrate_exchange_current_density_{fraction:g}x_metal"
    )
    return values


def with_substrate(parameter_values, metal: str, name: str):
    """A copy of ``parameter_values`` with the negative collector replaced by ``name``."""
    new = parameter_values.copy()
    new.update(
        substrate_parameters(
            metal, name, parameter_values["Metal exchange-current density [A.m-2]"]
        )
    )
    return new
