"""Bad input for `kjqg load`: exact messages, exit code 1, and a workspace left byte for byte."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kjqg_graph.cli import cli
from kjqg_graph.graph import node_id
from kjqg_graph.vocab import A, K

BAD = Path(__file__).parent / "data" / "bad"
H_ENT = "企业名称,统一社会信用代码,产业链,环节,所在地区,链主,高新技术企业\n"


@pytest.fixture
def wsdir(tmp_path):
    """A workspace that already holds the test chain (links.csv)."""
    w = tmp_path / "ws"
    r = CliRunner().invoke(cli, ["-w", str(w), "load", str(BAD / "links.csv")])
    assert r.exit_code == 0, r.output
    return w


def run(wsdir, *args):
    before = (wsdir / "graph.kjqg").read_bytes()
    r = CliRunner().invoke(cli, ["-w", str(wsdir), "load", *map(str, args)])
    return r, before


def fails(wsdir, *args):
    r, before = run(wsdir, *args)
    assert r.exit_code == 1, r.output
    assert (wsdir / "graph.kjqg").read_bytes() == before
    assert "Traceback" not in r.output
    return r.output


def only_problem(out):
    lines = out.strip().splitlines()
    assert lines[0].startswith("Error: 1 problem in "), out
    assert lines[0].endswith("; nothing was loaded"), out
    assert len(lines) == 2, out
    return lines[1]


@pytest.mark.parametrize("name,uname", [("gb18030.csv", "测试电池有限公司"), ("bom.csv", "测试电机有限公司")])
def test_encodings_load(wsdir, name, uname):
    r, _ = run(wsdir, BAD / name)
    assert r.exit_code == 0, r.output
    from kjqg_graph.workspace import Workspace
    kg = Workspace(wsdir).load()
    assert kg.has_node(node_id(K.Enterprise, uname))


def test_gb18030_summary_says_so(wsdir):
    r, _ = run(wsdir, BAD / "gb18030.csv")
    assert "gb18030.csv: 1 row as enterprises, read as gb18030" in r.output


CASES = [
    ("empty.csv", "empty.csv: is empty; a list needs a header row and at least one data row"),
    ("header_only.csv", "header_only.csv: has a header row but no data rows; fill in at least one row under it"),
    ("junk.csv", "junk.csv: is not a text file (a zero byte at offset 0); save the list as CSV (UTF-8) or .xlsx"),
    ("text.xlsx", "text.xlsx: is not an Excel workbook (.xlsx is a zip file; this one is not); "
                  "if it is CSV text, rename it to .csv"),
    ("missing_column.csv", "missing_column.csv: missing required column(s) 阶段 of a links list (产业链环节表). "
                           "Found: 产业链、环节、上级环节. Expected: 产业链*、环节*、阶段*、上级环节、下游环节、所需技术、说明、来源"),
    ("unknown_stage.csv", "unknown_stage.csv:2:阶段: '中上游' is not one of 上游、中游、下游"),
    ("bad_uscc.csv", "bad_uscc.csv:2:统一社会信用代码: has a wrong check digit: the 18th character should be 5 "
                     "for the first 17 (GB 32100); check the code against the business licence"),
    ("two_usccs.csv", "two_usccs.csv:3:统一社会信用代码: 测试电池有限责任公司 has 914502000000000275 here but "
                      "914501000000000195 on row 2; one enterprise, one code"),
    ("unknown_link.csv", "unknown_link.csv:2:环节: 环节 '电芯' is not a link of 产业链 测试链 in the lists or the "
                         "workspace; add it to the 产业链环节表 or fix the name"),
    ("extra_cells.csv", "extra_cells.csv:2: has 8 cells but the header has 7 columns; quote values that contain "
                        "a comma, or remove the extra cells"),
    ("unterminated_quote.csv", "unterminated_quote.csv:2: a quoted value starting on this row is never closed; "
                               "add the closing \" or remove the opening one"),
    ("maybe_bool.csv", "maybe_bool.csv:2:链主: '也许' is not a yes/no value; write 是 or 否 (also Y/N, true/false, "
                       "1/0, ✓/✗, 有/无), or leave it blank when unknown"),
]


@pytest.mark.parametrize("name,message", CASES, ids=[c[0] for c in CASES])
def test_bad_file(wsdir, name, message, monkeypatch):
    monkeypatch.chdir(BAD)
    assert only_problem(fails(wsdir, name)) == message


def test_huge_cell_refused_quickly(wsdir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("huge.csv").write_text(H_ENT + "测试电池有限公司,,测试链,上游材料," + "柳" * 5_000_000 + ",,\n", encoding="utf-8")
    t = time.perf_counter()
    out = fails(wsdir, "huge.csv")
    assert time.perf_counter() - t < 5
    assert only_problem(out) == ("huge.csv:2: a cell is longer than 100000 characters; a list cell holds a name or a "
                                 "short value — check this row (a missing closing quote can also cause this)")


def test_folder_and_missing_path(wsdir, tmp_path):
    d = tmp_path / "lists"
    d.mkdir()
    out = fails(wsdir, d, tmp_path / "nope.csv")
    assert out.splitlines()[1:] == [
        f"{d}: is a folder, not a list file; give the files inside it (for example {d / '*.csv'})",
        f"{tmp_path / 'nope.csv'}: no such file; check the path"]


def test_links_file_as_enterprises(wsdir, monkeypatch):
    monkeypatch.chdir(BAD)
    out = fails(wsdir, "links.csv", "--kind", "enterprises")
    assert only_problem(out) == (
        "links.csv: --kind enterprises (企业清单) needs the column(s) 企业名称, which this file does not have; its "
        "headers look like a links list (产业链环节表). Found: 产业链、环节、阶段、上级环节、下游环节、所需技术、说明、来源. "
        "Expected: 企业名称*、统一社会信用代码、产业链、环节*、所在地区、链主、高新技术企业、规上企业、研发人员、研发机构、"
        "研发经费、科技型中小企业、瞪羚企业、主要产品、来源")


def test_html_and_formula_names_are_plain_text(wsdir):
    r, _ = run(wsdir, BAD / "html_formula.csv")
    assert r.exit_code == 0, r.output
    from kjqg_graph.workspace import Workspace
    kg = Workspace(wsdir).load()
    names = {kg.name(n) for n in kg.nodes(K.Enterprise)}
    assert names == {"<b>测试</b>电池有限公司", "=HYPERLINK（\"x\"）有限公司"}   # brackets made full-width


def test_skip_invalid_writes_rejects(wsdir, tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_text(H_ENT + "好企业有限公司,,测试链,整机,,是,\n坏企业有限公司,,测试链,电芯,,,\n", encoding="utf-8")
    r, _ = run(wsdir, f, "--skip-invalid")
    assert r.exit_code == 0, r.output
    rejects = tmp_path / "mixed.rejects.csv"
    text = rejects.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "行号 row,企业名称,统一社会信用代码,产业链,环节,所在地区,链主,高新技术企业,问题 problem"
    assert "坏企业有限公司" in text and "好企业有限公司" not in text
    from kjqg_graph.workspace import Workspace
    kg = Workspace(wsdir).load()
    assert kg.has_node(node_id(K.Enterprise, "好企业有限公司"))
    assert not kg.has_node(node_id(K.Enterprise, "坏企业有限公司"))
    assert kg.get(node_id(K.Enterprise, "好企业有限公司"), A.chainLeader) is True
