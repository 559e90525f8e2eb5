"""Workspace commands: init, stats, chains, show, validate, synth."""
from __future__ import annotations

import click

from ..output import FORMATS, render
from ..vocab import A, K, R, vocabulary

format_option = click.option("--format", "-f", "fmt", type=click.Choice([f for f in FORMATS if f != "xlsx"]),
                             default="table", show_default=True, help="Output format.")


def echo_err(msg):
    click.echo(msg, err=True)


def register(cli):
    cli.add_command(init)
    cli.add_command(stats)
    cli.add_command(chains)
    cli.add_command(show)
    cli.add_command(validate)
    cli.add_command(synth)


@click.command()
@click.pass_obj
def init(ws):
    """Create an empty workspace folder.

    \b
    Example:
      kjqg --workspace ./liuzhou init
    """
    if ws.init():
        echo_err(f"created workspace {ws.path}")
    else:
        echo_err(f"workspace {ws.path} already exists; nothing changed")


@click.command()
@format_option
@click.pass_obj
def stats(ws, fmt):
    """Count nodes by kind and edges by relation.

    The whole workspace is read and checked (a damaged file is reported), then counted.

    \b
    Example:
      kjqg stats --format json
    """
    c = ws.load().counts()      # a real open: the body is read and checked, not just the header
    V = vocabulary()
    rows = [{"what": "node", "name": k, "中文": V.label(k), "count": n} for k, n in c["nodes"].items()]
    rows += [{"what": "edge", "name": r, "中文": V.label(r), "count": n} for r, n in c["edges"].items()]
    rows.append({"what": "total", "name": "nodes", "中文": "节点", "count": sum(c["nodes"].values())})
    rows.append({"what": "total", "name": "edges", "中文": "关系", "count": sum(c["edges"].values())})
    click.echo(render(rows, fmt), nl=False)


def chain_summary(kg) -> list[dict]:
    """One row per chain: its links by stage, enterprises and innovation resources touching it."""
    rows = []
    stages = vocabulary().scheme_values("StageScheme")
    for chain in kg.nodes(K.IndustryChain):
        links = kg.inn(chain, R.partOf)
        by_stage = {s: 0 for s in stages}
        ents, res = set(), set()
        for l in links:
            st = kg.get(l, A.stage)
            if st in by_stage:
                by_stage[st] += 1
            ents.update(kg.inn(l, R.inLink))
            res.update(kg.inn(l, R.supports))
        row = {"产业链 chain": kg.name(chain), "环节 links": len(links)}
        row.update({s: n for s, n in by_stage.items()})
        row["企业 enterprises"] = len(ents)
        row["直接支撑资源 supporting"] = len(res)
        rows.append(row)
    return rows


@click.command()
@format_option
@click.pass_obj
def chains(ws, fmt):
    """List the industry chains with their links by stage.

    \b
    Example:
      kjqg chains --format md
    """
    kg = ws.load()
    rows = chain_summary(kg)
    if not rows:
        echo_err("the workspace has no chains yet; load some with `kjqg seed guangxi` or `kjqg load FILE`")
    click.echo(render(rows, fmt), nl=False)


@click.command()
@click.argument("name")
@click.option("--kind", "-k", type=click.Choice(sorted(vocabulary().kinds)), help="Only nodes of this kind.")
@format_option
@click.pass_obj
def show(ws, name, kind, fmt):
    """Show a node (by name or id) with its attributes and neighbours.

    \b
    Example:
      kjqg show 广西柳工机械股份有限公司
      kjqg show 动力电池 --kind ChainLink
    """
    kg = ws.load()
    ids = [name] if kg.has_node(name) and (kind is None or kg.kind(name) == kind) else kg.find(name, kind)
    if not ids:
        from difflib import get_close_matches
        names = {kg.name(n) for n in (kg.nodes(kind) if kind else kg.nodes())}
        close = get_close_matches(name, names, n=5, cutoff=0.4)
        hint = f"; did you mean {'、'.join(close)}?" if close else ""
        raise click.ClickException(f"no node named {name!r}{hint}")
    if len(ids) > 1:
        cands = ", ".join(f"{n} ({kg.kind(n)})" for n in ids[:10])
        raise click.ClickException(f"{len(ids)} nodes are named {name!r}: {cands}; pass --kind or the id")
    nid = ids[0]
    V = vocabulary()
    rows = [{"field": "id", "value": nid}, {"field": "kind", "value": f"{kg.kind(nid)} {V.label(kg.kind(nid))}"}]
    for a, v in kg.attrs(nid).items():
        if a != "kind":
            rows.append({"field": f"{a} {V.label(a)}", "value": v})
    for rel, v in kg.neighbours(nid, "out"):
        rows.append({"field": f"→ {rel} {V.label(rel)}", "value": f"{kg.name(v)} ({kg.kind(v)})"})
    for rel, u in kg.neighbours(nid, "in"):
        rows.append({"field": f"← {rel} {V.label(rel)}", "value": f"{kg.name(u)} ({kg.kind(u)})"})
    click.echo(render(rows, fmt), nl=False)


@click.command()
@click.option("--ontology-only", is_flag=True, help="Check the ontology file itself, not the data.")
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both", show_default=True,
              help="Language of the messages.")
@click.pass_obj
def validate(ws, ontology_only, lang):
    """Check the graph against the SHACL shapes (exit 1 when it does not conform).

    \b
    Example:
      kjqg validate --lang zh
    """
    from ..validate import validate_graph, validate_ontology
    if ontology_only:
        report = validate_ontology()
    else:
        report = validate_graph(ws.load())
    click.echo(report.text(lang), nl=False)
    if not report.conforms:
        raise SystemExit(1)
    echo_err("conforms: the graph satisfies every shape" if not ontology_only else "the ontology is well formed")


@click.command()
@click.option("--enterprises", "-n", type=click.IntRange(10, 5_000_000), default=1000, show_default=True,
              help="How many fictitious enterprises.")
@click.option("--seed", "-s", type=int, default=1, show_default=True, help="Random seed (same seed, same graph).")
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the list files (default: synth-N-sS).")
@click.option("--load/--no-load", default=True, show_default=True,
              help="Also load the generated lists into the workspace.")
@click.pass_obj
def synth(ws, enterprises, seed, out_dir, load):
    """Generate a fictitious province-scale graph in the list formats.

    All names are plainly fictitious (虚构…). Deterministic for a seed.

    \b
    Example:
      kjqg synth --enterprises 10000 --seed 7 -o synth10k
    """
    from pathlib import Path
    from ..synth import write_synth
    out = Path(out_dir or f"synth-{enterprises}-s{seed}")
    files = write_synth(out, enterprises=enterprises, seed=seed)
    for f in files:
        echo_err(f"wrote {f}")
    if load:
        from ..loading import load_files
        summary = load_files(ws, files)
        echo_err(summary.text() if hasattr(summary, "text") else str(summary))
