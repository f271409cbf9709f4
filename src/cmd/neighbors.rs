//! `linkchart neighbors NAME --depth N`: what lies within N steps of an
//! entity, grouped by distance, with the relations that reach each entity.

use serde_json::json;

use crate::cli::{FilterArgs, Format};
use crate::cmd::filters;
use crate::error::Error;
use crate::export::json::to_text;
use crate::index::Index;
use crate::query::{Walk, evidence, neighbours};
use crate::style::Style;
use crate::{Output, plural, present};

#[allow(clippy::too_many_arguments)]
pub fn run(
    index: &Index,
    name: &str,
    depth: usize,
    directed: bool,
    args: &FilterArgs,
    format: Format,
    style: Style,
    output: &mut Output,
) -> Result<(), Error> {
    let start = index.resolve(name)?;
    let mut filter = filters::build(index, args)?;
    filter.endpoints = vec![start];
    let walk = if directed {
        Walk::Directed
    } else {
        Walk::Undirected
    };
    // Breadth-first, one level at a time; each entity remembers its parents.
    let mut distance = std::collections::HashMap::from([(start, 0usize)]);
    let mut levels: Vec<Vec<(usize, Vec<usize>)>> = Vec::new();
    let mut frontier = vec![start];
    for d in 1..=depth {
        let mut found: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for &u in &frontier {
            for &v in neighbours(index, &filter, walk, u, false).iter() {
                let v = v as usize;
                if distance.get(&v).is_none_or(|&dv| dv == d) {
                    distance.insert(v, d);
                    found.entry(v).or_default().push(u);
                }
            }
        }
        if found.is_empty() {
            break;
        }
        frontier = found.keys().copied().collect();
        let mut level: Vec<(usize, Vec<usize>)> = found.into_iter().collect();
        level.sort_by(|a, b| {
            index
                .entity(a.0)
                .name
                .cmp(&index.entity(b.0).name)
                .then(a.0.cmp(&b.0))
        });
        levels.push(level);
    }
    let g = &index.graph;
    let total: usize = levels.iter().map(Vec::len).sum();
    output.found_nothing = total == 0;
    match format {
        Format::Json => {
            output.stdout = to_text(&json!({
                "entity": {"id": g.entity(start).id, "name": g.entity(start).name},
                "depth": depth,
                "levels": levels.iter().enumerate().map(|(d, level)| json!({
                    "distance": d + 1,
                    "entities": level.iter().map(|(v, parents)| json!({
                        "id": g.entity(*v).id, "name": g.entity(*v).name, "kind": g.entity(*v).kind,
                        "reached_from": g.ids(parents),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            }));
        }
        Format::Text => {
            let mut t = format!(
                "{}: {total} entit{} within {depth} step{}\n",
                style.bold(&g.entity(start).name),
                if total == 1 { "y" } else { "ies" },
                plural(depth)
            );
            for (d, level) in levels.iter().enumerate() {
                t += &format!(
                    "\n{}\n",
                    style.heading(&format!("{} step{}", d + 1, plural(d + 1)))
                );
                for (v, parents) in level {
                    let e = g.entity(*v);
                    t += &format!(
                        "  {} {}\n",
                        e.name,
                        style.dim(&format!("({} · {})", e.id, g.kind_label(&e.kind)))
                    );
                    for &p in parents {
                        for ev in evidence(index, &filter, walk, p, *v) {
                            let (sentence, detail) =
                                present::edge_sentence(index, ev, p, *v, style);
                            t += &format!("    • {sentence}\n        {detail}\n");
                        }
                    }
                }
            }
            output.stdout = t;
        }
    }
    Ok(())
}
