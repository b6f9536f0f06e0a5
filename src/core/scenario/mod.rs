//! The scenario: its RON format ([`model`]), loading with precise errors, and the
//! semantic checks that make a scenario playable ([`validate`]), and the linter that
//! warns about drills that load but are likely broken for trainees ([`lint`]).

pub mod builtin;
mod clock;
pub mod diagnostic;
pub mod duration;
mod friendly;
pub mod lint;
pub(crate) mod locate;
pub mod model;
mod names;
mod validate;

use std::path::Path;

pub use diagnostic::{Diagnostic, Level, LoadError, Location};
pub use duration::Duration;
pub use model::*;

/// Why a text cannot be a scenario id, or `None` when it can: the rule `validate` applies
/// to `id`.
pub fn id_problem(id: &str) -> Option<String> {
    if id.trim().is_empty() {
        return Some("a scenario id cannot be empty".to_string());
    }
    validate::id_charset_problem(id)
}

/// Reads and checks a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, LoadError> {
    let source_text = LoadError::read(path)?;
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
    parse_ron(source)
}

/// Deserializes RON text the way every firedrill file is read (optional fields written
/// bare, `Variant(field: ...)` for variants wrapping a struct), with the error located.
pub(crate) fn parse_ron<T: serde::de::DeserializeOwned>(source: &str) -> Result<T, Diagnostic> {
    let options = ron::Options::default().with_default_extension(
        ron::extensions::Extensions::IMPLICIT_SOME
            | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
    );
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
        friendly::explain(source, &e.code, start)
            .unwrap_or_else(|| Diagnostic::new(start, width, e.code.to_string()))
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
