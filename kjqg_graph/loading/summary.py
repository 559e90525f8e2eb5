"""What a load did (or, with --dry-run, would do): one screen of text."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..vocab import vocabulary

__all__ = ["LoadSummary"]

MAX_NOTES = 8


@dataclass
class LoadSummary:
    files: list = field(default_factory=list)        # (label, list kind, rows, encoding)
    nodes: dict = field(default_factory=dict)        # node kind -> Counter(added, updated, unchanged)
    edges: dict = field(default_factory=dict)        # relation -> Counter(added, unchanged)
    as_of: str = ""
    dry_run: bool = False
    merged: list = field(default_factory=list)       # enterprise names merged with another spelling
    auto_regions: list = field(default_factory=list)
    changes: list = field(default_factory=list)      # attribute changes made with --update
    rejected: list = field(default_factory=list)     # problems of the rows left out (--skip-invalid)
    rejects_files: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    notes: list = field(default_factory=list)        # sheets and rows left out on purpose
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)      # phase -> seconds (reading, checking, opening, ...)

    def count(self, what: str) -> int:
        """Total nodes ``added``, ``updated`` or ``unchanged``."""
        return sum(c[what] for c in self.nodes.values())

    @property
    def added(self):
        return {k: c["added"] for k, c in self.nodes.items() if c["added"]}

    @property
    def updated(self):
        return {k: c["updated"] for k, c in self.nodes.items() if c["updated"]}

    @property
    def unchanged(self):
        return {k: c["unchanged"] for k, c in self.nodes.items() if c["unchanged"]}

    def edge_count(self, what: str) -> int:
        return sum(c[what] for c in self.edges.values())

    @property
    def changed(self) -> bool:
        return bool(self.count("added") or self.count("updated") or self.edge_count("added"))

    def text(self) -> str:
        V = vocabulary()
        lines = []
        lines.append("dry run — nothing written; this load would read:" if self.dry_run else "loaded:")
        for label, kind, n, enc in self.files:
            extra = f", read as {enc}" if enc and enc not in ("utf-8", "utf-8-sig") else ""
            lines.append(f"  {label}: {n} row{'' if n == 1 else 's'} as {kind}{extra}")
        lines.append(f"as of {self.as_of}{'' if not self.seconds else f', {self.seconds:.1f} s'}")
        verb = ("would add", "would update", "unchanged") if self.dry_run else ("added", "updated", "unchanged")
        lines.append(f"{'':<30}{verb[0]:>10}{verb[1]:>13}{verb[2]:>11}")
        for kind, c in self.nodes.items():
            name = f"{V.label(kind)} {kind}"
            lines.append(f"{_pad(name, 30)}{c['added']:>10}{c['updated']:>13}{c['unchanged']:>11}")
        ea, eu = self.edge_count("added"), self.edge_count("unchanged")
        rels = "、".join(f"{V.label(r)} {c['added']}" for r, c in self.edges.items() if c["added"])
        lines.append(f"{_pad('关系 edges', 30)}{ea:>10}{'':>13}{eu:>11}")
        if rels:
            lines.append(f"  ({rels})")
        if not self.changed:
            lines.append("nothing new: the workspace already holds every fact in these lists")
        if self.auto_regions:
            lines.append(f"created {len(self.auto_regions)} region(s) no regions list defines (type unknown): "
                         f"{_few(self.auto_regions)} — add them to a regions list to give their type and parent")
        if self.merged:
            lines.append(f"merged {len(self.merged)} enterprise name(s) with another spelling (in the workspace or earlier in the lists):")
            lines += [f"  {m}" for m in self.merged[:MAX_NOTES]]
            if len(self.merged) > MAX_NOTES:
                lines.append(f"  … and {len(self.merged) - MAX_NOTES} more")
        if self.changes:
            lines.append(f"{'would change' if self.dry_run else 'changed'} {len(self.changes)} value(s) (--update):")
            lines += [f"  {c}" for c in self.changes[:MAX_NOTES]]
            if len(self.changes) > MAX_NOTES:
                lines.append(f"  … and {len(self.changes) - MAX_NOTES} more")
        if self.ignored_columns:
            lines.append(f"ignored columns no list kind defines: {_few(self.ignored_columns)}")
        lines += self.notes
        if self.rejected:
            rows = len({(p.file, p.sheet, p.row) for p in self.rejected})
            where = f"; see {'、'.join(self.rejects_files)}" if self.rejects_files else ""
            lines.append(f"left out {rows} invalid row(s) (--skip-invalid){where}")
            lines += [f"  {p}" for p in self.rejected[:MAX_NOTES]]
            if len(self.rejected) > MAX_NOTES:
                lines.append(f"  … and {len(self.rejected) - MAX_NOTES} more")
        return "\n".join(lines) + "\n"


def _few(names, n=6):
    names = list(names)
    return "、".join(names[:n]) + (f" … (+{len(names) - n})" if len(names) > n else "")


def _pad(text, width):
    from ..output import display_width
    return text + " " * max(1, width - display_width(text))


def new_counter():
    return Counter(added=0, updated=0, unchanged=0)
