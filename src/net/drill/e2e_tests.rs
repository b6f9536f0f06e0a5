//! A whole team drill over real sockets on 127.0.0.1: the real drill host on its own
//! thread, three seat clients playing the shipped walkthroughs of edge-waf-regex at
//! their sim times, and a facilitator who starts the drill, pauses and resumes it for
//! everyone and fires an inject. One seat's client is killed mid-drill (dropped without
//! a word, as `kill -9` leaves it) and joins again by name. Every client must end with
//! the host's journal, and each seat's score must equal a headless replay of the drill
//! file the host saved. Waits are bounded by generous deadlines; nothing asserts a
//! duration.

use std::sync::Arc;
use std::time::{Duration as Real, Instant};

use firedrill_core::drill::{self, By};
use firedrill_core::engine::action::{Action, Role};
use firedrill_core::engine::journal::Entry;
use firedrill_core::inputs::{self, InputFile};
use firedrill_core::scenario::{self, Duration, builtin};

use super::client::{DrillClient, DrillEvent};
use super::host::{DrillConfig, DrillHost};
use super::protocol::{Control, Seat};
use crate::{JoinCode, NetConfig};

const VERSION: &str = "1.0.0";
const CODE: &str = "K7MQ-2XRD-9WNF";
/// Far longer than the drill takes at 100×; only a broken drill reaches it.
const DEADLINE: Real = Real::from_secs(120);
const WAIT: Real = Real::from_secs(10);

/// The shipped walkthrough of `role` on edge-waf-regex.
fn walkthrough(role: Role) -> InputFile {
    let scenario = builtin::load("edge-waf-regex").expect("built-in");
    let text = match role {
        Role::Commander => {
            include_str!("../../../scenarios/walkthroughs/edge-waf-regex.commander.ron")
        }
        Role::Comms => include_str!("../../../scenarios/walkthroughs/edge-waf-regex.comms.ron"),
        Role::Tech => include_str!("../../../scenarios/walkthroughs/edge-waf-regex.tech.ron"),
    };
    inputs::parse(text, &scenario).expect("a valid walkthrough")
}

/// A person at their machine: their client and the walkthrough actions not yet sent.
struct Seated {
    name: &'static str,
    role: Role,
    client: DrillClient,
    actions: std::collections::VecDeque<(Duration, Action)>,
}

fn join(addr: std::net::SocketAddr, name: &str, seat: Seat) -> DrillClient {
    DrillClient::join(
        addr,
        &JoinCode::parse(CODE).expect("code"),
        name,
        Some(seat),
        VERSION,
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{name} could not join: {e}"))
}

/// Pumps a client; a refusal is fine (the journal says so), anything else that ends
/// the client is a failure.
fn pump(client: &mut DrillClient, elapsed: Real, who: &str) {
    for event in client.update(elapsed) {
        match event {
            DrillEvent::Refused(_) | DrillEvent::Ended => {}
            DrillEvent::Diverged(error) => panic!("{who}: {error}"),
            DrillEvent::Disconnected(reason) => panic!("{who} lost the drill: {reason}"),
        }
    }
}

#[test]
fn three_seats_and_a_facilitator_play_one_drill_through_a_drop_and_a_rejoin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = builtin::source("edge-waf-regex").expect("built-in");
    let scenario = Arc::new(scenario::parse(text).expect("valid"));
    let net = NetConfig {
        timeout: Real::from_secs(2),
        ..NetConfig::default()
    };
    let host = DrillHost::open(
        "127.0.0.1:0".parse().expect("address"),
        JoinCode::parse(CODE).expect("code"),
        Arc::clone(&scenario),
        text.to_owned(),
        DrillConfig {
            seed: 5,
            speed: 100.0,
            grace: Real::from_secs(30),
            check_every: 10,
            out_dir: dir.path().to_path_buf(),
            net: net.clone(),
            ..DrillConfig::new(VERSION)
        },
    )
    .expect("hosted");
    let addr = host.local_addr();
    // The host runs on its own thread, as on its own machine, until the drill has ended
    // and the last messages are out.
    let host_thread = std::thread::spawn(move || {
        let mut host = host;
        let mut last = Instant::now();
        let mut ended_at = None;
        let started = Instant::now();
        while ended_at.is_none_or(|t: Instant| t.elapsed() < Real::from_secs(1)) {
            assert!(started.elapsed() < DEADLINE, "the drill never ended");
            std::thread::sleep(Real::from_millis(2));
            let now = Instant::now();
            host.update(now - last);
            last = now;
            if host.is_ended() && ended_at.is_none() {
                ended_at = Some(Instant::now());
            }
        }
        host
    });

    let mut facilitator = join(addr, "dee", Seat::Facilitator);
    let mut people: Vec<Seated> = [
        ("ana", Role::Commander),
        ("ben", Role::Comms),
        ("cy", Role::Tech),
    ]
    .into_iter()
    .map(|(name, role)| Seated {
        name,
        role,
        client: join(addr, name, Seat::Role(role)),
        actions: walkthrough(role)
            .actions
            .into_iter()
            .map(|a| (a.at, a.action))
            .collect(),
    })
    .collect();
    facilitator
        .control(Control::Start)
        .expect("the start is sent");

    let mut paused_at: Option<Duration> = None;
    let (mut resumed, mut fired, mut rejoined) = (false, false, false);
    let mut last = Instant::now();
    let started = Instant::now();
    while !facilitator.replica().ended() || people.iter().any(|p| !p.client.replica().ended()) {
        assert!(
            started.elapsed() < DEADLINE,
            "the clients never saw the end"
        );
        std::thread::sleep(Real::from_millis(2));
        let now = Instant::now();
        let elapsed = now - last;
        last = now;
        pump(&mut facilitator, elapsed, "the facilitator");
        for person in &mut people {
            pump(&mut person.client, elapsed, person.name);
            let clock = person.client.replica().clock();
            while let Some((at, _)) = person.actions.front()
                && !clock.lobby
                && clock.next >= *at
            {
                let (_, action) = person.actions.pop_front().expect("an action is due");
                person.client.act(action).expect("the action is sent");
            }
        }
        let clock = facilitator.replica().clock();
        let next = clock.next;
        // At 3m the facilitator stops the clock for everyone, then starts it again.
        if paused_at.is_none() && next >= Duration::from_mins(3) {
            facilitator.control(Control::Pause).expect("sent");
            paused_at = Some(next);
        }
        if let Some(at) = paused_at
            && !resumed
            && clock.paused
            && people.iter().all(|p| p.client.replica().clock().paused)
        {
            // Everyone's clock stands where the host stopped it.
            let stopped = clock.next;
            assert!(stopped >= at);
            assert!(
                people
                    .iter()
                    .all(|p| p.client.replica().clock().next == stopped)
            );
            facilitator.control(Control::Resume).expect("sent");
            resumed = true;
        }
        // At 8m the facilitator fires the executive swoop early.
        if resumed && !fired && next >= Duration::from_mins(8) {
            facilitator
                .act(Action::FireInject("exec-swoop".into()))
                .expect("sent");
            fired = true;
        }
        // At 10m the Technical Lead's machine dies and comes back.
        if fired && !rejoined && next >= Duration::from_mins(10) {
            let cy = people
                .iter_mut()
                .find(|p| p.role == Role::Tech)
                .expect("cy");
            // Replaced: the old client is dropped without a word.
            cy.client = join(addr, "cy", Seat::Role(Role::Tech));
            assert_eq!(cy.client.replica().seat(), Seat::Role(Role::Tech));
            rejoined = true;
        }
    }
    assert!(resumed && fired && rejoined, "every step of the script ran");
    let host = host_thread.join().expect("the host thread");
    let journal: &[Entry] = host.engine().journal();

    // Everyone saw the same incident: the host's journal, entry for entry.
    assert_eq!(facilitator.replica().engine().journal(), journal);
    for person in &people {
        assert_eq!(
            person.client.replica().engine().journal(),
            journal,
            "{}'s journal",
            person.name
        );
    }
    // The rejoin within the grace period changed no seat: each seat was taken once.
    let seatings: Vec<(Role, &str)> = host
        .inputs()
        .iter()
        .filter_map(|input| match (&input.by, &input.action) {
            (By::Host, Action::TakeSeat { role, by }) => Some((*role, by.as_str())),
            (By::Host, Action::ReleaseSeat { .. }) => panic!("no seat went back: {input:?}"),
            _ => None,
        })
        .collect();
    assert_eq!(seatings.len(), 3, "{seatings:?}");
    assert!(host.inputs().iter().any(|input| input.by == By::Facilitator
        && input.action == Action::FireInject("exec-swoop".into())));

    // The saved drill file replays headless to the same journal and the same scores.
    let saved = host.saved().expect("the drill file was saved");
    let file = drill::load_file(saved, &scenario).expect("the drill file loads");
    let replay = drill::play(Arc::clone(&scenario), &file).expect("the drill replays");
    assert_eq!(replay.journal(), journal);
    let replayed = drill::report(&replay);
    let shown = drill::report(people[0].client.replica().engine());
    let totals = |report: &drill::DrillReport| -> Vec<(String, Role, u32)> {
        report
            .seats
            .iter()
            .map(|s| (s.name.clone(), s.role, s.scorecard.scores.total))
            .collect()
    };
    assert_eq!(totals(&replayed), totals(&shown));
    let names: Vec<(String, Role)> = totals(&replayed)
        .into_iter()
        .map(|(name, role, _)| (name, role))
        .collect();
    assert_eq!(
        names,
        [
            ("ana".to_string(), Role::Commander),
            ("ben".to_string(), Role::Comms),
            ("cy".to_string(), Role::Tech)
        ]
    );
}
