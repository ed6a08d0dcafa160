"""afb parameter sets: anode-free Li and Na cells, each value with its source.

>>> from afb_models import parameter_sets
>>> parameter_sets.list_parameter_sets()  # doctest: +NORMALIZE_WHITESPACE
['AFB_Li_Cu', 'AFB_Li_Cu_LLZO', 'AFB_Li_Cu_carbonate', 'AFB_Li_Li', 'AFB_Li_Li_LLZO',
 'AFB_Li_NMC532_Cu', 'AFB_Li_NMC532_Cu_carbonate', 'AFB_Na_Al', 'AFB_Na_AuAl_NASICON',
 'AFB_Na_NASICON_AuAl', 'AFB_Na_Na_NASICON', 'AFB_Na_NVPF_glyme_Al']
>>> values = parameter_sets.get_parameter_values("AFB_Li_NMC532_Cu")

They are also registered with PyBaMM (entry point group ``pybamm_parameter_sets``), so
``pybamm.ParameterValues("AFB_Li_NMC532_Cu")`` works once afb is installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # PyBaMM is imported when a set is built, not to list the sets
    import pybamm

#: name -> (module, one-line description)
PARAMETER_SETS = {
    "AFB_Li_NMC532_Cu": (
        "li_nmc532_cu",
        "Li: NMC532 / 2 M LiDFOB + 1.4 M LiBF4 in FEC:DEC / bare Cu, 3.1 mAh cm-2 "
        "(Louli 2020)",
    ),
    "AFB_Na_NVPF_glyme_Al": (
        "na_nvpf_glyme_al",
        "Na liquid: NVPF / 1 M NaPF6 in diglyme / bare Al",
    ),
    "AFB_Na_NASICON_AuAl": (
        "na_nasicon_auAl",
        "Na solid-state: NVPF composite / NASICON / Au-coated Al",
    ),
    "AFB_Li_Cu": (
        "li_cu",
        "Li||Cu coin cell: Li foil / the Li cell's electrolyte / bare Cu (CE protocol)",
    ),
    "AFB_Li_Li": ("li_li", "Symmetric Li||Li coin cell, the Li cell's electrolyte"),
    "AFB_Na_Al": (
        "na_al",
        "Na||Al coin cell: Na foil / the Na liquid cell's electrolyte / bare Al",
    ),
    "AFB_Li_NMC532_Cu_carbonate": (
        "li_nmc532_cu_carbonate",
        "Li: NMC532 / 1 M LiPF6 in EC:DMC (carbonate baseline) / bare Cu, 3.1 mAh cm-2",
    ),
    "AFB_Na_AuAl_NASICON": (
        "na_auAl_nasicon",
        "Na||Au-Al coin cell on NASICON: Na foil / NASICON pellet / Au-coated Al "
        "(in-situ plating, Tseng 2024)",
    ),
    "AFB_Na_Na_NASICON": (
        "na_na_nasicon",
        "Symmetric Na||Na cell on NASICON (critical current density)",
    ),
    "AFB_Li_Li_LLZO": (
        "li_li_llzo",
        "Symmetric Li||Li cell on a Li garnet (LLZO)",
    ),
    "AFB_Li_Cu_LLZO": (
        "li_cu_llzo",
        "Li||Cu coin cell on a Li garnet: Li foil / LLZO pellet / bare Cu",
    ),
    "AFB_Li_Cu_carbonate": (
        "li_cu_carbonate",
        "Li||Cu coin cell: Li foil / 1 M LiPF6 in EC:DMC / bare Cu, 25 °C (CE protocol)",
    ),
}

#: cell configuration -> the model class that simulates it (afb_models.models)
CONFIGURATIONS = {
    "anode-free": "AnodeFreeDFN",
    "metal||collector": "MetalCollectorCell",
    "symmetric": "SymmetricMetalCell",
}

DEFAULT_CELL = "AFB_Li_NMC532_Cu"


def list_parameter_sets() -> list[str]:
    """Names of the afb parameter sets."""
    return sorted(PARAMETER_SETS)


def describe(name: str) -> str:
    """One-line description of parameter set ``name``."""
    return PARAMETER_SETS[_check(name)][1]


def _check(name: str) -> str:
    if name not in PARAMETER_SETS:
        known = ", ".join(list_parameter_sets())
        raise KeyError(f"unknown parameter set '{name}'; known sets: {known}")
    return name


def _module(name: str):
    return importlib.import_module(f"{__name__}.{PARAMETER_SETS[_check(name)][0]}")


def get_parameter_values(name: str = DEFAULT_CELL) -> pybamm.ParameterValues:
    """The :class:`pybamm.ParameterValues` of parameter set ``name``."""
    import pybamm

    return pybamm.ParameterValues(_module(name).get_parameter_values())


def metal_of(name: str) -> str:
    """The plated metal ("Li" or "Na") of parameter set ``name``."""
    return _module(name).METAL


def configuration_of(name: str) -> str:
    """The cell configuration of parameter set ``name``: "anode-free" (a cathode and a
    bare collector), "metal||collector" or "symmetric" (see :data:`CONFIGURATIONS`)."""
    return getattr(_module(name), "CONFIGURATION", "anode-free")


def options_of(name: str) -> dict[str, str]:
    """Model options that parameter set ``name`` needs (e.g. a solid electrolyte's
    ``{"electrolyte": "single-ion conductor"}``)."""
    return dict(getattr(_module(name), "OPTIONS", {}))


def source_file(name: str) -> str:
    """Path of the file that defines parameter set ``name``."""
    return _module(name).__file__
