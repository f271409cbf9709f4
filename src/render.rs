//! DOT to pictures. SVG in-process with graphviz-pure (a pure-Rust port of
//! Graphviz, so no system Graphviz is needed); PNG by rasterising that SVG
//! with resvg, since graphviz-pure leaves rasterising to its caller; PDF (and
//! anything else) through an installed Graphviz via graphviz-rust's exec.

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
