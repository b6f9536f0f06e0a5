//! The app's memory: journals the run in progress input by input (so killing the app
//! loses nothing), records finished runs in the history, finds the runs the app was
//! killed in and resumes, abandons or discards them as the menu asks, and reads
//! everyone's past runs for the menu and the progress screen.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bevy::prelude::*;
use firedrill_core::history::live::{LiveHeader, LiveJournal, Unfinished, unfinished};
use firedrill_core::history::{self, BranchOf, Filter, NewRun, RunRow, Store, scenario_hash};
use firedrill_core::inputs::TimedAction;
use firedrill_core::run;
use firedrill_core::scenario::Scenario;
use firedrill_core::session::{Refused, Session};

use super::debrief::DebriefState;
use super::sim::Live;
use super::{Choice, Library, Screen, Step};

/// The data directory, when there is one.
#[derive(Resource, Clone)]
pub struct DataDir(pub Option<PathBuf>);

/// The journal of the run being played.
#[derive(Resource, Default)]
struct Journal(Option<Written>);

/// A live journal and what is on disk in it.
struct Written {
    file: LiveJournal,
    header: LiveHeader,
    /// The scenario the run plays; a preview's reload puts another in its place.
    scenario: Arc<Scenario>,
    /// The inputs on disk; a preview's jump back replaces the run with one that has
    /// fewer.
    inputs: Vec<TimedAction>,
}

impl Written {
    /// A new, empty journal of `session`'s run; none when the disk refuses.
    fn start(dir: &Path, header: LiveHeader, session: &Session) -> Option<Written> {
        let file = LiveJournal::create(dir, &header).ok()?;
        Some(Written {
            file,
            header,
            scenario: Arc::clone(&session.engine().state().scenario),
            inputs: Vec::new(),
        })
    }

    /// Whether `session` is the run on disk, or that run played on.
    fn holds(&self, session: &Session) -> bool {
        Arc::ptr_eq(&self.scenario, &session.engine().state().scenario)
            && session.recording().actions.starts_with(&self.inputs)
    }
}

/// When the run being played started, on the wall clock.
#[derive(Resource, Default)]
struct StartedAt(String);

/// Runs the app was killed in, found at start-up, oldest first; the menu offers the
/// first.
#[derive(Resource, Default)]
pub struct Interrupted(pub Vec<Unfinished>);

/// The journal of an interrupted run being resumed, removed once the new journal holds
/// all of its inputs.
#[derive(Resource, Default)]
pub struct ResumedFrom(pub Option<Unfinished>);

pub fn plugin(app: &mut App) {
    app.init_resource::<Journal>()
        .init_resource::<StartedAt>()
        .init_resource::<Interrupted>()
        .init_resource::<ResumedFrom>()
        .add_systems(Startup, find_interrupted.in_set(Step::Show))
        .add_systems(OnEnter(Screen::WarRoom), open_journal.in_set(Step::Record))
        .add_systems(
            Update,
            write_journal
                .in_set(Step::Record)
                .run_if(in_state(Screen::WarRoom)),
        )
        .add_systems(OnEnter(Screen::Debrief), record.in_set(Step::Record));
}

fn find_interrupted(dir: Res<DataDir>, mut interrupted: ResMut<Interrupted>) {
    if let Some(dir) = &dir.0 {
        interrupted.0 = unfinished(dir);
    }
}

fn open_journal(
    dir: Res<DataDir>,
    live: Res<Live>,
    mut journal: ResMut<Journal>,
    mut resumed: ResMut<ResumedFrom>,
    mut started: ResMut<StartedAt>,
) {
    let (Some(dir), Some(session)) = (&dir.0, &live.0) else {
        return;
    };
    if !session.engine().humans().contains(&session.role()) {
        return;
    }
    let recording = session.recording();
    let header = LiveHeader {
        scenario: recording.scenario.clone(),
        scenario_hash: scenario_hash(session.engine().scenario()),
        seed: session.engine().seed(),
        role: recording.role,
        trainee: recording.trainee.clone(),
        started_at: resumed
            .0
            .as_ref()
            .map_or_else(history::now, |run| run.header.started_at.clone()),
    };
    started.0 = header.started_at.clone();
    journal.0 = Written::start(dir, header, session);
    if append_new(session, &mut journal)
        && let Some(old) = resumed.0.take()
    {
        let _ = old.discard();
    }
}

fn write_journal(dir: Res<DataDir>, live: Res<Live>, mut journal: ResMut<Journal>) {
    let Some(session) = &live.0 else {
        return;
    };
    if let Some(dir) = &dir.0
        && journal.0.as_ref().is_some_and(|w| !w.holds(session))
        && let Some(old) = journal.0.take()
    {
        // A preview played the run again: its journal starts over, from the same start.
        let mut header = old.header.clone();
        header.scenario_hash = scenario_hash(session.engine().scenario());
        let _ = old.file.close();
        journal.0 = Written::start(dir, header, session);
    }
    append_new(session, &mut journal);
}

/// Appends every input accepted since the last call; false when nothing is journaled.
fn append_new(session: &Session, journal: &mut Journal) -> bool {
    let Some(written) = journal.0.as_mut() else {
        return false;
    };
    let on_disk = written.inputs.len();
    for action in session.recording().actions.iter().skip(on_disk) {
        if written.file.append(action).is_err() {
            // The disk refused: keep playing; the debrief still saves the inputs.
            journal.0 = None;
            return false;
        }
        written.inputs.push(action.clone());
    }
    true
}

/// Records the finished run under the trainee's name, then drops its journal.
fn record(
    dir: Res<DataDir>,
    started: Res<StartedAt>,
    live: Res<Live>,
    mut journal: ResMut<Journal>,
    mut debrief: Option<ResMut<DebriefState>>,
) {
    let (Some(dir), Some(session)) = (&dir.0, &live.0) else {
        return;
    };
    let Some(trainee) = session.recording().trainee.clone() else {
        if let Some(written) = journal.0.take() {
            let _ = written.file.close();
        }
        return;
    };
    let branch_of = debrief.as_ref().and_then(|d| d.branch_of);
    let message = match store_run(dir, session, &trainee, &started.0, false, branch_of) {
        Ok(id) => {
            if let Some(debrief) = debrief.as_mut() {
                debrief.recorded = Some(id);
            }
            if let Some(written) = journal.0.take() {
                let _ = written.file.close();
            }
            format!("Recorded in the history as run #{id} for {trainee}.")
        }
        Err(error) => format!("Not recorded in the history ({error}); the run's journal is kept."),
    };
    if let Some(debrief) = debrief.as_mut() {
        debrief.forms.messages.push(message);
    }
}

fn store_run(
    dir: &Path,
    session: &Session,
    trainee: &str,
    started_at: &str,
    abandoned: bool,
    branch_of: Option<BranchOf>,
) -> Result<i64, String> {
    let mut store = Store::open(dir).map_err(|e| e.to_string())?;
    let report = run::report(session.engine());
    store
        .record(&NewRun {
            scenario: session.engine().scenario(),
            trainee,
            inputs: session.recording().into(),
            report: &report,
            started_at: started_at.to_string(),
            ended_at: history::now(),
            abandoned,
            branch_of,
        })
        .map_err(|e| e.to_string())
}

/// An interrupted run put back in play ([`resume`]).
pub struct Resumption {
    pub choice: Choice,
    /// What the war room tells the trainee about the replay, if anything.
    pub note: Option<String>,
    /// How many inputs the resumed run holds.
    pub inputs: usize,
}

/// Puts the interrupted run back in play, paused where it stopped, on the library's
/// scenario of its id, changed or not (the menu has said so). The war room then
/// journals it afresh and only then drops the old journal ([`ResumedFrom`]).
pub fn resume(run: &Unfinished, library: &Library, live: &mut Live) -> Result<Resumption, String> {
    let scenario = find_scenario(run, library)?;
    let changed = !run.played_on(&scenario);
    let resumed = Session::resume(Arc::clone(&scenario), run.header.seed, &run.inputs());
    let resumption = Resumption {
        choice: Choice {
            scenario,
            role: run.header.role,
            trainee: run.header.trainee.clone(),
            seed: run.header.seed,
            speed: 1.0,
        },
        note: resume_note(changed, run.actions.len(), &resumed.refused),
        inputs: resumed.session.recording().actions.len(),
    };
    live.0 = Some(resumed.session);
    Ok(resumption)
}

/// "Resumed on the changed scenario, which refused 1 of your 3 inputs: at 5m: could
/// not investigate: there is no investigation "x"."
fn resume_note(changed: bool, inputs: usize, refused: &[Refused]) -> Option<String> {
    let list = || {
        refused
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    };
    let of_yours = |n: usize| {
        format!(
            "{n} of your {inputs} input{}",
            if inputs == 1 { "" } else { "s" }
        )
    };
    match (changed, refused.len()) {
        (false, 0) => None,
        (true, 0) => Some("Resumed on the changed scenario: it took all your inputs again.".into()),
        (true, n) => Some(format!(
            "Resumed on the changed scenario, which refused {}: {}.",
            of_yours(n),
            list()
        )),
        (false, n) => Some(format!(
            "Resumed where firedrill stopped; {} {} refused when replayed: {}.",
            of_yours(n),
            if n == 1 { "was" } else { "were" },
            list()
        )),
    }
}

/// Plays the interrupted run out without the trainee and records it as abandoned.
/// Refused when its scenario has changed since: the score would be of a scenario the
/// run was not played on.
pub fn abandon(run: &Unfinished, library: &Library, dir: &DataDir) -> Result<String, String> {
    let scenario = find_scenario(run, library)?;
    if !run.played_on(&scenario) {
        return Err(format!(
            "Scenario {} has changed since the interrupted run: it cannot be scored as it was played. Resume it on the changed scenario or discard it.",
            scenario.id
        ));
    }
    let mut session = Session::resume(scenario, run.header.seed, &run.inputs()).session;
    session.finish();
    let trainee = run
        .header
        .trainee
        .clone()
        .unwrap_or_else(|| "anonymous".into());
    let Some(dir) = &dir.0 else {
        return Err("no data directory".into());
    };
    let id = store_run(dir, &session, &trainee, &run.header.started_at, true, None)?;
    run.discard().map_err(|e| e.to_string())?;
    Ok(format!(
        "Recorded the interrupted run as run #{id}, abandoned."
    ))
}

/// Forgets the interrupted run without recording it.
pub fn discard(run: &Unfinished) -> String {
    match run.discard() {
        Ok(()) => format!(
            "Discarded the interrupted run of {}: it is not in the history.",
            run.header.scenario
        ),
        Err(error) => format!(
            "The interrupted run's journal {} could not be removed: {error}",
            run.path.display()
        ),
    }
}

fn find_scenario(run: &Unfinished, library: &Library) -> Result<Arc<Scenario>, String> {
    library.find(&run.header.scenario).cloned().ok_or_else(|| {
        format!(
            "scenario {} is not in the library: start firedrill with it (firedrill play FILE)",
            run.header.scenario
        )
    })
}

/// Everyone's recorded runs, oldest first, or why the history could not be read.
pub fn all_runs(dir: &Path) -> Result<Vec<RunRow>, String> {
    Store::open(dir)
        .and_then(|store| store.runs(&Filter::default()))
        .map_err(|error| format!("The history could not be read: {error}"))
}
