//! The drill host: one drill's one true run. It binds a transport [`Host`], seats
//! people (every seat change an input by the host), stamps what they do with the
//! engine's next second, broadcasts each input and then its clock, checks the
//! replicas with journal fingerprints, journals the drill to disk input by input, and
//! saves the drill file at the end. Headless: a loop or a Bevy system calls
//! [`DrillHost::update`].
//!
//! Seating rules (the protocol's module doc has the design):
//! * A role's seat is refused while another connected person holds it; a seat kept for
//!   someone who dropped goes to the newcomer (the dropped person's `ReleaseSeat`
//!   first). One facilitator at a time.
//! * The same name joining again while the old connection lingers (a killed client
//!   the host has not timed out yet), or within the grace period after a drop, gets the
//!   same seat back with no seat change in the journal.
//! * A drop keeps the seat for `grace` (real time); then the seat goes back to its bot
//!   (`ReleaseSeat` with `Dropped`), and the person gets it back on rejoining if it is
//!   still free. A clean disconnect gives the seat back (or leaves) at once.
//! * Observers watch and post in the channels, under their name; anything else they
//!   send is refused with a reason (the same check a drill file gets).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use firedrill_core::drill::{By, DrillFile, DrillInput, check_input};
use firedrill_core::engine::Engine;
use firedrill_core::engine::action::{Action, Input, Presence, Release, Role};
use firedrill_core::engine::journal::Outcome;
use firedrill_core::rotation::Played;
use firedrill_core::scenario::{self, Scenario};

use super::clock::DrillClock;
use super::protocol::{Clock, Control, Down, JournalHasher, Lobby, Seat, Up, Welcome};
use super::record::{DiskJournal, Header, JournalError};
use super::roster::{Member, Roster};
use crate::{ClientId, DisconnectReason, Host, HostEvent, JoinCode, NetConfig, NetError, Side};

/// How a drill is hosted.
#[derive(Debug, Clone)]
pub struct DrillConfig {
    /// The seed of a new drill (a resumed one keeps its own).
    pub seed: u64,
    /// Sim seconds per real second at the start.
    pub speed: f64,
    /// How long a dropped person's seat is kept for them, in real time.
    pub grace: Duration,
    /// Start without a facilitator once this many role seats are taken.
    pub start_with: Option<usize>,
    /// Sim seconds between two journal fingerprints sent to the replicas.
    pub check_every: u64,
    /// Where the drill journal and the drill file go.
    pub out_dir: PathBuf,
    /// This app's version: clients of another one are refused.
    pub app_version: String,
    pub net: NetConfig,
    /// What people played before, by name (the host machine's history), for the
    /// lobby's seat suggestions.
    pub histories: BTreeMap<String, Vec<Played>>,
    /// The person hosting from the app: they may start, pause, resume and set the
    /// speed from any seat, as the facilitator may (a team without a facilitator).
    pub organiser: Option<String>,
}

impl DrillConfig {
    pub fn new(app_version: &str) -> Self {
        DrillConfig {
            seed: 1,
            speed: 1.0,
            grace: Duration::from_secs(60),
            start_with: None,
            check_every: 30,
            out_dir: PathBuf::from("firedrill-runs"),
            app_version: app_version.to_owned(),
            net: NetConfig::default(),
            histories: BTreeMap::new(),
            organiser: None,
        }
    }
}

/// Why a drill could not be hosted or resumed.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error(transparent)]
    Net(#[from] NetError),
    #[error("{}: cannot write the drill journal: {error}", dir.display())]
    Journal { dir: PathBuf, error: std::io::Error },
    #[error(transparent)]
    Resume(#[from] JournalError),
    #[error("{}: {message}", path.display())]
    Damaged { path: PathBuf, message: String },
}

/// Something a person running the host wants to read, one line each.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Joined {
        name: String,
        seat: Seat,
    },
    /// The same person on a new connection, in the seat they had.
    Rejoined {
        name: String,
        seat: Seat,
    },
    /// The connection dropped; the seat is kept for the grace period.
    Dropped {
        name: String,
        seat: Seat,
    },
    /// Gone from the drill (a clean leave, or the grace period ran out).
    Left {
        name: String,
    },
    SeatTaken {
        name: String,
        role: Role,
    },
    SeatReleased {
        name: String,
        role: Role,
        reason: Release,
    },
    Refused {
        name: String,
        reason: String,
    },
    Started,
    Paused,
    Resumed,
    Speed(f64),
    Ended {
        outcome: Outcome,
        saved: Result<PathBuf, String>,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Joined { name, seat } => write!(f, "{name} joined {}", place(*seat)),
            Notice::Rejoined { name, seat } => write!(f, "{name} is back {}", place(*seat)),
            Notice::Dropped { name, seat } => write!(
                f,
                "{name} dropped; {} is kept for them for the grace period",
                seat_words(*seat)
            ),
            Notice::Left { name } => write!(f, "{name} left the drill"),
            Notice::SeatTaken { name, role } => {
                write!(f, "{name} took the {} seat", role.title())
            }
            Notice::SeatReleased { name, role, reason } => write!(
                f,
                "the {} seat went back to its bot: {name} {}",
                role.title(),
                reason.label()
            ),
            Notice::Refused { name, reason } => write!(f, "{name} was refused: {reason}"),
            Notice::Started => f.write_str("the drill started"),
            Notice::Paused => f.write_str("the drill is paused"),
            Notice::Resumed => f.write_str("the drill resumed"),
            Notice::Speed(speed) => write!(f, "the drill runs at {speed}x"),
            Notice::Ended { outcome, saved } => {
                write!(f, "the drill ended: {}; ", outcome.label())?;
                match saved {
                    Ok(path) => write!(f, "saved as {}", path.display()),
                    Err(e) => write!(f, "the drill file could not be saved: {e}"),
                }
            }
        }
    }
}

/// "the Communications Lead seat", "an observer", "the facilitator".
fn seat_words(seat: Seat) -> String {
    match seat {
        Seat::Role(role) => format!("the {} seat", role.title()),
        Seat::Observer => "an observer".to_owned(),
        Seat::Facilitator => "the facilitator".to_owned(),
    }
}

/// Where someone is in the drill: "in the Incident Commander seat", "as an observer".
fn place(seat: Seat) -> String {
    match seat {
        Seat::Role(role) => format!("in the {} seat", role.title()),
        Seat::Observer => "as an observer".to_owned(),
        Seat::Facilitator => "as the facilitator".to_owned(),
    }
}

/// One drill, hosted.
pub struct DrillHost {
    net: Host<Up, Down>,
    code: JoinCode,
    scenario: Arc<Scenario>,
    scenario_text: String,
    seed: u64,
    engine: Engine,
    clock: DrillClock,
    /// Every input stamped so far, in order: the drill file's inputs.
    inputs: Vec<DrillInput>,
    roster: Roster,
    /// Connections that said hello but have not joined yet, with their names.
    pending: std::collections::BTreeMap<ClientId, String>,
    hasher: JournalHasher,
    /// The sim second of the last fingerprint sent.
    last_check: u64,
    config: DrillConfig,
    disk: DiskJournal,
    /// Real time, the sum of what `update` was given.
    now: Duration,
    /// Where the drill file went (or why not), once the drill has ended.
    ended: Option<Result<PathBuf, String>>,
    notices: Vec<Notice>,
}

impl DrillHost {
    /// Hosts a new drill of `scenario` (parsed from `scenario_text`) on `addr` (port 0
    /// picks a free one) for people who know `code`. Nobody is seated: bots play every
    /// role until people take them.
    pub fn open(
        addr: std::net::SocketAddr,
        code: JoinCode,
        scenario: Arc<Scenario>,
        scenario_text: String,
        config: DrillConfig,
    ) -> Result<Self, HostError> {
        let header = Header {
            scenario: scenario.id.clone(),
            seed: config.seed,
            code: code.to_string(),
            scenario_text,
        };
        // The port first: a port in use leaves no journal behind.
        let net = Host::bind(addr, &code, config.net.clone())?;
        let disk =
            DiskJournal::create(&config.out_dir, &header).map_err(|error| HostError::Journal {
                dir: config.out_dir.clone(),
                error,
            })?;
        let engine = Engine::new(scenario.clone(), header.seed, &[]);
        Ok(DrillHost {
            net,
            code,
            scenario,
            scenario_text: header.scenario_text,
            seed: header.seed,
            engine,
            clock: DrillClock::new(config.speed),
            inputs: Vec::new(),
            roster: Roster::default().with_histories(config.histories.clone()),
            pending: Default::default(),
            hasher: JournalHasher::default(),
            last_check: 0,
            config,
            disk,
            now: Duration::ZERO,
            ended: None,
            notices: Vec::new(),
        })
    }

    /// Continues the drill journaled at `path` after a crash, with the same seed and
    /// code, paused (out of the lobby if it had started) so people rejoin first. Its
    /// people keep their seats for the grace period. `config.seed` is not used.
    pub fn resume(
        path: &Path,
        addr: std::net::SocketAddr,
        config: DrillConfig,
    ) -> Result<Self, HostError> {
        let (disk, recorded) = DiskJournal::resume(path)?;
        let damaged = |message: String| HostError::Damaged {
            path: path.to_path_buf(),
            message,
        };
        let header = recorded.header;
        let code = JoinCode::parse(&header.code)
            .map_err(|e| damaged(format!("the journal's join code is not valid: {e}")))?;
        let scenario = scenario::parse(&header.scenario_text)
            .map(Arc::new)
            .map_err(|_| damaged("the journal's scenario text is not valid".to_owned()))?;
        let mut engine = Engine::new(scenario.clone(), header.seed, &[]);
        for input in &recorded.inputs {
            engine
                .submit(Input {
                    at: input.at,
                    actor: input.by.actor(),
                    action: input.action.clone(),
                })
                .map_err(|e| damaged(format!("an input cannot be replayed: {e}")))?;
        }
        // Every input was stamped at the host's next second: the host had processed
        // the seconds before the last one, and the clock line says how far beyond.
        let next = recorded
            .inputs
            .iter()
            .map(|i| i.at.as_secs())
            .chain(recorded.clock.map(|c| c.next.as_secs()))
            .max()
            .unwrap_or(0);
        if next > 0 {
            engine.advance_to(scenario::Duration::from_secs(next - 1));
        }
        let mut clock = DrillClock::new(recorded.clock.map_or(config.speed, |c| c.speed));
        clock.lobby = recorded.clock.is_none_or(|c| c.lobby);
        clock.paused = !clock.lobby;
        let net = Host::bind(addr, &code, config.net.clone())?;
        let mut host = DrillHost {
            net,
            code,
            roster: Roster::from_inputs(&recorded.inputs, Duration::ZERO)
                .with_histories(config.histories.clone()),
            scenario,
            scenario_text: header.scenario_text,
            seed: header.seed,
            engine,
            clock,
            inputs: recorded.inputs,
            pending: Default::default(),
            hasher: JournalHasher::default(),
            last_check: next,
            config,
            disk,
            now: Duration::ZERO,
            ended: None,
            notices: Vec::new(),
        };
        host.journal_clock();
        Ok(host)
    }

    /// One round: the transport, every event (inputs stamped, submitted and broadcast
    /// first), the grace periods, then the clock advanced by `real_elapsed` × speed and
    /// broadcast, a fingerprint when due, and the end. Returns what happened, to print.
    pub fn update(&mut self, real_elapsed: Duration) -> Vec<Notice> {
        self.now += real_elapsed;
        self.net.update(real_elapsed);
        while let Some(event) = self.net.poll() {
            self.handle(event);
        }
        self.expire_grace();
        self.auto_start();
        if self.ended.is_none() {
            let secs = self.clock.pass(real_elapsed);
            if secs > 0 {
                self.engine.advance(scenario::Duration::from_secs(secs));
                self.broadcast(&Down::Clock(self.clock_now()));
                self.check();
            }
            if let Some(outcome) = self.engine.outcome() {
                self.finish(outcome);
            }
        }
        std::mem::take(&mut self.notices)
    }

    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.net.local_addr()
    }

    /// The addresses people can dial to join ([`Host::dial_addresses`]).
    pub fn dial_addresses(&self) -> Vec<std::net::SocketAddr> {
        self.net.dial_addresses()
    }

    /// The firedrill version clients must run.
    pub fn app_version(&self) -> &str {
        &self.config.app_version
    }

    pub fn code(&self) -> &JoinCode {
        &self.code
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Every input stamped so far, in the host's order.
    pub fn inputs(&self) -> &[DrillInput] {
        &self.inputs
    }

    pub fn clock(&self) -> Clock {
        self.clock_now()
    }

    pub fn lobby(&self) -> Lobby {
        self.roster.lobby()
    }

    /// How many role seats nobody holds (bots play them).
    pub fn seats_open(&self) -> usize {
        Role::ALL.len() - self.roster.seats_taken()
    }

    /// The drill journal on disk, for `resume`.
    pub fn journal_path(&self) -> &Path {
        self.disk.path()
    }

    /// Whether the drill has ended (and its file been saved, or failed to be).
    pub fn is_ended(&self) -> bool {
        self.ended.is_some()
    }

    /// Where the drill file was saved, once ended.
    pub fn saved(&self) -> Option<&Path> {
        self.ended
            .as_ref()
            .and_then(|r| r.as_ref().ok())
            .map(PathBuf::as_path)
    }

    /// The drill file of everything stamped so far.
    pub fn drill_file(&self) -> DrillFile {
        DrillFile {
            scenario: self.scenario.id.clone(),
            seed: self.seed,
            inputs: self.inputs.clone(),
        }
    }

    fn clock_now(&self) -> Clock {
        self.clock.message(self.engine.next_time())
    }

    fn handle(&mut self, event: HostEvent<Up>) {
        match event {
            HostEvent::Connected {
                client,
                name,
                app_version,
            } => {
                if app_version != self.config.app_version {
                    let reason = format!(
                        "the host runs firedrill {}; you run {app_version}: use the same version",
                        self.config.app_version
                    );
                    self.refuse(client, &name, &reason);
                } else if self.ended.is_some() {
                    self.refuse(client, &name, "the drill has ended");
                } else {
                    self.pending.insert(client, name);
                }
            }
            HostEvent::Message { client, message } => self.message(client, message),
            HostEvent::Disconnected { client, name, .. } if self.pending.contains_key(&client) => {
                log::debug!("{name} left before joining");
                self.pending.remove(&client);
            }
            HostEvent::Disconnected {
                client,
                name,
                reason,
            } => self.disconnected(client, &name, &reason),
        }
    }

    fn message(&mut self, client: ClientId, message: Up) {
        if let Up::Join { seat } = message {
            return self.join(client, seat);
        }
        let Some(name) = self.roster.name_of(client).map(str::to_owned) else {
            return self.tell(client, "join the drill first");
        };
        match message {
            Up::Join { .. } => {}
            Up::Act(action) => self.act(client, &name, action),
            Up::TakeSeat(role) => self.take_seat(client, &name, role),
            Up::LeaveSeat => self.leave_seat(client, &name),
            Up::Control(control) => self.control(client, &name, control),
        }
    }

    fn join(&mut self, client: ClientId, asked: Option<Seat>) {
        let Some(name) = self.pending.get(&client).cloned() else {
            return self.tell(client, "you are already in the drill");
        };
        if self.ended.is_some() {
            return self.refuse(client, &name, "the drill has ended");
        }
        if let Some(member) = self.roster.get_mut(&name) {
            // The same person again: the old connection lingers, or they dropped and
            // came back within the grace period. Same seat, no seat change.
            let old = member.client.replace(client);
            member.dropped_at = None;
            let seat = member.seat;
            if let Some(old) = old.filter(|old| *old != client) {
                self.net.disconnect(old);
            }
            self.pending.remove(&client);
            self.welcome(client, seat);
            self.notices.push(Notice::Rejoined { name, seat });
            return;
        }
        let seat = match asked {
            Some(seat) => seat,
            None => self
                .roster
                .seat_to_return(&name)
                .map_or(Seat::Observer, Seat::Role),
        };
        let seated = match seat {
            Seat::Role(role) => match self.free_seat(role) {
                Ok(()) => self.stamp(
                    By::Host,
                    Action::TakeSeat {
                        role,
                        by: name.clone(),
                    },
                ),
                Err(reason) => Err(reason),
            },
            Seat::Facilitator => match self.roster.facilitator() {
                Some(other) => Err(format!(
                    "{other} is already facilitating this drill: join as an observer"
                )),
                None => self.stamp(By::Host, join_as(&name, Presence::Facilitator)),
            },
            Seat::Observer => self.stamp(By::Host, join_as(&name, Presence::Observer)),
        };
        if let Err(reason) = seated {
            return self.refuse(client, &name, &reason);
        }
        self.roster.insert(
            &name,
            Member {
                seat,
                client: Some(client),
                dropped_at: None,
            },
        );
        self.pending.remove(&client);
        self.welcome(client, seat);
        self.notices.push(Notice::Joined { name, seat });
    }

    /// Whether `role`'s seat can be taken: free, or kept for someone who dropped (it
    /// goes back to the bot first, on their behalf).
    fn free_seat(&mut self, role: Role) -> Result<(), String> {
        match self.roster.holder(role) {
            None => Ok(()),
            Some((holder, true)) => Err(format!("the {} seat is taken by {holder}", role.title())),
            Some((holder, false)) => {
                let holder = holder.to_owned();
                self.release_dropped(&holder);
                Ok(())
            }
        }
    }

    fn welcome(&mut self, client: ClientId, seat: Seat) {
        let welcome = Welcome {
            scenario_text: self.scenario_text.clone(),
            seed: self.seed,
            inputs: self.inputs.clone(),
            clock: self.clock_now(),
            lobby: self.roster.lobby(),
            seat,
        };
        if let Err(e) = self.net.send(client, &Down::Welcome(Box::new(welcome))) {
            log::warn!("drill host: cannot welcome client {client}: {e}");
        }
        self.broadcast_lobby();
    }

    fn act(&mut self, client: ClientId, name: &str, action: Action) {
        let Some(member) = self.roster.get(name) else {
            return;
        };
        let by = match member.seat {
            Seat::Role(role) => By::Seat(role),
            Seat::Facilitator => By::Facilitator,
            Seat::Observer => By::Observer(name.to_owned()),
        };
        if action.is_seating() {
            return self.tell(
                client,
                "seats change by taking or leaving a seat, not by an action",
            );
        }
        if let Err(reason) = self.stamp(by, action) {
            self.tell(client, &reason);
        }
    }

    fn take_seat(&mut self, client: ClientId, name: &str, role: Role) {
        let Some(seat) = self.roster.get(name).map(|m| m.seat) else {
            return;
        };
        if seat == Seat::Role(role) {
            return self.tell(
                client,
                &format!("you already sit in the {} seat", role.title()),
            );
        }
        if let Err(reason) = self.free_seat(role) {
            return self.tell(client, &reason);
        }
        let left = match seat {
            Seat::Role(old) => self.release(name, old, Release::HandedBack),
            Seat::Observer | Seat::Facilitator => {
                self.stamp(By::Host, Action::Leave(name.to_owned()))
            }
        };
        let taken = left.and_then(|()| {
            self.stamp(
                By::Host,
                Action::TakeSeat {
                    role,
                    by: name.to_owned(),
                },
            )
        });
        match taken {
            Ok(()) => {
                if let Some(member) = self.roster.get_mut(name) {
                    member.seat = Seat::Role(role);
                }
                self.notices.push(Notice::SeatTaken {
                    name: name.to_owned(),
                    role,
                });
                self.broadcast_lobby();
                self.auto_start();
            }
            Err(reason) => self.tell(client, &reason),
        }
    }

    fn leave_seat(&mut self, client: ClientId, name: &str) {
        let Some(Seat::Role(role)) = self.roster.get(name).map(|m| m.seat) else {
            return self.tell(client, "you do not sit in a role's seat");
        };
        let left = self
            .release(name, role, Release::HandedBack)
            .and_then(|()| self.stamp(By::Host, join_as(name, Presence::Observer)));
        match left {
            Ok(()) => {
                if let Some(member) = self.roster.get_mut(name) {
                    member.seat = Seat::Observer;
                }
                self.broadcast_lobby();
            }
            Err(reason) => self.tell(client, &reason),
        }
    }

    fn control(&mut self, client: ClientId, name: &str, control: Control) {
        let facilitator = self.roster.get(name).map(|m| m.seat) == Some(Seat::Facilitator);
        if !facilitator && self.config.organiser.as_deref() != Some(name) {
            log::warn!("drill host: {name} is not the facilitator and asked to control the clock");
            return self.tell(
                client,
                "only the facilitator can start, pause, resume or change the speed",
            );
        }
        let notice = match control {
            Control::Start if self.clock.lobby => {
                self.clock.lobby = false;
                Notice::Started
            }
            Control::Start => return self.tell(client, "the drill has already started"),
            Control::Pause => {
                self.clock.paused = true;
                Notice::Paused
            }
            Control::Resume => {
                self.clock.paused = false;
                Notice::Resumed
            }
            Control::Speed(speed) => {
                if !self.clock.set_speed(speed) && !speed.is_finite() {
                    return self.tell(client, "a speed is a number of sim seconds per second");
                }
                Notice::Speed(self.clock.speed())
            }
        };
        self.notices.push(notice);
        self.broadcast(&Down::Clock(self.clock_now()));
        self.journal_clock();
    }

    fn disconnected(&mut self, client: ClientId, name: &str, reason: &DisconnectReason) {
        let Some(member) = self
            .roster
            .get_mut(name)
            .filter(|m| m.client == Some(client))
        else {
            // A connection replaced by the same person's new one, or never joined.
            return;
        };
        let clean = matches!(reason, DisconnectReason::ClosedByPeer(Side::Client));
        if clean {
            self.remove(name, Release::Left);
        } else {
            member.client = None;
            member.dropped_at = Some(self.now);
            let seat = member.seat;
            self.notices.push(Notice::Dropped {
                name: name.to_owned(),
                seat,
            });
        }
        self.broadcast_lobby();
    }

    /// Hands back the seats of people whose grace period ran out.
    fn expire_grace(&mut self) {
        let expired = self.roster.expired(self.now, self.config.grace);
        for name in &expired {
            self.release_dropped(name);
        }
        if !expired.is_empty() {
            self.broadcast_lobby();
        }
    }

    /// A dropped person is gone for good: their seat goes back to its bot (and comes
    /// back to them on rejoining if still free).
    fn release_dropped(&mut self, name: &str) {
        if let Some(Seat::Role(role)) = self.remove(name, Release::Dropped) {
            self.roster.returning(name, role);
        }
    }

    /// Takes a person out of the drill, stamping their seat's release or their leave.
    fn remove(&mut self, name: &str, reason: Release) -> Option<Seat> {
        let member = self.roster.remove(name)?;
        let stamped = match member.seat {
            Seat::Role(role) => self.release(name, role, reason),
            Seat::Observer | Seat::Facilitator => {
                let left = self.stamp(By::Host, Action::Leave(name.to_owned()));
                if left.is_ok() {
                    self.notices.push(Notice::Left {
                        name: name.to_owned(),
                    });
                }
                left
            }
        };
        if let Err(reason) = stamped {
            log::info!("drill host: {name} left after the end: {reason}");
        }
        Some(member.seat)
    }

    fn release(&mut self, name: &str, role: Role, reason: Release) -> Result<(), String> {
        self.stamp(
            By::Host,
            Action::ReleaseSeat {
                role,
                by: name.to_owned(),
                reason,
            },
        )?;
        self.notices.push(Notice::SeatReleased {
            name: name.to_owned(),
            role,
            reason,
        });
        Ok(())
    }

    /// Leaves the lobby once enough seats are taken, when configured to.
    fn auto_start(&mut self) {
        let enough = self
            .config
            .start_with
            .is_some_and(|n| self.roster.seats_taken() >= n);
        if self.clock.lobby && enough && self.ended.is_none() {
            self.clock.lobby = false;
            self.notices.push(Notice::Started);
            self.broadcast(&Down::Clock(self.clock_now()));
            self.journal_clock();
        }
    }

    /// Takes an input at the engine's next second: checked as a drill file checks it,
    /// submitted, recorded, journaled to disk and broadcast. The reason when not taken.
    fn stamp(&mut self, by: By, action: Action) -> Result<(), String> {
        let input = DrillInput {
            at: self.engine.next_time(),
            by,
            action,
        };
        if let Some(problem) = check_input(&input, &self.scenario).first() {
            return Err(problem.message().to_owned());
        }
        self.engine
            .submit(Input {
                at: input.at,
                actor: input.by.actor(),
                action: input.action.clone(),
            })
            .map_err(|e| e.to_string())?;
        if let Err(e) = self.disk.input(&input) {
            log::error!(
                "drill host: cannot journal an input to {}: {e}",
                self.disk.path().display()
            );
        }
        self.broadcast(&Down::Input(input.clone()));
        self.inputs.push(input);
        Ok(())
    }

    /// Sends a fingerprint when `check_every` sim seconds have passed since the last.
    fn check(&mut self) {
        let next = self.engine.next_time();
        if next.as_secs() >= self.last_check + self.config.check_every.max(1) {
            let fingerprint = self.hasher.fingerprint(self.engine.journal());
            self.broadcast(&Down::Check { next, fingerprint });
            self.last_check = next.as_secs();
            self.journal_clock();
        }
    }

    fn finish(&mut self, outcome: Outcome) {
        self.broadcast(&Down::Ended);
        self.journal_clock();
        let saved = self
            .disk
            .save_drill(&self.drill_file().to_ron())
            .map_err(|e| e.to_string());
        if let Err(e) = &saved {
            log::error!("drill host: cannot save the drill file: {e}");
        }
        self.ended = Some(saved.clone());
        self.notices.push(Notice::Ended { outcome, saved });
    }

    fn journal_clock(&mut self) {
        if let Err(e) = self.disk.clock(&self.clock_now()) {
            log::error!(
                "drill host: cannot journal the clock to {}: {e}",
                self.disk.path().display()
            );
        }
    }

    fn broadcast_lobby(&mut self) {
        self.broadcast(&Down::Lobby(self.roster.lobby()));
    }

    fn broadcast(&mut self, message: &Down) {
        if let Err(e) = self.net.broadcast(message) {
            log::error!("drill host: cannot broadcast: {e}");
        }
    }

    /// Tells one client what it asked for was not done.
    fn tell(&mut self, client: ClientId, reason: &str) {
        if let Err(e) = self.net.send(client, &Down::Refused(reason.to_owned())) {
            log::warn!("drill host: cannot answer client {client}: {e}");
        }
    }

    fn refuse(&mut self, client: ClientId, name: &str, reason: &str) {
        self.pending.remove(&client);
        self.net.refuse(client, reason);
        self.notices.push(Notice::Refused {
            name: name.to_owned(),
            reason: reason.to_owned(),
        });
    }
}

fn join_as(name: &str, presence: Presence) -> Action {
    Action::Join {
        by: name.to_owned(),
        presence,
    }
}
