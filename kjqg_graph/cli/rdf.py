"""RDF commands: export, import."""
from __future__ import annotations

import sys

import click


def register(cli):
    cli.add_command(export)
    cli.add_command(import_)


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["ttl", "nt", "jsonld", "graphml", "csv"]),
              default="ttl", show_default=True, help="Output format.")
@click.option("--output", "-o", "out", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: stdout). For csv, x.csv writes x.nodes.csv and x.edges.csv.")
@click.pass_obj
def export(ws, fmt, out):
    """Export the graph: RDF in the ontology's terms (ttl, nt, jsonld), GraphML or CSV.

    Nodes get stable IRIs (from the USCC where known, else kind + key); provenance is PROV-O.

    \b
    Example:
      kjqg export --format ttl -o guangxi.ttl
      kjqg export --format graphml -o guangxi.graphml
    """
    from ..rdf.io import export_graph
    kg = ws.load()
    if out is None:
        info = export_graph(kg, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        info = export_graph(kg, fmt, out)
    what = ", ".join(f"{k} {v}" for k, v in info.items() if k != "files")
    click.echo(f"exported {what or 'the graph'} as {fmt}" + (f" to {out}" if out else ""), err=True)


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "-f", "fmt", type=click.Choice(["ttl", "nt", "jsonld"]), default=None,
              help="RDF format (default: from the file suffix).")
@click.option("--replace/--merge", default=False, show_default=True,
              help="Replace the workspace graph, or merge the file into it.")
@click.pass_obj
def import_(ws, file, fmt, replace):
    """Import an RDF file (ttl, nt, jsonld) written in the ontology's terms.

    \b
    Example:
      kjqg import guangxi.ttl --replace
    """
    from ..rdf.io import import_graph
    new = import_graph(file, fmt)
    if replace or not ws.exists():
        new.meta = {}
        ws.save(new)
        click.echo(f"imported {len(new)} nodes and {new.edge_count()} edges from {file}", err=True)
        return
    with ws.transaction() as kg:
        for n in new.nodes():
            d = new.attrs(n)
            kind, key = d["kind"], n[len(d["kind"]) + 1:]
            kg.add_node(kind, key, **{a: v for a, v in d.items() if a != "kind"})
        for u, r, v, data in new.edges():
            kg.add_edge(u, r, v, **data)
    click.echo(f"imported {len(new)} nodes and {new.edge_count()} edges from {file}", err=True)
