"""One problem with one cell, row or file: ``file:row:column: reason``."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "format_problems"]

MAX_LISTED = 50


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    reason: str

    def where(self) -> str:
        w = self.file + (f"!{self.sheet}" if self.sheet else "")
        if self.row is not None:
            w += f":{self.row}"
        if self.column:
            w += f":{self.column}"
        return w

    def __str__(self):
        return f"{self.where()}: {self.reason}"


def format_problems(problems, limit=MAX_LISTED) -> str:
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… and {len(problems) - limit} more problems")
    return "\n".join(lines)
