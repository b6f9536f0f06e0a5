//! The menu screen: the scenario library, the trainee's name, role and speed.

use std::sync::Arc;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_core::history::live::Unfinished;
use firedrill_core::scenario::Scenario;
use firedrill_panels::menu::{
    MenuAction, MenuForm, MenuView, RosterEntry, ScenarioCard, menu, suggest,
};

use super::history::{self, DataDir, ResumedFrom};
use super::sim::Live;
use super::{Choice, MenuPreset, Screen, root_ui};

#[derive(Resource)]
pub struct MenuState {
    library: Vec<Arc<Scenario>>,
    view: MenuView,
    form: MenuForm,
    /// Runs the app was killed in, oldest first; the menu offers the first.
    pub interrupted: Vec<Unfinished>,
    /// The name and team the suggestion was made for; `None` when it must be redone.
    suggested_for: Option<(String, Vec<String>)>,
    /// The seed of every run started from the menu.
    seed: u64,
}

impl MenuState {
    pub fn new(library: Vec<Arc<Scenario>>, preset: &MenuPreset) -> Self {
        let view = MenuView {
            scenarios: library.iter().map(|s| ScenarioCard::new(s)).collect(),
            ..MenuView::default()
        };
        let form = MenuForm {
            selected: preset
                .scenario
                .as_ref()
                .and_then(|id| library.iter().position(|s| &s.id == id))
                .unwrap_or(0),
            trainee: preset.trainee.clone().unwrap_or_default(),
            speed: preset.speed,
            ..MenuForm::default()
        };
        MenuState {
            library,
            view,
            form,
            interrupted: Vec::new(),
            suggested_for: None,
            seed: preset.seed,
        }
    }

    pub fn scenario(&self, id: &str) -> Option<Arc<Scenario>> {
        self.library.iter().find(|s| s.id == id).cloned()
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
    pub fn set_roster(&mut self, roster: Vec<RosterEntry>) {
        self.view.roster = roster;
        self.suggested_for = None;
    }

    pub fn notice(&mut self, notice: String) {
        self.view.notices.push(notice);
    }

    /// Suggests roles for the trainee and the team ticked, and preselects the trainee's,
    /// when either has changed since the last suggestion.
    pub fn refresh_suggestion(&mut self) {
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
    pub fn choice(&self) -> Option<Choice> {
        let scenario = self.library.get(self.form.selected)?.clone();
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
    app.add_systems(EguiPrimaryContextPass, draw.run_if(in_state(Screen::Menu)));
}

fn draw(
    mut contexts: EguiContexts,
    mut state: ResMut<MenuState>,
    dir: Res<DataDir>,
    mut live: ResMut<Live>,
    mut resumed: ResMut<ResumedFrom>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let mut ui = root_ui(contexts.ctx_mut()?);
    state.view.interrupted = state.interrupted.first().map(describe);
    let MenuState { view, form, .. } = &mut *state;
    let Some(action) = menu(&mut ui, view, form) else {
        return Ok(());
    };
    match action {
        MenuAction::Brief => {
            if let Some(choice) = state.choice() {
                commands.insert_resource(choice);
                next.set(Screen::Briefing);
            }
        }
        MenuAction::Resume => {
            let run = state.interrupted.remove(0);
            match history::resume(&run, &state, &mut live) {
                Ok(choice) => {
                    commands.insert_resource(choice);
                    resumed.0 = Some(run);
                    next.set(Screen::WarRoom);
                }
                Err(problem) => state.notice(problem),
            }
        }
        MenuAction::Progress => next.set(Screen::Progress),
        MenuAction::Abandon => {
            let run = state.interrupted.remove(0);
            let notice = history::abandon(&run, &state, &dir).unwrap_or_else(|e| e);
            state.notice(notice);
        }
    }
    Ok(())
}

/// "Interrupted: edge-waf-regex as Incident Commander (ana), 3 inputs, at 12m."
fn describe(run: &Unfinished) -> String {
    let at = run.actions.last().map_or_else(
        || "before any input".to_string(),
        |a| format!("last input at {}", a.at),
    );
    format!(
        "firedrill stopped during a run: {} as {}{}, {} inputs, {at}.",
        run.header.scenario,
        run.header.role.title(),
        run.header
            .trainee
            .as_ref()
            .map_or_else(String::new, |t| format!(" ({t})")),
        run.actions.len()
    )
}
