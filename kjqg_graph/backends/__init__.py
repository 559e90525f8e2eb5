"""Where the named questions are answered: a small interface and a registry.

``Backend`` has one method per named question (``queries/README.md``); each returns the
question's records (:mod:`kjqg_graph.analysis.records`), sorted as the memory backend sorts
them, so answers compare across backends. What is derived from the raw rows — severity,
reasons, candidate ranking — is shared Python (:meth:`Backend.gaps` calls
:func:`kjqg_graph.analysis.severity.assemble_gaps`).

The registry maps a name to ``"module:Class"``; the module is imported only when chosen, so
the neo4j driver and rdflib load only for those backends.
"""
from __future__ import annotations

import abc
import importlib

from ..errors import KjqgError
from ._rows import rows_in_chain_order

__all__ = ["Backend", "BACKENDS", "get_backend", "backend_names", "BackendUnavailableError",
           "UnknownBackendError", "rows_in_chain_order"]

BACKENDS = {
    "memory": "kjqg_graph.backends.memory:MemoryBackend",
    "neo4j": "kjqg_graph.backends.neo4j:Neo4jBackend",
    "rdf": "kjqg_graph.backends.rdf:RdfBackend",
}


class UnknownBackendError(KjqgError):
    """A backend name that is not registered."""


class BackendUnavailableError(KjqgError):
    """A registered backend that cannot be used here (module missing, server down, ...)."""


class Backend(abc.ABC):
    """Answers the named questions. ``chain``/``region`` are names or ids; None means all."""

    name = "?"

    def __init__(self, workspace=None, **options):
        self.workspace = workspace
        self.options = options

    def close(self) -> None:
        """Release connections (default: nothing to release)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ named questions
    @abc.abstractmethod
    def chain_links(self, chain: str) -> list: ...

    @abc.abstractmethod
    def enterprise_list(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def resource_list(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def technology_list(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def innovation_gaps(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def technology_gaps(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def missing_links(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def weak_links(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def sanwu_enterprises(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def idle_innovation(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def gap_candidates(self, chain=None, region=None, kinds=None, rows=None, per_basis=None) -> list:
        """Candidate facts for the gaps in ``rows``; ``per_basis`` keeps only the best that many per
        gap and basis (exact for the top ``per_basis`` of the ranking)."""

    @abc.abstractmethod
    def chain_scores(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def link_scores(self, chain=None, region=None) -> list: ...

    @abc.abstractmethod
    def leaders(self, chain, region=None) -> list: ...

    # ------------------------------------------------------------------ shared on top
    def raw_gap_questions(self, kinds=None) -> dict:
        """``{kind: question}``: the raw-row questions behind gap ``kinds`` (broken links come from
        the missing-links rows)."""
        from ..analysis.gaps import GAP_KINDS
        want = set(kinds or GAP_KINDS)
        if "broken" in want:
            want.add("missing")
        q = {"innovation": self.innovation_gaps, "technology": self.technology_gaps,
             "missing": self.missing_links, "weak": self.weak_links, "sanwu": self.sanwu_enterprises,
             "idle": self.idle_innovation}
        return {k: fn for k, fn in q.items() if k in want}

    def raw_gaps(self, chain=None, region=None, kinds=None) -> dict:
        return {k: fn(chain, region) for k, fn in self.raw_gap_questions(kinds).items()}

    def gaps(self, chain=None, region=None, kinds=None, limit: int | None = 5, candidates: bool = True) -> list:
        """Gap records: the raw rows + candidate facts (pruned to the top ``limit`` per basis, exact)
        through the shared Python scoring."""
        from ..analysis.gaps import GAP_KINDS
        from ..analysis.severity import assemble_gaps
        kinds = tuple(kinds or GAP_KINDS)
        rows = self.raw_gaps(chain, region, kinds)
        facts = self.gap_candidates(chain, region, kinds, rows, per_basis=limit) if candidates else []
        return assemble_gaps(rows, facts, kinds, region=self.region_name(region), limit=limit)

    def region_name(self, region):
        """The display name of a region argument (default: as given)."""
        return region

    def graph(self):
        """The graph as an in-memory KnowledgeGraph (default: the workspace's)."""
        kg = getattr(self, "kg", None)
        return kg if kg is not None else self.workspace.load()

    def what_if(self, remove=None, chain=None, region=None) -> list:
        """What removing ``remove`` (names or ids) would break; without it, the single points of
        failure (:mod:`kjqg_graph.analysis.whatif`), on :meth:`graph`."""
        from ..analysis.whatif import single_points_of_failure, what_if
        kg = self.graph()
        return what_if(kg, remove, chain, region) if remove is not None else single_points_of_failure(kg, chain, region)

    def lists(self, chain=None, region=None, which=("enterprises", "resources", "technologies")) -> dict:
        q = {"enterprises": self.enterprise_list, "resources": self.resource_list,
             "technologies": self.technology_list}
        return {w: q[w](chain, region) for w in which}


def backend_names() -> list:
    return list(BACKENDS)


def get_backend(name: str, workspace=None, **options) -> Backend:
    """An instance of the backend registered as ``name`` (its module imported now)."""
    try:
        target = BACKENDS[name]
    except KeyError:
        raise UnknownBackendError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}") from None
    mod_name, cls_name = target.split(":")
    try:
        mod = importlib.import_module(mod_name)
    except ModuleNotFoundError as e:
        raise BackendUnavailableError(
            f"the {name} backend is not available: {e.name} is not installed or not written yet; "
            f"use --backend memory") from None
    cls = getattr(mod, cls_name, None)
    if cls is None:
        raise BackendUnavailableError(f"the {name} backend module {mod_name} has no {cls_name}; use --backend memory")
    missing = sorted(getattr(cls, "__abstractmethods__", ()))
    if missing:
        raise BackendUnavailableError(
            f"the {name} backend does not answer {', '.join(missing)} yet; use --backend memory")
    return cls(workspace, **options)
