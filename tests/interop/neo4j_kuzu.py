"""Loads linkchart's Neo4j exports into kuzu, an embedded Cypher engine, and
prints JSON: entity and relationship counts after COPY from the bulk-import
CSVs, the same after running the Cypher script, the length of the
shortest route between two entities and every shortest route (as entity
id sequences), and every entity's name and every
relation's note as each import read them.

usage: neo4j_kuzu.py CSV_DIR CYPHER_FILE WORK_DIR FROM_ID TO_ID"""
import json
import os
import re
import sys

import kuzu

csv_dir, cypher_file, work, src, dst = sys.argv[1:6]

NODE_COLUMNS = "id STRING, name STRING, kind STRING, aliases STRING, description STRING, start STRING, end_ STRING, tags STRING, labels STRING, PRIMARY KEY (id)"
REL_COLUMNS = "neo_type STRING, id STRING, type STRING, status STRING, claimed_by STRING, denied_by STRING, doubted_by STRING, retracted_by STRING, date STRING, period STRING, source STRING, section STRING, note STRING, weight DOUBLE"


def count(conn, query):
    result = conn.execute(query)
    return result.get_next()[0]


# 1. Bulk import: nodes.csv and relationships.csv, header row skipped.
db = kuzu.Database(os.path.join(work, "bulk.kuzu"))
conn = kuzu.Connection(db)
conn.execute(f"CREATE NODE TABLE Entity({NODE_COLUMNS})")
conn.execute(f"CREATE REL TABLE Rel(FROM Entity TO Entity, {REL_COLUMNS})")
# parallel=false: names and notes may hold line breaks inside quoted fields.
conn.execute(f"COPY Entity FROM '{os.path.join(csv_dir, 'nodes.csv')}' (header=true, parallel=false)")
conn.execute(f"COPY Rel FROM '{os.path.join(csv_dir, 'relationships.csv')}' (header=true, parallel=false)")
bulk_nodes = count(conn, "MATCH (e:Entity) RETURN count(e)")
bulk_rels = count(conn, "MATCH ()-[r:Rel]->() RETURN count(r)")
result = conn.execute(
    f"MATCH p = (a:Entity)-[:Rel* SHORTEST 1..12]-(b:Entity) WHERE a.id = '{src}' AND b.id = '{dst}' RETURN length(p)"
)
shortest = result.get_next()[0] if result.has_next() else None
# The Cypher equivalent of `linkchart path FROM TO --no-derived` (as the
# README shows it): every shortest route, as the distinct entity sequences
# linkchart counts (kuzu lists one path per parallel relation).
result = conn.execute(
    f"MATCH p = (a:Entity)-[:Rel* ALL SHORTEST 1..12]-(b:Entity) WHERE a.id = '{src}' AND b.id = '{dst}' "
    "RETURN DISTINCT properties(nodes(p), 'id')"
)
all_shortest = []
while result.has_next():
    all_shortest.append(result.get_next()[0])
all_shortest.sort()
name = count(conn, f"MATCH (e:Entity) WHERE e.id = '{src}' RETURN e.name")


def rows(conn, query):
    result = conn.execute(query)
    out = {}
    while result.has_next():
        key, value = result.get_next()
        out[key] = value
    return out


names = rows(conn, "MATCH (e:Entity) RETURN e.id, e.name")
notes = rows(conn, "MATCH ()-[r:Rel]->() RETURN r.id, r.note")

# 2. The Cypher script, after creating the tables it expects: one node table
#    and one relationship table per relationship type. The Neo4j-only
#    constraint line is skipped.
def statements(text):
    """Splits a Cypher script at each `;` outside string literals (a literal
    may hold line breaks), dropping `//` comment lines."""
    out, current, quote, i = [], [], None, 0
    while i < len(text):
        ch = text[i]
        if quote is None and text.startswith("//", i):
            i = text.find("\n", i)
            i = len(text) if i < 0 else i + 1
            continue
        current.append(ch)
        if quote is not None:
            if ch == "\\":
                current.append(text[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == ";":
            out.append("".join(current).strip())
            current = []
        i += 1
    return [s for s in out if s]


script = statements(open(cypher_file, encoding="utf-8").read())
types = sorted({re.search(r"MERGE \(a\)-\[r:(\w+) ", s).group(1) for s in script if s.startswith("MATCH")})
db2 = kuzu.Database(os.path.join(work, "script.kuzu"))
conn2 = kuzu.Connection(db2)
conn2.execute("CREATE NODE TABLE Entity(id STRING, name STRING, kind STRING, description STRING, aliases STRING, PRIMARY KEY (id))")
for t in types:
    conn2.execute(
        f"CREATE REL TABLE {t}(FROM Entity TO Entity, id STRING, status STRING, claimed_by STRING, denied_by STRING, doubted_by STRING, retracted_by STRING, date STRING, period STRING, source STRING, section STRING, note STRING)"
    )
# The Neo4j-only constraint is skipped.
runnable = [s for s in script if not s.startswith("CREATE CONSTRAINT")]
for _ in range(2):  # twice: the script must be idempotent
    for s in runnable:
        conn2.execute(s)
script_nodes = count(conn2, "MATCH (e:Entity) RETURN count(e)")
script_rels = sum(count(conn2, f"MATCH ()-[r:{t}]->() RETURN count(r)") for t in types)
script_name = count(conn2, f"MATCH (e:Entity) WHERE e.id = '{src}' RETURN e.name")
script_names = rows(conn2, "MATCH (e:Entity) RETURN e.id, e.name")
script_notes = {}
for t in types:
    script_notes.update(rows(conn2, f"MATCH ()-[r:{t}]->() RETURN r.id, r.note"))

print(json.dumps({
    "bulk_nodes": bulk_nodes,
    "bulk_relationships": bulk_rels,
    "shortest": shortest,
    "all_shortest": all_shortest,
    "name": name,
    "script_nodes": script_nodes,
    "script_relationships": script_rels,
    "script_name": script_name,
    "names": names,
    "script_names": script_names,
    "notes": notes,
    "script_notes": script_notes,
}))
