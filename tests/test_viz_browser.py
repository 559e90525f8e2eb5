"""The chain map and the report in headless Chromium, from file:// with networking off."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import launch_or_skip
from graphs import car_chain
from test_viz_model import EVIL, big_chain
from kjqg_graph.viz import FLAGS, chain_map, render_chain_page, write_report

pytestmark = pytest.mark.browser

RED = "#d62728"
READY = "window.kjqg && window.kjqg.stable"


@pytest.fixture(scope="module")
def browser():
    with launch_or_skip() as b:
        yield b


def _shots(tmp_path) -> Path:
    """Screenshots go to $KJQG_SCREENSHOTS when set (to look at them), else the test's tmp dir."""
    d = Path(os.environ.get("KJQG_SCREENSHOTS") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d


def _write(tmp_path, cmap, name="map.html"):
    p = tmp_path / name
    p.write_text(render_chain_page(cmap), encoding="utf-8")
    return p


def test_chain_map_counts_colours_and_no_errors(browser, tmp_path):
    kg, n = car_chain()
    m = chain_map(kg, "车")
    page = browser.open(_write(tmp_path, m), wait_for=READY)
    got = page.eval("return [kjqg.nodes.length, kjqg.edges.length]")
    assert got == [len(m.ids), len(m.edges)]
    styles = page.eval("return kjqg.nodes.get().map(n => [n.id, n.color.background, n.shapeProperties.borderDashes])")
    by_id = {i: (bg, dashes) for i, bg, dashes in styles}
    for i, f in enumerate(m.flags):
        if m.kinds[i] == "ChainLink" and f & FLAGS["missing"]:
            assert by_id[i][0] == "#ffffff", m.ids[i]          # hollow
        elif f & FLAGS["innovation_gap"]:
            assert by_id[i][0] == RED, m.ids[i]
        elif m.kinds[i] == "ChainLink":
            assert by_id[i][0] != RED, m.ids[i]
        if f & FLAGS["untackled"]:
            assert by_id[i][1], m.ids[i]                        # dashed
    assert any(f & FLAGS["innovation_gap"] for f in m.flags)
    assert page.console_errors() == []
    page.screenshot(_shots(tmp_path) / "viz-car.png")


def test_group_expands_on_click_and_search_finds_members(browser, tmp_path):
    m = chain_map(big_chain(per_link=350), "虚构链")
    page = browser.open(_write(tmp_path, m), wait_for=READY)
    assert page.eval("return kjqg.nodes.length") == m.visible
    assert page.eval("return kjqg.nodes.get('g0').label").startswith("企业 ×350")
    # a real click on the group node expands it
    page.eval("""const net = kjqg.network, p = net.canvasToDOM(net.getPosition('g0'));
                 net.body.emitter.emit('click', {nodes: ['g0'], edges: [], pointer: {DOM: p}}); return 1;""")
    assert page.eval("return kjqg.nodes.length") == len(m.ids)
    assert page.eval("return kjqg.edges.length") == len(m.edges)
    page = browser.open(page.url, wait_for=READY)
    hits = page.eval("return kjqg.search('虚构企业0123')")
    assert len(hits) == 1 and page.eval("return kjqg.nodes.get(arguments[0]) !== null", hits[0])
    assert page.eval("return kjqg.network.getSelectedNodes()") == hits
    assert page.console_errors() == []
    page.screenshot(_shots(tmp_path) / "viz-group-search.png")


def test_kind_filter_and_neighbourhood(browser, tmp_path):
    kg, n = car_chain()
    m = chain_map(kg, "车")
    page = browser.open(_write(tmp_path, m), wait_for=READY)
    page.eval("const cb = document.getElementById('kjqg-f-Enterprise'); cb.click(); return 1;")
    hidden = page.eval("return kjqg.nodes.get().filter(n => n.hidden).length")
    assert hidden == m.kinds.count("Enterprise")
    link = m.index(n["电池"])
    page.eval("kjqg.highlight(arguments[0]); return 1;", link)
    dimmed = page.eval("return kjqg.nodes.get().filter(n => n.color.background === '#f0f0f0').map(n => n.id)")
    neighbours = {t for s, t, _ in m.edges if s == link} | {s for s, t, _ in m.edges if t == link}
    assert link not in dimmed and not neighbours & set(dimmed)
    tip = page.eval("""const net = kjqg.network, p = net.canvasToDOM(net.getPosition(arguments[0]));
        net.body.emitter.emit('hoverNode', {node: arguments[0], pointer: {DOM: p}});
        return document.getElementById('kjqg-tip').innerText;""", link)
    assert "支撑路径" in tip and "电池" in tip
    assert page.console_errors() == []


def test_report_pages_open_offline_and_escape_names(browser, tmp_path):
    kg = big_chain(per_link=5, evil=True)
    index = write_report(kg, tmp_path / "site")
    page = browser.open(index, wait_for="window.kjqgReport && window.kjqgReport.ready")
    assert page.eval("return document.querySelectorAll('#chains tbody tr').length") == 1
    assert page.console_errors() == []
    page = browser.open(tmp_path / "site" / "chain-01.html", wait_for=READY)
    assert page.eval("return document.querySelectorAll('img').length") == 0
    assert EVIL in page.eval("return document.body.innerText")
    # sorting a table by clicking its header
    page.eval("document.querySelector('table[data-list=enterprises] th:nth-child(3)').click(); return 1;")
    first = page.eval("return document.querySelector('table[data-list=enterprises] tbody tr td:nth-child(3)').textContent")
    assert first == EVIL        # '<' sorts before the CJK names
    assert page.console_errors() == []
    page.screenshot(_shots(tmp_path) / "report-chain.png", full_page=False)


def test_large_chain_is_static_fast(browser, tmp_path):
    """About the largest chain of the 100k synthetic graph: 30 links, ~8k enterprises."""
    kg = big_chain(links=30, per_link=8000)
    m = chain_map(kg, "虚构链")
    p = _write(tmp_path, m)
    assert p.stat().st_size < 5e6
    page = browser.open(p)
    secs = page.time_until(READY, since="navigation", timeout=20)
    assert secs < 3.0
    assert page.eval("return kjqg.nodes.length") == m.visible
    assert page.console_errors() == []
    page.screenshot(_shots(tmp_path) / "viz-large.png")


def test_seed_report_every_page_clean(browser, tmp_path, seed_graph):
    from kjqg_graph.vocab import K
    index = write_report(seed_graph, tmp_path / "seed")
    page = browser.open(index, wait_for="window.kjqgReport && window.kjqgReport.ready")
    chains = seed_graph.count(K.IndustryChain)
    assert page.eval("return document.querySelectorAll('#chains tbody tr').length") == chains
    for i in range(1, chains + 1):
        page = browser.open(tmp_path / "seed" / f"chain-{i:02d}.html", wait_for=READY)
        assert page.eval("return kjqg.nodes.length") > 0
        assert page.console_errors() == [], i
    page.screenshot(_shots(tmp_path) / "report-seed-last.png")
