"""The README's study example runs as written and gives what it says."""

import re
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_study_example():
    text = README.read_text(encoding="utf-8")
    code = re.search(r"<!-- study example -->\s*```python\n(.*?)```", text, re.S).group(1)
    import matplotlib.pyplot as plt

    # (the example draws on the current axes: not on a figure an earlier test in
    # this process left open)
    plt.close("all")
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    data = namespace["data"]
    assert data["Retention"].dims == ("cell", "cycle")
    assert list(data["cell"].values) == ["bare Cu", "Au-coated Cu", "anode-less, N/P 0.2"]
    assert data.sizes["cycle"] == 50
    assert list(data["status"].values) == ["completed"] * 3
    retention = data["Retention"].sel(cycle=50)
    # the reservoir makes up the metal the anode-free cell loses
    assert retention.sel(cell="anode-less, N/P 0.2") > retention.sel(cell="bare Cu")
    loss = data["Metal loss"].sum("cycle")
    assert (loss > 0).all()
    # the figure has a line per cell
    assert len(plt.gca().get_lines()) == 3
    assert np.isfinite(data["Discharge capacity"]).all()
