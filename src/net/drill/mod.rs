//! Team drills on top of the transport: the protocol both sides speak ([`protocol`]),
//! the host that runs the one true run ([`host`]), a client's copy of the run
//! ([`replica`]) and the client that keeps it in step with the host over the network
//! ([`client`]); a drill with its LAN announcement ([`served`]), and both sides pumped
//! on threads of their own for the app ([`background`]).

pub mod background;
pub mod client;
mod clock;
pub mod host;
pub mod protocol;
mod record;
pub mod replica;
mod roster;
pub mod served;

pub use record::JournalError;

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod e2e_tests;
#[cfg(test)]
mod host_tests;
#[cfg(test)]
mod script;
