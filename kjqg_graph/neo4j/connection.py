"""One connection to a Neo4j server: managed transactions, driver errors made into ours.

The driver is imported here, when a command first needs the server. Every query runs through
``session.execute_read`` / ``execute_write`` (managed transactions), so the driver retries
transient errors (leader switch, deadlock, lost connection) with back-off before giving up.
"""
from __future__ import annotations

import re
from contextlib import contextmanager

from .config import Neo4jSettings
from ..errors import (Neo4jAuthError, Neo4jConfigError, Neo4jDatabaseNotFoundError, Neo4jQueryError,
                      Neo4jUnavailableError)

__all__ = ["Connection", "connect", "label", "COMMON_LABEL"]

COMMON_LABEL = "KjqgNode"
FETCH_SIZE = 10_000           # records per pull from the server (the driver's default is 1,000)
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def label(name: str) -> str:
    """``name`` (a node kind or relation of the ontology) quoted for a query string.

    Only names the ontology defines (or the common label) pass: user text never reaches a query string.
    """
    from ..vocab import vocabulary
    v = vocabulary()
    if name != COMMON_LABEL and name not in v.kinds and name not in v.relations:
        raise Neo4jQueryError(f"{name!r} is not a kind or relation of the ontology; it cannot be a Neo4j label")
    if not _IDENT.match(name):
        raise Neo4jQueryError(f"{name!r} is not a plain identifier; it cannot be a Neo4j label")
    return f"`{name}`"


def _fix_hint(settings: Neo4jSettings) -> str:
    return "pass --uri or set NEO4J_URI"


@contextmanager
def translate(settings: Neo4jSettings):
    """Turn the driver's exceptions into ours, with a message that names the fix."""
    from neo4j import exceptions as ne
    where = settings.uri
    try:
        yield
    except ne.AuthError:
        raise Neo4jAuthError(
            f"Neo4j at {where} refused user {settings.user!r}: wrong user name or password; "
            f"pass --user/--password or set NEO4J_USERNAME/NEO4J_PASSWORD") from None
    except ne.ServiceUnavailable as e:
        raise Neo4jUnavailableError(
            f"cannot reach Neo4j at {where} ({_short(e)}); start the server (scripts/neo4j.sh start) "
            f"or point to a running one with --uri / NEO4J_URI") from None
    except ne.SessionExpired as e:
        raise Neo4jUnavailableError(
            f"lost the connection to Neo4j at {where} ({_short(e)}); check the server and run the command again") from None
    except ne.ConfigurationError as e:
        raise Neo4jConfigError(f"cannot use the Neo4j settings for {where}: {_short(e)}") from None
    except ne.Neo4jError as e:
        code = e.code or ""
        if code.endswith("DatabaseNotFound"):
            raise Neo4jDatabaseNotFoundError(
                f"Neo4j at {where} has no database {settings.database!r}; pass --database or set "
                f"NEO4J_DATABASE to an existing one (Community edition has only 'neo4j')") from None
        if code.endswith("AuthenticationRateLimit"):
            raise Neo4jAuthError(
                f"Neo4j at {where} is refusing logins for a few seconds after repeated wrong passwords; "
                f"wait, then retry with the right --password / NEO4J_PASSWORD") from None
        if ".Security." in code:
            raise Neo4jAuthError(
                f"Neo4j at {where} refused the request for user {settings.user!r} ({code}); "
                f"check --user/--password or the user's roles") from None
        raise Neo4jQueryError(f"Neo4j at {where} failed a query: {code}: {_short(e)}") from None
    except ne.DriverError as e:
        raise Neo4jUnavailableError(
            f"the Neo4j driver failed talking to {where} ({type(e).__name__}: {_short(e)}); "
            f"check the server and --uri, then run the command again") from None


def _short(e) -> str:
    msg = getattr(e, "message", None) or str(e) or type(e).__name__
    return " ".join(str(msg).split())[:200]


class Connection:
    """A driver plus the database to use; ``read``/``write`` run one managed transaction each."""

    def __init__(self, settings: Neo4jSettings, driver):
        self.settings = settings
        self.driver = driver

    def session(self):
        return self.driver.session(database=self.settings.database, fetch_size=FETCH_SIZE)

    def execute(self, work, write: bool = False):
        """Run ``work(tx)`` in a managed transaction (retried by the driver on transient errors)."""
        with translate(self.settings), self.session() as s:
            return (s.execute_write if write else s.execute_read)(work)

    def read(self, query: str, **params) -> list:
        """Rows (dicts) of a read query, in one managed (retried) transaction."""
        def work(tx):
            return [r.data() for r in tx.run(query, params)]
        with translate(self.settings), self.session() as s:
            return s.execute_read(work)

    def read_values(self, query: str, **params) -> list:
        """Rows as tuples (faster than dicts for big results)."""
        def work(tx):
            return [tuple(r.values()) for r in tx.run(query, params)]
        with translate(self.settings), self.session() as s:
            return s.execute_read(work)

    def write_values(self, query: str, **params) -> list:
        """Rows (tuples) a write query returns, in one managed (retried) transaction."""
        def work(tx):
            return [tuple(r.values()) for r in tx.run(query, params)]
        with translate(self.settings), self.session() as s:
            return s.execute_write(work)

    def write(self, query: str, **params):
        """Run a write query in one managed (retried) transaction; return its counters."""
        def work(tx):
            return tx.run(query, params).consume().counters
        with translate(self.settings), self.session() as s:
            return s.execute_write(work)

    def schema(self, query: str):
        """A schema command (constraints, indexes) in an auto-commit transaction."""
        with translate(self.settings), self.session() as s:
            s.run(query).consume()

    def server_info(self) -> dict:
        with translate(self.settings):
            info = self.driver.get_server_info()
            rows = self.read("CALL dbms.components() YIELD name, versions, edition "
                             "RETURN name, versions[0] AS version, edition")
        r = rows[0] if rows else {}
        return {"address": str(info.address), "agent": info.agent, "version": r.get("version"),
                "edition": r.get("edition"), "database": self.settings.database}

    def close(self):
        self.driver.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(settings: Neo4jSettings | None = None, verify: bool = True, **overrides) -> Connection:
    """Open a driver for ``settings`` and check that the server and the database answer."""
    settings = settings or Neo4jSettings.resolve(**overrides)
    from .config import _SCHEMES
    if settings.scheme not in _SCHEMES:
        raise Neo4jConfigError(
            f"cannot use Neo4j URI {settings.uri!r}: the scheme must be one of {', '.join(_SCHEMES)}; "
            f"use bolt://host:7687 for one server or neo4j+s://host for a cluster or Aura")
    if not settings.password:
        raise Neo4jConfigError("no Neo4j password given; pass --password or set NEO4J_PASSWORD")
    try:
        import neo4j
    except ModuleNotFoundError:
        raise Neo4jConfigError("the neo4j driver is not installed; pip install 'neo4j>=5'") from None
    with translate(settings):
        try:
            driver = neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                                connection_timeout=10, max_transaction_retry_time=30,
                                                notifications_min_severity="OFF")
        except ValueError as e:
            raise Neo4jConfigError(
                f"cannot use Neo4j URI {settings.uri!r} ({_short(e)}); use bolt://host:7687 or neo4j+s://host") from None
    conn = Connection(settings, driver)
    if verify:
        try:
            with translate(settings):
                driver.verify_connectivity()
            conn.read("RETURN 1 AS ok")
        except BaseException:
            driver.close()
            raise
    return conn
