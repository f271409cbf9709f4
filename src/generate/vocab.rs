//! The generator's vocabulary: kinds, relation types, sources, regions and
//! titles, and the schema and sources files made from them.

use std::fmt::Write;

pub(super) struct Kind {
    pub(super) key: &'static str,
    pub(super) label: &'static str,
    pub(super) shape: &'static str,
    pub(super) color: &'static str,
    /// Relative frequency among ordinary (non-hub) entities.
    pub(super) weight: u32,
    /// Name suffixes; empty for people, whose names are "First Last".
    pub(super) suffixes: &'static [&'static str],
    /// Descriptions: "{start}{name-free middle}{end}" pieces.
    pub(super) roles: &'static [&'static str],
}

pub(super) const PERSON: usize = 0;

pub(super) const KINDS: &[Kind] = &[
    Kind {
        key: "person",
        label: "Person",
        shape: "ellipse",
        color: "#fde9c9",
        weight: 40,
        suffixes: &[],
        roles: &[
            "intelligence officer",
            "politician",
            "militant commander",
            "financier",
            "journalist",
            "diplomat",
            "army general",
            "businessman",
        ],
    },
    Kind {
        key: "agency",
        label: "Agency",
        shape: "box",
        color: "#cfe2f3",
        weight: 6,
        suffixes: &[
            "Intelligence Bureau",
            "Security Service",
            "Directorate",
            "Agency",
            "Bureau",
        ],
        roles: &[
            "state intelligence agency",
            "internal security service",
            "military intelligence directorate",
        ],
    },
    Kind {
        key: "militant-group",
        label: "Militant group",
        shape: "octagon",
        color: "#f4cccc",
        weight: 10,
        suffixes: &["Front", "Brigade", "Movement", "Army", "Lashkar"],
        roles: &[
            "armed insurgent group",
            "militant network",
            "separatist militia",
        ],
    },
    Kind {
        key: "company",
        label: "Company or bank",
        shape: "component",
        color: "#fff2cc",
        weight: 12,
        suffixes: &["Holdings", "Trading", "Bank", "Logistics", "Exchange"],
        roles: &["trading company", "private bank", "shipping firm"],
    },
    Kind {
        key: "party",
        label: "Political party",
        shape: "house",
        color: "#ead1dc",
        weight: 4,
        suffixes: &["Party", "League", "Congress", "Alliance"],
        roles: &["political party", "electoral alliance"],
    },
    Kind {
        key: "country",
        label: "Country",
        shape: "doublecircle",
        color: "#b6d7a8",
        weight: 2,
        suffixes: &["Republic", "Federation", "Union", "Emirate"],
        roles: &["sovereign state", "federal republic"],
    },
    Kind {
        key: "place",
        label: "Place",
        shape: "circle",
        color: "#d9d2e9",
        weight: 14,
        suffixes: &["City", "Province", "Valley", "District", "Port"],
        roles: &["border town", "provincial capital", "mountain district"],
    },
    Kind {
        key: "event",
        label: "Event",
        shape: "diamond",
        color: "#f9cb9c",
        weight: 12,
        suffixes: &["Summit", "Accord", "Incident", "Bombing", "Crisis"],
        roles: &["diplomatic meeting", "armed attack", "political crisis"],
    },
];

/// Kinds the hubs are drawn from (indices into `KINDS`).
pub(super) const HUB_KINDS: &[usize] = &[5, 1, 2, 4, 5, 1];

pub(super) struct RelType {
    pub(super) key: &'static str,
    pub(super) label: &'static str,
    pub(super) inverse: &'static str,
    pub(super) symmetric: bool,
    /// Claims of this type accuse their `from` end (see the schema docs).
    pub(super) accuses: bool,
    pub(super) weight: u32,
}

pub(super) const REL_TYPES: &[RelType] = &[
    RelType {
        key: "member-of",
        label: "was a member of",
        inverse: "had as member",
        symmetric: false,
        accuses: false,
        weight: 16,
    },
    RelType {
        key: "headed",
        label: "headed",
        inverse: "was headed by",
        symmetric: false,
        accuses: false,
        weight: 5,
    },
    RelType {
        key: "supported",
        label: "supported",
        inverse: "was supported by",
        symmetric: false,
        accuses: true,
        weight: 14,
    },
    RelType {
        key: "funded",
        label: "funded",
        inverse: "was funded by",
        symmetric: false,
        accuses: true,
        weight: 9,
    },
    RelType {
        key: "trained",
        label: "trained",
        inverse: "was trained by",
        symmetric: false,
        accuses: true,
        weight: 5,
    },
    RelType {
        key: "armed",
        label: "armed",
        inverse: "was armed by",
        symmetric: false,
        accuses: true,
        weight: 4,
    },
    RelType {
        key: "attacked",
        label: "attacked",
        inverse: "was attacked by",
        symmetric: false,
        accuses: true,
        weight: 6,
    },
    RelType {
        key: "opposed",
        label: "opposed",
        inverse: "was opposed by",
        symmetric: false,
        accuses: false,
        weight: 7,
    },
    RelType {
        key: "informed",
        label: "passed information to",
        inverse: "received information from",
        symmetric: false,
        accuses: false,
        weight: 8,
    },
    RelType {
        key: "employed-by",
        label: "worked for",
        inverse: "employed",
        symmetric: false,
        accuses: false,
        weight: 8,
    },
    RelType {
        key: "cooperated-with",
        label: "cooperated with",
        inverse: "cooperated with",
        symmetric: true,
        accuses: true,
        weight: 12,
    },
    RelType {
        key: "allied-with",
        label: "allied with",
        inverse: "allied with",
        symmetric: true,
        accuses: true,
        weight: 6,
    },
];

pub(super) struct SourceDef {
    pub(super) id: &'static str,
    pub(super) title: &'static str,
    pub(super) kind: &'static str,
    /// Relative frequency of citation.
    pub(super) weight: u32,
    pub(super) sections: &'static [(&'static str, &'static str)],
}

pub(super) const SOURCES: &[SourceDef] = &[
    SourceDef {
        id: "synthetic-report",
        title: "Synthetic investigative report",
        kind: "report",
        weight: 50,
        sections: &[
            ("summary", "Summary"),
            ("history", "History"),
            ("structure", "Organisation and structure"),
            ("finance", "Money and finance"),
            ("operations", "Operations"),
            ("operations-abroad", "Operations › Abroad"),
            ("allegations", "Allegations"),
            ("reactions", "Reactions"),
        ],
    },
    SourceDef {
        id: "synthetic-encyclopedia",
        title: "Synthetic encyclopedia",
        kind: "encyclopedia article",
        weight: 30,
        sections: &[
            ("lead", "Introduction"),
            ("background", "Background"),
            ("people", "Key people"),
            ("relations", "Foreign relations"),
            ("controversies", "Controversies"),
        ],
    },
    SourceDef {
        id: "synthetic-court-record",
        title: "Synthetic court record",
        kind: "court record",
        weight: 10,
        sections: &[
            ("indictment", "Indictment"),
            ("testimony", "Testimony"),
            ("judgment", "Judgment"),
        ],
    },
    SourceDef {
        id: "synthetic-press",
        title: "Synthetic press archive",
        kind: "news archive",
        weight: 10,
        sections: &[
            ("front-page", "Front page"),
            ("investigations", "Investigations"),
            ("opinion", "Opinion"),
            ("obituaries", "Obituaries"),
        ],
    },
];

pub(super) const REGIONS: &[&str] = &[
    "northern", "southern", "eastern", "western", "border", "coastal", "central", "highland",
];

pub(super) const TITLES: &[&str] = &["Gen.", "Col.", "Dr.", "Maj."];

pub(super) fn schema_text() -> String {
    let mut s = String::from(
        "// The vocabulary of a synthetic graph generated by `linkchart generate`.\nSchema(\n    kinds: {\n",
    );
    for k in KINDS {
        let _ = writeln!(
            s,
            "        \"{}\": (label: \"{}\", shape: \"{}\", color: \"{}\"),",
            k.key, k.label, k.shape, k.color
        );
    }
    s.push_str("    },\n    relation_types: {\n");
    for t in REL_TYPES {
        let _ = write!(
            s,
            "        \"{}\": (label: \"{}\", inverse: \"{}\"",
            t.key, t.label, t.inverse
        );
        if t.symmetric {
            s.push_str(", symmetric: true");
        }
        if t.accuses {
            s.push_str(", accuses: true");
        }
        s.push_str("),\n");
    }
    s.push_str("    },\n)\n");
    s
}

pub(super) fn sources_text() -> String {
    let mut s =
        String::from("// The sources of a synthetic graph generated by `linkchart generate`.\n[\n");
    for src in SOURCES {
        let _ = writeln!(
            s,
            "    (\n        id: \"{}\",\n        title: \"{}\",\n        kind: \"{}\",\n        sections: [",
            src.id, src.title, src.kind
        );
        for (id, title) in src.sections {
            let _ = writeln!(s, "            (id: \"{id}\", title: \"{title}\"),");
        }
        s.push_str("        ],\n    ),\n");
    }
    s.push_str("]\n");
    s
}
