"""Neo4j errors: subclasses of the package root, each message naming the fix.

They live with the Neo4j code (the package's own list is in ``kjqg_graph/errors.py``); all
derive from :class:`kjqg_graph.errors.KjqgError`, so the CLI turns them into one line and exit 1.
"""
from __future__ import annotations

from ..errors import KjqgError

__all__ = ["Neo4jError", "Neo4jUnavailableError", "Neo4jAuthError", "Neo4jDatabaseNotFoundError",
           "Neo4jQueryError", "Neo4jConfigError"]


class Neo4jError(KjqgError):
    """Something went wrong talking to Neo4j."""


class Neo4jConfigError(Neo4jError):
    """The connection settings cannot work (bad URI scheme, missing password, ...)."""


class Neo4jUnavailableError(Neo4jError):
    """The server cannot be reached (down, wrong host or port)."""


class Neo4jAuthError(Neo4jError):
    """The server refused the user name or password (or rate-limits failed logins)."""


class Neo4jDatabaseNotFoundError(Neo4jError):
    """The database named does not exist on the server."""


class Neo4jQueryError(Neo4jError):
    """A query failed on the server for another reason."""
