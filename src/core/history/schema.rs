//! The history database's schema and its migrations, versioned with SQLite's
//! `user_version`. A database from a newer firedrill, or another program's, is
//! refused, never rewritten.

use std::path::Path;

use rusqlite::Connection;

use super::StoreError;

/// Each step takes the schema from version `index` to `index + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: trainees, runs, and who played which role in each run.
    "CREATE TABLE trainees (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        scenario_id TEXT NOT NULL,
        scenario_hash TEXT NOT NULL,
        seed INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        inputs TEXT NOT NULL,
        mtta_s INTEGER,
        mttr_s INTEGER,
        mtrs_s INTEGER,
        can_score INTEGER NOT NULL,
        total INTEGER NOT NULL,
        report TEXT NOT NULL
    );
    CREATE TABLE run_roles (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        trainee_id INTEGER NOT NULL REFERENCES trainees(id),
        role TEXT,
        PRIMARY KEY (run_id, trainee_id)
    );",
    // 2: a run played again from a moment of another run ("retry from here") names
    // that run and the moment.
    "ALTER TABLE runs ADD COLUMN branch_of INTEGER REFERENCES runs(id);
    ALTER TABLE runs ADD COLUMN branch_at_s INTEGER;",
];

/// The schema version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// Brings the database at `path` up to [`LATEST`], each step in its own
/// transaction, after checking that it is firedrill's to change.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let sql = |e| StoreError::sql(path, e);
    // Reading first fails on a file that is not SQLite before anything is written.
    let tables: u32 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
        .map_err(sql)?;
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(sql)?;
    if version > LATEST {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
            supported: LATEST,
        });
    }
    // Every migration sets the version with its tables: tables without one are not ours.
    if version == 0 && tables > 0 {
        return Err(StoreError::Foreign(path.to_path_buf()));
    }
    for (from, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction().map_err(sql)?;
        tx.execute_batch(step).map_err(sql)?;
        tx.pragma_update(None, "user_version", from as u32 + 1)
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
    }
    Ok(())
}
