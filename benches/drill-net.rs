//! Team drills on loopback, measured: `cargo bench -p firedrill-net`.
//!
//! Prints, for a drill of edge-waf-regex hosted at 10× with five clients (three seats,
//! a facilitator, an observer):
//! - the time from a client sending an action to every other client's replica holding
//!   it (p50 / p99 over every action sent);
//! - the host's CPU: the share of a core its thread spends in `DrillHost::update`;
//! - bytes per client per minute, both directions, as renet counts them for the
//!   observer's connection (packet payloads; netcode adds about 18 bytes a packet, IP
//!   and UDP 28 more);
//! - a late joiner's catch-up at 2 h of sim time (a Welcome for chat-gateway-saturation
//!   at its 2 h limit, rebuilt into a replica), and the Welcome's size.
//!
//! A bench binary rather than criterion: the figures are distributions over one real
//! drill, not the mean of a repeated closure.
#![allow(
    clippy::panic,
    reason = "a bench stops at a drill it cannot set up, naming who could not join"
)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use firedrill_core::engine::Engine;
use firedrill_core::engine::action::{Action, Role};
use firedrill_core::scenario::{self, Channel, builtin};
use firedrill_net::JoinCode;
use firedrill_net::drill::client::DrillClient;
use firedrill_net::drill::host::{DrillConfig, DrillHost};
use firedrill_net::drill::protocol::{Clock, Control, Lobby, Seat, Welcome};
use firedrill_net::drill::replica::Replica;

const VERSION: &str = "bench";
const CODE: &str = "K7MQ-2XRD-9WNF";
/// Real time the measured drill runs: at 10×, ten sim minutes.
const RUN: Duration = Duration::from_secs(60);

fn main() {
    let (latency, host_cpu, bytes_per_min) = live_drill();
    let (catch_up, welcome_bytes) = late_joiner();
    println!("team drill on loopback, 5 clients, host at 10x, {RUN:?} of real time:");
    println!(
        "  action to every other client: p50 {:.2} ms, p99 {:.2} ms ({} actions x 4 clients)",
        percentile(&latency, 50),
        percentile(&latency, 99),
        latency.len() / 4
    );
    println!("  host CPU: {:.2}% of one core", host_cpu * 100.0);
    println!(
        "  bytes per client per minute (renet payloads): {:.0} sent, {:.0} received",
        bytes_per_min.0, bytes_per_min.1
    );
    println!(
        "late joiner at 2h of sim time: catch-up {:.1} ms (replica rebuilt from a {welcome_bytes}-byte welcome)",
        catch_up.as_secs_f64() * 1000.0
    );
}

fn percentile(samples: &[f64], p: usize) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn join(addr: SocketAddr, name: &str, seat: Seat) -> DrillClient {
    DrillClient::join(
        addr,
        &JoinCode::parse(CODE).expect("code"),
        name,
        Some(seat),
        VERSION,
        Duration::from_secs(10),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Returns the latencies in ms, the host's CPU share, and bytes per client per minute.
fn live_drill() -> (Vec<f64>, f64, (f64, f64)) {
    let dir = std::env::temp_dir().join(format!("firedrill-bench-{}", std::process::id()));
    let text = builtin::source("edge-waf-regex").expect("built-in");
    let scenario = Arc::new(scenario::parse(text).expect("valid"));
    let host = DrillHost::open(
        "127.0.0.1:0".parse().expect("address"),
        JoinCode::parse(CODE).expect("code"),
        scenario,
        text.to_owned(),
        DrillConfig {
            speed: 10.0,
            out_dir: dir.clone(),
            ..DrillConfig::new(VERSION)
        },
    )
    .expect("hosted");
    let addr = host.local_addr();
    let stop = Arc::new(AtomicBool::new(false));
    let busy = Arc::new(Mutex::new(Duration::ZERO));
    let host_thread = {
        let (stop, busy) = (Arc::clone(&stop), Arc::clone(&busy));
        std::thread::spawn(move || {
            let mut host = host;
            let mut last = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(5));
                let now = Instant::now();
                host.update(now - last);
                *busy.lock().expect("busy") += now.elapsed();
                last = now;
            }
        })
    };
    let mut clients: Vec<DrillClient> = vec![
        join(addr, "dee", Seat::Facilitator),
        join(addr, "ana", Seat::Role(Role::Commander)),
        join(addr, "ben", Seat::Role(Role::Comms)),
        join(addr, "cy", Seat::Role(Role::Tech)),
        join(addr, "obs", Seat::Observer),
    ];
    clients[0].control(Control::Start).expect("start");
    let started = Instant::now();
    let mut sent: Vec<(String, Instant)> = Vec::new();
    let mut seen: Vec<usize> = vec![0; clients.len()];
    let mut latency = Vec::new();
    let mut last = Instant::now();
    let mut next_post = Instant::now();
    let mut turn = 1;
    // The observer's bytes per second, sampled every second.
    let mut rates: Vec<(f64, f64)> = Vec::new();
    let mut next_sample = Instant::now() + Duration::from_secs(1);
    while started.elapsed() < RUN {
        std::thread::sleep(Duration::from_millis(1));
        let now = Instant::now();
        // Every 250 ms one of the seats posts in the war room.
        if now >= next_post && !clients[turn].replica().clock().lobby {
            let text = format!("bench {}", sent.len());
            clients[turn]
                .act(Action::Post {
                    channel: Channel::WarRoom,
                    text: text.clone(),
                })
                .expect("sent");
            sent.push((text, now));
            turn = turn % 3 + 1;
            next_post = now + Duration::from_millis(250);
        }
        for (i, client) in clients.iter_mut().enumerate() {
            client.update(now - last);
            let inputs = &client.replica().drill_file().inputs;
            for input in &inputs[seen[i]..] {
                if let Action::Post { text, .. } = &input.action
                    && let Some((_, at)) = sent.iter().find(|(t, _)| t == text)
                {
                    latency.push(at.elapsed().as_secs_f64() * 1000.0);
                }
            }
            seen[i] = inputs.len();
        }
        if now >= next_sample {
            let (sent, received) = clients[4].bytes_per_second();
            rates.push((sent, received));
            next_sample = now + Duration::from_secs(1);
        }
        last = now;
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    host_thread.join().expect("host thread");
    let _ = std::fs::remove_dir_all(&dir);
    let cpu = busy.lock().expect("busy").as_secs_f64() / elapsed.as_secs_f64();
    // The first seconds hold the welcome; the steady state is what a drill costs.
    let steady = &rates[rates.len().min(5)..];
    let n = steady.len().max(1) as f64;
    let per_min = (
        steady.iter().map(|r| r.0).sum::<f64>() / n * 60.0,
        steady.iter().map(|r| r.1).sum::<f64>() / n * 60.0,
    );
    (latency, cpu, per_min)
}

/// A replica rebuilt from the welcome a late joiner gets at 2 h of sim time.
fn late_joiner() -> (Duration, usize) {
    let text = builtin::source("chat-gateway-saturation").expect("built-in");
    let scenario = Arc::new(scenario::parse(text).expect("valid"));
    let mut engine = Engine::new(Arc::clone(&scenario), 1, &[]);
    let last = scenario.time_limit.as_secs() - 1;
    engine.advance_to(firedrill_core::scenario::Duration::from_secs(last));
    let welcome = Welcome {
        scenario_text: text.to_owned(),
        seed: 1,
        inputs: Vec::new(),
        clock: Clock {
            next: engine.next_time(),
            paused: false,
            speed: 1.0,
            lobby: false,
        },
        lobby: Lobby::default(),
        seat: Seat::Observer,
    };
    let bytes = serde_json::to_vec(&welcome).expect("serializes").len();
    let started = Instant::now();
    let replica = Replica::new(welcome, "late").expect("catches up");
    let took = started.elapsed();
    assert_eq!(replica.engine().journal(), engine.journal());
    (took, bytes)
}
