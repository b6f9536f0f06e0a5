//! `firedrill validate PATH...`: checks scenario files and folders of them.

use std::path::{Path, PathBuf};

use firedrill_core::scenario::{self, LoadError};

use super::CliError;

/// Checks every file (folders searched recursively). Each file's problems go to stderr
/// as they are found; the returned error is the one-line summary.
pub fn run(paths: &[PathBuf]) -> Result<(), CliError> {
    let mut files = Vec::new();
    let mut unreadable = 0;
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        match scenario_files_in(path) {
            Ok(found) if found.is_empty() => {
                eprintln!("{}: no *.ron files in this folder", path.display());
                unreadable += 1;
            }
            Ok(found) => files.extend(found),
            Err(e) => {
                eprintln!("{}: cannot read folder: {e}", path.display());
                unreadable += 1;
            }
        }
    }

    let mut invalid = 0;
    for file in &files {
        match scenario::load_file(file) {
            Ok(s) => println!("{}: ok ({})", file.display(), s.id),
            Err(error) => {
                eprintln!("{error}");
                match error {
                    LoadError::Io { .. } => unreadable += 1,
                    LoadError::Invalid { .. } => invalid += 1,
                }
            }
        }
    }

    let checked = files.len();
    if unreadable > 0 {
        Err(CliError::Io(format!(
            "{unreadable} path(s) could not be read; {invalid} of {checked} file(s) invalid"
        )))
    } else if invalid > 0 {
        Err(CliError::Invalid(format!(
            "{invalid} of {checked} scenario file(s) invalid"
        )))
    } else {
        println!("{checked} scenario file(s) valid");
        Ok(())
    }
}

/// Every `*.ron` file under `folder`, sorted, at any depth.
fn scenario_files_in(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "ron") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
