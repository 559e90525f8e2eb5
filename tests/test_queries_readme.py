"""queries/README.md documents every query file: each .cypher and .rq file has a row of its own
(a table row whose first cell is the file name in backquotes)."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "queries"


def _rows():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([^`]+)` \|", readme, flags=re.M))


@pytest.mark.parametrize("folder,ext", [("cypher", "cypher"), ("sparql", "rq")])
def test_every_query_file_has_a_row(folder, ext):
    files = sorted(p.name for p in (ROOT / folder).glob(f"*.{ext}"))
    assert files, f"no .{ext} file found under queries/{folder}"
    missing = [f for f in files if f not in _rows()]
    assert not missing, f"queries/README.md has no table row for {', '.join(missing)}"


def test_every_row_names_a_file():
    have = {p.name for p in ROOT.glob("*/*") if p.suffix in (".cypher", ".rq")}
    stale = sorted(r for r in _rows() if r.endswith((".cypher", ".rq")) and r not in have)
    assert not stale, f"queries/README.md has rows for files that do not exist: {', '.join(stale)}"
