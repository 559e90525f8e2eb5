"""Analysis commands: lists, gaps, score, leaders, what-if."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .._gc import gc_paused
from ..output import FORMATS, render, write_xlsx

__all__ = ["register"]

LIST_TITLES = {"enterprises": "企业清单", "resources": "创新资源清单", "technologies": "关键核心技术攻关清单"}
_BASE = [("chain", "产业链"), ("stage", "阶段"), ("link", "环节")]
LIST_COLUMNS = {
    "enterprises": _BASE + [("enterprise", "企业名称"), ("uscc", "统一社会信用代码"), ("region", "所在地区"),
                            ("chain_leader", "链主"), ("high_tech", "高新技术企业"), ("above_scale", "规上企业"),
                            ("tech_sme", "科技型中小企业"), ("gazelle", "瞪羚企业"), ("has_rd_staff", "研发人员"),
                            ("has_rd_platform", "研发机构"), ("has_rd_funds", "研发经费")],
    "resources": _BASE + [("node", "名称"), ("node_kind", "类别"), ("level", "级别"), ("region", "所在地区"),
                          ("how", "支撑方式"), ("path", "支撑路径")],
    "technologies": _BASE + [("tech", "技术名称"), ("chokepoint", "卡脖子"), ("status", "攻关状态"),
                             ("mechanism", "攻关方式"), ("tackler", "攻关单位"), ("tackler_kind", "单位类别"),
                             ("relation", "关系")],
}
_EMPTY_FIELD = {"enterprises": "enterprise", "resources": "node", "technologies": "tech"}
_REL_ZH = {"tackles": "攻关", "expertIn": "研究方向"}


def register(cli):
    for cmd in (lists, gaps, score, leaders, what_if):
        cli.add_command(cmd)


# ---------------------------------------------------------------------------- shared options
def _scope_options(f):
    f = click.option("--backend", "-b", default="memory", show_default=True,
                     help="Where to ask: memory (the workspace), neo4j or rdf.")(f)
    f = click.option("--region", "-r", help="Only count nodes located in this region or zone (or inside it).")(f)
    f = click.option("--chain", "-c", help="Only this chain (name or id); default all chains.")(f)
    return f


def _output_options(f):
    f = click.option("--output", "-o", "out", type=click.Path(dir_okay=False),
                     help="Write to this file instead of stdout (needed for xlsx).")(f)
    f = click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                     help="Output format.")(f)
    return f


def _backend(ws, name):
    from ..backends import get_backend
    return get_backend(name, ws)


def _kind_label(kind):
    from ..vocab import vocabulary
    try:
        return vocabulary().label(kind) if kind else ""
    except KeyError:
        return kind


def json_lines_array(items) -> str:
    """A JSON array with one item per line (the C encoder: fast on tens of thousands of items)."""
    import json
    enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    if not items:
        return "[]\n"
    return "[\n" + ",\n".join(enc.encode(x) for x in items) + "\n]\n"


_GAP_FIELDS = ("kind", "chain", "subject_id", "subject", "subject_kind", "link", "stage", "severity",
               "severity_parts", "reason", "candidates")


def gaps_json(found) -> str:
    """``json_lines_array([g.to_dict() for g in found])``, faster and byte for byte the same: a
    candidate list shared by many gaps (三无 enterprises of the same links) is encoded once and
    spliced in, and so is everything a gap shares with others of its group (kind, chain, link,
    stage, severity and its parts); only subject id, subject and reason are encoded per gap.
    Strings, ints, booleans and None are written as the encoder writes them without its Python
    frames; the shared tail of a gap goes into the text as it is (one copy, by the final join)."""
    import json

    from ..analysis.records import Gap
    if not found:
        return "[]\n"
    enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    if tuple(Gap.__dataclass_fields__) != _GAP_FIELDS:      # the layout below follows the field order
        return json_lines_array([g.to_dict() for g in found])
    esc = json.encoder.encode_basestring                     # what enc uses for a str
    done = {}                       # id(candidates tuple) -> (the tuple, its JSON)
    one = {}                        # id(candidate) -> (the candidate, its JSON)
    shared = {}                     # what a gap shares with its group -> (head, middle, tail)
    parts_json = {}                 # id(severity_parts) -> (the parts, their JSON)

    def val(v):                     # enc(v) for a str, int, bool or None without the encoder's frames
        c = v.__class__
        if c is str:
            return esc(v)
        if c is int:
            return int.__repr__(v)
        if c is bool:
            return "true" if v else "false"
        return "null" if v is None else enc(v)

    def flat(d):                    # enc(d) for a dict of such values
        return "{" + ",".join([f"{esc(k)}:{val(v)}" for k, v in d.items()]) + "}"
    parts = ["[\n"]
    append = parts.append
    for g in found:
        d = g.__dict__
        cands = d["candidates"]
        sp = d["severity_parts"]
        key = (d["kind"], d["chain"], d["subject_kind"], d["link"], d["stage"], d["severity"], id(sp), id(cands))
        hit = shared.get(key)
        if hit is None:
            ch = done.get(id(cands))
            if ch is None:
                js = []
                for c in cands:
                    cj = one.get(id(c))
                    if cj is None:
                        cj = one[id(c)] = (c, flat(c.to_dict()))
                    js.append(cj[1])
                ch = done[id(cands)] = (cands, "[" + ",".join(js) + "]")
            spj = parts_json.get(id(sp))
            if spj is None:
                spj = parts_json[id(sp)] = (sp, flat(dict(sp)))
            hit = shared[key] = (
                f'{{"kind":{val(d["kind"])},"chain":{val(d["chain"])},"subject_id":',
                f',"subject_kind":{val(d["subject_kind"])},"link":{val(d["link"])},"stage":{val(d["stage"])},'
                f'"severity":{val(d["severity"])},"severity_parts":{spj[1]},"reason":',
                f',"candidates":{ch[1]}}},\n', sp, cands)
        sid, subject, reason = d["subject_id"], d["subject"], d["reason"]
        if sid.__class__ is str and subject.__class__ is str and reason.__class__ is str:
            append(f'{hit[0]}{esc(sid)},"subject":{esc(subject)}{hit[1]}{esc(reason)}')
        else:
            append(f'{hit[0]}{enc(sid)},"subject":{enc(subject)}{hit[1]}{enc(reason)}')
        append(hit[2])
    parts[-1] = parts[-1][:-2] + "\n]\n"       # the last gap's tail: no separator, the array closes
    return "".join(parts)


def _emit_text(text, out, fmt):
    if out:
        enc = "utf-8-sig" if fmt == "csv" else "utf-8"
        Path(out).write_text(text, encoding=enc)
        click.echo(f"wrote {out}", err=True)
    elif fmt == "json" and getattr(sys.stdout, "buffer", None) is not None:
        # JSON escapes every control character, so there is no terminal code for click.echo to
        # strip (a regex pass over the whole text, ~10 ms per 10 MB): UTF-8 straight to stdout
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        click.echo(text, nl=False)


def _emit(rows, fmt, out, sheet="Sheet1"):
    """rows: list of dicts already in display form."""
    if fmt == "xlsx":
        if not out:
            raise click.UsageError("xlsx is a binary format: pass -o FILE.xlsx")
        write_xlsx(out, {sheet: rows})
        click.echo(f"wrote {out}", err=True)
        return
    _emit_text(render(rows, fmt), out, fmt)


def list_display_rows(which, records, human: bool, placeholder: str = "（无）") -> list[dict]:
    """Records of one list → dicts with Chinese headers (human formats) or the records' dicts (json)."""
    from ..analysis.records import HOW_ZH
    if not human:
        return [r.to_dict() for r in records]
    cols = LIST_COLUMNS[which]
    empty = _EMPTY_FIELD[which]
    out = []
    for r in records:
        d = r.to_dict()
        if which == "resources":
            d["node_kind"] = _kind_label(d["node_kind"])
            d["how"] = HOW_ZH.get(d["how"], "")
        if which == "technologies":
            d["tackler_kind"] = _kind_label(d["tackler_kind"])
            d["relation"] = _REL_ZH.get(d["relation"], "")
            if d["tech"] and not d["tackler"]:
                d["tackler"] = placeholder
        if not d[empty]:
            d[empty] = placeholder
        out.append({h: d.get(f) for f, h in cols})
    return out


# ---------------------------------------------------------------------------- lists
@click.command()
@_scope_options
@click.option("--list", "-l", "which", type=click.Choice(["enterprises", "resources", "technologies", "all"]),
              default="all", show_default=True, help="Which of the three lists.")
@_output_options
@click.pass_obj
def lists(ws, chain, region, backend, which, fmt, out):
    """The three lists (三张清单): per link in chain order, its enterprises, innovation
    resources (and how each supports the link) and key technologies (and who tackles them).

    \b
    Example:
      kjqg lists --chain 新能源汽车 --region 柳州市 --format xlsx -o 柳州三张清单.xlsx
      kjqg lists --list resources --format md
    """
    names = list(LIST_TITLES) if which == "all" else [which]
    with gc_paused(), _backend(ws, backend) as b:
        data = b.lists(chain, region, names)
    if fmt == "json":
        if which == "all":
            text = "{\n" + ",\n".join(f'"{w}": ' + json_lines_array([r.to_dict() for r in data[w]]).rstrip("\n")
                                       for w in names) + "\n}\n"
        else:
            text = json_lines_array([r.to_dict() for r in data[which]])
        _emit_text(text, out, fmt)
        return
    placeholder = "" if fmt in ("csv", "xlsx") else "（无）"
    shown = {w: list_display_rows(w, data[w], True, placeholder) for w in names}
    if fmt == "xlsx":
        if not out:
            raise click.UsageError("xlsx is a binary format: pass -o FILE.xlsx")
        write_xlsx(out, {LIST_TITLES[w]: shown[w] for w in names},
                   {LIST_TITLES[w]: [h for _, h in LIST_COLUMNS[w]] for w in names})
        click.echo(f"wrote {out} ({', '.join(f'{LIST_TITLES[w]} {len(shown[w])} 行' for w in names)})", err=True)
        return
    if fmt == "csv" and len(names) > 1:
        if not out:
            raise click.UsageError("CSV holds one list: pass --list enterprises|resources|technologies, "
                                   "or -o FILE.csv to write FILE.enterprises.csv, FILE.resources.csv, ...")
        p = Path(out)
        for w in names:
            target = p.with_name(f"{p.stem}.{w}{p.suffix or '.csv'}")
            _emit_text(render(shown[w], "csv", [h for _, h in LIST_COLUMNS[w]]), target, fmt)
        return
    parts = []
    for w in names:
        body = render(shown[w], fmt, [h for _, h in LIST_COLUMNS[w]])
        if len(names) > 1:
            head = f"## {LIST_TITLES[w]}\n\n" if fmt == "md" else f"== {LIST_TITLES[w]} ==\n"
            body = head + body
        parts.append(body)
    _emit_text("\n".join(parts), out, fmt)


# ---------------------------------------------------------------------------- gaps
def _kinds(value):
    from ..analysis.gaps import GAP_KINDS
    if not value:
        return GAP_KINDS
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    bad = [k for k in kinds if k not in GAP_KINDS]
    if bad:
        raise click.BadParameter(f"unknown gap kind {', '.join(bad)}; choose from {','.join(GAP_KINDS)}",
                                 param_hint="--kind")
    return kinds


_GAP_ZH = {"innovation": "创新链缺口", "technology": "攻关空白", "missing": "缺链", "broken": "断链",
           "weak": "弱链", "sanwu": "三无企业", "idle": "成果转化缺口"}


def gap_display_rows(gaps, show: int = 3) -> list[dict]:
    rows = []
    for g in gaps:
        cands = "；".join(f"{c.candidate}（{c.why}）" for c in g.candidates[:show])
        rows.append({"严重度": g.severity, "类型": f"{_GAP_ZH[g.kind]} {g.kind}", "产业链": g.chain,
                     "对象": g.subject, "环节": g.link, "原因": g.reason, "候选": cands})
    return rows


@click.command()
@_scope_options
@click.option("--kind", "-k", "kind", metavar="K[,K]",
              help="Gap kinds: innovation,technology,missing,broken,weak,sanwu,idle (default all).")
@click.option("--limit", type=click.IntRange(0, 100), default=5, show_default=True,
              help="Candidates per gap.")
@click.option("--top", type=click.IntRange(1), default=None, help="Only the N most severe gaps.")
@_output_options
@click.pass_obj
def gaps(ws, chain, region, backend, kind, limit, top, fmt, out):
    """Every gap, most severe first, with the reason and candidates that could close it.

    Severity = base(kind) + 3 if 卡脖子 + stage (上游 2, 中游 1) + enterprises depending on it
    (0, 1–2, 3–9, 10+ → 0–3). See queries/README.md.

    \b
    Example:
      kjqg gaps --chain 新能源汽车 --region 柳州市 --kind innovation,technology
      kjqg gaps --kind broken --format json
    """
    kinds = _kinds(kind)
    with gc_paused(), _backend(ws, backend) as b:
        found = b.gaps(chain, region, kinds, limit=limit, candidates=limit > 0)
    if top:
        found = found[:top]
    if fmt == "json":
        _emit_text(gaps_json(found), out, fmt)
        return
    if not found:
        click.echo("no gaps of the kinds asked", err=True)
    _emit(gap_display_rows(found, limit), fmt, out, "缺口 gaps")


# ---------------------------------------------------------------------------- score
SCORE_HEADERS = {
    "chain": "产业链", "links": "环节", "links_with_enterprises": "有企业环节", "links_supported": "有支撑环节",
    "links_supported_own": "自有支撑", "links_supported_inherited_only": "仅继承支撑", "technologies": "所需技术",
    "technologies_tackled": "有人攻关", "technologies_achieved": "已突破", "chokepoints": "卡脖子",
    "open_chokepoints": "卡脖子未突破", "untackled_chokepoints": "卡脖子无人攻关", "enterprises": "企业",
    "sanwu": "三无企业", "sanwu_possible": "疑似三无", "link_id": "环节id", "link": "环节", "stage": "阶段",
    "supporters": "支撑节点", "supported_own": "自有支撑", "supported_inherited": "继承支撑",
}


LEADER_HEADERS = {"chain": "产业链", "rank": "排名", "enterprise_id": "企业id", "enterprise": "企业", "region": "所在地区",
                  "declared": "认定链主", "links_covered": "覆盖环节", "downstream_fed": "供给下游环节",
                  "centrality": "中心度", "score": "结构得分", "flag": "提示"}
LEADER_FLAGS = {"declared_not_borne_out": "已认定但结构不支撑", "strong_undeclared": "结构强但未认定", "": ""}
IMPACT_HEADERS = {"kind": "影响", "chain": "产业链", "subject_id": "对象id", "subject": "对象", "link": "环节",
                  "lost": "失去的节点", "before": "原有数量"}
IMPACT_KINDS = {"missing": "缺链 missing", "unsupported": "失去支撑 unsupported", "untackled": "无人攻关 untackled"}


def _headed(rows, human, headers, drop=(), values=None):
    if not human:
        return [r.to_dict() for r in rows]
    out = []
    for r in rows:
        d = r.to_dict()
        for k, m in (values or {}).items():
            d[k] = m.get(d[k], d[k])
        out.append({headers.get(k, k): v for k, v in d.items() if k not in drop})
    return out


def score_display_rows(rows, human: bool) -> list[dict]:
    if not human:
        return [r.to_dict() for r in rows]
    out = []
    for r in rows:
        d = r.to_dict()
        d.pop("link_id", None)
        out.append({SCORE_HEADERS.get(k, k) if k != "links" or "link" not in d else "环节数": v for k, v in d.items()})
    return out


@click.command()
@_scope_options
@click.option("--detail", is_flag=True, help="One row per link instead of per chain.")
@_output_options
@click.pass_obj
def score(ws, chain, region, backend, detail, fmt, out):
    """Chain scores: links with enterprises, links supported (own vs inherited only),
    technologies tackled, open 卡脖子, 三无 count.

    \b
    Example:
      kjqg score
      kjqg score --chain 新能源汽车 --detail --format md
    """
    with _backend(ws, backend) as b:
        rows = b.link_scores(chain, region) if detail else b.chain_scores(chain, region)
    _emit(score_display_rows(rows, fmt != "json"), fmt, out, "链评分 scores")


# ---------------------------------------------------------------------------- leaders
@click.command()
@click.option("--chain", "-c", required=True, help="The chain (name or id).")
@click.option("--region", "-r", help="Only enterprises located in this region.")
@click.option("--backend", "-b", default="memory", show_default=True, help="memory, neo4j or rdf.")
@click.option("--top", type=click.IntRange(1), default=None, help="Only the first N.")
@_output_options
@click.pass_obj
def leaders(ws, chain, region, backend, top, fmt, out):
    """链主: rank a chain's enterprises by structural weight (links covered, downstream links fed,
    centrality) and flag declared leaders the structure does not bear out, and strong
    candidates not declared.

    \b
    Example:
      kjqg leaders --chain 工程机械 --top 10
    """
    with _backend(ws, backend) as b:
        rows = b.leaders(chain, region)
    flagged = [r for r in rows if r.flag]
    if top:
        rows = rows[:top] + [r for r in flagged if r.rank > top]
    _emit(_headed(rows, fmt != "json", LEADER_HEADERS, ("enterprise_id",), {"flag": LEADER_FLAGS}),
          fmt, out, "链主 leaders")


# ---------------------------------------------------------------------------- what-if
@click.command("what-if")
@click.option("--remove", "remove", metavar="NAME[,NAME]",
              help="Nodes to take away (names or ids, comma-separated). Without it: the single points of failure.")
@click.option("--chain", "-c", help="Only this chain.")
@click.option("--region", "-r", help="Only count nodes in this region.")
@click.option("--backend", "-b", default="memory", show_default=True, help="memory, neo4j or rdf.")
@_output_options
@click.pass_obj
def what_if(ws, remove, chain, region, backend, fmt, out):
    """What would break: links left without enterprises or support, technologies left
    untackled, if some nodes went away. Without --remove, list the single points of failure.

    \b
    Example:
      kjqg what-if --remove 广西柳工机械股份有限公司
      kjqg what-if --chain 新能源汽车
    """
    names = [x.strip() for x in remove.replace("，", ",").split(",") if x.strip()] if remove else None
    with _backend(ws, backend) as b:
        rows = b.what_if(names, chain, region)
    if names is not None and not rows:
        click.echo("nothing would break: every link keeps its enterprises and support", err=True)
    _emit(_headed(rows, fmt != "json", IMPACT_HEADERS, ("subject_id",), {"kind": IMPACT_KINDS}), fmt, out, "what-if")
