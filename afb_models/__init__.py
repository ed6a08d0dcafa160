"""afb: DFN models of anode-free lithium and sodium metal batteries, built on PyBaMM."""

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

from . import data, design, parameter_sets  # noqa: E402
from .cells import Cell  # noqa: E402
from .fitting import FitResult, fit  # noqa: E402
from .models import AnodeFreeDFN, MetalCollectorCell, SymmetricMetalCell  # noqa: E402
from .options import ALLOWED_OPTIONS, OptionError  # noqa: E402
from .parameter_sets import get_parameter_values, list_parameter_sets  # noqa: E402
from .results import Run, combine  # noqa: E402
from .store import RunFileBusy, RunFileError, RunFileWriteError, load  # noqa: E402
from .study import CycleSimulator, resume, simulate  # noqa: E402
from .sweeps import load_sweep, sweep  # noqa: E402

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
