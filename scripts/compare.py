#!/usr/bin/env python3
"""Compare linkchart with networkx and igraph on one generated graph.

One run:

1. generates a graph with `linkchart generate` (once),
2. exports it with `linkchart export --format json`,
3. picks deterministic query pairs and writes them as FROM<TAB>TO lines,
4. times, in the same run and on the same machine:
   - loading, each as a ratio to the parse floor: the floor itself
     (`scripts/floor.rs`: serde + ron reading the same files into the
     loader's raw records, as many threads as the loader, nothing else),
     `linkchart --no-cache stats` (cold) and `linkchart stats` (from the
     load cache), both wall time, median of --repeat; networkx and igraph
     built from the JSON export and from a plain edge list
     (`read_edgelist`, `Read_Ncol`);
   - all shortest routes: `linkchart path --pairs FILE --format json`
     against networkx `all_shortest_paths` (and `bidirectional_shortest_path`
     for a single one) and igraph `get_all_shortest_paths`;
   - 10 ranked loopless routes: `linkchart path --pairs FILE --k 10` against
     networkx `shortest_simple_paths` (first 10) and igraph
     `get_k_shortest_paths(k=10)`;
   - exports: `linkchart export --format graphml|json -o FILE` (whole
     process, its cached load included) against networkx `write_graphml` /
     `node_link_data` + `json.dump` and igraph `write_graphml` of the graph
     they loaded (its structure only: linkchart writes every attribute),
5. prints one Markdown table of medians and ratios (loads also against the
   floor), as the README shows it.

The Python libraries get the graph linkchart's `path` walks by default: one
undirected edge per linked pair of entities, over stored relations and the
derived accused-by edges (from the accused party to each claimant of an
alleged or disputed relation whose type accuses, per schema.ron). linkchart ranks k routes by (hops, cost)
and enumerates them length by length; the libraries rank by hops alone
(networkx and igraph use Yen's algorithm). Enumerations of all shortest routes are capped at 10,000 routes,
as linkchart caps them.

Slow calls are bounded: each library call has a timeout (--timeout); after
two timeouts an operation's remaining pairs are skipped, and an operation
stops taking pairs once it has used its budget (--budget). linkchart's
batches are probed with one pair first and cut down the same way. The table
says what was skipped.

It runs in its own virtual environment, .venv-bench at the repository root,
created (and networkx and igraph installed into it) when missing.

    python3 scripts/compare.py                                  # the issue's size
    python3 scripts/compare.py --entities 2500 --relations 10000 --pairs 20
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-bench"
CAP = 10_000  # linkchart's ENUMERATION_CAP
K = 10


def log(message: str) -> None:
    print(f"[compare] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# The virtual environment.


def ensure_venv(args: argparse.Namespace) -> None:
    """Re-runs this script inside .venv-bench, creating it when missing."""
    if args.no_venv or Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = VENV / "bin" / "python"
    if not python.exists():
        log(f"creating {VENV.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    probe = subprocess.run(
        [str(python), "-c", "import networkx, igraph"], check=False, capture_output=True
    )
    if probe.returncode != 0:
        log("installing networkx and igraph into .venv-bench")
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "networkx>=3", "igraph"],
            check=True,
        )
    os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


# --------------------------------------------------------------------------
# Formatting.


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_ratio(other: float | None, ours: float | None) -> str:
    if other is None or ours is None or ours <= 0:
        return "—"
    ratio = other / ours
    if ratio >= 10:
        return f"{ratio:.0f}×"
    if ratio >= 1:
        return f"{ratio:.1f}×"
    return f"{ratio:.2g}×"


class Result:
    """Per-pair times of one operation of one tool, and what was left out."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timeouts = 0
        self.skipped = 0
        self.notes: list[str] = []

    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    def describe(self, timeout: float) -> str:
        parts = [f"n={len(self.times)}"]
        if self.timeouts:
            parts.append(f"{self.timeouts} timed out (>{timeout:g} s)")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        parts.extend(self.notes)
        return ", ".join(parts)


# --------------------------------------------------------------------------
# linkchart.


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, check=False, capture_output=True, text=True, **kwargs)
    if result.returncode not in (0, 1):
        log(f"failed ({result.returncode}): {' '.join(cmd)}")
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(2)
    return result


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = run(cmd)
    return time.perf_counter() - start, result


def linkchart_paths(
    exe: str,
    graph: Path,
    pairs: list[tuple[str, str]],
    workdir: Path,
    k: int | None,
    load_time: float,
    args: argparse.Namespace,
) -> tuple[Result, list[dict]]:
    """Times `linkchart path --pairs`: per-query times from each line's
    `elapsed_us` when present, else (wall time - load time) / pairs."""
    result = Result()
    base = [exe, "--graph", str(graph), "path", "--format", "json"]
    if k is not None:
        base += ["--k", str(k)]

    def batch(chosen: list[tuple[str, str]], deadline: float | None):
        path = workdir / f"pairs-{'k' + str(k) if k else 'all'}-{len(chosen)}.tsv"
        path.write_text("".join(f"{a}\t{b}\n" for a, b in chosen))
        cmd = base + ["--pairs", str(path)]
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
        reader.start()
        try:
            proc.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join()
        wall = time.perf_counter() - start
        stderr = proc.stderr.read()
        if proc.returncode not in (0, 1, -signal.SIGKILL):
            log(f"failed ({proc.returncode}): {' '.join(cmd)}")
            sys.stderr.write(stderr[-4000:])
            raise SystemExit(2)
        answers = []
        for line in lines:
            line = line.strip()
            if line:
                try:
                    answers.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
        return wall, answers, proc.returncode == -signal.SIGKILL

    # Probe with one pair, to bound the batch.
    wall, answers, killed = batch(pairs[:1], args.timeout + 3 * load_time + 30)
    if killed or not answers:
        result.timeouts = 1
        result.skipped = len(pairs) - 1
        result.notes.append(f"probe stopped after {wall:.0f} s")
        return result, []
    one = answers[0].get("elapsed_us")
    one = one / 1e6 if one is not None else max(wall - load_time, 0.0)
    if one > args.timeout:
        result.times.append(one)
        result.timeouts = 1
        result.skipped = len(pairs) - 1
        result.notes.append("one query exceeds the timeout: the rest skipped")
        return result, answers
    fit = len(pairs) if one <= 0 else max(1, min(len(pairs), int(args.budget / one)))
    chosen = pairs[:fit]
    result.skipped = len(pairs) - fit
    deadline = load_time * 3 + args.budget * 2 + 30
    wall, answers, killed = batch(chosen, deadline)
    if killed:
        result.notes.append(f"batch stopped after {wall:.0f} s")
    if answers and all("elapsed_us" in a for a in answers):
        result.times = [a["elapsed_us"] / 1e6 for a in answers]
        result.notes.append("elapsed_us")
    elif answers:
        per = max(wall - load_time, 0.0) / len(answers)
        result.times = [per] * len(answers)
        result.notes.append("(wall - load) / pairs")
    result.skipped += len(chosen) - len(answers)
    return result, answers


def route_summary(answer: dict) -> tuple[int | None, int | None]:
    """(shortest length, number of routes found) of one `path` answer; the
    number is None when unknown (the listing was cut by --limit and the
    answer has no `total`, or enumeration was truncated)."""
    routes = answer.get("routes")
    if not isinstance(routes, list):
        return None, None
    if not routes:
        return None, 0
    first = routes[0]
    length = first.get("length")
    if length is None and isinstance(first.get("entities"), list):
        length = len(first["entities"]) - 1
    if answer.get("truncated"):
        return length, None
    total = answer.get("total")
    if total is None and len(routes) < 10:  # shorter than the default --limit
        total = len(routes)
    return length, total


# --------------------------------------------------------------------------
# The Python libraries.


def _worker(conn, call, pairs) -> None:
    """Runs in a forked child: answers pair indices with (seconds, value)."""
    while True:
        i = conn.recv()
        if i is None:
            return
        a, b = pairs[i]
        start = time.perf_counter()
        try:
            value = call(a, b)
        except Exception as e:  # noqa: BLE001 - any library error is reported, not fatal
            conn.send(("error", repr(e)))
            continue
        conn.send((time.perf_counter() - start, value))


def time_calls(
    name: str,
    pairs: list[tuple],
    call,
    args: argparse.Namespace,
) -> tuple[Result, list]:
    """Times `call(a, b)` for each pair with a per-call timeout and an
    overall budget; returns the times and each call's return value (None
    when it did not finish).

    The calls run in a forked child that shares the graph built here; a
    call over the timeout is stopped by killing the child (a new one is
    forked for the next call), since interrupting C code such as igraph's
    in place is not safe."""
    ctx = multiprocessing.get_context("fork")
    result = Result()
    values: list = []
    spent = 0.0
    child = None
    conn = None

    def start():
        parent_end, child_end = ctx.Pipe()
        process = ctx.Process(
            target=_worker, args=(child_end, call, pairs), daemon=True
        )
        process.start()
        child_end.close()
        return process, parent_end

    try:
        for i in range(len(pairs)):
            if result.timeouts >= 2 or spent >= args.budget:
                result.skipped = len(pairs) - i
                if spent >= args.budget:
                    result.notes.append(f"budget of {args.budget:g} s used")
                values.extend([None] * (len(pairs) - i))
                break
            if child is None:
                child, conn = start()
            conn.send(i)
            if conn.poll(args.timeout):
                elapsed, value = conn.recv()
                if elapsed == "error":
                    result.notes.append(f"error: {value}")
                    values.append(None)
                    continue
                result.times.append(elapsed)
                values.append(value)
                spent += elapsed
            else:
                child.kill()
                child.join()
                child = None
                result.timeouts += 1
                values.append(None)
                spent += args.timeout
    finally:
        if child is not None:
            conn.send(None)
            child.join(timeout=5)
            if child.is_alive():
                child.kill()
    log(
        f"  {name}: {result.describe(args.timeout)}, median {fmt_time(result.median())}"
    )
    return result, values


# --------------------------------------------------------------------------
# The run.


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--entities", type=int, default=250_000)
    parser.add_argument("--relations", type=int, default=1_000_000)
    parser.add_argument(
        "--pairs", type=int, default=20, help="query pairs (default 20)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="graph and pair seed (default 1)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="per-call timeout in seconds (default 30)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="seconds one operation of one tool may spend on its pairs (default 120)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each load and export (default 3)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=ROOT / "target" / "compare",
        help="where the graph, export and pairs go (default target/compare)",
    )
    parser.add_argument(
        "--linkchart",
        default=str(ROOT / "target" / "release" / "linkchart"),
        help="the binary (default target/release/linkchart)",
    )
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="do not run `cargo build --release` first",
    )
    parser.add_argument(
        "--no-venv", action="store_true", help="use this interpreter, not .venv-bench"
    )
    args = parser.parse_args()
    ensure_venv(args)

    import igraph
    import networkx as nx

    exe = args.linkchart
    if not args.no_build:
        log("cargo build --release (and the floor example)")
        subprocess.run(
            ["cargo", "build", "--release", "--quiet", "--bin", "linkchart", "--example", "floor"],
            cwd=ROOT,
            check=True,
        )
    floor_exe = str(Path(exe).parent / "examples" / "floor")
    help_run = subprocess.run(
        [exe, "generate", "--help"], check=False, capture_output=True
    )
    if help_run.returncode != 0:
        log(f"{exe} has no `generate` command")
        return 2

    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    graph = workdir / f"graph-{args.entities}-{args.relations}-{args.seed}"
    export = workdir / f"export-{args.entities}-{args.relations}-{args.seed}.json"
    if graph.exists():
        import shutil

        shutil.rmtree(graph)

    # (a) generate, (b) export.
    log(
        f"generating {args.entities} entities, {args.relations} relations, seed {args.seed}"
    )
    gen_time, _ = timed(
        [
            exe,
            "generate",
            "--entities",
            str(args.entities),
            "--relations",
            str(args.relations),
            "--seed",
            str(args.seed),
            "-o",
            str(graph),
        ]
    )
    log(f"  generated in {fmt_time(gen_time)}")
    export_time, _ = timed(
        [exe, "--graph", str(graph), "export", "--format", "json", "-o", str(export)]
    )
    log(
        f"  exported in {fmt_time(export_time)} ({export.stat().st_size >> 20} MiB of JSON)"
    )

    # Load: linkchart, from the files (and from its load cache, when it has
    # one). `stats` loads, validates and indexes and prints little; `check`
    # would always read the files again, for their warnings.
    has_cache = "--no-cache" in run([exe, "--help"]).stdout
    cold_cmd = [
        exe,
        *(["--no-cache"] if has_cache else []),
        "--graph",
        str(graph),
        "stats",
    ]
    log(f"{' '.join(cold_cmd[:-3])} … stats ×{args.repeat}")
    check_times = [timed(cold_cmd)[0] for _ in range(max(1, args.repeat))]
    lc_load = statistics.median(check_times)
    log(f"  median {fmt_time(lc_load)}")
    lc_cached = None
    if has_cache:
        warm_cmd = [exe, "--graph", str(graph), "stats"]
        timed(warm_cmd)  # fills the cache
        lc_cached = statistics.median(
            timed(warm_cmd)[0] for _ in range(max(1, args.repeat))
        )
        log(f"  from the load cache: median {fmt_time(lc_cached)}")
    # What a `path` run spends before its first query.
    query_load = lc_cached if lc_cached is not None else lc_load
    floor = None
    if Path(floor_exe).exists():
        floor_times = [timed([floor_exe, str(graph)]) for _ in range(max(1, args.repeat))]
        floor = statistics.median(t for t, _ in floor_times)
        floor_threads = floor_times[0][1].stdout.split()[-1]
        log(f"parse floor (serde + ron, {floor_threads} threads): median {fmt_time(floor)}")
    else:
        log(f"no parse floor: {floor_exe} is not built (cargo build --release --example floor)")

    # Load: the JSON export into networkx and igraph.
    log("parsing the JSON export")
    start = time.perf_counter()
    with open(export, encoding="utf-8") as f:
        data = json.load(f)
    parse_time = time.perf_counter() - start
    ids = [e["id"] for e in data["entities"]]
    # Derived accused-by edges exist only for types whose schema entry says
    # `accuses: true` (the JSON export carries no schema: read it from the
    # graph's schema.ron, one type per line as `generate` writes it).
    accusing = set(
        re.findall(r'^\s*"([^"]+)":\s*\(.*\baccuses:\s*true', (graph / "schema.ron").read_text(), re.M)
    )
    edges: list[tuple[str, str]] = []
    for r in data["relations"]:
        edges.append((r["from"], r["to"]))
        if r.get("status") in ("alleged", "disputed") and r.get("type") in accusing:
            for c in r.get("claimed_by", []):
                if c != r["from"]:
                    edges.append((r["from"], c))
    del data
    log(
        f"  {fmt_time(parse_time)}; {len(ids)} entities, {len(edges)} edges with derived ones"
    )

    log("building the networkx graph")
    start = time.perf_counter()
    G = nx.Graph()
    G.add_nodes_from(ids)
    G.add_edges_from(edges)
    nx_build = time.perf_counter() - start

    log("building the igraph graph")
    start = time.perf_counter()
    position = {id_: i for i, id_ in enumerate(ids)}
    g = igraph.Graph(
        n=len(ids), edges=[(position[a], position[b]) for a, b in edges], directed=False
    )
    g.simplify()
    ig_build = time.perf_counter() - start
    log(
        f"  networkx {fmt_time(nx_build)}, igraph {fmt_time(ig_build)}; "
        f"{G.number_of_edges()} distinct linked pairs"
    )
    edge_list = workdir / "edges.txt"
    edge_list.write_text("".join(f"{a} {b}\n" for a, b in edges))
    del edges
    log("loading the plain edge list")
    start = time.perf_counter()
    nx.read_edgelist(edge_list)
    nx_edgelist = time.perf_counter() - start
    start = time.perf_counter()
    igraph.Graph.Read_Ncol(str(edge_list), directed=False).simplify()
    ig_edgelist = time.perf_counter() - start
    log(f"  networkx {fmt_time(nx_edgelist)}, igraph {fmt_time(ig_edgelist)}")

    def node_link_data(graph):
        try:
            return nx.node_link_data(graph, edges="links")
        except TypeError:  # networkx before 3.4 has no `edges`
            return nx.node_link_data(graph)

    # Exports: linkchart's whole process against the libraries' writers.
    log("exports")
    exports = []
    for fmt, nx_write, ig_write in (
        (
            "graphml",
            lambda path: nx.write_graphml(G, path),
            lambda path: g.write_graphml(str(path)),
        ),
        (
            "json",
            lambda path: path.write_text(json.dumps(node_link_data(G))),
            None,
        ),
    ):
        out = workdir / f"export.{fmt}"
        lc_times = [
            timed([exe, "--graph", str(graph), "export", "--format", fmt, "-o", str(out)])[0]
            for _ in range(max(1, args.repeat))
        ]
        lc_size = out.stat().st_size >> 20
        start = time.perf_counter()
        nx_write(workdir / f"nx.{fmt}")
        nx_time = time.perf_counter() - start
        ig_time = None
        if ig_write is not None:
            start = time.perf_counter()
            ig_write(workdir / f"ig.{fmt}")
            ig_time = time.perf_counter() - start
        exports.append((fmt, statistics.median(lc_times), lc_size, nx_time, ig_time))
        log(f"  {fmt}: linkchart {fmt_time(exports[-1][1])}, networkx {fmt_time(nx_time)}, igraph {fmt_time(ig_time)}")

    # (c) pairs.
    rng = random.Random(args.seed)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < args.pairs:
        a, b = rng.choice(ids), rng.choice(ids)
        if a != b:
            pairs.append((a, b))
    pairs_file = workdir / "pairs.tsv"
    pairs_file.write_text("".join(f"{a}\t{b}\n" for a, b in pairs))
    log(f"{len(pairs)} pairs in {pairs_file}")
    int_pairs = [(position[a], position[b]) for a, b in pairs]

    # (d) queries.
    log("linkchart path (all shortest routes)")
    lc_all, lc_all_answers = linkchart_paths(
        exe, graph, pairs, workdir, None, query_load, args
    )
    log(f"  {lc_all.describe(args.timeout)}, median {fmt_time(lc_all.median())}")
    log(f"linkchart path --k {K}")
    lc_k, _ = linkchart_paths(exe, graph, pairs, workdir, K, query_load, args)
    log(f"  {lc_k.describe(args.timeout)}, median {fmt_time(lc_k.median())}")

    def nx_all(a, b):
        try:
            return sum(1 for _ in itertools.islice(nx.all_shortest_paths(G, a, b), CAP))
        except nx.NetworkXNoPath:
            return 0

    def nx_one(a, b):
        try:
            return len(nx.bidirectional_shortest_path(G, a, b)) - 1
        except nx.NetworkXNoPath:
            return None

    def nx_k(a, b):
        try:
            return len(list(itertools.islice(nx.shortest_simple_paths(G, a, b), K)))
        except nx.NetworkXNoPath:
            return 0

    log("networkx")
    nx_one_r, nx_lengths = time_calls(
        "bidirectional_shortest_path", pairs, nx_one, args
    )
    nx_all_r, nx_counts = time_calls("all_shortest_paths", pairs, nx_all, args)
    nx_k_r, _ = time_calls(f"shortest_simple_paths[:{K}]", pairs, nx_k, args)
    log("igraph")
    ig_all_r, _ = time_calls(
        "get_all_shortest_paths",
        int_pairs,
        lambda a, b: len(g.get_all_shortest_paths(a, to=b)),
        args,
    )
    ig_k_r, _ = time_calls(
        f"get_k_shortest_paths(k={K})",
        int_pairs,
        lambda a, b: len(g.get_k_shortest_paths(a, to=b, k=K)),
        args,
    )

    # Cross-check: linkchart's shortest length against networkx's.
    compared = agreed = 0
    count_compared = count_agreed = 0
    for answer, length, count in zip(lc_all_answers, nx_lengths, nx_counts):
        lc_length, lc_count = route_summary(answer)
        if length is None and lc_length is None:
            continue
        if length is not None and length > 6:
            continue  # beyond linkchart's default --max-hops
        compared += 1
        agreed += lc_length == length
        if lc_count is not None and count is not None and count < CAP:
            count_compared += 1
            count_agreed += lc_count == count

    # (e) one table: loads as ratios to the parse floor, everything as a
    # ratio of each library's time to linkchart's.
    def cell(value: float | None, against_floor: bool = False) -> str:
        text = fmt_time(value)
        if against_floor and value is not None and floor:
            text += f" ({fmt_ratio(value, floor)} the floor)"
        return text

    nx_load = parse_time + nx_build
    ig_load = parse_time + ig_build
    rows = []
    if floor is not None:
        rows.append(
            (
                f"load: the parse floor (serde + ron alone, {floor_threads} threads)",
                floor,
                None,
                None,
                True,
                "the same files into plain records, nothing else",
            )
        )
    rows.append(
        (
            "load, cold: linkchart from its files, the libraries from an edge list",
            lc_load,
            nx_edgelist,
            ig_edgelist,
            True,
            (
                f"linkchart `{'--no-cache ' if has_cache else ''}stats` (read, parse, "
                f"validate, index), median of {len(check_times)}; "
                "nx `read_edgelist`, ig `Read_Ncol`"
            ),
        )
    )
    if lc_cached is not None:
        rows.append(
            (
                "load, warm: linkchart from its cache, the libraries from the JSON export",
                lc_cached,
                nx_load,
                ig_load,
                True,
                (
                    f"JSON parse {fmt_time(parse_time)} + build "
                    f"(nx {fmt_time(nx_build)}, ig {fmt_time(ig_build)})"
                ),
            )
        )
    rows += [
        (
            "all shortest routes, per pair",
            lc_all.median(),
            nx_all_r.median(),
            ig_all_r.median(),
            False,
            (
                f"lc {lc_all.describe(args.timeout)}; nx `all_shortest_paths` "
                f"{nx_all_r.describe(args.timeout)}; ig `get_all_shortest_paths` "
                f"{ig_all_r.describe(args.timeout)}"
            ),
        ),
        (
            f"{K} loopless routes, per pair",
            lc_k.median(),
            nx_k_r.median(),
            ig_k_r.median(),
            False,
            (
                f"lc {lc_k.describe(args.timeout)}; nx `shortest_simple_paths` "
                f"{nx_k_r.describe(args.timeout)}; ig `get_k_shortest_paths` "
                f"{ig_k_r.describe(args.timeout)}"
            ),
        ),
    ]
    for fmt, lc_time, size, nx_time, ig_time in exports:
        rows.append(
            (
                f"export {fmt}",
                lc_time,
                nx_time,
                ig_time,
                False,
                (
                    f"lc: whole process with its cached load, {size} MiB with every "
                    "attribute; nx, ig: the structure they loaded"
                ),
            )
        )
    print()
    print(
        f"linkchart vs networkx {nx.__version__} vs igraph {igraph.__version__}: "
        f"{args.entities} entities, {args.relations} relations, seed {args.seed}, "
        f"{len(pairs)} pairs"
    )
    print(
        f"graph as queried: {G.number_of_nodes()} nodes, {G.number_of_edges()} undirected "
        f"linked pairs (stored relations + derived accused-by edges); generated in "
        f"{fmt_time(gen_time)}, exported in {fmt_time(export_time)}"
    )
    print(
        "medians; a load is also given as a ratio to the parse floor; nx ÷ lc and ig ÷ lc "
        "above 1× mean linkchart is faster"
    )
    print()
    print("| operation | linkchart | networkx | igraph | nx ÷ lc | ig ÷ lc | notes |")
    print("|---|---|---|---|---|---|---|")
    for name, lc, nxv, igv, loads, note in rows:
        cells = [
            name,
            cell(lc, loads),
            cell(nxv, loads),
            cell(igv, loads),
            fmt_ratio(nxv, lc) if nxv is not None else "—",
            fmt_ratio(igv, lc) if igv is not None else "—",
            note,
        ]
        print("| " + " | ".join(cells) + " |")
    print()
    if compared:
        print(
            f"check: linkchart's shortest route length equals networkx's on {agreed}/{compared} pairs",
            end="",
        )
        if count_compared:
            print(
                f"; the number of shortest routes on {count_agreed}/{count_compared} pairs",
                end="",
            )
        print()
    return 0 if compared == agreed and count_compared == count_agreed else 1


if __name__ == "__main__":
    sys.exit(main())
