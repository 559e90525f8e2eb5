"""Connection settings: options first, then NEO4J_* environment variables, then defaults.

The password is kept out of ``repr`` and of every message this package writes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["Neo4jSettings", "DEFAULT_URI", "DEFAULT_USER", "DEFAULT_DATABASE"]

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE

    @classmethod
    def resolve(cls, uri=None, user=None, password=None, database=None, env=None) -> "Neo4jSettings":
        """Settings from explicit values, else NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE."""
        env = os.environ if env is None else env
        return cls(uri=uri or env.get("NEO4J_URI") or DEFAULT_URI,
                   user=user or env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or DEFAULT_USER,
                   password=password if password is not None else env.get("NEO4J_PASSWORD"),
                   database=database or env.get("NEO4J_DATABASE") or DEFAULT_DATABASE)

    @property
    def scheme(self) -> str:
        return self.uri.split("://", 1)[0] if "://" in self.uri else ""

    def describe(self) -> str:
        """Where we connect, without the password."""
        return f"{self.uri} (user {self.user}, database {self.database})"
