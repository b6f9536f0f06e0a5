//! History store tests: round trips, means from known runs, and files the store must
//! refuse without touching.

use std::sync::Arc;

use super::*;
use crate::engine::action::Role;
use crate::inputs::InputFile;
use crate::run;
use crate::scenario::builtin;

fn row(
    trainee: &str,
    role: Role,
    mtta: Option<u64>,
    mttr: Option<u64>,
    can: u32,
    total: u32,
) -> RunRow {
    RunRow {
        id: 0,
        trainee: trainee.into(),
        role: Some(role),
        scenario: "s".into(),
        seed: 1,
        started_at: String::new(),
        outcome: RunOutcome::Ended(crate::engine::journal::Outcome::Resolved),
        mtta_s: mtta,
        mttr_s: mttr,
        mtrs_s: mtta.zip(mttr).map(|(a, r)| a + r),
        can,
        total,
        branch_of: None,
    }
}

#[test]
fn means_are_per_trainee_and_role_over_the_runs_that_reached_each_milestone() {
    let rows = [
        row("ana", Role::Commander, Some(120), Some(1200), 80, 70),
        row("ana", Role::Commander, Some(240), None, 60, 50),
        row("ana", Role::Tech, Some(60), Some(600), 100, 90),
        row("ben", Role::Commander, None, None, 0, 10),
    ];
    let means = means(&rows);
    assert_eq!(means.len(), 3);
    let ana_ic = &means[0];
    assert_eq!(
        (ana_ic.trainee.as_str(), ana_ic.role, ana_ic.runs),
        ("ana", Some(Role::Commander), 2)
    );
    assert_eq!(ana_ic.mtta_s, Some(180.0));
    assert_eq!(
        ana_ic.mttr_s,
        Some(1200.0),
        "only the run that resolved counts"
    );
    assert_eq!(ana_ic.mtrs_s, Some(1320.0));
    assert_eq!((ana_ic.can, ana_ic.total), (70.0, 60.0));
    assert_eq!(means[1].role, Some(Role::Tech));
    let ben = &means[2];
    assert_eq!((ben.mtta_s, ben.mttr_s, ben.total), (None, None, 10.0));
}

#[test]
fn turns_put_whoever_waited_longest_first() {
    let mut rows = [
        row("cy", Role::Tech, None, None, 0, 0),
        row("ana", Role::Commander, None, None, 0, 0),
        row("ben", Role::Comms, None, None, 0, 0),
        row("ana", Role::Comms, None, None, 0, 0),
    ];
    for (id, row) in (1..).zip(rows.iter_mut()) {
        row.id = id;
    }
    let turns = turns(&rows);
    let names: Vec<&str> = turns.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["cy", "ben", "ana"]);
    let ana: Vec<Option<Role>> = turns[2].1.iter().map(|p| p.role).collect();
    assert_eq!(ana, [Some(Role::Commander), Some(Role::Comms)]);
    assert_eq!(turns[2].1[1].order, 4);
}

/// What `recorded_run` records: no actions, so bots carry the run.
fn idle_inputs(trainee: &str, role: Role) -> InputFile {
    InputFile {
        scenario: "edge-waf-regex".into(),
        role,
        trainee: Some(trainee.into()),
        actions: Vec::new(),
    }
}

fn recorded_run(store: &mut Store, trainee: &str, role: Role, seed: u64) -> (i64, run::RunReport) {
    let scenario = Arc::new(builtin::load("edge-waf-regex").unwrap());
    let inputs = idle_inputs(trainee, role);
    let engine = run::play(Arc::clone(&scenario), seed, Some(&inputs));
    let report = run::report(&engine);
    let id = store
        .record(&NewRun {
            scenario: &scenario,
            trainee,
            inputs: (&inputs).into(),
            report: &report,
            started_at: "2026-11-21T10:00:00Z".into(),
            ended_at: "2026-11-21T10:40:00Z".into(),
            abandoned: false,
            branch_of: None,
        })
        .unwrap();
    (id, report)
}

#[test]
fn recorded_runs_come_back_with_their_scores_and_inputs() {
    let mut store = Store::in_memory().unwrap();
    let (first, report) = recorded_run(&mut store, "ana", Role::Tech, 3);
    let (second, _) = recorded_run(&mut store, "ben", Role::Comms, 4);
    assert!(second > first);

    let all = store.runs(&Filter::default()).unwrap();
    assert_eq!(all.len(), 2);
    let ana = &all[0];
    assert_eq!(
        (ana.trainee.as_str(), ana.role, ana.seed),
        ("ana", Some(Role::Tech), 3)
    );
    assert_eq!(ana.total, report.scorecard.scores.total);
    assert_eq!(ana.mtta_s, report.scorecard.times.mtta_s);

    let only_ben = store
        .runs(&Filter {
            trainee: Some("ben".into()),
            scenario: None,
        })
        .unwrap();
    assert_eq!(only_ben.len(), 1);
    assert_eq!(only_ben[0].role, Some(Role::Comms));

    let stored = store.run(first).unwrap();
    assert_eq!(
        (stored.scenario_id.as_str(), stored.seed, stored.total),
        ("edge-waf-regex", 3, report.scorecard.scores.total)
    );
    assert_eq!(
        crate::inputs::parse_unchecked(&stored.inputs),
        Ok(idle_inputs("ana", Role::Tech)),
        "the inputs come back as recorded:\n{}",
        stored.inputs
    );
    assert!(matches!(store.run(999), Err(StoreError::NoSuchRun(999))));
}

#[test]
fn reopening_keeps_the_history() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        recorded_run(&mut store, "ana", Role::Commander, 1);
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.runs(&Filter::default()).unwrap().len(), 1);
}

#[test]
fn outcomes_are_stored_as_their_keys_and_read_back_into_the_enum() {
    use crate::engine::journal::Outcome;
    let mut store = Store::in_memory().unwrap();
    let (id, report) = recorded_run(&mut store, "ana", Role::Commander, 1);
    assert_eq!(report.outcome, Outcome::TimedOut, "an IC who does nothing");
    let stored = |store: &Store| -> String {
        store
            .conn
            .query_row("SELECT outcome FROM runs WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .unwrap()
    };
    assert_eq!(stored(&store), "timed_out");
    assert_eq!(
        store.runs(&Filter::default()).unwrap()[0].outcome,
        RunOutcome::Ended(Outcome::TimedOut)
    );

    let scenario = builtin::load("edge-waf-regex").unwrap();
    let inputs = InputFile {
        scenario: scenario.id.clone(),
        role: Role::Comms,
        trainee: Some("ben".into()),
        actions: Vec::new(),
    };
    let abandoned = store
        .record(&NewRun {
            scenario: &scenario,
            trainee: "ben",
            inputs: (&inputs).into(),
            report: &report,
            started_at: "2026-11-21T11:00:00Z".into(),
            ended_at: "2026-11-21T11:40:00Z".into(),
            abandoned: true,
            branch_of: None,
        })
        .unwrap();
    let runs = store.runs(&Filter::default()).unwrap();
    assert_eq!(
        (runs[1].id, runs[1].outcome),
        (abandoned, RunOutcome::Abandoned)
    );
}

#[test]
fn unknown_text_in_the_history_is_an_error_that_names_the_run() {
    let mut store = Store::in_memory().unwrap();
    let (id, _) = recorded_run(&mut store, "ana", Role::Tech, 3);
    store
        .conn
        .execute("UPDATE run_roles SET role = 'janitor'", [])
        .unwrap();
    let error = store.runs(&Filter::default()).unwrap_err();
    assert!(
        matches!(&error, StoreError::UnknownRole(run, UnknownRole(text)) if *run == id && text == "janitor"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        format!("run #{id} in the history: unknown role \"janitor\": use commander, comms or tech")
    );
    store
        .conn
        .execute("UPDATE run_roles SET role = 'tech'", [])
        .unwrap();
    store
        .conn
        .execute("UPDATE runs SET outcome = 'won'", [])
        .unwrap();
    let error = store.runs(&Filter::default()).unwrap_err();
    assert!(
        matches!(&error, StoreError::UnknownOutcome(run, UnknownOutcome(text)) if *run == id && text == "won"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "run #{id} in the history: unknown outcome \"won\": firedrill records resolved, timed_out, stopped or abandoned"
        )
    );
}

/// Writes a history file with `setup`, opens the store on it and returns the refusal,
/// checking the file is byte for byte what it was.
fn refused(setup: impl FnOnce(&Path), wait: std::time::Duration) -> (StoreError, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    setup(&path);
    let before = std::fs::read(&path).unwrap();
    let error = Store::open_waiting(dir.path(), wait)
        .err()
        .expect("refused");
    assert_eq!(std::fs::read(&path).unwrap(), before, "{error}");
    (error, path)
}

const NO_WAIT: std::time::Duration = std::time::Duration::ZERO;

#[test]
fn a_file_that_is_not_sqlite_is_refused_as_such_and_left_untouched() {
    let garbage = b"this is not SQLite, but it is somebody's data\n".repeat(200);
    let (error, path) = refused(|path| std::fs::write(path, &garbage).unwrap(), NO_WAIT);
    assert!(
        matches!(&error, StoreError::NotSqlite(p) if *p == path),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "{}: not an SQLite database, so not a firedrill history; it was left untouched",
            path.display()
        )
    );
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let (error, path) = refused(
        |path| {
            let conn = Connection::open(path).unwrap();
            conn.execute_batch(
                "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');",
            )
            .unwrap();
        },
        NO_WAIT,
    );
    assert!(
        matches!(&error, StoreError::Foreign(p) if *p == path),
        "{error}"
    );
}

#[test]
fn a_database_from_a_newer_firedrill_is_refused_and_left_untouched() {
    let (error, path) = refused(
        |path| {
            let conn = Connection::open(path).unwrap();
            conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
                .unwrap();
        },
        NO_WAIT,
    );
    assert!(
        matches!(&error, StoreError::Newer { path: p, found: 99, supported: SCHEMA_VERSION } if *p == path),
        "{error}"
    );
}

#[test]
fn a_database_another_program_has_locked_is_refused_as_busy_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let path = dir.path().join(FILE_NAME);
    let before = std::fs::read(&path).unwrap();
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let error = Store::open_waiting(dir.path(), NO_WAIT)
        .err()
        .expect("refused");
    assert!(
        matches!(&error, StoreError::Busy(p) if *p == path),
        "{error}"
    );
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_history_that_is_a_folder_cannot_be_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    std::fs::create_dir(&path).unwrap();
    let error = Store::open_waiting(dir.path(), NO_WAIT)
        .err()
        .expect("refused");
    assert!(
        matches!(&error, StoreError::CannotOpen(p) if *p == path),
        "{error}"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_history_is_refused_as_such_and_left_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    // An empty file is an empty database: opening it must write the schema.
    std::fs::write(&path, b"").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    if std::fs::OpenOptions::new().append(true).open(&path).is_ok() {
        // Running as root: permissions do not stop writes, so nothing is read-only
        // here. `sqlite_failures_are_named_for_what_they_are` covers the mapping.
        eprintln!("skipped: this user can write read-only files");
        return;
    }
    let error = Store::open_waiting(dir.path(), NO_WAIT)
        .err()
        .expect("refused");
    assert!(
        matches!(&error, StoreError::ReadOnly(p) if *p == path),
        "{error}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"");
}

#[test]
fn sqlite_failures_are_named_for_what_they_are() {
    use rusqlite::ffi;
    let path = Path::new("/data/history.sqlite3");
    let named = |code| {
        StoreError::sql(
            path,
            rusqlite::Error::SqliteFailure(ffi::Error::new(code), None),
        )
        .to_string()
    };
    assert_eq!(
        named(ffi::SQLITE_NOTADB),
        "/data/history.sqlite3: not an SQLite database, so not a firedrill history; it was left untouched"
    );
    let busy = "/data/history.sqlite3: the history database is locked by another program (another firedrill?); it was left untouched: try again once that one has finished";
    assert_eq!(named(ffi::SQLITE_BUSY), busy);
    assert_eq!(named(ffi::SQLITE_LOCKED), busy);
    let read_only = "/data/history.sqlite3: the history database cannot be written (the file or its folder is read-only); it was left untouched";
    assert_eq!(named(ffi::SQLITE_READONLY), read_only);
    assert_eq!(named(ffi::SQLITE_READONLY_DIRECTORY), read_only);
    assert_eq!(
        named(ffi::SQLITE_CANTOPEN),
        "/data/history.sqlite3: the history database cannot be opened or created there (is it a folder, or is its folder not writable?)"
    );
    assert_eq!(
        named(ffi::SQLITE_CORRUPT),
        "/data/history.sqlite3: history database: Error code 11: database disk image is malformed"
    );
}

#[test]
fn the_scenario_hash_changes_with_the_content() {
    let a = builtin::load("edge-waf-regex").unwrap();
    let mut b = a.clone();
    assert_eq!(scenario_hash(&a), scenario_hash(&b));
    b.title.push('!');
    assert_ne!(scenario_hash(&a), scenario_hash(&b));
}

mod in_progress {
    use std::io::Write;

    use crate::engine::action::{Action, Role};
    use crate::history::live::{LiveHeader, LiveJournal, unfinished};
    use crate::inputs::TimedAction;
    use crate::scenario::{Duration, Severity};

    fn header() -> LiveHeader {
        LiveHeader {
            scenario: "edge-waf-regex".into(),
            scenario_hash: "0".into(),
            seed: 5,
            role: Role::Commander,
            trainee: Some("ana".into()),
            started_at: "2026-11-21T10:00:00Z".into(),
        }
    }

    fn timed(at: u64, action: Action) -> TimedAction {
        TimedAction {
            at: Duration::from_secs(at),
            action,
        }
    }

    #[test]
    fn a_killed_run_is_found_with_every_input_written_before_the_kill() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = LiveJournal::create(dir.path(), &header()).unwrap();
        journal.append(&timed(300, Action::Acknowledge)).unwrap();
        journal
            .append(&timed(330, Action::Declare(Severity::Sev1)))
            .unwrap();
        // Killed: the journal is never closed.
        drop(journal);

        let found = unfinished(dir.path());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].header, header());
        assert_eq!(found[0].actions.len(), 2);
        assert!(!found[0].cut);
        assert_eq!(found[0].inputs().role, Role::Commander);
    }

    #[test]
    fn a_line_cut_mid_write_is_dropped_and_the_rest_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = LiveJournal::create(dir.path(), &header()).unwrap();
        journal.append(&timed(300, Action::Acknowledge)).unwrap();
        drop(journal);
        let path = unfinished(dir.path())[0].path.clone();
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(br#"{"at":"5m30s","do":{"Decl"#).unwrap();
        drop(file);

        let found = unfinished(dir.path());
        assert_eq!(found[0].actions, [timed(300, Action::Acknowledge)]);
        assert!(found[0].cut);
        // Resuming replays what was kept; discarding removes only this file.
        found[0].discard().unwrap();
        assert!(unfinished(dir.path()).is_empty());
    }

    #[test]
    fn a_closed_run_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = LiveJournal::create(dir.path(), &header()).unwrap();
        journal.append(&timed(300, Action::Acknowledge)).unwrap();
        journal.close().unwrap();
        assert!(unfinished(dir.path()).is_empty());
    }
}

#[test]
fn a_branch_is_recorded_with_the_run_and_moment_it_branches_from() {
    let mut store = Store::in_memory().unwrap();
    let (parent, report) = recorded_run(&mut store, "ana", Role::Commander, 3);
    let scenario = builtin::load("edge-waf-regex").unwrap();
    let inputs = idle_inputs("ana", Role::Commander);
    let branch = store
        .record(&NewRun {
            scenario: &scenario,
            trainee: "ana",
            inputs: (&inputs).into(),
            report: &report,
            started_at: "2026-11-21T11:00:00Z".into(),
            ended_at: "2026-11-21T11:30:00Z".into(),
            abandoned: false,
            branch_of: Some(BranchOf {
                run: parent,
                at_s: 720,
            }),
        })
        .unwrap();
    let rows = store.runs(&Filter::default()).unwrap();
    assert_eq!(
        rows.iter().map(|r| (r.id, r.branch_of)).collect::<Vec<_>>(),
        [
            (parent, None),
            (
                branch,
                Some(BranchOf {
                    run: parent,
                    at_s: 720
                })
            )
        ]
    );
}

#[test]
fn a_version_1_history_gains_branches_and_keeps_its_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "INSERT INTO trainees (name) VALUES ('ana');
             INSERT INTO runs (scenario_id, scenario_hash, seed, started_at, ended_at, outcome,
                inputs, mtta_s, mttr_s, mtrs_s, can_score, total, report)
             VALUES ('edge-waf-regex', 'x', 1, '2026-11-01T10:00:00Z', '2026-11-01T10:40:00Z',
                'resolved', 'Inputs()', 60, 900, 960, 70, 81, '{}');
             INSERT INTO run_roles (run_id, trainee_id, role) VALUES (1, 1, 'tech');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let mut store = Store::open(dir.path()).unwrap();
    let old = &store.runs(&Filter::default()).unwrap()[0];
    assert_eq!(
        (old.id, old.total, old.mttr_s, old.branch_of),
        (1, 81, Some(900), None)
    );
    let (_, report) = recorded_run(&mut store, "ana", Role::Tech, 2);
    let scenario = builtin::load("edge-waf-regex").unwrap();
    let id = store
        .record(&NewRun {
            scenario: &scenario,
            trainee: "ana",
            inputs: (&idle_inputs("ana", Role::Tech)).into(),
            report: &report,
            started_at: "2026-11-21T11:00:00Z".into(),
            ended_at: "2026-11-21T11:30:00Z".into(),
            abandoned: false,
            branch_of: Some(BranchOf { run: 1, at_s: 60 }),
        })
        .unwrap();
    assert_eq!(id, 3);
    let version: u32 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 2);
}
