#!/usr/bin/env python3
"""k loopless routes on Les Misérables, linkchart against networkx, in one run.

Builds the co-occurrence network that networkx ships (77 characters, 254
links) as a linkchart graph directory, then asks both tools for the K
shortest loopless routes between every pair of characters:

- linkchart: one `path --pairs FILE --k K --max-hops H --rank hops` process
  over the graph loaded once (each answer carries its own `elapsed_us`);
- networkx: `shortest_simple_paths`, first K of them, per pair.

Route lengths are compared pair by pair (they must agree, since both rank
by hop count), and the time per pair is reported for both.

Usage (a release build of linkchart is used; networkx from .venv if there):
    scripts/kroutes.py [--k 5] [--max-hops 20] [--pairs N]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def slug(name):
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    out = "".join(c.lower() if c.isalnum() else "-" for c in folded)
    return "-".join(p for p in out.split("-") if p)


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_graph(g, directory):
    d = Path(directory)
    (d / "entities").mkdir(parents=True)
    (d / "relations").mkdir()
    (d / "schema.ron").write_text(
        'Schema(kinds: {"character": (label: "Character", shape: "ellipse", color: "#fde9c9")},\n'
        '  relation_types: {"appears-with": (label: "appears with", inverse: "appears with", symmetric: true)})\n'
    )
    (d / "sources.ron").write_text(
        '[(id: "les-miserables", title: "Les Misérables co-occurrence network (networkx)", '
        'kind: "dataset", sections: [(id: "all", title: "All chapters")])]\n'
    )
    ids = {n: slug(n) for n in g.nodes}
    entities = ",\n".join(
        f"(id: {quote(ids[n])}, name: {quote(n)}, kind: \"character\", description: \"\")"
        for n in sorted(g.nodes)
    )
    (d / "entities" / "characters.ron").write_text(f"[\n{entities}\n]\n")
    relations = ",\n".join(
        f"(from: {quote(ids[a])}, to: {quote(ids[b])}, type: \"appears-with\", status: established, "
        f"source: (id: \"les-miserables\", section: \"all\"))"
        for a, b in sorted(g.edges)
    )
    (d / "relations" / "co-occurrence.ron").write_text(f"[\n{relations}\n]\n")
    return ids


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--max-hops", type=int, default=20)
    ap.add_argument("--pairs", type=int, default=0, help="only the first N pairs (0: all 2,926)")
    args = ap.parse_args()
    try:
        import networkx as nx
    except ImportError:
        sys.exit("networkx is needed: python3 -m venv .venv && .venv/bin/pip install networkx")

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = ROOT / "target" / "release" / "linkchart"
    g = nx.les_miserables_graph()
    with tempfile.TemporaryDirectory() as tmp:
        ids = write_graph(g, Path(tmp) / "graph")
        names = sorted(g.nodes)
        pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
        if args.pairs:
            pairs = pairs[: args.pairs]
        pair_file = Path(tmp) / "pairs.tsv"
        pair_file.write_text("".join(f"{ids[a]}\t{ids[b]}\n" for a, b in pairs))

        started = time.perf_counter()
        out = subprocess.run(
            [str(binary), "--graph", str(Path(tmp) / "graph"), "--no-cache", "path",
             "--pairs", str(pair_file), "--k", str(args.k), "--max-hops", str(args.max_hops),
             "--rank", "hops", "--limit", str(args.k)],
            capture_output=True, text=True, check=True,
        )
        ours_wall = time.perf_counter() - started
        ours = [json.loads(line) for line in out.stdout.splitlines()]

        theirs, times = [], []
        for a, b in pairs:
            t0 = time.perf_counter()
            lengths = []
            for path in nx.shortest_simple_paths(g, a, b):
                if len(path) - 1 > args.max_hops:
                    break
                lengths.append(len(path) - 1)
                if len(lengths) == args.k:
                    break
            times.append(time.perf_counter() - t0)
            theirs.append(lengths)

    mismatches = 0
    for (a, b), mine, lengths in zip(pairs, ours, theirs):
        got = [r["length"] for r in mine.get("routes", [])]
        if got != lengths:
            mismatches += 1
            if mismatches <= 5:
                print(f"mismatch {a} -> {b}: linkchart {got}, networkx {lengths}")
    elapsed = [o["elapsed_us"] / 1000 for o in ours if "elapsed_us" in o]
    ms = [t * 1000 for t in times]
    print(f"Les Misérables, {len(pairs)} pairs, k={args.k}, max hops {args.max_hops}")
    print(f"  linkchart  median {statistics.median(elapsed):.3f} ms  max {max(elapsed):.3f} ms  "
          f"total {sum(elapsed) / 1000:.2f} s (whole process {ours_wall:.2f} s)")
    print(f"  networkx   median {statistics.median(ms):.3f} ms  max {max(ms):.3f} ms  "
          f"total {sum(ms) / 1000:.2f} s")
    print(f"  route lengths that differ: {mismatches}")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
