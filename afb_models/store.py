"""The HDF5 file of a run: written cycle by cycle, read back as xarray.

Layout (netCDF4-compatible, so ``xarray.open_dataset(FILE, group=..., engine="h5netcdf")``
opens every group):

- root attributes: ``status`` ("running"; "completed" or "completed: <termination>"
  when the protocol ended it; "stopped: <reason>" when a failure, an interruption or
  an error did, which ``--resume`` continues),
  ``start_time``, ``end_time``, ``afb_version``, ``pybamm_version``, ``python_version``,
  ``cell``, ``protocol_name``;
- group ``metadata``: attributes ``options`` and ``parameters`` (JSON: every parameter
  value, functions by name), ``protocol`` (the protocol file's text), ``series_points``,
  ``reference_cycle``, ``source`` (how the cell was given, and its fingerprint);
- group ``cycles``: dimension ``cycle`` (one entry per finished cycle), one variable per
  per-cycle quantity, its unit in the ``units`` attribute;
- group ``series``: dimension ``point``, the thinned time series of every cycle with the
  variable ``cycle`` saying which cycle a point belongs to;
- group ``state``: the solver state at the end of the last finished cycle (one variable
  per state variable), from which ``afb run --resume`` continues.

Why a run file never lies (docs/run-files.md):

- **It is never written in place.** Creating it, adding a cycle and recording the end
  each make the next version whole in memory (HDF5's core driver) and write it to a
  private file beside it (``.NAME.<pid>.partial.h5``), which then replaces the file
  in one ``rename``, atomic in POSIX. A run killed at any instant leaves the previous
  version whole (every cycle that finished, with its state; no file at all if it
  was killed while creating it), and a reader that has the file open keeps a
  consistent version. HDF5 never writes to the disk itself, so a full disk or a
  lost permission is a plain failed ``write`` of the private file, never a broken
  HDF5 file or a crash in the HDF5 library.
- **One writer at a time.** A writer holds an exclusive ``flock`` on ``.NAME.lock``
  (:class:`WriteLock`); the kernel drops it when the process dies, so a killed run's
  lock never blocks a resume.
- **Damage is detected before HDF5 reads it.** The file starts with a 512-byte
  user block (HDF5 skips it; xarray and h5py open the file as usual) holding a
  CRC-32 and the length of the rest, sealed when a version is complete;
  :func:`load` checks both before the HDF5 library reads a byte, so a damaged
  file is a one-line :class:`RunFileError`, never wrong numbers or the HDF5
  library looping on a broken structure. Inside, the HDF5 1.10 format checksums the
  metadata, every dataset has the Fletcher-32 filter, and text sits in fixed-length
  strings in the checksummed headers, so a reader that opens the file directly
  (xarray) is warned of most damage too.
"""

from __future__ import annotations

import fcntl
import json
import mmap
import os
import re
import threading
import zlib
from pathlib import Path

import h5netcdf
import h5py
import numpy as np
import xarray as xr

from .errors import RunFileBusy, RunFileError, RunFileWriteError  # noqa: F401  (re-exported)
from .protocols import BLOCK_NAME_BYTES
from .results import (DEFAULT_SERIES_TOLERANCE, INTEGER_NAMES, TEXT_BYTES, TEXT_NAMES, Run, now,
                      split_unit)

#: HDF5 file format: 1.10's (checksummed metadata), readable by HDF5 1.10 and later
LIBVER = ("v110", "v110")


#: the user block at the start of a run file: ``_SEAL`` then the CRC-32 and length
#: of the bytes after the block
_USERBLOCK = 512
_SEAL = b"afb run file\n"
_SEAL_LINE = re.compile(rb"crc32=([0-9a-f]{8}) length=(\d+)\n")
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"

#: chunk lengths of the growing datasets: per-cycle values (~50 variables) and the
#: time series (~20 variables, tens of points per cycle)
_CYCLE_CHUNK = 512
_CHUNK = 1024


# --- one writer ------------------------------------------------------------------------

#: locks this process holds: (path, thread) -> [file descriptor, count]
_HELD: dict[tuple[Path, int], list] = {}


def _lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _partial_paths(path: Path):
    return path.parent.glob(f".{path.name}.*.partial.h5")


class WriteLock:
    """The right to write run file ``path``: an exclusive ``flock`` on
    ``.NAME.lock`` beside it, re-entrant within a process.

    >>> with WriteLock("run.h5"):
    ...     ...                      # write run.h5

    Re-entrant within a thread (the command line holds it, and the library call it
    makes takes it again); another thread or process is refused with
    :class:`RunFileBusy`. A folder that cannot be written raises
    :class:`RunFileWriteError`."""

    def __init__(self, path: str | Path):
        self.path = Path(os.path.abspath(path))
        self._key = (self.path, threading.get_ident())
        self._held = False

    def acquire(self) -> WriteLock:
        if self._held:
            return self
        held = _HELD.get(self._key)
        if held is not None:
            held[1] += 1
            self._held = True
            return self
        lock = _lock_path(self.path)
        while True:
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as e:
                raise RunFileWriteError(
                    e.errno, f"{self.path}: cannot write in {self.path.parent}: "
                    f"{os.strerror(e.errno)}"
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_pid(fd)
                os.close(fd)
                raise RunFileBusy(
                    f"{self.path}: another run{holder} is writing it; wait for it to "
                    "end or stop it"
                ) from None
            # the lock file may have been removed by its last holder between our
            # open and our flock: then the lock we hold is on a file nobody sees
            try:
                same = os.stat(lock).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:  # a full disk: the lock holds without the note
            pass
        _HELD[self._key] = [fd, 1]
        self._held = True
        # copies left by a writer that was killed while it wrote one
        for partial in _partial_paths(self.path):
            _remove(partial)
        return self

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        held = _HELD[self._key]
        held[1] -= 1
        if held[1] > 0:
            return
        del _HELD[self._key]
        _remove(_lock_path(self.path))
        os.close(held[0])

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_pid(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode().strip()
        return f" (process {int(text)})" if text else ""
    except (OSError, ValueError):
        return ""


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        pass


def check_writable(path: str | Path) -> None:
    """Raise :class:`RunFileError` if a run file cannot be written at ``path``: its
    folder missing, the path a folder, the folder not writable."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise RunFileError(f"{path}: is a folder; give a file name, e.g. {path / 'run.h5'}")
    if not folder.is_dir():
        raise RunFileError(f"{path}: no such folder {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RunFileError(f"{path}: the folder {folder} is not writable")


# --- text inside checksummed headers ---------------------------------------------------


def _put_text(attrs, name: str, text: str) -> None:
    """A string attribute of fixed length (stored in the object header, which HDF5
    checksums; a variable-length string would sit in the unchecked global heap)."""
    data = str(text).encode("utf-8")
    attrs.create(name, np.array(data, dtype=h5py.string_dtype("utf-8", max(len(data), 1))))


def _text(value) -> object:
    """An attribute as Python: text decoded, numpy scalars as Python numbers."""
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    return value


# --- writing -----------------------------------------------------------------------------


#: versions a writer makes from its in-memory file before it reads the file from the
#: disk again: what HDF5 caches for an open file (metadata, chunks) then never grows
#: with the number of cycles
_REOPEN_EVERY = 25


def _in_memory(path: Path, *, fresh: bool) -> h5py.File:
    """The run file (a new one if ``fresh``) opened in memory with HDF5's core
    driver: edits never reach the disk. A small chunk cache per dataset (64 KiB:
    its last chunk) spares the compressed series a decompression at every append."""
    if fresh:
        # (variables listed in the order they were made, as netCDF keeps them)
        return h5py.File(path, "w", driver="core", backing_store=False, libver=LIBVER,
                         track_order=True, rdcc_nbytes=65536)
    return h5py.File(path, "r+", driver="core", backing_store=False, libver=LIBVER,
                     locking=False, rdcc_nbytes=65536)


class RunFile:
    """Writes one run's HDF5 file, version by version (see the module's notes).

    Every version is made in memory (HDF5's core driver), sealed with its checksum
    and written with one plain ``write`` to a private file, which is then renamed
    over the run file. HDF5 itself never writes to the disk, so a full disk or a
    lost permission is an ordinary ``OSError`` of that write (raised as
    :class:`RunFileWriteError`), never a half-flushed HDF5 file or a crash of the
    HDF5 library. The caller holds the file's :class:`WriteLock`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._ready: bool | None = None
        # the file in memory, kept open from one version to the next (read from the
        # disk again only after a failed version), and its datasets by path
        self._h5: h5py.File | None = None
        self._datasets: dict[str, h5py.h5d.DatasetID] = {}
        self._versions = 0

    def _memory(self, fresh: bool) -> h5py.File:
        if fresh or self._h5 is None or self._versions >= _REOPEN_EVERY:
            self.close()
            self._h5 = _in_memory(self.path, fresh=fresh)
        self._versions += 1
        return self._h5

    def close(self) -> None:
        """Let go of the file in memory (the file on the disk is always whole)."""
        self._datasets = {}
        self._versions = 0
        if self._h5 is not None:
            self._h5.close()
            self._h5 = None

    def _publish(self, edit, *, fresh: bool = False) -> None:
        """Make the next version: ``edit(h5py_file)`` on the file in memory (a new
        one if ``fresh``), then seal it and rename it into place."""
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial.h5")
        try:
            f = self._memory(fresh)
            edit(f)
            f.flush()
            image = f.id.get_file_image()
            with open(partial, "wb") as out:
                out.write(_seal(image))
                out.write(image)
                out.flush()
                # on the disk before its name is: after a power loss the file is
                # this version or the one before, not a name without its bytes
                os.fsync(out.fileno())
            os.replace(partial, self.path)
        except BaseException as e:
            _remove(partial)
            # the memory may hold an edit the disk does not: start again from the disk
            self.close()
            if isinstance(e, OSError) and not isinstance(e, RunFileWriteError):
                raise RunFileWriteError(
                    e.errno, f"{self.path}: cannot write: {_reason(e)}"
                ) from e
            raise

    def create(self, metadata: dict) -> None:
        """Start a new file with the run's ``metadata``
        (:func:`afb_models.results.run_metadata`), replacing one that exists."""
        self._ready = False
        self._publish(lambda f: _write_new(f, metadata), fresh=True)

    def append(self, result) -> None:
        """Add one finished cycle (a :class:`afb_models.observables.CycleResult`)."""
        self.append_many([result])

    def append_many(self, results) -> None:
        """Add finished cycles, in order, as one new version of the file (a jump of
        the cycle skipper: its extrapolated cycles and the solved one that checked
        them, all or none)."""
        results = list(results)
        if not results:
            return
        if self._ready is None:
            self._ready = _reading(self.path, lambda f: "block" in f["cycles"].variables)
        ready = self._ready

        def edit(f):
            rest = results
            if not ready:
                _append_first(f, results[0])
                rest = results[1:]
            elif not self._datasets:  # the first append to this file in memory
                _add_missing(f, results[0])
            if rest:
                _append_fast(f, rest, self._datasets)

        self._publish(edit)
        self._ready = True

    def finish(self, status: str, measurements: dict | None = None) -> None:
        """Record the run's end: its status and what its protocol measured over the
        run (:func:`afb_models.measurements.measure`)."""

        def edit(f):
            _put_text(f.attrs, "status", status)
            _put_text(f.attrs, "end_time", now())
            for name, value in (measurements or {}).items():
                f.attrs[name] = float(value)

        self._publish(edit)

    def reopen(self, source: str | None = None) -> None:
        """Mark a file whose run continues (``--resume``) as running again;
        ``source``: its new ``source`` metadata, if it changes."""

        def edit(f):
            _put_text(f.attrs, "status", "running")
            _put_text(f.attrs, "end_time", "")
            if source is not None:
                _put_text(f["metadata"].attrs, "source", source)

        self._publish(edit)


def _seal(image: bytes) -> bytes:
    """The user block of a finished version: the checksum and length of ``image``,
    the HDF5 file that follows it."""
    header = _SEAL + f"crc32={zlib.crc32(image):08x} length={len(image)}\n".encode()
    return header.ljust(_USERBLOCK, b"\0")


def _check_seal(path: Path) -> None:
    """Raise :class:`RunFileError` unless the file's bytes are those it was sealed
    with (a file written before run files were sealed starts with HDF5's own
    signature and is let through)."""
    with open(path, "rb") as f:
        head = f.read(_USERBLOCK)
        if head.startswith(_HDF5_SIGNATURE):
            return
        if not head.startswith(_SEAL):
            raise RunFileError(
                f"{path}: not an afb run file, or its first bytes are damaged")
        m = _SEAL_LINE.match(head, len(_SEAL))
        if not m:
            raise RunFileError(f"{path}: damaged: its checksum block cannot be read")
        length = os.fstat(f.fileno()).st_size - _USERBLOCK
        if length != int(m.group(2)):
            raise RunFileError(
                f"{path}: damaged: {length} bytes where {int(m.group(2))} were written "
                "(truncated or appended to)"
            )
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as view:
            crc = zlib.crc32(memoryview(view)[_USERBLOCK:])
    if crc != int(m.group(1), 16):
        raise RunFileError(f"{path}: damaged: its bytes do not match their checksum")


def _reason(e: OSError) -> str:
    if e.errno:
        return os.strerror(e.errno)
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text


_ROOT_KEYS = ("status", "start_time", "end_time", "afb_version", "pybamm_version",
              "python_version", "cell", "protocol_name")


def _write_new(h5: h5py.File, metadata: dict) -> None:
    with h5netcdf.File(h5, "a") as f:
        f.create_group("metadata")
        cycles = f.create_group("cycles")
        cycles.dimensions = {"cycle": None}
        # the coordinate exists from the start: a file with no finished cycle
        # still has its (empty) "cycle"
        cycles.create_variable("cycle", ("cycle",), "i8", chunks=(_CYCLE_CHUNK,))
        f.create_group("series").dimensions = {"point": None}
        f.create_group("state")
    for key in _ROOT_KEYS:
        _put_text(h5.attrs, key, metadata[key])
    meta = h5["metadata"].attrs
    for key in ("protocol", "protocol_path", "source"):
        _put_text(meta, key, metadata[key])
    for key in ("options", "parameters"):
        _put_text(meta, key, json.dumps(metadata[key]))
    meta["series_points"] = int(metadata["series_points"])
    meta["series_tolerance [V]"] = float(metadata["series_tolerance"])
    meta["reference_cycle"] = int(metadata["reference_cycle"])
    _put_text(h5["cycles/cycle"].attrs, "units", "1")
    _put_text(h5["cycles/cycle"].attrs, "long_name", "cycle")


def _append_first(h5: h5py.File, result) -> None:
    """The first cycle: create the variables (dimensions, units) through h5netcdf."""
    row = {"cycle": result.cycle, **result.summary}
    columns = {"cycle": np.full(len(result.series["Time [s]"]), result.cycle),
               **result.series}
    with h5netcdf.File(h5, "a") as f:
        cycles = f["cycles"]
        k = cycles.dimensions["cycle"].size
        cycles.resize_dimension("cycle", k + 1)
        for full_name, value in row.items():
            name = split_unit(full_name)[0]
            if name not in cycles.variables:
                cycles.create_variable(name, ("cycle",), "i8" if name == "cycle" else "f8",
                                       chunks=(_CYCLE_CHUNK,))
            cycles.variables[name][k] = value
        if "block" not in cycles.variables:
            cycles.create_variable("block", ("cycle",), f"S{BLOCK_NAME_BYTES}",
                                   chunks=(_CYCLE_CHUNK,))
        cycles.variables["block"][k] = result.block.encode("utf-8")

        series = f["series"]
        n = series.dimensions["point"].size
        m = len(result.series["Time [s]"])
        series.resize_dimension("point", n + m)
        for full_name, values in columns.items():
            name = split_unit(full_name)[0]
            if name not in series.variables:
                dtype = _series_dtype(name)
                # compressed (deflate 1, shuffled): the series is most of a long
                # run's file, which every cycle writes out whole; 2.6 times smaller
                # for ~1 ms per cycle (the last chunk of each variable compressed)
                series.create_variable(name, ("point",), dtype, chunks=(_CHUNK,),
                                       compression="gzip", compression_opts=1,
                                       shuffle=True)
            series.variables[name][n : n + m] = _stored(name, values)

        state = f["state"]
        for name, values in result.state.items():
            values = np.asarray(values, dtype=float).ravel()
            if name not in state.variables:
                dim = f"n_{len(state.dimensions)}"
                state.dimensions[dim] = values.size
                state.create_variable(name, (dim,), "f8", chunks=(max(values.size, 1),),
                                      fletcher32=True)
            state.variables[name][:] = values
    for group, names in (("cycles", row), ("series", columns)):
        for full_name in names:
            _label(h5[group], full_name)
    _put_text(h5["cycles/block"].attrs, "_Encoding", "utf-8")
    _put_text(h5["cycles/block"].attrs, "long_name", "protocol block")
    for name, values in result.state.items():
        _put_text(h5["state"][name].attrs, "shape", json.dumps(list(np.shape(values))))
    h5["state"].attrs["cycle"] = int(result.cycle)
    h5["state"].attrs["time [s]"] = float(result.summary["Time [s]"])


def _series_dtype(name: str) -> str:
    """How a variable is stored: integers, text as UTF-8 bytes, or doubles."""
    return "i8" if name in INTEGER_NAMES else f"S{TEXT_BYTES}" if name in TEXT_NAMES else "f8"


def _label(group, full_name: str) -> None:
    """A variable's attributes: its units (text: its encoding, which xarray decodes)
    and its full name."""
    name, unit = split_unit(full_name)
    if name in TEXT_NAMES:
        _put_text(group[name].attrs, "_Encoding", "utf-8")
    else:
        _put_text(group[name].attrs, "units", unit)
    _put_text(group[name].attrs, "long_name", full_name)


def _add_missing(h5: h5py.File, result) -> None:
    """The variables a file made by an earlier afb lacks (the series' step kind and
    step capacity, a new summary quantity), made for its resumed run: the cycles and
    points before it hold NaN (0 for a number, "" for text), since nothing measured
    them."""
    wanted = {"cycles": list(result.summary), "series": list(result.series)}
    missing = {group: [n for n in names if split_unit(n)[0] not in h5[group]]
               for group, names in wanted.items()}
    # a state the model has now and the run's earlier version did not
    new_states = [name for name in result.state if name not in h5["state"]]
    if not any(missing.values()) and not new_states:
        return
    with h5netcdf.File(h5, "a") as f:
        state = f["state"]
        for name in new_states:
            values = np.asarray(result.state[name], dtype=float).ravel()
            dim = f"n_{len(state.dimensions)}"
            state.dimensions[dim] = values.size
            state.create_variable(name, (dim,), "f8", chunks=(max(values.size, 1),),
                                  fletcher32=True)
        for group, dim, chunk in (("cycles", "cycle", _CYCLE_CHUNK),
                                  ("series", "point", _CHUNK)):
            size = f[group].dimensions[dim].size
            for full_name in missing[group]:
                name = split_unit(full_name)[0]
                dtype = _series_dtype(name)
                extra = ({"compression": "gzip", "compression_opts": 1, "shuffle": True}
                         if group == "series" else {})
                variable = f[group].create_variable(name, (dim,), dtype,
                                                    chunks=(chunk,), **extra)
                if size:
                    variable[:] = (np.zeros(size, dtype="i8") if dtype == "i8" else
                                   np.full(size, b"", dtype=dtype) if name in TEXT_NAMES
                                   else np.full(size, np.nan))
    for group, names in missing.items():
        for full_name in names:
            _label(h5[group], full_name)
    for name in new_states:
        _put_text(h5["state"][name].attrs, "shape",
                  json.dumps(list(np.shape(result.state[name]))))


def _append_fast(f: h5py.File, results, datasets: dict) -> None:
    """Later cycles (``results``, in order) only grow and fill the variables, through
    h5py's low-level calls (~20 times cheaper than re-reading the netCDF structure;
    the high-level ones cost ~0.1 ms each in object and selection building, ~60
    times per cycle), on datasets and attributes opened once (``datasets``: by the
    summary's or series' own name, or by path); each variable is written once for
    all of them, and the state is the last one's."""

    def dataset(key, path):
        found = datasets.get(key)
        if found is None:
            opened = h5py.h5d.open(f.id, path.encode())
            found = datasets[key] = (opened, opened.dtype)
        return found

    def column(group, full_name):
        return dataset((group, full_name), f"{group}/{split_unit(full_name)[0]}")

    last = results[-1]
    k = _extend(dataset("cycle", "cycles/cycle"), [r.cycle for r in results], None)
    for full_name in last.summary:
        _extend(column("cycles", full_name), [r.summary[full_name] for r in results], k)
    _extend(dataset("block", "cycles/block"),
            [r.block.encode("utf-8")[:BLOCK_NAME_BYTES] for r in results], k)
    sizes = [len(r.series["Time [s]"]) for r in results]
    m = sum(sizes)
    if m:
        n = _extend(dataset("point cycle", "series/cycle"),
                    np.repeat([r.cycle for r in results], sizes), None)
        dataset("point", "series/point")[0].set_extent((n + m,))
        for full_name in last.series:
            values = (last.series[full_name] if len(results) == 1 else
                      np.concatenate([r.series[full_name] for r in results]))
            _extend(column("series", full_name), _stored(split_unit(full_name)[0], values), n)
    for name, values in last.state.items():
        values = np.ascontiguousarray(values, dtype=float).ravel()
        dataset(("state", name), f"state/{name}")[0].write(h5py.h5s.ALL, h5py.h5s.ALL, values)
    for name, value in (("cycle", np.int64(last.cycle)),
                        ("time [s]", np.float64(last.summary["Time [s]"]))):
        attribute = datasets.get(("attribute", name))
        if attribute is None:
            attribute = datasets[("attribute", name)] = h5py.h5a.open(
                f["state"].id, name.encode())
        attribute.write(np.asarray(value, dtype=attribute.dtype))


def _stored(name: str, values) -> np.ndarray:
    """A series column as the file holds it: text as UTF-8 bytes."""
    if name in TEXT_NAMES:
        return np.array([str(v).encode("utf-8")[:TEXT_BYTES] for v in values],
                        dtype=f"S{TEXT_BYTES}")
    return values


#: memory spaces by size (they belong to no file): each h5py object made costs a few
#: microseconds (its registry), and a cycle makes ~45 writes
_MEMORY_SPACES: dict = {}


def _extend(dataset, values, start: int | None) -> int:
    """Write ``values`` (a number or a 1-D array) into the 1-D dataset ``dataset``
    (``(h5py.h5d.DatasetID, numpy dtype)``) from index ``start`` (default: its end),
    growing it; returns ``start``."""
    dataset, dtype = dataset
    if start is None:
        start = dataset.shape[0]
    values = np.ascontiguousarray(np.atleast_1d(values), dtype=dtype)
    size = values.size
    dataset.set_extent((start + size,))
    file_space = dataset.get_space()
    file_space.select_hyperslab((start,), (size,))
    memory = _MEMORY_SPACES.get(size)
    if memory is None:
        memory = h5py.h5s.create_simple((size,))
        if size <= 4096:
            _MEMORY_SPACES[size] = memory
    dataset.write(memory, file_space, values)
    return start


# --- reading -----------------------------------------------------------------------------

#: what reading a damaged file raises, from HDF5, h5netcdf, JSON or our own checks
_DAMAGE = (OSError, KeyError, ValueError, TypeError, IndexError, RuntimeError,
           AttributeError)


def _open_for_reading(path: Path) -> h5netcdf.File:
    """Open without the file lock (a run file is never written in place, so there
    is nothing to wait for), unless this process holds the file open already (HDF5
    refuses two opens with different locking in one process)."""
    try:
        return h5netcdf.File(path, "r", locking=False)
    except OSError as e:
        if "locking flag" not in str(e):
            raise
        return h5netcdf.File(path, "r")


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0]}" if text else type(e).__name__


def _reading(path: str | Path, read):
    """``read(file)`` on run file ``path``; any sign of damage is a one-line
    :class:`RunFileError`."""
    path = Path(path)
    if not path.is_file():
        raise RunFileError(f"{path}: no such run file")
    try:
        _check_seal(path)
        with _open_for_reading(path) as f:
            if "cycles" not in f.groups or "metadata" not in f.groups:
                raise RunFileError(f"{path}: not an afb run file")
            return read(f)
    except RunFileError:
        raise
    except _DAMAGE as e:
        raise RunFileError(
            f"{path}: cannot read the run file: damaged or not an afb run file "
            f"({_short(e)})"
        ) from None


def _dataset(group) -> xr.Dataset:
    """An xarray Dataset of one netCDF group, read into memory (which checks every
    chunk's checksum)."""
    data_vars, coords = {}, {}
    for name, var in group.variables.items():
        # through h5py: h5netcdf's own read works out the size of every unlimited
        # dimension (by looking at every variable) at each call, ~80 % of a load's
        # time; afb writes every variable of a version to its dimension's full
        # length, so there is no padding to add
        h5 = getattr(var, "_h5ds", None)
        values = h5[()] if h5 is not None else var[...]
        if values.dtype.kind in "OS":
            values = np.array([_text(v) for v in values.ravel()], dtype=str).reshape(
                values.shape)
        attrs = {k: _text(v) for k, v in var.attrs.items() if not k.startswith("_")}
        (coords if name in group.dimensions else data_vars)[name] = (
            var.dimensions, values, attrs,
        )
    for dim in group.dimensions:
        if dim not in coords and dim == "cycle":  # a file from before the coordinate
            coords[dim] = (dim, np.zeros(0, dtype="i8"), {"units": "1", "long_name": dim})
    return xr.Dataset(data_vars, coords=coords,
                      attrs={k: _text(v) for k, v in group.attrs.items()})


def _read_run(f) -> tuple:
    cycles = _dataset(f["cycles"])
    series = _dataset(f["series"])
    metadata = {k: _text(v) for k, v in f.attrs.items() if not k.startswith("_")}
    meta = {k: _text(v) for k, v in f["metadata"].attrs.items()}
    metadata["options"] = json.loads(meta["options"])
    metadata["parameters"] = json.loads(meta["parameters"])
    metadata["protocol"] = meta["protocol"]
    metadata["protocol_path"] = meta["protocol_path"]
    metadata["series_points"] = int(meta["series_points"])
    # (a file from before the thinning by voltage: its resumed cycles use the default)
    metadata["series_tolerance"] = float(meta.get("series_tolerance [V]",
                                                  DEFAULT_SERIES_TOLERANCE))
    metadata["reference_cycle"] = int(meta.get("reference_cycle", 1))
    metadata["source"] = meta.get("source", "{}")
    json.loads(metadata["source"])
    numbers = cycles["cycle"].values
    if not np.array_equal(numbers, np.arange(1, numbers.size + 1)):
        raise ValueError("its cycles are not numbered 1, 2, ...")
    return cycles, series, metadata


def load(path: str | Path) -> Run:
    """Read a run's file: per-cycle summary, time series and metadata.

    A run file is replaced whole by every cycle, never written in place, so this can
    be called while the run is still writing it, and sees every cycle that has
    finished (``xarray.open_dataset(FILE, group="cycles", engine="h5netcdf")`` works
    too). A file that is missing, damaged or not a run file raises
    :class:`RunFileError`.

    >>> run = afb_models.load("run.h5")
    >>> run.cycles["Discharge capacity"].plot()
    """
    cycles, series, metadata = _reading(path, _read_run)
    return Run(cycles, series, metadata, metadata["status"], Path(path))


def read_state(path: str | Path) -> tuple[int, float, dict[str, np.ndarray]]:
    """(last finished cycle, its end time [s], solver state by variable name)."""

    def read(f):
        state = f["state"]
        n_cycles = f["cycles"].dimensions["cycle"].size
        if "cycle" not in state.attrs:
            if n_cycles:
                raise ValueError("it has cycles but no state to continue from")
            return 0, 0.0, {}
        cycle = int(state.attrs["cycle"])
        if cycle != n_cycles:
            raise ValueError(f"its state is of cycle {cycle}, its last cycle {n_cycles}")
        values = {
            name: np.asarray(var[:]).reshape(json.loads(_text(var.attrs["shape"])))
            for name, var in state.variables.items()
        }
        return cycle, float(state.attrs["time [s]"]), values

    return _reading(path, read)
