#!/usr/bin/env python3
"""Regenerate kjqg_graph/vocab.json from ontology/kjqg.ttl (run after editing the ontology)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kjqg_graph.ontology import VOCAB_JSON, write_vocab  # noqa: E402

write_vocab()
print(f"wrote {VOCAB_JSON}")
