//! One person's side of a drill over the network: a transport [`Client`] speaking the
//! drill protocol, and the [`Replica`] it keeps in step with the host. Joining blocks
//! until the host's welcome, its refusal, or the bounded wait; after that, the caller
//! drives [`DrillClient::update`] from its loop (a CLI, a Bevy system) and sends what
//! the person does.
//!
//! Reconnecting is joining again with the same name: the host gives the seat back and
//! the new welcome rebuilds the replica.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use firedrill_core::engine::action::{Action, Role};

use super::protocol::{Control, Down, Seat, Up};
use super::replica::{Replica, ReplicaError};
use crate::{Client, ClientEvent, DisconnectReason, JoinCode, NetConfig, NetError, SendError};

/// Sleep between two rounds while waiting for the welcome.
const JOIN_STEP: Duration = Duration::from_millis(5);

/// Why joining a drill failed, in one line.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// No socket, no randomness, a name that does not fit a token.
    #[error(transparent)]
    Net(#[from] NetError),
    /// The connection ended before the welcome: no answer (a wrong code or no drill),
    /// a refusal with the host's reason (seat taken, drill ended, another version).
    #[error("{0}")]
    Disconnected(DisconnectReason),
    /// The join request could not be sent.
    #[error(transparent)]
    Send(#[from] SendError),
    /// The host accepted the connection but never welcomed this client.
    #[error("the host at {addr} accepted the connection but sent no welcome within {} s", waited.as_secs())]
    NoWelcome { addr: SocketAddr, waited: Duration },
    /// The welcome could not be replayed here.
    #[error(transparent)]
    Replica(#[from] ReplicaError),
}

/// What happened in the drill since the last update, for the caller to show.
#[derive(Debug, Clone, PartialEq)]
pub enum DrillEvent {
    /// The host did not do what this client asked (a seat someone holds, a control
    /// from someone who is not the facilitator), in one line.
    Refused(String),
    /// The host ended the drill; the replica has run to the end for the debrief.
    Ended,
    /// This copy no longer matches the host's run; the client has disconnected.
    Diverged(ReplicaError),
    /// The connection is over, with the transport's reason; nothing follows.
    Disconnected(DisconnectReason),
}

/// A person in a drill: the connection and the replica of the host's run.
pub struct DrillClient {
    client: Client<Up, Down>,
    replica: Replica,
    name: String,
    /// Whether a `Disconnected` or `Diverged` was reported: the client is done.
    over: bool,
    /// Messages from the host applied so far: a change to show when it grows.
    received: u64,
}

impl DrillClient {
    /// Joins the drill at `addr` as `name`, asking for `seat` (`None`: the lobby
    /// suggests one). Blocks until the host's welcome (then the replica has caught up),
    /// its refusal, or `wait` without an answer.
    pub fn join(
        addr: SocketAddr,
        code: &JoinCode,
        name: &str,
        seat: Option<Seat>,
        app_version: &str,
        wait: Duration,
    ) -> Result<DrillClient, JoinError> {
        let config = NetConfig {
            connect_wait: wait,
            ..NetConfig::default()
        };
        let mut client = Client::<Up, Down>::connect(addr, code, name, app_version, config)?;
        client.send(&Up::Join { seat })?;
        let mut last = Instant::now();
        let mut connected_at = None;
        loop {
            std::thread::sleep(JOIN_STEP);
            let now = Instant::now();
            client.update(now - last);
            last = now;
            while let Some(event) = client.poll() {
                match event {
                    ClientEvent::Connected => connected_at = Some(now),
                    ClientEvent::Message(Down::Welcome(welcome)) => {
                        let replica = Replica::new(*welcome, name)?;
                        log::info!("joined the drill at {addr} as {name}");
                        return Ok(DrillClient {
                            client,
                            replica,
                            name: name.to_owned(),
                            over: false,
                            received: 0,
                        });
                    }
                    ClientEvent::Message(Down::Refused(reason)) => {
                        client.disconnect();
                        return Err(JoinError::Disconnected(DisconnectReason::Refused(reason)));
                    }
                    // Before the welcome there is no replica to apply anything to; the
                    // welcome carries the state they describe.
                    ClientEvent::Message(_) => {}
                    ClientEvent::Disconnected(reason) => {
                        return Err(JoinError::Disconnected(reason));
                    }
                }
            }
            if let Some(since) = connected_at
                && now - since >= wait
            {
                client.disconnect();
                return Err(JoinError::NoWelcome { addr, waited: wait });
            }
        }
    }

    /// Pumps the connection by `elapsed` and applies everything the host sent.
    pub fn update(&mut self, elapsed: Duration) -> Vec<DrillEvent> {
        let mut events = Vec::new();
        if self.over {
            return events;
        }
        self.client.update(elapsed);
        while let Some(event) = self.client.poll() {
            self.received += 1;
            match event {
                ClientEvent::Connected => {}
                ClientEvent::Message(Down::Refused(reason)) => {
                    events.push(DrillEvent::Refused(reason));
                }
                ClientEvent::Message(message) => {
                    let ending = message == Down::Ended;
                    if let Err(error) = self.replica.apply(message) {
                        log::warn!("drill replica of {}: {error}", self.name);
                        self.client.disconnect();
                        self.over = true;
                        events.push(DrillEvent::Diverged(error));
                        return events;
                    }
                    if ending {
                        events.push(DrillEvent::Ended);
                    }
                }
                ClientEvent::Disconnected(reason) => {
                    self.over = true;
                    events.push(DrillEvent::Disconnected(reason));
                }
            }
        }
        events
    }

    /// The copy of the host's run: engine, clock, lobby, seat, inputs so far.
    pub fn replica(&self) -> &Replica {
        &self.replica
    }

    /// Bytes per second sent and received lately ([`crate::Client::bytes_per_second`]).
    pub fn bytes_per_second(&self) -> (f64, f64) {
        self.client.bytes_per_second()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many messages and connection events [`DrillClient::update`] has taken in:
    /// when it grows, there is something new to show.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Whether the connection is over (left, lost, or diverged): nothing more comes.
    pub fn is_over(&self) -> bool {
        self.over
    }

    /// Asks the host to take `action` from this client's seat.
    pub fn act(&mut self, action: Action) -> Result<(), SendError> {
        self.client.send(&Up::Act(action))
    }

    pub fn take_seat(&mut self, role: Role) -> Result<(), SendError> {
        self.client.send(&Up::TakeSeat(role))
    }

    pub fn leave_seat(&mut self) -> Result<(), SendError> {
        self.client.send(&Up::LeaveSeat)
    }

    /// Facilitator only: start, pause, resume, speed.
    pub fn control(&mut self, control: Control) -> Result<(), SendError> {
        self.client.send(&Up::Control(control))
    }

    /// Leaves the drill, telling the host.
    pub fn leave(&mut self) {
        self.client.disconnect();
        self.over = true;
    }
}
