"""AnodeFreeDFN: PyBaMM's half-cell DFN with the negative electrode replaced by metal
plated in situ on a bare current collector."""

from __future__ import annotations

from collections.abc import Mapping

import pybamm

from .. import submodels
from ..mechanisms import MECHANISMS, mechanism_class
from ..options import pybamm_options, validate_options
from .model_options import ModelOptions
from ..parameters import MetalElectrodeParameters

# PyBaMM's half-cell submodels of the planar negative electrode, which treat the metal
# as an infinite reservoir; AnodeFreeDFN replaces them all.
_PYBAMM_PLANAR_NEGATIVE_SUBMODELS = (
    "negative electrode potential",
    "negative electrode interface",
    "negative electrode interface current",
    "negative primary open-circuit potential",
    "negative primary sei",
    "negative primary sei thickness",
    "Negative interface utilisation",
)


def use_single_ion_conductor(param: pybamm.LithiumIonParameters) -> None:
    r"""Make the electrolyte of ``param`` a single-ion conductor: a transference number
    of 1 in every equation that uses one (PyBaMM's and ours), whatever the parameter
    set says. Then the salt's mass balance has no source in the cathode,
    :math:`\partial(\epsilon c_e)/\partial t = \nabla\cdot(\tau D_e \nabla c_e)`, and
    :math:`\chi = 2(1-t_+)RT/F = 0`: the electrolyte stays at its initial concentration
    (up to the double layer's charge, a few ppm) and conducts by Ohm's law."""
    param.t_plus = lambda c_e, T: pybamm.Scalar(1)


def collector_interface_submodels(
    param, metal_param, options, afb_options, plating_direction="charge"
) -> dict:
    """The submodels of the planar collector's interface, in the order they are built:
    its potential, the metal deposit with nucleation, the deposit's morphology, one
    class per loss mechanism (the class the option's value selects in
    :data:`afb_models.mechanisms.MECHANISMS`), the current balance across it, and
    the internal short (option "internal short").
    Every cell with a bare collector (AnodeFreeDFN, MetalCollectorCell) uses the same
    ones; ``plating_direction`` ("charge" or "discharge") says which direction of the
    cell's current plates the collector."""
    interface = {
        "planar interface potential": submodels.PlanarInterfacePotential(
            param, metal_param, options, afb_options
        ),
        "metal deposit": submodels.MetalDeposit(
            param, metal_param, options, afb_options,
            plating_sign=-1 if plating_direction == "charge" else 1,
        ),
        "deposit morphology": submodels.DepositMorphology(
            param, metal_param, options, afb_options
        ),
    }
    for m in MECHANISMS:
        mechanism = mechanism_class(m.option, afb_options[m.option])
        interface[m.option] = mechanism(param, metal_param, options, afb_options)
    interface["planar interface current"] = submodels.PlanarInterfaceCurrent(
        param, metal_param, options
    )
    if afb_options["internal short"] == "filament":
        # (a cell plated by a discharge has a metal counter foil: filaments grow
        # from both electrodes)
        interface["internal short"] = submodels.FilamentShort(
            param, metal_param, options, counter_foil=plating_direction == "discharge"
        )
    else:
        interface["internal short"] = submodels.NoInternalShort(param, metal_param, options)
    melt = afb_options["melt short"] == "infiltration"
    interface["melt short"] = (submodels.MeltInfiltration(param, options) if melt
                               else submodels.NoMeltInfiltration(param, options))
    if has_shunt(afb_options):
        interface["shunt"] = submodels.Shunt(param, options, melt=melt)
    return interface


def has_shunt(afb_options) -> bool:
    """Whether the options give the cell a possible electronic path between its
    electrodes (a filament, a melt's bridge)."""
    return (afb_options["internal short"] == "filament"
            or afb_options["melt short"] == "infiltration")


def current_collector_submodel(param, afb_options):
    """PyBaMM's uniform current collector, or, with an internal short, the one that
    adds the shunt's current to what the electrochemistry carries."""
    if has_shunt(afb_options):
        return submodels.ShuntedCurrentCollector(param)
    return pybamm.current_collector.Uniform(param)


def thermal_submodels(param, metal_param, options, afb_options, *, cathode,
                      counter_electrode=False, counter_degrades=False) -> dict:
    """The metal's melting, and with ``"thermal": "lumped"`` the cell's temperature
    and its heat sources (submodels/thermal/); the isothermal temperature is the
    model's own (PyBaMM's, or UniformTemperature of a cell with no cathode)."""
    out = {
        "metal melting": submodels.MetalMelting(
            param, metal_param, options, counter_electrode=counter_electrode,
            counter_degrades=counter_degrades,
            dynamic=afb_options["thermal"] == "lumped",
        )
    }
    if afb_options["thermal"] == "lumped":
        out["thermal"] = submodels.LumpedTemperature(
            param, metal_param, options, cathode=cathode
        )
        out["heat source"] = submodels.HeatSource(
            param, metal_param, options, cathode=cathode,
            counter_electrode=counter_electrode, counter_degrades=counter_degrades,
            shunt=has_shunt(afb_options),
        )
    return out


class AnodeFreeDFN(pybamm.lithium_ion.DFN):
    """Doyle-Fuller-Newman model of an anode-free metal cell.

    Porous cathode (PyBaMM's DFN submodels), electrolyte in separator and cathode,
    and a planar negative current collector on which all the negative electrode's
    metal is plated from the cathode. The metal inventory is tracked exactly.

    Parameters
    ----------
    options : dict, optional
        afb options, see :data:`afb_models.options.ALLOWED_OPTIONS`. Unknown names or
        values raise :class:`afb_models.options.OptionError`.
    name : str, optional
        The model name.
    build : bool, optional
        Whether to build the model now (default). With ``build=False`` the submodels
        can be swapped in ``model.submodels`` before calling ``model.build_model()``.

    Examples
    --------
    >>> import pybamm, afb_models
    >>> model = afb_models.AnodeFreeDFN()
    >>> sim = pybamm.Simulation(model, parameter_values=model.default_parameter_values)
    """

    #: which electrical direction plates metal on the collector
    plating_direction = "charge"

    def __init__(
        self,
        options: Mapping[str, str] | None = None,
        name: str = "Anode-free DFN",
        build: bool = True,
    ):
        self.afb_options = validate_options(options)
        super().__init__(pybamm_options(self.afb_options), name=name, build=False)
        if self.afb_options["electrolyte"] == "single-ion conductor":
            use_single_ion_conductor(self.param)
        self.metal_param = MetalElectrodeParameters()
        self._set_planar_negative_submodels()
        # model.options: afb's options over PyBaMM's (the submodels keep PyBaMM's)
        self._options = ModelOptions(self._options, self.afb_options)
        if build:
            self.build_model()

    def _set_planar_negative_submodels(self):
        for name in _PYBAMM_PLANAR_NEGATIVE_SUBMODELS:
            del self.submodels[name]
        param, options = self.param, self.options
        self.submodels["current collector"] = current_collector_submodel(
            param, self.afb_options
        )
        self.submodels["electrolyte diffusion"] = submodels.PlanarElectrolyteDiffusion(
            param, options
        )
        self.submodels["electrolyte conductivity"] = (
            submodels.PlanarElectrolyteConductivity(param, options)
        )
        self.submodels.update(
            collector_interface_submodels(
                param, self.metal_param, options, self.afb_options,
                self.plating_direction,
            )
        )
        self.submodels["planar electrolyte boundary flux"] = (
            submodels.PlanarElectrolyteBoundaryFlux(param, options)
        )
        self.submodels["metal inventory"] = submodels.MetalInventory(param, options)
        self.submodels.update(
            thermal_submodels(param, self.metal_param, options, self.afb_options,
                              cathode=True)
        )

    @property
    def default_parameter_values(self):
        """The default Li cell, charging at C/10 when no experiment is given.

        An anode-free cell is assembled discharged, with no metal to strip: the
        parameter set's "Current function [A]" (a discharge) would end a plain
        ``pybamm.Simulation(AnodeFreeDFN()).solve([0, 3600])`` at its first instant
        on the lower cut-off. Its first step is a charge, which plates the metal.
        """
        from ..parameter_sets import DEFAULT_CELL, get_parameter_values

        values = get_parameter_values(DEFAULT_CELL)
        values["Current function [A]"] = -0.1 * values["Nominal cell capacity [A.h]"]
        return values

    @property
    def default_quick_plot_variables(self):
        return [
            "Voltage [V]",
            "Current [A]",
            "Plated metal thickness [m]",
            "Negative interface overpotential [V]",
            "Electrolyte concentration [mol.m-3]",
            "Positive particle surface concentration [mol.m-3]",
        ]

    def set_voltage_variables(self):
        super().set_voltage_variables()
        # Before the first charge the negative sits at the bare collector's potential,
        # far below the lower cut-off; the lower cut-off therefore applies only while
        # current is drawn from the cell (where it ends a discharge when the metal runs
        # out).
        V = self.variables["Voltage [V]"]
        # (the applied current: an internal short's current is the cell's own)
        discharging = self.variables["Total current density [A.m-2]"] > 0
        tolerance = {"Minimum voltage [V]": 0, "Minimum voltage switch [V]": 0.1}
        for k, event in enumerate(self.events):
            if event.name in tolerance:
                V_min = self.param.voltage_low_cut - tolerance[event.name]
                self.events[k] = pybamm.Event(
                    event.name, V - V_min * discharging, event.event_type
                )

    def set_degradation_variables(self):
        # PyBaMM's lithium-inventory variables count only particles and electrolyte;
        # the metal inventory (submodels.MetalInventory) replaces them.
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
