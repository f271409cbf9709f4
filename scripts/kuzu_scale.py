#!/usr/bin/env python3
"""Loads a graph exported with `linkchart export --format csv -o DIR` (Neo4j's
bulk-import files) into kuzu, an embedded Cypher engine, and times the load
and the Cypher equivalent of `linkchart path FROM TO --no-derived` for some
pairs: the README's numbers for a graph that has moved to a database.

    python3 scripts/kuzu_scale.py CSV_DIR WORK_DIR FROM TO [FROM TO ...]

WORK_DIR must not hold a database yet; the database is written there. Prints
one line per step: the COPY of the entities and of the relations, then per
pair the number of distinct shortest routes, their length and the query's
time, and at the end the process's peak memory. Needs the `kuzu` package
(`pip install kuzu`; `.ci/run` installs it into .venv).
"""

import os
import resource
import sys
import time

import kuzu

NODE_COLUMNS = (
    "id STRING, name STRING, kind STRING, aliases STRING, description STRING, "
    "start STRING, end_ STRING, tags STRING, labels STRING, PRIMARY KEY (id)"
)
REL_COLUMNS = (
    "neo_type STRING, id STRING, type STRING, status STRING, claimed_by STRING, "
    "denied_by STRING, doubted_by STRING, retracted_by STRING, date STRING, "
    "period STRING, source STRING, section STRING, note STRING, weight DOUBLE"
)


def timed(conn, query):
    start = time.perf_counter()
    result = conn.execute(query)
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return time.perf_counter() - start, rows


def quoted(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def main(argv):
    if len(argv) < 5 or len(argv) % 2 == 0:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    csv_dir, work = argv[1], argv[2]
    pairs = list(zip(argv[3::2], argv[4::2]))
    os.makedirs(work, exist_ok=True)
    db = kuzu.Database(os.path.join(work, "graph.kuzu"))
    conn = kuzu.Connection(db)
    conn.execute(f"CREATE NODE TABLE Entity({NODE_COLUMNS})")
    conn.execute(f"CREATE REL TABLE Rel(FROM Entity TO Entity, {REL_COLUMNS})")
    # parallel=false: a name or note may hold a line break inside quotes.
    for table, file in [("Entity", "nodes.csv"), ("Rel", "relationships.csv")]:
        path = os.path.join(csv_dir, file)
        seconds, _ = timed(conn, f"COPY {table} FROM {quoted(path)} (header=true, parallel=false)")
        print(f"COPY {table} FROM {file}: {seconds:.1f} s", flush=True)
    _, [[nodes]] = timed(conn, "MATCH (e:Entity) RETURN count(e)")
    _, [[rels]] = timed(conn, "MATCH ()-[r:Rel]->() RETURN count(r)")
    print(f"loaded: {nodes} entities, {rels} relations", flush=True)
    for a, b in pairs:
        seconds, rows = timed(
            conn,
            "MATCH p = (a:Entity)-[:Rel* ALL SHORTEST 1..6]-(b:Entity) "
            f"WHERE a.id = {quoted(a)} AND b.id = {quoted(b)} "
            "RETURN DISTINCT properties(nodes(p), 'id')",
        )
        length = len(rows[0][0]) - 1 if rows else None
        print(
            f"{a} -> {b}: {len(rows)} shortest route{'' if len(rows) == 1 else 's'} "
            f"of {length} steps, {seconds * 1e3:.0f} ms",
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
