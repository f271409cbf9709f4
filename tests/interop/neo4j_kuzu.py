"""Loads linkchart's Neo4j exports into kuzu, an embedded Cypher engine, and
prints JSON: entity and relationship counts after COPY from the bulk-import
CSVs, the same after running the Cypher script, and the length of the
shortest route between two entities.

usage: neo4j_kuzu.py CSV_DIR CYPHER_FILE WORK_DIR FROM_ID TO_ID"""
import json
import os
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
conn.execute(f"COPY Entity FROM '{os.path.join(csv_dir, 'nodes.csv')}' (header=true)")
conn.execute(f"COPY Rel FROM '{os.path.join(csv_dir, 'relationships.csv')}' (header=true)")
bulk_nodes = count(conn, "MATCH (e:Entity) RETURN count(e)")
bulk_rels = count(conn, "MATCH ()-[r:Rel]->() RETURN count(r)")
result = conn.execute(
    f"MATCH p = (a:Entity)-[:Rel* SHORTEST 1..12]-(b:Entity) WHERE a.id = '{src}' AND b.id = '{dst}' RETURN length(p)"
)
shortest = result.get_next()[0] if result.has_next() else None
name = count(conn, f"MATCH (e:Entity) WHERE e.id = '{src}' RETURN e.name")

# 2. The Cypher script, after creating the tables it expects: one node table
#    and one relationship table per relationship type. The Neo4j-only
#    constraint line is skipped.
script = open(cypher_file, encoding="utf-8").read().splitlines()
types = sorted({line.split("]->")[0].split("[r:")[1].split(" ")[0] for line in script if "[r:" in line})
db2 = kuzu.Database(os.path.join(work, "script.kuzu"))
conn2 = kuzu.Connection(db2)
conn2.execute("CREATE NODE TABLE Entity(id STRING, name STRING, kind STRING, description STRING, aliases STRING, PRIMARY KEY (id))")
for t in types:
    conn2.execute(
        f"CREATE REL TABLE {t}(FROM Entity TO Entity, id STRING, status STRING, claimed_by STRING, denied_by STRING, doubted_by STRING, retracted_by STRING, date STRING, period STRING, source STRING, section STRING, note STRING)"
    )
statements = [s for s in script if s and not s.startswith("//") and not s.startswith("CREATE CONSTRAINT")]
for _ in range(2):  # twice: the script must be idempotent
    for s in statements:
        conn2.execute(s)
script_nodes = count(conn2, "MATCH (e:Entity) RETURN count(e)")
script_rels = sum(count(conn2, f"MATCH ()-[r:{t}]->() RETURN count(r)") for t in types)
script_name = count(conn2, f"MATCH (e:Entity) WHERE e.id = '{src}' RETURN e.name")

print(json.dumps({
    "bulk_nodes": bulk_nodes,
    "bulk_relationships": bulk_rels,
    "shortest": shortest,
    "name": name,
    "script_nodes": script_nodes,
    "script_relationships": script_rels,
    "script_name": script_name,
}))
