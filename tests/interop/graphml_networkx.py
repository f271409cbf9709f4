"""Reads a linkchart GraphML export with networkx and prints what it found as JSON:
node and edge counts, and every node's name and every edge's status, so the
Rust test can compare them with linkchart's own JSON export."""
import json
import sys

import networkx as nx

g = nx.read_graphml(sys.argv[1], force_multigraph=True)
print(json.dumps({
    "nodes": g.number_of_nodes(),
    "edges": g.number_of_edges(),
    "names": {n: d.get("name") for n, d in g.nodes(data=True)},
    "kinds": {n: d.get("kind") for n, d in g.nodes(data=True)},
    "edge_ids": sorted(d.get("id") for _, _, d in g.edges(data=True)),
    "statuses": {d.get("id"): d.get("status") for _, _, d in g.edges(data=True)},
    "directed": g.is_directed(),
}))
