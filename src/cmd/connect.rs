//! `linkchart connect A B C …`: the smallest network joining all the named
//! entities, each step with every relation behind it; named entities that
//! cannot be joined within the hop limit are reported as gaps.

use super::Context;
use crate::cli::{ConnectArgs, PathFormat};
use crate::error::Error;
use crate::export::json::to_text;
use crate::export::{DotOptions, dot};
use crate::output::Output;
use crate::present;
use crate::query::connect::{ConnectSpec, connect};
use crate::query::select::{from_network, network_gaps};
use crate::words::plural;

pub fn run(ctx: &Context, args: &ConnectArgs) -> Result<Output, Error> {
    let index = ctx.index()?;
    let style = ctx.style;
    let request = ConnectSpec {
        names: args.names.clone(),
        filter: (&args.filters).into(),
        max_hops: args.max_hops,
    }
    .resolve(index)?;
    let network = connect(index, &request);
    let g = &index.graph;
    let mut output = Output {
        found_nothing: network.steps.is_empty(),
        ..Output::default()
    };
    if !network.gaps.is_empty() {
        output.stderr = format!("{}\n", network_gaps(index, &network, args.max_hops));
    }
    if network.steps.is_empty() {
        return Ok(output);
    }
    output.stdout = match args.format {
        PathFormat::Json => to_text(&network.view(index)),
        PathFormat::Dot => dot::render(
            index,
            &from_network(index, &network),
            &DotOptions::default(),
        ),
        PathFormat::Text => {
            let names: Vec<&str> = network
                .terminals
                .iter()
                .map(|&t| g.entity(t).name.as_str())
                .collect();
            let joined = network.terminals.len() - network.gaps.iter().map(Vec::len).sum::<usize>();
            let mut t = format!(
                "{}: {} step{}, {} entities, {} of {} named joined\n",
                style.bold(&format!(
                    "Connecting network of {}",
                    crate::words::and_list(&names)
                )),
                network.steps.len(),
                plural(network.steps.len()),
                network.entities.len(),
                joined,
                network.terminals.len()
            );
            for step in &network.steps {
                t += "\n";
                for ev in &step.evidence {
                    let (sentence, detail) =
                        present::edge_sentence(index, *ev, step.from, step.to, style);
                    t += &format!("  • {sentence}\n      {detail}\n");
                }
            }
            t
        }
    };
    Ok(output)
}
