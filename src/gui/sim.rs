//! The sim bridge: owns the live session, moves it forward with frame time × speed
//! while the war room is open, and applies the trainee's requests, which arrive as
//! [`Request`] messages from the war-room panel (or from tests).

use bevy::prelude::*;
use firedrill_core::session::Session;
use firedrill_panels::war_room::WarRoomAction;

use super::{Choice, Screen, Step};

/// The run being played, if any.
#[derive(Resource, Default)]
pub struct Live(pub Option<Session>);

/// Something the trainee asked for in the war room.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct Request(pub WarRoomAction);

pub fn plugin(app: &mut App) {
    app.init_resource::<Live>()
        .add_message::<Request>()
        .add_systems(OnEnter(Screen::WarRoom), start.in_set(Step::Advance))
        .add_systems(
            Update,
            (apply_requests, pass_time)
                .chain()
                .in_set(Step::Advance)
                .run_if(in_state(Screen::WarRoom)),
        );
}

/// Starts the chosen run, unless one is already live (a screenshot's fast-forward).
fn start(mut live: ResMut<Live>, choice: Option<Res<Choice>>) {
    if live.0.is_some() {
        return;
    }
    if let Some(choice) = choice {
        let mut session = Session::new(
            choice.scenario.clone(),
            choice.seed,
            choice.role,
            choice.trainee.clone(),
        );
        session.set_speed(choice.speed);
        live.0 = Some(session);
    }
}

/// The most real time one frame may move the sim. The running war room draws at least
/// every half second ([`super::pace`]), so this never slows the clock; it only keeps a
/// frame after a long wait (an unpause, a machine waking from sleep) from leaping ahead.
const MAX_FRAME_STEP: std::time::Duration = std::time::Duration::from_millis(500);

/// Moves the run by the real time since the last frame. Real, not virtual, time:
/// Bevy's virtual clock caps a frame at 250 ms, which would halve the sim's speed when
/// the app sleeps 500 ms between frames.
fn pass_time(time: Res<Time<Real>>, mut live: ResMut<Live>) {
    if let Some(session) = live.0.as_mut() {
        session.pass(time.delta().min(MAX_FRAME_STEP));
    }
}

fn apply_requests(
    mut requests: MessageReader<Request>,
    mut live: ResMut<Live>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(session) = live.0.as_mut() else {
        return;
    };
    for Request(request) in requests.read() {
        match request {
            WarRoomAction::Do(action) => {
                // Refusals land in the journal and show as a notice; a run that has
                // ended takes no more input, which the panel already shows.
                let _ = session.submit(action.clone());
            }
            WarRoomAction::SetPaused(paused) => session.set_paused(*paused),
            WarRoomAction::SetSpeed(speed) => session.set_speed(*speed),
            WarRoomAction::Debrief => {
                session.finish();
                next.set(Screen::Debrief);
            }
            // The author's preview plays the run again (`watch`).
            WarRoomAction::Jump(_) => {}
        }
    }
}
