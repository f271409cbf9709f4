//! DOT to pictures. SVG in-process with graphviz-pure (a pure-Rust port of
//! Graphviz, so no system Graphviz is needed); PNG by rasterising that SVG
//! with resvg, since graphviz-pure leaves rasterising to its caller; PDF (and
//! anything else) through an installed Graphviz via graphviz-rust's exec.
//!
//! **Limits.** Layout time grows fast with the size of a chart, and a chart
//! of thousands of boxes is unreadable anyway. Before any layout,
//! [`check_size`] refuses a selection with more elements (entities plus
//! edges) than its engine lays out in a few seconds on a small machine
//! ([`Engine::limit`]: dot and circo 400, fdp 600, neato 800, sfdp 4,000);
//! `--force` lifts the limit. Labels are shortened before layout
//! ([`crate::export::dot::short_label`]), and a PNG is scaled down to at most
//! [`MAX_SIDE`] pixels a side and [`MAX_PIXELS`] in all.

use graphviz_rust::cmd::{CommandArg, Format};

use crate::error::Error;

/// The pictures linkchart draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
    /// Only through an installed Graphviz.
    Pdf,
}

impl ImageFormat {
    pub const ALL: [ImageFormat; 3] = [ImageFormat::Svg, ImageFormat::Png, ImageFormat::Pdf];

    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
            ImageFormat::Pdf => "pdf",
        }
    }

    /// The format a file name's extension stands for.
    pub fn of_path(path: &std::path::Path) -> Option<ImageFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Self::ALL.into_iter().find(|f| f.name() == ext)
    }
}

/// Graphviz layout engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    #[default]
    Dot,
    Neato,
    Fdp,
    Sfdp,
    Circo,
}

impl Engine {
    pub const ALL: [Engine; 5] = [
        Engine::Dot,
        Engine::Neato,
        Engine::Fdp,
        Engine::Sfdp,
        Engine::Circo,
    ];

    /// The most elements (entities plus edges) this engine lays out in a
    /// few seconds with graphviz-pure (measured on generated graphs on a
    /// 2-core machine: dot took 2.7 s for 100 entities and 200 relations and
    /// over a minute for twice that; sfdp 1.7 s for 1,000 and 2,000).
    pub fn limit(self) -> usize {
        match self {
            Engine::Dot | Engine::Circo => 400,
            Engine::Fdp => 600,
            Engine::Neato => 800,
            Engine::Sfdp => 4000,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Dot => "dot",
            Engine::Neato => "neato",
            Engine::Fdp => "fdp",
            Engine::Sfdp => "sfdp",
            Engine::Circo => "circo",
        }
    }
}

/// The largest PNG side, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels in a PNG (160 MB of memory while drawing).
pub const MAX_PIXELS: u64 = 40_000_000;

/// Refuses, before layout, a chart with more elements than `engine` lays out
/// in a few seconds, unless `force`.
pub fn check_size(
    entities: usize,
    edges: usize,
    engine: Engine,
    force: bool,
    command: &'static str,
) -> Result<(), Error> {
    if force || entities + edges <= engine.limit() {
        return Ok(());
    }
    Err(Error::ChartTooLarge {
        entities,
        edges,
        engine: engine.name(),
        limit: engine.limit(),
        command,
    })
}

fn failed(what: &'static str, message: impl std::fmt::Display) -> Error {
    Error::Render {
        what,
        message: message.to_string(),
    }
}

/// An SVG document laid out with `engine`.
pub fn svg(dot: &str, engine: Engine) -> Result<String, Error> {
    let rendered =
        graphviz_pure::render_dot(dot, engine.name(), "svg").map_err(|e| failed("SVG", e))?;
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
    // Twice the size for print, less when that would exceed the caps.
    let (width, height) = (size.width().max(1) as f64, size.height().max(1) as f64);
    let scale = 2.0_f64
        .min(MAX_SIDE as f64 / width)
        .min(MAX_SIDE as f64 / height)
        .min((MAX_PIXELS as f64 / (width * height)).sqrt()) as f32;
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

/// Draws in-process: SVG, or PNG from it. PDF needs [`system`].
pub fn image(dot: &str, engine: Engine, format: ImageFormat) -> Result<Vec<u8>, Error> {
    let svg = svg(dot, engine)?;
    match format {
        ImageFormat::Svg => Ok(svg.into_bytes()),
        ImageFormat::Png => png(&svg),
        ImageFormat::Pdf => Err(Error::Usage(
            "PDF needs Graphviz: add --with-system-dot (with `dot` installed), or write .svg or .png"
                .to_string(),
        )),
    }
}

/// Renders with the system's Graphviz (`dot -T<format>`).
pub fn system(dot: &str, engine: Engine, format: ImageFormat) -> Result<Vec<u8>, Error> {
    let format = match format {
        ImageFormat::Svg => Format::Svg,
        ImageFormat::Png => Format::Png,
        ImageFormat::Pdf => Format::Pdf,
    };
    let args = vec![
        CommandArg::Format(format),
        CommandArg::Custom(format!("-K{}", engine.name())),
    ];
    graphviz_rust::exec_dot(dot.to_string(), args).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::MissingTool {
                tool: "dot",
                help: "--with-system-dot needs Graphviz's `dot` on PATH; install it (Debian/Ubuntu: apt-get install graphviz, macOS: brew install graphviz) or leave the option out to render SVG/PNG in-process"
                    .to_string(),
            }
        } else {
            failed("with the system's dot", e)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_depends_on_the_engine_and_force_lifts_it() {
        assert!(check_size(300, 100, Engine::Dot, false, "render").is_ok());
        assert!(check_size(300, 101, Engine::Dot, false, "render").is_err());
        assert!(check_size(300, 101, Engine::Dot, true, "render").is_ok());
        assert!(check_size(1500, 2500, Engine::Sfdp, false, "render").is_ok());
        let message = check_size(2000, 2001, Engine::Sfdp, false, "render")
            .unwrap_err()
            .to_string();
        assert!(message.contains("4001 elements"), "{message}");
        assert!(!message.contains("--engine sfdp"), "{message}");
        assert!(message.contains("--force"), "{message}");
    }
}
