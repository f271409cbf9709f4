//! Reports for a brief, on one entity or on how two are connected. HTML:
//! title, the chart inline as SVG, the routes in sentences, an evidence
//! table, the legend and the sources; no external requests (a
//! Content-Security-Policy forbids them and any script), every string
//! HTML-escaped, clean when printed. Markdown: the same with a Mermaid chart,
//! for wikis and GitHub.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::error::Error;
use crate::export::{DotOptions, dot, mermaid};
use crate::index::{Edge, Index};
use crate::model::{EntityId, Status};
use crate::present;
use crate::query::select::Selection;
use crate::render::{self, Engine};
use crate::style::Style;
use crate::words::plural;

/// The two kinds of report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// One self-contained HTML file with the chart inline.
    #[default]
    Html,
    /// Markdown with a Mermaid chart.
    Markdown,
}

/// Text safe in HTML element content and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text safe in a Markdown table cell or list item.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '`' | '[' | ']' | '\\' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// One numbered explanation per route: a sentence per relation of each step.
fn route_sentences(index: &Index, sel: &Selection) -> Vec<(String, Vec<(String, String)>)> {
    let g = &index.graph;
    sel.routes
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let names: Vec<&str> = r
                .entities
                .iter()
                .map(|&e| g.entity(e).name.as_str())
                .collect();
            let head = format!(
                "Route {} ({} step{}): {}",
                n + 1,
                r.hops(),
                plural(r.hops()),
                names.join(" → ")
            );
            let lines = r
                .steps
                .iter()
                .flat_map(|s| {
                    s.evidence.iter().map(move |ev| {
                        present::edge_sentence(index, *ev, s.from, s.to, Style::PLAIN)
                    })
                })
                .collect();
            (head, lines)
        })
        .collect()
}

fn sources_cited(index: &Index, sel: &Selection) -> Vec<(String, String)> {
    let g = &index.graph;
    let mut cited: BTreeSet<(String, String)> = BTreeSet::new();
    for &r in &sel.relations {
        let source = &g.relation(r).source;
        cited.insert((source.id.to_string(), source.section.to_string()));
    }
    for &e in &sel.derived {
        if let Edge::AccusedBy { claim } = index.edge(e) {
            let source = &g.relation(claim).source;
            cited.insert((source.id.to_string(), source.section.to_string()));
        }
    }
    cited
        .into_iter()
        .map(|(source, section)| {
            let s = g.sources.iter().find(|s| s.id == source);
            let title = s.map_or(source.clone(), |s| s.title.clone());
            let section_title = s
                .and_then(|s| s.sections.iter().find(|x| x.id == section))
                .map_or(section.clone(), |x| x.title.clone());
            (title, section_title)
        })
        .collect()
}

fn status_css(status: Status) -> &'static str {
    match status {
        Status::Established => "established",
        Status::Reported => "reported",
        Status::Alleged => "alleged",
        Status::Disputed => "disputed",
    }
}

const CSS: &str = "
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta { color: #666; } .note { background: #fff8e1; border-left: 4px solid #f0b400; padding: .4rem .6rem; }
figure.chart { margin: 1rem 0; overflow: auto; border: 1px solid #eee; } figure.chart svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { border: 1px solid #ddd; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f6f6f6; }
.status { font-weight: 600; } .established { color: #1b5e20; } .reported { color: #555; } .alleged { color: #b26a00; } .disputed { color: #8e24aa; }
ol.route li { margin: .25rem 0; } .evidence { color: #555; font-size: .9rem; }
.swatch { display: inline-block; width: 1.1em; height: 1.1em; border: 1px solid #999; vertical-align: middle; margin-right: .3em; }
.line { display: inline-block; width: 2.5em; vertical-align: middle; margin-right: .4em; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } figure.chart { border: none; page-break-inside: avoid; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
";

fn html_report(index: &Index, sel: &Selection, subject: &str, svg: &str) -> String {
    let g = &index.graph;
    let mut t = String::new();
    let _ = write!(
        t,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">{} entities · {} relations · made with linkchart</p>\n",
        html(&sel.title),
        html(&sel.title),
        sel.entities.len(),
        sel.relations.len()
    );
    t.push_str(subject);
    // The SVG without its XML prologue, inline.
    let svg = svg.find("<svg").map_or("", |i| &svg[i..]);
    let _ = write!(t, "<figure class=\"chart\">\n{svg}\n</figure>\n");
    for note in &sel.notes {
        let _ = writeln!(
            t,
            "<p class=\"note\"><strong>Note:</strong> {}</p>",
            html(&note.view(index).text)
        );
    }
    let routes = route_sentences(index, sel);
    if !routes.is_empty() {
        t.push_str("<h2>Routes</h2>\n");
        for (head, lines) in routes {
            let _ = writeln!(t, "<h3>{}</h3>\n<ol class=\"route\">", html(&head));
            for (sentence, detail) in lines {
                let _ = writeln!(
                    t,
                    "<li>{}<br><span class=\"evidence\">{}</span></li>",
                    html(&sentence),
                    html(&detail)
                );
            }
            t.push_str("</ol>\n");
        }
    }
    t.push_str("<h2>Evidence</h2>\n<table>\n<thead><tr><th>Relation</th><th>Status</th><th>Who says so</th><th>Date</th><th>Source</th><th>Note</th></tr></thead>\n<tbody>\n");
    for &r in &sel.relations {
        let rel = g.relation(r);
        let _ = writeln!(
            t,
            "<tr><td>{} <em>{}</em> {}</td><td class=\"status {}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html(&g.entity(rel.from).name),
            html(g.label(rel, true)),
            html(&g.entity(rel.to).name),
            status_css(rel.status),
            rel.status.as_str(),
            html(&present::claimants(g, rel)),
            html(&rel.when.map(|w| w.to_string()).unwrap_or_default()),
            html(&present::citation(g, rel)),
            html(&rel.note)
        );
    }
    t.push_str("</tbody>\n</table>\n");
    t.push_str(
        "<h2>Legend</h2>\n<table>\n<thead><tr><th>Kind</th><th>Shape</th></tr></thead>\n<tbody>\n",
    );
    let kinds = sel.kinds(g);
    for k in kinds {
        if let Some(def) = g.schema.kinds.get(k) {
            let _ = writeln!(
                t,
                "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td>{}</td></tr>",
                html(&def.color),
                html(&def.label),
                html(&def.shape)
            );
        }
    }
    t.push_str("</tbody>\n</table>\n<table>\n<thead><tr><th>Status</th><th>Line</th><th>Meaning</th></tr></thead>\n<tbody>\n");
    for s in Status::ALL {
        let meaning = s.meaning();
        let (line, color) = dot::status_style(s);
        let _ = writeln!(
            t,
            "<tr><td class=\"status {}\">{}</td><td><span class=\"line\" style=\"border-top:2px {line} {color}\"></span>{line}</td><td>{meaning}</td></tr>",
            status_css(s),
            s.as_str()
        );
    }
    t.push_str("</tbody>\n</table>\n<h2>Sources</h2>\n<ul>\n");
    for (title, section) in sources_cited(index, sel) {
        let _ = writeln!(t, "<li>{} — {}</li>", html(&title), html(&section));
    }
    t.push_str("</ul>\n</body>\n</html>\n");
    t
}

fn md_report(index: &Index, sel: &Selection, subject: &str) -> String {
    let g = &index.graph;
    let mut t = format!(
        "# {}\n\n{} entities · {} relations · made with linkchart\n\n",
        md(&sel.title),
        sel.entities.len(),
        sel.relations.len()
    );
    t.push_str(subject);
    let _ = write!(t, "```mermaid\n{}```\n", mermaid::render(index, sel));
    for note in &sel.notes {
        let _ = writeln!(t, "\n**Note:** {}", md(&note.view(index).text));
    }
    let routes = route_sentences(index, sel);
    if !routes.is_empty() {
        t.push_str("\n## Routes\n");
        for (head, lines) in routes {
            let _ = writeln!(t, "\n### {}\n", md(&head));
            for (n, (sentence, detail)) in lines.iter().enumerate() {
                let _ = writeln!(t, "{}. {}  \n   {}", n + 1, md(sentence), md(detail));
            }
        }
    }
    t.push_str("\n## Evidence\n\n| Relation | Status | Who says so | Date | Source | Note |\n|---|---|---|---|---|---|\n");
    for &r in &sel.relations {
        let rel = g.relation(r);
        let _ = writeln!(
            t,
            "| {} *{}* {} | {} | {} | {} | {} | {} |",
            md(&g.entity(rel.from).name),
            md(g.label(rel, true)),
            md(&g.entity(rel.to).name),
            rel.status.as_str(),
            md(&present::claimants(g, rel)),
            md(&rel.when.map(|w| w.to_string()).unwrap_or_default()),
            md(&present::citation(g, rel)),
            md(&rel.note)
        );
    }
    t.push_str("\n## Legend\n\nSolid arrows: established (grey: reported). Dotted arrows: alleged or disputed, as the label says.\n\n## Sources\n\n");
    for (title, section) in sources_cited(index, sel) {
        let _ = writeln!(t, "- {} — {}", md(&title), md(&section));
    }
    t
}

/// The entity card at the top of a NAME report.
fn entity_summary(index: &Index, entity: EntityId, format: ReportFormat) -> String {
    let g = &index.graph;
    let e = g.entity(entity);
    let aliases = if e.aliases.is_empty() {
        String::new()
    } else {
        format!("Also known as: {}", e.aliases.join(", "))
    };
    match format {
        ReportFormat::Html => format!(
            "<p><strong>{}</strong> · {}</p>\n<p>{}</p>\n<p>{}</p>\n",
            html(&e.name),
            html(g.kind_label(&e.kind)),
            html(&e.description),
            html(&aliases)
        ),
        ReportFormat::Markdown => format!(
            "**{}** · {}\n\n{}\n\n{}\n\n",
            md(&e.name),
            md(g.kind_label(&e.kind)),
            md(&e.description),
            md(&aliases)
        ),
    }
}

/// A report on a selection; `subject` is the entity of a one-entity report
/// (its card heads the report and names it).
pub fn report(
    index: &Index,
    sel: &Selection,
    subject: Option<EntityId>,
    format: ReportFormat,
) -> Result<String, Error> {
    let mut sel = sel.clone();
    let summary = match subject {
        Some(entity) => {
            sel.title = format!("{}: entity report", index.entity(entity).name);
            entity_summary(index, entity, format)
        }
        None => String::new(),
    };
    Ok(match format {
        ReportFormat::Html => {
            render::check_size(
                sel.entities.len(),
                sel.relations.len() + sel.derived.len(),
                Engine::Dot,
                false,
                "report",
            )?;
            let chart = dot::render(
                index,
                &sel,
                &DotOptions {
                    legend: false,
                    ..DotOptions::default()
                },
            );
            html_report(index, &sel, &summary, &render::svg(&chart, Engine::Dot)?)
        }
        ReportFormat::Markdown => md_report(index, &sel, &summary),
    })
}
