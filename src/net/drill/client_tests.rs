//! A drill client against a host scripted on the raw transport over real sockets on
//! 127.0.0.1: joining late, acting, refusals, wrong codes, desyncs, rejoining. The host
//! runs on its own thread, driven by the test through a channel; waits are bounded by
//! generous deadlines and nothing asserts a duration.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use firedrill_core::drill::By;
use firedrill_core::engine::action::{Action, Role};
use firedrill_core::scenario::Duration as SimTime;

use super::client::{DrillClient, DrillEvent, JoinError};
use super::protocol::{Down, Fingerprint, Seat, Up};
use super::replica::ReplicaError;
use super::script::ScriptedHost;
use crate::{ClientId, DisconnectReason, Host, HostEvent, JoinCode, NetConfig};

const CODE: &str = "7KQM-X2RD-WN9F";
const VERSION: &str = "9.9.9";
const WAIT: Duration = Duration::from_secs(3);
/// Far longer than any wait here should take; only a broken transport reaches it.
const DEADLINE: Duration = Duration::from_secs(30);

/// What the test tells the scripted host to do next.
enum Cmd {
    Advance(u64),
    Check,
    BadCheck,
    End,
    Stop,
}

/// A drill host on the raw transport: seats joiners, stamps their acts as the real host
/// does, and broadcasts what the test commands.
struct NetHost {
    addr: SocketAddr,
    commands: Sender<Cmd>,
    thread: JoinHandle<ScriptedHost>,
}

impl NetHost {
    fn start(host: ScriptedHost) -> NetHost {
        let code = JoinCode::parse(CODE).expect("a valid code");
        let net = Host::<Up, Down>::bind(
            "127.0.0.1:0".parse().expect("an address"),
            &code,
            NetConfig::default(),
        )
        .expect("binds");
        let addr = net.local_addr();
        let (commands, inbox) = mpsc::channel();
        let thread = thread::spawn(move || serve(net, host, &inbox));
        NetHost {
            addr,
            commands,
            thread,
        }
    }

    fn tell(&self, cmd: Cmd) {
        self.commands.send(cmd).expect("the host runs");
    }

    fn stop(self) -> ScriptedHost {
        self.tell(Cmd::Stop);
        self.thread.join().expect("the host thread ends")
    }
}

fn serve(mut net: Host<Up, Down>, mut host: ScriptedHost, inbox: &Receiver<Cmd>) -> ScriptedHost {
    let mut names: BTreeMap<ClientId, String> = BTreeMap::new();
    let mut seats: BTreeMap<String, Role> = BTreeMap::new();
    let mut last = Instant::now();
    loop {
        thread::sleep(Duration::from_millis(2));
        let now = Instant::now();
        net.update(now - last);
        last = now;
        while let Some(event) = net.poll() {
            match event {
                HostEvent::Connected {
                    client,
                    name,
                    app_version,
                } => {
                    if app_version == VERSION {
                        names.insert(client, name);
                    } else {
                        net.refuse(client, &format!("this drill runs firedrill {VERSION}"));
                    }
                }
                HostEvent::Message {
                    client,
                    message: Up::Join { seat },
                } => {
                    let name = names[&client].clone();
                    if host.ended {
                        net.refuse(client, "the drill has ended");
                        continue;
                    }
                    let seat = seat.or(seats.get(&name).map(|r| Seat::Role(*r)));
                    if let Some(Seat::Role(role)) = seat {
                        if let Some((holder, _)) =
                            seats.iter().find(|(n, r)| **r == role && **n != name)
                        {
                            let reason = format!("{} already sits in {}", holder, role.title());
                            net.refuse(client, &reason);
                            continue;
                        }
                        if !seats.contains_key(&name) {
                            seats.insert(name.clone(), role);
                            for message in host.seat(&name, role) {
                                net.broadcast(&message).expect("broadcasts");
                            }
                        }
                    }
                    net.send(client, &host.welcome(seat.unwrap_or(Seat::Observer)))
                        .expect("sends");
                }
                HostEvent::Message {
                    client,
                    message: Up::Act(action),
                } => match seats.get(&names[&client]) {
                    Some(role) => {
                        let input = host.take(By::Seat(*role), action);
                        net.broadcast(&input).expect("broadcasts");
                    }
                    None => net
                        .send(client, &Down::Refused("you have no seat".into()))
                        .expect("sends"),
                },
                HostEvent::Message { .. } | HostEvent::Disconnected { .. } => {}
            }
        }
        while let Ok(cmd) = inbox.try_recv() {
            let message = match cmd {
                Cmd::Advance(secs) => host.advance(secs),
                Cmd::Check => host.check(),
                Cmd::BadCheck => match host.check() {
                    Down::Check { next, fingerprint } => Down::Check {
                        next,
                        fingerprint: Fingerprint {
                            hash: fingerprint.hash.wrapping_add(1),
                            ..fingerprint
                        },
                    },
                    other => other,
                },
                Cmd::End => host.end(),
                Cmd::Stop => return host,
            };
            net.broadcast(&message).expect("broadcasts");
        }
    }
}

fn code() -> JoinCode {
    JoinCode::parse(CODE).expect("a valid code")
}

fn join(host: &NetHost, name: &str, seat: Option<Seat>) -> Result<DrillClient, JoinError> {
    DrillClient::join(host.addr, &code(), name, seat, VERSION, WAIT)
}

/// Updates `client` until `done`, collecting its events.
fn until(
    client: &mut DrillClient,
    what: &str,
    done: impl Fn(&DrillClient, &[DrillEvent]) -> bool,
) -> Vec<DrillEvent> {
    let start = Instant::now();
    let mut last = start;
    let mut events = Vec::new();
    while !done(client, &events) {
        assert!(start.elapsed() < DEADLINE, "never happened: {what}");
        thread::sleep(Duration::from_millis(2));
        let now = Instant::now();
        events.extend(client.update(now - last));
        last = now;
    }
    events
}

fn at(client: &DrillClient) -> u64 {
    client.replica().clock().next.as_secs()
}

#[test]
fn a_late_joiner_catches_up_and_its_act_comes_back_stamped() {
    // The Commander's seat is taken and nobody declares: the run does not resolve.
    let mut scripted = ScriptedHost::new("db-replica-lag", 5);
    scripted.seat("ic", Role::Commander);
    let net = NetHost::start(scripted);
    for _ in 0..30 {
        net.tell(Cmd::Advance(200));
    }
    // Wait until the host has got there: an early joiner would just follow live.
    let mut watcher = join(&net, "watcher", Some(Seat::Observer)).expect("joins");
    until(&mut watcher, "the host at 1h40m", |c, _| at(c) >= 6000);
    let mut ana = join(&net, "ana", Some(Seat::Role(Role::Tech))).expect("joins late");
    assert_eq!(ana.replica().seat(), Seat::Role(Role::Tech));
    assert_eq!(at(&ana), 6000);
    ana.act(Action::Acknowledge).expect("sends");
    until(&mut ana, "the act comes back", |c, _| {
        c.replica().drill_file().inputs.len() == 3
    });
    net.tell(Cmd::Advance(30));
    net.tell(Cmd::Check);
    net.tell(Cmd::End);
    let events = until(&mut ana, "the end", |c, _| c.replica().ended());
    assert_eq!(events, vec![DrillEvent::Ended]);
    until(&mut watcher, "the end", |c, _| c.replica().ended());
    let host = net.stop();
    let acted = &ana.replica().drill_file().inputs[2];
    assert_eq!(acted.by, By::Seat(Role::Tech));
    assert_eq!(acted.action, Action::Acknowledge);
    assert_eq!(acted.at, SimTime::from_secs(6000));
    assert_eq!(ana.replica().drill_file().inputs, host.inputs);
    assert_eq!(ana.replica().engine().journal(), host.engine.journal());
    assert_eq!(watcher.replica().engine().journal(), host.engine.journal());
}

#[test]
fn a_taken_seat_and_another_version_are_refused_with_their_reason() {
    let net = NetHost::start(ScriptedHost::new("edge-waf-regex", 1));
    let _ana = join(&net, "ana", Some(Seat::Role(Role::Comms))).expect("joins");
    let taken = join(&net, "ben", Some(Seat::Role(Role::Comms)))
        .err()
        .expect("refused");
    assert_eq!(
        taken.to_string(),
        "the host refused: ana already sits in Communications Lead"
    );
    let old = DrillClient::join(net.addr, &code(), "cy", None, "0.0.1", WAIT)
        .err()
        .expect("refused");
    assert_eq!(
        old.to_string(),
        "the host refused: this drill runs firedrill 9.9.9"
    );
    net.stop();
}

#[test]
fn a_wrong_code_fails_within_the_bounded_wait_as_no_answer() {
    let net = NetHost::start(ScriptedHost::new("edge-waf-regex", 1));
    let wrong = JoinCode::parse("2222-3333-4444").expect("a valid code");
    let error = DrillClient::join(net.addr, &wrong, "ana", None, VERSION, WAIT)
        .err()
        .expect("no answer");
    assert!(
        matches!(
            error,
            JoinError::Disconnected(DisconnectReason::NoAnswer { addr, .. }) if addr == net.addr
        ),
        "{error}"
    );
    assert!(
        error.to_string().contains("the join code is wrong"),
        "{error}"
    );
    net.stop();
}

#[test]
fn a_wrong_fingerprint_from_the_host_is_reported_as_a_desync() {
    let net = NetHost::start(ScriptedHost::new("edge-waf-regex", 1));
    let mut ana = join(&net, "ana", Some(Seat::Observer)).expect("joins");
    net.tell(Cmd::Advance(300));
    net.tell(Cmd::Check);
    net.tell(Cmd::Advance(60));
    net.tell(Cmd::BadCheck);
    let events = until(&mut ana, "the desync", |_, events| !events.is_empty());
    let [DrillEvent::Diverged(error)] = events.as_slice() else {
        panic!("one desync, got {events:?}")
    };
    assert!(
        matches!(error, ReplicaError::Desync { at, .. } if *at == SimTime::from_secs(360)),
        "{error}"
    );
    assert!(error.to_string().starts_with("desync at 6m: "), "{error}");
    net.stop();
}

#[test]
fn a_dropped_client_joins_again_by_name_and_gets_its_seat_and_the_same_journal() {
    let net = NetHost::start(ScriptedHost::new("chat-gateway-saturation", 2));
    let mut ana = join(&net, "ana", Some(Seat::Role(Role::Commander))).expect("joins");
    net.tell(Cmd::Advance(500));
    until(&mut ana, "5 minutes", |c, _| at(c) >= 500);
    ana.act(Action::Acknowledge).expect("sends");
    until(&mut ana, "the act comes back", |c, _| {
        c.replica().drill_file().inputs.len() == 2
    });
    // Dropped without a word, as a killed process is.
    drop(ana);
    net.tell(Cmd::Advance(300));
    net.tell(Cmd::Check);
    let mut again = join(&net, "ana", None).expect("joins again");
    assert_eq!(again.replica().seat(), Seat::Role(Role::Commander));
    until(&mut again, "the host at 13m20s", |c, _| at(c) >= 800);
    net.tell(Cmd::End);
    until(&mut again, "the end", |c, _| c.replica().ended());
    let host = net.stop();
    assert_eq!(again.replica().engine().journal(), host.engine.journal());
    assert_eq!(again.replica().drill_file().inputs.len(), 2);
}
