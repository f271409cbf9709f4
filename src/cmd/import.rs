//! `linkchart import FORMAT FILE… -o DIR | --into DIR`: data from CSV,
//! GraphML or FollowTheMoney into a graph, and a summary of what was read,
//! created, matched and skipped (with each skipped row's line and reason).

use super::Context;
use crate::cli::{ImportArgs, ImportFormat};
use crate::error::Error;
use crate::export::json::to_text;
use crate::import::{self, Format, ImportSpec, Summary, Target};
use crate::output::Output;
use crate::words::plural;

pub fn run(_: &Context, args: &ImportArgs) -> Result<Output, Error> {
    let mut mapping = Vec::new();
    if let Some(file) = &args.mapping {
        let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
        mapping =
            import::csv::parse_mapping(&text, &file.display().to_string()).map_err(Error::Usage)?;
    }
    mapping.extend(args.map.iter().cloned());
    let target = match (&args.output, &args.into) {
        (Some(dir), _) => Target::New(dir.clone()),
        (None, Some(dir)) => Target::Into(dir.clone()),
        (None, None) => {
            return Err(Error::Usage(
                "name where the graph goes: -o NEW_DIR, or --into EXISTING_GRAPH".to_string(),
            ));
        }
    };
    let spec = ImportSpec {
        format: match args.format {
            ImportFormat::Csv => Format::Csv,
            ImportFormat::Graphml => Format::Graphml,
            ImportFormat::Ftm => Format::Ftm,
        },
        files: args.files.clone(),
        target,
        status: args.status,
        kind: args.kind.clone(),
        rel_type: args.rel_type.clone(),
        undirected: args.undirected,
        mapping,
        strict: args.strict,
    };
    let summary = import::import(&spec)?;
    if args.json {
        return Ok(Output::text(to_text(&summary)));
    }
    Ok(Output {
        stderr: text(&summary),
        ..Output::default()
    })
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", plural(n))
}

fn text(s: &Summary) -> String {
    let mut t = format!(
        "read {} and {} from {}\n",
        entities(s.entities_read),
        count(s.relations_read, "relation"),
        s.files_read.join(", ")
    );
    let t_entities = if s.entities_created == 1 {
        "1 entity".to_string()
    } else {
        format!("{} entities", s.entities_created)
    };
    t += &format!(
        "{} {}: {t_entities} and {}\n",
        if s.into_existing { "added to" } else { "wrote" },
        s.graph,
        count(s.relations_created, "relation")
    );
    if s.entities_matched > 0 {
        t += &format!(
            "  {} already in the graph (same id, original id, or name when none was given)\n",
            entities(s.entities_matched)
        );
    }
    if s.relations_already_present > 0 {
        t += &format!(
            "  {} already in the graph, not added again\n",
            count(s.relations_already_present, "relation")
        );
    }
    if s.ids_made > 0 {
        t += &format!(
            "  {} made from names; an input id that is not a slug is kept as the attribute original_id\n",
            count(s.ids_made, "id")
        );
    }
    if s.entities_for_ends > 0 {
        t += &format!(
            "  {} created for relation ends that no nodes file lists\n",
            entities(s.entities_for_ends)
        );
    }
    if !s.kinds_created.is_empty() {
        t += &format!(
            "  new kinds (default style; edit schema.ron): {}\n",
            s.kinds_created.join(", ")
        );
    }
    if !s.relation_types_created.is_empty() {
        t += &format!(
            "  new relation types (edit their labels in schema.ron): {}\n",
            s.relation_types_created.join(", ")
        );
    }
    if !s.sources_created.is_empty() {
        t += &format!(
            "  new sources (describe them in sources.ron): {}\n",
            s.sources_created.join(", ")
        );
    }
    if !s.skipped.is_empty() {
        t += &format!("  skipped {}:\n", count(s.skipped.len(), "row"));
        for k in &s.skipped {
            t += &format!("    {}:{}: {}\n", k.file, k.line, k.reason);
        }
    }
    t
}

fn entities(n: usize) -> String {
    if n == 1 {
        "1 entity".to_string()
    } else {
        format!("{n} entities")
    }
}
