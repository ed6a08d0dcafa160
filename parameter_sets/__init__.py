"""afb parameter sets: anode-free Li and Na cells, each value with its source.

>>> from afb_models import parameter_sets
>>> parameter_sets.list_parameter_sets()
['AFB_Li_NMC532_Cu', 'AFB_Na_NASICON_AuAl', 'AFB_Na_NVPF_glyme_Al']
>>> values = parameter_sets.get_parameter_values("AFB_Li_NMC532_Cu")

They are also registered with PyBaMM (entry point group ``pybamm_parameter_sets``), so
``pybamm.ParameterValues("AFB_Li_NMC532_Cu")`` works once afb is installed.
"""

from __future__ import annotations

import importlib

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
    return pybamm.ParameterValues(_module(name).get_parameter_values())


def metal_of(name: str) -> str:
    """The plated metal ("Li" or "Na") of parameter set ``name``."""
    return _module(name).METAL


def source_file(name: str) -> str:
    """Path of the file that defines parameter set ``name``."""
    return _module(name).__file__
