"""The analysis commands in every format, formula neutralisation, backend errors."""
import csv
import io
import json

import pytest
from click.testing import CliRunner

from graphs import car_chain
from kjqg_graph.cli import cli
from kjqg_graph.vocab import K, R
from kjqg_graph.workspace import Workspace


@pytest.fixture
def ws(tmp_path):
    kg, n = car_chain()
    bad = kg.add_node(K.Enterprise, "=HYPERLINK(\"http://x\",\"点我\")")
    kg.add_edge(bad, R.inLink, n["材料"])
    kg.add_edge(bad, R.locatedIn, n["南宁"])
    p = kg.add_node(K.InnovationPlatform, "+平台", platformKind="孵化器")
    kg.add_edge(p, R.supports, n["材料"])
    w = tmp_path / "ws"
    Workspace(w).save(kg)
    return w


def run(ws, *args):
    r = CliRunner().invoke(cli, ["-w", str(ws), *args], catch_exceptions=False)
    return r


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
@pytest.mark.parametrize("which", ["enterprises", "resources", "technologies"])
def test_lists_every_text_format(ws, fmt, which):
    r = run(ws, "lists", "--list", which, "--format", fmt)
    assert r.exit_code == 0, r.output
    if fmt == "json":
        rows = json.loads(r.output)
        assert [x["link"] for x in rows][0] == "材料"
        assert {x["chain"] for x in rows} == {"车"}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(r.output)))
        assert rows[0]["环节"] == "材料"
    else:
        assert "整车" in r.output


def test_lists_all_json_has_three_lists_in_chain_order(ws):
    r = run(ws, "lists", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert set(data) == {"enterprises", "resources", "technologies"}
    links = list(dict.fromkeys(x["link"] for x in data["technologies"]))
    assert links == ["材料", "电机", "电池", "电芯", "整车"]
    how = {(x["link"], x["node"]): x["how"] for x in data["resources"]}
    assert how[("电芯", "平台A")] == "inherited" and how[("整车", "平台B")] == "via_host"


def test_lists_table_shows_sections_and_holes(ws):
    r = run(ws, "lists", "--chain", "车", "--region", "广西")
    assert r.exit_code == 0, r.output
    assert "== 企业清单 ==" in r.output and "== 关键核心技术攻关清单 ==" in r.output
    assert "（无）" in r.output


def test_csv_export_neutralises_formulas(ws, tmp_path):
    out = tmp_path / "l.csv"
    r = run(ws, "lists", "--list", "enterprises", "--format", "csv", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8-sig")
    names = [row["企业名称"] for row in csv.DictReader(io.StringIO(text))]
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in names
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)
    r = run(ws, "lists", "--list", "resources", "--format", "csv")
    assert "'+平台" in r.output and "\n车,上游,材料,+平台" not in r.output


def test_csv_all_lists_needs_output_then_writes_three_files(ws, tmp_path):
    r = run(ws, "lists", "--format", "csv")
    assert r.exit_code == 2 and "CSV holds one list" in r.output
    r = run(ws, "lists", "--format", "csv", "-o", str(tmp_path / "三张.csv"))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.glob("三张.*.csv")) == [
        "三张.enterprises.csv", "三张.resources.csv", "三张.technologies.csv"]


def test_xlsx_three_sheets_neutralised_and_print_ready(ws, tmp_path):
    from openpyxl import load_workbook
    out = tmp_path / "l.xlsx"
    r = run(ws, "lists", "--format", "xlsx", "-o", str(out))
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["企业清单", "创新资源清单", "关键核心技术攻关清单"]
    sheet = wb["企业清单"]
    assert [c.value for c in sheet[1]][:4] == ["产业链", "阶段", "环节", "企业名称"]
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in values
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)
    assert sheet.freeze_panes == "A2" and sheet.page_setup.orientation == "landscape"
    assert all(c.data_type != "f" for row in wb["创新资源清单"].iter_rows() for c in row)


def test_xlsx_needs_output(ws):
    r = run(ws, "lists", "--format", "xlsx")
    assert r.exit_code == 2 and "pass -o FILE.xlsx" in r.output


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
def test_gaps_formats(ws, fmt):
    r = run(ws, "gaps", "--region", "广西", "--kind", "technology,broken", "--format", fmt)
    assert r.exit_code == 0, r.output
    if fmt == "json":
        got = [(g["kind"], g["subject"]) for g in json.loads(r.output)]
        assert got == [("technology", "固态电解质"), ("broken", "电机"), ("broken", "电池"), ("technology", "轻量化")]
        first = json.loads(r.output)[0]
        assert first["severity_parts"] == {"base": 4, "chokepoint": 3, "stage": 1, "dependents": 0}
        assert first["candidates"][0]["why"] == "区外对接：位于湖南，正在攻关该技术"
    else:
        assert "院所Y" in r.output


def test_gaps_xlsx_and_bad_kind(ws, tmp_path):
    r = run(ws, "gaps", "--format", "xlsx", "-o", str(tmp_path / "g.xlsx"))
    assert r.exit_code == 0, r.output
    r = run(ws, "gaps", "--kind", "innovation,nonsense")
    assert r.exit_code == 2 and "unknown gap kind nonsense" in r.output


def test_gaps_unknown_and_unavailable_backend(ws):
    r = run(ws, "gaps", "--backend", "oracle")
    assert r.exit_code == 1 and "unknown backend 'oracle'; choose one of memory, neo4j, rdf" in r.output
    r = run(ws, "gaps", "--region", "广东")
    assert r.exit_code == 1 and "no region named '广东'" in r.output


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
def test_score_and_detail(ws, fmt):
    r = run(ws, "score", "--format", fmt)
    assert r.exit_code == 0, r.output
    r = run(ws, "score", "--detail", "--format", fmt)
    assert r.exit_code == 0, r.output
    if fmt == "json":
        assert [x["link"] for x in json.loads(r.output)] == ["材料", "电机", "电池", "电芯", "整车"]
    elif fmt == "csv":
        assert r.output.startswith("产业链,环节,阶段,企业")


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
def test_leaders_and_what_if(ws, fmt):
    r = run(ws, "leaders", "--chain", "车", "--format", fmt)
    assert r.exit_code == 0, r.output
    r = run(ws, "what-if", "--remove", "平台A", "--format", fmt)
    assert r.exit_code == 0, r.output
    if fmt == "json":
        assert [(x["kind"], x["subject"]) for x in json.loads(r.output)] == [("unsupported", "电池")]
    r = run(ws, "what-if", "--format", fmt)
    assert r.exit_code == 0, r.output


def test_leaders_needs_chain(ws):
    r = run(ws, "leaders")
    assert r.exit_code == 2


def test_every_analysis_command_has_help_with_example():
    for name in ("lists", "gaps", "score", "leaders", "what-if"):
        cmd = cli.commands[name]
        assert cmd.help and "Example:" in cmd.help, name
