//! `linkchart timeline NAME`: an entity's relations (and the claims it
//! makes) in date order; undated ones follow.

use serde_json::json;

use crate::cli::Format;
use crate::error::Error;
use crate::export::json::{relation as relation_json, to_text};
use crate::index::Index;
use crate::model::Relation;
use crate::style::Style;
use crate::{Output, present};

pub fn run(
    index: &Index,
    name: &str,
    format: Format,
    style: Style,
    output: &mut Output,
) -> Result<(), Error> {
    let i = index.resolve(name)?;
    let g = &index.graph;
    let mut rels: Vec<&Relation> = g
        .relations
        .iter()
        .filter(|r| {
            r.from == i || r.to == i || r.claimed_by.contains(&i) || r.denied_by.contains(&i)
        })
        .collect();
    // Stable sort: dated first in time order, undated after, in graph order.
    rels.sort_by(|a, b| match (a.when, b.when) {
        (Some(x), Some(y)) => x.chrono_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    output.found_nothing = rels.is_empty();
    match format {
        Format::Json => {
            output.stdout = to_text(&json!({
                "entity": {"id": g.entity(i).id, "name": g.entity(i).name},
                "relations": rels.iter().map(|r| relation_json(g, r)).collect::<Vec<_>>(),
            }));
        }
        Format::Text => {
            let mut t = format!(
                "{}\n",
                style.bold(&format!("Timeline of {}", g.entity(i).name))
            );
            let width = rels
                .iter()
                .filter_map(|r| r.when)
                .map(|w| w.to_string().chars().count())
                .max()
                .unwrap_or(0)
                .max("undated".len());
            for r in &rels {
                let when = r.when.map_or("undated".to_string(), |w| w.to_string());
                t += &format!(
                    "\n{:<width$}  {} {} {}\n{:width$}  {}\n",
                    when,
                    g.entity(r.from).name,
                    style.bold(g.label(r, true)),
                    g.entity(r.to).name,
                    "",
                    // The date stands in the left column already.
                    [
                        present::status_phrase(g, r, style),
                        style.dim(&present::citation(g, r))
                    ]
                    .join(" · ")
                );
            }
            output.stdout = t;
        }
    }
    Ok(())
}
