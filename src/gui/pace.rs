//! When the app redraws: only when something changed. Winit sleeps until input
//! arrives; the war room with its clock running wakes twice per sim second (so the
//! clock, charts and timers never skip a second at any speed); a click that changes
//! the screen or asks the sim for something wakes the next frame at once. egui asks for
//! its own frames (animations, a blinking text cursor) through bevy_egui. A screenshot
//! run draws continuously, to count frames until the screen settles.
//!
//! bevy_egui 0.42 tells egui the modifier keys' state every frame, and egui repaints on
//! any event, so left alone the app would draw continuously: [`quiet_modifiers`] passes
//! that event on only when the modifiers changed.

use std::time::Duration;

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{EguiInput, EguiPreUpdateSet, egui};
use firedrill_core::session::Session;

use super::Screen;
use super::screenshot::Shot;
use super::sim::{Live, Request};

/// How long an idle screen sleeps before drawing anyway: a safety net, not a clock.
const IDLE_WAKE: Duration = Duration::from_secs(10);

pub fn plugin(app: &mut App) {
    app.insert_resource(WinitSettings::desktop_app())
        .add_systems(Last, (set_pace, wake_on_change))
        .add_systems(
            PreUpdate,
            quiet_modifiers
                .after(EguiPreUpdateSet::ProcessInput)
                .before(EguiPreUpdateSet::BeginPass),
        );
}

/// Drops egui's per-frame `ModifiersChanged` event when the modifiers did not change.
fn quiet_modifiers(mut inputs: Query<&mut EguiInput>, mut last: Local<Option<egui::Modifiers>>) {
    for mut input in &mut inputs {
        input.events.retain(|event| match event {
            egui::Event::ModifiersChanged(now) if *last == Some(*now) => false,
            egui::Event::ModifiersChanged(now) => {
                *last = Some(*now);
                true
            }
            _ => true,
        });
    }
}

/// How often a screen must draw when nobody touches it.
pub fn update_mode(screen: Screen, live: Option<&Session>, screenshot: bool) -> UpdateMode {
    if screenshot {
        return UpdateMode::Continuous;
    }
    let running = live.filter(|s| screen == Screen::WarRoom && !s.paused() && !s.is_over());
    match running {
        Some(session) => UpdateMode::reactive(Duration::from_secs_f64(0.5 / session.speed())),
        None => UpdateMode::reactive_low_power(IDLE_WAKE),
    }
}

fn set_pace(
    screen: Res<State<Screen>>,
    live: Res<Live>,
    shot: Option<Res<Shot>>,
    mut settings: ResMut<WinitSettings>,
) {
    let mode = update_mode(*screen.get(), live.0.as_ref(), shot.is_some());
    // Focus does not matter: a trainee watching the clock from another window sees it run.
    if settings.focused_mode != mode || settings.unfocused_mode != mode {
        *settings = WinitSettings {
            focused_mode: mode,
            unfocused_mode: mode,
        };
    }
}

/// A frame that changed the screen or sent the sim a request is followed by another
/// at once, so the result shows without waiting for the next input.
fn wake_on_change(
    mut requests: MessageReader<Request>,
    screen: Res<State<Screen>>,
    next: Res<NextState<Screen>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let asked = requests.read().count() > 0;
    let moving = screen.is_changed() || matches!(*next, NextState::Pending(_));
    if asked || moving {
        redraw.write(RequestRedraw);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use firedrill_core::engine::action::Role;
    use firedrill_core::scenario::builtin;

    use super::*;

    fn session(speed: f64) -> Session {
        let scenario = Arc::new(builtin::load("edge-waf-regex").expect("built-in"));
        let mut session = Session::new(scenario, 1, Role::Commander, None);
        session.set_speed(speed);
        session
    }

    #[test]
    fn only_a_running_war_room_wakes_on_its_own_twice_per_sim_second() {
        let idle = UpdateMode::reactive_low_power(IDLE_WAKE);
        let live = session(5.0);
        assert_eq!(
            update_mode(Screen::WarRoom, Some(&live), false),
            UpdateMode::reactive(Duration::from_millis(100))
        );
        assert_eq!(
            update_mode(Screen::WarRoom, Some(&session(1.0)), false),
            UpdateMode::reactive(Duration::from_millis(500))
        );
        for screen in [
            Screen::Menu,
            Screen::Briefing,
            Screen::Debrief,
            Screen::Progress,
        ] {
            assert_eq!(update_mode(screen, Some(&live), false), idle, "{screen:?}");
        }
        let mut paused = session(5.0);
        paused.set_paused(true);
        assert_eq!(update_mode(Screen::WarRoom, Some(&paused), false), idle);
        let mut over = session(5.0);
        over.finish();
        assert_eq!(update_mode(Screen::WarRoom, Some(&over), false), idle);
        assert_eq!(update_mode(Screen::WarRoom, None, false), idle);
        assert_eq!(
            update_mode(Screen::Menu, None, true),
            UpdateMode::Continuous
        );
    }
}
