//! Team drills on top of the transport: the protocol both sides speak ([`protocol`]),
//! a client's copy of the run ([`replica`]) and the client that keeps it in step with
//! the host over the network ([`client`]).

pub mod client;
pub mod protocol;
pub mod replica;
#[cfg(test)]
mod script;
#[cfg(test)]
mod tests;
