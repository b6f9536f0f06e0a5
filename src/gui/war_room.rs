//! The war room screen: draws the live session and sends the trainee's requests to
//! the sim bridge; after a resume, says how the recorded inputs replayed.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_core::session::Session;
use firedrill_panels::war_room::{WarRoomForms, build, war_room};

use super::sim::{Live, Request};
use super::watch::Watch;
use super::{Screen, Step, root_ui};

/// What the trainee is typing, kept between frames; cleared for each new run.
#[derive(Resource, Default)]
struct Forms(WarRoomForms);

/// What to tell the trainee about the run just resumed (the inputs the replay refused),
/// shown in the notice line until a newer refusal or their first new input; cleared
/// when they leave the war room.
#[derive(Resource, Default)]
pub struct ResumeNote {
    text: Option<String>,
    /// The inputs the resumed run started with.
    inputs: usize,
}

impl ResumeNote {
    pub fn new(text: Option<String>, inputs: usize) -> Self {
        ResumeNote { text, inputs }
    }

    /// The note, while the trainee has not acted since resuming.
    pub fn shown(&self, session: &Session) -> Option<&str> {
        self.text
            .as_deref()
            .filter(|_| session.recording().actions.len() <= self.inputs)
    }
}

pub fn plugin(app: &mut App) {
    app.init_resource::<Forms>()
        .init_resource::<ResumeNote>()
        .add_systems(
            OnExit(Screen::WarRoom),
            (|mut forms: ResMut<Forms>, mut note: ResMut<ResumeNote>| {
                *forms = Forms::default();
                *note = ResumeNote::default();
            })
            .in_set(Step::Show),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw.run_if(in_state(Screen::WarRoom)),
        );
}

fn draw(
    mut contexts: EguiContexts,
    live: Res<Live>,
    mut forms: ResMut<Forms>,
    note: Res<ResumeNote>,
    watch: Option<Res<Watch>>,
    mut requests: MessageWriter<Request>,
) -> Result {
    let Some(session) = live.0.as_ref() else {
        return Ok(());
    };
    let mut ui = root_ui(contexts.ctx_mut()?);
    let mut view = build(session);
    if view.notice.is_none() {
        view.notice = note.shown(session).map(str::to_string);
    }
    view.preview = watch.map(|watch| watch.preview(session));
    for request in war_room(&mut ui, &view, &mut forms.0) {
        requests.write(Request(request));
    }
    Ok(())
}
