"""Cycler data in: a cell's measured cycling as afb's per-cycle summaries and a time
series, and the protocol it saw, reconstructed from the data.

>>> from afb_models.data import read_cycling, reconstruct_protocol
>>> data = read_cycling("cell07.csv")            # BDF CSV, a cycler export, a run file
>>> data.cycles["Coulombic efficiency"]          # one value per cycle, as a Run has
>>> protocol = reconstruct_protocol(data, "AFB_Li_NMC532_Cu")

What it reads:

- **CSV in Battery Data Format columns** ("Test Time / s", "Current / A", "Voltage /
  V", "Cycle Count / 1", "Step Count / 1", "Step Index / 1", "Ambient Temperature /
  degC"; https://github.com/battery-data-alliance/battery-data-format), and the usual
  column names of Neware ("Total Time", "Current(mA)", "Voltage(V)", "Cycle ID", "Step
  ID"), Arbin ("Test_Time(s)", "Current(A)", "Voltage(V)", "Cycle_Index",
  "Step_Index"), Maccor ("Test Time", "Amps", "Volts", "Cycle P", "Step", "MD") and
  BioLogic ("time/s", "<I>/mA", "Ewe/V", "cycle number", "Ns", "ox/red"; the
  EC-Lab text export with its header block too). Names are matched without regard to
  case, spaces, underscores and brackets; units are read from the header ("/ mA",
  "(mA)", "[mA]") and converted (A, mA, uA; V, mV; s, min, h, "hh:mm:ss" times;
  degC, K). The vendor tables follow the BDF vendor schemas
  (``schema/vendors/*.json``, Apache-2.0) and batterydf's normalisers (a small
  table here rather than a dependency: batterydf 0.1 drops the cycle column and reads
  no Arbin or Maccor file, cellpy needs Python 3.13). A column
  with no unit is taken in the BDF unit (A, V, s) and the choice is recorded in
  :attr:`CyclingData.source`.
- **afb run files** (``afb run --out``): the run's own per-cycle values (with its
  metal losses by mechanism, which no cycler measures) and series, so that a model
  run serves as synthetic data.

The sign of the current: cyclers and BDF count a charge positive; afb (as PyBaMM)
counts a discharge positive, and that is what :class:`CyclingData` holds. The
convention of a file is checked against its voltage (a charge raises it): a file
whose current is the other way round is read the other way round (and
``source["current sign"]`` says so); one whose steps disagree, or whose current never
changes sign and has no mode column (Maccor "MD", Neware "Status", BioLogic
"ox/red"), is an error unless ``current_sign`` is given.

Per-cycle values are computed as afb computes a model's
(:func:`afb_models.observables.charge_summary`): each step's charge (the current
integrated over time, trapezoidal within a step) and energy; a step is a charge or a
discharge by its net charge; the steps that plate the collector (a charge in an
anode-free cell, a discharge in a metal||collector cell) give the plated charge,
the others the stripped charge; CE is stripped over plated.

Every error is a :class:`DataError`, one line naming the file and the column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr

from .errors import DataError  # noqa: F401  (re-exported)
from .observables import STEP, StepTotals, charge_summary
from .results import Run, RunTable

#: the metal||collector and symmetric cells plate their collector on a discharge
PLATING_SIGN = {"anode-free": -1, "metal||collector": +1, "symmetric": +1}

#: a point is at rest when its current is below this fraction of the file's largest
_REST_FRACTION = 1e-3


@dataclass
class CyclingData:
    """A cell's cycling: per-cycle summaries and the time series.

    ``cycles`` has dimension ``cycle`` (numbered from 1 in the order the data has
    them; the file's own numbers in ``data_cycle``) and the names of a
    :class:`~afb_models.results.Run`'s cycles ("Discharge capacity", "Coulombic
    efficiency", ..., units in the ``units`` attribute). ``series`` has dimension
    ``point``: "Time" [s], "Current" [A] (positive: discharge), "Voltage" [V],
    "Discharge capacity" [A.h] (the charge passed since the start, PyBaMM's sign),
    "cycle", "Step" (the step's number within its cycle, from 1) and, where the data
    has it, "Ambient temperature" [K]. ``source``: where it came from (path,
    SHA-256, format, the columns used and their units, the current's sign).
    """

    cycles: xr.Dataset
    series: xr.Dataset
    source: dict = field(default_factory=dict)
    configuration: str = "anode-free"
    #: the run, when the data is an afb run file
    run: Run | None = None

    @property
    def n_cycles(self) -> int:
        return int(self.cycles.sizes.get("cycle", 0))

    def select(self, cycles) -> CyclingData:
        """The data of these cycles only (numbers from 1, an iterable)."""
        wanted = sorted({int(c) for c in cycles})
        missing = [c for c in wanted if c not in self.cycles["cycle"].values]
        if missing:
            raise DataError(
                f"{self.source.get('path', 'data')}: cycles {missing[:5]} are not in "
                f"the data (it has 1 to {self.n_cycles})"
            )
        keep = np.isin(self.series["cycle"].values, wanted)
        return CyclingData(self.cycles.sel(cycle=wanted), self.series.isel(point=keep),
                           dict(self.source), self.configuration, self.run)


def read_cycling(
    path,
    *,
    configuration: str | None = None,
    current_sign: str | None = None,
) -> CyclingData:
    """Read a cell's cycling from a CSV file (BDF or a cycler's export) or an afb run
    file.

    Parameters
    ----------
    path
        The file. ``.h5``/``.nc`` files are read as afb run files, the rest as CSV
        (comma, semicolon or tab separated; decimal commas where the separator is
        not a comma).
    configuration : {"anode-free", "metal||collector", "symmetric"}, optional
        Which steps plate the collector (default: the run's own for a run file,
        else "anode-free").
    current_sign : {"charge positive", "discharge positive"}, optional
        The file's sign convention, when it cannot be told from the voltage.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    if configuration is not None and configuration not in PLATING_SIGN:
        raise DataError(
            f"configuration: one of {sorted(PLATING_SIGN)}, not {configuration!r}"
        )
    if current_sign not in (None, "charge positive", "discharge positive"):
        raise DataError(
            f"current_sign: 'charge positive' or 'discharge positive', not {current_sign!r}"
        )
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"\x89HDF") or head.startswith(b"afb run") or path.suffix in (
            ".h5", ".nc", ".hdf5"):
        return _read_run_file(path, configuration)
    return _read_csv(path, configuration or "anode-free", current_sign)


# --- afb run files ----------------------------------------------------------------------


def _read_run_file(path: Path, configuration: str | None) -> CyclingData:
    import json

    from .store import RunFileError, load

    try:
        run = load(path)
    except (RunFileError, OSError) as e:
        raise DataError(f"{path}: not a readable afb run file: {e}") from None
    source = json.loads(run.metadata.get("source") or "{}")
    configuration = configuration or source.get("configuration", "anode-free")
    series = run.series
    if "cycle" not in series or series.sizes.get("point", 0) == 0:
        raise DataError(f"{path}: the run has no finished cycle")
    cycles = run.cycles.assign_coords(data_cycle=("cycle", run.cycles["cycle"].values))
    return CyclingData(
        cycles=cycles,
        series=series,
        source={"path": str(path), "sha256": _sha256(path), "format": "afb run file",
                "cell": run.metadata.get("cell"), "protocol": run.metadata.get(
                    "protocol_name"), "current sign": "discharge positive"},
        configuration=configuration,
        run=run,
    )


# --- CSV ----------------------------------------------------------------------------------

#: canonical quantity -> normalised column names (lower case, no spaces, underscores
#: or brackets), most specific first. Sources: the BDF vendor schemas (Neware,
#: BioLogic, ...) and batterydf's Arbin and Maccor normalisers.
_ALIASES = {
    "time": ("testtime", "totaltime", "elapsedtime", "runtime", "time"),
    "current": ("current", "i", "amps", "amp"),
    "voltage": ("voltage", "ecell", "ewe", "volts", "potential", "cellvoltage"),
    "cycle": ("cyclecount", "cycleindex", "cycleid", "cyclenumber", "cyclep", "cyc#",
              "cycle"),
    "step": ("stepcount", "stepid", "stepindex", "step", "ns", "stepnumber"),
    "ambient temperature": ("ambienttemperature", "chambertemperature"),
    "mode": ("md", "status", "steptype", "mode", "ox/red", "state"),
}

#: names that carry their unit (Maccor's "Amps", "Volts")
_IMPLIED_UNITS = {"amps": "a", "amp": "a", "volts": "v"}

_UNITS = {
    "time": {"s": 1.0, "sec": 1.0, "second": 1.0, "seconds": 1.0, "ms": 1e-3,
             "min": 60.0, "h": 3600.0, "hr": 3600.0, "hours": 3600.0},
    "current": {"a": 1.0, "ma": 1e-3, "ua": 1e-6, "µa": 1e-6, "μa": 1e-6, "na": 1e-9},
    "voltage": {"v": 1.0, "mv": 1e-3},
    "ambient temperature": {"degc": "C", "°c": "C", "c": "C", "oc": "C", "k": "K"},
}

#: the unit a quantity is taken in when its column names none (BDF's)
_BDF_UNITS = {"time": "s", "current": "a", "voltage": "v", "ambient temperature": "degc"}

#: BDF's names, for the messages
_BDF_NAMES = {
    "time": "Test Time / s", "current": "Current / A", "voltage": "Voltage / V",
    "cycle": "Cycle Count / 1", "step": "Step Count / 1",
    "ambient temperature": "Ambient Temperature / degC", "mode": "Step Type",
}

_HEADER_UNIT = (
    re.compile(r"^(?P<name>.*?)\s*/\s*(?P<unit>[^/]+?)\s*$"),
    re.compile(r"^(?P<name>.*?)\s*[\(\[]\s*(?P<unit>[^\)\]]*?)\s*[\)\]]\s*$"),
)


def _normalise(name: str) -> str:
    return re.sub(r"[\s_<>\-\.]+", "", name.strip().lower())


def _split_header(header: str) -> tuple[str, str | None]:
    """("current", "ma") from "Current(mA)", "<I>/mA", "Current / A"; the unit is
    None where the header names none."""
    text = header.strip()
    if _normalise(text) == "ox/red":
        return "ox/red", None
    for pattern in _HEADER_UNIT:
        m = pattern.match(text)
        if m and m.group("name").strip():
            unit = m.group("unit").strip().lower().replace(" ", "")
            return _normalise(m.group("name")), unit or None
    return _normalise(text), None


def _match_columns(path: Path, headers: list[str]) -> dict[str, tuple[str, str | None]]:
    """canonical quantity -> (the file's column, its unit or None)."""
    parsed = [(h, *_split_header(h)) for h in headers]
    found = {}
    for quantity, aliases in _ALIASES.items():
        for alias in aliases:
            hits = [(h, unit) for h, name, unit in parsed if name == alias]
            # (a bare "Time" comes last: in Neware's exports it is the step time,
            # and then "Total Time" is the test's)
            if hits:
                found[quantity] = hits[0]
                break
    for quantity in ("time", "current", "voltage"):
        if quantity not in found:
            raise DataError(
                f"{path}: column '{_BDF_NAMES[quantity]}': missing (the file has "
                f"{', '.join(repr(h) for h in headers[:12])}"
                f"{' ...' if len(headers) > 12 else ''})"
            )
    return found


def _sniff(path: Path, text: str) -> tuple[str, str, int]:
    """(separator, decimal mark, lines to skip) of a CSV text."""
    skip = 0
    first = text.split("\n", 1)[0]
    if first.startswith("EC-Lab ASCII FILE"):
        m = re.search(r"Nb header lines\s*:\s*(\d+)", text[:2000])
        if not m:
            raise DataError(f"{path}: an EC-Lab export without 'Nb header lines'")
        skip = int(m.group(1)) - 1
    lines = text.split("\n")[skip: skip + 20]
    sample = "\n".join(lines)
    try:
        separator = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        separator = "\t" if "\t" in lines[0] else ";" if ";" in lines[0] else ","
    decimal = "."
    if separator != "," and re.search(r"\d,\d", "\n".join(lines[1:])):
        decimal = ","
    return separator, decimal, skip


def _numbers(path: Path, frame, column: str, quantity: str, unit: str | None,
             first_line: int) -> tuple[np.ndarray, str]:
    """A column as floats in SI units (time [s], current [A], voltage [V],
    temperature [K]), and the unit it was read in."""
    import pandas as pd

    series = frame[column]
    where = f"{path}: column '{column}'"
    if quantity in _IMPLIED_UNITS and unit is None:
        unit = _IMPLIED_UNITS[quantity]
    name = _split_header(column)[0]
    if unit is None and name in _IMPLIED_UNITS:
        unit = _IMPLIED_UNITS[name]
    assumed = unit is None
    unit = _BDF_UNITS[quantity] if unit is None else unit
    table = _UNITS[quantity]
    if unit not in table:
        raise DataError(
            f"{where}: unit '{unit}' cannot be converted; use one of "
            f"{', '.join(sorted(table))}"
        )
    if series.dtype.kind in "iuf":
        values = series.to_numpy(dtype=float)
    else:
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        if quantity == "time" and np.isnan(values).any():
            # "hh:mm:ss(.f)", "1 days 02:03:04", "1-02:03:04"
            text = series.astype(str).str.strip().str.replace(
                r"^(\d+)-(\d+:)", r"\1 days \2", regex=True)
            try:
                values = pd.to_timedelta(text).dt.total_seconds().to_numpy(dtype=float)
                unit, table = "s", {"s": 1.0}
            except (ValueError, TypeError):
                pass
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        row = int(bad[0])
        raise DataError(
            f"{where}: line {first_line + row}: {series.iloc[row]!r} is not a number"
        )
    if quantity == "ambient temperature":
        values = values + 273.15 if table[unit] == "C" else values
        if (values <= 0).any():
            raise DataError(f"{where}: a temperature at or below absolute zero")
    else:
        values = values * table[unit]
    return values, ("(none: taken as BDF's)" if assumed else unit)


def _modes(path: Path, frame, column: str) -> np.ndarray:
    """+1 charge, -1 discharge, 0 rest or unknown, from a mode column ("C", "D",
    "R"; "CC_Chg", "CC_DChg", "Rest"; BioLogic's ox/red 1/0)."""
    text = frame[column].astype(str).str.strip().str.lower()
    out = np.zeros(len(text))
    if _normalise(column) in ("ox/red",):
        return np.where(text.isin(["1", "1.0"]), 1.0, -1.0)
    discharge = text.str.contains(r"dchg|dis|^d$|^d[^a-z]", regex=True)
    charge = ~discharge & text.str.contains(r"chg|charge|^c$|^c[^a-z]", regex=True)
    out[discharge.to_numpy()] = -1
    out[charge.to_numpy()] = 1
    return out


def _read_csv(path: Path, configuration: str, current_sign: str | None) -> CyclingData:
    import pandas as pd

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # EC-Lab and Maccor exports
    if not text.strip():
        raise DataError(f"{path}: empty file")
    separator, decimal, skip = _sniff(path, text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, decimal=decimal,
                            skiprows=skip, skipinitialspace=True,
                            keep_default_na=False)  # "n/a" is reported, not read as NaN
    except (pd.errors.ParserError, ValueError) as e:
        raise DataError(f"{path}: not a CSV table: {str(e).splitlines()[0]}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame) < 2:
        raise DataError(f"{path}: fewer than two data rows")
    columns = _match_columns(path, list(frame.columns))
    first_line = skip + 2  # the header's line, then the data
    used, values = {}, {}
    for quantity in ("time", "current", "voltage", "ambient temperature"):
        if quantity in columns:
            column, unit = columns[quantity]
            values[quantity], read_as = _numbers(path, frame, column, quantity, unit,
                                                 first_line)
            used[quantity] = {"column": column, "unit": read_as}
    t, current, voltage = values["time"], values["current"], values["voltage"]
    if np.any(np.diff(t) < 0):
        row = int(np.flatnonzero(np.diff(t) < 0)[0]) + 1
        raise DataError(
            f"{path}: column '{columns['time'][0]}': line {first_line + row}: time goes "
            "backwards (is it the step time? BDF's 'Test Time / s' is the test's)"
        )
    labels = {}
    for quantity in ("cycle", "step"):
        if quantity in columns:
            column = columns[quantity][0]
            numeric = pd.to_numeric(frame[column], errors="coerce")
            if numeric.isna().any():
                row = int(np.flatnonzero(numeric.isna().to_numpy())[0])
                raise DataError(
                    f"{path}: column '{column}': line {first_line + row}: "
                    f"{frame[column].iloc[row]!r} is not a number"
                )
            labels[quantity] = numeric.to_numpy()
            used[quantity] = {"column": column}
    mode = None
    if "mode" in columns:
        mode = _modes(path, frame, columns["mode"][0])
        used["mode"] = {"column": columns["mode"][0]}

    # the sign: charge positive in the file (BDF, every vendor), discharge
    # positive here
    current, sign_note = _to_discharge_positive(
        path, columns["current"][0], t, current, voltage, mode, current_sign,
        labels.get("step"), labels.get("cycle"))
    scale = np.max(np.abs(current))
    if scale == 0:
        raise DataError(f"{path}: column '{columns['current'][0]}': the current is zero "
                        "throughout")
    segment = _segments(current, scale, labels.get("cycle"), labels.get("step"))
    cycle = _cycle_numbers(current, scale, segment, labels.get("cycle"),
                           PLATING_SIGN[configuration])
    source = {"path": str(path), "sha256": _sha256(path), "format": "CSV",
              "columns": used, "current sign": sign_note,
              "cycles from": "column" if "cycle" in labels else "the current's direction"}
    return _assemble(t, current, voltage, values.get("ambient temperature"), segment,
                     cycle, configuration, source, labels.get("cycle"))


def _to_discharge_positive(path, column, t, current, voltage, mode, current_sign,
                           steps, cycles):
    """The current with a discharge positive, and how the file's sign was told."""
    if current_sign == "charge positive":
        return -current, "charge positive (given)"
    if current_sign == "discharge positive":
        return current, "discharge positive (given)"
    scale = np.max(np.abs(current))
    moving = np.abs(current) > _REST_FRACTION * scale
    if not (current[moving] > 0).any() or not (current[moving] < 0).any():
        if mode is not None and (mode != 0).any():
            # an unsigned current and a mode column (Maccor's "MD")
            return -np.abs(current) * mode, "unsigned, from the mode column"
        raise DataError(
            f"{path}: column '{column}': the current never changes sign and the file "
            "has no mode column (MD, Status, Step Type); cannot tell a charge from a "
            "discharge: give current_sign"
        )
    # a charge raises the voltage: over each run of points with one direction, the
    # voltage change against the current's sign
    direction = np.sign(current) * moving
    change = np.flatnonzero(np.diff(direction) != 0) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(current)]])
    agree = disagree = 0.0
    for a, b in zip(starts, ends):
        if direction[a] == 0 or b - a < 2:
            continue
        dv = voltage[b - 1] - voltage[a]
        weight = abs(t[b - 1] - t[a])
        if abs(dv) < 1e-3:
            continue
        if np.sign(dv) == direction[a]:
            agree += weight
        else:
            disagree += weight
    total = agree + disagree
    if total == 0:
        raise DataError(
            f"{path}: column '{column}': no step changes the voltage by 1 mV; cannot "
            "tell a charge from a discharge: give current_sign"
        )
    if agree >= 0.8 * total:
        return -current, "charge positive (checked against the voltage)"
    if disagree >= 0.8 * total:
        return current, "discharge positive (told from the voltage)"
    raise DataError(
        f"{path}: column '{column}': cannot tell the sign convention (a positive "
        f"current raised the voltage for {100 * agree / total:.0f} % of the time); "
        "give current_sign"
    )


def _direction(current: np.ndarray, scale: float) -> np.ndarray:
    """+1 discharge, -1 charge, 0 rest."""
    return np.sign(current) * (np.abs(current) > _REST_FRACTION * scale)


def _segments(current, scale, cycles, steps) -> np.ndarray:
    """A step number for every point, counting from 0 over the file: a new step
    where the file's step or cycle label changes, or (without a step column) where
    the current changes direction or jumps by more than 10 % of the largest."""
    new = np.zeros(len(current), dtype=bool)
    if steps is not None:
        new[1:] |= steps[1:] != steps[:-1]
    else:
        direction = _direction(current, scale)
        new[1:] |= direction[1:] != direction[:-1]
        new[1:] |= np.abs(np.diff(current)) > 0.1 * scale
    if cycles is not None:
        new[1:] |= cycles[1:] != cycles[:-1]
    return np.cumsum(new)


def _cycle_numbers(current, scale, segment, cycles, plating_sign) -> np.ndarray:
    """The cycle of every point, from 1: the file's cycles renumbered in order, or
    (without a cycle column) a new cycle at each plating step that follows a
    stripping step."""
    if cycles is not None:
        change = np.concatenate([[True], cycles[1:] != cycles[:-1]])
        return np.cumsum(change)
    out = np.empty(len(current), dtype=int)
    number, stripped = 1, False
    for s in np.unique(segment):
        mask = segment == s
        direction = np.sign(np.median(_direction(current[mask], scale)))
        plating = direction * plating_sign > 0
        if plating and stripped:
            number, stripped = number + 1, False
        stripped = stripped or (direction != 0 and not plating)
        out[mask] = number
    return out


def _step_totals(t, current, voltage, mask) -> StepTotals:
    """A step's charge [A.h] and energy [W.h] (discharge positive) and duration [s]:
    trapezoidal within the step."""
    ts, i, v = t[mask], current[mask], voltage[mask]
    dt = np.diff(ts)
    charge = float(np.sum(dt * (i[1:] + i[:-1])) / 2 / 3600)
    power = i * v
    energy = float(np.sum(dt * (power[1:] + power[:-1])) / 2 / 3600)
    return StepTotals(charge, energy, float(ts[-1] - ts[0]))


def _assemble(t, current, voltage, temperature, segment, cycle, configuration,
              source, file_cycles=None) -> CyclingData:
    """Per-cycle summaries (as afb makes them) and the series."""
    plating_sign = PLATING_SIGN[configuration]
    table = RunTable({})
    step_number = np.zeros(len(t), dtype=int)
    # a step's interval before its first point belongs to it: a cycler records a
    # step's first point after it has started
    index = np.arange(len(t))
    for k in np.unique(cycle):
        in_cycle = cycle == k
        totals = []
        for n, s in enumerate(np.unique(segment[in_cycle]), start=1):
            mask = segment == s
            first = index[mask][0]
            if first > 0 and t[first] > t[first - 1]:
                # the interval from the previous point, at this step's current
                dt = t[first] - t[first - 1]
                lead = StepTotals(current[first] * dt / 3600,
                                  current[first] * voltage[first] * dt / 3600, dt)
            else:
                lead = StepTotals(0.0, 0.0, 0.0)
            body = _step_totals(t, current, voltage, mask)
            totals.append(StepTotals(body.charge + lead.charge, body.energy + lead.energy,
                                     body.duration + lead.duration))
            step_number[mask] = n
        summary = {"Time [s]": float(t[in_cycle][-1]), **charge_summary(totals, plating_sign)}
        table.add(_Row(int(k), summary))
    cycles = table.run("data").cycles.drop_vars("block")
    # the file's own cycle numbers (BioLogic's start at 0)
    firsts = np.concatenate([[0], np.flatnonzero(np.diff(cycle)) + 1])
    data_cycles = (file_cycles[firsts].astype(np.int64) if file_cycles is not None
                   else cycle[firsts].astype(np.int64))
    cycles = cycles.assign_coords(data_cycle=("cycle", data_cycles))
    passed = np.concatenate([[0.0], np.cumsum(np.diff(t) * (current[1:] + current[:-1]) / 2)])
    variables = {
        "cycle": ("point", cycle.astype(np.int64), {"units": "1", "long_name": "cycle"}),
        "Time": ("point", t, {"units": "s", "long_name": "Time [s]"}),
        "Current": ("point", current, {"units": "A", "long_name": "Current [A]"}),
        "Voltage": ("point", voltage, {"units": "V", "long_name": "Voltage [V]"}),
        "Discharge capacity": ("point", passed / 3600,
                               {"units": "A.h", "long_name": "Discharge capacity [A.h]"}),
        STEP: ("point", step_number.astype(np.int64), {"units": "1", "long_name": STEP}),
    }
    if temperature is not None:
        variables["Ambient temperature"] = (
            "point", temperature, {"units": "K", "long_name": "Ambient temperature [K]"})
    return CyclingData(cycles, xr.Dataset(variables), source, configuration)


@dataclass
class _Row:
    """What :class:`~afb_models.results.RunTable` takes of a cycle."""

    cycle: int
    summary: dict
    block: str = "data"

    @property
    def series(self):
        return {"Time [s]": np.zeros(0)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- the protocol from the data ---------------------------------------------------------

#: a current constant to this fraction makes a constant-current step
_CONSTANT_CURRENT = 0.01
#: a voltage constant to this [V] (beyond the noise) makes a hold
_CONSTANT_VOLTAGE = 2e-3
#: a single step's end within this [V] of a cut-off or of a recurring end voltage
#: ended there
_SAME_VOLTAGE = 5e-3
#: steps that last the same to this (relative) ended on a time
_SAME_DURATION = 1e-4
#: consecutive cycles whose steps agree to this (relative) share a block
_SAME_VALUE = 1e-3


@dataclass
class _Shape:
    """What one step of the data did."""

    kind: str  # "rest", "current", "hold"
    direction: int  # +1 discharge, -1 charge, 0 rest
    duration: float
    current: float = 0.0  # |I| of a constant-current step [A]
    voltage: float = 0.0  # a hold's voltage [V]
    start_voltage: float = 0.0
    end_voltage: float = 0.0
    end_current: float = 0.0  # |I| at a hold's end [A]
    temperature: float | None = None
    ends_on: str = "time"  # "time", "voltage", "current"
    where: str = ""

    def key(self):
        """What must agree for two cycles to share a block."""
        return (self.kind, self.direction, self.ends_on)

    def values(self):
        return [self.duration if self.ends_on == "time" or self.kind == "rest" else 0.0,
                self.current, self.voltage if self.kind == "hold" else 0.0,
                self.end_voltage if self.ends_on == "voltage" else 0.0,
                self.end_current if self.ends_on == "current" else 0.0,
                self.temperature or 0.0]


def _shapes_of_step(data_path, k, n, t, current, voltage, temperature, scale):
    """The step(s) one segment of the data was: a rest, a constant current, a hold,
    or a constant current followed by a hold (a CCCV step recorded as one)."""
    where = f"{data_path}: cycle {k}, step {n}"
    temp = float(np.median(temperature)) if temperature is not None else None
    magnitude = np.abs(current)
    direction = int(np.sign(np.median(_direction(current, scale))))
    base = dict(direction=direction, temperature=temp, where=where,
                start_voltage=float(voltage[0]), end_voltage=float(voltage[-1]))
    if direction == 0:
        return [_Shape("rest", duration=float(t[-1] - t[0]), **base)]
    level = float(np.median(magnitude))
    inner = magnitude[1:-1] if magnitude.size > 3 else magnitude
    if np.all(np.abs(inner - level) <= _CONSTANT_CURRENT * level):
        return [_Shape("current", duration=float(t[-1] - t[0]), current=level, **base)]
    # a hold: the voltage flat where the current falls
    def hold(a):
        v = voltage[a:]
        return _Shape("hold", duration=float(t[-1] - t[a]), voltage=float(np.median(v)),
                      end_current=float(magnitude[-1]), ends_on="current",
                      **dict(base, start_voltage=float(voltage[a])))
    if np.ptp(voltage[1:]) <= _CONSTANT_VOLTAGE:
        return [hold(0)]
    # a constant current, then a hold: split where the current leaves its level
    first = magnitude[1] if magnitude.size > 2 else magnitude[0]
    off = np.flatnonzero(np.abs(magnitude - first) > _CONSTANT_CURRENT * first)
    split = int(off[off > 0][0]) if (off > 0).any() else magnitude.size
    if split >= 2 and np.ptp(voltage[split:]) <= _CONSTANT_VOLTAGE:
        cc = _Shape("current", duration=float(t[split - 1] - t[0]),
                    current=float(np.median(magnitude[:split])),
                    **dict(base, end_voltage=float(voltage[split - 1])))
        return [cc, hold(split - 1)]
    raise DataError(
        f"{where}: neither a constant current, a rest, a hold nor a constant current "
        "then a hold; cannot reconstruct it: give the protocol file"
    )


def _classify(shapes_by_cycle, limits) -> None:
    """Decide how each constant-current step and hold ended (in place).

    A step that stops within 5 mV of the cell's cut-off (the one it moves toward)
    ended there. Other steps at the same place of cycles of the same shape (three
    or more) are compared: one that ends after a time (or a charge) lasts the same each time, to
    the cycler's clock, while its end voltage wanders; one that ends on a voltage
    ends there each time, to the cycler's overshoot and noise, while its duration
    follows the capacity. So: durations equal to 1e-4, and closer than the end
    voltages (relative to the step's swing), make a time limit; otherwise end
    voltages within 5 mV make a voltage limit. A step without such company ended
    on a voltage if it stopped within 5 mV of a cut-off or of a voltage others end
    at."""
    groups: dict = {}
    for shapes in shapes_by_cycle:
        signature = tuple((s.kind, s.direction) for s in shapes)
        for i, s in enumerate(shapes):
            if s.kind == "rest":
                continue
            level = round(math.log10(max(s.current or s.voltage, 1e-300)), 2)
            groups.setdefault((signature, i, level), []).append(s)
    ends = {+1: [], -1: []}
    lonely = []
    for members in groups.values():
        if len(members) < 3:
            lonely.extend(members)
            continue
        durations = np.array([m.duration for m in members])
        spread_t = np.std(durations) / max(np.median(durations), 1e-300)
        if members[0].kind == "current":
            end = np.array([m.end_voltage for m in members])
            swing = np.median(np.abs(end - np.array([m.start_voltage for m in members])))
            spread_end = np.std(end) / max(swing, 1e-300)
            by_end = "voltage"
        else:
            end = np.array([m.end_current for m in members])
            spread_end = np.std(end) / max(np.median(end), 1e-300)
            by_end = "current"
        # a time (or charge) limit: the cycler's clock makes the durations agree to
        # its jitter (1e-4 of the step), closer than the ends do; a voltage limit:
        # the ends agree to within the cycler's overshoot and noise (5 mV)
        direction = members[0].direction
        cut_off = limits.lower_cutoff_V if direction > 0 else limits.upper_cutoff_V
        if by_end == "voltage" and abs(np.median(end) - cut_off) <= _SAME_VOLTAGE:
            ends_on = "voltage"  # at the cell's own cut-off
        elif spread_t <= _SAME_DURATION and spread_t <= spread_end:
            ends_on = "time"
        elif by_end == "voltage":
            ends_on = "voltage" if np.std(end) <= _SAME_VOLTAGE else "time"
        else:
            ends_on = "current"
        for m in members:
            m.ends_on = ends_on
        if ends_on == "voltage":
            value = _snap(float(np.median(end)), limits)
            for m in members:
                m.end_voltage = value
            ends[members[0].direction].append(value)
    for s in lonely:
        if s.kind == "hold":
            s.ends_on = "current"
            continue
        cut_off = limits.lower_cutoff_V if s.direction > 0 else limits.upper_cutoff_V
        candidates = [cut_off, *ends[s.direction]]
        near = [v for v in candidates if abs(v - s.end_voltage) <= _SAME_VOLTAGE]
        if near:
            s.ends_on = "voltage"
            s.end_voltage = min(near, key=lambda v: abs(v - s.end_voltage))
        else:
            s.ends_on = "time"


def _snap(voltage: float, limits) -> float:
    """A voltage the data's steps end at, on the cell's cut-off if it is within 5 mV
    of it (a cycler stops a little past its limit; so does the solver's event)."""
    for cut_off in (limits.lower_cutoff_V, limits.upper_cutoff_V):
        if abs(voltage - cut_off) <= _SAME_VOLTAGE:
            return cut_off
    return voltage


def _step_text(s: _Shape, area_cm2: float) -> str:
    def number(x):
        return f"{x:.12g}"

    at = f" at {number(s.temperature)} K" if s.temperature is not None else ""
    if s.kind == "rest":
        return f"Rest for {number(s.duration)} seconds{at}"
    if s.kind == "hold":
        end = (f"until {number(1e3 * s.end_current / area_cm2)} mA cm-2"
               if s.ends_on == "current" else f"for {number(s.duration)} seconds")
        return f"Hold at {number(s.voltage)} V {end}{at}"
    verb = "Discharge" if s.direction > 0 else "Charge"
    end = (f"until {number(s.end_voltage)} V" if s.ends_on == "voltage"
           else f"for {number(s.duration)} seconds")
    return f"{verb} at {number(1e3 * s.current / area_cm2)} mA cm-2 {end}{at}"


def reconstruct_protocol(data, cell, *, area_cm2: float | None = None,
                         cycles=None):
    """The protocol the cell of ``data`` saw, step by step, as afb runs it on
    ``cell``.

    Each step of the data becomes a rest (for its duration), a constant current
    (until the voltage it stopped at, or for its duration: see below) or a hold at
    its voltage until the current it stopped at; a constant current followed by a
    hold within one step of the data becomes both. Currents are written per area
    (mA cm-2): the data's cell's area ``area_cm2`` if given, else the model
    cell's own, so that a model cell of another size runs the same current
    density. Temperatures are each step's ambient temperature where the data has
    it. Consecutive cycles whose steps agree to 0.1 % become one block.

    How a constant-current step ended is not in the data. One that stops within 5
    mV of the cell's cut-off ended there; otherwise it is told from how the step
    repeats. One that ends after a time or a charge lasts the same each cycle
    (to 1e-4) while its end voltage wanders; one that ends on a voltage stops
    there each cycle (within 5 mV) while its duration follows the capacity. A
    step that does not repeat ended on a voltage if it stopped within 5 mV of the
    cell's cut-off or of a voltage other steps end at. A cell whose capacity does
    not change by 1e-4 over its cycles makes the two look alike: give the
    protocol file.

    ``cell``: as for :func:`afb_models.simulate`; ``data``: a path or
    :class:`CyclingData`; ``cycles``: reconstruct up to this cycle only.
    Returns a :class:`~afb_models.protocols.Protocol`.
    """
    from .protocols import CellLimits, parse_protocol
    from .study import resolve_cell

    if not isinstance(data, CyclingData):
        data = read_cycling(data)
    values = resolve_cell(cell).parameter_values
    limits = CellLimits.from_parameter_values(values)
    if area_cm2 is None:
        area_cm2 = limits.area_m2 * 1e4
    elif not (isinstance(area_cm2, (int, float)) and math.isfinite(area_cm2)
              and area_cm2 > 0):
        raise DataError(f"area_cm2: a positive area in cm2, not {area_cm2!r}")
    series = data.series
    path = data.source.get("path", "data")
    t = series["Time"].values
    current = series["Current"].values
    voltage = series["Voltage"].values
    temperature = (series["Ambient temperature"].values
                   if "Ambient temperature" in series else None)
    cycle = series["cycle"].values
    step = series[STEP].values if STEP in series else None
    if step is None:
        step = _segments(current, np.max(np.abs(current)), cycle, None)
    scale = np.max(np.abs(current))
    numbers = [int(k) for k in np.unique(cycle)]
    if cycles is not None:
        numbers = [k for k in numbers if k <= int(cycles)]
    shapes_by_cycle = []
    for k in numbers:
        in_cycle = np.flatnonzero(cycle == k)
        shapes = []
        for n in np.unique(step[in_cycle]):
            idx = in_cycle[step[in_cycle] == n]
            if idx.size < 2:
                raise DataError(
                    f"{path}: cycle {k}, step {n}: a single point; cannot tell what the "
                    "step did"
                )
            shapes.extend(_shapes_of_step(
                path, k, n, t[idx], current[idx], voltage[idx],
                None if temperature is None else temperature[idx], scale))
        shapes_by_cycle.append(shapes)
    _classify(shapes_by_cycle, limits)

    # consecutive cycles of one shape, with values within 0.1 %, share a block
    blocks: list[list] = []
    for k, shapes in zip(numbers, shapes_by_cycle):
        if blocks:
            first = blocks[-1][0][1]
            same = [s.key() for s in first] == [s.key() for s in shapes] and all(
                np.allclose(a.values(), b.values(), rtol=_SAME_VALUE, atol=0)
                for a, b in zip(first, shapes))
            if same:
                blocks[-1].append((k, shapes))
                continue
        blocks.append([(k, shapes)])
    lines = [
        f'name = "reconstructed from {Path(path).name}"',
        f'description = "The steps of {path}, cycles {numbers[0]} to {numbers[-1]}, '
        'reconstructed by afb_models.data.reconstruct_protocol"',
        "",
    ]
    for members in blocks:
        # each value the median over the block's cycles
        first = members[0][1]
        steps = []
        for i, s in enumerate(first):
            column = [m[1][i] for m in members]
            merged = _Shape(**{**s.__dict__})
            for name in ("duration", "current", "voltage", "end_voltage", "end_current"):
                setattr(merged, name, float(np.median([getattr(c, name) for c in column])))
            if s.temperature is not None:
                merged.temperature = float(np.median([c.temperature for c in column]))
            if merged.kind == "hold":
                merged.voltage = _snap(merged.voltage, limits)
            steps.append(_step_text(merged, area_cm2))
        a, b = members[0][0], members[-1][0]
        lines += ["[[block]]", f'name = "cycle {a}"' if a == b else f'name = "cycles {a}-{b}"',
                  f"repeat = {len(members)}", "steps = ["]
        lines += [f'    "{text}",' for text in steps]
        lines += ["]", ""]
    text = "\n".join(lines)
    return parse_protocol(text, f"<protocol reconstructed from {path}>", values)


# --- writing BDF -------------------------------------------------------------------------


def write_bdf(data, path, *, voltage_noise: float = 0.0, current_noise: float = 0.0,
              seed: int | None = None) -> Path:
    """Write a run (a :class:`~afb_models.results.Run`, a run file) or
    :class:`CyclingData` as a Battery Data Format CSV: "Test Time / s", "Current / A"
    (a charge positive, as BDF counts it), "Voltage / V", "Cycle Count / 1", "Step
    Count / 1" (every step of the test counted from 1), "Step Index / 1" (the step's
    number within its cycle) and, where known, "Ambient Temperature / degC".

    Synthetic cycler data: ``voltage_noise`` [V] and ``current_noise`` (relative)
    add Gaussian noise of those standard deviations to every point (``seed``: of the
    random numbers)."""
    import pandas as pd

    if isinstance(data, (str, Path)):
        data = read_cycling(data)
    series = data.series
    cycle = series["cycle"].values
    step = series[STEP].values if STEP in series else np.ones_like(cycle)
    new = np.concatenate([[True], (cycle[1:] != cycle[:-1]) | (step[1:] != step[:-1])])
    table = {
        "Test Time / s": series["Time"].values,
        "Current / A": -series["Current"].values,
        "Voltage / V": series["Voltage"].values,
        "Cycle Count / 1": cycle,
        "Step Count / 1": np.cumsum(new),
        "Step Index / 1": step,
    }
    if "Ambient temperature" in series:
        table["Ambient Temperature / degC"] = series["Ambient temperature"].values - 273.15
    if voltage_noise or current_noise:
        rng = np.random.default_rng(seed)
        n = len(table["Voltage / V"])
        table["Voltage / V"] = table["Voltage / V"] + rng.normal(0, voltage_noise, n)
        table["Current / A"] = table["Current / A"] * (1 + rng.normal(0, current_noise, n))
    path = Path(path)
    pd.DataFrame(table).to_csv(path, index=False, float_format="%.12g")
    return path


__all__ = ["CyclingData", "DataError", "read_cycling", "reconstruct_protocol", "write_bdf"]

