"""Import problems: every rejected input names the file, the line and the field at fault."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

__all__ = ["ImportProblem", "InputError"]


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


class InputError(Exception):
    """Input that saferhub refuses. Nothing has been written when this is raised."""

    def __init__(self, problems: list[ImportProblem] | ImportProblem):
        self.problems = [problems] if isinstance(problems, ImportProblem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
