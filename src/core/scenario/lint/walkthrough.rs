//! Lint: walkthroughs that no longer resolve the drill.
//!
//! The rule: every `walkthroughs/<id>.*.ron` next to a scenario file (an input file of
//! a run played well) must still be valid for the scenario and, played headless with
//! seed 1 as `firedrill run` plays it, end resolved. Walkthroughs in folders below
//! (such as `walkthroughs/poor/`, runs played badly on purpose) are not checked.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::engine::journal::Outcome;
use crate::inputs;
use crate::run::play;
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::locate::SourceMap;
use crate::scenario::model::Scenario;

/// A warning in a walkthrough file, with the file's text to render it against.
#[derive(Debug, Clone)]
pub struct FileWarning {
    pub path: PathBuf,
    pub source: String,
    pub warning: Diagnostic,
}

impl FileWarning {
    /// `PATH:LINE:COL: warning: ...` with the source line and a caret.
    pub fn render(&self) -> String {
        self.warning.render(&self.path, &self.source)
    }
}

/// The walkthroughs of `scenario` (loaded from `scenario_file`) that no longer resolve
/// it, each with why. A file that cannot be read is a warning too.
pub fn walkthroughs(scenario: &Scenario, scenario_file: &Path) -> Vec<FileWarning> {
    let folder = scenario_file
        .parent()
        .unwrap_or(Path::new("."))
        .join("walkthroughs");
    let prefix = format!("{}.", scenario.id);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "ron"))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&prefix))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let scenario = Arc::new(scenario.clone());
    files
        .into_iter()
        .filter_map(|path| check(&scenario, path))
        .collect()
}

fn check(scenario: &Arc<Scenario>, path: PathBuf) -> Option<FileWarning> {
    let start = crate::scenario::Location { line: 1, col: 1 };
    let (source, warning) = match std::fs::read_to_string(&path) {
        Err(e) => (
            String::new(),
            Diagnostic::warning(start, 1, format!("walkthrough cannot be read: {e}")),
        ),
        Ok(source) => {
            let warning = match inputs::parse(&source, scenario) {
                Err(problems) => {
                    let first = problems
                        .first()
                        .map_or_else(|| Diagnostic::new(start, 1, "invalid"), Clone::clone);
                    Diagnostic::warning(
                        first.at,
                        first.width,
                        format!("walkthrough no longer fits the scenario: {}", first.message),
                    )
                }
                Ok(file) => {
                    let engine = play(Arc::clone(scenario), 1, Some(&file));
                    let outcome = engine.outcome().unwrap_or(Outcome::TimedOut);
                    if outcome == Outcome::Resolved {
                        return None;
                    }
                    let (at, width) = SourceMap::new(&source).locate(&["actions".into()]);
                    Diagnostic::warning(
                        at,
                        width,
                        format!(
                            "walkthrough no longer resolves the drill (seed 1): {}",
                            outcome.label().to_lowercase()
                        ),
                    )
                }
            };
            (source, warning)
        }
    };
    Some(FileWarning {
        path,
        source,
        warning,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::MINIMAL;
    use super::walkthroughs;
    use crate::scenario;

    const WALKTHROUGH: &str = r#"Inputs(
    scenario: "cache-eviction",
    role: Tech,
    actions: [
        (at: "5m", do: Investigate("cache-stats")),
        (at: "7m", do: Remediate("restore-node")),
    ],
)
"#;

    /// Warnings for MINIMAL in a fresh folder with `walkthrough` as its tech walkthrough.
    fn warnings_with(walkthrough: &str) -> Vec<String> {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        std::fs::create_dir_all(dir.join("walkthroughs")).unwrap();
        let file = dir.join("cache-eviction.ron");
        std::fs::write(&file, MINIMAL).unwrap();
        std::fs::write(
            dir.join("walkthroughs/cache-eviction.tech.ron"),
            walkthrough,
        )
        .unwrap();
        std::fs::write(dir.join("walkthroughs/other.tech.ron"), "not even RON").unwrap();
        walkthroughs(&scenario::parse(MINIMAL).unwrap(), &file)
            .iter()
            .map(|w| w.render().replace(&dir.display().to_string(), "DIR"))
            .collect()
    }

    #[test]
    fn a_walkthrough_that_stops_short_of_the_fix_no_longer_resolves() {
        let broken = WALKTHROUGH.replace(
            "        (at: \"7m\", do: Remediate(\"restore-node\")),\n",
            "",
        );
        assert_eq!(
            warnings_with(&broken),
            vec!["DIR/walkthroughs/cache-eviction.tech.ron:4:14: warning: walkthrough no longer resolves the drill (seed 1): time limit reached before the incident was resolved\n 4 |     actions: [\n   |              ^".to_string()]
        );
        assert_eq!(warnings_with(WALKTHROUGH), Vec::<String>::new());
    }

    #[test]
    fn a_walkthrough_naming_what_the_scenario_lost_no_longer_fits() {
        let stale = WALKTHROUGH.replace("restore-node", "restart-node");
        let found = warnings_with(&stale);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("DIR/walkthroughs/cache-eviction.tech.ron:6:24: warning: walkthrough no longer fits the scenario: "),
            "{found:?}"
        );
    }
}
