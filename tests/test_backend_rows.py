"""The shared per-link layout of list rows (kjqg_graph.backends.rows_in_chain_order)."""
from kjqg_graph.backends import rows_in_chain_order


def test_rows_in_chain_order_mapping_and_empty():
    order = [("链", "b"), ("链", "a"), ("链", "c")]
    per = {("链", "a"): [("a", 2), ("a", 1)], ("链", "b"): [("b", 9)]}
    out = rows_in_chain_order(order, per, lambda c, l: (l, None), key=lambda r: r[1])
    assert out == [("b", 9), ("a", 1), ("a", 2), ("c", None)]


def test_rows_in_chain_order_callable_dedupe_keeps_given_order():
    order = [("链", "x"), ("链", "y")]
    out = rows_in_chain_order(order, lambda c, l: [l + "2", l + "1", l + "2"] if l == "x" else [],
                              lambda c, l: f"{c}/{l}: none", dedupe=True)
    assert out == ["x2", "x1", "链/y: none"]
