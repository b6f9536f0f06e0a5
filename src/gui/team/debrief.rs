//! The shared debrief of a team drill: every seat's scorecard, the team's times, the
//! whole timeline, the facilitator's notes and hints, the postmortem draft; the same
//! on every machine, from each one's replica. A person who held a role seat gets the
//! run recorded in this machine's history under their name and role, with the whole
//! drill, so rotation counts team drills and `firedrill replay` scores it.

use std::path::Path;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_core::drill;
use firedrill_core::engine::Engine;
use firedrill_core::history::{self, NewRun, RecordedInputs, Store};
use firedrill_net::drill::protocol::Seat;
use firedrill_panels::team_debrief::{TeamDebriefAction, TeamDebriefView, TeamTab, team_debrief};

use super::{Hosting, TeamDrill, leave};
use crate::gui::history::DataDir;
use crate::gui::{Screen, Step, root_ui};

/// The debrief on screen.
#[derive(Resource)]
struct Shown {
    view: TeamDebriefView,
    tab: TeamTab,
}

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::TeamDebrief), open.in_set(Step::Record))
        .add_systems(
            EguiPrimaryContextPass,
            draw.run_if(in_state(Screen::TeamDebrief)),
        );
}

fn open(
    mut commands: Commands,
    drill: Option<Res<TeamDrill>>,
    hosting: Option<Res<Hosting>>,
    dir: Res<DataDir>,
) {
    let Some(drill) = drill else {
        return;
    };
    let view = drill.link.with(|client| {
        let replica = client.replica();
        let engine = replica.engine();
        let mut view = TeamDebriefView::new(engine);
        if let (Seat::Role(role), Some(dir)) = (replica.seat(), &dir.0) {
            view.saved
                .push(record(dir, engine, replica.drill_file(), role, &drill));
        }
        view
    });
    let mut view = view;
    if let Some(saved) =
        hosting.and_then(|h| h.host.with(|s| s.drill().saved().map(Path::to_path_buf)))
    {
        view.saved.push(format!(
            "The drill is saved to {path}: firedrill run {id} --inputs {path} replays every seat's score.",
            path = saved.display(),
            id = view_id(&drill),
        ));
    }
    commands.insert_resource(Shown {
        view,
        tab: TeamTab::default(),
    });
}

fn view_id(drill: &TeamDrill) -> String {
    drill
        .link
        .with(|c| c.replica().engine().scenario().id.clone())
}

/// Records this person's seat in the history; says how it went.
fn record(
    dir: &Path,
    engine: &Engine,
    file: &drill::DrillFile,
    role: firedrill_core::engine::action::Role,
    drill: &TeamDrill,
) -> String {
    let report = drill::report(engine);
    let Some(seat) = report.seats.iter().find(|s| s.role == role) else {
        return format!(
            "Not recorded: nobody held the {} seat by name.",
            role.title()
        );
    };
    let run = report.seat_run(seat);
    let recorded = Store::open(dir).and_then(|mut store| {
        store.record(&NewRun {
            scenario: engine.scenario(),
            trainee: drill.name(),
            inputs: RecordedInputs::Drill { file, role },
            report: &run,
            started_at: drill.started_at.clone(),
            ended_at: history::now(),
            abandoned: false,
            branch_of: None,
        })
    });
    match recorded {
        Ok(id) => format!(
            "Recorded in this machine's history as run #{id} for {} as {}.",
            drill.name(),
            role.title()
        ),
        Err(error) => format!("Not recorded in the history: {error}"),
    }
}

fn draw(
    mut contexts: EguiContexts,
    shown: Option<ResMut<Shown>>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let Some(mut shown) = shown else {
        return Ok(());
    };
    let mut ui = root_ui(contexts.ctx_mut()?);
    let Shown { view, tab } = &mut *shown;
    if team_debrief(&mut ui, view, tab) == Some(TeamDebriefAction::Menu) {
        leave(&mut commands);
        commands.remove_resource::<Shown>();
        next.set(Screen::Menu);
    }
    Ok(())
}
