"""The application's errors: ``SaferhubError``, the one base of every error saferhub raises on
purpose, and import problems (every rejected input names the file, the line and the field at
fault)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

__all__ = ["SaferhubError", "ImportProblem", "InputError"]


class SaferhubError(Exception):
    """The base of saferhub's own errors: something the application refuses or cannot do, with a
    message fit for the person who asked. Each error keeps its older base too (``ValueError``,
    ``LookupError``), so existing ``except`` clauses still catch it."""


@dataclass(frozen=True)
class ImportProblem:
    file: str
    line: Optional[int]
    field: Optional[str]
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class InputError(SaferhubError):
    """Input that saferhub refuses. Nothing has been written when this is raised."""

    def __init__(self, problems: list[ImportProblem] | ImportProblem):
        self.problems = [problems] if isinstance(problems, ImportProblem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
