"""Neo4j commands: ``kjqg neo4j push | pull | status``.

Connection options fall back to NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE;
the password is never echoed.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import click

__all__ = ["register"]


def register(cli):
    cli.add_command(neo4j)


def _connection_options(f):
    f = click.option("--database", "-d", help="Database name (env NEO4J_DATABASE, default neo4j).")(f)
    f = click.option("--password", "-p", help="Password (env NEO4J_PASSWORD; prefer the variable).")(f)
    f = click.option("--user", "-u", help="User name (env NEO4J_USERNAME, default neo4j).")(f)
    f = click.option("--uri", help="Server URI, e.g. bolt://127.0.0.1:7687 or neo4j+s://xxxx.databases.neo4j.io "
                                   "(env NEO4J_URI).")(f)
    return f


def _connect(uri, user, password, database):
    from ..neo4j import Neo4jSettings, connect
    return connect(Neo4jSettings.resolve(uri, user, password, database))


@contextmanager
def _progress(total, label):
    show = sys.stderr.isatty() and os.environ.get("KJQG_PROGRESS", "1") != "0"
    if not show:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


@click.group()
def neo4j():
    """Sync the workspace with a Neo4j server and check the connection.

    \b
    Example:
      export NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=...
      kjqg neo4j push --prune && kjqg gaps --backend neo4j
    """


@neo4j.command()
@_connection_options
@click.option("--prune", is_flag=True, help="Also delete from Neo4j the nodes and relationships the workspace no longer has.")
@click.option("--batch-size", default=5_000, show_default=True, type=click.IntRange(1, 1_000_000),
              help="Rows per transaction (5k measured best: neo4j.sync.BATCH).")
@click.pass_obj
def push(ws, uri, user, password, database, prune, batch_size):
    """Sync the workspace graph into Neo4j (idempotent: run it again at any time).

    Creates the uniqueness constraints, then MERGEs nodes and relationships in batches.

    \b
    Example:
      kjqg neo4j push --uri bolt://127.0.0.1:7687 --prune
    """
    from ..neo4j import push as _push
    kg = ws.load()
    with _connect(uri, user, password, database) as conn:
        with _progress(len(kg) + kg.edge_count(), "pushing") as tick:
            rep = _push(kg, conn, prune=prune, batch_size=batch_size, progress=tick)
    msg = (f"pushed {rep.nodes} nodes and {rep.relationships} relationships to {conn.settings.describe()} "
           f"in {rep.seconds:.1f} s ({rep.rows_per_second:,.0f} rows/s)")
    if prune:
        msg += f"; pruned {rep.pruned_nodes} nodes and {rep.pruned_relationships} relationships"
    click.echo(msg, err=True)


@neo4j.command()
@_connection_options
@click.option("--replace", is_flag=True, help="Replace a workspace that already holds a graph.")
@click.pass_obj
def pull(ws, uri, user, password, database, replace):
    """Read the kjqg graph from Neo4j into the workspace (checked against the ontology).

    \b
    Example:
      kjqg -w ./from-neo4j neo4j pull
    """
    from ..neo4j import pull as _pull
    with ws.lock():
        current = ws.load_or_empty()
        if len(current) and not replace:
            raise click.ClickException(
                f"the workspace {ws.path} already holds {len(current)} nodes; pass --replace to overwrite it "
                f"or pull into another workspace with -w DIR")
        with _connect(uri, user, password, database) as conn:
            kg = _pull(conn)
        kg.meta = getattr(current, "meta", {}) or {}
        ws.save(kg, _locked=True)
    click.echo(f"pulled {len(kg)} nodes and {kg.edge_count()} edges into {ws.path}", err=True)


@neo4j.command()
@_connection_options
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table",
              show_default=True, help="Output format.")
@click.pass_obj
def status(ws, uri, user, password, database, fmt):
    """Check the connection and compare the counts in Neo4j with the workspace's.

    \b
    Example:
      kjqg neo4j status
    """
    from ..neo4j import counts
    from ..output import render
    with _connect(uri, user, password, database) as conn:
        info = conn.server_info()
        there = counts(conn)
    click.echo(f"connected to Neo4j {info['version']} {info['edition']} at {conn.settings.describe()}", err=True)
    here = ws.load().counts() if ws.exists() else {"nodes": {}, "edges": {}}
    rows = []
    for what, key in (("node", "nodes"), ("edge", "edges")):
        for name in sorted(set(here[key]) | set(there[key])):
            a, b = here[key].get(name, 0), there[key].get(name, 0)
            rows.append({"what": what, "name": name, "workspace": a, "neo4j": b, "same": a == b})
    click.echo(render(rows, fmt), nl=False)
    if not all(r["same"] for r in rows):
        click.echo("the workspace and Neo4j differ; run `kjqg neo4j push --prune` to sync", err=True)
