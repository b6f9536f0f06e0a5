//! Finding and loading what a command names: a scenario by path or built-in id, and
//! input files checked against it.

use std::path::Path;
use std::sync::Arc;

use firedrill_core::inputs::{self, InputFile};
use firedrill_core::scenario::{self, LoadError, Scenario, builtin};

use super::CliError;

/// A scenario file, or the id of a built-in scenario.
pub fn scenario(name: &str) -> Result<Arc<Scenario>, CliError> {
    let path = Path::new(name);
    if path.exists() {
        return scenario::load_file(path)
            .map(Arc::new)
            .map_err(CliError::from);
    }
    match builtin::source(name) {
        Some(source) => scenario::parse(source)
            .map(Arc::new)
            .map_err(|_| CliError::Invalid(format!("built-in scenario {name} is invalid"))),
        None => {
            let ids: Vec<&str> = builtin::BUILTIN.iter().map(|(id, _)| *id).collect();
            Err(CliError::Io(format!(
                "{name}: no such file, and no built-in scenario has that id (built-in: {})",
                ids.join(", ")
            )))
        }
    }
}

pub fn inputs(path: &Path, scenario: &Scenario) -> Result<InputFile, CliError> {
    inputs::load_file(path, scenario).map_err(CliError::from)
}

impl From<LoadError> for CliError {
    fn from(error: LoadError) -> Self {
        match error {
            LoadError::Io { .. } => CliError::Io(error.to_string()),
            LoadError::Invalid { .. } | LoadError::TooBig { .. } | LoadError::NotText { .. } => {
                CliError::Invalid(error.to_string())
            }
        }
    }
}

/// Writes a file, or reports why not.
pub fn write(path: &Path, contents: &str) -> Result<(), CliError> {
    std::fs::write(path, contents)
        .map_err(|e| CliError::Io(format!("{}: cannot write: {e}", path.display())))
}
