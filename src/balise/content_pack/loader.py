"""Load a content pack that passes every check, for the database import and the engine."""

from __future__ import annotations

from pathlib import Path

from .model import Pack
from .problems import PackError, Problem
from .reader import read_pack
from .validate import pack_problems

__all__ = ["PackError", "load_pack", "read_pack"]


def load_pack(path: str | Path) -> Pack:
    """The pack at `path`; raises PackError (with every problem) unless it passes the check.

    A pack with problems is never half-imported. To look at one anyway (stats while
    writing), use `read_pack`, which returns what it could read with its problems.
    """
    pack, problems = read_pack(path)
    problems += pack_problems(pack)
    if problems:
        raise PackError(sorted(problems, key=Problem.sort_key))
    return pack
