"""Options of AnodeFreeDFN are validated: unknown names and values are refused with the
allowed choices listed."""

import pytest

import afb_models
from afb_models.options import ALLOWED_OPTIONS, OptionError, validate_options


def test_defaults_are_filled_in():
    options = validate_options(None)
    assert options == {name: values[0] for name, values in ALLOWED_OPTIONS.items()}


def test_unknown_option_lists_the_allowed_options():
    with pytest.raises(OptionError) as info:
        afb_models.AnodeFreeDFN({"stripping limt": "tanh"})
    message = str(info.value)
    assert "stripping limt" in message
    for name in ALLOWED_OPTIONS:
        assert name in message


def test_unknown_value_lists_the_allowed_values():
    with pytest.raises(OptionError) as info:
        afb_models.AnodeFreeDFN({"coverage": "quadratic"})
    message = str(info.value)
    assert "quadratic" in message
    for value in ALLOWED_OPTIONS["coverage"]:
        assert value in message


@pytest.mark.parametrize(
    "name,value",
    [(name, value) for name, values in ALLOWED_OPTIONS.items() for value in values],
)
def test_every_allowed_value_builds(name, value):
    options = {name: value}
    if name.startswith("dead metal "):  # refinements of dead metal need it on
        options["dead metal"] = "isolation"
    model = afb_models.AnodeFreeDFN(options)
    assert model.afb_options[name] == value
    assert "Plated metal amount [mol.m-2]" in model.variables


@pytest.mark.parametrize("refinement", ["dead metal reconnection", "dead metal resistance"])
def test_dead_metal_refinements_need_dead_metal(refinement):
    with pytest.raises(OptionError, match="dead metal"):
        afb_models.AnodeFreeDFN({refinement: "true"})
