"""Conventional carbonate Li electrolytes: 1 M LiPF6 in EC:DMC (1:1 w/w), the field's
baseline for Li||Cu and anode-free NMC||Cu cells, and 1 M LiPF6 in EC:EMC (3:7 w/w).

Every transport property comes from one measured source: Landesfeind & Gasteiger,
J. Electrochem. Soc. 166 (2019) A3079. They measured conductivity, diffusion
coefficient, transference number and thermodynamic factor against salt concentration
and temperature and fitted each with one function of (c, T); the functional forms are
PyBaMM's ``*_base_Landesfeind2019`` functions (pybamm.input.parameters.lithium_ion.
ORegan2022), imported here, not copied:

- EC:EMC (3:7 w/w): PyBaMM ships the four functions with their coefficients
  (``ORegan2022.electrolyte_*_EC_EMC_3_7_Landesfeind2019``); they are used as they are.
- EC:DMC (1:1 w/w): PyBaMM no longer ships this mixture. Its coefficients, from the
  same paper, are the ones PyBaMM shipped up to version 23.4 in
  ``input/parameters/lithium_ion/testing_only/electrolytes/
  lipf6_EC_DMC_1_1_Landesfeind2019``; they are given below and passed to PyBaMM's
  base functions.

Temperature: each fit is a function of T itself (the conductivity linear in T with
exp(1000/T) terms in its concentration dependence, the diffusivity exp(p3/T +
p4 c/T), transference number and thermodynamic factor polynomials in c and T), so no
separate Arrhenius factor is applied. Between 25 and 40 °C at 1 M the EC:DMC fits
correspond to apparent activation energies of about 12.6 kJ/mol (conductivity) and
18.7 kJ/mol (diffusivity).

Values at 1 M (what the functions return; tests/test_electrolytes.py checks them
against Valøen & Reimers, JES 152 (2005) A882, an independent measurement):

=========================  ==============  ==============  ==============
                           EC:DMC 25 °C    EC:DMC 40 °C    EC:EMC 25 °C
=========================  ==============  ==============  ==============
conductivity [S/m]         1.18            1.51            0.91
diffusivity [m2/s]         2.9e-10         4.2e-10         2.9e-10
transference number        0.33            0.45            0.22
thermodynamic factor       2.2             2.6             2.2
=========================  ==============  ==============  ==============

Where the fits hold: the polynomials of the transference number and the thermodynamic
factor go wrong outside the measured range. The EC:EMC transference number turns
negative at 10 °C above 1.07 M and at 0 °C above 0.4 M; the EC:DMC one stays positive
from 10 to 50 °C up to 3 M and turns negative at 0 °C above 1.3 M. Use EC:DMC below
25 °C, and neither below 10 °C. The conductivity fits go to 0 as c -> 0, as a
conductivity does.

Each dictionary holds PyBaMM's names of the electrolyte's parameters; a cell set
takes them with ``values.update(LIPF6_EC_DMC)`` (the electrolyte density, the SEI and
the other parameters of the cell are the cell set's).
"""

from __future__ import annotations

import numpy as np
from pybamm.input.parameters.lithium_ion.ORegan2022 import (
    electrolyte_conductivity_base_Landesfeind2019,
    electrolyte_conductivity_EC_EMC_3_7_Landesfeind2019,
    electrolyte_diffusivity_base_Landesfeind2019,
    electrolyte_diffusivity_EC_EMC_3_7_Landesfeind2019,
    electrolyte_TDF_base_Landesfeind2019,
    electrolyte_TDF_EC_EMC_3_7_Landesfeind2019,
    electrolyte_transference_number_base_Landesfeind2019,
    electrolyte_transference_number_EC_EMC_3_7_Landesfeind2019,
)

__all__ = [
    "LIPF6_EC_DMC",
    "LIPF6_EC_EMC",
    "electrolyte_TDF_EC_DMC_1_1_Landesfeind2019",
    "electrolyte_conductivity_EC_DMC_1_1_Landesfeind2019",
    "electrolyte_diffusivity_EC_DMC_1_1_Landesfeind2019",
    "electrolyte_transference_number_EC_DMC_1_1_Landesfeind2019",
]

# --- LiPF6 in EC:DMC (1:1 w/w): fit coefficients of Landesfeind & Gasteiger 2019 ---
# (the order of PyBaMM's base functions: conductivity p1..p6 in mS/cm with c in mol/L;
# diffusivity p1..p4 in 1e-10 m2/s; transference number and thermodynamic factor
# p1..p9 of the polynomial in c [mol/L] and T [K])
EC_DMC_CONDUCTIVITY_COEFFS = np.array(
    [7.98e-1, 2.28e2, -1.22, 5.09e-1, -4e-3, 3.79e-3]
)  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079, EC:DMC 1:1 fit (as in PyBaMM <= 23.4, lipf6_EC_DMC_1_1_Landesfeind2019)
EC_DMC_DIFFUSIVITY_COEFFS = np.array(
    [1.47e3, 1.33, -1.69e3, -5.63e2]
)  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079, EC:DMC 1:1 fit (as in PyBaMM <= 23.4, lipf6_EC_DMC_1_1_Landesfeind2019)
EC_DMC_TRANSFERENCE_COEFFS = np.array(
    [-7.91, 2.45e-1, 5.28e-2, 6.98e-1, -1.08e-2, -8.21e-5, 7.43e-4, -2.22e-3, 3.07e-5]
)  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079, EC:DMC 1:1 fit (as in PyBaMM <= 23.4, lipf6_EC_DMC_1_1_Landesfeind2019)
EC_DMC_TDF_COEFFS = np.array(
    [-5.58, 7.17, 3.80e-2, 1.91, -6.65e-2, -5.08e-5, 1.1e-1, -6.10e-3, 1.51e-4]
)  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079, EC:DMC 1:1 fit (as in PyBaMM <= 23.4, lipf6_EC_DMC_1_1_Landesfeind2019)


# Module-level functions (not closures), so that parameter values holding them pickle.
def electrolyte_conductivity_EC_DMC_1_1_Landesfeind2019(c_e, T):
    """Conductivity [S.m-1] of LiPF6 in EC:DMC (1:1 w/w) at ``c_e`` [mol.m-3] and
    ``T`` [K] (Landesfeind & Gasteiger, JES 166 (2019) A3079)."""
    return electrolyte_conductivity_base_Landesfeind2019(
        c_e, T, EC_DMC_CONDUCTIVITY_COEFFS
    )


def electrolyte_diffusivity_EC_DMC_1_1_Landesfeind2019(c_e, T):
    """Salt diffusion coefficient [m2.s-1] of LiPF6 in EC:DMC (1:1 w/w) at ``c_e``
    [mol.m-3] and ``T`` [K] (Landesfeind & Gasteiger, JES 166 (2019) A3079)."""
    return electrolyte_diffusivity_base_Landesfeind2019(
        c_e, T, EC_DMC_DIFFUSIVITY_COEFFS
    )


def electrolyte_transference_number_EC_DMC_1_1_Landesfeind2019(c_e, T):
    """Cation transference number of LiPF6 in EC:DMC (1:1 w/w) at ``c_e`` [mol.m-3]
    and ``T`` [K] (Landesfeind & Gasteiger, JES 166 (2019) A3079)."""
    return electrolyte_transference_number_base_Landesfeind2019(
        c_e, T, EC_DMC_TRANSFERENCE_COEFFS
    )


def electrolyte_TDF_EC_DMC_1_1_Landesfeind2019(c_e, T):
    """Thermodynamic factor 1 + dln f/dln c of LiPF6 in EC:DMC (1:1 w/w) at ``c_e``
    [mol.m-3] and ``T`` [K] (Landesfeind & Gasteiger, JES 166 (2019) A3079)."""
    return electrolyte_TDF_base_Landesfeind2019(c_e, T, EC_DMC_TDF_COEFFS)


#: 1 M LiPF6 in EC:DMC (1:1 w/w) ("LP30"), the carbonate baseline of Li||Cu CE studies
LIPF6_EC_DMC = {
    "Initial concentration in electrolyte [mol.m-3]": 1000.0,  # source: 1 M LiPF6, the baseline electrolyte (Landesfeind & Gasteiger, JES 166 (2019) A3079)
    "Electrolyte conductivity [S.m-1]": electrolyte_conductivity_EC_DMC_1_1_Landesfeind2019,  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079, fit of kappa(c, T); 1.18 S/m at 1 M, 25 °C
    "Electrolyte diffusivity [m2.s-1]": electrolyte_diffusivity_EC_DMC_1_1_Landesfeind2019,  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079, fit of D(c, T); 2.9e-10 m2/s at 1 M, 25 °C
    "Cation transference number": electrolyte_transference_number_EC_DMC_1_1_Landesfeind2019,  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079, fit of t+(c, T); 0.33 at 1 M, 25 °C
    "Thermodynamic factor": electrolyte_TDF_EC_DMC_1_1_Landesfeind2019,  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079, fit of TDF(c, T); 2.2 at 1 M, 25 °C
}

#: 1 M LiPF6 in EC:EMC (3:7 w/w) ("LP57"): PyBaMM's own functions (ORegan2022). Its
#: transference-number fit turns negative below about 10 °C (module docstring).
LIPF6_EC_EMC = {
    "Initial concentration in electrolyte [mol.m-3]": 1000.0,  # source: 1 M LiPF6 (Landesfeind & Gasteiger, JES 166 (2019) A3079)
    "Electrolyte conductivity [S.m-1]": electrolyte_conductivity_EC_EMC_3_7_Landesfeind2019,  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079 (PyBaMM ORegan2022); 0.91 S/m at 1 M, 25 °C
    "Electrolyte diffusivity [m2.s-1]": electrolyte_diffusivity_EC_EMC_3_7_Landesfeind2019,  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079 (PyBaMM ORegan2022); 2.9e-10 m2/s at 1 M, 25 °C
    "Cation transference number": electrolyte_transference_number_EC_EMC_3_7_Landesfeind2019,  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079 (PyBaMM ORegan2022); 0.22 at 1 M, 25 °C
    "Thermodynamic factor": electrolyte_TDF_EC_EMC_3_7_Landesfeind2019,  # source: Landesfeind & Gasteiger, JES 166 (2019) A3079 (PyBaMM ORegan2022); 2.2 at 1 M, 25 °C
}
