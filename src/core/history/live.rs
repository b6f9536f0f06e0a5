//! Runs in progress, journaled as they go so a killed app loses nothing: one
//! append-only file per run in `DIR/in-progress/`, a header line and then one JSON line
//! per accepted input, each flushed to disk before the next. The next start finds the
//! file and offers to resume the run (replaying the inputs) or to score it as
//! abandoned; a last line cut mid-write is dropped, the lines before it are kept.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::scenario_hash;
use crate::engine::action::Role;
use crate::inputs::{InputFile, TimedAction};
use crate::scenario::Scenario;

/// What a run in progress is: enough to start it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveHeader {
    pub scenario: String,
    pub scenario_hash: String,
    pub seed: u64,
    pub role: Role,
    pub trainee: Option<String>,
    pub started_at: String,
}

/// The open journal of the run being played.
pub struct LiveJournal {
    file: File,
    path: PathBuf,
}

/// A run found unfinished at start-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Unfinished {
    pub path: PathBuf,
    pub header: LiveHeader,
    pub actions: Vec<TimedAction>,
    /// The last line was cut mid-write and was dropped.
    pub cut: bool,
}

impl Unfinished {
    /// The inputs so far, as an input file.
    pub fn inputs(&self) -> InputFile {
        InputFile {
            scenario: self.header.scenario.clone(),
            role: self.header.role,
            trainee: self.header.trainee.clone(),
            actions: self.actions.clone(),
        }
    }

    /// Whether `scenario` is the one the run was played on, as its content hash says:
    /// false when the scenario file has changed since.
    pub fn played_on(&self, scenario: &Scenario) -> bool {
        scenario_hash(scenario) == self.header.scenario_hash
    }

    /// Forgets the run (after it was resumed or recorded).
    pub fn discard(&self) -> std::io::Result<()> {
        remove_if_present(&self.path)
    }
}

fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("in-progress")
}

impl LiveJournal {
    /// Starts the journal of a new run, named by its start time.
    pub fn create(data_dir: &Path, header: &LiveHeader) -> std::io::Result<LiveJournal> {
        let dir = folder(data_dir);
        std::fs::create_dir_all(&dir)?;
        let stamp = header.started_at.replace([':', '-'], "");
        let mut n = 0;
        let path = loop {
            let candidate = dir.join(format!("{stamp}-{n}.jsonl"));
            if !candidate.exists() {
                break candidate;
            }
            n += 1;
        };
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)?;
        let mut journal = LiveJournal { file, path };
        journal.write_line(&serde_json::to_string(header).expect("headers serialize"))?;
        Ok(journal)
    }

    /// Appends one accepted input and waits until it is on disk.
    pub fn append(&mut self, action: &TimedAction) -> std::io::Result<()> {
        self.write_line(&serde_json::to_string(action).expect("actions serialize"))
    }

    fn write_line(&mut self, line: &str) -> std::io::Result<()> {
        self.file.write_all(format!("{line}\n").as_bytes())?;
        self.file.sync_data()
    }

    /// The run ended and was recorded: the journal is no longer needed.
    pub fn close(self) -> std::io::Result<()> {
        drop(self.file);
        remove_if_present(&self.path)
    }
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Every run left unfinished in `data_dir`, oldest first. Files whose header cannot be
/// read are skipped (and left in place).
pub fn unfinished(data_dir: &Path) -> Vec<Unfinished> {
    let Ok(entries) = std::fs::read_dir(folder(data_dir)) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    paths.sort();
    paths.into_iter().filter_map(|path| read(&path)).collect()
}

fn read(path: &Path) -> Option<Unfinished> {
    let file = File::open(path).ok()?;
    let mut lines = BufReader::new(file).lines();
    let header: LiveHeader = serde_json::from_str(&lines.next()?.ok()?).ok()?;
    let mut actions = Vec::new();
    let mut cut = false;
    for line in lines {
        match line.ok().and_then(|l| serde_json::from_str(&l).ok()) {
            Some(action) => actions.push(action),
            None => {
                cut = true;
                break;
            }
        }
    }
    Some(Unfinished {
        path: path.to_path_buf(),
        header,
        actions,
        cut,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Duration, builtin};

    #[test]
    fn a_run_is_played_on_its_scenario_until_the_file_changes() {
        let scenario = builtin::load("edge-waf-regex").expect("built-in");
        let run = Unfinished {
            path: PathBuf::from("in-progress/run.jsonl"),
            header: LiveHeader {
                scenario: scenario.id.clone(),
                scenario_hash: scenario_hash(&scenario),
                seed: 1,
                role: Role::Commander,
                trainee: None,
                started_at: "2026-07-02T10:00:00Z".into(),
            },
            actions: Vec::new(),
            cut: false,
        };
        assert!(run.played_on(&scenario));
        let mut edited = scenario.clone();
        edited.time_limit = Duration::from_mins(15);
        assert!(!run.played_on(&edited));
    }
}
