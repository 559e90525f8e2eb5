"""Contract: the SPARQL files give the same answers on oxigraph and rdflib, and agree with the
memory backend, on the hand-built graphs, the synthetic graph and the seed."""
from __future__ import annotations

import pytest

from kjqg_graph.backends.memory import MemoryBackend
from kjqg_graph.backends.rdf import RdfBackend
from kjqg_graph.rdf.store import query_names
from test_rdf_fixtures import good_graph


def _hand_graphs():
    import graphs
    out = {"good": good_graph()}
    for name in ("car_chain",):
        fn = getattr(graphs, name, None)
        if fn is not None:
            g = fn()
            out[name] = g[0] if isinstance(g, tuple) else g
    return out


def _loader_graphs(request):
    try:
        from kjqg_graph.loading import load_into  # noqa: F401
    except ImportError:
        return {}
    return {"synth": request.getfixturevalue("synth_graph"), "seed": request.getfixturevalue("seed_graph")}


@pytest.fixture(params=["good", "car_chain", pytest.param("synth", marks=pytest.mark.slow), "seed"])
def graph(request):
    if request.param in ("synth", "seed"):
        g = _loader_graphs(request).get(request.param)
        if g is None:
            pytest.skip("kjqg_graph.loading.load_into is not there yet")
        return g
    return _hand_graphs()[request.param]


def _canon(rows):
    def rep(v):                     # a ...Map column is a dict: compare it by content, not insertion order
        if isinstance(v, dict):
            return repr(sorted(v.items()))
        return repr(sorted(v)) if isinstance(v, frozenset) else repr(v)
    return sorted(tuple(sorted((k, rep(v)) for k, v in r.items())) for r in rows)


# the seed records no 三无 enterprise, and no 链主 / 高新 / 规上 flag (enterprise_flags.rq has a row
# only per recorded (flag, value)); the hand-built graphs record both
_EMPTY_ON_SEED = ("sanwu_enterprises", "enterprise_flags")
_NO_CHAIN = ("tacklers", "support_paths", "rd_states", "idle_innovation", "node_name_map", "node_uscc_map", "enterprise_flags", "enterprise_innovation_flags",
             "innovation_nodes")   # whole-graph helpers: no ?chain


def _param_sets(graph, name, iris):
    """The bindings each .rq file is run with: none, and the first chain by name; scope with a
    region; gap_candidates with every family on a few links / technologies. ``iris``: the store's
    own node IRIs (each store mints its own; the answers come back as node ids)."""
    from kjqg_graph.rdf.store import Iri
    from kjqg_graph.vocab import K
    chains = sorted(graph.nodes(K.IndustryChain))
    first_chain = graph.name(chains[0])
    if name == "scope":
        return [{"region": Iri(iris[r])} for r in sorted(graph.nodes(K.Region))[:3]]
    if name.startswith("gap_candidates_"):      # bound to a few links / technologies
        links = sorted(graph.nodes(K.ChainLink))
        if name == "gap_candidates_technology":
            return [{"subject": Iri(iris[t]), "chain": graph.name(c)} for t in sorted(graph.nodes(K.KeyTechnology))[:6]
                    for c in chains]
        return [{"subject": Iri(iris[l])} for l in links[:6] + links[-3:]]
    if name == "node_places":           # a few nodes of every kind: own places, borrowed ones, none
        by_kind = {}
        for n in sorted(graph.nodes()):
            by_kind.setdefault(graph.kind(n), []).append(n)
        return [{"subject": Iri(iris[n])} for ns in by_kind.values() for n in ns[:4]]
    if name == "node_name":
        return [{"subject": Iri(iris[n])} for n in sorted(graph.nodes())[:5]]
    if name == "node_regions":           # one kind at a time (what the backend asks)
        return [{"kind": Iri(graph.vocab.namespace + k)} for k in sorted({graph.kind(n) for n in graph.nodes()})]
    if name in _NO_CHAIN:
        return [{}]
    return [{}, {"chain": first_chain}]


@pytest.mark.parametrize("name", query_names())
def test_oxigraph_and_rdflib_agree(graph, name, request):
    """Every queries/sparql/*.rq file gives the same rows on pyoxigraph and rdflib."""
    graph_name = request.node.callspec.params["graph"]
    ox, rl = RdfBackend(kg=graph, store="oxigraph"), RdfBackend(kg=graph, store="rdflib")
    some = False
    for pa, pb in zip(_param_sets(graph, name, ox.store.iris), _param_sets(graph, name, rl.store.iris), strict=True):
        pa, pb = dict(pa), dict(pb)
        chain = pa.pop("chain", None)
        assert pb.pop("chain", None) == chain
        a, b = ox.raw(name, chain, **pa), rl.raw(name, chain, **pb)
        some = some or bool(a)
        assert _canon(a) == _canon(b), (name, chain, pa)
    if graph_name == "seed" and name not in _EMPTY_ON_SEED:
        assert some, f"{name}: no rows at all on the seed, the comparison proves nothing"


def test_every_rq_file_is_a_question_or_a_documented_helper():
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[1] / "queries" / "README.md").read_text(encoding="utf-8")
    for name in query_names():
        assert f"`{name}.rq`" in readme, f"{name}.rq is not documented in queries/README.md"


def test_chain_links_like_memory(graph):
    from kjqg_graph.vocab import K
    mem, ox, rl = MemoryBackend(kg=graph), RdfBackend(kg=graph), RdfBackend(kg=graph, store="rdflib")
    for c in graph.nodes(K.IndustryChain):
        want = mem.chain_links(c)
        assert ox.chain_links(c) == want
        assert rl.chain_links(c) == want


QUESTIONS = ["enterprise_list", "technology_list", "resource_list", "innovation_gaps", "technology_gaps",
             "missing_links", "weak_links", "sanwu_enterprises", "idle_innovation", "gap_candidates", "chain_scores",
             "link_scores"]


def _regions(graph):
    from kjqg_graph.vocab import K
    regs = sorted(graph.nodes(K.Region))[:3] + sorted(graph.nodes(K.InnovationZone))[:1]
    return [None, *regs]


@pytest.mark.parametrize("question", QUESTIONS)
def test_rows_equal_memory(graph, question):
    from kjqg_graph.vocab import K
    mem, ox = MemoryBackend(kg=graph), RdfBackend(kg=graph)
    chains = [None, *sorted(graph.nodes(K.IndustryChain))[:2]]
    for region in _regions(graph):
        for chain in chains:
            want = getattr(mem, question)(chain, region)
            got = getattr(ox, question)(chain, region)
            assert got == want, (question, chain, region)


def test_gaps_with_candidates_equal_memory(graph):
    """kjqg gaps: the assembled gaps with ranked candidates (pruned per basis, and all of them)."""
    from kjqg_graph.vocab import K
    mem, ox = MemoryBackend(kg=graph), RdfBackend(kg=graph)
    for region in _regions(graph):
        for chain in [None, *sorted(graph.nodes(K.IndustryChain))[:1]]:
            for limit in (5, None):
                assert ox.gaps(chain, region, limit=limit) == mem.gaps(chain, region, limit=limit), (chain, region)


def test_bulk_columns_keep_names_with_tabs_and_newlines():
    """node_name_map.rq packs names as IRI<TAB>name records joined by newlines: a name holding a
    tab or a newline still comes back whole, on both stores."""
    from kjqg_graph.vocab import K
    g = good_graph()
    e = sorted(g.nodes(K.Enterprise))[0]
    g.set_attrs(e, name="甲\t乙\n丙 https://w3id.org/kjqg/x")
    for store in ("oxigraph", "rdflib"):
        b = RdfBackend(kg=g, store=store)
        names = b.text_list("node_name_map")
        at = b.store.index
        assert names[at[e]] == "甲\t乙\n丙 https://w3id.org/kjqg/x", store
        assert all(names[at[n]] == g.name(n) for n in g.nodes()), store
        assert {r.enterprise for r in b.enterprise_list() if r.enterprise_id == e} == {"甲\t乙\n丙 https://w3id.org/kjqg/x"}


def test_gaps_are_answered_from_the_store(monkeypatch):
    """kjqg gaps --backend rdf asks the triple store (not the memory reference's find_gaps)."""
    from kjqg_graph.analysis import gaps as gaps_mod
    g = good_graph()
    want = MemoryBackend(kg=g).gaps()

    def refuse(*a, **k):
        raise AssertionError("the rdf backend called the memory find_gaps")
    monkeypatch.setattr(gaps_mod, "find_gaps", refuse)
    ox = RdfBackend(kg=g)
    assert ox.gaps() == want
    assert ox._store is not None


@pytest.mark.parametrize("which", ["good", "car_chain", pytest.param("seed", marks=pytest.mark.slow),
                                   pytest.param("synth", marks=pytest.mark.slow)])
def test_rows_equal_memory_on_rdflib(which, request):
    """The same on rdflib (every region of _regions, all chains at once). On the seed this takes
    many minutes on rdflib, so it is marked slow; by default the seed is covered by
    test_oxigraph_and_rdflib_agree (every .rq, rdflib rows == oxigraph rows) together with
    test_rows_equal_memory (oxigraph questions == memory)."""
    graph = _hand_graphs()[which] if which in ("good", "car_chain") else _loader_graphs(request)[which]
    mem, rl = MemoryBackend(kg=graph), RdfBackend(kg=graph, store="rdflib")
    for region in _regions(graph):
        for q in QUESTIONS:
            assert getattr(rl, q)(None, region) == getattr(mem, q)(None, region), (q, region)
        assert rl.gaps(None, region) == mem.gaps(None, region), region


def test_raw_gap_queries_match_memory_rows(graph):
    mem, ox = MemoryBackend(kg=graph), RdfBackend(kg=graph)
    assert {(r["chainName"], r["link"]) for r in ox.raw("missing_links")} == \
        {(r.chain, r.link_id) for r in mem.missing_links()}
    assert {(r["chainName"], r["tech"]) for r in ox.raw("technology_gaps")} == \
        {(r.chain, r.tech_id) for r in mem.technology_gaps()}
    assert {(r["chainName"], r["e"]) for r in ox.raw("sanwu_enterprises")} == \
        {(r.chain, r.enterprise_id) for r in mem.sanwu_enterprises()}


def test_chain_parameter_is_bound_not_interpolated():
    kg = good_graph()
    b = RdfBackend(kg=kg)
    assert b.raw("chain_links", "虚构新能源车")
    # a hostile chain name cannot change the query: it is a literal binding
    from kjqg_graph.errors import KjqgError
    with pytest.raises(KjqgError):
        b.raw("chain_links", '虚构" } UNION { ?s ?p ?o } #')


def test_only_this_graphs_iris_are_written_into_a_query():
    """pyoxigraph gets an Iri parameter as ``<iri>`` in the query text, so only the IRIs the graph
    and its query stores mint pass; anything that could close the ``<...>`` is refused."""
    from kjqg_graph.errors import KjqgError
    from kjqg_graph.rdf.store import Iri, OxigraphStore
    from kjqg_graph.vocab import K
    kg = good_graph()
    st = OxigraphStore(kg)
    chain = next(n for n in kg.nodes(K.IndustryChain) if kg.name(n) == "虚构新能源车")
    assert st.iris[chain].startswith("urn:kjqg:")
    rows, _ = st.select("chain_links", chain=Iri(st.iris[chain]))
    assert {r[0] for r in rows} == {"虚构新能源车"}
    for bad in ("urn:kjqg:1> . ?link ?p ?o . <urn:kjqg:2", "urn:kjqg:1\n", "urn:kjqg:", "urn:other:1",
                "https://w3id.org/kjqg/x> <y"):
        with pytest.raises(KjqgError, match="refusing to bind"):
            st.select("chain_links", chain=Iri(bad))


def test_enterprise_without_a_place_of_its_own():
    """enterprise_list's region column: an enterprise with no locatedIn of its own is listed with an
    empty region on every store, as in memory, and the placed ones keep theirs; with a region it is out
    of scope (located_nodes.rq gives own places only, and an Enterprise can have no other)."""
    from kjqg_graph.vocab import K, R
    g = good_graph()
    link = sorted(g.nodes(K.ChainLink))[0]
    lone = g.add_node(K.Enterprise, "虚构无址企业有限公司", highTech=True)
    g.add_edge(lone, R.inLink, link)
    mem = MemoryBackend(kg=g)
    for store in ("oxigraph", "rdflib"):
        rdf = RdfBackend(kg=g, store=store)
        rows = rdf.enterprise_list()
        assert rows == mem.enterprise_list(), store
        assert {r.region for r in rows if r.enterprise_id == lone} == {""}, store
        assert {r.region for r in rows if r.enterprise == "虚构乙材料有限公司"} == {"虚构甲市"}, store
        assert rdf.enterprise_list(None, "虚构甲市") == mem.enterprise_list(None, "虚构甲市"), store
        assert lone not in {r.enterprise_id for r in rdf.enterprise_list(None, "虚构甲市")}, store


def test_enterprise_list_prefetch_is_consumed_and_repeatable():
    """The enterprise list starts its six whole-graph files on worker threads and reads each once:
    nothing stays pending, a second ask (rows from the backend's memo) and an ask after the gap
    questions (the links already fetched) give the memory answer, with and without a region."""
    from kjqg_graph.vocab import K
    g = good_graph()
    mem = MemoryBackend(kg=g)
    region = sorted(g.nodes(K.Region))[0]
    b = RdfBackend(kg=g)
    first = b.enterprise_list()
    assert b._pending == {}
    assert first == b.enterprise_list() == mem.enterprise_list()
    assert b.enterprise_list(region=region) == mem.enterprise_list(region=region)
    b2 = RdfBackend(kg=g)
    b2.weak_links()
    assert b2.enterprise_list(region=region) == mem.enterprise_list(region=region)
    assert b2._pending == {}


def test_prefetch_runs_on_pyoxigraph_only_and_raw_takes_its_rows():
    """prefetch() starts a whole-graph file on a worker thread for pyoxigraph (it is pending until
    raw() takes it, and its rows are the ones raw() gets without it); rdflib runs nothing ahead."""
    g = good_graph()
    b = RdfBackend(kg=g)
    b.prefetch("node_name_map", "enterprise_flags")
    assert sorted(b._pending) == ["enterprise_flags", "node_name_map"]
    assert b.raw("node_name_map", positions=True) == RdfBackend(kg=g).raw("node_name_map", positions=True)
    assert list(b._pending) == ["enterprise_flags"]
    assert _canon(b.raw("enterprise_flags")) == _canon(RdfBackend(kg=g).raw("enterprise_flags"))
    assert b._pending == {}
    r = RdfBackend(kg=g, store="rdflib")
    r.prefetch("node_name_map")
    assert r._pending == {}


def test_prefetched_rows_come_back_as_select_gives_them():
    """A prefetched file crosses from the worker as SPARQL JSON results (select_json: no row-by-row
    hand-over under Python's lock); read back, its rows equal select()'s, type for type (IRIs,
    texts with tabs and newlines, booleans, unbound)."""
    from kjqg_graph.rdf.store import rows_from_json
    from kjqg_graph.vocab import K
    g = good_graph()
    e = sorted(g.nodes(K.Enterprise))[0]
    g.set_attrs(e, name='名\t称 "引号"\n第二行 \\ 反斜杠')     # a name the separators and escapes must survive
    ox = RdfBackend(kg=g).store
    files = ("chain_links", "enterprise_links", "enterprise_flags", "enterprise_innovation_flags",
             "node_name_map", "node_uscc_map", "located_nodes")
    kinds = set()
    for name in files:
        rows, variables = ox.select(name)
        assert rows, name
        got = rows_from_json(ox.select_json(name))
        assert got[1] == variables, name                      # the rows in any order (no ORDER BY)
        assert sorted(got[0], key=repr) == sorted(rows, key=repr), name
        kinds |= {type(v) for row in got[0] for v in row}
    assert kinds == {str, bool, type(None)}
    name_rows = RdfBackend(kg=g).raw("node_name_map")
    assert {k: v for r in name_rows for k, v in r["eMap"].items()}[e] == '名\t称 "引号"\n第二行 \\ 反斜杠'


def test_position_columns_are_read_at_a_glance_only_when_unambiguous():
    """The enterprise list reads a ``…Set`` column as store positions, and a ``…Map`` column as
    (positions, texts) in one split when no text could be taken for a record; otherwise None (the
    backend then reads the records one at a time)."""
    from kjqg_graph.rdf.store import position_records, positions
    assert positions("") == []
    assert positions("urn:kjqg:3 urn:kjqg:0 urn:kjqg:12") == [3, 0, 12]
    for bad in ("urn:kjqg:3 https://w3id.org/kjqg/x", "urn:kjqg:3 urn:kjqg:-1", "urn:kjqg:1.5",
                "urn:kjqg:3 uuu:kjqg:4", "urn:kjqg:4urn:kjqg:5", "urn:kjqg:3  urn:kjqg:4", "kjqg:3"):
        with pytest.raises(ValueError):
            positions(bad)
    assert position_records("", 5) == ([], [])
    assert position_records("urn:kjqg:2\t甲\nurn:kjqg:0\t乙", 5) == ([2, 0], ["甲", "乙"])
    # a newline inside a text that does not start a record stays in the text
    assert position_records("urn:kjqg:2\t甲\n乙\nurn:kjqg:0\t丙", 5) == ([2, 0], ["甲\n乙", "丙"])
    assert position_records("urn:kjqg:2\t甲\t乙\nurn:kjqg:0\t丙", 5) is None      # a tab in a text
    assert position_records("urn:kjqg:2\t甲\nurn:kjqg:2\t乙", 5) is None          # a node twice
    assert position_records("urn:kjqg:2\t甲\nurn:kjqg:7\t乙", 5) is None          # not a node of the store
    assert position_records("urn:kjqg:2\t甲\nurn:kjqg:x\t乙", 5) is None          # not a position
