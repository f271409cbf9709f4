"""Prints the number of edges of networkx's Steiner tree approximation.

Usage: steiner_networkx.py CASES.json  (a list of {"edges": [[a, b], ...],
"terminals": [...]}); prints one JSON list of edge counts, one per case.
"""
import json
import sys

import networkx as nx
from networkx.algorithms.approximation import steiner_tree

cases = json.load(open(sys.argv[1]))
sizes = []
for case in cases:
    g = nx.Graph()
    g.add_edges_from(case["edges"])
    tree = steiner_tree(g, case["terminals"])
    sizes.append(tree.number_of_edges())
print(json.dumps(sizes))
