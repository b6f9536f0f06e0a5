//! `firedrill validate PATH...`: checks scenario files, and input files (`Inputs(...)`,
//! such as walkthroughs) against the scenario they name, and lints valid scenarios
//! (their walkthroughs included).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use firedrill_core::inputs;
use firedrill_core::scenario::{self, Diagnostic, LoadError, Scenario, builtin, lint};

use super::CliError;

/// Checks every file (folders searched recursively). Each file's problems and warnings
/// go to stderr as they are found; the returned error is the one-line summary.
pub fn run(paths: &[PathBuf], deny_warnings: bool) -> Result<(), CliError> {
    let mut files = Vec::new();
    let mut unreadable = 0;
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        match ron_files_in(path) {
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
    let mut warnings = 0;
    let mut count = |result: Result<String, LoadError>| match result {
        Ok(line) => println!("{line}"),
        Err(error) => {
            eprintln!("{error}");
            match error {
                LoadError::Io { .. } => unreadable += 1,
                LoadError::Invalid { .. }
                | LoadError::TooBig { .. }
                | LoadError::NotText { .. } => {
                    invalid += 1;
                }
            }
        }
    };
    // Scenarios first, so input files can be checked against scenarios given alongside.
    let mut scenarios: HashMap<String, Scenario> = HashMap::new();
    let mut input_files = Vec::new();
    for file in &files {
        let text = match LoadError::read(file) {
            Ok(text) => text,
            Err(e) => {
                count(Err(e));
                continue;
            }
        };
        if inputs::looks_like_inputs(&text) {
            input_files.push((file, text));
            continue;
        }
        count(
            scenario::parse(&text)
                .map(|s| {
                    let found = lint_file(file, &text, &s);
                    warnings += found;
                    let line = match found {
                        0 => format!("{}: ok ({})", file.display(), s.id),
                        n => format!("{}: ok ({}), {n} warning(s)", file.display(), s.id),
                    };
                    scenarios.insert(s.id.clone(), s);
                    line
                })
                .map_err(|diagnostics| invalid_file(file, text, diagnostics)),
        );
    }
    for (file, text) in input_files {
        count(check_inputs(file, text, &scenarios));
    }

    let checked = files.len();
    if unreadable > 0 {
        Err(CliError::Io(format!(
            "{unreadable} path(s) could not be read; {invalid} of {checked} file(s) invalid"
        )))
    } else if invalid > 0 {
        Err(CliError::Invalid(format!(
            "{invalid} of {checked} file(s) invalid"
        )))
    } else if deny_warnings && warnings > 0 {
        Err(CliError::Invalid(format!(
            "{checked} file(s) valid, {warnings} warning(s) denied by --deny-warnings"
        )))
    } else if warnings > 0 {
        println!("{checked} file(s) valid, {warnings} warning(s)");
        Ok(())
    } else {
        println!("{checked} file(s) valid");
        Ok(())
    }
}

/// Lints a valid scenario and its walkthroughs, printing each warning to stderr;
/// returns how many there were.
fn lint_file(path: &Path, text: &str, scenario: &Scenario) -> usize {
    let warnings = lint::lint(scenario, text);
    for warning in &warnings {
        eprintln!("{}", warning.render(path, text));
    }
    let walkthroughs = lint::walkthroughs(scenario, path);
    for warning in &walkthroughs {
        eprintln!("{}", warning.render());
    }
    warnings.len() + walkthroughs.len()
}

fn invalid_file(path: &Path, source_text: String, diagnostics: Vec<Diagnostic>) -> LoadError {
    LoadError::Invalid {
        path: path.to_path_buf(),
        source_text,
        diagnostics,
    }
}

/// An input file is checked against the scenario it names: one validated in this run,
/// else a built-in one.
fn check_inputs(
    path: &Path,
    text: String,
    scenarios: &HashMap<String, Scenario>,
) -> Result<String, LoadError> {
    let unchecked =
        inputs::parse_unchecked(&text).map_err(|d| invalid_file(path, text.clone(), vec![d]))?;
    let builtin_scenario;
    let scenario = match scenarios.get(&unchecked.scenario) {
        Some(s) => s,
        None => match builtin::source(&unchecked.scenario).and_then(|s| scenario::parse(s).ok()) {
            Some(s) => {
                builtin_scenario = s;
                &builtin_scenario
            }
            None => {
                let at = scenario::Location { line: 1, col: 1 };
                let message = format!(
                    "input file for an unknown scenario \"{}\": validate it together with its scenario file",
                    unchecked.scenario
                );
                return Err(invalid_file(
                    path,
                    text,
                    vec![Diagnostic::new(at, 1, message)],
                ));
            }
        },
    };
    inputs::parse(&text, scenario)
        .map(|f| {
            format!(
                "{}: ok (inputs for {}, {})",
                path.display(),
                f.scenario,
                f.role.key()
            )
        })
        .map_err(|diagnostics| invalid_file(path, text, diagnostics))
}

/// Every `*.ron` file under `folder`, sorted, at any depth.
fn ron_files_in(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
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
