"""Metal||collector and symmetric metal||metal cells: two planar electrodes with only
an electrolyte (or a solid electrolyte) between them."""

from __future__ import annotations

from collections.abc import Mapping

import pybamm

from .. import submodels
from ..mechanisms import MECHANISMS, mechanism_class
from ..options import pybamm_options, validate_options
from .model_options import ModelOptions
from ..parameters import MetalElectrodeParameters
from .anode_free_dfn import (collector_interface_submodels, current_collector_submodel,
                             thermal_submodels, use_single_ion_conductor)


class MetalCollectorCell(pybamm.lithium_ion.BaseModel):
    """A metal||collector cell (Li||Cu, Na||Al): the standard cell for measuring the
    plating Coulombic efficiency of a collector.

    The working electrode is the bare collector at x = 0, with the same submodels as
    the negative of :class:`~afb_models.AnodeFreeDFN`: metal deposit with nucleation,
    SEI, dead metal and galvanic corrosion, and the same variable names ("Negative
    interface ..." is the collector's interface). The counter electrode is a metal foil
    at x = L_s (:class:`~afb_models.submodels.counter_electrode.MetalCounterElectrode`),
    and the electrolyte fills the separator between them
    (:class:`~afb_models.submodels.separator_electrolyte.SeparatorElectrolyte`).

    Sign convention, as in a coin cell with the collector as the positive terminal:
    "Voltage [V]" is the collector's potential against the counter electrode, and a
    discharge (positive current) plates metal on the collector; a charge strips it,
    until the voltage rises to the upper cut-off (e.g. 0.5 V or 1 V vs Li/Li+).

    With an initial metal layer on the collector ("Initial plated metal thickness [m]"
    of a foil) the same model is a symmetric metal||metal cell, see
    :class:`SymmetricMetalCell`.

    Parameters
    ----------
    options : dict, optional
        The afb options (:data:`afb_models.options.ALLOWED_OPTIONS`); ``"particle"``
        has no meaning here and is ignored.
    name : str, optional
    build : bool, optional
    """

    #: which electrical direction plates metal on the collector
    plating_direction = "discharge"
    #: whether the loss mechanisms act on the counter electrode's foil too (the
    #: symmetric cell); in a metal||collector cell it is a reservoir
    counter_electrode_degrades = False

    def __init__(
        self,
        options: Mapping[str, str] | None = None,
        name: str = "Metal||collector cell",
        build: bool = True,
    ):
        self.afb_options = validate_options(options)
        super().__init__(pybamm_options(self.afb_options), name=name)
        if self.afb_options["electrolyte"] == "single-ion conductor":
            use_single_ion_conductor(self.param)
        self.metal_param = MetalElectrodeParameters()
        self._set_submodels()
        # model.options: afb's options over PyBaMM's (the submodels keep PyBaMM's)
        self._options = ModelOptions(self._options, self.afb_options)
        if build:
            self.build_model()

    def _set_submodels(self):
        param, options, mp = self.param, self.options, self.metal_param
        afb = self.afb_options
        single_ion = afb["electrolyte"] == "single-ion conductor"
        self.set_external_circuit_submodel()
        self.submodels["current collector"] = current_collector_submodel(param, afb)
        self.submodels["temperature"] = submodels.UniformTemperature(param, options)
        self.submodels["electrolyte"] = submodels.SeparatorElectrolyte(
            param, options, single_ion=single_ion
        )
        self.submodels.update(
            collector_interface_submodels(param, mp, options, afb, self.plating_direction)
        )
        counter = submodels.MetalCounterElectrode(
            param, mp, options, degrades=self.counter_electrode_degrades
        )
        self.submodels["counter electrode"] = counter
        if self.counter_electrode_degrades:
            self.submodels["counter electrode morphology"] = (
                submodels.DepositMorphology(param, mp, options, afb, side="counter")
            )
            for m in MECHANISMS:
                if m.on_counter_foil:
                    mechanism = mechanism_class(m.option, afb[m.option])
                    self.submodels[f"counter electrode {m.option}"] = mechanism(
                        param, mp, options, afb, side="counter"
                    )
        self.submodels["counter electrode voltage"] = submodels.CounterElectrodeVoltage(
            param, mp, options, counter
        )
        self.submodels["metal inventory"] = submodels.MetalInventory(
            param, options, cathode=False, counter_electrode=True,
            counter_electrode_losses=self.counter_electrode_degrades,
        )
        # (with "thermal": "lumped", its temperature replaces UniformTemperature)
        self.submodels.update(
            thermal_submodels(param, mp, options, afb, cathode=False,
                              counter_electrode=True,
                              counter_degrades=self.counter_electrode_degrades)
        )

    @property
    def default_geometry(self):
        return {
            "separator": {"x_s": {"min": pybamm.Scalar(0), "max": self.param.s.L}},
            "current collector": {"z": {"position": 1}},
        }

    @property
    def default_parameter_values(self):
        from ..parameter_sets import get_parameter_values

        return get_parameter_values("AFB_Li_Cu")

    @property
    def default_quick_plot_variables(self):
        return [
            "Voltage [V]",
            "Current [A]",
            "Plated metal thickness [m]",
            "Negative interface overpotential [V]",
            "Electrolyte concentration [mol.m-3]",
            "Counter electrode metal thickness [m]",
        ]

    def set_voltage_variables(self):
        # Before the first plating the bare collector rests far above the metal's
        # potential (its "Collector open-circuit potential [V]", above the strip
        # cut-off); the voltage limits therefore apply only in the direction of the
        # current: the upper one while stripping (charge), the lower one while plating.
        V = self.variables["Voltage [V]"]
        # (the applied current: an internal short's current is the cell's own)
        i_cell = self.variables["Total current density [A.m-2]"]
        stripping = i_cell < 0
        plating = i_cell > 0
        self.events.extend(
            [
                pybamm.Event(
                    "Minimum voltage [V]", (V - self.param.voltage_low_cut) * plating + 1
                    - plating
                ),
                pybamm.Event(
                    "Maximum voltage [V]",
                    (self.param.voltage_high_cut - V) * stripping + 1 - stripping,
                ),
            ]
        )

    def set_soc_variables(self):
        pass

    def set_degradation_variables(self):
        pass

    def set_summary_variables(self):
        self.summary_variables = [
            "Time [s]",
            "Time [h]",
            "Throughput capacity [A.h]",
            "Throughput energy [W.h]",
            "Capacity [A.h]",
            "Total capacity lost to side reactions [A.h]",
            "Loss of metal inventory [%]",
            *submodels.inventory.INVENTORY_VARIABLES,
        ]


class SymmetricMetalCell(MetalCollectorCell):
    """A symmetric metal||metal cell (Li||Li, Na||Na).

    The :class:`MetalCollectorCell` with a metal foil on the working side: its default
    parameter values put "Initial plated metal thickness [m]" equal to the counter
    electrode's foil, so the working electrode is fully covered, strips and plates
    like the counter electrode. The loss mechanisms the options switch on act on both
    foils alike (SEI and dead metal on each; the collector's own mechanisms, collector
    SEI and galvanic corrosion, where a collector is bare), and the inventory counts
    both. "Voltage [V]" is the working foil against the counter foil.
    """

    counter_electrode_degrades = True

    def __init__(self, options=None, name="Symmetric metal cell", build=True):
        super().__init__(options, name=name, build=build)

    @property
    def default_parameter_values(self):
        from ..parameter_sets import get_parameter_values

        return get_parameter_values("AFB_Li_Li")
