"""Shared fixtures. Tests run in memory by default; files go to tmp_path."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seed_graphs" / "guangxi"


@pytest.fixture
def kg():
    from kjqg_graph.graph import KnowledgeGraph
    return KnowledgeGraph()


@pytest.fixture
def ws(tmp_path):
    from kjqg_graph.workspace import Workspace
    w = Workspace(tmp_path / "ws")
    w.init()
    return w


@pytest.fixture(scope="session")
def seed_files():
    files = sorted(SEED_DIR.glob("*.csv"))
    if not files:
        pytest.fail(f"no seed files in {SEED_DIR}")
    return files


@pytest.fixture(scope="session")
def seed_graph(seed_files):
    """The Guangxi seed, loaded through the same loader users run (read-only: copy() to change)."""
    from kjqg_graph.graph import KnowledgeGraph
    from kjqg_graph.loading import load_into
    g = KnowledgeGraph()
    load_into(g, seed_files)
    return g


@pytest.fixture(scope="session")
def synth_graph(tmp_path_factory):
    """A small synthetic graph (1000 fictitious enterprises, seed 3)."""
    from kjqg_graph.graph import KnowledgeGraph
    from kjqg_graph.loading import load_into
    from kjqg_graph.synth import write_synth
    files = write_synth(tmp_path_factory.mktemp("synth"), enterprises=1000, seed=3)
    g = KnowledgeGraph()
    load_into(g, files)
    return g
