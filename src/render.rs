//! DOT to pictures. SVG in-process with graphviz-pure (a pure-Rust port of
//! Graphviz, so no system Graphviz is needed); PNG by rasterising that SVG
//! with resvg, since graphviz-pure leaves rasterising to its caller; PDF (and
//! anything else) through an installed Graphviz via graphviz-rust's exec.

use graphviz_rust::cmd::{CommandArg, Format};

use crate::error::Error;

fn failed(what: &str, message: impl std::fmt::Display) -> Error {
    Error::Usage(format!("rendering {what} failed: {message}"))
}

/// An SVG document laid out with `engine` (dot, neato, fdp, sfdp, circo).
pub fn svg(dot: &str, engine: &str) -> Result<String, Error> {
    let rendered = graphviz_pure::render_dot(dot, engine, "svg").map_err(|e| failed("SVG", e))?;
    Ok(rendered.into_output())
}

/// A PNG image of an SVG document, at twice its size for print.
pub fn png(svg: &str) -> Result<Vec<u8>, Error> {
    let mut options = resvg::usvg::Options::default();
    let db = options.fontdb_mut();
    db.load_system_fonts();
    // Charts ask for Helvetica or sans-serif; map both to a sans face that is
    // actually installed, or text would silently vanish from the image.
    let installed: Vec<String> = db
        .faces()
        .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
        .collect();
    let sans = [
        "Helvetica",
        "Arial",
        "Liberation Sans",
        "DejaVu Sans",
        "Noto Sans",
        "FreeSans",
    ]
    .iter()
    .find(|want| installed.iter().any(|have| have == *want))
    .map(|s| s.to_string())
    .or_else(|| installed.first().cloned());
    match sans {
        Some(family) => {
            db.set_sans_serif_family(family.clone());
            options.font_family = family;
        }
        None => {
            return Err(failed(
                "PNG",
                "no fonts are installed, so labels cannot be drawn (install e.g. fonts-dejavu-core), or write .svg",
            ));
        }
    }
    // Graphviz writes the generic family as "sans-Serif"; usvg only knows it
    // in lower case, and without a match it drops the text.
    let svg = svg.replace("sans-Serif", "sans-serif");
    let tree = resvg::usvg::Tree::from_str(&svg, &options).map_err(|e| failed("PNG", e))?;
    let size = tree.size().to_int_size();
    let scale = 2.0;
    let (w, h) = (
        (size.width() as f32 * scale).ceil() as u32,
        (size.height() as f32 * scale).ceil() as u32,
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1), h.max(1))
        .ok_or_else(|| failed("PNG", format!("an image of {w}×{h} pixels is too large")))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| failed("PNG", e))
}

/// Renders with the system's Graphviz (`dot -T<format>`).
pub fn system(dot: &str, engine: &str, format: &str) -> Result<Vec<u8>, Error> {
    let format = match format {
        "svg" => Format::Svg,
        "png" => Format::Png,
        "pdf" => Format::Pdf,
        other => {
            return Err(Error::Usage(format!(
                "--with-system-dot cannot write {other}"
            )));
        }
    };
    let args = vec![
        CommandArg::Format(format),
        CommandArg::Custom(format!("-K{engine}")),
    ];
    graphviz_rust::exec_dot(dot.to_string(), args).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Usage(
                "--with-system-dot needs Graphviz's `dot` on PATH; install it (Debian/Ubuntu: apt-get install graphviz, macOS: brew install graphviz) or leave the option out to render SVG/PNG in-process"
                    .to_string(),
            )
        } else {
            failed("with the system's dot", e)
        }
    })
}
