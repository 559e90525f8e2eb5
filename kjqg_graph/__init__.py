"""kjqg-graph: the 科技强桂 knowledge graph of industrial chains, innovation resources and key technologies."""

__version__ = "0.1.0"
