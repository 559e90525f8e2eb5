"""The static report: files, tables, downloads, escaping, offline."""
from __future__ import annotations

import csv
import re

import pytest
from click.testing import CliRunner

from graphs import car_chain
from test_viz_model import EVIL, _REMOTE, big_chain
from kjqg_graph.viz import write_report


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    kg, _ = car_chain()
    out = tmp_path_factory.mktemp("report")
    return write_report(kg, out)


def test_site_files(site):
    out = site.parent
    assert site.name == "index.html"
    for name in ["chain-01.html", "chain-01.xlsx", "chain-01-enterprises.csv", "chain-01-resources.csv",
                 "chain-01-technologies.csv", "chain-01-gaps.csv", "assets/vis-network.min.js", "assets/map.js",
                 "assets/report.js", "assets/vis-network.LICENSE-MIT", "assets/vis-network.LICENSE-APACHE-2.0"]:
        assert (out / name).is_file(), name


def test_index_lists_chains_with_scores(site):
    html = site.read_text(encoding="utf-8")
    assert '<a href="chain-01.html">车</a>' in html
    assert "创新支撑率" in html and "%" in html


def test_chain_page_has_map_lists_and_gaps(site):
    html = (site.parent / "chain-01.html").read_text(encoding="utf-8")
    for title in ["企业清单", "创新资源清单", "关键核心技术攻关清单", "缺口"]:
        assert title in html
    assert html.count('class="kjqg-table sortable"') == 4
    assert 'id="kjqg-data"' in html and 'src="assets/vis-network.min.js"' in html


def test_no_remote_resources(site):
    for p in site.parent.glob("*.html"):
        assert not _REMOTE.search(p.read_text(encoding="utf-8")), p


def test_downloads_match_the_lists(site):
    from kjqg_graph.analysis import enterprise_list
    kg, n = car_chain()
    with open(site.parent / "chain-01-enterprises.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(enterprise_list(kg, n["车"]))
    assert rows[0]["环节"]
    from openpyxl import load_workbook
    wb = load_workbook(site.parent / "chain-01.xlsx", read_only=True)
    assert wb.sheetnames == ["企业清单", "创新资源清单", "关键核心技术攻关清单", "缺口"]


def test_every_name_is_escaped(tmp_path):
    kg = big_chain(per_link=5, evil=True)
    index = write_report(kg, tmp_path)
    html = (tmp_path / "chain-01.html").read_text(encoding="utf-8")
    assert EVIL not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    csv_text = (tmp_path / "chain-01-enterprises.csv").read_text(encoding="utf-8-sig")
    assert EVIL in csv_text          # data files keep the name as it is
    assert EVIL not in index.read_text(encoding="utf-8")


def test_cli_report(tmp_path):
    from kjqg_graph.cli import cli
    from kjqg_graph.workspace import Workspace
    kg, _ = car_chain()
    ws = Workspace(tmp_path / "ws")
    ws.init()
    ws.save(kg)
    r = CliRunner().invoke(cli, ["-w", str(ws.path), "report", "-o", str(tmp_path / "site")])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().endswith("index.html")
    assert (tmp_path / "site" / "chain-01.html").is_file()
