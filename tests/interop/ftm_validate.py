"""Validates a linkchart FollowTheMoney export with the followthemoney
package: every line must make an entity proxy of a known schema without
losing or changing a property value when FtM cleans it (cleaned=False runs
each value through its property type), every entity reference must point at
an entity of the file whose schema fits the property's range, and the
`linkchart` object must survive a load and save. Prints counts as JSON.

usage: ftm_validate.py FILE"""
import json
import sys

from followthemoney import model

entities = {}
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
problems = []
for data in lines:
    proxy = model.get_proxy(dict(data), cleaned=False)
    if proxy.schema.abstract:
        problems.append(f"{data['id']}: abstract schema {proxy.schema.name}")
    for prop, values in data["properties"].items():
        if prop not in proxy.schema.properties:
            problems.append(f"{data['id']}: {proxy.schema.name} has no property {prop}")
            continue
        kept = proxy.get(prop)
        if sorted(kept) != sorted(values):
            problems.append(f"{data['id']}: {prop} {values!r} became {kept!r}")
    again = proxy.to_dict()
    if again.get("linkchart") != data.get("linkchart"):
        problems.append(f"{data['id']}: the linkchart object was not kept")
    entities[proxy.id] = proxy
links = 0
for proxy in entities.values():
    for prop in proxy.schema.properties.values():
        if prop.type.name != "entity":
            continue
        for ref in proxy.get(prop):
            target = entities.get(ref)
            if target is None:
                problems.append(f"{proxy.id}: {prop.name} points at missing {ref}")
            elif not target.schema.is_a(prop.range):
                problems.append(f"{proxy.id}: {prop.name} -> {ref} is a {target.schema.name}, not a {prop.range.name}")
            else:
                links += 1
print(json.dumps({
    "entities": sum(1 for p in entities.values() if not p.schema.edge),
    "links": sum(1 for p in entities.values() if p.schema.edge),
    "references": links,
    "schemata": sorted({p.schema.name for p in entities.values()}),
    "names": {p.id: p.first("name") for p in entities.values() if not p.schema.edge},
    "problems": problems,
}))
