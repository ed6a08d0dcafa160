"""PyBaMM experiment steps that hold the cell at their own stack pressure.

A protocol step may give a stack pressure ("Rest for 1 hour at 5 MPa"), as it may
give a temperature; PyBaMM's steps know the temperature only. The steps here set the
parameter "Stack pressure [Pa]" for their own step, where PyBaMM sets "Ambient
temperature [K]": in :meth:`process_model`, on a copy of the parameter values, when
the experiment (legacy mode, the default) builds the step's model.

What makes that hold through PyBaMM's machinery:

* the pressure is part of ``hash_args`` (so of :meth:`basic_repr`, the key under
  which a :class:`pybamm.Simulation` builds one model per unique step) and of
  ``repr_args`` (the key under which :class:`pybamm.Experiment` keeps its processed
  steps): two steps that differ only in pressure get two models;
* :meth:`copy` keeps it (:class:`pybamm.Experiment` runs copies of the steps it is
  given, and PyBaMM's copy rebuilds the step from its constructor's arguments);
* the classes have PyBaMM's names (``Rest``, ``Current``, ...), so that a step's
  ``basic_repr()`` still starts with its kind ("Rest(" is how the runner finds the
  rest models), and they live at module level, so that a step pickles.

A step without a pressure is left a plain PyBaMM step: this module changes nothing
for it. PyBaMM's unified experiment mode builds one model with one set of
parameter values for all steps; a step here refuses to join it rather than run at
the parameter set's pressure.
"""

from __future__ import annotations

import copy as _copy
import math

import pybamm

#: the parameter a step sets
STACK_PRESSURE = "Stack pressure [Pa]"


class _StackPressure:
    """Mixin: a PyBaMM step run at its own stack pressure [Pa] (None: the parameter
    set's)."""

    stack_pressure: float | None = None

    def __init__(self, *args, stack_pressure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stack_pressure = None
        self._set_stack_pressure(stack_pressure)

    def _set_stack_pressure(self, pressure) -> None:
        """Record ``pressure`` where PyBaMM tells steps apart: in the arguments of
        both the step's repr and its hash (its built model)."""
        if pressure is None:
            return
        if self.stack_pressure is not None:
            raise ValueError(
                f"the step already has a stack pressure ({self.stack_pressure} Pa)")
        pressure = _positive_pressure(pressure)
        self.stack_pressure = pressure
        self.repr_args += f", stack pressure={pressure}"
        self.hash_args += f", stack pressure={pressure}"

    def copy(self):
        """A copy at the same pressure (PyBaMM's copy calls the constructor with the
        step's other arguments only)."""
        new = super().copy()
        new._set_stack_pressure(self.stack_pressure)
        return new

    def process_model(self, model, parameter_values, inplace=None,
                      delayed_variable_processing=None):
        """The step's model, parameterised as PyBaMM does but at the step's stack
        pressure (on a copy: the simulation's values serve every other step)."""
        if self.stack_pressure is not None:
            parameter_values = parameter_values.copy()
            parameter_values[STACK_PRESSURE] = self.stack_pressure
        return super().process_model(
            model, parameter_values, inplace=inplace,
            delayed_variable_processing=delayed_variable_processing,
        )

    def unified_branch_repr(self):
        branch = super().unified_branch_repr()
        if self.stack_pressure is not None:
            branch += f"|stack pressure={self.stack_pressure}"
        return branch

    def get_control_residual(self, variables, target=None):
        # only PyBaMM's unified experiment model asks a step for its control law;
        # that model has one set of parameter values, which would silently drop the
        # step's pressure
        if self.stack_pressure is not None:
            raise pybamm.ModelError(
                f"step '{self}' at its own stack pressure needs PyBaMM's legacy "
                "experiment mode (experiment_model_mode='legacy'): the unified model "
                "has one stack pressure for all steps"
            )
        return super().get_control_residual(variables, target)


def _positive_pressure(pressure) -> float:
    value = float(pressure)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"a stack pressure must be finite and positive, got {pressure!r}")
    return value


class Current(_StackPressure, pybamm.step.Current):
    """:class:`pybamm.step.Current` at its own stack pressure."""


class Rest(_StackPressure, pybamm.step.Rest):
    """:class:`pybamm.step.Rest` at its own stack pressure."""


class CRate(_StackPressure, pybamm.step.CRate):
    """:class:`pybamm.step.CRate` at its own stack pressure."""


class Voltage(_StackPressure, pybamm.step.Voltage):
    """:class:`pybamm.step.Voltage` at its own stack pressure."""


class Power(_StackPressure, pybamm.step.Power):
    """:class:`pybamm.step.Power` at its own stack pressure."""


#: PyBaMM's step class -> the class here (by exact type: Rest is a Current)
_AT_PRESSURE = {
    pybamm.step.Current: Current,
    pybamm.step.Rest: Rest,
    pybamm.step.CRate: CRate,
    pybamm.step.Voltage: Voltage,
    pybamm.step.Power: Power,
}


def at_stack_pressure(step, pressure_Pa: float):
    """``step`` (made by ``pybamm.step.current``, ``c_rate``, ``voltage``, ``power``
    or ``rest``) run at stack pressure ``pressure_Pa`` [Pa], as a new step.

    The new step is a shallow copy of ``step`` given the class here of the same name:
    every attribute PyBaMM set is kept as it is (rebuilding the step from its
    arguments would drop any that a later PyBaMM adds), and ``step`` itself is left
    as it was."""
    kind = type(step)
    if isinstance(step, _StackPressure):
        if step.stack_pressure is not None:
            raise ValueError(f"step '{step}' already has a stack pressure "
                             f"({step.stack_pressure} Pa)")
        target = kind
    elif kind in _AT_PRESSURE:
        target = _AT_PRESSURE[kind]
    else:
        raise TypeError(
            f"cannot set the stack pressure of a {kind.__name__} step; only of "
            + ", ".join(c.__name__ for c in _AT_PRESSURE)
        )
    pressure = _positive_pressure(pressure_Pa)
    new = _copy.copy(step)
    new.__class__ = target
    new.stack_pressure = None
    new._set_stack_pressure(pressure)
    return new
