//! The briefing screen: the situation and the role's duties, then the clock starts.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_panels::briefing::{BriefingAction, BriefingView, briefing};

use super::sim::Live;
use super::{Choice, Screen, root_ui};

pub fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw.run_if(in_state(Screen::Briefing)),
    );
}

fn draw(
    mut contexts: EguiContexts,
    choice: Option<Res<Choice>>,
    mut live: ResMut<Live>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let Some(choice) = choice else {
        next.set(Screen::Menu);
        return Ok(());
    };
    let mut ui = root_ui(contexts.ctx_mut()?);
    let view = BriefingView::new(&choice.scenario, choice.role, choice.speed);
    match briefing(&mut ui, &view) {
        Some(BriefingAction::Begin) => {
            live.0 = None;
            next.set(Screen::WarRoom);
        }
        Some(BriefingAction::Back) => next.set(Screen::Menu),
        None => {}
    }
    Ok(())
}
