//! The menu screen: the scenario library, the trainee's name, role and speed.

use std::sync::Arc;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_core::scenario::Scenario;
use firedrill_panels::menu::{MenuAction, MenuForm, MenuView, ScenarioCard, menu};

use super::{Choice, Screen, root_ui};

#[derive(Resource)]
pub struct MenuState {
    library: Vec<Arc<Scenario>>,
    view: MenuView,
    form: MenuForm,
}

impl MenuState {
    pub fn new(library: Vec<Arc<Scenario>>, preselect: Option<&str>) -> Self {
        let view = MenuView {
            scenarios: library.iter().map(|s| ScenarioCard::new(s)).collect(),
            suggestion: None,
        };
        let form = MenuForm {
            selected: preselect
                .and_then(|id| library.iter().position(|s| s.id == id))
                .unwrap_or(0),
            ..MenuForm::default()
        };
        MenuState {
            library,
            view,
            form,
        }
    }

    /// The run the menu's choices describe.
    pub fn choice(&self) -> Option<Choice> {
        let scenario = self.library.get(self.form.selected)?.clone();
        let trainee = self.form.trainee.trim();
        Some(Choice {
            scenario,
            role: self.form.role,
            trainee: (!trainee.is_empty()).then(|| trainee.to_string()),
            seed: 1,
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
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let mut ui = root_ui(contexts.ctx_mut()?);
    let MenuState { view, form, .. } = &mut *state;
    if menu(&mut ui, view, form) == Some(MenuAction::Brief)
        && let Some(choice) = state.choice()
    {
        commands.insert_resource(choice);
        next.set(Screen::Briefing);
    }
    Ok(())
}
