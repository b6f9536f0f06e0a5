//! A hosted drill together with its LAN announcement: updating one keeps the other
//! true (the open seats the LAN hears). What `firedrill host` serves and what the app
//! runs on its host thread ([`super::background::HostThread`]).

use std::time::Duration;

use super::host::{DrillHost, Notice};
use crate::discovery::{Announcer, DiscoveryError, DrillAd};

/// A drill and its announcement.
pub struct Served {
    drill: DrillHost,
    /// `None` when the LAN could not be told: people dial the address instead.
    announcer: Option<Announcer>,
    /// The open seats last announced.
    seats_open: usize,
}

impl Served {
    /// Announces `drill` on the LAN. Not announcing is no failure (people dial the
    /// address), so it comes back as the reason beside the served drill.
    pub fn announce(drill: DrillHost) -> (Served, Option<DiscoveryError>) {
        let (announcer, problem) = match Announcer::start(&ad(&drill)) {
            Ok(announcer) => (Some(announcer), None),
            Err(problem) => (None, Some(problem)),
        };
        let served = Served {
            seats_open: drill.seats_open(),
            drill,
            announcer,
        };
        (served, problem)
    }

    /// One round of the drill ([`DrillHost::update`]), then the announcement when the
    /// open seats changed. Returns the drill's notices, and why the announcement could
    /// not be updated, if it could not.
    pub fn update(&mut self, elapsed: Duration) -> (Vec<Notice>, Option<DiscoveryError>) {
        let notices = self.drill.update(elapsed);
        let open = self.drill.seats_open();
        let mut problem = None;
        if open != self.seats_open {
            self.seats_open = open;
            if let Some(announcer) = &mut self.announcer {
                problem = announcer.update(&ad(&self.drill)).err();
            }
        }
        (notices, problem)
    }

    /// Serves `drill` without telling the LAN (tests, which must not reach it).
    #[cfg(test)]
    pub(crate) fn unannounced(drill: DrillHost) -> Served {
        Served {
            seats_open: drill.seats_open(),
            drill,
            announcer: None,
        }
    }

    pub fn drill(&self) -> &DrillHost {
        &self.drill
    }

    /// Whether the LAN was told about the drill.
    pub fn announced(&self) -> bool {
        self.announcer.is_some()
    }
}

/// What the LAN hears about a drill.
fn ad(drill: &DrillHost) -> DrillAd {
    DrillAd {
        title: drill.scenario().title.clone(),
        scenario: drill.scenario().id.clone(),
        seats_open: u32::try_from(drill.seats_open()).unwrap_or(u32::MAX),
        version: drill.app_version().to_owned(),
        port: drill.local_addr().port(),
    }
}
