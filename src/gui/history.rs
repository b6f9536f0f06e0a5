//! The app's memory: journals the run in progress input by input (so killing the app
//! loses nothing), records finished runs in the history, offers to resume or abandon
//! an interrupted run, and gives the menu everyone's past runs for role suggestions.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;
use firedrill_core::history::live::{LiveHeader, LiveJournal, Unfinished, unfinished};
use firedrill_core::history::{self, Filter, NewRun, Store, scenario_hash};
use firedrill_core::run;
use firedrill_core::session::Session;
use firedrill_panels::menu::roster;

use super::debrief::DebriefState;
use super::menu::MenuState;
use super::sim::{self, Live};
use super::{Choice, Screen};

/// The data directory, when there is one.
#[derive(Resource, Clone)]
pub struct DataDir(pub Option<PathBuf>);

/// The journal of the run being played, and how many of its inputs are on disk.
#[derive(Resource, Default)]
struct Journal(Option<(LiveJournal, usize)>);

/// When the run being played started, on the wall clock.
#[derive(Resource, Default)]
struct StartedAt(String);

/// The journal of an interrupted run being resumed, removed once the new journal holds
/// all of its inputs.
#[derive(Resource, Default)]
pub struct ResumedFrom(pub Option<Unfinished>);

pub fn plugin(app: &mut App) {
    app.init_resource::<Journal>()
        .init_resource::<StartedAt>()
        .init_resource::<ResumedFrom>()
        .add_systems(Startup, find_interrupted)
        .add_systems(OnEnter(Screen::WarRoom), open_journal.after(sim::start))
        .add_systems(
            Update,
            write_journal
                .after(sim::apply_requests)
                .run_if(in_state(Screen::WarRoom)),
        )
        .add_systems(OnEnter(Screen::Debrief), record.after(super::debrief::open))
        .add_systems(OnEnter(Screen::Menu), load_roster)
        .add_systems(Update, suggest_roles.run_if(in_state(Screen::Menu)));
}

fn find_interrupted(dir: Res<DataDir>, mut menu: ResMut<MenuState>) {
    if let Some(dir) = &dir.0 {
        menu.interrupted = unfinished(dir);
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
    journal.0 = LiveJournal::create(dir, &header).ok().map(|j| (j, 0));
    if append_new(session, &mut journal)
        && let Some(old) = resumed.0.take()
    {
        let _ = old.discard();
    }
}

fn write_journal(live: Res<Live>, mut journal: ResMut<Journal>) {
    if let Some(session) = &live.0 {
        append_new(session, &mut journal);
    }
}

/// Appends every input accepted since the last call; false when nothing is journaled.
fn append_new(session: &Session, journal: &mut Journal) -> bool {
    let Some((file, written)) = journal.0.as_mut() else {
        return false;
    };
    for action in &session.recording().actions[*written..] {
        if file.append(action).is_err() {
            // The disk refused: keep playing; the debrief still saves the inputs.
            journal.0 = None;
            return false;
        }
        *written += 1;
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
        if let Some((file, _)) = journal.0.take() {
            let _ = file.close();
        }
        return;
    };
    let message = match store_run(dir, session, &trainee, &started.0, false) {
        Ok(id) => {
            if let Some((file, _)) = journal.0.take() {
                let _ = file.close();
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
    dir: &std::path::Path,
    session: &Session,
    trainee: &str,
    started_at: &str,
    abandoned: bool,
) -> Result<i64, String> {
    let mut store = Store::open(dir).map_err(|e| e.to_string())?;
    let report = run::report(session.engine());
    store
        .record(&NewRun {
            scenario: session.engine().scenario(),
            trainee,
            inputs: session.recording(),
            report: &report,
            started_at: started_at.to_string(),
            ended_at: history::now(),
            abandoned,
        })
        .map_err(|e| e.to_string())
}

/// Puts the interrupted run back in play, paused where it stopped. The war room then
/// journals it afresh and only then drops the old journal ([`ResumedFrom`]).
pub fn resume(run: &Unfinished, menu: &MenuState, live: &mut Live) -> Result<Choice, String> {
    let scenario = find_scenario(run, menu)?;
    let session = Session::resume(Arc::clone(&scenario), run.header.seed, &run.inputs());
    let choice = Choice {
        scenario,
        role: run.header.role,
        trainee: run.header.trainee.clone(),
        seed: run.header.seed,
        speed: 1.0,
    };
    live.0 = Some(session);
    Ok(choice)
}

/// Plays the interrupted run out without the trainee and records it as abandoned.
pub fn abandon(run: &Unfinished, menu: &MenuState, dir: &DataDir) -> Result<String, String> {
    let scenario = find_scenario(run, menu)?;
    let mut session = Session::resume(scenario, run.header.seed, &run.inputs());
    session.finish();
    let trainee = run
        .header
        .trainee
        .clone()
        .unwrap_or_else(|| "anonymous".into());
    let Some(dir) = &dir.0 else {
        return Err("no data directory".into());
    };
    let id = store_run(dir, &session, &trainee, &run.header.started_at, true)?;
    run.discard().map_err(|e| e.to_string())?;
    Ok(format!(
        "Recorded the interrupted run as run #{id}, abandoned."
    ))
}

fn find_scenario(
    run: &Unfinished,
    menu: &MenuState,
) -> Result<Arc<firedrill_core::scenario::Scenario>, String> {
    menu.scenario(&run.header.scenario).ok_or_else(|| {
        format!(
            "scenario {} is not in the library: start firedrill with it (firedrill play FILE)",
            run.header.scenario
        )
    })
}

/// Everyone's past runs, for the menu's roster and suggestions: read each time the
/// menu opens, so a run just recorded counts.
fn load_roster(dir: Res<DataDir>, mut menu: ResMut<MenuState>) {
    let Some(dir) = &dir.0 else {
        return;
    };
    match Store::open(dir).and_then(|store| store.runs(&Filter::default())) {
        Ok(rows) => menu.set_roster(roster(&rows)),
        Err(error) => menu.notice(format!("The history could not be read: {error}")),
    }
}

/// Suggests roles when the trainee's name or the team ticked changes.
fn suggest_roles(mut menu: ResMut<MenuState>) {
    menu.refresh_suggestion();
}
