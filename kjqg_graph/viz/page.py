"""The chain map page: our own template around vis-network (the library pyvis pages run).

Why not pyvis' ``Network``: its ``add_edge`` scans Python lists (10k nodes took 1.3 s directed,
9.3 s undirected, and undirected silently drops reverse edges), and its stock template loads
tom-select, bootstrap and vis from CDNs even with ``cdn_resources='in_line'``. The page is the
same vis-network 9.1.2 pyvis ships (copied into ``kjqg_graph/assets``), fed with DataSets we
build ourselves, with positions computed in Python and physics off — static at once.

Escaping: every name reaches the page either through Jinja2 autoescaping (HTML) or inside the
JSON data block, where ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc. so no text can close
the ``<script>``; the page's JavaScript only ever puts names into ``textContent``.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["render_chain_page", "write_chain_page", "safe_json", "asset_text", "template_env", "ASSETS"]

ASSETS = ("vis-network.min.js", "map.js", "map.css", "report.js", "report.css",
          "vis-network.LICENSE-MIT", "vis-network.LICENSE-APACHE-2.0")

_JSON_ESC = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                           "\u2028": "\\u2028", "\u2029": "\\u2029"})


def safe_json(data) -> str:
    """JSON that may sit inside ``<script>``: no ``<``, ``>`` or ``&`` survive literally."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESC)


@lru_cache(maxsize=None)
def asset_text(name: str) -> str:
    return resources.files("kjqg_graph").joinpath("assets", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def template_env():
    from jinja2 import Environment, PackageLoader, select_autoescape
    env = Environment(loader=PackageLoader("kjqg_graph", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    return env


def _inline_script(text: str) -> str:
    # a shipped asset never contains "</script" — keep it that way if one is updated
    if "</script" in text.lower():
        raise ValueError("an inlined script contains </script")
    return text


def render_chain_page(cmap, *, inline: bool = True, asset_prefix: str = "assets/", back: str | None = None,
                      title: str | None = None) -> str:
    """The HTML of one chain map. ``inline``: scripts and styles in the page (a single offline file);
    otherwise they are linked relatively from ``asset_prefix`` (the report's shared copy)."""
    env = template_env()
    data = cmap.to_json()
    ctx = {
        "title": title or f"{cmap.chain} 产业链图谱" + (f"（{cmap.region}）" if cmap.region else ""),
        "chain": cmap.chain, "region": cmap.region, "data_json": safe_json(data),
        "inline": inline, "prefix": asset_prefix, "back": back,
        "n_nodes": len(cmap.ids), "n_visible": cmap.visible, "n_edges": len(cmap.edges),
        "n_groups": len(cmap.groups),
    }
    if inline:
        ctx["vis_js"] = _inline_script(asset_text("vis-network.min.js"))
        ctx["map_js"] = _inline_script(asset_text("map.js"))
        ctx["map_css"] = asset_text("map.css")
    return env.get_template("chain.html").render(**ctx)


def write_chain_page(kg, chain: str, path, region: str | None = None, **kw) -> Path:
    """Build the map of ``chain`` and write it to ``path`` as one self-contained UTF-8 HTML file."""
    from .model import chain_map
    cmap = chain_map(kg, chain, region, **kw)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_chain_page(cmap), encoding="utf-8")
    return path
