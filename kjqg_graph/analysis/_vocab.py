"""The vocabulary namespaces for the analysis modules: a re-export of ``kjqg_graph.vocab``'s.

``K``, ``R`` and ``A`` there now hold their names as real attributes (a plain attribute lookup,
and an unknown name still raises AttributeError), so the copies this module used to make for
hot loops are no longer needed; import from ``kjqg_graph.vocab`` in new code.
"""
from ..vocab import A, K, R

__all__ = ["K", "R", "A"]
