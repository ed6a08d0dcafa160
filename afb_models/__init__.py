"""afb: DFN models of anode-free lithium and sodium metal batteries, built on PyBaMM."""

from importlib.metadata import PackageNotFoundError, version

from . import design, parameter_sets
from .models import AnodeFreeDFN, MetalCollectorCell, SymmetricMetalCell
from .options import ALLOWED_OPTIONS, OptionError
from .parameter_sets import get_parameter_values, list_parameter_sets
from .store import load

try:
    __version__ = version("afb")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "ALLOWED_OPTIONS",
    "design",
    "AnodeFreeDFN",
    "MetalCollectorCell",
    "SymmetricMetalCell",
    "OptionError",
    "__version__",
    "get_parameter_values",
    "list_parameter_sets",
    "load",
    "parameter_sets",
]
