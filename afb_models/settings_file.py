"""The TOML files that set up a job (a fit file, a study file): read with one-line
errors naming the file and key, and paths in them taken relative to the file."""

from __future__ import annotations

import tomllib
from pathlib import Path


class SettingsFile:
    """A job's TOML file, read and checked against its keys; ``error`` is the
    exception its problems raise (a one-line message starting with the path)."""

    def __init__(self, path, kind: str, error: type[Exception], allowed: set[str],
                 required: tuple[str, ...]):
        self.path, self.error = Path(path), error
        try:
            self.spec = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise error(f"{self.path}: no such {kind} file") from None
        except UnicodeDecodeError:
            raise error(f"{self.path}: not a UTF-8 text file") from None
        except tomllib.TOMLDecodeError as e:
            raise error(f"{self.path}: {e}") from None
        unknown = sorted(set(self.spec) - allowed)
        if unknown:
            raise error(f"{self.path}: unknown key '{unknown[0]}' (allowed: "
                        f"{', '.join(sorted(allowed))})")
        for key in required:
            if key not in self.spec:
                raise error(f"{self.path}: '{key}' is missing")

    def relative(self, key: str) -> str:
        """The string under ``key``: a path beside this file if there is one there,
        else as written (a shipped name)."""
        value = self.spec[key]
        if not isinstance(value, str):
            raise self.error(f"{self.path}: '{key}' must be a string")
        candidate = self.path.parent / value
        return str(candidate) if candidate.exists() else value
