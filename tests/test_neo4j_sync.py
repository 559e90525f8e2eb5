"""Push and pull against a real Neo4j server: round trip, idempotence, prune, kill-and-rerun."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from neo4j_fixtures import *  # noqa: F401,F403  (fixtures)
from neo4j_fixtures import build_graph

from kjqg_graph.cli import cli
from kjqg_graph.neo4j import counts, pull, push
from kjqg_graph.neo4j.sync import edge_query, node_query
from kjqg_graph.vocab import K, R


def _db_totals(conn):
    n = conn.read_values("MATCH (n) RETURN count(n)")[0][0]
    r = conn.read_values("MATCH ()-[r]->() RETURN count(r)")[0][0]
    return n, r


def test_push_then_pull_gives_an_equal_graph(neo4j_db):
    kg = build_graph(300)
    rep = push(kg, neo4j_db)
    assert (rep.nodes, rep.relationships) == (len(kg), kg.edge_count())
    assert pull(neo4j_db) == kg
    assert counts(neo4j_db) == kg.counts()


def test_push_is_idempotent(neo4j_db):
    kg = build_graph(200)
    push(kg, neo4j_db)
    first = _db_totals(neo4j_db)
    push(kg, neo4j_db, batch_size=37)
    assert _db_totals(neo4j_db) == first == (len(kg), kg.edge_count())


def test_push_updates_attributes_and_prune_removes_what_is_gone(neo4j_db):
    kg = build_graph(100)
    push(kg, neo4j_db)
    e0, e1 = kg.nodes(K.Enterprise)[:2]
    kg.set_attrs(e0, highTech=None, uscc=None, products="虚构产品")
    kg.remove_node(e1)
    link = kg.out(e0, R.inLink)[0]
    kg.remove_edge(e0, R.inLink, link)
    rep = push(kg, neo4j_db)              # without prune: the removed node stays in Neo4j
    assert rep.pruned_nodes == 0 and _db_totals(neo4j_db)[0] == len(kg) + 1
    rep = push(kg, neo4j_db, prune=True, batch_size=3)
    assert rep.pruned_nodes == 1
    assert rep.pruned_relationships == 1   # e0 inLink link (e1's edges went with the node)
    assert pull(neo4j_db) == kg


def test_prune_leaves_foreign_data_alone(neo4j_db):
    neo4j_db.write("CREATE (:Other {id: 'x'})-[:KNOWS]->(:Other {id: 'y'})")
    kg = build_graph(20)
    push(kg, neo4j_db, prune=True)
    assert neo4j_db.read_values("MATCH (n:Other) RETURN count(n)")[0][0] == 2
    assert pull(neo4j_db) == kg


def test_queries_take_labels_from_the_ontology_only():
    from kjqg_graph.neo4j import Neo4jQueryError
    assert node_query(K.Enterprise).count("`Enterprise`") == 1
    assert "$rows" in edge_query(R.inLink, K.Enterprise, K.ChainLink)
    with pytest.raises(Neo4jQueryError):
        node_query("Enterprise`) DETACH DELETE n //")
    with pytest.raises(Neo4jQueryError):
        edge_query("KNOWS", K.Enterprise, K.ChainLink)


def test_user_text_travels_as_parameters(neo4j_db):
    kg = build_graph(5)
    e = kg.nodes(K.Enterprise)[0]
    evil = "x'}) MATCH (n) DETACH DELETE n //`"
    kg.set_attrs(e, products=evil)
    weird = kg.add_node(K.Enterprise, "名`称'\"}) RETURN 1 //", source=evil)
    kg.add_edge(weird, R.inLink, kg.nodes(K.ChainLink)[0], source=evil)
    push(kg, neo4j_db)
    assert pull(neo4j_db) == kg


def test_cli_push_status_pull(neo4j_db, neo4j_settings, tmp_path):
    from kjqg_graph.workspace import Workspace
    kg = build_graph(50)
    Workspace(tmp_path / "a").save(kg)
    env = {"NEO4J_URI": neo4j_settings.uri, "NEO4J_USERNAME": neo4j_settings.user,
           "NEO4J_PASSWORD": neo4j_settings.password, "NEO4J_DATABASE": neo4j_settings.database}
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "a"), "neo4j", "push", "--prune"], env=env)
    assert r.exit_code == 0, r.output
    assert f"pushed {len(kg)} nodes and {kg.edge_count()} relationships" in r.output
    assert neo4j_settings.password not in r.output
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "a"), "neo4j", "status", "-f", "json"], env=env)
    assert r.exit_code == 0, r.output
    assert "differ" not in r.output
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "b"), "neo4j", "pull"], env=env)
    assert r.exit_code == 0, r.output
    assert Workspace(tmp_path / "b").load() == kg
    r = CliRunner().invoke(cli, ["-w", str(tmp_path / "b"), "neo4j", "pull"], env=env)
    assert r.exit_code == 1 and "pass --replace" in r.output


def test_push_killed_midway_then_run_again_converges(neo4j_db, neo4j_settings, tmp_path):
    """SIGKILL a `kjqg neo4j push` child after some batches landed; a second push gives the right graph."""
    from kjqg_graph.workspace import Workspace
    kg = build_graph(6000, links=30)
    ws = tmp_path / "ws"
    Workspace(ws).save(kg)
    env = {**os.environ, "NEO4J_URI": neo4j_settings.uri, "NEO4J_USERNAME": neo4j_settings.user,
           "NEO4J_PASSWORD": neo4j_settings.password, "NEO4J_DATABASE": neo4j_settings.database,
           "KJQG_PROGRESS": "0"}
    kjqg = [sys.executable, "-c", "from kjqg_graph.cli import main; main()"]
    child = subprocess.Popen([*kjqg, "-w", str(ws), "neo4j", "push", "--batch-size", "200"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    total = len(kg) + kg.edge_count()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        n, r = _db_totals(neo4j_db)
        if r > 0:                 # nodes all in, some relationships in: kill it mid-relationships
            break
        time.sleep(0.02)
    assert child.poll() is None, f"push finished before it could be killed: {child.stderr.read().decode()}"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    n, r = _db_totals(neo4j_db)
    assert 0 < n + r < total, "the kill should leave a partial graph"
    p = subprocess.run([*kjqg, "-w", str(ws), "neo4j", "push"], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert _db_totals(neo4j_db) == (len(kg), kg.edge_count())      # no duplicates, nothing lost
    assert pull(neo4j_db) == kg
