"""The knowledge graph as RDF: conversion (``convert``), fast N-Triples I/O (``ntriples``),
file export/import (``io``) and the pyoxigraph / rdflib stores for SPARQL (``store``).

rdflib and pyoxigraph are imported inside the functions that use them.
"""
