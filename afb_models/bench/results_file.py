"""benchmarks/RESULTS.md is written by several commands (``afb bench perf``,
``afb bench fit``, ``afb bench sweep``, ``afb bench skip``), each its own section between markers, so that one does not
erase another's."""

from __future__ import annotations

import re
from pathlib import Path

HEADER = ("# Benchmark results\n\nWritten by `afb bench perf`, `afb bench fit`, `afb bench "
          "sweep` and `afb bench skip`; do not edit by hand.\n")
#: the order sections appear in
ORDER = ("perf", "skip", "fit", "sweep")


def write_section(path, name: str, text: str) -> Path:
    """Replace section ``name`` of the results file with ``text``, keeping the others
    (a file without markers is taken as the perf section, as it used to be written)."""
    path = Path(path)
    sections = {}
    if path.exists():
        old = path.read_text()
        found = dict(re.findall(r"<!-- begin (\w+) -->\n(.*?)<!-- end \1 -->", old, re.S))
        if found:
            sections.update(found)
        elif old.strip():
            sections["perf"] = old.split("\n", 4)[-1] if old.startswith("# ") else old
    sections[name] = text if text.endswith("\n") else text + "\n"
    parts = [HEADER]
    for key in (*ORDER, *sorted(set(sections) - set(ORDER))):
        if key in sections:
            parts.append(f"<!-- begin {key} -->\n{sections[key]}<!-- end {key} -->\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts))
    return path
