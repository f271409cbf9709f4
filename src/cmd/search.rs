//! `linkchart search TEXT`: entities ranked by how well their id, name,
//! aliases or description match.

use super::Context;
use crate::cli::{Format, SearchArgs};
use crate::error::Error;
use crate::export::json::to_text;
use crate::output::Output;
use crate::query::FilterSpec;
use crate::query::search::search_filtered;

pub fn run(ctx: &Context, args: &SearchArgs) -> Result<Output, Error> {
    let index = ctx.index()?;
    let style = ctx.style;
    let text = args.text.join(" ");
    let filter = FilterSpec {
        tags: args.tag.clone(),
        conditions: args.conditions.clone(),
        ..FilterSpec::default()
    }
    .resolve(index)?;
    let answer = search_filtered(index, &text, args.limit, &filter);
    let mut output = Output {
        found_nothing: answer.matches.is_empty(),
        ..Output::default()
    };
    match args.format {
        Format::Json => output.stdout = to_text(&answer),
        Format::Text => {
            if answer.matches.is_empty() {
                output.stderr = format!("no entity matches \"{text}\"\n");
                return Ok(output);
            }
            let mut t = String::new();
            for h in &answer.matches {
                t += &format!(
                    "{}  {}",
                    style.bold(h.name),
                    style.dim(&format!("{} · {}", h.id, index.graph.kind_label(h.kind)))
                );
                if !h.matched.starts_with("name") {
                    t += &format!(" {}", style.dim(&format!("({})", h.matched)));
                }
                t += "\n";
                if !h.description.is_empty() {
                    t += &format!("    {}\n", h.description);
                }
            }
            if answer.total > answer.matches.len() {
                t += &style.dim(&format!(
                    "… {} more; use --limit to see them\n",
                    answer.total - answer.matches.len()
                ));
            }
            output.stdout = t;
        }
    }
    Ok(output)
}
