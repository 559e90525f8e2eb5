"""The package's exceptions: one root, one subclass per condition.

The library raises these; only ``cli.py`` turns them into messages and exit codes.
"""

__all__ = [
    "KjqgError", "ModelError", "UnknownKindError", "UnknownRelationError",
    "WrongEndpointError", "UnknownAttributeError", "InvalidValueError", "NodeNotFoundError",
    "WorkspaceError", "WorkspaceNotFoundError", "WorkspaceLockedError",
    "WorkspaceVersionError", "WorkspaceCorruptError", "ValidationFailed", "LoadError",
    "Neo4jError", "Neo4jConfigError", "Neo4jUnavailableError", "Neo4jAuthError", "Neo4jDatabaseNotFoundError",
    "Neo4jQueryError",
]


class KjqgError(Exception):
    """Root of every error this package raises on purpose."""


class ModelError(KjqgError):
    """A node or edge does not fit the ontology."""


class UnknownKindError(ModelError):
    """A node kind that the ontology does not define."""


class UnknownRelationError(ModelError):
    """A relation that the ontology does not define."""


class WrongEndpointError(ModelError):
    """A relation between kinds that its domain or range does not allow."""


class UnknownAttributeError(ModelError):
    """An attribute the ontology does not define for that kind."""


class InvalidValueError(ModelError):
    """An attribute value of the wrong type or outside its value scheme."""


class NodeNotFoundError(KjqgError):
    """A node id or name that is not in the graph."""


class WorkspaceError(KjqgError):
    """Something is wrong with a workspace folder."""


class WorkspaceNotFoundError(WorkspaceError):
    """No workspace where one was expected."""


class WorkspaceLockedError(WorkspaceError):
    """Another process is writing the workspace."""


class WorkspaceVersionError(WorkspaceError):
    """The workspace was written by a newer (or unknown) format version."""


class WorkspaceCorruptError(WorkspaceError):
    """The workspace file cannot be read."""


class ValidationFailed(KjqgError):
    """The graph does not conform to the SHACL shapes."""

    def __init__(self, message, results=()):
        super().__init__(message)
        self.results = list(results)


class LoadError(KjqgError):
    """A list file (or a set of them) cannot be loaded; ``problems`` says where and why.

    Each problem is a ``kjqg_graph.loading.Problem`` (file, sheet, row, column, reason); the
    message lists them one per line as ``file:row:column: reason``. Nothing was written.
    """

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


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
