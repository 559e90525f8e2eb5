"""The collector pause around backend questions (kjqg_graph._gc): what a question returns leaves
the young generations, nothing is lost, and a process's deliberate freeze is kept."""
import gc
import weakref

import pytest

from kjqg_graph._gc import paused


class _Node:
    pass


def _question(n):
    """Many acyclic rows (what a question returns) and one garbage cycle made on the way."""
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    ref = weakref.ref(a)
    del a, b
    return [(i, str(i)) for i in range(n)], ref


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.unfreeze()
    gc.collect()
    gc.enable()
    yield
    gc.unfreeze()
    gc.collect()
    if not was:
        gc.disable()


def test_rows_leave_the_young_generation_and_a_cycle_is_still_collected(collector_on):
    rows, cycle = paused(_question)(50_000)
    assert gc.isenabled()
    assert gc.get_count()[0] < 1_000            # 50k tracked rows were not left for a young collection
    assert gc.get_freeze_count() == 0           # promoted, not frozen
    assert cycle() is not None                  # the garbage cycle made inside survives until ...
    gc.collect()
    assert cycle() is None                      # ... a full collection, which still finds it
    assert len(rows) == 50_000 and rows[123] == (123, "123")


def test_a_process_that_froze_its_graph_keeps_it_frozen(collector_on):
    kept = [_Node() for _ in range(1000)]       # what a console script froze on purpose
    gc.freeze()
    before = gc.get_freeze_count()
    assert before >= 1000
    rows, _ = paused(_question)(10_000)
    assert gc.get_freeze_count() >= before + 10_000    # the question's rows joined them
    assert gc.isenabled() and len(kept) == 1000 and len(rows) == 10_000


def test_the_collector_stays_off_when_it_was_off_and_comes_back_after_an_error(collector_on):
    gc.disable()
    paused(_question)(10)
    assert not gc.isenabled()
    gc.enable()

    def broken():
        raise ValueError("bad input")
    with pytest.raises(ValueError):
        paused(broken)()
    assert gc.isenabled()
