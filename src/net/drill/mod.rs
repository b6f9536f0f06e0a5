//! Team drills on top of the transport: the protocol both sides speak ([`protocol`])
//! and the host that runs the one true run ([`host`]).

mod clock;
pub mod host;
pub mod protocol;
mod record;
mod roster;

pub use record::JournalError;

#[cfg(test)]
mod tests;
