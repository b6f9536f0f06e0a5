//! The war room screen: draws the live session and sends the trainee's requests to
//! the sim bridge.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_panels::war_room::{WarRoomForms, build, war_room};

use super::sim::{Live, Request};
use super::{Screen, root_ui};

/// What the trainee is typing, kept between frames; cleared for each new run.
#[derive(Resource, Default)]
struct Forms(WarRoomForms);

pub fn plugin(app: &mut App) {
    app.init_resource::<Forms>()
        .add_systems(OnExit(Screen::WarRoom), |mut forms: ResMut<Forms>| {
            *forms = Forms::default();
        })
        .add_systems(
            EguiPrimaryContextPass,
            draw.run_if(in_state(Screen::WarRoom)),
        );
}

fn draw(
    mut contexts: EguiContexts,
    live: Res<Live>,
    mut forms: ResMut<Forms>,
    mut requests: MessageWriter<Request>,
) -> Result {
    let Some(session) = live.0.as_ref() else {
        return Ok(());
    };
    let mut ui = root_ui(contexts.ctx_mut()?);
    let view = build(session);
    for request in war_room(&mut ui, &view, &mut forms.0) {
        requests.write(Request(request));
    }
    Ok(())
}
