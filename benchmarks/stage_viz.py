"""Viz stages: the chain map of the largest chain (generation, size, time to stable in headless
Chromium) and the whole report for the Guangxi seed."""
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _largest_chain(kg):
    from kjqg_graph.vocab import K, R
    def size(c):
        return sum(len(kg.inn(l, R.inLink)) for l in kg.inn(c, R.partOf))
    return max(kg.nodes(K.IndustryChain), key=lambda c: (size(c), c))


def viz(ctx):
    """`kjqg viz` of the largest chain: model + HTML in-process (after the workspace is open),
    the page's size, and seconds from navigation until the map is static in headless Chromium."""
    from kjqg_graph.viz import chain_map, render_chain_page
    from kjqg_graph.workspace import Workspace
    kg = Workspace(ctx.workspace()).load()
    kg._succ
    chain = _largest_chain(kg)
    t = time.perf_counter()
    m = chain_map(kg, chain)
    html = render_chain_page(m)
    out = ctx.dir / "viz-largest.html"
    out.write_text(html, encoding="utf-8")
    dt = time.perf_counter() - t
    e2e = ctx.kjqg("-w", str(ctx.workspace()), "viz", "--chain", chain, "-o", str(ctx.dir / "viz-cli.html"))
    res = {"seconds": dt, "cli_seconds": round(e2e, 3), "page_mb": round(out.stat().st_size / 1e6, 2),
           "nodes": len(m.ids), "visible": m.visible, "edges": len(m.edges), "groups": len(m.groups)}
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from browser import Browser, BrowserUnavailable
        try:
            with Browser() as b:
                page = b.open(out)
                res["stable_s"] = round(page.time_until("window.kjqg && window.kjqg.stable", since="navigation",
                                                        timeout=60), 3)
                res["console_errors"] = len(page.console_errors())
                page.screenshot(ctx.dir / "viz-largest.png")
        except BrowserUnavailable as e:
            res["stable_s"] = f"skipped: {e}"
    except ImportError as e:
        res["stable_s"] = f"skipped: {e}"
    return res


def report_seed(ctx):
    """`kjqg report` for the Guangxi seed, in-process from a loaded graph."""
    from kjqg_graph.graph import KnowledgeGraph
    from kjqg_graph.loading import load_into
    from kjqg_graph.viz import write_report
    kg = KnowledgeGraph()
    load_into(kg, sorted((ROOT / "seed_graphs" / "guangxi").glob("*.csv")))
    out = ctx.dir / "report-seed"
    t = time.perf_counter()
    index = write_report(kg, out)
    dt = time.perf_counter() - t
    pages = list(out.glob("*.html"))
    return {"seconds": dt, "pages": len(pages), "site_mb": round(sum(p.stat().st_size for p in out.rglob("*")
                                                                     if p.is_file()) / 1e6, 2),
            "index": str(index)}


STAGES = {"viz": viz, "report": report_seed}
