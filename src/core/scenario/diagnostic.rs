//! Problems found in a scenario file, located by line and column, and their rendering
//! as `PATH:LINE:COL: message` with the source line and a caret underneath.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A 1-based line and column in a source text (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub col: usize,
}

/// How bad a problem is: an error makes the file unusable; a warning (from the
/// [linter](super::lint)) marks a drill that loads but is likely broken for trainees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    #[default]
    Error,
    Warning,
}

/// One problem in a scenario, at the place an author has to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub at: Location,
    /// How many characters to underline (at least one).
    pub width: usize,
    pub message: String,
    pub level: Level,
}

impl Diagnostic {
    pub fn new(at: Location, width: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            at,
            width: width.max(1),
            message: message.into(),
            level: Level::Error,
        }
    }

    /// A warning: the same place and message, rendered with a `warning:` label.
    pub fn warning(at: Location, width: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::new(at, width, message)
        }
    }

    /// `PATH:LINE:COL: message` (`PATH:LINE:COL: warning: message` for a warning),
    /// then the offending line with a caret under the place.
    pub fn render(&self, path: &Path, source: &str) -> String {
        let label = match self.level {
            Level::Error => "",
            Level::Warning => "warning: ",
        };
        let mut out = format!(
            "{}:{}:{}: {label}{}",
            path.display(),
            self.at.line,
            self.at.col,
            self.message
        );
        if let Some(line) = source.lines().nth(self.at.line.saturating_sub(1)) {
            let number = self.at.line.to_string();
            let gutter = " ".repeat(number.len());
            let line = line.replace('\t', " ");
            let available = line.chars().count().saturating_sub(self.at.col - 1).max(1);
            let _ = write!(
                out,
                "\n {number} | {line}\n {gutter} | {}{}",
                " ".repeat(self.at.col.saturating_sub(1)),
                "^".repeat(self.width.min(available))
            );
        }
        out
    }
}

/// Why a file (scenario or inputs) could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Past [`MAX_FILE_BYTES`]: not read into memory.
    #[error("{}:1:1: the file is larger than {} MiB, more than any scenario, input or drill file needs: is it the right file?", path.display(), MAX_FILE_BYTES >> 20)]
    TooBig { path: PathBuf },
    /// Bytes that are not UTF-8 text, at the first bad one.
    #[error("{}:{}:{}: not UTF-8 text (byte 0x{byte:02X}): save the file as UTF-8", path.display(), at.line, at.col)]
    NotText {
        path: PathBuf,
        at: Location,
        byte: u8,
    },
    #[error("{}", render_all(path, source_text, diagnostics))]
    Invalid {
        path: PathBuf,
        source_text: String,
        diagnostics: Vec<Diagnostic>,
    },
}

/// The largest scenario, input or drill file read: a two-hour team drill's file is a
/// few hundred KiB, the largest scenario tens of KiB.
pub const MAX_FILE_BYTES: u64 = 8 << 20;

impl LoadError {
    /// Reads a text file: at most [`MAX_FILE_BYTES`], UTF-8 (a byte-order mark is
    /// dropped). Unreadable is [`LoadError::Io`]; too big or not text is bad input.
    pub fn read(path: &Path) -> Result<String, LoadError> {
        use std::io::Read as _;
        let io = |source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(io)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(LoadError::TooBig {
                path: path.to_path_buf(),
            });
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            LoadError::NotText {
                path: path.to_path_buf(),
                at: Location { line, col },
                byte: bytes[valid],
            }
        })?;
        Ok(match text.strip_prefix('\u{feff}') {
            Some(without_mark) => without_mark.to_owned(),
            None => text,
        })
    }
}

fn render_all(path: &Path, source: &str, diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.render(path, source))
        .collect::<Vec<_>>()
        .join("\n")
}
