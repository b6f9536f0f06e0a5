//! What travels inside the encrypted netcode packets: the protocol id, the one channel,
//! its memory budgets, and the frames around the caller's messages with their codec.
//!
//! Every message goes over one reliable-ordered channel in each direction. A drill's
//! messages are inputs and their stamps, which must all arrive and in order; an
//! unreliable channel would only help streaming state, which a deterministic replica
//! does not need.
//!
//! Frames are JSON (`serde_json`, already in the tree): a small message costs a few dozen
//! bytes more than a binary codec, which is nothing next to the 40-odd bytes of UDP,
//! netcode and renet headers and a drill's few messages per second (see the crate docs
//! for the measured figures).

use std::time::Duration;

use renet::{ChannelConfig, ConnectionConfig, SendType};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::NetConfig;

/// The wire protocol's version: netcode refuses a connect token with another protocol
/// id. Bump it whenever the frames, the channel layout or the key derivation change;
/// the app's own version travels in [`ToHost::Hello`].
pub const PROTOCOL_ID: u64 = 0x4644_524C_0000_0001; // "FDRL", protocol 1

/// The one channel each way.
pub(crate) const CHANNEL: u8 = 0;

/// How long an unacknowledged packet waits before it is sent again. LAN round trips are
/// a few milliseconds, so 100 ms recovers a lost input quickly without flooding.
const RESEND: Duration = Duration::from_millis(100);

/// A frame from a client to the host.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub(crate) enum ToHost<Up> {
    /// Always the first frame: the client's app version, for the host to accept or
    /// refuse with a reason.
    Hello {
        app_version: String,
    },
    Msg(Up),
}

/// A frame from the host to a client.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub(crate) enum ToClient<Down> {
    Msg(Down),
    /// The host is closing this connection and says why (another version, a seat taken,
    /// the drill ended); the client disconnects and shows the reason.
    Refused {
        reason: String,
    },
}

/// Why a frame could not be sent or was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("a message of {bytes} bytes is over the {max}-byte limit")]
    TooLarge { bytes: usize, max: usize },
    #[error("a message could not be decoded: {0}")]
    Undecodable(String),
    #[error("a message could not be encoded: {0}")]
    Unencodable(String),
}

/// Encodes a frame, refusing one over `max` bytes.
pub(crate) fn encode<T: Serialize>(frame: &T, max: usize) -> Result<Vec<u8>, FrameError> {
    let bytes = serde_json::to_vec(frame).map_err(|e| FrameError::Unencodable(e.to_string()))?;
    if bytes.len() > max {
        return Err(FrameError::TooLarge {
            bytes: bytes.len(),
            max,
        });
    }
    Ok(bytes)
}

/// Decodes a frame, refusing one over `max` bytes before reading it.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], max: usize) -> Result<T, FrameError> {
    if bytes.len() > max {
        return Err(FrameError::TooLarge {
            bytes: bytes.len(),
            max,
        });
    }
    serde_json::from_slice(bytes).map_err(|e| FrameError::Undecodable(e.to_string()))
}

/// renet's configuration for a connection: one reliable-ordered channel each way.
///
/// A channel's budget bounds both the sender's unacknowledged messages and the
/// receiver's unread ones, and renet disconnects a connection that would exceed it. So a
/// client that stops acknowledging (stalled, or reading nothing) costs the host at most
/// `down_budget` bytes before the host drops it, and a client flooding the host costs it
/// at most `up_budget`. Each budget holds several of the largest messages, so a
/// catch-up never trips it on a healthy link.
pub(crate) fn connection_config(config: &NetConfig) -> ConnectionConfig {
    let channel = |budget: usize| {
        vec![ChannelConfig {
            channel_id: CHANNEL,
            max_memory_usage_bytes: budget,
            send_type: SendType::ReliableOrdered {
                resend_time: RESEND,
            },
        }]
    };
    ConnectionConfig {
        server_channels_config: channel(config.down_budget),
        client_channels_config: channel(config.up_budget),
        ..ConnectionConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_json_and_size_checked() {
        let hello: ToHost<u32> = ToHost::Hello {
            app_version: "0.1.0".into(),
        };
        let bytes = encode(&hello, 100).unwrap();
        assert_eq!(bytes, br#"{"Hello":{"app_version":"0.1.0"}}"#);
        assert_eq!(decode::<ToHost<u32>>(&bytes, 100).unwrap(), hello);
        assert_eq!(encode(&ToHost::Msg(7u32), 9), Ok(br#"{"Msg":7}"#.to_vec()));
        assert_eq!(
            encode(&ToHost::Msg(70u32), 9),
            Err(FrameError::TooLarge { bytes: 10, max: 9 })
        );
        assert_eq!(
            decode::<ToHost<u32>>(br#"{"Msg":70}"#, 9),
            Err(FrameError::TooLarge { bytes: 10, max: 9 })
        );
        assert!(matches!(
            decode::<ToHost<u32>>(br#"{"Msg":"seven"}"#, 100),
            Err(FrameError::Undecodable(_))
        ));
    }
}
