"""Impedance spectra of afb cells at rest: PyBaMM's frequency-domain linearisation
(:class:`pybamm.EISSimulation`) of the afb models, as xarray.

(The module is ``afb_models.spectra``; ``afb_models.impedance`` is its function.)

>>> z = afb_models.impedance("AFB_Li_Li", np.logspace(-2, 5, 50))
>>> z["Impedance modulus"].plot(x="Frequency", xscale="log")

The spectrum is taken at rest around a state: the cell as assembled, a run file's
last state, or named states set to values (``state={"Filament extent": 1.5}``). Two
things differ from the time-domain runs, both so that the spectrum is the cell's:

- the double layer of the collector's interface is physical. In a run its branch has
  a numerical resistance (``Negative electrode double-layer resistance [Ohm.m2]``,
  a 2 ms time constant that spares the integrator a transient at every current
  step, :class:`~afb_models.submodels.planar_interface.PlanarInterfacePotential`);
  in the frequency domain there is no transient to spare, and that resistance would
  add a spurious arc, so it is set to :data:`DOUBLE_LAYER_RESISTANCE`;
- the counter electrode of a metal||collector or symmetric cell, and the cathode of
  an anode-free cell, have no double layer in afb's models: their charge transfer
  shows as a resistance, without an arc of its own. The low-frequency limit (the sum
  of the resistances) is the same.

PyBaMM's own check that a model has a "surface form" is skipped: the afb models
carry the collector's double layer in their own submodel.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

#: the double-layer branch resistance of a spectrum [Ohm m2]: far below any other
#: resistance of the interface (1e-6 of a 1 Ohm cm2 charge transfer)
DOUBLE_LAYER_RESISTANCE = 1e-10

#: the frequencies of a spectrum unless given [Hz]: 10 mHz to 1 MHz, 8 per decade
DEFAULT_FREQUENCIES = np.logspace(-2, 6, 65)


def impedance(cell, frequencies=None, *, options: Mapping[str, str] | None = None,
              state: Mapping[str, float] | None = None):
    """The impedance spectrum of ``cell`` at rest, as an :class:`xarray.Dataset` on
    the dimension "Frequency" [Hz]: "Real impedance", "Imaginary impedance",
    "Impedance modulus" [Ohm] and "Phase" [deg] (negative: capacitive), for the
    cell's whole area (``attrs["area [cm2]"]``; Ohm cm2 is the value times it).

    Parameters
    ----------
    cell
        A parameter-set name, a cell file, a :class:`~afb_models.cells.Cell` or
        ``pybamm.ParameterValues`` (the cell as assembled), or a run file (``.h5``):
        the cell of the run, at its last finished cycle's end.
    frequencies : array, optional
        In Hz; default :data:`DEFAULT_FREQUENCIES`.
    options : dict, optional
        Model options over the calibrated mechanisms and the cell's own (a run
        file's are its own).
    state : dict, optional
        State variables by name, set to these values (scalars or arrays) before the
        linearisation, over the cell's or the run's.
    """
    import xarray as xr

    from . import models
    from .parameter_sets import CONFIGURATIONS
    from .protocols import CellLimits
    from .study import resolve_cell, resolve_options

    frequencies = np.asarray(DEFAULT_FREQUENCIES if frequencies is None else frequencies,
                             dtype=float)
    if frequencies.ndim != 1 or frequencies.size == 0 or np.any(frequencies <= 0) \
            or not np.all(np.isfinite(frequencies)):
        raise ValueError("frequencies: give positive, finite frequencies in Hz")
    stored_state, name = {}, None
    if isinstance(cell, (str, Path)) and str(cell).endswith((".h5", ".hdf5")):
        cell, run_options, stored_state = _run_cell(Path(cell))
        name = str(cell.name)
        model_options = resolve_options(cell, {**run_options, **dict(options or {})})
    else:
        cell = resolve_cell(cell)
        name = cell.name
        model_options = resolve_options(cell, options)
    model = getattr(models, CONFIGURATIONS[cell.configuration])(model_options)
    values = cell.parameter_values
    z = spectrum(model, values, frequencies, stored_state, state)
    area_cm2 = CellLimits.from_parameter_values(values).area_m2 * 1e4
    coords = {"Frequency": ("Frequency", frequencies, {"units": "Hz"})}

    def variable(data, long_name, units):
        return xr.DataArray(data, dims="Frequency", coords=coords,
                            attrs={"units": units, "long_name": f"{long_name} [{units}]"})

    return xr.Dataset(
        {
            "Real impedance": variable(z.real, "Real impedance", "Ohm"),
            "Imaginary impedance": variable(z.imag, "Imaginary impedance", "Ohm"),
            "Impedance modulus": variable(np.abs(z), "Impedance modulus", "Ohm"),
            "Phase": variable(np.degrees(np.angle(z)), "Phase", "deg"),
        },
        attrs={"cell": name, "configuration": cell.configuration, "area [cm2]": area_cm2},
    )


def spectrum(model, parameter_values, frequencies, stored_state=None,
             state=None) -> np.ndarray:
    """The complex impedance [Ohm] of a freshly built ``model`` (an afb model, which
    this consumes) of the cell of ``parameter_values`` at ``frequencies`` [Hz], at
    rest in ``stored_state`` (every state by name, as a run file keeps it) with the
    states of ``state`` set over it."""
    import pybamm

    if stored_state:
        model.set_initial_conditions_from(stored_state)
    _set_state(model, dict(state or {}))
    simulation = pybamm.EISSimulation(model, parameter_values=_spectrum_values(
        parameter_values), skip_surface_form_check=True)
    return np.asarray(simulation.solve(frequencies).impedance, dtype=complex)


def _spectrum_values(parameter_values):
    """The cell's values for a spectrum: the double layer's branch as it is."""
    values = parameter_values.copy()
    values["Negative electrode double-layer resistance [Ohm.m2]"] = DOUBLE_LAYER_RESISTANCE
    return values


class RestSpectra:
    """Spectra of one cell at rest in one state after another (a run's cycles' ends),
    each at its own ambient temperature: the model is built and discretised once,
    and each spectrum only sets the states and linearises there, ~100 times faster
    than :func:`spectrum` from scratch.

    Relies on :class:`pybamm.EISSimulation` keeping its discretised model (its
    ``_built_model``) and re-evaluating the Jacobian at that model's initial
    conditions at every ``solve``, and on the state it adds, "Current variable
    [A]", which is 0 at rest.
    """

    AMBIENT = "Ambient temperature [K]"

    def __init__(self, model, parameter_values):
        import pybamm

        values = _spectrum_values(parameter_values)
        values[self.AMBIENT] = pybamm.InputParameter(self.AMBIENT)
        self._simulation = pybamm.EISSimulation(model, parameter_values=values,
                                                skip_surface_form_check=True)

    def __call__(self, state, frequencies, temperature_K: float,
                 inputs=None) -> np.ndarray:
        """The complex impedance [Ohm] at ``frequencies`` [Hz] in ``state`` (every
        state by name) at ``temperature_K``; ``inputs``: the values of the cell's
        input parameters."""
        inputs = {**dict(inputs or {}), self.AMBIENT: float(temperature_K)}
        simulation = self._simulation
        simulation.build(inputs=inputs)
        simulation._built_model.set_initial_conditions_from(
            {**state, "Current variable [A]": np.zeros(1)})
        return np.asarray(simulation.solve(frequencies, inputs=inputs).impedance,
                          dtype=complex)


def _run_cell(path: Path):
    """The cell, options and last state of the run file ``path``."""
    import json

    from .store import load, read_state
    from .study import _cell_of_run

    run = load(path)
    source = json.loads(run.metadata["source"])
    cell = _cell_of_run(path, run, source, True, run.cycles.sizes.get("cycle", 0))
    _, _, state = read_state(path)
    return cell, dict(run.options), state


def _set_state(model, state: Mapping) -> None:
    """Set the initial conditions of the states named in ``state`` (a scalar or an
    array of the state's size); an unknown name is an error naming the known ones."""
    import pybamm

    by_name = {variable.name: variable for variable in model.initial_conditions}
    unknown = [k for k in state if k not in by_name]
    if unknown:
        raise KeyError(f"state: the model has no state {unknown[0]!r}; its states: "
                       + ", ".join(sorted(by_name)))
    for key, value in state.items():
        array = np.atleast_1d(np.asarray(value, dtype=float))
        symbol = (pybamm.Scalar(float(array[0])) if array.size == 1
                  else pybamm.Vector(array.reshape(-1, 1)))
        model.initial_conditions[by_name[key]] = symbol
