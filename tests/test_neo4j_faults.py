"""Faults: server down, wrong password, unknown database, bad URI; transient errors retried."""
from __future__ import annotations

import dataclasses
import time

import pytest
from click.testing import CliRunner

from neo4j_fixtures import *  # noqa: F401,F403

from kjqg_graph.cli import cli
from kjqg_graph.neo4j import (Neo4jAuthError, Neo4jConfigError, Neo4jDatabaseNotFoundError, Neo4jSettings,
                              Neo4jUnavailableError, connect)

SECRET = "not-the-password-5f3a"


def _run(args, settings, **over):
    env = {"NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.user, "NEO4J_PASSWORD": settings.password,
           "NEO4J_DATABASE": settings.database, **over}
    return CliRunner().invoke(cli, ["neo4j", *args], env=env)


def test_server_down_is_one_line_naming_the_fix(neo4j_settings):
    # a port nothing listens on: the same failure as a stopped server
    r = _run(["status"], neo4j_settings, NEO4J_URI="bolt://127.0.0.1:1")
    assert r.exit_code == 1
    line = r.output.strip()
    assert "\n" not in line
    assert line.startswith("Error: cannot reach Neo4j at bolt://127.0.0.1:1 (")
    assert line.endswith("start the server (scripts/neo4j.sh start) or point to a running one with --uri / NEO4J_URI")
    with pytest.raises(Neo4jUnavailableError):
        connect(dataclasses.replace(neo4j_settings, uri="bolt://127.0.0.1:1"))


def test_wrong_password_then_right_one(neo4j_conn, neo4j_settings):
    r = _run(["status"], neo4j_settings, NEO4J_PASSWORD=SECRET)
    assert r.exit_code == 1
    assert r.output.strip() == (
        f"Error: Neo4j at {neo4j_settings.uri} refused user 'neo4j': wrong user name or password; "
        f"pass --user/--password or set NEO4J_USERNAME/NEO4J_PASSWORD")
    assert SECRET not in r.output
    # one failure does not trip the rate limit (3 in a row do): the right password still works
    r = _run(["status"], neo4j_settings)
    assert r.exit_code == 0, r.output


def test_wrong_password_through_the_library(neo4j_conn, neo4j_settings):
    with pytest.raises(Neo4jAuthError) as e:
        connect(dataclasses.replace(neo4j_settings, password=SECRET))
    assert SECRET not in str(e.value)
    time.sleep(0.1)


def test_unknown_database(neo4j_conn, neo4j_settings):
    r = _run(["status", "--database", "nope"], neo4j_settings)
    assert r.exit_code == 1
    assert r.output.strip() == (
        f"Error: Neo4j at {neo4j_settings.uri} has no database 'nope'; pass --database or set NEO4J_DATABASE "
        f"to an existing one (Community edition has only 'neo4j')")
    with pytest.raises(Neo4jDatabaseNotFoundError):
        connect(dataclasses.replace(neo4j_settings, database="nope"))


def test_bad_uri_and_missing_password():
    with pytest.raises(Neo4jConfigError, match="the scheme must be one of bolt"):
        connect(Neo4jSettings(uri="http://127.0.0.1:7474", password="x"))
    with pytest.raises(Neo4jConfigError, match="pass --password or set NEO4J_PASSWORD"):
        connect(Neo4jSettings(password=None))


def test_settings_from_env_and_password_hidden():
    s = Neo4jSettings.resolve(env={"NEO4J_URI": "neo4j+s://x.databases.neo4j.io", "NEO4J_USERNAME": "u",
                                   "NEO4J_PASSWORD": SECRET, "NEO4J_DATABASE": "db"})
    assert (s.uri, s.user, s.password, s.database) == ("neo4j+s://x.databases.neo4j.io", "u", SECRET, "db")
    assert SECRET not in repr(s) and SECRET not in s.describe()
    assert Neo4jSettings.resolve("bolt://h:1", env={"NEO4J_URI": "bolt://other"}).uri == "bolt://h:1"


def test_transient_errors_are_retried(neo4j_conn):
    from neo4j.exceptions import SessionExpired
    calls = []

    def work(tx):
        calls.append(1)
        if len(calls) < 3:
            raise SessionExpired("simulated: connection to the leader lost")
        return tx.run("RETURN 42 AS x").single()["x"]

    assert neo4j_conn.execute(work, write=True) == 42
    assert len(calls) == 3
