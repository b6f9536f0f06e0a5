//! The lobby: who is in the drill, who sits where (rotation's suggestions beside), and
//! the start, for whoever may give it. Taking a seat, watching instead and starting are
//! requests to the host; the lobby shows what the host made of them.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_net::drill::protocol::{Control, Seat};
use firedrill_panels::team::{LobbyAction, LobbyView, lobby};

use super::{Hosting, TeamDrill, leave, place, seat_lines};
use crate::gui::{Screen, root_ui};

pub fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, draw.run_if(in_state(Screen::Lobby)));
}

fn draw(
    mut contexts: EguiContexts,
    drill: Option<ResMut<TeamDrill>>,
    hosting: Option<Res<Hosting>>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let Some(mut drill) = drill else {
        return Ok(());
    };
    let view = view(&drill, hosting.as_deref());
    let mut ui = root_ui(contexts.ctx_mut()?);
    if let Some(action) = lobby(&mut ui, &view) {
        act(&mut drill, action, &mut commands, &mut next);
    }
    Ok(())
}

/// The lobby as the host last described it.
fn view(drill: &TeamDrill, hosting: Option<&Hosting>) -> LobbyView {
    drill.link.with(|client| {
        let replica = client.replica();
        let lobby = replica.lobby();
        LobbyView {
            title: replica.engine().scenario().title.clone(),
            me: drill.name().to_owned(),
            my_place: place(replica.seat()),
            invite: hosting.map(|h| h.invite.clone()),
            seats: seat_lines(lobby),
            others: lobby
                .people
                .iter()
                .filter(|p| !matches!(p.seat, Seat::Role(_)))
                .map(|p| (p.name.clone(), place(p.seat), p.connected))
                .collect(),
            suggested: lobby.suggested.clone(),
            can_start: replica.seat() == Seat::Facilitator || hosting.is_some(),
            started: !replica.clock().lobby,
            notice: drill.notice.clone(),
        }
    })
}

/// What the lobby and the seat bar ask for, sent to the host (or leaving).
pub fn act(
    drill: &mut TeamDrill,
    action: LobbyAction,
    commands: &mut Commands,
    next: &mut NextState<Screen>,
) {
    match action {
        LobbyAction::Take(role) => drill.send(|c| c.take_seat(role)),
        LobbyAction::Observe => drill.send(|c| c.leave_seat()),
        LobbyAction::Start => drill.send(|c| c.control(Control::Start)),
        LobbyAction::Leave => {
            leave(commands);
            next.set(Screen::Menu);
        }
    }
}
