//! The drill host's files, side by side in its out dir under one name,
//! `<scenario>-drill-seed<N>-<UTC start to the millisecond>`:
//!
//! * `.drill-journal`, written while the drill runs, one JSON object a line, flushed
//!   line by line: a header (scenario id and RON text, seed, join code), then every
//!   stamped input and now and then the clock. `DrillHost::resume` rebuilds the drill
//!   from it after a crash. A last line cut short by the crash is dropped.
//! * `.drill.ron`, the drill file saved when the drill ends
//!   (`firedrill_core::drill::DrillFile`), which `firedrill run SCENARIO --inputs`
//!   replays.
//!
//! Like `firedrill_core::saved`, files are only ever created, never overwritten: a name
//! another drill's files use gets `-2`, `-3`, ...

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;
use serde::{Deserialize, Serialize};

use firedrill_core::drill::DrillInput;

use super::protocol::Clock;

const JOURNAL_EXTENSION: &str = "drill-journal";
const DRILL_EXTENSION: &str = "drill.ron";

/// What a drill journal starts with: enough to rebuild the drill alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Header {
    pub scenario: String,
    pub seed: u64,
    /// The join code, so clients rejoin a resumed drill with the code they have.
    pub code: String,
    pub scenario_text: String,
}

/// One line of a drill journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Line {
    Header(Header),
    Input(DrillInput),
    Clock(Clock),
}

/// A drill journal being written.
#[derive(Debug)]
pub(crate) struct DiskJournal {
    file: File,
    path: PathBuf,
}

/// Why a drill journal could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{}: cannot read: {error}", path.display())]
    Io { path: PathBuf, error: io::Error },
    #[error("{}:{line}: not a drill journal line: {message}", path.display())]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: not a drill journal: it does not start with a header", path.display())]
    NoHeader { path: PathBuf },
}

/// A drill journal read back.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Recorded {
    pub header: Header,
    pub inputs: Vec<DrillInput>,
    /// The last clock written, if any.
    pub clock: Option<Clock>,
}

impl DiskJournal {
    /// Starts the journal of a new drill in `dir` (created if needed) under a name no
    /// other drill's files use, and writes its header.
    pub fn create(dir: &Path, header: &Header) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let base = format!(
            "{}-drill-seed{}-{}",
            header.scenario,
            header.seed,
            Utc::now().format("%Y%m%d-%H%M%S%.3f")
        );
        let mut suffix = 1u32;
        loop {
            let stem = match suffix {
                1 => base.clone(),
                n => format!("{base}-{n}"),
            };
            let path = dir.join(format!("{stem}.{JOURNAL_EXTENSION}"));
            if dir.join(format!("{stem}.{DRILL_EXTENSION}")).exists() {
                suffix += 1;
                continue;
            }
            match OpenOptions::new().append(true).create_new(true).open(&path) {
                Ok(file) => {
                    let mut journal = DiskJournal { file, path };
                    journal.write(&Line::Header(header.clone()))?;
                    return Ok(journal);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => suffix += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads a drill journal back, and opens it to append to (a resumed drill goes on
    /// in the same file).
    pub fn resume(path: &Path) -> Result<(Self, Recorded), JournalError> {
        let io = |error| JournalError::Io {
            path: path.to_path_buf(),
            error,
        };
        let text = std::fs::read_to_string(path).map_err(io)?;
        // A crash may cut the last line short: it is dropped, the file cut after the
        // last whole line, and the drill goes on from there.
        let whole = text.rfind('\n').map_or(0, |i| i + 1);
        let recorded = parse(path, &text[..whole])?;
        let file = OpenOptions::new().append(true).open(path).map_err(io)?;
        file.set_len(whole as u64).map_err(io)?;
        let journal = DiskJournal {
            file,
            path: path.to_path_buf(),
        };
        Ok((journal, recorded))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn input(&mut self, input: &DrillInput) -> io::Result<()> {
        self.write(&Line::Input(input.clone()))
    }

    pub fn clock(&mut self, clock: &Clock) -> io::Result<()> {
        self.write(&Line::Clock(*clock))
    }

    /// Saves the drill file next to the journal, under the journal's name unless a
    /// file has it already; returns where it went.
    pub fn save_drill(&self, text: &str) -> io::Result<PathBuf> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = name
            .strip_suffix(&format!(".{JOURNAL_EXTENSION}"))
            .unwrap_or(&name)
            .to_owned();
        let mut suffix = 1u32;
        loop {
            let path = match suffix {
                1 => dir.join(format!("{stem}.{DRILL_EXTENSION}")),
                n => dir.join(format!("{stem}-{n}.{DRILL_EXTENSION}")),
            };
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    file.write_all(text.as_bytes())?;
                    return Ok(path);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => suffix += 1,
                Err(e) => return Err(e),
            }
        }
    }

    fn write(&mut self, line: &Line) -> io::Result<()> {
        let mut bytes = serde_json::to_vec(line).map_err(io::Error::other)?;
        bytes.push(b'\n');
        self.file.write_all(&bytes)?;
        self.file.flush()?;
        self.file.sync_data()
    }
}

/// The whole lines of a journal.
fn parse(path: &Path, text: &str) -> Result<Recorded, JournalError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut header = None;
    let mut inputs = Vec::new();
    let mut clock = None;
    for (i, raw) in lines.iter().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line = serde_json::from_str::<Line>(raw).map_err(|e| JournalError::Line {
            path: path.to_path_buf(),
            line: i + 1,
            message: e.to_string(),
        })?;
        match (line, &header) {
            (Line::Header(h), None) => header = Some(h),
            (_, None) => {
                return Err(JournalError::NoHeader {
                    path: path.to_path_buf(),
                });
            }
            (Line::Header(_), Some(_)) => {
                return Err(JournalError::Line {
                    path: path.to_path_buf(),
                    line: i + 1,
                    message: "a second header".to_owned(),
                });
            }
            (Line::Input(input), Some(_)) => inputs.push(input),
            (Line::Clock(c), Some(_)) => clock = Some(c),
        }
    }
    let header = header.ok_or_else(|| JournalError::NoHeader {
        path: path.to_path_buf(),
    })?;
    Ok(Recorded {
        header,
        inputs,
        clock,
    })
}

#[cfg(test)]
mod tests {
    use firedrill_core::drill::By;
    use firedrill_core::engine::action::{Action, Role};
    use firedrill_core::scenario::Duration;

    use super::*;

    fn header() -> Header {
        Header {
            scenario: "edge-waf-regex".into(),
            seed: 7,
            code: "7KQM-X2RD-WN9F".into(),
            scenario_text: "Scenario(...)".into(),
        }
    }

    fn take(at: u64) -> DrillInput {
        DrillInput {
            at: Duration::from_secs(at),
            by: By::Host,
            action: Action::TakeSeat {
                role: Role::Comms,
                by: "ana".into(),
            },
        }
    }

    #[test]
    fn a_journal_reads_back_skipping_a_line_cut_short_and_names_never_collide() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut journal = DiskJournal::create(dir.path(), &header()).expect("created");
        let other = DiskJournal::create(dir.path(), &header()).expect("created");
        assert_ne!(journal.path(), other.path());
        let name = journal
            .path()
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        assert!(name.starts_with("edge-waf-regex-drill-seed7-"), "{name}");
        assert!(name.ends_with(".drill-journal"), "{name}");
        journal.input(&take(0)).expect("written");
        let clock = Clock {
            next: Duration::from_secs(12),
            paused: false,
            speed: 2.0,
            lobby: false,
        };
        journal.clock(&clock).expect("written");
        journal.input(&take(12)).expect("written");
        // A crash in the middle of a line.
        journal
            .file
            .write_all(b"{\"Input\":{\"at\"")
            .expect("written");
        let (mut again, recorded) = DiskJournal::resume(journal.path()).expect("read");
        assert_eq!(recorded.header, header());
        assert_eq!(recorded.inputs, [take(0), take(12)]);
        assert_eq!(recorded.clock, Some(clock));
        // Appending after the cut line starts a line of its own.
        again.input(&take(13)).expect("written");
        let (_, recorded) = DiskJournal::resume(journal.path()).expect("read");
        assert_eq!(recorded.inputs, [take(0), take(12), take(13)]);

        let first = journal.save_drill("Drill()").expect("saved");
        let second = journal.save_drill("Drill(again)").expect("saved");
        assert_eq!(
            first.file_name().map(|n| n.to_string_lossy().into_owned()),
            Some(name.replace(".drill-journal", ".drill.ron"))
        );
        assert_ne!(first, second);
        assert_eq!(std::fs::read_to_string(&first).expect("read"), "Drill()");
    }

    #[test]
    fn a_damaged_journal_names_its_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.drill-journal");
        std::fs::write(&path, "{\"Input\":{}}\n").expect("written");
        assert!(matches!(
            DiskJournal::resume(&path),
            Err(JournalError::Line { line: 1, .. })
        ));
        std::fs::write(&path, "").expect("written");
        let error = DiskJournal::resume(&path).expect_err("no header");
        assert_eq!(
            error.to_string(),
            format!(
                "{}: not a drill journal: it does not start with a header",
                path.display()
            )
        );
    }
}
