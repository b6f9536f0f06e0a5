//! The war room: everything a responder sees and does while the incident runs.
//!
//! [`WarRoomView`] is built from a live session each frame ([`view`]); the trainee's
//! half-typed text lives in [`WarRoomForms`], which outlives frames. [`war_room`] lays
//! the panels out for 1280×720 and returns what the trainee asked for.
//!
//! - top bar: clock, state, severity, TTE/MTTR timers, pause and speed;
//! - left: alerts; centre: dashboards above the channels;
//! - right: the role's actions, the CAN report form and the status update form;
//! - under the top bar, in an author's preview only: the watched file and a timeline
//!   scrubber.

mod actions;
mod alerts;
pub mod can_form;
mod channels;
mod dashboards;
mod preview;
pub mod status_form;
mod top_bar;
pub mod view;

use egui::Ui;
use firedrill_core::engine::action::{Action, Role};
use firedrill_core::scenario::{AlertSeverity, Channel, IncidentState, Severity};

use crate::chart::{Axis, ChartView, Marker};
pub use can_form::CanDraft;
pub use preview::{Preview, PreviewNote};
pub use status_form::StatusDraft;
pub use view::{Seen, build, build_seen};

/// Everything the war room shows, as plain data.
#[derive(Debug, Clone, PartialEq)]
pub struct WarRoomView {
    pub title: String,
    pub role: Role,
    /// Bots play the trainee's role too (a demonstration): actions are disabled.
    pub spectating: bool,
    /// `HH:MM:SS` in the scenario's time zone.
    pub clock: String,
    pub zone: String,
    pub state: Option<IncidentState>,
    pub severity: Option<Severity>,
    /// TTE, from the first page to the acknowledgement (MTTA needs the impact start,
    /// which is hidden until the debrief).
    pub tte: Timer,
    /// From the acknowledgement to the resolve.
    pub mttr: Timer,
    pub paused: bool,
    pub speed: f64,
    pub over: bool,
    pub alerts: Vec<AlertLine>,
    pub dashboards: Vec<DashboardView>,
    pub markers: Vec<Marker>,
    pub axis: Axis,
    pub war_room: Vec<ChatLine>,
    pub incidents: Vec<ChatLine>,
    pub controls: Controls,
    /// On the "Acknowledge the page" button's hover: why it is disabled, or who is
    /// expected to press it.
    pub acknowledge_note: String,
    pub investigations: Vec<TaskLine>,
    pub remediations: Vec<TaskLine>,
    pub teams: Vec<Pick>,
    pub characters: Vec<Pick>,
    /// The trainee's last refused action and why, while it is recent.
    pub notice: Option<String>,
    /// The IC asked this role for a CAN report it has not sent yet.
    pub can_requested: bool,
    /// The trainee's actions sent but not yet carried out (the clock is paused, or has
    /// not reached their second), in words: "Queued: declared a SEV2 incident (runs
    /// when the clock starts)".
    pub queued: Vec<String>,
    /// In a team drill: who is looking, from which seat; `None` in a solo run.
    pub team: Option<TeamSeat>,
    /// In an author's preview (`play FILE --watch`): the file and the scrubber.
    pub preview: Option<Preview>,
    /// Since when (`HH:MM`) the public status page is down, while it is.
    pub status_page_down: Option<String>,
}

/// A person's place in a team drill, as the war room shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamSeat {
    pub name: String,
    /// Watching: the person may post in the channels and nothing else.
    pub observer: bool,
    /// They may pause, resume and set the speed for everyone (the organiser). Nobody
    /// ends a team drill from the war room: the facilitator does, or the incident.
    pub runs_clock: bool,
}

/// A running or stopped stopwatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timer {
    pub secs: Option<u64>,
    pub running: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlertLine {
    pub name: String,
    pub severity: AlertSeverity,
    pub firing: bool,
    /// Wall clock when it last fired.
    pub since: String,
    pub acknowledged: bool,
    pub escalated: bool,
    /// Wall clock since when the rule has had no data (its telemetry is dark): it
    /// keeps its last state meanwhile.
    pub no_data_since: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DashboardView {
    pub title: String,
    pub charts: Vec<ChartView>,
    /// Wall clock since when the dashboard shows no data, while it is dark.
    pub no_data_since: Option<String>,
}

/// Who a chat line is from, which sets its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    You,
    Colleague,
    Character,
    Team,
    System,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChatLine {
    pub clock: String,
    pub who: String,
    pub text: String,
    pub voice: Voice,
}

/// What the trainee's role may do, and what the incident allows right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Controls {
    pub acknowledge: bool,
    pub command: bool,
    pub declared: bool,
    pub resolved: bool,
    pub status_updates: bool,
    pub hands_on: bool,
    pub page: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskLine {
    pub id: String,
    pub label: String,
    pub status: TaskStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TaskStatus {
    Idle,
    Running {
        progress: f32,
        left_s: u64,
        by: String,
    },
    /// Finished; investigations carry what they found.
    Done {
        found: Option<String>,
    },
}

/// Something to pick from a list: an id and the name people read.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub id: String,
    pub name: String,
}

/// The tab of the right-hand panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Actions,
    Can,
    Status,
}

/// What the trainee is typing or choosing; it survives from frame to frame.
#[derive(Debug, Clone, PartialEq)]
pub struct WarRoomForms {
    pub tab: Tab,
    pub dashboard: usize,
    pub channel: Channel,
    pub message: String,
    pub ask: Option<String>,
    pub question: String,
    pub declare: Severity,
    pub severity: Severity,
    pub state: IncidentState,
    pub assign_role: Role,
    pub assign_to: String,
    pub page: Option<String>,
    pub postmortem_owner: String,
    pub can: CanDraft,
    pub status: StatusDraft,
    /// "End drill" was clicked: the top bar asks to confirm.
    pub ending: bool,
    /// The severity and state the pickers last moved to.
    pub followed: (Option<Severity>, Option<IncidentState>),
    /// Where the preview's scrubber is being dragged to, until it is let go.
    pub scrubbing: Option<u64>,
}

impl Default for WarRoomForms {
    fn default() -> Self {
        WarRoomForms {
            tab: Tab::Actions,
            dashboard: 0,
            channel: Channel::WarRoom,
            message: String::new(),
            ask: None,
            question: String::new(),
            declare: Severity::Sev2,
            severity: Severity::Sev2,
            state: IncidentState::Investigating,
            assign_role: Role::Tech,
            assign_to: String::new(),
            page: None,
            postmortem_owner: String::new(),
            can: CanDraft::default(),
            status: StatusDraft::default(),
            ending: false,
            followed: (None, None),
            scrubbing: None,
        }
    }
}

/// What the trainee asked for this frame.
#[derive(Debug, Clone, PartialEq)]
pub enum WarRoomAction {
    /// Do something in the incident.
    Do(Action),
    SetPaused(bool),
    SetSpeed(f64),
    /// Leave for the debrief, playing the rest of the run out without the trainee.
    Debrief,
    /// In an author's preview: play the run again to this sim time, paused.
    Jump(firedrill_core::scenario::Duration),
}

/// Draws the war room and returns the trainee's requests, in the order made.
pub fn war_room(ui: &mut Ui, view: &WarRoomView, forms: &mut WarRoomForms) -> Vec<WarRoomAction> {
    let mut out = Vec::new();
    egui::Panel::top("war-room-top").show(ui, |ui| {
        top_bar::show(ui, view, &mut forms.ending, &mut out)
    });
    if let Some(preview) = &view.preview {
        egui::Panel::top("war-room-preview").show(ui, |ui| {
            preview::show(ui, preview, &mut forms.scrubbing, &mut out)
        });
    }
    egui::Panel::left("war-room-alerts")
        .exact_size(250.0)
        .show(ui, |ui| alerts::show(ui, view));
    egui::Panel::right("war-room-actions")
        .exact_size(390.0)
        .show(ui, |ui| actions::show(ui, view, forms, &mut out));
    egui::CentralPanel::default().show(ui, |ui| {
        egui::Panel::bottom("war-room-channels")
            .exact_size(ui.available_height() * 0.46)
            .show(ui, |ui| channels::show(ui, view, forms, &mut out));
        egui::CentralPanel::default().show(ui, |ui| dashboards::show(ui, view, forms));
    });
    out
}
