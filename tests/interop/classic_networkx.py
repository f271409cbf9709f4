"""What networkx says about routes in one of the classic networks of
examples/: for every pair of nodes, the shortest route's length and how many
shortest routes there are; with --weighted, the cheapest route's cost by the
`weight` attribute, how many cheapest routes, and the costs of the five
cheapest loopless routes for some pairs. Prints JSON keyed by the input's
node ids, for tests/cli/classic.rs to compare with linkchart.

usage: classic_networkx.py (graphml FILE | csv EDGES_FILE) [--weighted]"""
import csv
import itertools
import json
import sys

import networkx as nx

kind, file = sys.argv[1], sys.argv[2]
weighted = "--weighted" in sys.argv
if kind == "graphml":
    g = nx.Graph(nx.read_graphml(file))
else:
    g = nx.Graph()
    with open(file, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    for row in rows[1:]:
        g.add_edge(row[0], row[1])

pairs = []
nodes = sorted(g.nodes())
for a, b in itertools.combinations(nodes, 2):
    if not nx.has_path(g, a, b):
        continue
    entry = {
        "from": a,
        "to": b,
        "length": nx.shortest_path_length(g, a, b),
        "count": sum(1 for _ in nx.all_shortest_paths(g, a, b)),
    }
    if weighted:
        entry["cost"] = nx.dijkstra_path_length(g, a, b, weight="weight")
        entry["cheapest"] = sum(1 for _ in nx.all_shortest_paths(g, a, b, weight="weight"))
    pairs.append(entry)
if weighted:
    for entry in pairs[:: max(1, len(pairs) // 40)]:
        costs = []
        for p in itertools.islice(nx.shortest_simple_paths(g, entry["from"], entry["to"], weight="weight"), 5):
            costs.append(sum(g[u][v].get("weight", 1) for u, v in zip(p, p[1:])))
        entry["k5"] = costs
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "pairs": pairs}))
