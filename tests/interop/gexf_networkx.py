"""Reads a linkchart GEXF 1.3 export with networkx and prints what it found:
counts, every node's label and kind, every edge's status and spells.

usage: gexf_networkx.py FILE"""
import json
import sys

import networkx as nx

g = nx.read_gexf(sys.argv[1], version="1.3")
print(json.dumps({
    "nodes": g.number_of_nodes(),
    "edges": g.number_of_edges(),
    "directed": g.is_directed(),
    "labels": {n: d.get("label") for n, d in g.nodes(data=True)},
    "kinds": {n: d.get("kind") for n, d in g.nodes(data=True)},
    "statuses": {d.get("relation_id"): d.get("status") for _, _, d in g.edges(data=True)},
    "spells": {d.get("relation_id"): d.get("spells") for _, _, d in g.edges(data=True)},
    "weights": {d.get("relation_id"): d.get("weight") for _, _, d in g.edges(data=True)},
}, default=str))
