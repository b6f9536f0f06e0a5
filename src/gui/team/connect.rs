//! The connect screen: host a drill from this app (a host thread, then joining it over
//! loopback like anyone else), join one by address and code or from the drills heard on
//! the LAN. Searching and joining wait on the network, so they run on threads of their
//! own and wake the app when done; the screen shows a spinner meanwhile.

use std::net::{Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bevy::prelude::*;
use bevy::winit::EventLoopProxyWrapper;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_core::history::turns;
use firedrill_core::scenario::{Scenario, builtin};
use firedrill_net::JoinCode;
use firedrill_net::discovery::{self, DiscoveryError, FoundDrill};
use firedrill_net::drill::background::{ClientThread, HostThread};
use firedrill_net::drill::client::{DrillClient, JoinError};
use firedrill_net::drill::host::{DrillConfig, DrillHost};
use firedrill_net::drill::served::Served;
use firedrill_panels::menu::ScenarioCard;
use firedrill_panels::team::{
    ConnectAction, ConnectForm, ConnectTab, ConnectView, FoundLine, connect,
};

use super::{Hosting, JoinRequest, TeamDrill, place, seat, waker};
use crate::gui::debrief::{OutDir, ScenarioFile};
use crate::gui::history::{DataDir, all_runs};
use crate::gui::{Library, Screen, Step, root_ui};

/// This firedrill's version: a host of another one refuses the join.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// How long joining waits for the host's answer.
const JOIN_WAIT: Duration = Duration::from_secs(5);
/// How long a LAN search listens.
const BROWSE_FOR: Duration = Duration::from_secs(3);

/// The answer of work running on another thread, once it is done.
struct Pending<T>(Mutex<Receiver<T>>);

impl<T: Send + 'static> Pending<T> {
    /// Runs `work` on a thread; `wake` is called when its answer is ready.
    fn spawn(work: impl FnOnce() -> T + Send + 'static, wake: impl Fn() + Send + 'static) -> Self {
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            // The screen may have gone (the app closing): nobody to tell.
            let _ = send.send(work());
            wake();
        });
        Pending(Mutex::new(receive))
    }

    /// The answer, if it has come; `Some(None)` when the thread died without one.
    fn answer(&self) -> Option<Option<T>> {
        let receive = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match receive.try_recv() {
            Ok(answer) => Some(Some(answer)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(None),
        }
    }
}

/// A join under way, and the drill this app started hosting for it, if any.
struct Joining {
    request: JoinRequest,
    answer: Pending<Result<DrillClient, JoinError>>,
    hosting: Option<Hosting>,
}

/// The connect screen's state.
#[derive(Resource, Default)]
pub struct ConnectState {
    view: ConnectView,
    form: ConnectForm,
    browsing: Option<Pending<Result<Vec<FoundDrill>, DiscoveryError>>>,
    joining: Option<Joining>,
}

impl ConnectState {
    /// The trainee's name from the menu, unless a name is typed already.
    pub fn prefill(&mut self, name: &str) {
        if self.form.name.trim().is_empty() {
            self.form.name = name.trim().to_owned();
        }
    }

    /// After a lost connection: the form filled to rejoin, and why it was lost.
    pub fn lost(&mut self, joined: &JoinRequest, why: String) {
        self.form.tab = ConnectTab::Join;
        self.form.name = joined.name.clone();
        self.form.address = joined.address.to_string();
        self.form.code = joined.code.to_string();
        if let Some(asked) = joined.seat {
            self.form.place = place(asked);
        }
        self.view.error = Some(format!(
            "{why}. Join again with the same name to get your seat back."
        ));
    }
}

/// `firedrill join ADDRESS --code CODE --name NAME` without --headless: the app opens
/// on this screen, joining.
#[derive(Resource)]
pub struct JoinOnStart(pub JoinRequest);

pub fn plugin(app: &mut App) {
    app.init_resource::<ConnectState>()
        .add_systems(Startup, join_on_start.in_set(Step::Advance))
        .add_systems(
            Update,
            (joined, searched)
                .in_set(Step::Advance)
                .run_if(in_state(Screen::Connect)),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw.run_if(in_state(Screen::Connect)),
        );
}

fn join_on_start(
    mut commands: Commands,
    asked: Option<Res<JoinOnStart>>,
    mut state: ResMut<ConnectState>,
    proxy: Option<Res<EventLoopProxyWrapper>>,
) {
    if let Some(asked) = asked {
        state.form.name = asked.0.name.clone();
        state.form.address = asked.0.address.to_string();
        state.form.code = asked.0.code.to_string();
        start_join(&mut state, asked.0.clone(), None, proxy.as_deref());
        commands.remove_resource::<JoinOnStart>();
    }
}

/// Starts joining on a thread.
fn start_join(
    state: &mut ConnectState,
    request: JoinRequest,
    hosting: Option<Hosting>,
    proxy: Option<&EventLoopProxyWrapper>,
) {
    let asked = request.clone();
    state.view.busy = Some(format!("Joining {}…", request.address));
    state.view.error = None;
    state.joining = Some(Joining {
        request,
        answer: Pending::spawn(
            move || {
                DrillClient::join(
                    asked.address,
                    &asked.code,
                    &asked.name,
                    asked.seat,
                    VERSION,
                    JOIN_WAIT,
                )
            },
            waker(proxy),
        ),
        hosting,
    });
}

/// Goes into the drill once joined, or says why not.
fn joined(
    mut commands: Commands,
    mut state: ResMut<ConnectState>,
    mut next: ResMut<NextState<Screen>>,
    proxy: Option<Res<EventLoopProxyWrapper>>,
) {
    let Some(answer) = state.joining.as_ref().and_then(|j| j.answer.answer()) else {
        return;
    };
    let Some(joining) = state.joining.take() else {
        return;
    };
    state.view.busy = None;
    match answer {
        Some(Ok(client)) => {
            let link = ClientThread::spawn(client, waker(proxy.as_deref()));
            commands.insert_resource(TeamDrill::new(link, joining.request));
            if let Some(hosting) = joining.hosting {
                commands.insert_resource(hosting);
            }
            next.set(Screen::Lobby);
        }
        Some(Err(error)) => state.view.error = Some(error.to_string()),
        None => state.view.error = Some("joining stopped without an answer".into()),
    }
}

/// Lists the drills the LAN search heard.
fn searched(mut state: ResMut<ConnectState>) {
    let Some(answer) = state.browsing.as_ref().and_then(Pending::answer) else {
        return;
    };
    state.browsing = None;
    state.view.browsing = false;
    match answer {
        Some(Ok(found)) => {
            state.view.found = found.iter().filter_map(found_line).collect();
            if state.view.found.is_empty() {
                state.view.error = Some(format!(
                    "No drill answered on the LAN within {} s: ask the host for the address and code.",
                    BROWSE_FOR.as_secs()
                ));
            }
        }
        Some(Err(error)) => state.view.error = Some(error.to_string()),
        None => state.view.error = Some("the LAN search stopped without an answer".into()),
    }
}

/// A drill heard on the LAN, at its first IPv4 address (or any).
fn found_line(found: &FoundDrill) -> Option<FoundLine> {
    let address = found
        .addresses
        .iter()
        .find(|a| a.is_ipv4())
        .or(found.addresses.first())?;
    Some(FoundLine {
        title: found.ad.title.clone(),
        seats_open: found.ad.seats_open,
        address: address.to_string(),
        other_version: (found.ad.version != VERSION).then(|| found.ad.version.clone()),
    })
}

/// What the connect screen needs from the rest of the app.
#[derive(bevy::ecs::system::SystemParam)]
struct Setting<'w> {
    library: Res<'w, Library>,
    file: Res<'w, ScenarioFile>,
    out: Res<'w, OutDir>,
    data: Res<'w, DataDir>,
    proxy: Option<Res<'w, EventLoopProxyWrapper>>,
}

fn draw(
    mut contexts: EguiContexts,
    mut state: ResMut<ConnectState>,
    setting: Setting,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    if state.view.scenarios.len() != setting.library.scenarios().len() {
        state.view.scenarios = setting
            .library
            .scenarios()
            .iter()
            .map(|s| ScenarioCard::new(s))
            .collect();
    }
    let mut ui = root_ui(contexts.ctx_mut()?);
    let ConnectState { view, form, .. } = &mut *state;
    let Some(action) = connect(&mut ui, view, form) else {
        return Ok(());
    };
    let proxy = setting.proxy.as_deref();
    match action {
        ConnectAction::Back => next.set(Screen::Menu),
        ConnectAction::Browse => {
            state.view.browsing = true;
            state.view.error = None;
            state.browsing = Some(Pending::spawn(
                || discovery::browse(BROWSE_FOR),
                waker(proxy),
            ));
        }
        ConnectAction::Join { address, code } => match join_request(&state.form, &address, &code) {
            Ok(request) => start_join(&mut state, request, None, proxy),
            Err(problem) => state.view.error = Some(problem),
        },
        ConnectAction::Host {
            scenario,
            seed,
            speed,
            port,
            grace_s,
        } => {
            let Some(chosen) = setting.library.scenarios().get(scenario).cloned() else {
                return Ok(());
            };
            let config = DrillConfig {
                seed,
                speed,
                grace: Duration::from_secs(grace_s),
                out_dir: setting.out.0.clone(),
                histories: histories(setting.data.0.as_deref()),
                organiser: Some(state.form.name.trim().to_owned()),
                ..DrillConfig::new(VERSION)
            };
            match host(chosen, &setting.file, port, config) {
                Ok((hosting, code)) => {
                    let request = JoinRequest {
                        address: (Ipv4Addr::LOCALHOST, port).into(),
                        code,
                        name: state.form.name.trim().to_owned(),
                        seat: Some(seat(state.form.place)),
                    };
                    start_join(&mut state, request, Some(hosting), proxy);
                }
                Err(problem) => state.view.error = Some(problem),
            }
        }
    }
    Ok(())
}

/// The join the form describes, or why it cannot be made.
fn join_request(form: &ConnectForm, address: &str, code: &str) -> Result<JoinRequest, String> {
    let address = address
        .to_socket_addrs()
        .map_err(|e| format!("{address}: not an address (use HOST:PORT): {e}"))?
        .next()
        .ok_or_else(|| format!("{address}: no address found for this host"))?;
    let code = JoinCode::parse(code).map_err(|e| format!("Join code: {e}"))?;
    Ok(JoinRequest {
        address,
        code,
        name: form.name.trim().to_owned(),
        seat: Some(seat(form.place)),
    })
}

/// Hosts `scenario` on `port` of every interface, on its own thread, announced on the
/// LAN; returns it with its generated code.
fn host(
    scenario: Arc<Scenario>,
    file: &ScenarioFile,
    port: u16,
    config: DrillConfig,
) -> Result<(Hosting, JoinCode), String> {
    let text = scenario_text(&scenario, file)?;
    let code = JoinCode::generate().map_err(|e| e.to_string())?;
    let drill = DrillHost::open(
        (Ipv4Addr::UNSPECIFIED, port).into(),
        code.clone(),
        scenario,
        text,
        config,
    )
    .map_err(|e| format!("Cannot host: {e}"))?;
    let mut addresses = drill.dial_addresses();
    addresses.sort_by_key(|a| (a.ip().is_loopback(), *a));
    let dial = addresses
        .first()
        .copied()
        .unwrap_or_else(|| SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    let invite = format!("Others join with: firedrill join {dial} --code {code} --name NAME");
    let (served, problem) = Served::announce(drill);
    let invite = match problem {
        None => invite,
        Some(problem) => format!("{invite}  (not announced on the LAN: {problem})"),
    };
    let hosting = Hosting {
        host: HostThread::spawn(served),
        invite,
    };
    Ok((hosting, code))
}

/// The scenario's RON text, which every client plays: the file named on the command
/// line, or the built-in's.
fn scenario_text(scenario: &Scenario, file: &ScenarioFile) -> Result<String, String> {
    if let Some((id, path)) = &file.0
        && *id == scenario.id
    {
        return firedrill_core::scenario::LoadError::read(path).map_err(|e| e.to_string());
    }
    builtin::source(&scenario.id)
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "{}: its scenario text is not at hand to send to the others",
                scenario.id
            )
        })
}

/// What everyone in this machine's history played, for the lobby's suggestions.
fn histories(
    dir: Option<&Path>,
) -> std::collections::BTreeMap<String, Vec<firedrill_core::rotation::Played>> {
    dir.and_then(|dir| all_runs(dir).ok())
        .map(|rows| turns(&rows).into_iter().collect())
        .unwrap_or_default()
}
