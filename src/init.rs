//! A new graph to fill in: a general vocabulary (people, organisations,
//! public bodies, companies, places, events, documents and other things;
//! the relation types analysts use most, with their inverses), one source to
//! describe, empty entity and relation files and a short README. The same
//! vocabulary is the starting schema of every import into a new directory.

use crate::model::Schema;

/// The general vocabulary, as RON (comments included).
pub const SCHEMA: &str = r##"// The vocabulary of this graph: the kinds of entity and the types of relation.
// Add your own: a key (lower-case letters, digits and dashes) and its style.
//
// kinds:           key -> (label, shape, color)   shape is a Graphviz node shape,
//                  color the fill used when the graph is drawn.
// relation_types:  key -> (label, inverse, symmetric, accuses, from, to)
//                  label reads from -> to ("owns"), inverse reads to -> from
//                  ("is owned by"); symmetric types read the same both ways;
//                  accuses: a claim of this type accuses its `from` end, so
//                  queries can follow the accusation to whoever makes it;
//                  from/to, when given, list the kinds allowed at that end.
Schema(
    kinds: {
        "person":       (label: "Person",         shape: "ellipse",   color: "#fde9c9"),
        "organisation": (label: "Organisation",   shape: "box",       color: "#cfe2f3"),
        "public-body":  (label: "Public body",    shape: "box3d",     color: "#d0e0e3"),
        "company":      (label: "Company",        shape: "component", color: "#fff2cc"),
        "place":        (label: "Place",          shape: "circle",    color: "#d9d2e9"),
        "event":        (label: "Event",          shape: "diamond",   color: "#f9cb9c"),
        "document":     (label: "Document",       shape: "note",      color: "#fffbe6"),
        "other":        (label: "Other",          shape: "hexagon",   color: "#eeeeee"),
    },
    relation_types: {
        "linked-to":       (label: "is linked to",       inverse: "is linked to",       symmetric: true),
        "associate-of":    (label: "is an associate of", inverse: "is an associate of", symmetric: true),
        "family-of":       (label: "is family of",       inverse: "is family of",       symmetric: true),
        "member-of":       (label: "is a member of",     inverse: "has as member"),
        "director-of":     (label: "is a director of",   inverse: "has as director"),
        "employed-by":     (label: "works for",          inverse: "employs"),
        "headed":          (label: "headed",             inverse: "was headed by"),
        "founded":         (label: "founded",            inverse: "was founded by"),
        "owns":            (label: "owns",               inverse: "is owned by"),
        "part-of":         (label: "is part of",         inverse: "includes"),
        "represents":      (label: "represents",         inverse: "is represented by"),
        "paid":            (label: "paid",               inverse: "was paid by",        accuses: true),
        "funded":          (label: "funded",             inverse: "was funded by",      accuses: true),
        "supported":       (label: "supported",          inverse: "was supported by",   accuses: true),
        "cooperated-with": (label: "cooperated with",    inverse: "cooperated with",    symmetric: true, accuses: true),
        "participated-in": (label: "took part in",       inverse: "had taking part"),
        "located-in":      (label: "is located in",      inverse: "is the location of"),
        "wrote":           (label: "wrote",              inverse: "was written by"),
        "mentions":        (label: "mentions",           inverse: "is mentioned in"),
        "opposed":         (label: "opposed",            inverse: "was opposed by"),
    },
)
"##;

/// One source to describe before citing it.
pub const SOURCES: &str = r#"// The sources relations cite: `source: (id: "my-notes", section: "general")`.
// Give each source an id, a title, a kind and the sections relations may cite;
// `url` and `file` are optional.
[
    (
        id: "my-notes",
        title: "My notes (describe this source)",
        kind: "notes",
        sections: [
            (id: "general", title: "General"),
        ],
    ),
]
"#;

pub const ENTITIES: &str = r#"// Entities: one list per file; split them over as many files as you like.
// The smallest entity: (id: "jane-doe", name: "Jane Doe", kind: "person"),
// Optional: aliases: [...], description: "...", start: "1948", end: "2011",
//           tags: [...], props: {"nationality": "NL", "rank": 3}
[
]
"#;

pub const RELATIONS: &str = r#"// Relations: one list per file.
// The smallest relation:
//   (from: "jane-doe", to: "acme", type: "director-of", status: established,
//    source: (id: "my-notes", section: "general")),
// status: established | reported | alleged | disputed (alleged and disputed
// need claimed_by: ["who-says-so"]; disputed also denied_by, doubted_by or
// retracted_by). Optional: date: "2010" or period: "2001..2005", note: "...",
// weight: 2.5, props: {"role": "chair"}
[
]
"#;

pub const README: &str = r#"# A linkchart graph

This directory is a graph for [linkchart](https://crates.io/crates/linkchart):

```
schema.ron        the kinds of entity and the types of relation (edit freely)
sources.ron       the sources relations cite
entities/*.ron    entities, in as many files as you like
relations/*.ron   relations, likewise
```

Start by describing your source in `sources.ron`, then add entities and
relations (each file shows the smallest record it accepts), and run

```sh
linkchart --graph . check
```

after every change: it reports every problem with file, line and column.
Data you already have can come in with `linkchart import csv|graphml|ftm FILE… --into .`.
"#;

/// Every file of a new graph directory: (relative path, text).
pub fn files() -> Vec<(String, String)> {
    vec![
        ("schema.ron".to_string(), SCHEMA.to_string()),
        ("sources.ron".to_string(), SOURCES.to_string()),
        ("entities/entities.ron".to_string(), ENTITIES.to_string()),
        ("relations/relations.ron".to_string(), RELATIONS.to_string()),
        ("README.md".to_string(), README.to_string()),
    ]
}

/// The general vocabulary as a schema.
pub fn schema() -> Schema {
    ron::from_str(SCHEMA).expect("the built-in schema parses")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_general_schema_parses() {
        let s = super::schema();
        assert!(s.kinds.contains_key("other"));
        assert!(s.relation_types.contains_key("linked-to"));
    }
}
