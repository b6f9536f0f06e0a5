//! Hosts and clients over real UDP sockets on 127.0.0.1: joining, ordered messages both
//! ways, several clients and drills, wrong codes, garbage, bad messages, stalled and
//! dropped clients, refusals. Waits are bounded by generous deadlines; nothing asserts
//! a duration.

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::{
    Client, ClientEvent, ClientId, DisconnectReason, FrameError, Host, HostEvent, JoinCode,
    NetConfig, Side,
};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
enum Up {
    N(u32),
    Text(String),
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
enum Down {
    N(u32),
    Blob(Vec<u8>),
}

const CODE: &str = "7KQM-X2RD-WN9F";
const VERSION: &str = "9.9.9";
/// Far longer than any wait here should take; only a broken transport reaches it.
const DEADLINE: Duration = Duration::from_secs(30);

fn localhost() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// One host and its clients, driven together with real elapsed time.
struct Drill {
    host: Host<Up, Down>,
    code: JoinCode,
    config: NetConfig,
    /// `None` once dropped; frozen clients are neither updated nor polled.
    clients: Vec<Option<Client<Up, Down>>>,
    frozen: Vec<bool>,
    host_log: Vec<HostEvent<Up>>,
    logs: Vec<Vec<ClientEvent<Down>>>,
    last: Instant,
}

impl Drill {
    fn new(code: &str, config: NetConfig) -> Self {
        let code = JoinCode::parse(code).unwrap();
        Self {
            host: Host::bind(localhost(), &code, config.clone()).unwrap(),
            code,
            config,
            clients: Vec::new(),
            frozen: Vec::new(),
            host_log: Vec::new(),
            logs: Vec::new(),
            last: Instant::now(),
        }
    }

    /// Starts a client joining as `name`; returns its index.
    fn join(&mut self, name: &str) -> usize {
        let client = Client::connect(
            self.host.local_addr(),
            &self.code,
            name,
            VERSION,
            self.config.clone(),
        )
        .unwrap();
        self.clients.push(Some(client));
        self.frozen.push(false);
        self.logs.push(Vec::new());
        self.clients.len() - 1
    }

    /// Joins and waits until the host has seen the hello; returns index and client id.
    fn joined(&mut self, name: &str) -> (usize, ClientId) {
        let i = self.join(name);
        let id = self.client(i).id();
        self.until(&format!("{name} connected"), |d| {
            d.host_log
                .iter()
                .any(|e| matches!(e, HostEvent::Connected { client, .. } if *client == id))
        });
        (i, id)
    }

    fn client(&mut self, i: usize) -> &mut Client<Up, Down> {
        self.clients[i].as_mut().unwrap()
    }

    fn step(&mut self) {
        std::thread::sleep(Duration::from_millis(1));
        let now = Instant::now();
        let elapsed = now - self.last;
        self.last = now;
        self.host.update(elapsed);
        while let Some(event) = self.host.poll() {
            self.host_log.push(event);
        }
        for (i, slot) in self.clients.iter_mut().enumerate() {
            let Some(client) = slot else { continue };
            if self.frozen[i] {
                continue;
            }
            client.update(elapsed);
            while let Some(event) = client.poll() {
                self.logs[i].push(event);
            }
        }
    }

    fn until(&mut self, what: &str, done: impl Fn(&Self) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(start.elapsed() < DEADLINE, "gave up waiting for: {what}");
            self.step();
        }
    }

    fn host_messages(&self, from: ClientId) -> Vec<Up> {
        self.host_log
            .iter()
            .filter_map(|e| match e {
                HostEvent::Message { client, message } if *client == from => Some(message.clone()),
                _ => None,
            })
            .collect()
    }

    fn messages(&self, i: usize) -> Vec<Down> {
        self.logs[i]
            .iter()
            .filter_map(|e| match e {
                ClientEvent::Message(m) => Some(m.clone()),
                _ => None,
            })
            .collect()
    }

    fn host_disconnect(&self, id: ClientId) -> Option<(String, DisconnectReason)> {
        self.host_log.iter().find_map(|e| match e {
            HostEvent::Disconnected {
                client,
                name,
                reason,
            } if *client == id => Some((name.clone(), reason.clone())),
            _ => None,
        })
    }

    fn client_disconnect(&self, i: usize) -> Option<DisconnectReason> {
        self.logs[i].iter().find_map(|e| match e {
            ClientEvent::Disconnected(reason) => Some(reason.clone()),
            _ => None,
        })
    }

    /// A message each way still goes through for client `i`.
    fn still_talks(&mut self, i: usize, id: ClientId, n: u32) {
        self.client(i).send(&Up::N(n)).unwrap();
        self.host.send(id, &Down::N(n)).unwrap();
        self.until("a message each way", |d| {
            d.host_messages(id).contains(&Up::N(n)) && d.messages(i).contains(&Down::N(n))
        });
    }
}

#[test]
fn a_client_joins_and_messages_go_both_ways_in_order() {
    let mut drill = Drill::new(CODE, NetConfig::default());
    let (ana, id) = drill.joined("Ana María");
    assert_eq!(
        drill.host_log[0],
        HostEvent::Connected {
            client: id,
            name: "Ana María".into(),
            app_version: VERSION.into()
        }
    );
    assert_eq!(drill.logs[ana][0], ClientEvent::Connected);
    assert!(drill.client(ana).is_connected());
    assert_eq!(
        drill.host.clients().collect::<Vec<_>>(),
        vec![(id, "Ana María")]
    );

    for n in 0..200 {
        drill.client(ana).send(&Up::N(n)).unwrap();
        drill.host.send(id, &Down::N(n)).unwrap();
    }
    drill.client(ana).send(&Up::Text("done".into())).unwrap();
    drill.until("all 201 and 200 messages", |d| {
        d.host_messages(id).len() == 201 && d.messages(ana).len() == 200
    });
    let mut expected: Vec<Up> = (0..200).map(Up::N).collect();
    expected.push(Up::Text("done".into()));
    assert_eq!(drill.host_messages(id), expected);
    assert_eq!(
        drill.messages(ana),
        (0..200).map(Down::N).collect::<Vec<_>>()
    );

    drill.client(ana).disconnect();
    drill.until("the host sees Ana leave", |d| {
        d.host_disconnect(id).is_some()
    });
    assert_eq!(
        drill.host_disconnect(id),
        Some((
            "Ana María".into(),
            DisconnectReason::ClosedByPeer(Side::Client)
        ))
    );
    assert_eq!(drill.client_disconnect(ana), Some(DisconnectReason::Closed));
    assert_eq!(
        drill.client(ana).send(&Up::N(1)),
        Err(crate::SendError::NotConnected)
    );
}

#[test]
fn several_clients_each_get_broadcasts_and_are_told_apart() {
    let mut drill = Drill::new(CODE, NetConfig::default());
    let names = ["commander", "comms", "tech", "observer"];
    let joined: Vec<(usize, ClientId)> = names.iter().map(|n| drill.joined(n)).collect();
    let mut listed: Vec<(ClientId, String)> = joined
        .iter()
        .zip(names)
        .map(|((_, id), n)| (*id, n.to_owned()))
        .collect();
    listed.sort();
    assert_eq!(
        drill
            .host
            .clients()
            .map(|(id, n)| (id, n.to_owned()))
            .collect::<Vec<_>>(),
        listed
    );

    for (k, (i, _)) in joined.iter().enumerate() {
        drill.client(*i).send(&Up::Text(names[k].into())).unwrap();
    }
    for n in 0..5 {
        drill.host.broadcast(&Down::N(n)).unwrap();
    }
    drill.until("every message", |d| {
        joined
            .iter()
            .all(|(i, id)| d.host_messages(*id).len() == 1 && d.messages(*i).len() == 5)
    });
    for (k, (i, id)) in joined.iter().enumerate() {
        assert_eq!(drill.host_messages(*id), vec![Up::Text(names[k].into())]);
        assert_eq!(drill.messages(*i), (0..5).map(Down::N).collect::<Vec<_>>());
    }
}

#[test]
fn two_drills_on_two_ports_in_one_process_stay_apart() {
    let mut red = Drill::new(CODE, NetConfig::default());
    let mut blue = Drill::new("HJKM-NPQR-STUV", NetConfig::default());
    assert_ne!(red.host.local_addr().port(), blue.host.local_addr().port());
    let (r, rid) = red.joined("red one");
    let (b, bid) = blue.joined("blue one");
    red.still_talks(r, rid, 1);
    blue.still_talks(b, bid, 2);
    assert_eq!(red.host_messages(rid), vec![Up::N(1)]);
    assert_eq!(blue.host_messages(bid), vec![Up::N(2)]);
    assert_eq!(red.host.clients().count(), 1);
    assert_eq!(blue.host.clients().count(), 1);
}

#[test]
fn a_wrong_code_gets_no_answer_within_the_bounded_wait() {
    let code = JoinCode::parse(CODE).unwrap();
    let host: Host<Up, Down> = Host::bind(localhost(), &code, NetConfig::default()).unwrap();
    let addr = host.local_addr();
    let wrong = JoinCode::parse("HJKM-NPQR-STUV").unwrap();
    let mut client: Client<Up, Down> =
        Client::connect(addr, &wrong, "mallory", VERSION, NetConfig::default()).unwrap();
    // The host is polled from another thread meanwhile, as a real host would be.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hosting = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut host = host;
            let mut last = Instant::now();
            let mut seen = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(1));
                host.update(last.elapsed());
                last = Instant::now();
                while let Some(e) = host.poll() {
                    seen.push(e);
                }
            }
            seen
        })
    };
    let reason = client.connect_blocking().unwrap_err();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(hosting.join().unwrap().is_empty());
    assert_eq!(
        reason,
        DisconnectReason::NoAnswer {
            addr,
            waited: Duration::from_secs(5)
        }
    );
    assert_eq!(
        reason.to_string(),
        format!(
            "no drill answered at {addr} within 5 s: either the join code is wrong or no drill is running there (or it runs another firedrill protocol)"
        )
    );
    assert_eq!(client.poll(), Some(ClientEvent::Disconnected(reason)));
    assert_eq!(client.poll(), None);
}

/// Deterministic noise for garbage datagrams.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect()
}

#[test]
fn garbage_datagrams_neither_crash_the_host_nor_disturb_a_client() {
    let mut drill = Drill::new(CODE, NetConfig::default());
    let (ana, id) = drill.joined("Ana");
    let vandal = UdpSocket::bind(localhost()).unwrap();
    let target = drill.host.local_addr();
    let mut sent = 0;
    // Every netcode packet type (the first byte's low bits), cut at many lengths, plus
    // pure noise and empty datagrams.
    for prefix in 0u8..=8 {
        for len in [
            0usize, 1, 2, 9, 17, 30, 64, 200, 1077, 1078, 1300, 1400, 1500,
        ] {
            let mut datagram = noise(u64::from(prefix) * 1000 + len as u64, len);
            if let Some(first) = datagram.first_mut() {
                *first = prefix;
            }
            vandal.send_to(&datagram, target).unwrap();
            sent += 1;
        }
        drill.step();
    }
    for seed in 0..200 {
        vandal
            .send_to(&noise(seed, (seed as usize * 37) % 1400), target)
            .unwrap();
        sent += 1;
    }
    assert_eq!(sent, 9 * 13 + 200);
    for _ in 0..50 {
        drill.step();
    }
    drill.still_talks(ana, id, 7);
    assert!(drill.client(ana).is_connected());
    assert_eq!(drill.host_log.len(), 2, "{:?}", drill.host_log);
    assert_eq!(drill.host.clients().collect::<Vec<_>>(), vec![(id, "Ana")]);
}

#[test]
fn oversized_and_undecodable_messages_disconnect_their_sender_only() {
    let mut drill = Drill::new(CODE, NetConfig::default());
    let (big, big_id) = drill.joined("big");
    let (junk, junk_id) = drill.joined("junk");
    let (good, good_id) = drill.joined("good");

    // Over the 64 KiB limit through the typed API: refused before it leaves.
    let text = Up::Text("x".repeat(70_000));
    assert_eq!(
        drill.client(big).send(&text),
        Err(crate::SendError::Frame(FrameError::TooLarge {
            bytes: 70_019,
            max: 65_536
        }))
    );
    // A client that skips the check anyway.
    drill.client(big).send_raw(vec![b'x'; 100_000]);
    drill
        .client(junk)
        .send_raw(b"{\"Msg\":{\"Nope\":1}}".to_vec());
    drill.client(good).send(&Up::N(1)).unwrap();
    drill.until("both bad senders dropped", |d| {
        d.host_disconnect(big_id).is_some() && d.host_disconnect(junk_id).is_some()
    });
    assert_eq!(
        drill.host_disconnect(big_id),
        Some((
            "big".into(),
            DisconnectReason::BadMessage {
                side: Side::Client,
                error: FrameError::TooLarge {
                    bytes: 100_000,
                    max: 65_536
                }
            }
        ))
    );
    let (name, reason) = drill.host_disconnect(junk_id).unwrap();
    assert_eq!(name, "junk");
    assert!(
        matches!(&reason, DisconnectReason::BadMessage { side: Side::Client, error: FrameError::Undecodable(e) } if e.contains("unknown variant `Nope`")),
        "{reason}"
    );
    assert!(reason.to_string().starts_with(
        "the client sent a bad message: a message could not be decoded: unknown variant `Nope`"
    ));
    drill.until("the bad senders hear it", |d| {
        d.client_disconnect(big).is_some() && d.client_disconnect(junk).is_some()
    });
    assert_eq!(
        drill.client_disconnect(big),
        Some(DisconnectReason::ClosedByPeer(Side::Host))
    );

    drill.still_talks(good, good_id, 2);
    assert_eq!(drill.host_messages(good_id), vec![Up::N(1), Up::N(2)]);
    assert_eq!(
        drill.host.clients().collect::<Vec<_>>(),
        vec![(good_id, "good")]
    );
}

#[test]
fn a_client_that_stops_reading_is_disconnected_and_the_others_keep_up() {
    // A long timeout, so it is the memory budget that ends the stalled client.
    let config = NetConfig {
        timeout: Duration::from_secs(120),
        ..NetConfig::default()
    };
    let budget = config.down_budget;
    let mut drill = Drill::new(CODE, config);
    let (reader, reader_id) = drill.joined("reader");
    let (stalled, stalled_id) = drill.joined("stalled");
    drill.frozen[stalled] = true;

    // 16 KiB of bytes, 32 KiB as a JSON array: half of one update's sending allowance.
    let blob = Down::Blob(vec![7; 16 * 1024]);
    let frame = crate::wire::encode(&crate::wire::ToClient::Msg(&blob), usize::MAX)
        .unwrap()
        .len();
    assert_eq!(frame, 32 * 1024 + 18);
    let start = Instant::now();
    let mut sent = 0usize;
    while drill.host_disconnect(stalled_id).is_none() {
        assert!(
            start.elapsed() < DEADLINE,
            "gave up waiting for the stalled client to be dropped"
        );
        if drill.host.clients().any(|(id, _)| id == stalled_id) {
            drill.host.send(stalled_id, &blob).unwrap();
        }
        drill.host.send(reader_id, &blob).unwrap();
        sent += 1;
        drill.step();
    }
    assert_eq!(
        drill.host_disconnect(stalled_id),
        Some(("stalled".into(), DisconnectReason::Stalled { budget }))
    );
    assert_eq!(
        DisconnectReason::Stalled { budget }.to_string(),
        "the client stopped reading: 4194304 bytes were waiting for it"
    );
    // It took more than the budget's worth of blobs: the reader's pace was never the issue.
    assert!(sent * frame > budget, "dropped after {sent} blobs");
    drill.until("the reader has every blob", |d| {
        d.messages(reader).len() == sent
    });
    assert!(drill.messages(reader).iter().all(|m| *m == blob));
    drill.still_talks(reader, reader_id, 3);
    assert_eq!(
        drill.host.clients().collect::<Vec<_>>(),
        vec![(reader_id, "reader")]
    );
}

#[test]
fn a_dropped_client_times_out_and_rejoins_under_its_name() {
    let config = NetConfig {
        timeout: Duration::from_secs(2),
        ..NetConfig::default()
    };
    let mut drill = Drill::new(CODE, config);
    let (first, first_id) = drill.joined("Bo");
    let (other, other_id) = drill.joined("Cy");
    drill.still_talks(first, first_id, 1);
    // A killed process: no disconnect packet, just silence.
    drill.clients[first] = None;
    drill.until("Bo timed out", |d| d.host_disconnect(first_id).is_some());
    assert_eq!(
        drill.host_disconnect(first_id),
        Some((
            "Bo".into(),
            DisconnectReason::TimedOut {
                side: Side::Client,
                timeout: Duration::from_secs(2)
            }
        ))
    );
    assert_eq!(
        drill.host.send(first_id, &Down::N(0)),
        Err(crate::SendError::NotConnected)
    );

    let (again, again_id) = drill.joined("Bo");
    assert_ne!(again_id, first_id);
    assert_eq!(
        drill.host_log.last(),
        Some(&HostEvent::Connected {
            client: again_id,
            name: "Bo".into(),
            app_version: VERSION.into()
        })
    );
    drill.still_talks(again, again_id, 2);
    drill.still_talks(other, other_id, 3);
    assert_eq!(drill.client_disconnect(other), None);
}

#[test]
fn a_refused_client_shows_the_hosts_reason() {
    let mut drill = Drill::new(CODE, NetConfig::default());
    let (late, late_id) = drill.joined("late");
    drill.host.send(late_id, &Down::N(1)).unwrap();
    drill.host.refuse(
        late_id,
        "firedrill 9.9.9 cannot join a drill run by firedrill 0.1.0",
    );
    assert_eq!(drill.host.clients().count(), 0);
    drill.until("both ends see the refusal", |d| {
        d.client_disconnect(late).is_some() && d.host_disconnect(late_id).is_some()
    });
    let reason = DisconnectReason::Refused(
        "firedrill 9.9.9 cannot join a drill run by firedrill 0.1.0".into(),
    );
    assert_eq!(
        drill.logs[late],
        vec![
            ClientEvent::Connected,
            ClientEvent::Message(Down::N(1)),
            ClientEvent::Disconnected(reason.clone())
        ]
    );
    assert_eq!(
        reason.to_string(),
        "the host refused: firedrill 9.9.9 cannot join a drill run by firedrill 0.1.0"
    );
    assert_eq!(
        drill.host_disconnect(late_id),
        Some(("late".into(), reason))
    );
}

#[test]
fn clients_learn_at_once_that_the_host_is_gone() {
    let mut drill = Drill::new(CODE, NetConfig::default());
    let (ana, _) = drill.joined("Ana");
    let code = drill.code.clone();
    let config = drill.config.clone();
    // Swap the host for a fresh one elsewhere, dropping the drill's host.
    drill.host = Host::bind(localhost(), &code, config).unwrap();
    drill.until("Ana hears the host leave", |d| {
        d.client_disconnect(ana).is_some()
    });
    assert_eq!(
        drill.client_disconnect(ana),
        Some(DisconnectReason::ClosedByPeer(Side::Host))
    );
    assert_eq!(
        DisconnectReason::ClosedByPeer(Side::Host).to_string(),
        "the host closed the connection"
    );
}
