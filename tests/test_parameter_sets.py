"""The parameter sets: listable, loadable by name (also through PyBaMM), every value
with its source, and each simulates."""

import ast
import io
import re
import tokenize
from pathlib import Path

import pybamm
import pytest

import afb_models
from afb_models import parameter_sets

NAMES = [
    "AFB_Li_Cu",
    "AFB_Li_Cu_LLZO",
    "AFB_Li_Cu_carbonate",
    "AFB_Li_Li",
    "AFB_Li_Li_LLZO",
    "AFB_Li_NMC532_Cu",
    "AFB_Li_NMC532_Cu_carbonate",
    "AFB_Na_Al",
    "AFB_Na_AuAl_NASICON",
    "AFB_Na_NASICON_AuAl",
    "AFB_Na_NVPF_glyme_Al",
    "AFB_Na_Na_NASICON",
]
PROVENANCE = re.compile(r"#\s*(source|estimate|derived|calibrated):")
#: a provenance word and what follows it, up to the next one
PROVENANCE_TEXT = re.compile(
    r"\b(source|estimate|derived|calibrated):(.*?)(?=\b(?:source|estimate|derived|calibrated):|$)"
)
#: a reference to this project's documentation, e.g. "docs/physics.md §2"
DOCS_REFERENCE = re.compile(r"docs/[\w./-]+(\s*§\s*[\d.]+)?")


def test_listed():
    assert parameter_sets.list_parameter_sets() == NAMES
    assert afb_models.list_parameter_sets() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_loadable_by_name_and_through_pybamm(name):
    ours = afb_models.get_parameter_values(name)
    through_pybamm = pybamm.ParameterValues(name)
    assert set(ours.keys()) == set(through_pybamm.keys())
    assert ours["Metal molar volume [m3.mol-1]"] == through_pybamm[
        "Metal molar volume [m3.mol-1]"
    ]


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="AFB_Li_NMC532_Cu"):
        afb_models.get_parameter_values("AFB_Li_graphite")


#: every module of the parameter sets, found by globbing, so that a new one is scanned
#: too; ``__init__.py`` is the registry of the sets (names and descriptions, no values)
PARAMETER_SET_DIR = Path(parameter_sets.__file__).parent
MODULES = sorted(p for p in PARAMETER_SET_DIR.glob("*.py") if p.name != "__init__.py")


def _comments(source):
    """Line number -> the comment on that line (tokenized, so a ``#`` in a string is
    not taken for one)."""
    return {
        token.start[0]: token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }


def _is_literal(node):
    """A number or a string written out (``-1.0`` included); not True/False/None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float, str)


def _is_numeric(node):
    """A number or arithmetic on numbers only (``3 * 6163.0``)."""
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float)
    if isinstance(node, ast.UnaryOp):
        return _is_numeric(node.operand)
    if isinstance(node, ast.BinOp):
        return _is_numeric(node.left) and _is_numeric(node.right)
    return False


def _unannotated_entries(path):
    """Values in ``path`` without a source/estimate/derived/calibrated comment, on
    their lines or in the comment lines right above them: every dictionary entry (but
    a group of entries, whose own entries are checked), every keyword argument given a
    literal number or string (but ``name=``, a function's label), and every module-level
    constant that is a number."""
    source = Path(path).read_text()
    lines = source.splitlines()
    comments = _comments(source)

    def annotated(first, last):
        if any(PROVENANCE.search(comments.get(n, "")) for n in range(first, last + 1)):
            return True
        n = first - 1  # the comment lines right above
        while n >= 1 and lines[n - 1].strip().startswith("#"):
            if PROVENANCE.search(lines[n - 1]):
                return True
            n -= 1
        return False

    found = []  # (first line, last line)
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is None or isinstance(value, ast.Dict):
                    continue  # ``**other`` or a group of entries
                found.append((key.lineno, value.end_lineno))
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg not in (None, "name") and _is_literal(keyword.value):
                    found.append((keyword.lineno, keyword.end_lineno))
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            if _is_numeric(node.value):
                found.append((node.lineno, node.end_lineno))
    return [
        f"{Path(path).name}:{first}: {lines[first - 1].strip()}"
        for first, last in sorted(set(found))
        if not annotated(first, last)
    ]


def _documentation_as_source(path):
    """Provenance comments of ``path`` that cite this project's documentation for a
    value: the docs cite nothing, so they are no source ("source: docs/physics.md"),
    nor the reasoning of an estimate. Only a calibration may point to the page that
    describes it (docs/calibration.md), and not with that pointer alone."""
    bad = []
    for line, comment in sorted(_comments(Path(path).read_text()).items()):
        for match in PROVENANCE_TEXT.finditer(comment):
            word, text = match.group(1), match.group(2).strip()
            cites_docs = DOCS_REFERENCE.search(text) and word != "calibrated"
            says_nothing_else = not DOCS_REFERENCE.sub("", text).strip(" ,;.()")
            if cites_docs or says_nothing_else:
                bad.append(f"{Path(path).name}:{line}: {comment}")
                break
    return bad


def test_every_module_is_scanned():
    names = {p.name for p in MODULES}
    assert {"degradation.py", "nvpf.py", "substrates.py", "metal_cells.py"} <= names
    for name in NAMES:
        assert Path(parameter_sets.source_file(name)) in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_value_states_its_source(path):
    assert _unannotated_entries(path) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_value_is_sourced_to_the_documentation(path):
    assert _documentation_as_source(path) == []


def test_the_provenance_checks_can_fail(tmp_path):
    """Each kind of value, left without a provenance comment, is reported; with one,
    on its line or just above, it is not; and the docs are accepted neither as a source
    nor as an estimate's reasoning, only as the page a calibration is described on."""
    module = tmp_path / "module.py"
    module.write_text(
        "RATE = 2 * 1.5e-3\n"
        "DENSITY = 0.534  # source: CRC Handbook\n"
        "# derived: 6.94 / 0.534\n"
        "VOLUME = 1.30e-5\n"
        "LABEL = 'Li'\n"
        "values = {\n"
        '    "A [m]": 1.0,\n'
        '    "B [m]": 2.0,  # estimate: a guess\n'
        '    "group": {\n'
        "        # calibrated: a fit\n"
        '        "C [m]": 3.0,\n'
        "    },\n"
        "}\n"
        "cell = coin_cell(\n"
        "    values,\n"
        "    thickness=25e-6,\n"
        "    cut_off=-1.0,  # estimate: a limit\n"
        "    electrolyte='glyme',\n"
        "    name='a label',\n"
        ")\n"
        'more = {"D [m]": 4.0}  # source: docs/physics.md §2\n'
        'other = {"E [m]": 5.0}  # estimate: (docs/physics.md §7)\n'
        'fit = {"F [m]": 6.0}  # calibrated: Louli 2020 fade, see docs/calibration.md\n'
        'guess = {"G [m]": 7.0}  # estimate: as on Cu (docs/physics.md §2)\n'
    )
    assert _unannotated_entries(module) == [
        "module.py:1: RATE = 2 * 1.5e-3",
        'module.py:7: "A [m]": 1.0,',
        "module.py:16: thickness=25e-6,",
        "module.py:18: electrolyte='glyme',",
    ]
    assert _documentation_as_source(module) == [
        "module.py:21: # source: docs/physics.md §2",
        "module.py:22: # estimate: (docs/physics.md §7)",
        "module.py:24: # estimate: as on Cu (docs/physics.md §2)",
    ]


def test_li_cell_is_the_louli_cell():
    """About 3.1 mAh cm-2 in the 3.6-4.5 V window at 40 °C (Louli 2020)."""
    values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
    area_cm2 = values["Electrode height [m]"] * values["Electrode width [m]"] * 1e4
    solution = pybamm.Simulation(
        afb_models.AnodeFreeDFN(),
        parameter_values=values,
        experiment=pybamm.Experiment(
            [
                "Charge at C/10 until 4.5 V",
                "Discharge at C/10 until 3.6 V",
            ]
        ),
        solver=pybamm.IDAKLUSolver(),
    ).solve()
    q = solution["Discharge capacity [A.h]"].entries
    discharged_mAh_cm2 = (q[-1] - q.min()) * 1e3 / area_cm2
    assert 2.8 < discharged_mAh_cm2 < 3.4  # 3.1 mAh cm-2 +- 10 %


def test_li_cathode_ocp_falls_only_as_the_cathode_fills():
    """The lithiation wall leaves the fitted curve alone where the cell cycles (under
    1 mV below x = 0.96) and takes the OCP below every lower cut-off at x = 1."""
    from pybamm.input.parameters.lithium_ion.Chen2020 import nmc_LGM50_ocp_Chen2020

    values = afb_models.get_parameter_values("AFB_Li_NMC532_Cu")
    ocp = values["Positive electrode OCP [V]"]

    def at(function, x):
        return float(function(pybamm.Scalar(x)).evaluate())

    for x in (0.3, 0.6, 0.9, 0.96):
        assert abs(at(ocp, x) - at(nmc_LGM50_ocp_Chen2020, x)) < 1e-3
    assert at(ocp, 0.99) < at(ocp, 0.98) - 0.2
    assert at(ocp, 1.0) < values["Lower voltage cut-off [V]"]


@pytest.mark.parametrize("name", NAMES)
def test_each_cell_plates_and_strips(name):
    """Each set simulates in the model of its configuration: a charge (anode-free)
    or a discharge (metal||collector, symmetric) plates the collector, and the way
    back strips it."""
    values = afb_models.get_parameter_values(name)
    configuration = parameter_sets.configuration_of(name)
    model_class = getattr(afb_models, parameter_sets.CONFIGURATIONS[configuration])
    model = model_class(parameter_sets.options_of(name))
    upper = values["Upper voltage cut-off [V]"]
    lower = values["Lower voltage cut-off [V]"]
    if configuration == "anode-free":
        steps = [f"Charge at C/5 until {upper} V", f"Discharge at C/5 until {lower} V"]
    else:
        steps = ["Discharge at C/5 for 2 hours", f"Charge at C/5 for 3 hours or until {upper} V"]
    solution = pybamm.Simulation(
        model,
        parameter_values=values,
        experiment=pybamm.Experiment(steps),
        solver=pybamm.IDAKLUSolver(),
    ).solve()
    first, second = solution.sub_solutions
    if configuration == "anode-free":
        assert "Voltage >" in first.termination and "Voltage <" in second.termination
    elif configuration == "metal||collector":
        assert "Voltage >" in second.termination  # stripped to the cut-off
    plated = solution["Plated metal thickness [m]"].entries
    assert plated.max() - plated[0] > 1e-6  # micrometres of metal were plated
