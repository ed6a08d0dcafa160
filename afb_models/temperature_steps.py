"""A PyBaMM experiment step that ramps the ambient temperature: "Ramp to 200 °C at
10 °C per 30 minutes" (:mod:`afb_models.protocols`).

PyBaMM's steps hold the ambient temperature constant ("... at 25 °C"). A ramp is a
rest whose step model has "Ambient temperature [K]" as a function of time,
:math:`T_{amb}(t) = T_0 + r\\,(t - t_0)`, with :math:`t_0` the step's start (PyBaMM's
input "start time", which every experiment step is given). The isothermal models
follow the ambient temperature, so every Arrhenius rate follows the ramp. Like the
steps of :mod:`afb_models.pressure_steps`, it keeps its ramp in its repr and hash
(one built model per ramp), through ``copy()`` and pickling.
"""

from __future__ import annotations

import pybamm

from .pressure_steps import _StackPressure

#: the parameter a ramp sets
AMBIENT_TEMPERATURE = "Ambient temperature [K]"


class RampedAmbientTemperature:
    """``Ambient temperature [K]`` as a function of (y, z, t): a linear ramp from
    ``start_K`` at the step's start at ``rate_K_per_s`` (a class, so that a step's
    parameter values pickle)."""

    __name__ = "ramped_ambient_temperature"

    def __init__(self, start_K: float, rate_K_per_s: float):
        self.start_K = float(start_K)
        self.rate_K_per_s = float(rate_K_per_s)

    def __call__(self, y, z, t):
        return self.start_K + self.rate_K_per_s * (t - pybamm.InputParameter("start time"))


class TemperatureRamp(_StackPressure, pybamm.step.Rest):
    """A rest while the ambient temperature rises (or falls) linearly from
    ``start_K`` at ``rate_K_per_s`` for ``duration`` seconds."""

    ramp: tuple[float, float] | None = None

    def __init__(self, value=0, *, start_K=None, rate_K_per_s=None, **kwargs):
        super().__init__(value, **kwargs)
        self.ramp = None
        if start_K is not None:
            self._set_ramp(start_K, rate_K_per_s)

    def _set_ramp(self, start_K, rate_K_per_s) -> None:
        self.ramp = (float(start_K), float(rate_K_per_s))
        tag = f", ambient ramp from {self.ramp[0]} K at {self.ramp[1]} K/s"
        self.repr_args += tag
        self.hash_args += tag

    def basic_repr(self):
        # a rest to PyBaMM's keys and to the runner, which finds the rest steps' built
        # models by "Rest(" (their potentials' tolerances); the ramp is in hash_args
        return f"Rest({self.hash_args})"

    def copy(self):
        new = super().copy()
        if self.ramp is not None and new.ramp is None:
            new._set_ramp(*self.ramp)
        return new

    def process_model(self, model, parameter_values, inplace=None,
                      delayed_variable_processing=None):
        parameter_values = parameter_values.copy()
        parameter_values[AMBIENT_TEMPERATURE] = RampedAmbientTemperature(*self.ramp)
        return super().process_model(
            model, parameter_values, inplace=inplace,
            delayed_variable_processing=delayed_variable_processing,
        )
