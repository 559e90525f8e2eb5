"""The vocabulary namespaces as plain attribute objects, for hot loops.

``kjqg_graph.vocab``'s closed namespaces resolve every name through ``__getattr__``; these
copies hold the same names as real attributes (an unknown name still raises AttributeError).
"""
from types import SimpleNamespace

from .. import vocab as _v

K = SimpleNamespace(**{n: n for n in _v.K})
R = SimpleNamespace(**{n: n for n in _v.R})
A = SimpleNamespace(**{n: n for n in _v.A})
