//! `linkchart neighbors NAME --depth N`: what lies within N steps of an
//! entity, grouped by distance, with the relations that reach each entity.

use super::Context;
use crate::cli::{Format, NeighborsArgs};
use crate::error::Error;
use crate::export::json::to_text;
use crate::output::Output;
use crate::present;
use crate::query::neighbourhood::neighbourhood;
use crate::query::{FilterSpec, Walk, evidence};
use crate::words::plural;

pub fn run(ctx: &Context, args: &NeighborsArgs) -> Result<Output, Error> {
    let index = ctx.index()?;
    let style = ctx.style;
    let start = index.resolve(&args.name)?;
    let filter = FilterSpec::from(&args.filters).resolve(index)?;
    let walk = if args.directed {
        Walk::Directed
    } else {
        Walk::Undirected
    };
    let around = neighbourhood(index, &filter, walk, start, args.depth);
    let g = &index.graph;
    let total = around.len();
    let mut output = Output {
        found_nothing: total == 0,
        ..Output::default()
    };
    output.stdout = match args.format {
        Format::Json => to_text(&around.view(index)),
        Format::Text => {
            let depth = args.depth;
            let mut t = format!(
                "{}: {total} entit{} within {depth} step{}\n",
                style.bold(&g.entity(start).name),
                if total == 1 { "y" } else { "ies" },
                plural(depth)
            );
            for (d, level) in around.levels.iter().enumerate() {
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
                        for ev in evidence(index, &around.filter, walk, p, *v) {
                            let (sentence, detail) =
                                present::edge_sentence(index, ev, p, *v, style);
                            t += &format!("    • {sentence}\n        {detail}\n");
                        }
                    }
                }
            }
            t
        }
    };
    Ok(output)
}
