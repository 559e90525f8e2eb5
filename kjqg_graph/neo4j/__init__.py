"""Neo4j: connection settings, push/pull of a workspace, the named questions in Cypher.

Importing this package does not import the neo4j driver; :func:`connect` does.
"""
from .config import Neo4jSettings
from .connection import COMMON_LABEL, Connection, connect, label
from ..errors import (Neo4jAuthError, Neo4jConfigError, Neo4jDatabaseNotFoundError, Neo4jError, Neo4jQueryError,
                      Neo4jUnavailableError)
from .sync import PushReport, clear, counts, ensure_schema, pull, push

__all__ = ["Neo4jSettings", "Connection", "connect", "label", "COMMON_LABEL", "push", "pull", "clear", "counts",
           "ensure_schema", "PushReport", "Neo4jError", "Neo4jAuthError", "Neo4jConfigError",
           "Neo4jDatabaseNotFoundError", "Neo4jQueryError", "Neo4jUnavailableError"]
