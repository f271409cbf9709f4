//! Terminal styling: ANSI colour when stdout is a terminal (and `NO_COLOR` is
//! unset), plain text otherwise. Small enough not to need a crate.

use crate::model::Status;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// No colour: for files and JSON.
    pub const PLAIN: Style = Style { color: false };

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn heading(&self, text: &str) -> String {
        self.paint("1;36", text)
    }

    /// A status word in the colour of its strength.
    pub fn status(&self, status: Status) -> String {
        let code = match status {
            Status::Established => "32",
            Status::Reported => "34",
            Status::Alleged => "33",
            Status::Disputed => "35",
        };
        self.paint(code, status.as_str())
    }
}
