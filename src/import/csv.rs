//! CSV as spreadsheets export it: a nodes file and an edges file, each with
//! a header row; or an edge list alone, whose ends become entities.
//!
//! Columns are found by name (`id`, `name`, `kind`; `from`/`source`,
//! `to`/`target`, `type`, `weight` … in any case) or mapped with
//! `--map FIELD=COLUMN` / a mapping file; every other column is kept as an
//! attribute, typed by its values (whole numbers, decimals, booleans, dates,
//! text). Neo4j's bulk-import headers (`id:ID`, `:LABEL`, `:START_ID`,
//! `:END_ID`, `:TYPE`, typed columns like `rank:int`, arrays split on `;`)
//! are read directly, so `export --format csv` comes back in unchanged.
//!
//! A file is read twice: once on one thread, to check every row and learn
//! the columns' types (and where every 50,000th row starts), then in those
//! pieces on all cores, handed to the builder in order.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use super::build::{Builder, InEntity, InRelation, InSource, Place, date_cell, parse_status};
use super::locate::FileSpans;
use crate::diag::{Diagnostic, SourceFiles};
use crate::load::runs::streamed;
use crate::props::{PropValue, parse_float, parse_int};
use crate::suggest::did_you_mean;

/// Fields of a nodes file and the column names that mean them, best first.
const NODE_FIELDS: &[(&str, &[&str])] = &[
    (
        "id",
        &["id", "node", "node_id", "nodeid", "key", "identifier"],
    ),
    ("name", &["name", "label", "title", "node_name"]),
    ("kind", &["kind", "type", "category", "class", "schema"]),
    ("aliases", &["aliases", "alias", "aka", "other_names"]),
    ("description", &["description", "desc", "summary"]),
    ("start", &["start", "start_date", "born", "founded"]),
    ("end", &["end", "end_date", "died", "dissolved"]),
    ("tags", &["tags", "tag", "keywords"]),
];

/// Fields of an edges file; `from` and `to` are looked for first, so a
/// `source` column means the citation only when `from` has its own column.
const EDGE_FIELDS: &[(&str, &[&str])] = &[
    (
        "from",
        &["from", "source", "src", "from_id", "source_id", "head"],
    ),
    ("to", &["to", "target", "dst", "to_id", "target_id", "tail"]),
    (
        "type",
        &[
            "type",
            "relation",
            "relationship",
            "rel_type",
            "rel",
            "interaction",
            "predicate",
            "label",
        ],
    ),
    ("status", &["status"]),
    ("claimed_by", &["claimed_by", "claimants", "claimed by"]),
    ("denied_by", &["denied_by", "denied by"]),
    ("doubted_by", &["doubted_by", "doubted by"]),
    ("retracted_by", &["retracted_by", "retracted by"]),
    ("date", &["date"]),
    ("period", &["period"]),
    ("source", &["source", "citation", "cited_source"]),
    ("section", &["section"]),
    ("source_title", &["source_title"]),
    ("source_url", &["source_url", "url"]),
    ("note", &["note", "notes", "comment"]),
    ("weight", &["weight", "value", "cost"]),
];

/// Columns that Neo4j's exports add and that carry nothing of their own
/// here (a relation's id is made from its ends and type).
const IGNORED_EDGE_COLUMNS: &[&str] = &["id"];

/// Every field name a mapping may use.
pub fn field_names() -> Vec<&'static str> {
    NODE_FIELDS
        .iter()
        .chain(EDGE_FIELDS)
        .map(|(f, _)| *f)
        .collect()
}

/// How a column is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellType {
    /// Infer from all of the column's values.
    Infer,
    Int,
    Float,
    Bool,
    /// Text (a date when written like one).
    Text,
    /// A list, split on `;`.
    List,
}

struct Column {
    /// The header's name without a Neo4j type.
    name: String,
    ty: CellType,
}

fn parse_header(raw: &str) -> Column {
    let raw = raw.trim().trim_start_matches('\u{feff}');
    // Neo4j: `name:type`, `:ID`, `id:ID(Space)`, `:START_ID(Space)`.
    let (name, ty) = match raw.rfind(':') {
        Some(i) if i + 1 < raw.len() => (&raw[..i], &raw[i + 1..]),
        _ => (raw, ""),
    };
    let ty_lower = ty.to_ascii_lowercase();
    let ty_base = ty_lower.split('(').next().unwrap_or("");
    let (name, cell) = match ty_base {
        "id" => ("id".to_string(), CellType::Text),
        "start_id" => (":start_id".to_string(), CellType::Text),
        "end_id" => (":end_id".to_string(), CellType::Text),
        "label" => (":label".to_string(), CellType::List),
        "type" => (":type".to_string(), CellType::Text),
        "int" | "long" | "short" | "byte" => (name.to_string(), CellType::Int),
        "float" | "double" => (name.to_string(), CellType::Float),
        "boolean" => (name.to_string(), CellType::Bool),
        "string" | "char" | "date" | "datetime" | "localdatetime" | "localtime" | "time" => {
            (name.to_string(), CellType::Text)
        }
        t if t.ends_with("[]") => (name.to_string(), CellType::List),
        "" => (name.to_string(), CellType::Infer),
        _ => (raw.to_string(), CellType::Infer),
    };
    Column {
        name: name.trim().to_string(),
        ty: cell,
    }
}

fn folded(name: &str) -> String {
    name.trim().to_lowercase().replace([' ', '-'], "_")
}

/// The fields found in one header: field → column index.
struct Layout {
    fields: HashMap<&'static str, usize>,
    columns: Vec<Column>,
    neo4j: bool,
    edges: bool,
}

fn layout(header: &[String], mapping: &[(String, String)], file: &str) -> Result<Layout, String> {
    let columns: Vec<Column> = header.iter().map(|h| parse_header(h)).collect();
    let neo4j = header.iter().any(|h| {
        let h = h.trim();
        h.contains(":ID") || h.contains(":START_ID") || h.contains(":LABEL")
    });
    let find = |name: &str| columns.iter().position(|c| folded(&c.name) == folded(name));
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let mut explicit: HashMap<&'static str, usize> = HashMap::new();
    let known = field_names();
    for (field, column) in mapping {
        let Some(&f) = known.iter().find(|k| **k == field.as_str()) else {
            continue; // checked once for all files by `check_mapping`
        };
        if let Some(i) = header
            .iter()
            .position(|h| h.trim() == column.trim())
            .or_else(|| find(column))
        {
            explicit.insert(f, i);
        }
    }
    let mapped_ends = explicit.contains_key("from") && explicit.contains_key("to");
    let has = |c: &str| find(c).is_some();
    let edges = mapped_ends
        || (has(":start_id") && has(":end_id"))
        || (EDGE_FIELDS[0].1.iter().any(|c| has(c)) && EDGE_FIELDS[1].1.iter().any(|c| has(c)));
    let table = if edges { EDGE_FIELDS } else { NODE_FIELDS };
    let mut fields = explicit.clone();
    let mut used: Vec<usize> = fields.values().copied().collect();
    for (field, candidates) in table {
        if fields.contains_key(field) {
            continue;
        }
        let neo = match *field {
            "from" if edges => Some(":start_id"),
            "to" if edges => Some(":end_id"),
            _ => None,
        };
        let found = neo
            .and_then(|n| find(n).filter(|i| !used.contains(i)))
            .or_else(|| {
                candidates
                    .iter()
                    .find_map(|c| find(c).filter(|i| !used.contains(i)))
            });
        if let Some(i) = found {
            fields.insert(field, i);
            used.push(i);
        }
    }
    if edges
        && !fields.contains_key("type")
        && let Some(i) = find(":type").filter(|i| !used.contains(i))
    {
        fields.insert("type", i);
    }
    if !edges
        && !fields.contains_key("kind")
        && let Some(i) = find(":label").filter(|i| !used.contains(i))
    {
        fields.insert("kind", i);
    }
    if !edges && !fields.contains_key("id") && !fields.contains_key("name") {
        return Err(format!(
            "{file}: no column says which entity a row is: expected `id` or `name` (the columns are: {}); map one with --map id=COLUMN",
            names.join(", ")
        ));
    }
    Ok(Layout {
        fields,
        columns,
        neo4j,
        edges,
    })
}

/// Checks a mapping's field names once, with did-you-mean.
pub fn check_mapping(mapping: &[(String, String)]) -> Result<(), String> {
    let known = field_names();
    for (field, _) in mapping {
        if !known.contains(&field.as_str()) {
            let help = did_you_mean(field, known.iter().copied())
                .unwrap_or_else(|| format!("the fields are: {}", known.join(", ")));
            return Err(format!(
                "unknown field \"{field}\" in the column mapping; {help}"
            ));
        }
    }
    Ok(())
}

/// Reads a mapping file: `FIELD = COLUMN` (or `FIELD: COLUMN`) per line,
/// `#` comments.
pub fn parse_mapping(text: &str, file: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((field, column)) = line.split_once(['=', ':']) else {
            return Err(format!(
                "{file}:{}:1: expected FIELD = COLUMN, found \"{line}\"",
                n + 1
            ));
        };
        let column = column.trim().trim_matches('"');
        out.push((field.trim().to_string(), column.to_string()));
    }
    Ok(out)
}

/// Guesses the delimiter from the header line: the most frequent of `,`,
/// `;`, tab and `|` (`.tsv` files use tabs).
fn delimiter(name: &str, text: &str) -> u8 {
    if name.to_ascii_lowercase().ends_with(".tsv") {
        return b'\t';
    }
    let first = text.lines().next().unwrap_or("");
    [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| (first.bytes().filter(|b| b == d).count(), *d == b','))
        .unwrap_or(b',')
}

/// The type of an attribute column from all its values.
fn infer_column(values: &[&str]) -> CellType {
    let present: Vec<&&str> = values.iter().filter(|v| !v.is_empty()).collect();
    if present.is_empty() {
        return CellType::Text;
    }
    if present.iter().all(|v| parse_int(v).is_some()) {
        CellType::Int
    } else if present
        .iter()
        .all(|v| parse_int(v).is_some() || parse_float(v).is_some())
    {
        CellType::Float
    } else if present
        .iter()
        .all(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "false"))
    {
        CellType::Bool
    } else {
        CellType::Text
    }
}

fn cell_value(text: &str, ty: CellType) -> Option<PropValue> {
    if text.is_empty() {
        return None;
    }
    Some(match ty {
        CellType::Int => parse_int(text)
            .map(PropValue::Int)
            .unwrap_or_else(|| PropValue::from_text(text)),
        CellType::Float => parse_float(text)
            .map(PropValue::Float)
            .unwrap_or_else(|| PropValue::from_text(text)),
        CellType::Bool => match text.to_ascii_lowercase().as_str() {
            "true" => PropValue::Bool(true),
            "false" => PropValue::Bool(false),
            _ => PropValue::from_text(text),
        },
        CellType::Infer | CellType::Text | CellType::List => PropValue::from_text(text),
    })
}

fn list(text: &str) -> Vec<String> {
    crate::props::split_list(text)
}

/// Where a row starts, from the csv crate's position for it: in a file
/// whose lines end in CRLF (or with blank lines before the row) that
/// position is the line break ending the row before, on that row's line;
/// the row itself starts after the breaks. Returns the byte and the line.
fn row_start(text: &[u8], pos: &csv::Position) -> (usize, usize) {
    let (mut byte, mut line) = (pos.byte() as usize, pos.line() as usize);
    while let Some(&b) = text.get(byte).filter(|&&b| b == b'\r' || b == b'\n') {
        if b == b'\n' {
            line += 1;
        }
        byte += 1;
    }
    (byte, line)
}

/// A syntax error in a CSV file (`text`), pointed at its row.
fn csv_error(file: usize, text: &str, err: &csv::Error, header_len: usize) -> Diagnostic {
    match err.kind() {
        csv::ErrorKind::UnequalLengths { pos, len, .. } => {
            let at = pos.as_ref().map_or(0, |p| row_start(text.as_bytes(), p).0);
            Diagnostic::error(
                file,
                at..at + 1,
                format!("this row has {len} field(s), the header has {header_len}"),
            )
            .label("row starts here")
            .help("quote cells that contain the delimiter or line breaks: \"like, this\"")
        }
        _ => {
            let at = err.position().map_or(0, |p| p.byte() as usize);
            Diagnostic::error(file, at..at + 1, format!("invalid CSV: {err}")).label("here")
        }
    }
}

/// The column of each field in a file's rows, looked up once per file: a
/// million rows would otherwise hash sixteen field names each.
struct Columns {
    from: Option<usize>,
    to: Option<usize>,
    rel_type: Option<usize>,
    status: Option<usize>,
    claimed_by: Option<usize>,
    denied_by: Option<usize>,
    doubted_by: Option<usize>,
    retracted_by: Option<usize>,
    date: Option<usize>,
    period: Option<usize>,
    source: Option<usize>,
    section: Option<usize>,
    source_title: Option<usize>,
    source_url: Option<usize>,
    note: Option<usize>,
    weight: Option<usize>,
    id: Option<usize>,
    name: Option<usize>,
    kind: Option<usize>,
    aliases: Option<usize>,
    description: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    tags: Option<usize>,
    /// The kind is read from Neo4j's `:LABEL` list.
    label_kind: bool,
}

impl Columns {
    fn of(layout: &Layout) -> Columns {
        let field = |f: &str| layout.fields.get(f).copied();
        Columns {
            from: field("from"),
            to: field("to"),
            rel_type: field("type"),
            status: field("status"),
            claimed_by: field("claimed_by"),
            denied_by: field("denied_by"),
            doubted_by: field("doubted_by"),
            retracted_by: field("retracted_by"),
            date: field("date"),
            period: field("period"),
            source: field("source"),
            section: field("section"),
            source_title: field("source_title"),
            source_url: field("source_url"),
            note: field("note"),
            weight: field("weight"),
            id: field("id"),
            name: field("name"),
            kind: field("kind"),
            aliases: field("aliases"),
            description: field("description"),
            start: field("start"),
            end: field("end"),
            tags: field("tags"),
            label_kind: field("kind").is_some_and(|i| folded(&layout.columns[i].name) == ":label"),
        }
    }
}

/// A status cell as written: a status's own name when it is one (the
/// builder reads it the same way), so the usual rows allocate nothing.
fn status_cell(text: &str) -> Cow<'static, str> {
    match parse_status(text) {
        Some(status) => Cow::Borrowed(status.as_str()),
        None => Cow::Owned(text.to_string()),
    }
}

/// A cell of a record read as bytes, as text (the file is UTF-8 throughout,
/// so this borrows).
fn text_cell(record: &csv::ByteRecord, i: usize) -> Option<Cow<'_, str>> {
    record.get(i).map(String::from_utf8_lossy)
}

/// Rows in a piece of a file that one thread reads in the second pass.
const PIECE: usize = 50_000;

/// A run of rows: where its first row starts (as the first pass found it),
/// that row's index in the file, and how many rows it has.
struct Piece {
    start: csv::Position,
    first: usize,
    rows: usize,
}

/// The rows of a piece: a file holds entities or relations.
enum Rows {
    Entities(Vec<(InEntity, Place)>),
    Relations(Vec<(InRelation, Place)>),
}

/// How the rows of one file are read: its layout, learnt in the first pass.
struct RowReader<'a> {
    at: Columns,
    edges: bool,
    attr_columns: &'a [usize],
    attr_names: &'a [String],
    types: &'a [CellType],
}

impl RowReader<'_> {
    /// The row's attributes: every other column, typed.
    fn props(&self, record: &csv::StringRecord) -> crate::props::Props {
        let mut props = crate::props::Props::new();
        for (n, &i) in self.attr_columns.iter().enumerate() {
            let key = &self.attr_names[n];
            if let Some(v) = record.get(i).and_then(|c| cell_value(c, self.types[i])) {
                props.insert(key.clone(), v);
            }
        }
        props
    }

    fn relation(&self, record: &csv::StringRecord) -> InRelation {
        let at = &self.at;
        // A cell as written, and trimmed.
        let raw =
            |column: Option<usize>| -> &str { column.and_then(|i| record.get(i)).unwrap_or("") };
        let get = |column: Option<usize>| -> &str { raw(column).trim() };
        let mut props = self.props(record);
        let source = (!get(at.source).is_empty()).then(|| InSource {
            id: get(at.source).to_string(),
            section: get(at.section).to_string(),
            title: Some(get(at.source_title).to_string()).filter(|t| !t.is_empty()),
            section_title: None,
            url: Some(get(at.source_url).to_string()).filter(|t| !t.is_empty()),
        });
        if source.is_none() && !get(at.source_url).is_empty() {
            props.insert(
                "source_url".to_string(),
                PropValue::Text(get(at.source_url).to_string()),
            );
        }
        InRelation {
            from: get(at.from).to_string(),
            to: get(at.to).to_string(),
            rel_type: get(at.rel_type).to_string(),
            status: status_cell(get(at.status)),
            claimed_by: list(get(at.claimed_by)),
            denied_by: list(get(at.denied_by)),
            doubted_by: list(get(at.doubted_by)),
            retracted_by: list(get(at.retracted_by)),
            date: date_cell(get(at.date)),
            period: Some(get(at.period).to_string()).filter(|p| !p.is_empty()),
            source,
            note: raw(at.note).to_string(),
            weight: Some(get(at.weight).to_string()).filter(|w| !w.is_empty()),
            props,
            type_label: None,
        }
    }

    fn entity(&self, record: &csv::StringRecord) -> InEntity {
        let at = &self.at;
        // A cell as written, and trimmed.
        let raw =
            |column: Option<usize>| -> &str { column.and_then(|i| record.get(i)).unwrap_or("") };
        let get = |column: Option<usize>| -> &str { raw(column).trim() };
        let kind = if at.label_kind {
            // `:LABEL` holds `Entity;MilitantGroup`: the last label is the kind.
            list(get(at.kind))
                .into_iter()
                .rfind(|l| l != "Entity")
                .unwrap_or_default()
        } else {
            get(at.kind).to_string()
        };
        InEntity {
            input_id: get(at.id).to_string(),
            name: raw(at.name).to_string(),
            kind,
            aliases: list(raw(at.aliases)),
            description: raw(at.description).to_string(),
            start: date_cell(get(at.start)),
            end: date_cell(get(at.end)),
            tags: list(get(at.tags)),
            props: self.props(record),
        }
    }
}

/// The rows of one piece, each with its bytes (to the next row's start) and
/// its place. The first pass checked every row, so reading them cannot fail.
fn read_piece(
    text: &str,
    delimiter: u8,
    piece: &Piece,
    reading: &RowReader,
    file: usize,
) -> (Vec<Range<usize>>, Rows) {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .has_headers(true)
        .from_reader(std::io::Cursor::new(text.as_bytes()));
    let mut spans = Vec::with_capacity(piece.rows);
    let (mut entities, mut relations) = (Vec::new(), Vec::new());
    if reading.edges {
        relations.reserve(piece.rows);
    } else {
        entities.reserve(piece.rows);
    }
    // Seeking reads the header first, as the first pass did; bytes and lines
    // then count on from the piece's start. (It cannot fail on text in
    // memory that the first pass read.)
    let _ = rdr.seek(piece.start.clone());
    let mut record = csv::StringRecord::new();
    let mut pos = rdr.position().clone();
    for index in piece.first..piece.first + piece.rows {
        if !rdr.read_record(&mut record).unwrap_or(false) {
            break;
        }
        let (start, line) = row_start(text.as_bytes(), &pos);
        pos = rdr.position().clone();
        spans.push(start..pos.byte() as usize);
        let place = Place { file, index, line };
        if reading.edges {
            relations.push((reading.relation(&record), place));
        } else {
            entities.push((reading.entity(&record), place));
        }
    }
    let rows = if reading.edges {
        Rows::Relations(relations)
    } else {
        Rows::Entities(entities)
    };
    (spans, rows)
}

/// Reads one CSV file into the builder.
// The error stops the whole import and is made once per run: its size is
// of no consequence.
#[allow(clippy::result_large_err)]
pub fn read(
    builder: &mut Builder,
    files: &SourceFiles,
    file: usize,
    mapping: &[(String, String)],
) -> Result<(FileSpans, bool), Diagnostic> {
    let name = files.name(file).to_string();
    let text = files.text(file);
    let delim = delimiter(&name, text);
    let reader = || {
        csv::ReaderBuilder::new()
            .delimiter(delim)
            .flexible(false)
            .has_headers(true)
            .from_reader(text.as_bytes())
    };
    let mut rdr = reader();
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(csv_error(file, text, &e, 0)),
    };
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(Diagnostic::error(file, 0..0, "the file has no header row")
            .label("expected column names here")
            .help("the first row names the columns: id,name,kind or from,to,type"));
    }
    let layout = layout(&header, mapping, &name)
        .map_err(|m| Diagnostic::error(file, 0..header_len(text), m).label("the header"))?;
    let field = |f: &str| layout.fields.get(f).copied();
    let mut attr_columns: Vec<usize> = (0..header.len())
        .filter(|i| !layout.fields.values().any(|v| v == i))
        .filter(|&i| !header[i].trim().is_empty())
        .filter(|&i| {
            let n = folded(&layout.columns[i].name);
            // Neo4j's `:`-columns are structure, never attributes.
            let structural =
                n.starts_with(':') || (layout.edges && IGNORED_EDGE_COLUMNS.contains(&n.as_str()));
            !structural
        })
        .collect();
    // Gephi's edge tables say Directed/Undirected in `Type`: keep that as an
    // attribute, not as the relation type.
    let mut type_is_direction = false;
    // First pass: check the structure and learn each attribute column's type.
    let mut samples: Vec<Vec<String>> = vec![Vec::new(); header.len()];
    // The text is UTF-8 already, and so is every cell of it: the first pass
    // reads bytes, without checking that again.
    let mut record = csv::ByteRecord::new();
    let type_column = field("type");
    // Where every piece of the rows starts, for the second pass.
    let mut starts: Vec<csv::Position> = Vec::new();
    let mut rows = 0;
    loop {
        if rows % PIECE == 0 {
            starts.push(rdr.position().clone());
        }
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {
                rows += 1;
                for &i in &attr_columns {
                    if layout.columns[i].ty == CellType::Infer {
                        samples[i].push(text_cell(&record, i).unwrap_or_default().into_owned());
                    }
                }
                if let Some(t) = type_column
                    && samples.get(t).is_some_and(|s| s.is_empty())
                    && let Some(v) = text_cell(&record, t)
                    && !v.is_empty()
                {
                    type_is_direction =
                        matches!(v.to_ascii_lowercase().as_str(), "directed" | "undirected");
                    samples[t].push(v.into_owned());
                }
            }
            Ok(false) => break,
            Err(e) => return Err(csv_error(file, text, &e, header.len())),
        }
    }
    let mut layout = layout;
    if type_is_direction && let Some(t) = layout.fields.remove("type") {
        attr_columns.push(t);
        attr_columns.sort_unstable();
        layout.columns[t].ty = CellType::Text;
    }
    let types: Vec<CellType> = (0..header.len())
        .map(|i| match layout.columns[i].ty {
            CellType::Infer if layout.neo4j => CellType::Text,
            CellType::Infer => {
                let values: Vec<&str> = samples[i].iter().map(String::as_str).collect();
                infer_column(&values)
            }
            t => t,
        })
        .collect();
    let attr_names: Vec<String> = attr_columns
        .iter()
        .map(|&i| {
            let n = layout.columns[i].name.trim();
            if type_is_direction && Some(i) == Some(i) && folded(n) == "type" {
                "direction".to_string()
            } else {
                n.to_string()
            }
        })
        .collect();
    // Second pass: the rows, in pieces read on all cores and handed to the
    // builder in order.
    let reading = RowReader {
        at: Columns::of(&layout),
        edges: layout.edges,
        attr_columns: &attr_columns,
        attr_names: &attr_names,
        types: &types,
    };
    let pieces: Vec<Piece> = starts
        .into_iter()
        .enumerate()
        .map(|(n, start)| Piece {
            start,
            first: n * PIECE,
            rows: PIECE.min(rows - n * PIECE),
        })
        .filter(|p| p.rows > 0)
        .collect();
    let mut records: Vec<Range<usize>> = Vec::with_capacity(rows);
    streamed(
        &pieces,
        |piece| read_piece(text, delim, piece, &reading, file),
        |_, (spans, rows)| {
            records.extend(spans);
            match rows {
                Rows::Entities(mut rows) => builder.add_entities(&mut rows),
                Rows::Relations(mut rows) => builder.add_relations(&mut rows),
            }
        },
    );
    let columns = layout
        .fields
        .iter()
        .map(|(f, &i)| (f.to_string(), i))
        .collect();
    Ok((
        FileSpans::Csv {
            records,
            columns,
            delimiter: delim,
        },
        layout.edges,
    ))
}

fn header_len(text: &str) -> usize {
    text.find('\n').unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neo4j_headers() {
        let c = parse_header("id:ID");
        assert_eq!((c.name.as_str(), c.ty), ("id", CellType::Text));
        let c = parse_header(":START_ID(Person)");
        assert_eq!(c.name, ":start_id");
        let c = parse_header("rank:int");
        assert_eq!((c.name.as_str(), c.ty), ("rank", CellType::Int));
        let c = parse_header("aliases:string[]");
        assert_eq!(c.ty, CellType::List);
        let c = parse_header("Weight");
        assert_eq!((c.name.as_str(), c.ty), ("Weight", CellType::Infer));
    }

    #[test]
    fn columns_by_name() {
        let h = |cols: &[&str]| cols.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let l = layout(&h(&["Source", "Target", "Weight"]), &[], "e.csv").unwrap();
        assert!(l.edges);
        assert_eq!(l.fields["from"], 0);
        assert_eq!(l.fields["to"], 1);
        assert_eq!(l.fields["weight"], 2);
        assert!(!l.fields.contains_key("source"));
        let l = layout(&h(&["from", "to", "source", "section"]), &[], "e.csv").unwrap();
        assert_eq!(l.fields["source"], 2);
        let l = layout(&h(&["Id", "Label", "Type"]), &[], "n.csv").unwrap();
        assert!(!l.edges);
        assert_eq!(l.fields["name"], 1);
        assert_eq!(l.fields["kind"], 2);
        assert!(layout(&h(&["x", "y"]), &[], "n.csv").is_err());
        let map = vec![
            ("from".to_string(), "x".to_string()),
            ("to".to_string(), "y".to_string()),
        ];
        assert!(layout(&h(&["x", "y"]), &map, "n.csv").unwrap().edges);
    }

    #[test]
    fn column_types_from_values() {
        assert_eq!(infer_column(&["1", "2", ""]), CellType::Int);
        assert_eq!(infer_column(&["1", "2.5"]), CellType::Float);
        assert_eq!(infer_column(&["007", "2"]), CellType::Text);
        assert_eq!(infer_column(&["true", "FALSE"]), CellType::Bool);
        assert_eq!(infer_column(&["x", "1"]), CellType::Text);
    }
}
