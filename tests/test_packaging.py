"""What a wheel holds: every package of the source tree (pyproject.toml lists them
one by one, so a new subpackage that is not listed would install without its
files and fail only on a fresh machine)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_of_the_source_tree_is_listed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "afb_models").rglob("__init__.py")
    }
    assert on_disk <= listed, sorted(on_disk - listed)
