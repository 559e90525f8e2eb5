"""Chain maps and the static report in the browser (vis-network, offline).

- :func:`chain_map` — the map of one chain as data (nodes, edges, positions, gap marks, groups);
- :func:`render_chain_page` / :func:`write_chain_page` — one self-contained HTML page;
- :func:`write_report` — the static site: index of chains with scores, a page per chain.
"""
from .model import FLAGS, GROUP_OVER, ChainMap, chain_map
from .page import render_chain_page, safe_json, write_chain_page

__all__ = ["ChainMap", "FLAGS", "GROUP_OVER", "chain_map", "render_chain_page", "safe_json",
           "write_chain_page", "write_report"]


def write_report(*args, **kwargs):
    from .report import write_report as _w
    return _w(*args, **kwargs)
