//! `--screenshot FILE [--at DURATION|end]`: fast-forward with bots playing every
//! role, show the screen, save one frame as PNG and exit. For documentation and CI.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::window::screenshot::{Screenshot, save_to_disk};
use firedrill_core::session::Session;

use super::sim::Live;
use super::{Choice, Screen, ShotAt, Step};

/// Frames to let the layout settle before the shot.
const SETTLE_FRAMES: u32 = 30;
/// Frames to wait for the file before giving up.
const GIVE_UP_FRAMES: u32 = 600;

#[derive(Resource, Clone, Debug)]
pub struct Shot {
    pub path: PathBuf,
    pub at: Option<ShotAt>,
}

pub fn plugin(app: &mut App) {
    app.add_systems(Startup, fast_forward.in_set(Step::Advance))
        .add_systems(Update, shoot.in_set(Step::Show));
}

/// Puts a spectated run at the requested time, on the screen that shows it.
fn fast_forward(
    shot: Res<Shot>,
    choice: Option<Res<Choice>>,
    mut live: ResMut<Live>,
    mut next: ResMut<NextState<Screen>>,
) {
    let (Some(at), Some(choice)) = (shot.at, choice) else {
        return;
    };
    let mut session = Session::spectate(choice.scenario.clone(), choice.seed, choice.role);
    session.set_speed(choice.speed);
    match at {
        ShotAt::Time(time) => {
            session.fast_forward_to(time);
            next.set(Screen::WarRoom);
        }
        ShotAt::End => {
            session.finish();
            next.set(Screen::Debrief);
        }
    }
    live.0 = Some(session);
}

fn shoot(
    mut commands: Commands,
    shot: Res<Shot>,
    mut frames: Local<u32>,
    mut exit: MessageWriter<AppExit>,
) {
    *frames += 1;
    if *frames == SETTLE_FRAMES {
        let _ = std::fs::remove_file(&shot.path);
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(shot.path.clone()));
    } else if *frames > SETTLE_FRAMES && shot.path.exists() {
        exit.write(AppExit::Success);
    } else if *frames > GIVE_UP_FRAMES {
        eprintln!(
            "firedrill: the screenshot {} was never written",
            shot.path.display()
        );
        exit.write(AppExit::error());
    }
}
