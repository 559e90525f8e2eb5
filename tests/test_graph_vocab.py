"""The vocabulary namespaces K, R, A: real attributes, closed, read-only."""
import pytest

from kjqg_graph import vocab
from kjqg_graph.analysis import _vocab as analysis_vocab


def test_names_are_plain_attributes_and_unknown_names_fail():
    assert vocab.K.Enterprise == "Enterprise" and vocab.R.inLink == "inLink" and vocab.A.stage == "stage"
    assert "Enterprise" in vars(vocab.K)                       # a real attribute: no __getattr__ call
    with pytest.raises(AttributeError, match="the ontology defines no class 'Enterprize'"):
        vocab.K.Enterprize
    with pytest.raises(AttributeError, match="the ontology defines no relation 'likes'"):
        vocab.R.likes
    assert not hasattr(vocab.A, "colour")


def test_namespaces_are_read_only_and_iterate_their_names():
    with pytest.raises(AttributeError, match="read-only"):
        vocab.K.Enterprise = "Company"
    with pytest.raises(AttributeError, match="read-only"):
        del vocab.K.Enterprise
    assert list(vocab.K) == sorted(vocabulary_kinds())
    assert "Enterprise" in vocab.K and "Company" not in vocab.K
    assert set(vocab.R) == set(vocab.vocabulary().relations)


def test_the_analysis_copies_are_the_same_namespaces():
    assert analysis_vocab.K is vocab.K and analysis_vocab.R is vocab.R and analysis_vocab.A is vocab.A


def vocabulary_kinds():
    return vocab.vocabulary().kinds
