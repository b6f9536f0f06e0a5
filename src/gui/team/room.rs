//! The drill under way: the seat bar, then a seat's or an observer's war room, or the
//! facilitator's console. Built each frame from the replica of the host's run; what the
//! person does goes to the host, which stamps it and sends it back to everyone.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_core::drill::By;
use firedrill_core::engine::action::Role;
use firedrill_net::drill::client::DrillClient;
use firedrill_net::drill::protocol::{Control, Seat};
use firedrill_panels::facilitator::{ConsoleAction, ConsoleForms, ConsoleView, console};
use firedrill_panels::team::{SeatBarView, seat_bar};
use firedrill_panels::war_room::{
    Seen, TeamSeat, WarRoomAction, WarRoomForms, WarRoomView, build_seen, view::queued, war_room,
};

use super::lobby::act;
use super::{Hosting, TeamDrill, place};
use crate::gui::{Screen, Step, root_ui};

/// What the person is typing in the war room or the console.
#[derive(Resource, Default)]
struct Forms {
    war_room: WarRoomForms,
    console: ConsoleForms,
}

pub fn plugin(app: &mut App) {
    app.init_resource::<Forms>()
        .add_systems(
            OnExit(Screen::Drill),
            (|mut forms: ResMut<Forms>| *forms = Forms::default()).in_set(Step::Show),
        )
        .add_systems(EguiPrimaryContextPass, draw.run_if(in_state(Screen::Drill)));
}

/// The screen below the seat bar.
enum Body {
    Room(Box<WarRoomView>),
    Console(Box<ConsoleView>),
}

fn draw(
    mut contexts: EguiContexts,
    drill: Option<ResMut<TeamDrill>>,
    hosting: Option<Res<Hosting>>,
    mut forms: ResMut<Forms>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let Some(mut drill) = drill else {
        return Ok(());
    };
    let runs_clock = hosting.is_some();
    let (bar, body) = drill
        .link
        .with(|client| (bar(client, drill.notice.clone()), body(client, runs_clock)));
    let mut ui = root_ui(contexts.ctx_mut()?);
    if let Some(action) = seat_bar(&mut ui, &bar) {
        act(&mut drill, action, &mut commands, &mut next);
        return Ok(());
    }
    match body {
        Body::Console(view) => {
            for action in console(&mut ui, &view, &mut forms.console) {
                match action {
                    ConsoleAction::SetPaused(paused) => drill.send(|c| c.control(pause(paused))),
                    ConsoleAction::SetSpeed(speed) => {
                        drill.send(|c| c.control(Control::Speed(speed)))
                    }
                    ConsoleAction::Do(action) => drill.send(|c| c.act(action)),
                }
            }
        }
        Body::Room(view) => {
            for action in war_room(&mut ui, &view, &mut forms.war_room) {
                match action {
                    WarRoomAction::Do(action) => drill.send(|c| c.act(action)),
                    WarRoomAction::SetPaused(paused) => drill.send(|c| c.control(pause(paused))),
                    WarRoomAction::SetSpeed(speed) => {
                        drill.send(|c| c.control(Control::Speed(speed)))
                    }
                    // Offered once the incident is over; the host's end follows.
                    WarRoomAction::Debrief => next.set(Screen::TeamDebrief),
                    // A team drill has no preview strip to jump from.
                    WarRoomAction::Jump(_) => {}
                }
            }
        }
    }
    Ok(())
}

fn pause(paused: bool) -> Control {
    if paused {
        Control::Pause
    } else {
        Control::Resume
    }
}

/// Who sits where, and the seats a bot plays that this person could take.
fn bar(client: &DrillClient, notice: Option<String>) -> SeatBarView {
    let replica = client.replica();
    let lobby = replica.lobby();
    let held = |role: Role| lobby.people.iter().any(|p| p.seat == Seat::Role(role));
    SeatBarView {
        me: client.name().to_owned(),
        my_place: place(replica.seat()),
        open: Role::ALL.into_iter().filter(|r| !held(*r)).collect(),
        people: lobby
            .people
            .iter()
            .map(|p| format!("{}: {}", p.name, place(p.seat).title()))
            .collect::<Vec<_>>()
            .join(" · "),
        notice,
    }
}

/// The facilitator's console, or the war room from this person's seat.
fn body(client: &DrillClient, runs_clock: bool) -> Body {
    let replica = client.replica();
    let engine = replica.engine();
    let clock = replica.clock();
    let (role, observer) = match replica.seat() {
        Seat::Facilitator => {
            return Body::Console(Box::new(ConsoleView::new(
                engine,
                clock.paused,
                clock.speed,
            )));
        }
        Seat::Role(role) => (role, false),
        // An observer sees the incident as the commander's room shows it, without acting.
        Seat::Observer => (Role::Commander, true),
    };
    let mine = replica
        .drill_file()
        .inputs
        .iter()
        .filter(|i| !observer && i.by == By::Seat(role))
        .map(|i| (i.at, &i.action));
    Body::Room(Box::new(build_seen(
        engine,
        Seen {
            role,
            paused: clock.paused,
            speed: clock.speed,
            queued: queued(engine, mine, clock.paused),
            team: Some(TeamSeat {
                name: client.name().to_owned(),
                observer,
                runs_clock,
            }),
        },
    )))
}
