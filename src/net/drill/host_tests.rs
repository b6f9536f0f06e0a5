//! The drill host over real UDP sockets on 127.0.0.1, with raw transport clients
//! scripted here: seats taken and refused, versions, rejoining, the grace period,
//! stamping and ordering, facilitator controls, the end and its drill file, resuming
//! from the disk journal. Waits are bounded by generous deadlines; nothing asserts a
//! duration.

use std::sync::Arc;
use std::time::{Duration, Instant};

use firedrill_core::drill::{self, By, DrillInput};
use firedrill_core::engine::action::{Action, Release, Role};
use firedrill_core::scenario::{self, Scenario, Severity, builtin};

use super::host::{DrillConfig, DrillHost};
use super::protocol::{Clock, Control, Down, Seat, Up};
use crate::{Client, ClientEvent, DisconnectReason, JoinCode, NetConfig};

const VERSION: &str = "1.0.0";
const CODE: &str = "7KQM-X2RD-WN9F";
/// Far longer than any wait here should take; only a broken host reaches it.
const DEADLINE: Duration = Duration::from_secs(30);
const SCENARIO: &str = "edge-waf-regex";

fn scenario() -> (Arc<Scenario>, String) {
    let text = builtin::source(SCENARIO).expect("built-in");
    (
        Arc::new(scenario::parse(text).expect("valid")),
        text.to_owned(),
    )
}

fn net() -> NetConfig {
    NetConfig {
        timeout: Duration::from_secs(1),
        ..NetConfig::default()
    }
}

fn config(out_dir: &std::path::Path) -> DrillConfig {
    DrillConfig {
        seed: 7,
        speed: 100.0,
        grace: Duration::from_millis(300),
        check_every: 10,
        out_dir: out_dir.to_path_buf(),
        net: net(),
        ..DrillConfig::new(VERSION)
    }
}

struct Peer {
    client: Option<Client<Up, Down>>,
    log: Vec<ClientEvent<Down>>,
}

/// One drill host and scripted clients, driven together with real elapsed time.
struct Rig {
    host: DrillHost,
    peers: Vec<Peer>,
    last: Instant,
    _dir: Option<tempfile::TempDir>,
}

impl Rig {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (scenario, text) = scenario();
        let host = DrillHost::open(
            "127.0.0.1:0".parse().expect("address"),
            JoinCode::parse(CODE).expect("code"),
            scenario,
            text,
            config(dir.path()),
        )
        .expect("hosted");
        Rig::around(host, Some(dir))
    }

    fn around(host: DrillHost, dir: Option<tempfile::TempDir>) -> Self {
        Rig {
            host,
            peers: Vec::new(),
            last: Instant::now(),
            _dir: dir,
        }
    }

    /// Connects `name` with `version` and asks for `seat`; returns the peer's index.
    fn connect(&mut self, name: &str, version: &str, seat: Option<Seat>) -> usize {
        let mut client = Client::connect(
            self.host.local_addr(),
            &JoinCode::parse(CODE).expect("code"),
            name,
            version,
            net(),
        )
        .expect("connecting");
        client.send(&Up::Join { seat }).expect("queued");
        self.peers.push(Peer {
            client: Some(client),
            log: Vec::new(),
        });
        self.peers.len() - 1
    }

    /// Joins and waits for the welcome; returns the peer's index.
    fn join(&mut self, name: &str, seat: Option<Seat>) -> usize {
        let peer = self.connect(name, VERSION, seat);
        self.until("a welcome", |r| r.welcome(peer).is_some());
        peer
    }

    fn send(&mut self, peer: usize, message: Up) {
        self.peers[peer]
            .client
            .as_mut()
            .expect("a live client")
            .send(&message)
            .expect("queued");
    }

    /// What a killed process looks like: the client vanishes without a word.
    fn kill(&mut self, peer: usize) {
        self.peers[peer].client = None;
    }

    fn step(&mut self) {
        std::thread::sleep(Duration::from_millis(2));
        let now = Instant::now();
        let elapsed = now - self.last;
        self.last = now;
        for notice in self.host.update(elapsed) {
            eprintln!("host: {notice}");
        }
        for peer in &mut self.peers {
            if let Some(client) = &mut peer.client {
                client.update(elapsed);
                while let Some(event) = client.poll() {
                    peer.log.push(event);
                }
            }
        }
    }

    fn until(&mut self, what: &str, done: impl Fn(&Rig) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(start.elapsed() < DEADLINE, "gave up waiting for {what}");
            self.step();
        }
    }

    fn messages(&self, peer: usize) -> impl Iterator<Item = &Down> {
        self.peers[peer].log.iter().filter_map(|e| match e {
            ClientEvent::Message(m) => Some(m),
            _ => None,
        })
    }

    fn welcome(&self, peer: usize) -> Option<Seat> {
        self.messages(peer).find_map(|m| match m {
            Down::Welcome(w) => Some(w.seat),
            _ => None,
        })
    }

    fn refusals(&self, peer: usize) -> Vec<String> {
        self.messages(peer)
            .filter_map(|m| match m {
                Down::Refused(reason) => Some(reason.clone()),
                _ => None,
            })
            .collect()
    }

    fn disconnected(&self, peer: usize) -> Option<&DisconnectReason> {
        self.peers[peer].log.iter().find_map(|e| match e {
            ClientEvent::Disconnected(reason) => Some(reason),
            _ => None,
        })
    }

    fn last_clock(&self, peer: usize) -> Option<Clock> {
        self.messages(peer)
            .filter_map(|m| match m {
                Down::Clock(c) => Some(*c),
                _ => None,
            })
            .last()
    }

    fn seating(&self) -> Vec<Action> {
        self.host
            .inputs()
            .iter()
            .filter(|i| i.action.is_seating())
            .map(|i| i.action.clone())
            .collect()
    }
}

fn take(role: Role, by: &str) -> Action {
    Action::TakeSeat {
        role,
        by: by.to_owned(),
    }
}

#[test]
fn seats_are_given_refused_with_a_reason_and_other_versions_turned_away() {
    let mut rig = Rig::new();
    let ana = rig.join("ana", Some(Seat::Role(Role::Commander)));
    assert_eq!(rig.welcome(ana), Some(Seat::Role(Role::Commander)));
    rig.join("dee", Some(Seat::Facilitator));
    let obs = rig.join("obs", None);
    assert_eq!(rig.welcome(obs), Some(Seat::Observer));

    let bob = rig.connect("bob", VERSION, Some(Seat::Role(Role::Commander)));
    let old = rig.connect("carl", "0.9.0", Some(Seat::Role(Role::Tech)));
    let eve = rig.connect("eve", VERSION, Some(Seat::Facilitator));
    rig.until("three refusals", |r| {
        [bob, old, eve].iter().all(|p| r.disconnected(*p).is_some())
    });
    let refused = |r: &Rig, p| match r.disconnected(p) {
        Some(DisconnectReason::Refused(reason)) => reason.clone(),
        other => panic!("not refused: {other:?}"),
    };
    assert_eq!(
        refused(&rig, bob),
        "the Incident Commander seat is taken by ana"
    );
    assert_eq!(
        refused(&rig, old),
        "the host runs firedrill 1.0.0; you run 0.9.0: use the same version"
    );
    assert_eq!(
        refused(&rig, eve),
        "dee is already facilitating this drill: join as an observer"
    );

    let at0 = |action| DrillInput {
        at: scenario::Duration::ZERO,
        by: By::Host,
        action,
    };
    assert_eq!(
        rig.host.inputs(),
        [
            at0(take(Role::Commander, "ana")),
            at0(Action::Join {
                by: "dee".into(),
                presence: firedrill_core::engine::action::Presence::Facilitator
            }),
            at0(Action::Join {
                by: "obs".into(),
                presence: firedrill_core::engine::action::Presence::Observer
            }),
        ]
    );
    // Everyone sees the lobby with the three people in it.
    rig.until("the full lobby at ana's", |r| {
        r.messages(ana)
            .any(|m| matches!(m, Down::Lobby(l) if l.people.len() == 3))
    });
    let lobby = rig.host.lobby();
    let people: Vec<(&str, Seat, bool)> = lobby
        .people
        .iter()
        .map(|p| (p.name.as_str(), p.seat, p.connected))
        .collect();
    assert_eq!(
        people,
        [
            ("ana", Seat::Role(Role::Commander), true),
            ("dee", Seat::Facilitator, true),
            ("obs", Seat::Observer, true),
        ]
    );
    // An observer may post, under their name; anything else is refused with its reason.
    rig.send(obs, Up::Act(Action::Acknowledge));
    rig.until("the observer's refusal", |r| !r.refusals(obs).is_empty());
    assert_eq!(
        rig.refusals(obs),
        ["an observer cannot acknowledge: observers watch and post; take a seat to act"]
    );
    let post = Action::Post {
        channel: firedrill_core::scenario::Channel::WarRoom,
        text: "Watching: the WAF graph moved first".into(),
    };
    rig.send(obs, Up::Act(post.clone()));
    rig.until("the observer's post", |r| {
        r.host.inputs().iter().any(|i| i.action == post)
    });
    let stamped = rig
        .host
        .inputs()
        .iter()
        .find(|i| i.action == post)
        .expect("stamped");
    assert_eq!(stamped.by, By::Observer("obs".into()));
    // A drill file with the observer's post loads and replays (the host saves one).
    let text = rig.host.drill_file().to_ron();
    let file = drill::parse(&text, &scenario().0).expect("the drill file loads");
    assert!(
        file.inputs
            .iter()
            .any(|i| i.by == By::Observer("obs".into()))
    );
}

#[test]
fn acts_are_stamped_from_the_senders_seat_before_the_clock_and_only_the_facilitator_runs_it() {
    let mut rig = Rig::new();
    let fac = rig.join("fay", Some(Seat::Facilitator));
    let ana = rig.join("ana", Some(Seat::Role(Role::Commander)));
    let ben = rig.join("ben", Some(Seat::Role(Role::Comms)));
    // A non-facilitator cannot start the drill: still in the lobby, nothing stamped.
    let before = rig.host.inputs().to_vec();
    rig.send(ana, Up::Control(Control::Start));
    rig.until("ana's refusal", |r| !r.refusals(ana).is_empty());
    assert_eq!(
        rig.refusals(ana),
        ["only the facilitator can start, pause, resume or change the speed"]
    );
    assert!(rig.host.clock().lobby);
    assert_eq!(rig.host.inputs(), before);

    rig.send(fac, Up::Control(Control::Start));
    rig.until("the clock running", |r| {
        r.host.engine().next_time().as_secs() >= 20
    });
    rig.send(ana, Up::Act(Action::Declare(Severity::Sev2)));
    // The Comms Lead cannot declare: refused, never stamped.
    rig.send(ben, Up::Act(Action::Declare(Severity::Sev1)));
    rig.until("ben's refusal", |r| !r.refusals(ben).is_empty());
    assert_eq!(
        rig.refusals(ben),
        ["the Communications Lead cannot declare: that is for the Incident Commander"]
    );
    rig.until("the declare stamped", |r| {
        r.host
            .inputs()
            .iter()
            .any(|i| i.by == By::Seat(Role::Commander))
    });
    let declared = rig
        .host
        .inputs()
        .iter()
        .find(|i| i.by == By::Seat(Role::Commander))
        .expect("stamped")
        .clone();
    assert_eq!(declared.action, Action::Declare(Severity::Sev2));
    assert!(declared.at.as_secs() >= 20);
    assert!(
        !rig.host
            .inputs()
            .iter()
            .any(|i| i.by == By::Seat(Role::Comms)),
        "ben's declare was not stamped"
    );
    // Everyone gets the input, then a clock past its second; no input is ever
    // stamped for a second a client's clock has already passed.
    rig.until("a clock past the declare at ben's", |r| {
        r.last_clock(ben).is_some_and(|c| c.next > declared.at)
    });
    for peer in [fac, ana, ben] {
        let mut next = scenario::Duration::ZERO;
        let mut seen = false;
        for message in rig.messages(peer) {
            match message {
                Down::Clock(c) => next = c.next,
                Down::Input(input) => {
                    assert!(input.at >= next, "{input:?} after the clock reached {next}");
                    seen |= *input == declared;
                }
                _ => {}
            }
        }
        assert!(seen, "peer {peer} got the declare");
    }

    // Pause stops the clock for everyone.
    rig.send(fac, Up::Control(Control::Pause));
    rig.until("everyone paused", |r| {
        [fac, ana, ben]
            .iter()
            .all(|p| r.last_clock(*p).is_some_and(|c| c.paused))
    });
    let paused_at = rig.host.engine().next_time();
    for _ in 0..50 {
        rig.step();
    }
    assert_eq!(rig.host.engine().next_time(), paused_at);
    assert_eq!(rig.last_clock(ana).map(|c| c.next), Some(paused_at));
    rig.send(fac, Up::Control(Control::Resume));
    rig.until("the clock moving again", |r| {
        r.last_clock(ben).is_some_and(|c| c.next > paused_at)
    });
    // The replicas' check: a fingerprint of the host's journal at its second.
    assert!(rig.messages(ana).any(|m| matches!(m, Down::Check { .. })));
}

#[test]
fn the_same_name_gets_its_seat_back_and_a_drop_past_the_grace_hands_it_to_the_bot() {
    let mut rig = Rig::new();
    let first = rig.join("ana", Some(Seat::Role(Role::Comms)));
    // Killed, and back before the host noticed: same seat, no seat change.
    rig.kill(first);
    let second = rig.join("ana", None);
    assert_eq!(rig.welcome(second), Some(Seat::Role(Role::Comms)));
    assert_eq!(rig.seating(), [take(Role::Comms, "ana")]);
    // Killed for good: dropped, then past the grace period the bot takes over.
    rig.kill(second);
    rig.until("the seat handed to the bot", |r| r.seating().len() == 2);
    assert_eq!(
        rig.seating()[1],
        Action::ReleaseSeat {
            role: Role::Comms,
            by: "ana".into(),
            reason: Release::Dropped
        }
    );
    assert!(rig.host.lobby().people.is_empty());
    // Back later: the seat is still the bot's, so it is hers again.
    let third = rig.join("ana", None);
    assert_eq!(rig.welcome(third), Some(Seat::Role(Role::Comms)));
    assert_eq!(rig.seating()[2..], [take(Role::Comms, "ana")]);
}

#[test]
fn a_resumed_drill_has_the_same_journal_and_its_end_saves_a_file_that_replays() {
    let mut rig = Rig::new();
    let fac = rig.join("fay", Some(Seat::Facilitator));
    let ana = rig.join("ana", Some(Seat::Role(Role::Commander)));
    rig.send(fac, Up::Control(Control::Start));
    rig.send(ana, Up::Act(Action::Acknowledge));
    rig.until("a minute of drill", |r| {
        r.host.engine().next_time().as_secs() >= 60
    });
    rig.send(fac, Up::Act(Action::Note("ana acknowledged".into())));
    rig.send(fac, Up::Control(Control::Pause));
    rig.until("paused", |r| r.host.clock().paused);
    let journal = rig.host.engine().journal().to_vec();
    let inputs = rig.host.inputs().to_vec();
    let next = rig.host.engine().next_time();
    let path = rig.host.journal_path().to_path_buf();
    let dir = rig._dir.take();

    // The host crashes; a new one resumes from its journal on disk.
    drop(rig);
    let out = dir.as_ref().expect("the out dir").path();
    let resumed = DrillHost::resume(&path, "127.0.0.1:0".parse().expect("address"), config(out))
        .expect("resumed");
    assert_eq!(resumed.engine().journal(), journal);
    assert_eq!(resumed.inputs(), inputs);
    assert_eq!(resumed.engine().next_time(), next);
    assert_eq!(
        (resumed.clock().paused, resumed.clock().lobby),
        (true, false)
    );
    assert!(resumed.lobby().people.iter().all(|p| !p.connected));

    // People rejoin with the same code and names: their seats, no seat change.
    let mut rig = Rig::around(resumed, dir);
    let ana = rig.join("ana", None);
    let fac = rig.join("fay", None);
    assert_eq!(rig.welcome(ana), Some(Seat::Role(Role::Commander)));
    assert_eq!(rig.welcome(fac), Some(Seat::Facilitator));
    assert_eq!(rig.host.inputs(), inputs);
    rig.send(fac, Up::Control(Control::Resume));
    rig.until("more drill", |r| r.host.engine().next_time() > next);
    rig.send(fac, Up::Act(Action::EndDrill));
    rig.until("the end at ana's", |r| {
        r.messages(ana).any(|m| *m == Down::Ended)
    });
    let saved = rig.host.saved().expect("saved").to_path_buf();
    // Joining after the end: refused with the reason.
    let late = rig.connect("lee", VERSION, None);
    rig.until("the late joiner refused", |r| {
        r.disconnected(late).is_some()
    });
    assert_eq!(
        rig.disconnected(late),
        Some(&DisconnectReason::Refused("the drill has ended".into()))
    );

    // The saved drill file replays to the host's journal and scores.
    let (scenario, _) = scenario();
    let file = drill::load_file(&saved, &scenario).expect("a valid drill file");
    assert_eq!(file.inputs, rig.host.inputs());
    let replayed = drill::play(scenario, &file).expect("replays");
    assert_eq!(replayed.journal(), rig.host.engine().journal());
    let scores = |engine| serde_json::to_value(drill::report(engine).seats).expect("serializes");
    assert_eq!(scores(&replayed), scores(rig.host.engine()));
    assert_eq!(drill::report(&replayed).seats[0].name, "ana");
}

/// A drill on 127.0.0.1 that ana hosts from her app (the organiser).
fn hosted_by_ana(out_dir: &std::path::Path) -> DrillHost {
    let (scenario, text) = scenario();
    DrillHost::open(
        "127.0.0.1:0".parse().expect("address"),
        JoinCode::parse(CODE).expect("code"),
        scenario,
        text,
        DrillConfig {
            organiser: Some("ana".into()),
            ..config(out_dir)
        },
    )
    .expect("hosted")
}

#[test]
fn the_organiser_runs_the_clock_from_a_role_seat_and_nobody_else_without_the_facilitator_seat() {
    let dir = tempfile::tempdir().expect("temp dir");
    let host = hosted_by_ana(dir.path());
    let mut rig = Rig::around(host, Some(dir));
    let ana = rig.join("ana", Some(Seat::Role(Role::Commander)));
    let ben = rig.join("ben", Some(Seat::Role(Role::Comms)));
    rig.send(ben, Up::Control(Control::Start));
    rig.until("ben's refusal", |r| !r.refusals(ben).is_empty());
    assert!(rig.host.clock().lobby);
    rig.send(ana, Up::Control(Control::Start));
    rig.until("the clock started", |r| !r.host.clock().lobby);
    rig.send(ana, Up::Control(Control::Pause));
    rig.until("the clock paused", |r| r.host.clock().paused);
    assert!(rig.refusals(ana).is_empty());
}

/// Waits until `done`, sleeping between looks; panics past [`DEADLINE`].
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn on_their_own_threads_a_host_and_a_client_keep_the_drill_going_and_wake_the_shell() {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::background::{ClientThread, HostThread};
    use super::client::DrillClient;
    use super::host::Notice;
    use super::served::Served;

    let dir = tempfile::tempdir().expect("temp dir");
    let drill = hosted_by_ana(dir.path());
    let host = HostThread::spawn(Served::unannounced(drill));
    let addr = host.with(|served| served.drill().local_addr());
    let client = DrillClient::join(
        addr,
        &JoinCode::parse(CODE).expect("code"),
        "ana",
        Some(Seat::Role(Role::Commander)),
        VERSION,
        DEADLINE,
    )
    .expect("joined");
    let wakes = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&wakes);
    let linked = ClientThread::spawn(client, move || {
        counted.fetch_add(1, Ordering::Relaxed);
    });
    // Nobody pumps either side but their threads: the clock runs and reaches the client.
    linked.with(|c| c.control(Control::Start)).expect("sent");
    wait_for("the replica's clock past 30 s", || {
        linked.with(|c| c.replica().clock().next.as_secs() >= 30)
    });
    let woken = wakes.load(Ordering::Relaxed);
    assert!(woken > 0, "the shell was never woken");
    linked
        .with(|c| c.act(Action::Declare(Severity::Sev2)))
        .expect("sent");
    let declared = |inputs: &[DrillInput]| {
        inputs.iter().any(|i| {
            i.action == Action::Declare(Severity::Sev2) && i.by == By::Seat(Role::Commander)
        })
    };
    wait_for("the declare in the replica", || {
        linked.with(|c| declared(&c.replica().drill_file().inputs))
    });
    assert!(host.with(|served| declared(served.drill().inputs())));
    assert!(wakes.load(Ordering::Relaxed) > woken);
    assert!(linked.take_events().is_empty(), "nothing refused or lost");
    // Dropping the client's handle leaves the drill cleanly: the seat goes to its bot.
    drop(linked);
    let mut heard = Vec::new();
    wait_for("ana leaving", || {
        heard.extend(host.take_notices());
        heard.iter().any(|n| {
            matches!(n, Notice::SeatReleased { name, reason: Release::Left, .. } if name == "ana")
        })
    });
}
