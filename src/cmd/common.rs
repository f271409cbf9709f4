//! `linkchart common A B`: entities linked directly to both, strongest and
//! most specific first, with the relations on each side.

use super::Context;
use crate::cli::{CommonArgs, Format};
use crate::error::Error;
use crate::export::json::to_text;
use crate::output::Output;
use crate::present;
use crate::query::FilterSpec;
use crate::query::common::common;

pub fn run(ctx: &Context, args: &CommonArgs) -> Result<Output, Error> {
    let index = ctx.index()?;
    let style = ctx.style;
    let (a, b) = (index.resolve(&args.a)?, index.resolve(&args.b)?);
    if a == b {
        return Err(Error::Usage(format!(
            "A and B are the same entity ({})",
            index.entity(a).id
        )));
    }
    let filter = FilterSpec::from(&args.filters).resolve(index)?;
    let answer = common(index, &filter, a, b);
    let g = &index.graph;
    let mut output = Output {
        found_nothing: answer.shared.is_empty(),
        ..Output::default()
    };
    match args.format {
        Format::Json => output.stdout = to_text(&answer.view(index)),
        Format::Text => {
            if answer.shared.is_empty() {
                output.stderr = format!(
                    "{} and {} have no directly linked entity in common\n",
                    g.entity(a).name,
                    g.entity(b).name
                );
                return Ok(output);
            }
            let mut t = format!(
                "{} and {}: {} entit{} linked to both\n",
                style.bold(&g.entity(a).name),
                style.bold(&g.entity(b).name),
                answer.shared.len(),
                if answer.shared.len() == 1 { "y" } else { "ies" }
            );
            for &c in &answer.shared {
                let e = g.entity(c);
                t += &format!(
                    "\n{} {}\n",
                    style.heading(&e.name),
                    style.dim(&format!("({} · {})", e.id, g.kind_label(&e.kind)))
                );
                for x in [a, b] {
                    for ev in answer.side(index, x, c) {
                        let (sentence, detail) = present::edge_sentence(index, ev, x, c, style);
                        t += &format!("  • {sentence}\n      {detail}\n");
                    }
                }
            }
            output.stdout = t;
        }
    }
    Ok(output)
}
