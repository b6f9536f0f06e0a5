//! The scenario: its RON format ([`model`]), loading with precise errors, and the
//! semantic checks that make a scenario playable ([`validate`]).

pub mod diagnostic;
pub mod duration;
mod locate;
pub mod model;
mod validate;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Location};
pub use duration::Duration;
pub use model::*;

/// Why a scenario file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", render_all(path, source_text, diagnostics))]
    Invalid {
        path: PathBuf,
        source_text: String,
        diagnostics: Vec<Diagnostic>,
    },
}

fn render_all(path: &Path, source: &str, diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.render(path, source))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads and checks a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, LoadError> {
    let source_text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&source_text).map_err(|diagnostics| LoadError::Invalid {
        path: path.to_path_buf(),
        source_text,
        diagnostics,
    })
}

/// Parses scenario text and runs every semantic check. On failure, all problems found,
/// in source order (a syntax error stops at the first one).
pub fn parse(source: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let scenario = parse_syntax(source).map_err(|d| vec![d])?;
    let mut problems = validate::check(&scenario, source);
    if problems.is_empty() {
        Ok(scenario)
    } else {
        problems.sort_by_key(|d| d.at);
        Err(problems)
    }
}

fn parse_syntax(source: &str) -> Result<Scenario, Diagnostic> {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    options.from_str(source).map_err(|e| {
        let start = skip_blanks(
            source,
            Location {
                line: e.span.start.line.max(1),
                col: e.span.start.col.max(1),
            },
        );
        let width = if e.span.end.line == e.span.start.line {
            e.span.end.col.saturating_sub(e.span.start.col)
        } else {
            1
        };
        Diagnostic::new(start, width, e.code.to_string())
    })
}

/// ron sometimes reports a bad value at the blank before it; move to the value itself.
fn skip_blanks(source: &str, at: Location) -> Location {
    let Some(line) = source.lines().nth(at.line - 1) else {
        return at;
    };
    let blanks = line
        .chars()
        .skip(at.col - 1)
        .take_while(|c| c.is_whitespace())
        .count();
    if at.col - 1 + blanks < line.chars().count() {
        Location {
            line: at.line,
            col: at.col + blanks,
        }
    } else {
        at
    }
}

#[cfg(test)]
mod corpus_tests;
