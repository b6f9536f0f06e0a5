//! Finding drills on the LAN with mDNS (mdns-sd): a host announces its drill, the join
//! screen browses for a few seconds and lists what answered.
//!
//! The service type is [`SERVICE_TYPE`]; the instance name is the drill's title; the TXT
//! record carries the scenario's title, the open seats and the firedrill version, and
//! never the join code: anyone on the LAN can read an announcement.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use mdns_sd::{MDNS_PORT, ServiceDaemon, ServiceEvent, ServiceInfo, TxtProperties};

/// The DNS-SD service type of a firedrill drill.
pub const SERVICE_TYPE: &str = "_firedrill._udp.local.";

/// The longest a DNS label (the instance name) and a TXT entry may be, in bytes.
const LABEL_MAX: usize = 63;
const TXT_ENTRY_MAX: usize = 255;
const KEY_SCENARIO: &str = "scenario";
const KEY_SEATS: &str = "seats";
const KEY_VERSION: &str = "version";

/// What a host tells the LAN about its drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillAd {
    /// The drill's title, shown in the list (at most 63 bytes are announced).
    pub title: String,
    /// The scenario's title.
    pub scenario: String,
    /// Seats nobody has taken yet.
    pub seats_open: u32,
    /// The host's firedrill version.
    pub version: String,
    /// The drill's UDP port.
    pub port: u16,
}

/// A drill found on the LAN: its announcement and the addresses it answered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDrill {
    pub ad: DrillAd,
    pub addresses: Vec<SocketAddr>,
}

/// Why discovery could not run.
#[derive(Debug, thiserror::Error)]
#[error("LAN discovery (mDNS) failed: {0}")]
pub struct DiscoveryError(String);

impl From<mdns_sd::Error> for DiscoveryError {
    fn from(e: mdns_sd::Error) -> Self {
        Self(e.to_string())
    }
}

/// A drill being announced; dropping it withdraws the announcement.
pub struct Announcer {
    daemon: ServiceDaemon,
    fullname: String,
}

impl Announcer {
    /// Announces `ad` on the LAN, on every interface's addresses.
    pub fn start(ad: &DrillAd) -> Result<Self, DiscoveryError> {
        Self::start_on(MDNS_PORT, ad)
    }

    /// Announces on another port than mDNS's 5353 (tests, which must not reach the LAN).
    fn start_on(mdns_port: u16, ad: &DrillAd) -> Result<Self, DiscoveryError> {
        let daemon = ServiceDaemon::new_with_port(mdns_port)?;
        let info = service_info(ad)?;
        let fullname = info.get_fullname().to_owned();
        daemon.register(info)?;
        Ok(Self { daemon, fullname })
    }

    /// Announces a change (seats taken or freed) under the same name.
    pub fn update(&mut self, ad: &DrillAd) -> Result<(), DiscoveryError> {
        let info = service_info(ad)?;
        self.fullname = info.get_fullname().to_owned();
        self.daemon.register(info)?;
        Ok(())
    }
}

impl Drop for Announcer {
    fn drop(&mut self) {
        // Best effort: the daemon may already be gone, and there is nobody to tell.
        let _ = self.daemon.unregister(&self.fullname);
        let _ = self.daemon.shutdown();
    }
}

/// Listens for `wait` and returns the drills that answered, by title and port.
pub fn browse(wait: Duration) -> Result<Vec<FoundDrill>, DiscoveryError> {
    browse_on(MDNS_PORT, wait)
}

fn browse_on(mdns_port: u16, wait: Duration) -> Result<Vec<FoundDrill>, DiscoveryError> {
    let daemon = ServiceDaemon::new_with_port(mdns_port)?;
    let events = daemon.browse(SERVICE_TYPE)?;
    let deadline = Instant::now() + wait;
    let mut found: BTreeMap<String, FoundDrill> = BTreeMap::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok(ServiceEvent::ServiceResolved(service)) => {
                let Some(instance) = service.fullname.strip_suffix(&format!(".{SERVICE_TYPE}"))
                else {
                    continue;
                };
                let Some(ad) = read_txt(instance, service.port, &service.txt_properties) else {
                    log::debug!(
                        "ignoring a firedrill announcement without its TXT fields: {}",
                        service.fullname
                    );
                    continue;
                };
                let ips: BTreeSet<IpAddr> =
                    service.addresses.iter().map(|ip| ip.to_ip_addr()).collect();
                let addresses = ips
                    .into_iter()
                    .map(|ip| SocketAddr::new(ip, ad.port))
                    .collect();
                found.insert(service.fullname.clone(), FoundDrill { ad, addresses });
            }
            Ok(ServiceEvent::ServiceRemoved(_, fullname)) => {
                found.remove(&fullname);
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let _ = daemon.shutdown();
    let mut drills: Vec<FoundDrill> = found.into_values().collect();
    drills.sort_by(|a, b| (&a.ad.title, a.ad.port).cmp(&(&b.ad.title, b.ad.port)));
    Ok(drills)
}

/// The mDNS record of an announcement.
fn service_info(ad: &DrillAd) -> Result<ServiceInfo, DiscoveryError> {
    let host = format!("firedrill-{}.local.", ad.port);
    let instance = truncate(&ad.title, LABEL_MAX);
    let info = ServiceInfo::new(
        SERVICE_TYPE,
        instance,
        &host,
        "",
        ad.port,
        write_txt(ad).as_slice(),
    )?;
    Ok(info.enable_addr_auto())
}

/// The TXT entries of an announcement, each cut to fit its 255 bytes.
fn write_txt(ad: &DrillAd) -> Vec<(&'static str, String)> {
    let fit = |key: &str, value: &str| truncate(value, TXT_ENTRY_MAX - key.len() - 1).to_owned();
    vec![
        (KEY_SCENARIO, fit(KEY_SCENARIO, &ad.scenario)),
        (KEY_SEATS, ad.seats_open.to_string()),
        (KEY_VERSION, fit(KEY_VERSION, &ad.version)),
    ]
}

/// An announcement read back, or `None` when a field is missing or unreadable.
fn read_txt(instance: &str, port: u16, txt: &TxtProperties) -> Option<DrillAd> {
    Some(DrillAd {
        title: unescape(instance),
        scenario: txt.get_property_val_str(KEY_SCENARIO)?.to_owned(),
        seats_open: txt.get_property_val_str(KEY_SEATS)?.parse().ok()?,
        version: txt.get_property_val_str(KEY_VERSION)?.to_owned(),
        port,
    })
}

/// mdns-sd escapes dots and backslashes in instance names.
fn unescape(instance: &str) -> String {
    instance.replace("\\.", ".").replace("\\\\", "\\")
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ad(title: &str, port: u16) -> DrillAd {
        DrillAd {
            title: title.into(),
            scenario: "The cache stampede".into(),
            seats_open: 2,
            version: "0.1.0".into(),
            port,
        }
    }

    #[test]
    fn txt_round_trips_and_fits() {
        let ad = ad("Team Blue v1.2", 40_000);
        let txt = write_txt(&ad);
        assert_eq!(
            txt,
            vec![
                ("scenario", "The cache stampede".to_owned()),
                ("seats", "2".to_owned()),
                ("version", "0.1.0".to_owned()),
            ]
        );
        let info = service_info(&ad).unwrap();
        assert_eq!(
            info.get_fullname(),
            "Team Blue v1\\.2._firedrill._udp.local."
        );
        let instance = info
            .get_fullname()
            .strip_suffix("._firedrill._udp.local.")
            .unwrap();
        assert_eq!(read_txt(instance, 40_000, info.get_properties()), Some(ad));

        let long = DrillAd {
            title: "é".repeat(40),
            scenario: "ü".repeat(200),
            ..self::ad("x", 1)
        };
        let txt = write_txt(&long);
        assert_eq!(txt[0].1, "ü".repeat(123)); // 255 - "scenario=" = 246 bytes
        assert_eq!(truncate(&long.title, LABEL_MAX), "é".repeat(31));
        service_info(&long).unwrap();
    }

    #[test]
    fn announcements_without_their_fields_are_ignored() {
        let bad = ServiceInfo::new(
            SERVICE_TYPE,
            "x",
            "h.local.",
            "",
            1,
            &[("seats", "many")][..],
        )
        .unwrap();
        assert_eq!(read_txt("x", 1, bad.get_properties()), None);
    }

    /// Over real multicast on this machine's interfaces, on a port other than 5353 so it
    /// stays off the LAN's mDNS. Where the sandbox has no multicast route, nothing is
    /// found and the test says so instead of failing.
    #[test]
    fn a_drill_announced_here_is_found() {
        let port = 45_353;
        let ad = ad("Game day: team red", 41_234);
        let announcer = Announcer::start_on(port, &ad).unwrap();
        let found = browse_on(port, Duration::from_secs(3)).unwrap();
        drop(announcer);
        if found.is_empty() {
            eprintln!("skipped: no mDNS answer here (no multicast on this machine's interfaces)");
            return;
        }
        let drill = found.iter().find(|d| d.ad.title == ad.title).unwrap();
        assert_eq!(drill.ad, ad);
        assert!(!drill.addresses.is_empty());
        assert!(drill.addresses.iter().all(|a| a.port() == 41_234));
    }
}
