//! The history database's schema and its migrations, versioned with SQLite's
//! `user_version`. A database from a newer firedrill is refused, never rewritten.

use rusqlite::Connection;

use super::StoreError;

/// Each step takes the schema from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
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
];

/// The schema version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// Brings the database up to [`LATEST`], each step in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > LATEST {
        return Err(StoreError::Newer {
            found: version,
            supported: LATEST,
        });
    }
    for (from, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", from as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
