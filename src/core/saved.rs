//! The files a finished run is saved as (its inputs, postmortem draft and journal),
//! side by side as `DIR/<scenario>-<role>-seed<N>-<UTC date-time to the millisecond>`
//! plus the kind's extension.
//!
//! Names never collide: when another run already has files under a name, this run
//! takes the same name with `-2`, `-3`, ... A file is only ever created, never
//! overwritten: saving a kind this run has saved before leaves the file as it is.

use std::collections::BTreeSet;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::engine::action::Role;

/// What a run can be saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Saved {
    Inputs,
    Postmortem,
    Journal,
}

impl Saved {
    pub const ALL: [Saved; 3] = [Saved::Inputs, Saved::Postmortem, Saved::Journal];

    /// What follows the run's name: `inputs.ron`, `postmortem.md`, `journal.json`.
    pub fn extension(self) -> &'static str {
        match self {
            Saved::Inputs => "inputs.ron",
            Saved::Postmortem => "postmortem.md",
            Saved::Journal => "journal.json",
        }
    }
}

/// Where one run's files go. The first save claims a name no other run's files use.
#[derive(Debug, Clone)]
pub struct RunFiles {
    dir: PathBuf,
    base: String,
    /// 1 for `base` itself, `n` for `base-n`.
    suffix: u32,
    /// The kinds this run has saved under the current name.
    saved: BTreeSet<Saved>,
}

impl RunFiles {
    /// The files of a run of `scenario` (an id) played as `role` with `seed`, finished
    /// at `finished`, in `dir`.
    pub fn new(
        dir: impl Into<PathBuf>,
        scenario: &str,
        role: Role,
        seed: u64,
        finished: DateTime<Utc>,
    ) -> Self {
        RunFiles {
            dir: dir.into(),
            base: format!(
                "{scenario}-{}-seed{seed}-{}",
                role.key(),
                finished.format("%Y%m%d-%H%M%S%.3f")
            ),
            suffix: 1,
            saved: BTreeSet::new(),
        }
    }

    /// [`RunFiles::new`] for a run finishing now.
    pub fn finished_now(dir: impl Into<PathBuf>, scenario: &str, role: Role, seed: u64) -> Self {
        RunFiles::new(dir, scenario, role, seed, Utc::now())
    }

    /// Where `kind` is (or would be) saved under the run's current name.
    pub fn path(&self, kind: Saved) -> PathBuf {
        let name = match self.suffix {
            1 => format!("{}.{}", self.base, kind.extension()),
            n => format!("{}-{n}.{}", self.base, kind.extension()),
        };
        self.dir.join(name)
    }

    /// Writes `text` as this run's `kind` file, creating the folder if needed, and
    /// returns its path. Never replaces a file: one this run saved before is left as
    /// it is (a finished run saves the same text again).
    pub fn save(&mut self, kind: Saved, text: &str) -> io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        loop {
            let ours = self.saved.contains(&kind);
            if self.saved.is_empty() && Saved::ALL.iter().any(|&k| self.path(k).exists()) {
                self.suffix += 1; // another run's name
                continue;
            }
            let path = self.path(kind);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    file.write_all(text.as_bytes())?;
                    self.saved.insert(kind);
                    return Ok(path);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && ours => return Ok(path),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    // Another run took this name since the check: this run's later
                    // files go under the next free name.
                    self.suffix += 1;
                    self.saved.clear();
                }
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn finished() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 10, 45, 12).unwrap()
            + chrono::TimeDelta::milliseconds(345)
    }

    fn files(dir: &std::path::Path, at: DateTime<Utc>) -> RunFiles {
        RunFiles::new(dir, "edge-waf-regex", Role::Commander, 7, at)
    }

    fn names(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn names_carry_the_run_and_its_time_to_the_millisecond() {
        let dir = tempfile::tempdir().unwrap();
        let path = files(dir.path(), finished())
            .save(Saved::Inputs, "Inputs()")
            .unwrap();
        assert_eq!(
            path,
            dir.path()
                .join("edge-waf-regex-commander-seed7-20261121-104512.345.inputs.ron")
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "Inputs()");
    }

    #[test]
    fn two_runs_finishing_in_the_same_second_keep_both_files() {
        let dir = tempfile::tempdir().unwrap();
        let second = Utc.with_ymd_and_hms(2026, 11, 21, 10, 45, 12).unwrap();
        // Same millisecond, too: only the suffix tells them apart.
        let mut first = files(dir.path(), second);
        let mut other = files(dir.path(), second);
        let mut later = files(dir.path(), second + chrono::TimeDelta::milliseconds(1));
        first.save(Saved::Inputs, "first").unwrap();
        other.save(Saved::Inputs, "other").unwrap();
        later.save(Saved::Inputs, "later").unwrap();
        // A run whose first save is another kind still keeps clear of taken names.
        let mut watched = files(dir.path(), second);
        watched.save(Saved::Postmortem, "watched").unwrap();
        assert_eq!(
            names(dir.path()),
            [
                "edge-waf-regex-commander-seed7-20261121-104512.000-2.inputs.ron",
                "edge-waf-regex-commander-seed7-20261121-104512.000-3.postmortem.md",
                "edge-waf-regex-commander-seed7-20261121-104512.000.inputs.ron",
                "edge-waf-regex-commander-seed7-20261121-104512.001.inputs.ron",
            ]
        );
        assert_eq!(
            std::fs::read_to_string(first.path(Saved::Inputs)).unwrap(),
            "first"
        );
        assert_eq!(
            std::fs::read_to_string(other.path(Saved::Inputs)).unwrap(),
            "other"
        );
    }

    #[test]
    fn a_runs_files_share_its_name_and_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let mut run = files(dir.path(), finished());
        let inputs = run.save(Saved::Inputs, "inputs").unwrap();
        let journal = run.save(Saved::Journal, "journal").unwrap();
        assert_eq!(
            journal,
            dir.path()
                .join("edge-waf-regex-commander-seed7-20261121-104512.345.journal.json")
        );
        std::fs::write(&inputs, "edited by hand").unwrap();
        assert_eq!(run.save(Saved::Inputs, "inputs").unwrap(), inputs);
        assert_eq!(std::fs::read_to_string(&inputs).unwrap(), "edited by hand");
    }

    #[test]
    fn the_folder_is_created_and_failures_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("runs/today");
        files(&nested, finished())
            .save(Saved::Journal, "{}")
            .unwrap();
        assert_eq!(names(&nested).len(), 1);
        let blocked = dir.path().join("a-file");
        std::fs::write(&blocked, "").unwrap();
        let error = files(&blocked, finished())
            .save(Saved::Journal, "{}")
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
    }
}
