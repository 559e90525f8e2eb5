"""The static report: an index of every chain with its scores, and a page per chain with the map,
the three lists and the gaps as sortable tables, each list downloadable as CSV and XLSX.

The site is plain files that work from file:// offline: the scripts and styles are copied into
``assets/`` next to the pages and linked relatively. Every name goes through Jinja2 autoescaping
or the escaped JSON block (see :mod:`.page`).
"""
from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ..vocab import vocabulary

__all__ = ["write_report", "GAP_ZH", "LIST_COLUMNS"]

GAP_ZH = {"innovation": "创新链缺口", "technology": "攻关空白", "missing": "缺链", "broken": "断链",
          "weak": "弱链", "sanwu": "三无企业", "idle": "成果转化缺口"}

# (record field, column header) of each list, in table order
LIST_COLUMNS = {
    "enterprises": [("link", "环节"), ("stage", "阶段"), ("enterprise", "企业"), ("uscc", "统一社会信用代码"),
                    ("region", "地区"), ("chain_leader", "链主"), ("high_tech", "高新技术企业"),
                    ("above_scale", "规上"), ("tech_sme", "科技型中小企业"), ("gazelle", "瞪羚"),
                    ("has_rd_staff", "研发人员"), ("has_rd_platform", "研发机构"), ("has_rd_funds", "研发经费")],
    "resources": [("link", "环节"), ("stage", "阶段"), ("node", "创新资源"), ("node_kind", "类别"),
                  ("level", "级别"), ("region", "地区"), ("how", "支撑方式"), ("path", "支撑路径")],
    "technologies": [("link", "环节"), ("stage", "阶段"), ("tech", "关键核心技术"), ("chokepoint", "卡脖子"),
                     ("status", "攻关状态"), ("mechanism", "攻关方式"), ("tackler", "攻关单位"),
                     ("tackler_kind", "类别"), ("relation", "关系")],
}
LIST_TITLES = {"enterprises": "企业清单", "resources": "创新资源清单", "technologies": "关键核心技术攻关清单",
               "gaps": "缺口"}
GAP_COLUMNS = ["缺口", "严重度", "对象", "环节", "阶段", "原因", "可对接（候选）"]


def _v(x):
    if x is None:
        return ""
    if isinstance(x, bool):
        return "是" if x else "否"
    return x


def _list_rows(name, records):
    from ..analysis.records import HOW_ZH
    V = vocabulary()
    out = []
    for r in records:
        d = r.to_dict()
        row = {}
        for key, head in LIST_COLUMNS[name]:
            val = d.get(key)
            if key in ("node_kind", "tackler_kind", "relation") and val:
                val = V.label(val)
            elif key == "how" and val:
                val = HOW_ZH[val]
            elif key == "path" and not d.get("node_id"):
                val = "无任何支撑"
            row[head] = _v(val)
        out.append(row)
    return out


def _gap_rows(gaps):
    rows = []
    for g in gaps:
        cands = "、".join(c.candidate + ("（区外）" if not c.in_scope else "") for c in g.candidates)
        rows.append(dict(zip(GAP_COLUMNS, [GAP_ZH.get(g.kind, g.kind), g.severity, g.subject, g.link,
                                           _v(g.stage), g.reason, cands])))
    return rows


def _pct(a, b):
    return f"{round(100 * a / b)}%" if b else "—"


def _copy_assets(out: Path):
    from .page import ASSETS
    dst = out / "assets"
    dst.mkdir(parents=True, exist_ok=True)
    src = resources.files("kjqg_graph").joinpath("assets")
    for name in ASSETS:
        with resources.as_file(src.joinpath(name)) as p:
            shutil.copyfile(p, dst / name)


def write_report(kg, out_dir, region: str | None = None, *, candidates: int = 3, progress=None) -> Path:
    """Write the report site into ``out_dir``; return the path of its ``index.html``.

    ``progress``: an optional callable taking the chain name, called once per chain.
    """
    from ..analysis import chain_scores, enterprise_list, facts, find_gaps, resource_list, technology_list
    from ..analysis.scope import chains_of
    from ..output import render, write_xlsx
    from .model import chain_map
    from .page import render_chain_page, safe_json, template_env  # noqa: F401

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _copy_assets(out)
    env = template_env()
    f = facts(kg, region)
    scores = {s.chain: s for s in chain_scores(kg, region=region, f=f)}
    index_rows = []
    region_name = f.scope.region_name
    for i, cid in enumerate(chains_of(kg, None), 1):
        cname = kg.name(cid)
        if progress:
            progress(cname)
        slug = f"chain-{i:02d}"
        lists = {"enterprises": _list_rows("enterprises", enterprise_list(kg, cid, f=f)),
                 "resources": _list_rows("resources", resource_list(kg, cid, f=f)),
                 "technologies": _list_rows("technologies", technology_list(kg, cid, f=f))}
        gaps = find_gaps(kg, cid, region, limit=candidates, candidates=candidates > 0)
        lists["gaps"] = _gap_rows(gaps)
        columns = {k: [h for _, h in LIST_COLUMNS[k]] for k in LIST_COLUMNS}
        columns["gaps"] = GAP_COLUMNS
        downloads = {}
        for k, rows in lists.items():
            p = out / f"{slug}-{k}.csv"
            p.write_text(render(rows, "csv", columns[k]), encoding="utf-8-sig")
            downloads[k] = p.name
        xlsx = out / f"{slug}.xlsx"
        write_xlsx(xlsx, {LIST_TITLES[k]: rows for k, rows in lists.items()},
                   {LIST_TITLES[k]: columns[k] for k in lists})
        cmap = chain_map(kg, cid, f=f)
        s = scores.get(cname)
        summary = _summary(s, gaps)
        page = env.get_template("report_chain.html").render(
            title=f"{cname} 产业链" + (f"（{region_name}）" if region_name else ""), chain=cname,
            region=region_name, summary=summary, lists=lists, columns=columns, titles=LIST_TITLES,
            downloads=downloads, xlsx=xlsx.name, data_json=safe_json(cmap.to_json()), inline=False,
            prefix="assets/", n_nodes=len(cmap.ids), n_visible=cmap.visible, n_edges=len(cmap.edges),
            n_groups=len(cmap.groups))
        (out / f"{slug}.html").write_text(page, encoding="utf-8")
        index_rows.append({"href": f"{slug}.html", "chain": cname, **summary})
    index = env.get_template("report_index.html").render(
        title="科技强桂 产业链与创新链图谱" + (f"（{region_name}）" if region_name else ""), rows=index_rows,
        region=region_name)
    path = out / "index.html"
    path.write_text(index, encoding="utf-8")
    return path


def _summary(s, gaps) -> dict:
    count = {k: 0 for k in GAP_ZH}
    for g in gaps:
        count[g.kind] = count.get(g.kind, 0) + 1
    if s is None:
        return {"gaps": count}
    return {
        "links": s.links, "enterprises": s.enterprises,
        "ent_cover": _pct(s.links_with_enterprises, s.links),
        "support": _pct(s.links_supported, s.links),
        "support_own": _pct(s.links_supported_own, s.links),
        "technologies": s.technologies, "tackled": _pct(s.technologies_tackled, s.technologies),
        "open_chokepoints": s.open_chokepoints, "untackled_chokepoints": s.untackled_chokepoints,
        "sanwu": s.sanwu, "gaps": count,
    }
