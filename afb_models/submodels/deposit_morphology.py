"""The morphology of the metal deposit: how much surface it exposes, set by the
substrate it nucleates on, the plating current and the temperature."""

from __future__ import annotations

import pybamm

from .base_mechanism import side_name


class DepositMorphology(pybamm.BaseSubModel):
    r"""Morphology of the plated metal, as surface factors relative to a reference
    deposit (bare collector, reference current density, reference temperature).

    Metal plated at a higher current density nucleates at a higher overpotential and
    grows as smaller, more numerous grains and whiskers (classical nucleation: nucleus
    radius :math:`\propto 1/|\eta|`, density :math:`\propto |\eta|^3`; Pei et al., Nano
    Lett. 17 (2017) 1132), so it exposes more surface per mole; at a higher
    temperature the grains are larger (Yan et al., Angew. Chem. Int. Ed. 58 (2019)
    11364); on a metal-philic coating (Au, Ag) the metal nucleates without a barrier
    and grows dense and uniform (Yan et al., Nat. Energy 1 (2016) 16010). The coating
    alloys with the metal and stays under the deposit, so every plating grows on it.
    The specific surface of the metal being plated, relative to the reference (*form*):

    .. math::
        s_p = \phi_{sub} \left(\frac{i_{pl} + i_\epsilon}{i_{ref}}\right)^{p}
              e^{E_m/R\,(1/T - 1/T_{ref})}\, f_p, \qquad
        f_p = \frac{1 + p_{ref}/\sigma_y}{1 + p/\sigma_y}

    Stack pressure :math:`p` densifies the deposit: the metal yields and fills the
    space between its grains and whiskers once the pressure is of the order of its
    yield strength :math:`\sigma_y` (Fang et al., Nat. Energy 6 (2021) 987: Li
    plated under 350 kPa is dense and columnar, under ~0 kPa porous; Louli et al.,
    Nat. Energy 5 (2020) 693: higher pressure, longer life). :math:`f_p` (*form*) is
    1 at the pressure the set's morphology was calibrated at, :math:`p_{ref}`
    ("Deposit morphology reference stack pressure [Pa]"), rises to
    :math:`1 + p_{ref}/\sigma_y` with no pressure and falls as
    :math:`\sigma_y/p` far above yield; through :math:`s_d` it lowers the dead
    metal isolated on stripping and the SEI on fresh metal.

    with :math:`i_{pl} = F r_{plate}` the local plating current density,
    :math:`\phi_{sub}` the substrate's factor ("Substrate deposit morphology factor",
    1 on a bare collector) and :math:`i_\epsilon` = 1e-6 A m-2 keeping it defined at
    rest. The deposit's own factor :math:`s_d` is the mean of :math:`s_p` over the
    metal it holds: plated metal brings its :math:`s_p`, stripping removes metal of the
    mean morphology (*form*),

    .. math::
        \frac{ds_d}{dt} = (s_p - s_d)\, \frac{r_{plate}}{n_M + n_\theta},
        \qquad s_d(0) = 1

    A mossy deposit also roughens as metal cycles: the exposed area per covered area,
    the roughness factor :math:`R_f`, grows with the plated amount in proportion to
    its specific surface (docs/physics.md §3),

    .. math::
        \frac{dR_f}{dt} = k_R\, s_p\, r_{plate}, \qquad R_f(0) = R_{f,0}

    Who uses them: SEI re-forms on fresh metal in proportion to :math:`s_p`, grows on
    the area :math:`\theta R_f`, and the fraction of stripped metal isolated as dead
    metal scales with :math:`s_d`
    (:mod:`afb_models.submodels.sei`, :mod:`afb_models.submodels.dead_metal`).

    Option ``"deposit morphology"``: ``"fixed"`` keeps :math:`s_p = s_d = 1` (the
    roughness still grows with the plated amount); ``"current and substrate"`` is the
    law above.

    ``side="counter"``: the same for the metal foil of a symmetric cell's counter
    electrode (its variables are named "Counter electrode ..."; a foil has no
    substrate coating, :math:`\phi_{sub} = 1`).
    """

    #: current density that keeps the power law defined at rest [A m-2]
    REST_CURRENT = 1e-6

    def __init__(self, param, metal_param, options, afb_options, side="working"):
        super().__init__(param, "negative", options=options, name=(
            "Deposit morphology" if side == "working" else "Counter electrode morphology"))
        self.metal_param = metal_param
        self.law = afb_options["deposit morphology"]
        self.side = side

    def var(self, name):
        """The name of the working electrode's variable ``name`` on this side."""
        return side_name(name, self.side)

    def get_fundamental_variables(self):
        cc = "current collector"
        R_f = pybamm.Variable(self.var("Metal roughness factor"), domain=cc)
        variables = {self.var("Metal roughness factor"): R_f}
        if self.law == "current and substrate":
            name = self.var("Deposit morphology factor")
            variables[name] = pybamm.Variable(name, domain=cc)
        else:
            variables[self.var("Deposit morphology factor")] = pybamm.Scalar(1)
        return variables

    def get_coupled_variables(self, variables):
        mp = self.metal_param
        if self.law == "current and substrate":
            T = variables[self.var("Negative interface temperature [K]")]
            i_plating = mp.F * variables[self.var("Metal plating rate [mol.m-2.s-1]")]
            phi = mp.phi_sub if self.side == "working" else 1
            s_p = (
                phi
                * ((i_plating + self.REST_CURRENT) / mp.i_morph_ref) ** mp.p_morph
                * pybamm.exp(mp.E_morph / mp.R * (1 / T - 1 / mp.T_ref))
                * self.pressure_factor()
            )
        else:
            s_p = pybamm.Scalar(1)
        variables[self.var("Plating morphology factor")] = s_p
        return variables

    def pressure_factor(self):
        """:math:`f_p` of the class docstring: 1 at the reference stack pressure."""
        mp = self.metal_param
        return (1 + mp.p_morph_ref / mp.sigma_y) / (1 + mp.p_stack / mp.sigma_y)

    def set_rhs(self, variables):
        mp = self.metal_param
        plating_rate = variables[self.var("Metal plating rate [mol.m-2.s-1]")]
        s_p = variables[self.var("Plating morphology factor")]
        R_f = variables[self.var("Metal roughness factor")]
        self.rhs = {R_f: mp.k_R * s_p * plating_rate}
        if self.law == "current and substrate":
            s_d = variables[self.var("Deposit morphology factor")]
            n = pybamm.maximum(variables[self.var("Plated metal amount [mol.m-2]")], 0)
            self.rhs[s_d] = (s_p - s_d) * plating_rate / (n + mp.n_cover)

    def set_initial_conditions(self, variables):
        self.initial_conditions = {
            variables[self.var("Metal roughness factor")]: self.metal_param.R_f0
        }
        if self.law == "current and substrate":
            s_d = variables[self.var("Deposit morphology factor")]
            self.initial_conditions[s_d] = pybamm.Scalar(1)
