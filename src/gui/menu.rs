//! The menu screen: the scenario library, the trainee's name, role and speed, the
//! roster with role suggestions, and the run the app was killed in.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_core::history::live::Unfinished;
use firedrill_panels::menu::{
    InterruptedRun, MenuAction, MenuForm, MenuView, RosterEntry, ScenarioCard, menu, roster,
    suggest,
};

use super::history::{self, DataDir, Interrupted, ResumedFrom};
use super::sim::Live;
use super::team::connect::ConnectState;
use super::war_room::ResumeNote;
use super::{Choice, Library, MenuPreset, Screen, Step, root_ui};

#[derive(Resource)]
pub struct MenuState {
    view: MenuView,
    form: MenuForm,
    /// The name and team the suggestion was made for; `None` when it must be redone.
    suggested_for: Option<(String, Vec<String>)>,
    /// The seed of every run started from the menu.
    seed: u64,
}

impl MenuState {
    pub fn new(library: &Library, preset: &MenuPreset) -> Self {
        let scenarios = library.scenarios();
        let view = MenuView {
            scenarios: scenarios.iter().map(|s| ScenarioCard::new(s)).collect(),
            ..MenuView::default()
        };
        let form = MenuForm {
            selected: preset
                .scenario
                .as_ref()
                .and_then(|id| scenarios.iter().position(|s| &s.id == id))
                .unwrap_or(0),
            trainee: preset.trainee.clone().unwrap_or_default(),
            speed: preset.speed,
            ..MenuForm::default()
        };
        MenuState {
            view,
            form,
            suggested_for: None,
            seed: preset.seed,
        }
    }

    #[cfg(test)]
    pub fn view(&self) -> &MenuView {
        &self.view
    }

    /// Types a name into the menu, as a trainee would.
    #[cfg(test)]
    pub fn type_trainee(&mut self, name: &str) {
        self.form.trainee = name.to_string();
    }

    pub fn trainee(&self) -> &str {
        &self.form.trainee
    }

    /// Who has played here; the suggestion is redone from it.
    fn set_roster(&mut self, roster: Vec<RosterEntry>) {
        self.view.roster = roster;
        self.suggested_for = None;
    }

    fn notice(&mut self, notice: String) {
        self.view.notices.push(notice);
    }

    /// Suggests roles for the trainee and the team ticked, and preselects the trainee's,
    /// when either has changed since the last suggestion.
    fn refresh_suggestion(&mut self) {
        let asked = (self.form.trainee.trim().to_string(), self.form.team.clone());
        if self.suggested_for.as_ref() == Some(&asked) {
            return;
        }
        let (suggestion, team) = suggest(&self.view.roster, &asked.0, &asked.1);
        if let Some(s) = &suggestion {
            self.form.role = s.role;
        }
        self.view.suggestion = suggestion;
        self.view.team = team;
        self.suggested_for = Some(asked);
    }

    /// The run the menu's choices describe.
    pub fn choice(&self, library: &Library) -> Option<Choice> {
        let scenario = library.scenarios().get(self.form.selected)?.clone();
        let trainee = self.form.trainee.trim();
        Some(Choice {
            scenario,
            role: self.form.role,
            trainee: (!trainee.is_empty()).then(|| trainee.to_string()),
            seed: self.seed,
            speed: self.form.speed,
        })
    }
}

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Menu), load_roster.in_set(Step::Show))
        .add_systems(
            Update,
            (offer_interrupted, suggest_roles)
                .in_set(Step::Show)
                .run_if(in_state(Screen::Menu)),
        )
        .add_systems(EguiPrimaryContextPass, draw.run_if(in_state(Screen::Menu)));
}

/// Everyone's past runs, for the roster and suggestions: read each time the menu opens,
/// so a run just recorded counts.
fn load_roster(dir: Res<DataDir>, mut menu: ResMut<MenuState>) {
    let Some(dir) = &dir.0 else {
        return;
    };
    match history::all_runs(dir) {
        Ok(rows) => menu.set_roster(roster(&rows)),
        Err(problem) => menu.notice(problem),
    }
}

/// Suggests roles when the trainee's name or the team ticked changes.
fn suggest_roles(mut menu: ResMut<MenuState>) {
    menu.refresh_suggestion();
}

/// Offers the first run the app was killed in, when the list has changed.
fn offer_interrupted(
    interrupted: Res<Interrupted>,
    library: Res<Library>,
    mut menu: ResMut<MenuState>,
) {
    if interrupted.is_changed() {
        menu.view.interrupted = interrupted.0.first().map(|run| offer(run, &library));
    }
}

/// What the menu can be asked to do with the run the app was killed in.
#[derive(bevy::ecs::system::SystemParam)]
struct Runs<'w> {
    library: Res<'w, Library>,
    dir: Res<'w, DataDir>,
    interrupted: ResMut<'w, Interrupted>,
    live: ResMut<'w, Live>,
    resumed: ResMut<'w, ResumedFrom>,
    connect: ResMut<'w, ConnectState>,
}

fn draw(
    mut contexts: EguiContexts,
    mut state: ResMut<MenuState>,
    mut runs: Runs,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let mut ui = root_ui(contexts.ctx_mut()?);
    let MenuState { view, form, .. } = &mut *state;
    let Some(action) = menu(&mut ui, view, form) else {
        return Ok(());
    };
    match action {
        MenuAction::Brief => {
            if let Some(choice) = state.choice(&runs.library) {
                commands.insert_resource(choice);
                next.set(Screen::Briefing);
            }
        }
        MenuAction::Progress => next.set(Screen::Progress),
        MenuAction::TeamDrill => {
            runs.connect.prefill(state.trainee());
            next.set(Screen::Connect);
        }
        MenuAction::Resume => {
            let run = runs.interrupted.0.remove(0);
            match history::resume(&run, &runs.library, &mut runs.live) {
                Ok(resumption) => {
                    commands.insert_resource(resumption.choice);
                    commands.insert_resource(ResumeNote::new(resumption.note, resumption.inputs));
                    runs.resumed.0 = Some(run);
                    next.set(Screen::WarRoom);
                }
                Err(problem) => state.notice(problem),
            }
        }
        MenuAction::Abandon => {
            let run = runs.interrupted.0.remove(0);
            let notice = history::abandon(&run, &runs.library, &runs.dir).unwrap_or_else(|e| e);
            state.notice(notice);
        }
        MenuAction::Discard => {
            let run = runs.interrupted.0.remove(0);
            state.notice(history::discard(&run));
        }
    }
    Ok(())
}

/// The interrupted run as the menu offers it: what it was, and whether the library's
/// scenario of its id is still the one it was played on.
fn offer(run: &Unfinished, library: &Library) -> InterruptedRun {
    InterruptedRun {
        description: describe(run),
        scenario_changed: library
            .find(&run.header.scenario)
            .is_some_and(|scenario| !run.played_on(scenario)),
    }
}

/// "firedrill stopped during a run: edge-waf-regex as Incident Commander (ana),
/// 3 inputs, last input at 12m." ("..., 1 input, ...", "..., 0 inputs, before any
/// input.").
fn describe(run: &Unfinished) -> String {
    let at = run.actions.last().map_or_else(
        || "before any input".to_string(),
        |a| format!("last input at {}", a.at),
    );
    let inputs = run.actions.len();
    format!(
        "firedrill stopped during a run: {} as {}{}, {inputs} input{}, {at}.",
        run.header.scenario,
        run.header.role.title(),
        run.header
            .trainee
            .as_ref()
            .map_or_else(String::new, |t| format!(" ({t})")),
        if inputs == 1 { "" } else { "s" },
    )
}
