//! `linkchart timeline NAME`: an entity's relations (and the claims it
//! makes) in date order; undated ones follow.

use super::Context;
use crate::cli::{Format, TimelineArgs};
use crate::error::Error;
use crate::export::json::to_text;
use crate::output::Output;
use crate::present;
use crate::query::timeline::timeline;

pub fn run(ctx: &Context, args: &TimelineArgs) -> Result<Output, Error> {
    let (index, i) = ctx.one_entity(&args.name.join(" "))?;
    let style = ctx.style;
    let g = &index.graph;
    let answer = timeline(index, i);
    let mut output = Output {
        found_nothing: answer.relations.is_empty(),
        ..Output::default()
    };
    output.stdout = match args.format {
        Format::Json => to_text(&answer.view(index)),
        Format::Text => {
            let mut t = format!(
                "{}\n",
                style.bold(&format!("Timeline of {}", g.entity(i).name))
            );
            let rels: Vec<_> = answer.relations.iter().map(|&r| g.relation(r)).collect();
            let width = rels
                .iter()
                .filter_map(|r| r.when)
                .map(|w| w.to_string().chars().count())
                .max()
                .unwrap_or(0)
                .max("undated".len());
            let mut undated_heading = false;
            for r in rels {
                if r.when.is_none() && !undated_heading {
                    t += &format!("\n{}\n", style.heading("Undated"));
                    undated_heading = true;
                }
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
            t
        }
    };
    Ok(output)
}
