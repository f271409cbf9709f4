//! `export --format html`: one self-contained, interactive HTML file for a
//! selection. It is the explorer's own page (`src/page/`) with its script
//! and styles inlined and the data it would ask the server for written
//! into it: the chart with positions from [`crate::layout`], every
//! entity's card with the terminal's wording, and, for a route selection,
//! the routes. It opens from disk with no server and no network: a
//! Content-Security-Policy allows only its own script and styles (by hash)
//! and images it makes itself; the data is a JSON block the script reads as
//! text, with `<` escaped so no name can end the block.

use std::collections::HashMap;

use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::chart::{ChartView, Legend, Placement, card_json, chart, legend, path_json};
use super::report::html;
use crate::index::Index;
use crate::query::path::{PathAnswer, RouteView};
use crate::query::select::Selection;
use crate::query::view::EntityRef;

const PAGE: &str = include_str!("../page/index.html");
const SCRIPT: &str = include_str!("../page/app.js");
const STYLE: &str = include_str!("../page/app.css");

/// What the page reads instead of the API: the same shapes.
#[derive(Serialize)]
struct Bundle<'g> {
    title: &'g str,
    meta: Meta<'g>,
    chart: ChartView<'g>,
    cards: serde_json::Map<String, serde_json::Value>,
    path: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct Meta<'g> {
    entities: usize,
    relations: usize,
    #[serde(flatten)]
    legend: Legend<'g>,
    relation_types: Vec<&'g str>,
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` only
/// occur inside strings, where their `\u` escapes mean the same.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn sha256(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// The page's body, between the markers in `index.html`.
fn body() -> &'static str {
    let start = PAGE.find("<!--linkchart:body-->").unwrap_or(0);
    let end = PAGE.find("<!--/linkchart:body-->").unwrap_or(PAGE.len());
    &PAGE[start..end]
}

/// The selection as one interactive HTML file.
pub fn render(index: &Index, sel: &Selection) -> String {
    let g = &index.graph;
    let mut edges: Vec<_> = sel
        .relations
        .iter()
        // Relation `r` is edge `r` of the index: stored relations come first.
        .map(|r| petgraph::graph::EdgeIndex::new(r.index()))
        .chain(sel.derived.iter().copied())
        .collect();
    edges.sort_unstable();
    let placement = Placement {
        fixed: HashMap::new(),
        routes: sel.routes.iter().map(|r| r.entities.clone()).collect(),
    };
    let mut cards = serde_json::Map::new();
    for &e in &sel.entities {
        cards.insert(g.entity(e).id.to_string(), card_json(index, e));
    }
    let path = sel.routes.first().map(|first| {
        let answer = PathAnswer {
            from: EntityRef::of(g, first.entities[0]),
            to: EntityRef::of(g, *first.entities.last().unwrap_or(&first.entities[0])),
            routes: sel.routes.iter().map(|r| RouteView::of(index, r)).collect(),
            total: sel.routes.len(),
            truncated: false,
            notes: sel.notes.iter().map(|n| n.view(index)).collect(),
        };
        serde_json::to_value(path_json(index, &answer)).unwrap_or_default()
    });
    let mut legend = legend(index);
    // The slider spans the years of what is in the file.
    let chart = chart(index, &sel.entities, &edges, &placement);
    let years: Vec<i32> = chart.edges.iter().flat_map(|e| e.years).flatten().collect();
    legend.years = [years.iter().min().copied(), years.iter().max().copied()];
    let bundle = Bundle {
        title: &sel.title,
        meta: Meta {
            entities: sel.entities.len(),
            relations: sel.relations.len(),
            legend,
            relation_types: Vec::new(),
        },
        chart,
        cards,
        path,
    };
    let data = script_safe(&serde_json::to_string(&bundle).unwrap_or_default());
    let style = format!("\n{STYLE}");
    let script = format!("\n{SCRIPT}");
    let policy = format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; img-src data: blob:; base-uri 'none'; form-action 'none'",
        sha256(&script),
        sha256(&style)
    );
    let mut page = String::with_capacity(data.len() + SCRIPT.len() + STYLE.len() + 8_000);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n"
    ));
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str(&format!("<title>{}</title>\n", html(&sel.title)));
    page.push_str("<link rel=\"icon\" href=\"data:,\">\n");
    page.push_str(&format!("<style>{style}</style>\n</head>\n<body>\n"));
    page.push_str(body());
    page.push_str("<script type=\"application/json\" id=\"linkchart-data\">");
    page.push_str(&data);
    page.push_str("</script>\n");
    page.push_str(&format!("<script>{script}</script>\n</body>\n</html>\n"));
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_name_can_close_the_data_block() {
        let json = serde_json::to_string(&["</script><script>alert(1)</script>", "a & b"]).unwrap();
        let safe = script_safe(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back[0], "</script><script>alert(1)</script>");
        assert_eq!(back[1], "a & b");
    }

    #[test]
    fn the_page_script_never_closes_its_element() {
        assert!(!SCRIPT.contains("</script"));
        assert!(!STYLE.contains("</style"));
    }
}
