//! `--screenshot FILE [--at DURATION|end]`: fast-forward with bots playing every
//! role, show the screen, save one frame as PNG and exit. For documentation and CI.
//! It prints how long the frames before the shot took (`benches/idle-cpu.sh` reads it).

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
    time: Res<Time<Real>>,
    mut frames: Local<u32>,
    mut frame_ms: Local<Vec<f64>>,
    mut exit: MessageWriter<AppExit>,
) {
    *frames += 1;
    // The first frames include the window's and the GPU's set-up.
    if (3..=SETTLE_FRAMES).contains(&*frames) {
        frame_ms.push(time.delta_secs_f64() * 1000.0);
    }
    if *frames == SETTLE_FRAMES {
        let _ = std::fs::remove_file(&shot.path);
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(shot.path.clone()));
    } else if *frames > SETTLE_FRAMES && shot.path.exists() {
        frame_ms.sort_by(f64::total_cmp);
        let percentile = |p: usize| frame_ms[(frame_ms.len() - 1) * p / 100];
        println!(
            "{}: frame time p50 {:.0} ms, p95 {:.0} ms over {} frames",
            shot.path.display(),
            percentile(50),
            percentile(95),
            frame_ms.len()
        );
        exit.write(AppExit::Success);
    } else if *frames > GIVE_UP_FRAMES {
        eprintln!(
            "firedrill: the screenshot {} was never written",
            shot.path.display()
        );
        exit.write(AppExit::error());
    }
}
