"""Writes the four classic networks bundled with networkx in the formats they
are usually passed around in, for `linkchart import`:

  florentine/marriages.csv        Padgett's Florentine families (marriage ties), edge-list CSV
  karate/karate.graphml           Zachary's karate club, GraphML (club as a node attribute)
  lesmis/lesmis.graphml           Les Misérables co-occurrences, GraphML (weight per edge)
  davis/women.csv, davis/events.csv, davis/attended.csv
                                  Davis' Southern Women, nodes and edges CSV

The networks are public-domain research data; networkx ships them. Run with
networkx 3 installed: python3 examples/make.py
"""
import csv
import os

import networkx as nx

here = os.path.dirname(os.path.abspath(__file__))


def path(*parts):
    p = os.path.join(here, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def write_csv(p, header, rows):
    with open(p, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


g = nx.florentine_families_graph()
write_csv(path("florentine", "marriages.csv"), ["source", "target"], sorted(tuple(sorted(e)) for e in g.edges()))

g = nx.karate_club_graph()
for _, d in g.nodes(data=True):
    d["club"] = str(d["club"])
nx.write_graphml(g, path("karate", "karate.graphml"))

g = nx.les_miserables_graph()
nx.write_graphml(g, path("lesmis", "lesmis.graphml"))

g = nx.davis_southern_women_graph()
women = sorted(n for n, d in g.nodes(data=True) if d["bipartite"] == 0)
events = sorted((n for n, d in g.nodes(data=True) if d["bipartite"] == 1), key=lambda e: int(e[1:]))
write_csv(path("davis", "women.csv"), ["id", "name", "kind"], [(w, w, "person") for w in women])
write_csv(path("davis", "events.csv"), ["id", "name", "kind"], [(e, "Event " + e[1:], "event") for e in events])
write_csv(path("davis", "attended.csv"), ["from", "to", "type"], sorted((w, e, "attended") for w, e in g.edges() if w in women) + sorted((w, e, "attended") for e, w in g.edges() if w in women))
