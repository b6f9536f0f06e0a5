//! Team drills in the app: connecting (host a drill here, or join one by address or
//! from the LAN), the lobby, the drill itself (a seat's war room, an observer's, or the
//! facilitator's console, under a seat bar) and the shared debrief.
//!
//! The network lives on threads of firedrill-net ([`ClientThread`], [`HostThread`]):
//! they pump the connection every few milliseconds and wake the app when the host said
//! something, so the window still draws only when something changed. The screens read
//! the replica of the host's run and send what the person does; none of them decides
//! anything about the incident.
//!
//! - [`connect`]: the host and join forms, LAN search, starting a host, joining.
//! - [`lobby`]: who sits where before the clock starts.
//! - [`room`]: the drill under way.
//! - [`debrief`]: the shared debrief, recorded in this machine's history.

pub mod connect;
pub mod debrief;
pub mod lobby;
pub mod room;

use std::net::SocketAddr;

use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use firedrill_core::engine::action::Role;
use firedrill_net::JoinCode;
use firedrill_net::drill::background::{ClientThread, HostThread};
use firedrill_net::drill::client::DrillEvent;
use firedrill_net::drill::protocol::{Lobby, Seat};
use firedrill_panels::team::{Place, SeatLine};

use super::{Screen, Step};

/// How to reach a drill and where to sit: what `firedrill join` asks for, and what a
/// lost connection rejoins with.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinRequest {
    pub address: SocketAddr,
    pub code: JoinCode,
    pub name: String,
    pub seat: Option<Seat>,
}

/// The drill this app is in: the connection with its replica, and the person.
#[derive(Resource)]
pub struct TeamDrill {
    link: ClientThread,
    /// How this person joined, to rejoin after a drop.
    joined: JoinRequest,
    /// The last refusal from the host, until the next.
    notice: Option<String>,
    /// When this person joined, on the wall clock, for the history.
    started_at: String,
}

/// The drill this app hosts, while it does. Kept apart from [`TeamDrill`]: a lost
/// connection to it does not stop it, and rejoining finds it.
#[derive(Resource)]
pub struct Hosting {
    host: HostThread,
    /// "Others join with: firedrill join ADDRESS --code CODE --name NAME".
    invite: String,
}

impl TeamDrill {
    pub fn new(link: ClientThread, joined: JoinRequest) -> Self {
        TeamDrill {
            link,
            joined,
            notice: None,
            started_at: firedrill_core::history::now(),
        }
    }

    pub fn name(&self) -> &str {
        &self.joined.name
    }

    /// Sends something to the host; a send that fails (the connection is going) shows
    /// as the notice, and the lost connection follows as an event.
    fn send(
        &mut self,
        what: impl FnOnce(
            &mut firedrill_net::drill::client::DrillClient,
        ) -> Result<(), firedrill_net::SendError>,
    ) {
        if let Err(error) = self.link.with(what) {
            self.notice = Some(format!("Not sent: {error}"));
        }
    }
}

pub fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        follow
            .in_set(Step::Advance)
            .run_if(resource_exists::<TeamDrill>),
    )
    .add_plugins((
        connect::plugin,
        lobby::plugin,
        room::plugin,
        debrief::plugin,
    ));
}

/// Follows the drill: the host's refusals, its end, a lost connection, and the clock
/// leaving the lobby.
fn follow(
    mut commands: Commands,
    mut drill: ResMut<TeamDrill>,
    screen: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
    mut connect: ResMut<connect::ConnectState>,
) {
    for event in drill.link.take_events() {
        match event {
            DrillEvent::Refused(reason) => {
                drill.notice = Some(format!("The host refused: {reason}"))
            }
            DrillEvent::Ended => next.set(Screen::TeamDebrief),
            // After the end, the host closing is no news: the debrief has the whole run.
            DrillEvent::Diverged(_) | DrillEvent::Disconnected(_)
                if *screen.get() == Screen::TeamDebrief => {}
            DrillEvent::Diverged(error) => {
                connect.lost(&drill.joined, error.to_string());
                commands.remove_resource::<TeamDrill>();
                next.set(Screen::Connect);
                return;
            }
            DrillEvent::Disconnected(reason) => {
                connect.lost(&drill.joined, format!("Left the drill: {reason}"));
                commands.remove_resource::<TeamDrill>();
                next.set(Screen::Connect);
                return;
            }
        }
    }
    let (lobby, ended) = drill
        .link
        .with(|c| (c.replica().clock().lobby, c.replica().ended()));
    match *screen.get() {
        Screen::Lobby if ended => next.set(Screen::TeamDebrief),
        Screen::Lobby if !lobby => next.set(Screen::Drill),
        _ => {}
    }
}

/// Leaves the drill (and stops hosting it, if this app hosts it).
pub fn leave(commands: &mut Commands) {
    commands.remove_resource::<TeamDrill>();
    commands.remove_resource::<Hosting>();
}

/// A callback that wakes the app's event loop (none without a window: tests).
pub fn waker(proxy: Option<&EventLoopProxyWrapper>) -> impl Fn() + Send + 'static {
    let proxy = proxy.map(|p| (**p).clone());
    move || {
        if let Some(proxy) = &proxy {
            // The loop is gone only when the app is closing.
            let _ = proxy.send_event(WinitUserEvent::WakeUp);
        }
    }
}

pub fn place(seat: Seat) -> Place {
    match seat {
        Seat::Role(role) => Place::Role(role),
        Seat::Observer => Place::Observer,
        Seat::Facilitator => Place::Facilitator,
    }
}

pub fn seat(place: Place) -> Seat {
    match place {
        Place::Role(role) => Seat::Role(role),
        Place::Observer => Seat::Observer,
        Place::Facilitator => Seat::Facilitator,
    }
}

/// The three role seats and who holds each.
fn seat_lines(lobby: &Lobby) -> Vec<SeatLine> {
    Role::ALL
        .into_iter()
        .map(|role| SeatLine {
            role,
            holder: lobby
                .people
                .iter()
                .find(|p| p.seat == Seat::Role(role))
                .map(|p| (p.name.clone(), p.connected)),
        })
        .collect()
}
