"""The errors afb raises for what a user gave it, in one light module.

Each names the file (or flag) and key at fault in one line; the command line prints
that line and exits with status 2 (or 1 for :class:`RunFileWriteError`). They live
here, apart from the modules that raise them, so that the command line can catch
them without importing PyBaMM (``afb --help`` and ``afb cells`` start fast); each
module re-exports its own (``afb_models.cells.CellError`` is this ``CellError``).
"""

from __future__ import annotations


class CellError(ValueError):
    """A cell that cannot be read; the message names the file (or --set) and key."""


class ProtocolError(ValueError):
    """A protocol file that cannot be read; the message starts with ``file:line:``."""


class OptionError(ValueError):
    """An option that does not exist, or a value it does not take
    (re-exported by :mod:`afb_models.options`)."""


class DataError(ValueError):
    """Cycler data that cannot be read: the message names the file and the column."""


class FitError(ValueError):
    """A fit that cannot be set up: one line naming the parameter, target or key."""


class SweepError(ValueError):
    """A study that cannot run: one line naming the study file (or argument) and key."""


class BenchError(ValueError):
    """A case or reference that cannot be read; the message names the file and key."""


class RunFileError(ValueError):
    """A run file that cannot be used: missing, damaged, not a run file, or being
    written by another run. The message names the file."""


class RunFileBusy(RunFileError):
    """A run file another run is writing."""


class RunFileWriteError(OSError):
    """The run file could not be written (disk full, permission lost, ...); the
    file keeps its last whole version."""


class RunEndedError(ValueError):
    """A run file whose run has ended: nothing to resume."""


class DesignError(CellError):
    """A stack design that cannot be worked out (``afb design``); one line naming the
    file (or flag) and key. A :class:`CellError`, as the cell is what it describes."""


class CellChangedError(CellError):
    """The parameter set or cell file of a run changed after the run started."""


class RunEndedOutput(Exception):
    """Raised by an ``on_cycle`` sink whose output was closed (a command line
    piped into ``head``): the run stops there, its file resumable."""


#: what the command line reports as bad input (one line, exit status 2)
BAD_INPUT_ERRORS = (CellError, ProtocolError, OptionError, DataError, FitError,
                    SweepError, BenchError, RunFileError, RunEndedError,
                    FileExistsError)
