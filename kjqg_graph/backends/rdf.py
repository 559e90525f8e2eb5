"""The rdf backend: the named questions as SPARQL 1.1 (``queries/sparql/NAME.rq``).

The workspace graph is loaded into an in-memory pyoxigraph store (``store="oxigraph"``, the
default: bulk load from the fast N-Triples writer, Rust query engine) or an rdflib graph
(``store="rdflib"``, the slow reference). The same .rq files run on both.

Status: ``chain_links`` is answered from SPARQL here. The gap questions have raw SPARQL
versions (``missing_links``, ``technology_gaps``, ``sanwu_enterprises`` — see :meth:`raw`) that a
contract test checks against the memory backend's rows, but their full records (dependents,
broken-chain reach, region scope, candidates) are still computed by the shared analysis library
on the same graph; the methods inherited from :class:`MemoryBackend` say so by construction.
"""
from __future__ import annotations

from .. import analysis as an
from ..rdf.terms import concept_value, node_iris
from .memory import MemoryBackend

__all__ = ["RdfBackend"]


class RdfBackend(MemoryBackend):
    name = "rdf"
    native = frozenset({"chain_links"})

    def __init__(self, workspace=None, kg=None, store: str = "oxigraph", **options):
        super().__init__(workspace, kg=kg, **options)
        self.store_name = store
        self._store = None
        self._ids = None

    @property
    def store(self):
        if self._store is None:
            from ..rdf.store import open_store
            self._store = open_store(self.kg, self.store_name)
        return self._store

    def node_id(self, iri: str) -> str:
        if self._ids is None:
            self._ids = {v: k for k, v in node_iris(self.kg).items()}
        return self._ids[iri]

    def raw(self, name: str, chain=None) -> list[dict]:
        """Rows of ``queries/sparql/<name>.rq`` as dicts (node IRIs turned into node ids)."""
        chain_name = None
        if chain is not None:
            chain_name = self.kg.name(an.resolve_chain(self.kg, chain))
        rows, variables = self.store.select(name, chainName=chain_name)
        out = []
        for r in rows:
            d = {}
            for k, v in zip(variables, r):
                if isinstance(v, str) and v.startswith("https://w3id.org/kjqg/id/"):
                    v = self.node_id(v)
                elif isinstance(v, str) and v.startswith(self.kg.vocab.namespace):
                    v = concept_value(v)
                d[k] = v
            out.append(d)
        return out

    def chain_links(self, chain):
        from ..analysis.records import LinkRow
        links = {}
        for r in self.raw("chain_links", chain):
            d = links.setdefault(r["link"], {"chain": r["chainName"], "link": r["linkName"],
                                             "stage": r["stage"], "parents": set(), "supplies": set()})
            if r["rel"] == "parent":
                d["parents"].add(r["other"])
            elif r["rel"] == "supplies":
                d["supplies"].add(r["other"])
        return [LinkRow(d["chain"], l, d["link"], d["stage"], tuple(sorted(d["parents"])), tuple(sorted(d["supplies"])))
                for l, d in sorted(links.items())]
