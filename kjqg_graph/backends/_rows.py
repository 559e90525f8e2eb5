"""Rows of a per-link list (enterprises, resources, technologies) in chain order.

Every list question emits its rows link by link in chain order, a link's own rows sorted by the
question's key, and one row with empty fields for a link that has none. Backends differ only in
where the rows come from; this is the one place that lays them out.
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

__all__ = ["rows_in_chain_order"]


def rows_in_chain_order(order: Iterable[tuple], rows_of: Mapping | Callable, empty: Callable,
                        key: Callable | None = None, dedupe: bool = False) -> list:
    """The rows of every link in ``order``, link by link.

    ``order``: ``(chain, link_id)`` pairs in chain order (:func:`kjqg_graph.analysis.order.order_from_rows`).
    ``rows_of``: a mapping ``{(chain, link_id): [row, ...]}`` or a callable ``(chain, link_id) -> rows``.
    ``empty``: ``(chain, link_id) -> row`` — the one row of a link with no rows.
    ``key``: sort key applied to a link's rows (None: the order given).
    ``dedupe``: drop repeated rows of a link (first kept) before sorting.
    """
    if isinstance(rows_of, Mapping):
        mapping = rows_of

        def rows_of(*cl):
            return mapping.get(cl)
    out: list = []
    for cl in order:
        rows = rows_of(*cl)
        if not rows:
            out.append(empty(*cl))
            continue
        rows = list(dict.fromkeys(rows)) if dedupe else list(rows)
        if key is not None:
            rows.sort(key=key)
        out.extend(rows)
    return out
