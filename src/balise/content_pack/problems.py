"""A problem found in a content pack, and the error raised when a pack cannot be loaded."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem, located precisely enough for a writer to jump to it in an editor."""

    file: str  # the pack path as given, joined with the file's path inside the pack
    line: int | None
    record_id: str | None  # the id of the challenge, skill, tube… the problem is in
    field: str | None  # the key inside that record (dotted for nested keys)
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = ".".join(part for part in (self.record_id, self.field) if part)
        return f"{where}: {what}: {self.message}" if what else f"{where}: {self.message}"

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.record_id or "", self.field or "", self.message)


class PackError(Exception):
    """The pack cannot be loaded; `problems` says why, one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        problems = self.problems
        lines = [str(problem) for problem in problems[:20]]
        if len(problems) > 20:
            lines.append(f"… and {len(problems) - 20} more")
        super().__init__(f"{len(problems)} problem(s) in the content pack:\n" + "\n".join(lines))
