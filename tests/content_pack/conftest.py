import shutil
from pathlib import Path

import pytest

FIXTURE_PACK = Path(__file__).resolve().parents[1] / "fixtures" / "pack"


class EditablePack:
    """A copy of the fixture pack in a tmp dir, edited by exact text replacement so that each
    test shows the broken YAML it checks and knows on which line the problem is."""

    def __init__(self, root: Path):
        self.root = root

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def line_of(self, relative: str, snippet: str | tuple[str, str]) -> int:
        """The line holding `snippet`, or for (snippet, after) the first line equal to
        snippet below the line holding `after`."""
        lines = (self.root / relative).read_text(encoding="utf-8").splitlines()
        if isinstance(snippet, tuple):
            snippet, after = snippet
            start = self.line_of(relative, after)
            return next(
                number for number, line in enumerate(lines, start=1) if number > start and line.strip() == snippet
            )
        matches = [number for number, line in enumerate(lines, start=1) if line.strip() == snippet]
        if len(matches) != 1:
            matches = [number for number, line in enumerate(lines, start=1) if snippet in line]
        assert len(matches) == 1, f"{snippet!r} must be on exactly one line of {relative}"
        return matches[0]

    def file(self, relative: str) -> str:
        return str(self.root / relative)


@pytest.fixture
def fixture_pack() -> Path:
    """The fixture pack itself, read-only."""
    return FIXTURE_PACK


@pytest.fixture
def pack(tmp_path) -> EditablePack:
    root = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, root)
    return EditablePack(root)
