//! The client end: one person's connection to one drill, built from the address, the
//! join code and their name.

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use rand::TryRngCore;
use rand::rngs::OsRng;
use renet::{ClientId, RenetClient};
use renet_netcode::{
    ClientAuthentication, ConnectToken, NetcodeClientTransport, NetcodeDisconnectReason,
};
use serde::{Serialize, de::DeserializeOwned};

use crate::wire::{self, CHANNEL, PROTOCOL_ID, ToClient, ToHost};
use crate::{DisconnectReason, JoinCode, NetConfig, NetError, SendError, Side, names};

/// How long a connect token stays valid, in seconds. Expiry protects nothing here
/// (anyone with the code can make a token), so it is long enough to absorb any clock
/// difference between the client's machine and the host's.
const TOKEN_EXPIRY_SECS: u64 = 24 * 3600;
/// netcode's own timeout is a backstop a little after ours, so ours names the reason.
const NETCODE_TIMEOUT_MARGIN_SECS: u64 = 2;
/// Sleep between two rounds of `connect_blocking`.
const BLOCKING_STEP: Duration = Duration::from_millis(2);

/// What happened on a client's connection, in the order [`Client::poll`] hands it out.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent<Down> {
    /// The host accepted the token; the hello is on its way.
    Connected,
    /// A message from the host, in the order it sent them.
    Message(Down),
    /// The connection is over; nothing follows.
    Disconnected(DisconnectReason),
}

/// One person's connection to a drill: `Client<Up, Down>` talks to a `Host<Up, Down>`.
///
/// Drive it like the host: [`Client::update`] with the elapsed time, then
/// [`Client::poll`] until `None`. Dropping a client without [`Client::disconnect`] is
/// what a killed process looks like to the host: it times the client out.
pub struct Client<Up, Down> {
    client: RenetClient,
    transport: NetcodeClientTransport,
    config: NetConfig,
    addr: SocketAddr,
    /// Time spent connecting, for the bounded wait.
    waited: Duration,
    state: State,
    events: VecDeque<ClientEvent<Down>>,
    types: PhantomData<fn(Up) -> Down>,
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    Connecting,
    Connected,
    /// Decided, and reported once `Disconnected` is queued.
    Ended(DisconnectReason),
}

impl<Up: Serialize, Down: DeserializeOwned> Client<Up, Down> {
    /// Starts connecting to the drill at `addr` as `name`; the hello carrying
    /// `app_version` is the first message the host gets. Returns at once: call
    /// [`Client::update`] (or [`Client::connect_blocking`]).
    pub fn connect(
        addr: SocketAddr,
        code: &JoinCode,
        name: &str,
        app_version: &str,
        config: NetConfig,
    ) -> Result<Self, NetError> {
        let user_data = names::encode(name)?;
        let client_id = OsRng
            .try_next_u64()
            .map_err(|e| NetError::Random(e.to_string()))?;
        let now = crate::unix_time()?;
        let timeout = config.timeout.as_secs().max(1) + NETCODE_TIMEOUT_MARGIN_SECS;
        let token = ConnectToken::generate(
            now,
            PROTOCOL_ID,
            TOKEN_EXPIRY_SECS,
            client_id,
            i32::try_from(timeout).unwrap_or(i32::MAX),
            vec![addr],
            Some(&user_data),
            &code.netcode_key(),
        )
        .map_err(|e| NetError::Token(e.to_string()))?;
        let any: SocketAddr = if addr.is_ipv4() {
            (Ipv4Addr::UNSPECIFIED, 0).into()
        } else {
            (Ipv6Addr::UNSPECIFIED, 0).into()
        };
        let socket = UdpSocket::bind(any).map_err(NetError::Socket)?;
        let transport = NetcodeClientTransport::new(
            now,
            ClientAuthentication::Secure {
                connect_token: token,
            },
            socket,
        )
        .map_err(|e| NetError::Token(e.to_string()))?;
        let mut client = RenetClient::new(wire::connection_config(&config));
        let hello = ToHost::<Up>::Hello {
            app_version: app_version.to_owned(),
        };
        client.send_message(CHANNEL, wire::encode(&hello, config.max_up_bytes)?);
        Ok(Self {
            client,
            transport,
            config,
            addr,
            waited: Duration::ZERO,
            state: State::Connecting,
            events: VecDeque::new(),
            types: PhantomData,
        })
    }

    /// This connection's id, as the host's events name it.
    pub fn id(&self) -> ClientId {
        self.transport.client_id()
    }

    /// Bytes per second sent and received on this connection lately, as renet counts
    /// them: its packets' payloads, without netcode's header and MAC (about 18 bytes a
    /// packet) or IP and UDP headers.
    pub fn bytes_per_second(&self) -> (f64, f64) {
        let info = self.client.network_info();
        (info.bytes_sent_per_second, info.bytes_received_per_second)
    }

    /// Whether the host has accepted the connection and it has not ended.
    pub fn is_connected(&self) -> bool {
        self.state == State::Connected
    }

    /// Advances the connection by `elapsed`: receives, notices the end (no answer within
    /// the bounded wait, a timeout, the host leaving or refusing), and sends.
    pub fn update(&mut self, elapsed: Duration) {
        if matches!(self.state, State::Ended(_)) {
            return;
        }
        self.client.update(elapsed);
        // An error here is also a disconnect reason, read from the transport just below.
        let _ = self.transport.update(elapsed, &mut self.client);
        if let Some(reason) = self.transport.disconnect_reason() {
            // The last datagrams may carry messages (a refusal's reason): keep them.
            self.drain();
            self.end(self.netcode_reason(reason));
            return;
        }
        if let Some(reason) = self.client.disconnect_reason() {
            self.end(DisconnectReason::Transport(reason.to_string()));
            return;
        }
        match self.state {
            State::Connecting if self.client.is_connected() => {
                self.state = State::Connected;
                self.events.push_back(ClientEvent::Connected);
            }
            State::Connecting => {
                self.waited += elapsed;
                if self.waited >= self.config.connect_wait {
                    self.end(DisconnectReason::NoAnswer {
                        addr: self.addr,
                        waited: self.config.connect_wait,
                    });
                    return;
                }
            }
            State::Connected
                if self.transport.time_since_last_received_packet() >= self.config.timeout =>
            {
                self.end(DisconnectReason::TimedOut {
                    side: Side::Host,
                    timeout: self.config.timeout,
                });
                return;
            }
            State::Connected | State::Ended(_) => {}
        }
        if self.client.is_connected() {
            // An error disconnects the client, which the next update reports.
            let _ = self.transport.send_packets(&mut self.client);
        }
    }

    /// The next event. Messages wait in renet's buffer until polled, within the
    /// connection's budget: a client that stops polling is disconnected, not bloated.
    pub fn poll(&mut self) -> Option<ClientEvent<Down>> {
        if let Some(event) = self.events.pop_front() {
            return Some(event);
        }
        if self.state != State::Connected {
            return None;
        }
        let bytes = self.client.receive_message(CHANNEL)?;
        match self.accept(&bytes) {
            Ok(message) => Some(ClientEvent::Message(message)),
            Err(reason) => {
                self.end(reason);
                self.events.pop_front()
            }
        }
    }

    /// Sends `message` to the host (queued until connected).
    pub fn send(&mut self, message: &Up) -> Result<(), SendError> {
        if matches!(self.state, State::Ended(_)) {
            return Err(SendError::NotConnected);
        }
        let bytes = wire::encode(&ToHost::Msg(message), self.config.max_up_bytes)?;
        self.client.send_message(CHANNEL, bytes);
        Ok(())
    }

    /// Leaves the drill now, telling the host.
    pub fn disconnect(&mut self) {
        self.end(DisconnectReason::Closed);
    }

    /// Updates with real time until connected, or returns the one-line reason it could
    /// not connect. Waits at most the configured `connect_wait` (plus a round).
    pub fn connect_blocking(&mut self) -> Result<(), DisconnectReason> {
        let mut last = Instant::now();
        loop {
            std::thread::sleep(BLOCKING_STEP);
            let now = Instant::now();
            self.update(now - last);
            last = now;
            match &self.state {
                State::Connected => return Ok(()),
                State::Ended(reason) => return Err(reason.clone()),
                State::Connecting => {}
            }
        }
    }

    /// Sends raw bytes as one message, skipping the frame and the size check: for tests
    /// of what the host does with bad messages.
    #[cfg(test)]
    pub(crate) fn send_raw(&mut self, bytes: Vec<u8>) {
        self.client.send_message(CHANNEL, bytes);
    }

    fn accept(&mut self, bytes: &[u8]) -> Result<Down, DisconnectReason> {
        match wire::decode::<ToClient<Down>>(bytes, self.config.max_down_bytes) {
            Ok(ToClient::Msg(message)) => Ok(message),
            Ok(ToClient::Refused { reason }) => Err(DisconnectReason::Refused(reason)),
            Err(error) => Err(DisconnectReason::BadMessage {
                side: Side::Host,
                error,
            }),
        }
    }

    /// Queues the messages renet still holds, up to a refusal or a bad one.
    fn drain(&mut self) {
        while let Some(bytes) = self.client.receive_message(CHANNEL) {
            match self.accept(&bytes) {
                Ok(message) => self.events.push_back(ClientEvent::Message(message)),
                Err(reason) => {
                    self.end(reason);
                    return;
                }
            }
        }
    }

    fn netcode_reason(&self, reason: NetcodeDisconnectReason) -> DisconnectReason {
        match reason {
            NetcodeDisconnectReason::ConnectTokenExpired
            | NetcodeDisconnectReason::ConnectionRequestTimedOut
            | NetcodeDisconnectReason::ConnectionResponseTimedOut => DisconnectReason::NoAnswer {
                addr: self.addr,
                waited: self.waited,
            },
            NetcodeDisconnectReason::ConnectionDenied => {
                DisconnectReason::Refused("the drill has no room for another connection".to_owned())
            }
            NetcodeDisconnectReason::ConnectionTimedOut => DisconnectReason::TimedOut {
                side: Side::Host,
                timeout: self.config.timeout,
            },
            NetcodeDisconnectReason::DisconnectedByServer => {
                DisconnectReason::ClosedByPeer(Side::Host)
            }
            NetcodeDisconnectReason::DisconnectedByClient => DisconnectReason::Closed,
        }
    }

    /// Ends the connection once, telling the host, and queues the one `Disconnected`.
    fn end(&mut self, reason: DisconnectReason) {
        if matches!(self.state, State::Ended(_)) {
            return;
        }
        log::info!("drill connection to {} ended: {reason}", self.addr);
        self.transport.disconnect();
        self.client.disconnect();
        self.events
            .push_back(ClientEvent::Disconnected(reason.clone()));
        self.state = State::Ended(reason);
    }
}
