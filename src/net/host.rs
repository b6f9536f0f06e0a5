//! The host end of one drill: a UDP port, its netcode server keyed by the join code, and
//! the typed messages of every client connected to it.

use std::collections::{BTreeMap, VecDeque};
use std::marker::PhantomData;
use std::net::{SocketAddr, UdpSocket};
use std::ops::Bound;
use std::time::Duration;

use renet::{ChannelError, ClientId, RenetServer, ServerEvent};
use renet_netcode::{NetcodeServerTransport, ServerAuthentication, ServerConfig};
use serde::{Serialize, de::DeserializeOwned};

use crate::wire::{self, CHANNEL, PROTOCOL_ID, ToClient, ToHost};
use crate::{DisconnectReason, JoinCode, NetConfig, NetError, SendError, Side, names};

/// How long a refused client has to receive the reason before the host closes anyway.
const REFUSE_GRACE: Duration = Duration::from_secs(1);
/// netcode's own limit on clients per server.
const NETCODE_MAX_CLIENTS: usize = 1024;

/// What happened on a drill's port, in the order [`Host::poll`] hands it out.
#[derive(Debug, Clone, PartialEq)]
pub enum HostEvent<Up> {
    /// A client joined: `name` is from its connect token, `app_version` from its hello.
    /// The drill may still [`Host::refuse`] it (another version, a seat taken).
    Connected {
        client: ClientId,
        name: String,
        app_version: String,
    },
    /// A message from a connected client, in the order it sent them.
    Message { client: ClientId, message: Up },
    /// A client that was `Connected` is gone; its messages stop here.
    Disconnected {
        client: ClientId,
        name: String,
        reason: DisconnectReason,
    },
}

/// The host of one drill. `Up` is what clients send, `Down` what the host sends; a
/// [`crate::Client`] of the same drill is `Client<Up, Down>`.
///
/// Drive it from a loop or a Bevy system: [`Host::update`] with the time since the last
/// call, then [`Host::poll`] until it returns `None`, then send. Messages sent between
/// two updates leave at the next update.
pub struct Host<Up, Down> {
    server: RenetServer,
    transport: NetcodeServerTransport,
    config: NetConfig,
    addr: SocketAddr,
    peers: BTreeMap<ClientId, Peer>,
    /// Connects are produced by `poll` from the hello; disconnects wait here.
    events: VecDeque<HostEvent<Up>>,
    /// The client `poll` last read from: reading resumes after it, so one chatty client
    /// cannot starve the others.
    cursor: Option<ClientId>,
    /// Sum of the `elapsed` given to `update`.
    now: Duration,
    types: PhantomData<fn(Up) -> Down>,
}

struct Peer {
    name: String,
    /// The app version from the hello; `None` until the hello arrives.
    app_version: Option<String>,
    /// Why the host is ending this connection, once it has decided to.
    ending: Option<DisconnectReason>,
    /// When a refused client is closed even if it has not acknowledged the reason.
    close_at: Option<Duration>,
}

impl<Up: DeserializeOwned, Down: Serialize> Host<Up, Down> {
    /// Opens a drill on `addr` (port 0 picks a free one) for clients knowing `code`.
    pub fn bind(addr: SocketAddr, code: &JoinCode, config: NetConfig) -> Result<Self, NetError> {
        let socket = UdpSocket::bind(addr).map_err(NetError::Socket)?;
        let addr = socket.local_addr().map_err(NetError::Socket)?;
        let server_config = ServerConfig {
            current_time: crate::unix_time()?,
            max_clients: config.max_clients.min(NETCODE_MAX_CLIENTS),
            protocol_id: PROTOCOL_ID,
            public_addresses: public_addresses(addr)?,
            authentication: ServerAuthentication::Secure {
                private_key: code.netcode_key(),
            },
        };
        let transport =
            NetcodeServerTransport::new(server_config, socket).map_err(NetError::Socket)?;
        log::info!("drill host listening on {addr}");
        Ok(Self {
            server: RenetServer::new(wire::connection_config(&config)),
            transport,
            config,
            addr,
            peers: BTreeMap::new(),
            events: VecDeque::new(),
            cursor: None,
            now: Duration::ZERO,
            types: PhantomData,
        })
    }

    /// The address the drill's socket is bound to (with the port picked by the system).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The addresses people can dial: the bound one, or each interface's (loopback
    /// included) when bound to all of them.
    pub fn dial_addresses(&self) -> Vec<SocketAddr> {
        public_addresses(self.addr).unwrap_or_else(|_| vec![self.addr])
    }

    /// Advances the connection clocks by `elapsed`, receives datagrams, closes clients
    /// that timed out or were refused, and sends what is queued.
    pub fn update(&mut self, elapsed: Duration) {
        self.now += elapsed;
        self.server.update(elapsed);
        if let Err(e) = self.transport.update(elapsed, &mut self.server) {
            // An I/O error on the socket ends this round of receiving, not the drill.
            log::warn!("drill host on {}: receiving failed: {e}", self.addr);
        }
        let timeout = self.config.timeout;
        let budget = self.config.down_budget;
        let ids: Vec<ClientId> = self.peers.keys().copied().collect();
        for id in ids {
            let silent = self
                .transport
                .time_since_last_received_packet(id)
                .is_some_and(|t| t >= timeout);
            if silent {
                self.end(
                    id,
                    DisconnectReason::TimedOut {
                        side: Side::Client,
                        timeout,
                    },
                );
            }
            let due = self
                .peers
                .get(&id)
                .and_then(|p| p.close_at)
                .is_some_and(|at| {
                    self.now >= at || self.server.channel_available_memory(id, CHANNEL) == budget
                });
            if due {
                self.server.disconnect(id);
            }
        }
        while let Some(event) = self.server.get_event() {
            match event {
                ServerEvent::ClientConnected { client_id } => self.joined(client_id),
                ServerEvent::ClientDisconnected { client_id, reason } => {
                    self.left(client_id, reason)
                }
            }
        }
        self.transport.send_packets(&mut self.server);
    }

    /// The next event: disconnects noticed by `update`, then the clients' messages,
    /// taking the clients in turn. A message that is too large or cannot be decoded
    /// disconnects its sender (logged) instead of being returned.
    ///
    /// Messages wait in renet's buffers until polled, within each client's budget: a
    /// host that stops polling disconnects the clients that keep sending.
    pub fn poll(&mut self) -> Option<HostEvent<Up>> {
        if let Some(event) = self.events.pop_front() {
            return Some(event);
        }
        let order: Vec<ClientId> = match self.cursor {
            Some(c) => self
                .peers
                .range((Bound::Excluded(c), Bound::Unbounded))
                .chain(self.peers.range(..=c))
                .map(|(id, _)| *id)
                .collect(),
            None => self.peers.keys().copied().collect(),
        };
        for id in order {
            if self.peers.get(&id).is_none_or(|p| p.ending.is_some()) {
                continue;
            }
            if let Some(bytes) = self.server.receive_message(id, CHANNEL) {
                self.cursor = Some(id);
                match self.accept(id, &bytes) {
                    Ok(event) => return Some(event),
                    Err(reason) => self.end(id, reason),
                }
            }
        }
        None
    }

    /// Sends `message` to one connected client.
    pub fn send(&mut self, client: ClientId, message: &Down) -> Result<(), SendError> {
        if !self.is_open(client) {
            return Err(SendError::NotConnected);
        }
        let bytes = wire::encode(&ToClient::Msg(message), self.config.max_down_bytes)?;
        self.server.send_message(client, CHANNEL, bytes);
        Ok(())
    }

    /// Sends `message` to every connected client.
    pub fn broadcast(&mut self, message: &Down) -> Result<(), SendError> {
        let bytes = wire::encode(&ToClient::Msg(message), self.config.max_down_bytes)?;
        let open: Vec<ClientId> = self.clients().map(|(id, _)| id).collect();
        for id in open {
            self.server.send_message(id, CHANNEL, bytes.clone());
        }
        Ok(())
    }

    /// Turns a client away with a one-line reason it will show ("firedrill 0.2 cannot
    /// join a 0.1 drill", "the commander seat is taken"). Its connection closes once the
    /// reason is acknowledged, or after a second.
    pub fn refuse(&mut self, client: ClientId, reason: &str) {
        let frame = ToClient::<Down>::Refused {
            reason: reason.to_owned(),
        };
        match wire::encode(&frame, self.config.max_down_bytes) {
            Ok(bytes) => self.server.send_message(client, CHANNEL, bytes),
            Err(e) => log::warn!(
                "drill host on {}: cannot send a refusal to {client}: {e}",
                self.addr
            ),
        }
        if let Some(peer) = self.peers.get_mut(&client) {
            log::info!("drill client {client} ({}) refused: {reason}", peer.name);
            peer.ending = Some(DisconnectReason::Refused(reason.to_owned()));
            peer.close_at = Some(self.now + REFUSE_GRACE);
        }
    }

    /// Closes a client's connection without a reason.
    pub fn disconnect(&mut self, client: ClientId) {
        self.end(client, DisconnectReason::Closed);
    }

    /// The connected clients (those that said hello and are not being closed), by id.
    pub fn clients(&self) -> impl Iterator<Item = (ClientId, &str)> {
        self.peers
            .iter()
            .filter(|(_, p)| p.app_version.is_some() && p.ending.is_none())
            .map(|(id, p)| (*id, p.name.as_str()))
    }

    fn is_open(&self, client: ClientId) -> bool {
        self.peers
            .get(&client)
            .is_some_and(|p| p.app_version.is_some() && p.ending.is_none())
    }

    /// netcode accepted a token: the client exists, its hello is still to come.
    fn joined(&mut self, id: ClientId) {
        let user_data = self
            .transport
            .user_data(id)
            .unwrap_or([0; renet_netcode::NETCODE_USER_DATA_BYTES]);
        let (name, ending) = match names::decode(&user_data) {
            Ok(name) => (name, None),
            Err(detail) => (
                String::new(),
                Some(DisconnectReason::Protocol {
                    side: Side::Client,
                    detail,
                }),
            ),
        };
        self.peers.insert(
            id,
            Peer {
                name,
                app_version: None,
                ending: None,
                close_at: None,
            },
        );
        if let Some(reason) = ending {
            self.end(id, reason);
        }
    }

    /// renet removed a connection: report it if the client had said hello.
    fn left(&mut self, id: ClientId, renet_reason: renet::DisconnectReason) {
        let Some(peer) = self.peers.remove(&id) else {
            return;
        };
        let reason = peer.ending.unwrap_or_else(|| match renet_reason {
            renet::DisconnectReason::Transport | renet::DisconnectReason::DisconnectedByClient => {
                DisconnectReason::ClosedByPeer(Side::Client)
            }
            renet::DisconnectReason::DisconnectedByServer => DisconnectReason::Closed,
            renet::DisconnectReason::SendChannelError {
                error: ChannelError::ReliableChannelMaxMemoryReached,
                ..
            } => DisconnectReason::Stalled {
                budget: self.config.down_budget,
            },
            other => DisconnectReason::Transport(other.to_string()),
        });
        log::info!("drill client {id} ({}) disconnected: {reason}", peer.name);
        if peer.app_version.is_some() {
            self.events.push_back(HostEvent::Disconnected {
                client: id,
                name: peer.name,
                reason,
            });
        }
    }

    /// One frame from a client: its hello first, then its messages.
    fn accept(&mut self, id: ClientId, bytes: &[u8]) -> Result<HostEvent<Up>, DisconnectReason> {
        let frame =
            wire::decode::<ToHost<Up>>(bytes, self.config.max_up_bytes).map_err(|error| {
                DisconnectReason::BadMessage {
                    side: Side::Client,
                    error,
                }
            })?;
        let protocol = |detail: &str| DisconnectReason::Protocol {
            side: Side::Client,
            detail: detail.to_owned(),
        };
        let peer = self
            .peers
            .get_mut(&id)
            .ok_or_else(|| protocol("unknown client"))?;
        match (frame, &peer.app_version) {
            (ToHost::Hello { app_version }, None) => {
                peer.app_version = Some(app_version.clone());
                log::info!(
                    "drill client {id} ({}) joined with firedrill {app_version}",
                    peer.name
                );
                Ok(HostEvent::Connected {
                    client: id,
                    name: peer.name.clone(),
                    app_version,
                })
            }
            (ToHost::Hello { .. }, Some(_)) => Err(protocol("a second hello")),
            (ToHost::Msg(message), Some(_)) => Ok(HostEvent::Message {
                client: id,
                message,
            }),
            (ToHost::Msg(_), None) => Err(protocol("a message before its hello")),
        }
    }

    /// Decides to close a client's connection, logging why; renet reports it gone at a
    /// later update.
    fn end(&mut self, id: ClientId, reason: DisconnectReason) {
        let Some(peer) = self.peers.get_mut(&id) else {
            return;
        };
        if peer.ending.is_none() {
            log::warn!("drill client {id} ({}): disconnecting: {reason}", peer.name);
            peer.ending = Some(reason);
        }
        self.server.disconnect(id);
    }
}

impl<Up, Down> Drop for Host<Up, Down> {
    /// Tells every client at once that the drill is gone, rather than letting them time out.
    fn drop(&mut self) {
        self.transport.disconnect_all(&mut self.server);
    }
}

/// The addresses clients may dial, which netcode checks against the token's: the bound
/// address, or every interface's address when bound to all of them.
fn public_addresses(bound: SocketAddr) -> Result<Vec<SocketAddr>, NetError> {
    if !bound.ip().is_unspecified() {
        return Ok(vec![bound]);
    }
    let interfaces = if_addrs::get_if_addrs().map_err(NetError::Socket)?;
    Ok(interfaces
        .iter()
        .map(|i| i.ip())
        .filter(|ip| ip.is_ipv4() == bound.is_ipv4())
        .map(|ip| SocketAddr::new(ip, bound.port()))
        .collect())
}
