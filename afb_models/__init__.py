"""afb: DFN models of anode-free lithium and sodium metal batteries, built on PyBaMM."""

import importlib
import importlib.util
import logging
from importlib.metadata import PackageNotFoundError, version


def _map_source_tree() -> None:
    """Make ``afb_models.parameter_sets`` and ``afb_models.experiments`` importable
    from a source tree.

    They live at the top of the repository (``parameter_sets/``, ``experiments/``) and
    are installed inside the package; an installed or editable package finds them
    there. Python started in the repository's root imports this folder instead, which
    does not hold them: they are then loaded from beside it, under the same names.
    """
    import importlib.util
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for name in ("parameter_sets", "experiments"):
        full = f"{__name__}.{name}"
        if full in sys.modules or importlib.util.find_spec(full) is not None:
            continue
        folder = root / name
        spec = importlib.util.spec_from_file_location(
            full, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        if spec is None:  # not a source tree either: let the import below fail
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        spec.loader.exec_module(module)


_map_source_tree()

# afb logs to logging.getLogger("afb") (and "afb.solver", PyBaMM's experiment log of
# each solve); a library adds no handler but the null one, so that nothing is printed
# unless the application asks (the command line does: "afb: ..." on standard error)
logging.getLogger("afb").addHandler(logging.NullHandler())

#: public name -> the module that defines it. Imported on first use (PEP 562), so
#: that ``import afb_models`` and the command line's light commands (``afb --help``,
#: ``afb cells``) do not pay for PyBaMM until a model is needed.
_PUBLIC = {
    "ALLOWED_OPTIONS": "options",
    "AnodeFreeDFN": "models",
    "Cell": "cells",
    "CycleSimulator": "study",
    "FitResult": "fitting",
    "MetalCollectorCell": "models",
    "OptionError": "options",
    "Run": "results",
    "RunFileBusy": "errors",
    "RunFileError": "errors",
    "RunFileWriteError": "errors",
    "SymmetricMetalCell": "models",
    "combine": "results",
    "fit": "fitting",
    "get_parameter_values": "parameter_sets",
    "impedance": "spectra",
    "list_parameter_sets": "parameter_sets",
    "load": "store",
    "load_sweep": "sweeps",
    "resume": "study",
    "simulate": "study",
    "sweep": "sweeps",
}
_SUBMODULES = ("data", "design", "parameter_sets", "plotting")


def __getattr__(name: str):
    if name in _PUBLIC:
        module = importlib.import_module(f"{__name__}.{_PUBLIC[name]}")
        value = getattr(module, name)
    elif name in _SUBMODULES or (not name.startswith("_") and importlib.util.find_spec(
            f"{__name__}.{name}") is not None):
        # any submodule, as after its import (afb_models.cells.with_reservoir)
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC) | set(_SUBMODULES))


try:
    __version__ = version("afb")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "ALLOWED_OPTIONS",
    "AnodeFreeDFN",
    "Cell",
    "CycleSimulator",
    "FitResult",
    "MetalCollectorCell",
    "OptionError",
    "Run",
    "RunFileBusy",
    "RunFileError",
    "RunFileWriteError",
    "SymmetricMetalCell",
    "__version__",
    "combine",
    "data",
    "design",
    "fit",
    "get_parameter_values",
    "list_parameter_sets",
    "load",
    "load_sweep",
    "parameter_sets",
    "resume",
    "simulate",
    "sweep",
]
