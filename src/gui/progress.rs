//! The progress screen: every recorded run of every trainee, read from the history
//! each time the screen opens.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_panels::progress::{ProgressAction, ProgressForm, ProgressView, progress};

use super::history::{self, DataDir};
use super::menu::MenuState;
use super::{Screen, Step, root_ui};

#[derive(Resource, Default)]
pub struct ProgressState {
    pub view: ProgressView,
    pub form: ProgressForm,
}

pub fn plugin(app: &mut App) {
    app.init_resource::<ProgressState>()
        .add_systems(OnEnter(Screen::Progress), load.in_set(Step::Show))
        .add_systems(
            EguiPrimaryContextPass,
            draw.run_if(in_state(Screen::Progress)),
        );
}

/// Reads the history, showing the trainee named in the menu first.
fn load(dir: Res<DataDir>, menu: Res<MenuState>, mut state: ResMut<ProgressState>) {
    state.view = match &dir.0 {
        Some(dir) => match history::all_runs(dir) {
            Ok(rows) => ProgressView::new(&rows),
            Err(problem) => ProgressView {
                problem: Some(problem),
                ..ProgressView::default()
            },
        },
        None => ProgressView {
            problem: Some("This window keeps no history (it was started for a screenshot).".into()),
            ..ProgressView::default()
        },
    };
    let trainee = menu.trainee().trim();
    if !trainee.is_empty() {
        state.form.trainee = trainee.to_string();
    }
}

fn draw(
    mut contexts: EguiContexts,
    mut state: ResMut<ProgressState>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let mut ui = root_ui(contexts.ctx_mut()?);
    let ProgressState { view, form } = &mut *state;
    if progress(&mut ui, view, form) == Some(ProgressAction::Menu) {
        next.set(Screen::Menu);
    }
    Ok(())
}
