//! Why a connection ended, as one line a person can read, on either side.

use std::net::SocketAddr;
use std::time::Duration;

use crate::FrameError;

/// Why a connection ended. `Display` is the one line shown to people; it names the
/// other side as "the host" or "the client" so it reads the same in logs and on screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisconnectReason {
    /// The client never got an answer. A wrong code and no drill look the same from
    /// outside: the host cannot read a token made with another code, so it stays silent.
    #[error(
        "no drill answered at {addr} within {} s: either the join code is wrong or no drill is running there (or it runs another firedrill protocol)",
        waited.as_secs()
    )]
    NoAnswer { addr: SocketAddr, waited: Duration },
    /// The host refused this client and said why.
    #[error("the host refused: {0}")]
    Refused(String),
    /// This side closed the connection on purpose.
    #[error("disconnected on request")]
    Closed,
    /// The other side closed the connection on purpose.
    #[error("the {0} closed the connection")]
    ClosedByPeer(Side),
    /// Nothing was heard from the other side for the timeout.
    #[error("nothing heard from the {side} for {} s", timeout.as_secs())]
    TimedOut { side: Side, timeout: Duration },
    /// The other side sent a message over the limit or one that could not be decoded.
    #[error("the {side} sent a bad message: {error}")]
    BadMessage { side: Side, error: FrameError },
    /// The other side broke the protocol (a second hello, a message before hello, a name
    /// that is not text).
    #[error("the {side} broke the protocol: {detail}")]
    Protocol { side: Side, detail: String },
    /// The client stopped reading: its unacknowledged messages reached the host's budget.
    #[error("the client stopped reading: {budget} bytes were waiting for it")]
    Stalled { budget: usize },
    /// The transport failed in a way the above do not cover (renet's or netcode's words).
    #[error("the network connection failed: {0}")]
    Transport(String),
}

/// The other end of a connection, in a [`DisconnectReason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Host,
    Client,
}

impl std::fmt::Display for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Side::Host => "host",
            Side::Client => "client",
        })
    }
}
