"""Neo4j errors, kept importable from here; they are defined with the package's others in
:mod:`kjqg_graph.errors` (all derive from :class:`kjqg_graph.errors.KjqgError`, so the CLI turns
them into one line and exit 1).
"""
from __future__ import annotations

from ..errors import (Neo4jAuthError, Neo4jConfigError, Neo4jDatabaseNotFoundError, Neo4jError, Neo4jQueryError,
                      Neo4jUnavailableError)

__all__ = ["Neo4jError", "Neo4jUnavailableError", "Neo4jAuthError", "Neo4jDatabaseNotFoundError",
           "Neo4jQueryError", "Neo4jConfigError"]
