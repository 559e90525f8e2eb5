"""The memory backend: the analysis library on the workspace's in-memory graph."""
from __future__ import annotations

from .. import analysis as an
from ..analysis import gaps as _gaps
from . import Backend

__all__ = ["MemoryBackend"]


class MemoryBackend(Backend):
    name = "memory"

    def __init__(self, workspace=None, kg=None, **options):
        super().__init__(workspace, **options)
        self._kg = kg
        self._facts = {}

    @property
    def kg(self):
        if self._kg is None:
            self._kg = self.workspace.load()
        return self._kg

    def facts(self, region):
        f = self._facts.get(region)
        if f is None:
            f = self._facts[region] = an.facts(self.kg, region)
        return f

    def region_name(self, region):
        return self.facts(region).scope.region_name

    def chain_links(self, chain):
        return an.chain_links(self.kg, an.resolve_chain(self.kg, chain))

    def enterprise_list(self, chain=None, region=None):
        return an.enterprise_list(self.kg, chain, f=self.facts(region))

    def resource_list(self, chain=None, region=None):
        return an.resource_list(self.kg, chain, f=self.facts(region))

    def technology_list(self, chain=None, region=None):
        return an.technology_list(self.kg, chain, f=self.facts(region))

    def innovation_gaps(self, chain=None, region=None):
        return an.innovation_gaps(self.kg, chain, f=self.facts(region))

    def technology_gaps(self, chain=None, region=None):
        return an.technology_gaps(self.kg, chain, f=self.facts(region))

    def missing_links(self, chain=None, region=None):
        return an.missing_links(self.kg, chain, f=self.facts(region))

    def weak_links(self, chain=None, region=None):
        return an.weak_links(self.kg, chain, f=self.facts(region))

    def sanwu_enterprises(self, chain=None, region=None):
        return an.sanwu_enterprises(self.kg, chain, f=self.facts(region))

    def idle_innovation(self, chain=None, region=None):
        return an.idle_innovation(self.kg, chain, f=self.facts(region))

    def gap_candidates(self, chain=None, region=None, kinds=None, rows=None, per_basis=None):
        return an.gap_candidates(self.kg, chain, region, tuple(kinds or _gaps.GAP_KINDS), f=self.facts(region),
                                 rows=rows, per_basis=per_basis)

    def gaps(self, chain=None, region=None, kinds=None, limit: int | None = 5, candidates: bool = True):
        """As :meth:`Backend.gaps`: :func:`~kjqg_graph.analysis.gaps.find_gaps` (the same records,
        candidate facts pruned to the top ``limit`` per basis, exact)."""
        return _gaps.find_gaps(self.kg, chain, region, tuple(kinds or _gaps.GAP_KINDS), limit=limit,
                               candidates=candidates, f=self.facts(region))

    def chain_scores(self, chain=None, region=None):
        return an.chain_scores(self.kg, chain, f=self.facts(region))

    def link_scores(self, chain=None, region=None):
        return an.link_scores(self.kg, chain, f=self.facts(region))

    def leaders(self, chain, region=None):
        return an.leaders(self.kg, chain, f=self.facts(region))
