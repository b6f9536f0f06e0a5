//! Where the history lives (`--data-dir`, `FIREDRILL_DATA_DIR`, or the platform data
//! directory) and opening it for a command.

use std::path::{Path, PathBuf};

use firedrill_core::history::{Store, StoreError};

use super::CliError;

/// `DIR` when given, else the platform data directory (`~/.local/share/firedrill` on
/// Linux).
pub fn data_dir(given: Option<&Path>) -> Result<PathBuf, CliError> {
    match given {
        Some(dir) => Ok(dir.to_path_buf()),
        None => dirs::data_dir()
            .map(|d| d.join("firedrill"))
            .ok_or_else(|| {
                CliError::Io("no data directory on this system: pass --data-dir DIR".into())
            }),
    }
}

pub fn open(given: Option<&Path>) -> Result<Store, CliError> {
    Store::open(&data_dir(given)?).map_err(CliError::from)
}

impl From<StoreError> for CliError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NoSuchRun(_) => CliError::Invalid(error.to_string()),
            other => CliError::Io(other.to_string()),
        }
    }
}
