//! Run history: who played which role in which scenario, how it went, and the inputs
//! to replay it, in an embedded SQLite database (see [`schema`]); runs still in
//! progress are journaled apart, in [`live`].
//!
//! The store never overwrites what it cannot read: a file that is not SQLite, another
//! program's database, or one written by a newer firedrill is refused with a clear
//! error and left exactly as it was; so is a database that is locked or read-only.

pub mod live;
mod schema;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use serde::Serialize;

use crate::drill::DrillFile;
use crate::engine::action::{Role, UnknownRole};
use crate::engine::journal::Outcome;
use crate::inputs::InputFile;
use crate::rotation::Played;
use crate::run::RunReport;
use crate::scenario::Scenario;

pub use schema::LATEST as SCHEMA_VERSION;

/// The database's file name inside the data directory.
pub const FILE_NAME: &str = "history.sqlite3";

/// How long opening or writing the history waits for another program (another
/// firedrill) that holds a lock on it, before giving up with [`StoreError::Busy`].
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Why the history could not be opened, read or written, each path the database's.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}: not an SQLite database, so not a firedrill history; it was left untouched")]
    NotSqlite(PathBuf),
    #[error(
        "{0}: an SQLite database that another program made, not a firedrill history; it was left untouched"
    )]
    Foreign(PathBuf),
    #[error(
        "{path}: the history database is version {found}, newer than this firedrill supports ({supported}); it was left untouched: upgrade firedrill"
    )]
    Newer {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "{0}: the history database is locked by another program (another firedrill?); it was left untouched: try again once that one has finished"
    )]
    Busy(PathBuf),
    #[error(
        "{0}: the history database cannot be written (the file or its folder is read-only); it was left untouched"
    )]
    ReadOnly(PathBuf),
    #[error(
        "{0}: the history database cannot be opened or created there (is it a folder, or is its folder not writable?)"
    )]
    CannotOpen(PathBuf),
    #[error("{0}: cannot create the data directory: {1}")]
    Dir(PathBuf, std::io::Error),
    #[error("{path}: history database: {source}")]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("no run #{0} in the history")]
    NoSuchRun(i64),
    #[error("run #{0} in the history: {1}")]
    UnknownOutcome(i64, UnknownOutcome),
    #[error("run #{0} in the history: {1}")]
    UnknownRole(i64, UnknownRole),
}

/// How a recorded run ended: as the engine ended it, or abandoned. Stored as text
/// (`resolved`, `timed_out`, `abandoned`), which is also how `run --json` and
/// `history --csv` write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOutcome {
    /// Played to the end.
    Ended(Outcome),
    /// The app stopped before the end and the trainee chose not to resume: the run
    /// was played out without them.
    Abandoned,
}

impl RunOutcome {
    const ALL: [RunOutcome; 4] = [
        RunOutcome::Ended(Outcome::Resolved),
        RunOutcome::Ended(Outcome::TimedOut),
        RunOutcome::Ended(Outcome::Stopped),
        RunOutcome::Abandoned,
    ];

    /// The stored text.
    pub fn key(self) -> &'static str {
        match self {
            RunOutcome::Ended(outcome) => outcome.key(),
            RunOutcome::Abandoned => "abandoned",
        }
    }
}

/// Stored text that names no outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown outcome \"{0}\": firedrill records resolved, timed_out, stopped or abandoned")]
pub struct UnknownOutcome(pub String);

impl std::str::FromStr for RunOutcome {
    type Err = UnknownOutcome;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        RunOutcome::ALL
            .into_iter()
            .find(|outcome| outcome.key() == text)
            .ok_or_else(|| UnknownOutcome(text.to_string()))
    }
}

impl Serialize for RunOutcome {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl StoreError {
    /// Names an SQLite failure on the database at `path` for what it is.
    fn sql(path: &Path, error: rusqlite::Error) -> StoreError {
        let path = path.to_path_buf();
        match error.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotSqlite(path),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy(path),
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(path),
            Some(ErrorCode::CannotOpen) => StoreError::CannotOpen(path),
            _ => StoreError::Sql {
                path,
                source: error,
            },
        }
    }
}

pub struct Store {
    conn: Connection,
    /// The database file (`:memory:` for [`Store::in_memory`]), for error messages.
    path: PathBuf,
}

/// A finished run to record.
pub struct NewRun<'a> {
    pub scenario: &'a Scenario,
    pub trainee: &'a str,
    /// What the run replays from.
    pub inputs: RecordedInputs<'a>,
    pub report: &'a RunReport,
    /// RFC 3339 wall-clock times.
    pub started_at: String,
    pub ended_at: String,
    /// The app stopped before the end and the trainee chose not to resume: the run
    /// was played out without them and is recorded as abandoned.
    pub abandoned: bool,
    /// The recorded run this one was played again from, and from when.
    pub branch_of: Option<BranchOf>,
}

/// What a recorded run replays from: stored as the file's text, which `firedrill
/// replay` reads back.
#[derive(Debug, Clone, Copy)]
pub enum RecordedInputs<'a> {
    /// One trainee's inputs; bots played the other seats.
    Solo(&'a InputFile),
    /// A team drill: every seat's inputs. The trainee sat in `role`.
    Drill { file: &'a DrillFile, role: Role },
}

impl RecordedInputs<'_> {
    /// The role the trainee played.
    pub fn role(&self) -> Role {
        match self {
            RecordedInputs::Solo(file) => file.role,
            RecordedInputs::Drill { role, .. } => *role,
        }
    }

    /// The text stored: an input file or a drill file.
    pub fn to_ron(&self) -> String {
        match self {
            RecordedInputs::Solo(file) => file.to_ron(),
            RecordedInputs::Drill { file, .. } => file.to_ron(),
        }
    }
}

impl<'a> From<&'a InputFile> for RecordedInputs<'a> {
    fn from(file: &'a InputFile) -> Self {
        RecordedInputs::Solo(file)
    }
}

/// A run played again up to a moment of a recorded run and on from there differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BranchOf {
    /// The recorded run's id.
    pub run: i64,
    /// The sim second from which the two differ.
    pub at_s: u64,
}

/// One trainee's part in one stored run, as `history` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRow {
    pub id: i64,
    pub trainee: String,
    /// `None` for an observer.
    pub role: Option<Role>,
    pub scenario: String,
    pub seed: u64,
    pub started_at: String,
    pub outcome: RunOutcome,
    pub mtta_s: Option<u64>,
    pub mttr_s: Option<u64>,
    pub mtrs_s: Option<u64>,
    pub can: u32,
    pub total: u32,
    pub branch_of: Option<BranchOf>,
}

/// A [`RunRow`] as the database holds it: role and outcome still text.
struct StoredRow {
    id: i64,
    trainee: String,
    role: Option<String>,
    scenario: String,
    seed: u64,
    started_at: String,
    outcome: String,
    mtta_s: Option<u64>,
    mttr_s: Option<u64>,
    mtrs_s: Option<u64>,
    can: u32,
    total: u32,
    branch_of: Option<BranchOf>,
}

impl StoredRow {
    /// Reads role and outcome back into their types; unknown text is an error, not a
    /// guess.
    fn read(self) -> Result<RunRow, StoreError> {
        let id = self.id;
        Ok(RunRow {
            id,
            trainee: self.trainee,
            role: self
                .role
                .map(|r| r.parse())
                .transpose()
                .map_err(|e| StoreError::UnknownRole(id, e))?,
            scenario: self.scenario,
            seed: self.seed,
            started_at: self.started_at,
            outcome: self
                .outcome
                .parse()
                .map_err(|e| StoreError::UnknownOutcome(id, e))?,
            mtta_s: self.mtta_s,
            mttr_s: self.mttr_s,
            mtrs_s: self.mtrs_s,
            can: self.can,
            total: self.total,
            branch_of: self.branch_of,
        })
    }
}

/// What replaying a stored run needs.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRun {
    pub scenario_id: String,
    pub scenario_hash: String,
    pub seed: u64,
    /// An input file's text, or a drill file's for a team drill.
    pub inputs: String,
    pub total: u32,
    /// The trainee's role as stored (`commander`), to find their seat in a drill.
    pub role: Option<String>,
}

/// Which runs to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub trainee: Option<String>,
    pub scenario: Option<String>,
}

impl Store {
    /// Opens (creating it if needed) the history in `dir`, migrating it to this
    /// version's schema.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_waiting(dir, BUSY_WAIT)
    }

    /// [`Store::open`], waiting at most `wait` for a lock another program holds.
    fn open_waiting(dir: &Path, wait: std::time::Duration) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Dir(dir.to_path_buf(), e))?;
        let path = dir.join(FILE_NAME);
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
        .and_then(|conn| conn.busy_timeout(wait).map(|()| conn))
        .map_err(|e| StoreError::sql(&path, e))?;
        Store::with_connection(conn, path)
    }

    /// A history that lives in memory only, for tests.
    pub fn in_memory() -> Result<Store, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| StoreError::sql(&path, e))?;
        Store::with_connection(conn, path)
    }

    fn with_connection(mut conn: Connection, path: PathBuf) -> Result<Store, StoreError> {
        schema::migrate(&mut conn, &path)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(|e| StoreError::sql(&path, e))?;
        Ok(Store { conn, path })
    }

    /// Records a finished run and returns its id. All or nothing.
    pub fn record(&mut self, run: &NewRun) -> Result<i64, StoreError> {
        let times = run.report.scorecard.times;
        let scores = &run.report.scorecard.scores;
        let report = serde_json::to_string(&run.report.scorecard).expect("scorecards serialize");
        let sql = |e| StoreError::sql(&self.path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO runs (scenario_id, scenario_hash, seed, started_at, ended_at, outcome,
                inputs, mtta_s, mttr_s, mtrs_s, can_score, total, report, branch_of, branch_at_s)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                run.scenario.id,
                scenario_hash(run.scenario),
                run.report.seed as i64,
                run.started_at,
                run.ended_at,
                if run.abandoned {
                    RunOutcome::Abandoned
                } else {
                    RunOutcome::Ended(run.report.outcome)
                }
                .key(),
                run.inputs.to_ron(),
                times.mtta_s.map(|s| s as i64),
                times.mttr_s.map(|s| s as i64),
                times.mtrs_s.map(|s| s as i64),
                scores.can,
                scores.total,
                report,
                run.branch_of.map(|b| b.run),
                run.branch_of.map(|b| b.at_s as i64),
            ],
        )
        .map_err(sql)?;
        let run_id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO trainees (name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
            [run.trainee],
        )
        .map_err(sql)?;
        tx.execute(
            "INSERT INTO run_roles (run_id, trainee_id, role)
             SELECT ?1, id, ?2 FROM trainees WHERE name = ?3",
            params![run_id, run.inputs.role().key(), run.trainee],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(run_id)
    }

    /// Every trainee's part in the runs that match, oldest first.
    pub fn runs(&self, filter: &Filter) -> Result<Vec<RunRow>, StoreError> {
        let sql = |e| StoreError::sql(&self.path, e);
        let mut statement = self
            .conn
            .prepare(
                "SELECT runs.id, trainees.name, run_roles.role, runs.scenario_id, runs.seed,
                    runs.started_at, runs.outcome, runs.mtta_s, runs.mttr_s, runs.mtrs_s,
                    runs.can_score, runs.total, runs.branch_of, runs.branch_at_s
             FROM runs
             JOIN run_roles ON run_roles.run_id = runs.id
             JOIN trainees ON trainees.id = run_roles.trainee_id
             WHERE (?1 IS NULL OR trainees.name = ?1) AND (?2 IS NULL OR runs.scenario_id = ?2)
             ORDER BY runs.id, trainees.name",
            )
            .map_err(sql)?;
        let rows = statement
            .query_map(params![filter.trainee, filter.scenario], |row| {
                Ok(StoredRow {
                    id: row.get(0)?,
                    trainee: row.get(1)?,
                    role: row.get(2)?,
                    scenario: row.get(3)?,
                    seed: row.get::<_, i64>(4)? as u64,
                    started_at: row.get(5)?,
                    outcome: row.get(6)?,
                    mtta_s: row.get::<_, Option<i64>>(7)?.map(|s| s as u64),
                    mttr_s: row.get::<_, Option<i64>>(8)?.map(|s| s as u64),
                    mtrs_s: row.get::<_, Option<i64>>(9)?.map(|s| s as u64),
                    can: row.get(10)?,
                    total: row.get(11)?,
                    branch_of: row
                        .get::<_, Option<i64>>(12)?
                        .zip(row.get::<_, Option<i64>>(13)?)
                        .map(|(run, at_s)| BranchOf {
                            run,
                            at_s: at_s as u64,
                        }),
                })
            })
            .map_err(sql)?;
        rows.map(|row| row.map_err(sql)?.read()).collect()
    }

    /// What `trainee` played in each recorded run, for role rotation (run ids order
    /// them).
    pub fn played(&self, trainee: &str) -> Result<Vec<Played>, StoreError> {
        let filter = Filter {
            trainee: Some(trainee.to_string()),
            scenario: None,
        };
        Ok(self
            .runs(&filter)?
            .into_iter()
            .map(|row| Played {
                role: row.role,
                order: row.id,
            })
            .collect())
    }

    /// A stored run's scenario, seed and inputs.
    pub fn run(&self, id: i64) -> Result<StoredRun, StoreError> {
        self.conn
            .query_row(
                "SELECT scenario_id, scenario_hash, seed, inputs, total,
                    (SELECT role FROM run_roles WHERE run_id = runs.id LIMIT 1)
                 FROM runs WHERE id = ?1",
                [id],
                |row| {
                    Ok(StoredRun {
                        scenario_id: row.get(0)?,
                        scenario_hash: row.get(1)?,
                        seed: row.get::<_, i64>(2)? as u64,
                        inputs: row.get(3)?,
                        total: row.get(4)?,
                        role: row.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(|e| StoreError::sql(&self.path, e))?
            .ok_or(StoreError::NoSuchRun(id))
    }
}

/// Mean times and scores of one trainee in one role: the M in MTTA and MTTR.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Means {
    pub trainee: String,
    pub role: Option<Role>,
    pub runs: usize,
    /// Means over the runs that reached the milestone; `None` when none did.
    pub mtta_s: Option<f64>,
    pub mttr_s: Option<f64>,
    pub mtrs_s: Option<f64>,
    pub can: f64,
    pub total: f64,
}

/// Means per (trainee, role), in name then role order.
pub fn means(rows: &[RunRow]) -> Vec<Means> {
    let mut groups: std::collections::BTreeMap<(&str, Option<Role>), Vec<&RunRow>> =
        Default::default();
    for row in rows {
        groups
            .entry((&row.trainee, row.role))
            .or_default()
            .push(row);
    }
    groups
        .into_iter()
        .map(|((trainee, role), runs)| {
            let mean_of = |values: Vec<u64>| {
                (!values.is_empty())
                    .then(|| values.iter().sum::<u64>() as f64 / values.len() as f64)
            };
            let n = runs.len() as f64;
            Means {
                trainee: trainee.to_string(),
                role,
                runs: runs.len(),
                mtta_s: mean_of(runs.iter().filter_map(|r| r.mtta_s).collect()),
                mttr_s: mean_of(runs.iter().filter_map(|r| r.mttr_s).collect()),
                mtrs_s: mean_of(runs.iter().filter_map(|r| r.mtrs_s).collect()),
                can: runs.iter().map(|r| f64::from(r.can)).sum::<f64>() / n,
                total: runs.iter().map(|r| f64::from(r.total)).sum::<f64>() / n,
            }
        })
        .collect()
}

/// Each trainee's part in `rows` as role rotation reads it, the trainee who has waited
/// longest since their last run first (ties by name): whose turn it is at a shared
/// machine.
pub fn turns(rows: &[RunRow]) -> Vec<(String, Vec<Played>)> {
    let mut by_name: std::collections::BTreeMap<&str, Vec<Played>> = Default::default();
    for row in rows {
        by_name.entry(&row.trainee).or_default().push(Played {
            role: row.role,
            order: row.id,
        });
    }
    let mut turns: Vec<(String, Vec<Played>)> = by_name
        .into_iter()
        .map(|(name, played)| (name.to_string(), played))
        .collect();
    turns.sort_by_key(|(_, played)| played.iter().map(|p| p.order).max());
    turns
}

/// The wall-clock time now, as runs record it (RFC 3339, UTC, whole seconds).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stable fingerprint of a scenario's content (FNV-1a of its canonical RON), so a
/// replay can tell whether the scenario changed since the run.
pub fn scenario_hash(scenario: &Scenario) -> String {
    let canonical = ron::to_string(scenario).expect("scenarios serialize");
    let hash = canonical.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}
