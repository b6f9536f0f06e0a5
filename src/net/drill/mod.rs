//! Team drills on top of the transport: the protocol both sides speak ([`protocol`]).

pub mod protocol;
