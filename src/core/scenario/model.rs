//! The scenario format: serde types that mirror the RON text one to one.
//!
//! Every struct denies unknown fields, so a misspelt field is an error rather than a
//! silently ignored line. `docs/scenario-format.md` is the reference for authors; keep
//! it in step with this file.

use serde::{Deserialize, Serialize};

use super::duration::Duration;

/// A scripted incident: what the trainee sees, what is really going on, and how the
/// world reacts to what they do.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short unique identifier, e.g. `"edge-waf-regex"`; used in file names and history.
    pub id: String,
    pub title: String,
    /// One or two sentences for the scenario library.
    pub summary: String,
    pub difficulty: Difficulty,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The real, public incident this drill borrows its shape from.
    pub based_on: String,
    /// Wall-clock instant of sim time 0, RFC 3339 with offset: `"2026-03-06T13:40:00+00:00"`.
    pub starts_at: String,
    /// IANA time zone the war room shows clocks in, e.g. `"Europe/Berlin"`.
    pub time_zone: String,
    /// The opening situation shown on the briefing screen.
    pub briefing: String,
    pub par: Par,
    /// The drill ends (unresolved) at this sim time.
    pub time_limit: Duration,
    pub world: World,
    pub truth: Truth,
    #[serde(default)]
    pub injects: Vec<Inject>,
    #[serde(default)]
    pub investigations: Vec<Investigation>,
    #[serde(default)]
    pub remediations: Vec<Remediation>,
    #[serde(default)]
    pub characters: Vec<Character>,
    #[serde(default)]
    pub bots: BotTuning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    /// As the scenario library shows it: "Medium".
    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Easy => "Easy",
            Difficulty::Medium => "Medium",
            Difficulty::Hard => "Hard",
        }
    }
}

/// Target times a well-run response meets, and the reporting cadence it keeps.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Par {
    /// Target MTTA: impact start to acknowledgement.
    pub acknowledge: Duration,
    /// Target MTTR: acknowledgement to resolution.
    pub resolve: Duration,
    /// A CAN report is expected this often once the incident is declared.
    #[serde(default = "default_can_every")]
    pub can_every: Duration,
    /// A status update is expected this often once the incident is declared.
    #[serde(default = "default_status_every")]
    pub status_every: Duration,
}

fn default_can_every() -> Duration {
    Duration::from_mins(10)
}

fn default_status_every() -> Duration {
    Duration::from_mins(15)
}

/// What exists before anything goes wrong: systems, signals and paperwork.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    pub services: Vec<Service>,
    /// Teams that can be paged; alert rules, escalations and needs refer to them.
    #[serde(default)]
    pub teams: Vec<Team>,
    pub metrics: Vec<Metric>,
    #[serde(default)]
    pub alerts: Vec<AlertRule>,
    #[serde(default)]
    pub dashboards: Vec<Dashboard>,
    /// Log lines already written when the drill starts.
    #[serde(default)]
    pub logs: Vec<LogLine>,
    /// Recent changes, newest last.
    #[serde(default)]
    pub deploys: Vec<Deploy>,
    #[serde(default)]
    pub runbooks: Vec<Runbook>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Services this one calls; their failures propagate here.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Team that owns the service.
    #[serde(default)]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub id: String,
    pub name: String,
    /// How long after being paged someone from the team joins the war room.
    #[serde(default = "default_joins_after")]
    pub joins_after: Duration,
}

fn default_joins_after() -> Duration {
    Duration::from_mins(3)
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub id: String,
    pub service: String,
    pub name: String,
    pub unit: String,
    /// Healthy value.
    pub baseline: f64,
    /// Standard deviation of the seeded noise added to every sample.
    #[serde(default)]
    pub noise: f64,
    /// Dashed warning line on charts.
    #[serde(default)]
    pub warning: Option<f64>,
    /// Solid critical line on charts.
    #[serde(default)]
    pub critical: Option<f64>,
    /// Samples are clamped to `[min, max]` (e.g. 0–100 for a percentage).
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

/// Fires when its condition holds; pages a team and keeps paging until acknowledged.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    pub id: String,
    pub name: String,
    pub when: Condition,
    pub severity: AlertSeverity,
    /// Team paged when the alert fires.
    #[serde(default)]
    pub pages: Option<String>,
    /// Re-page this often while firing and unacknowledged.
    #[serde(default)]
    pub repage_every: Option<Duration>,
    /// Page this team too if still unacknowledged after `escalate_after`.
    #[serde(default)]
    pub escalate_to: Option<String>,
    #[serde(default)]
    pub escalate_after: Option<Duration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum AlertSeverity {
    Info,
    Warning,
    Critical,
}

impl AlertSeverity {
    /// As an alert shows it: "Critical".
    pub fn label(self) -> &'static str {
        match self {
            AlertSeverity::Info => "Info",
            AlertSeverity::Warning => "Warning",
            AlertSeverity::Critical => "Critical",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dashboard {
    pub id: String,
    pub title: String,
    pub metrics: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogLine {
    /// How long before the drill starts the line was written.
    #[serde(default)]
    pub ago: Duration,
    pub service: String,
    pub level: LogLevel,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

impl LogLevel {
    /// As a log line shows it: "Error".
    pub fn label(self) -> &'static str {
        match self {
            LogLevel::Debug => "Debug",
            LogLevel::Info => "Info",
            LogLevel::Warn => "Warn",
            LogLevel::Error => "Error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Deploy {
    pub id: String,
    pub service: String,
    /// How long before the drill starts the change went out.
    pub ago: Duration,
    pub by: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Runbook {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub service: Option<String>,
    pub steps: Vec<String>,
}

/// What is really happening. Hidden from the trainee; bots and scoring use it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Truth {
    /// When customer impact begins: the start of MTTA, whatever the alerts say.
    pub impact_starts: Duration,
    /// Customer impact is over while this holds (e.g. error rate back under a line).
    pub impact_ends_when: Condition,
    /// Incident type; the first entry is the name, the rest are accepted synonyms.
    pub kind: Vec<String>,
    pub root_cause: String,
    /// True severity over time; the last phase whose `from` has passed applies.
    pub severity: Vec<SeverityPhase>,
    /// Who or what is affected, as shown to scoring; each term lists synonyms.
    pub blast_radius: Vec<Vec<String>>,
    /// The parts of the user base that are affected (regions, customer segments), each
    /// a term: a report naming some of them describes the blast radius in part.
    #[serde(default)]
    pub affected: Vec<Vec<String>>,
    /// Teams whose help the response needs.
    #[serde(default)]
    pub needs: Vec<String>,
    /// What good CAN reports say in each phase of the incident.
    pub can: Vec<CanExpectation>,
    /// The fix is under way and the impact is shrinking stage by stage (a staged
    /// restore): while this holds and the impact is not over, the phase is
    /// `Recovering`. Without it the incident never enters that phase.
    #[serde(default)]
    pub recovering_when: Option<Condition>,
    /// Factors behind the incident, for the postmortem draft.
    #[serde(default)]
    pub contributing_factors: Vec<String>,
    /// The reference path to resolution, in order; the tech bot follows it.
    pub path: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityPhase {
    pub from: Duration,
    pub level: Severity,
    /// This phase is skipped if the condition holds when it would begin.
    #[serde(default)]
    pub unless: Option<Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Severity {
    Sev1,
    Sev2,
    Sev3,
    Sev4,
}

impl Severity {
    /// How people write it: "SEV1".
    pub fn name(self) -> &'static str {
        match self {
            Severity::Sev1 => "SEV1",
            Severity::Sev2 => "SEV2",
            Severity::Sev3 => "SEV3",
            Severity::Sev4 => "SEV4",
        }
    }
}

/// The incident's phase as the truth sees it, which CAN expectations are keyed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Phase {
    /// Impact ongoing, cause not yet found.
    Investigating,
    /// An investigation that reveals the cause has completed.
    Identified,
    /// Customer impact is over.
    Mitigated,
    /// The fix is under way and the impact shrinking, stage by stage, but not over:
    /// the truth's `recovering_when` holds.
    Recovering,
}

impl Phase {
    /// The phase's name, as scenario files and findings write it: "Identified".
    pub fn label(self) -> &'static str {
        match self {
            Phase::Investigating => "Investigating",
            Phase::Identified => "Identified",
            Phase::Mitigated => "Mitigated",
            Phase::Recovering => "Recovering",
        }
    }
}

/// What a good CAN report mentions during one phase. Each term is a list of synonyms;
/// a report covers the term when it mentions any of them.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CanExpectation {
    pub phase: Phase,
    /// Terms the summary should mention (the affected service, the symptom, ...).
    pub summary: Vec<Vec<String>>,
    /// Terms the actions should mention (what is being done).
    #[serde(default)]
    pub actions: Vec<Vec<String>>,
    /// Terms the needs should mention; empty means a good report says "none".
    #[serde(default)]
    pub needs: Vec<Vec<String>>,
}

/// One step of the reference path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Step {
    Investigate(String),
    Page(String),
    Remediate(String),
}

/// Something that happens to the world at a time or when a condition becomes true.
/// Fires at most once.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub id: String,
    /// Fire at this sim time. Give `at` or `when`, not both. For a facilitator-only
    /// inject, the time the facilitator's console suggests.
    #[serde(default)]
    pub at: Option<Duration>,
    /// Fire as soon as this holds.
    #[serde(default)]
    pub when: Option<Condition>,
    #[serde(default)]
    pub kind: InjectKind,
    /// Never fired by its time or a condition: only a facilitator fires it (or another
    /// inject's `Trigger`).
    #[serde(default)]
    pub facilitator_only: bool,
    #[serde(rename = "do")]
    pub effects: Vec<Effect>,
}

impl Inject {
    /// Whether the engine fires it on its own once `at` has come or `when` holds.
    pub fn fires_by_itself(&self) -> bool {
        !self.facilitator_only
    }
}

/// Why an inject is in the drill; the debrief uses it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum InjectKind {
    /// Part of the incident's story.
    #[default]
    Signal,
    /// A misleading clue or theory.
    RedHerring,
    /// Pressure that arrives because something was not done in time.
    Escalation,
}

impl InjectKind {
    /// The kind as the facilitator's console names it: "red herring".
    pub fn label(self) -> &'static str {
        match self {
            InjectKind::Signal => "signal",
            InjectKind::RedHerring => "red herring",
            InjectKind::Escalation => "escalation",
        }
    }
}

/// A change to the world.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub enum Effect {
    /// Jump a metric to a value.
    Step { metric: String, to: f64 },
    /// Move a metric linearly to a value.
    Ramp {
        metric: String,
        to: f64,
        over: Duration,
    },
    /// Move a metric linearly back to its baseline.
    Recover { metric: String, over: Duration },
    /// A character posts a message.
    Say {
        who: String,
        text: String,
        #[serde(default)]
        channel: Channel,
    },
    /// A line appears in a service's logs.
    Log {
        service: String,
        level: LogLevel,
        text: String,
    },
    /// The trainee's pager goes off with this text.
    Page { team: String, text: String },
    /// Set a named flag that conditions can test.
    Set(String),
    /// Fire another inject now (it still fires at most once).
    Trigger(String),
    /// Telemetry goes dark (monitoring failing along with the product): the metrics'
    /// samples stop reaching anyone (their charts draw a gap, though the true value
    /// moves on), the dashboards show "no data", and the alert rules neither fire,
    /// re-page, escalate nor clear. Until a `Light` naming the same ids.
    Dark {
        #[serde(default)]
        metrics: Vec<String>,
        #[serde(default)]
        dashboards: Vec<String>,
        #[serde(default)]
        alerts: Vec<String>,
    },
    /// Dark telemetry comes back: samples show again, and alert rules are evaluated on
    /// the true values once more (a rule whose condition still holds fires at once).
    Light {
        #[serde(default)]
        metrics: Vec<String>,
        #[serde(default)]
        dashboards: Vec<String>,
        #[serde(default)]
        alerts: Vec<String>,
    },
    /// The public status page is down: status updates to `StatusPage` are refused
    /// until `StatusPageUp`, and the public is told on `Social` instead.
    StatusPageDown,
    /// The public status page can be updated again.
    StatusPageUp,
    /// Clear a flag that was set: `Flag(..)` no longer holds until it is set again.
    Clear(String),
}

impl Effect {
    /// The metric, dashboard and alert ids a `Dark` or `Light` names, with what each
    /// is; empty for any other effect.
    pub fn telemetry(&self) -> Vec<(TelemetryKind, &String)> {
        match self {
            Effect::Dark {
                metrics,
                dashboards,
                alerts,
            }
            | Effect::Light {
                metrics,
                dashboards,
                alerts,
            } => metrics
                .iter()
                .map(|id| (TelemetryKind::Metric, id))
                .chain(dashboards.iter().map(|id| (TelemetryKind::Dashboard, id)))
                .chain(alerts.iter().map(|id| (TelemetryKind::Alert, id)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// What a piece of telemetry that can go dark is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum TelemetryKind {
    Metric,
    Dashboard,
    Alert,
}

impl TelemetryKind {
    /// The kind in a sentence: "dashboard".
    pub fn label(self) -> &'static str {
        match self {
            TelemetryKind::Metric => "metric",
            TelemetryKind::Dashboard => "dashboard",
            TelemetryKind::Alert => "alert",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Channel {
    /// The dedicated war room of the response team.
    WarRoom,
    /// The company-wide incidents channel stakeholders watch.
    #[default]
    Incidents,
}

impl Channel {
    /// The channel's name in the war room: "#war-room".
    pub fn label(self) -> &'static str {
        match self {
            Channel::WarRoom => "#war-room",
            Channel::Incidents => "#incidents",
        }
    }
}

/// A test on the state of the drill.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub enum Condition {
    /// Sim time has reached this offset.
    After(Duration),
    /// The metric has stayed above the value for `for` (default: at once).
    Above {
        metric: String,
        value: f64,
        #[serde(default, rename = "for")]
        for_at_least: Duration,
    },
    /// The metric has stayed below the value for `for` (default: at once).
    Below {
        metric: String,
        value: f64,
        #[serde(default, rename = "for")]
        for_at_least: Duration,
    },
    /// Someone has acknowledged the incident.
    Acknowledged,
    /// The incident has been declared (a war room is open).
    Declared,
    /// The incident has reached this state or a later one.
    Reached(IncidentState),
    /// The incident has been declared resolved.
    Resolved,
    /// The truth's `impact_ends_when` holds.
    ImpactOver,
    /// The investigation has completed.
    Investigated(String),
    /// The remediation has been started.
    Started(String),
    /// The remediation has completed.
    Remediated(String),
    /// The team has been paged.
    Paged(String),
    /// The alert is firing.
    Firing(String),
    /// The inject has fired.
    Fired(String),
    /// The flag has been set.
    Flag(String),
    /// A status update has gone to the audience: within the last `within` (default:
    /// at any time so far), announcing `state` or a later one when given. Characters
    /// use it to hear what they have been told.
    StatusSent {
        audience: Audience,
        #[serde(default)]
        within: Option<Duration>,
        #[serde(default)]
        state: Option<StatusState>,
    },
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// The paged team has joined the war room (its `joins_after` has passed since it
    /// was first paged).
    Joined(String),
    /// At least `for` has passed since `what` first became true (for a flag: since it
    /// was last set). `what` is a condition that happens at a moment and stays true:
    /// see [`Condition::is_event`].
    Since {
        what: Box<Condition>,
        #[serde(rename = "for")]
        for_at_least: Duration,
    },
}

impl Condition {
    /// Whether the condition happens at a moment and then stays true (a flag until it
    /// is cleared), so `Since` can count from that moment.
    pub fn is_event(&self) -> bool {
        matches!(
            self,
            Condition::Acknowledged
                | Condition::Declared
                | Condition::Resolved
                | Condition::Reached(_)
                | Condition::Investigated(_)
                | Condition::Started(_)
                | Condition::Remediated(_)
                | Condition::Paged(_)
                | Condition::Joined(_)
                | Condition::Fired(_)
                | Condition::Flag(_)
        )
    }
}

/// The incident's declared state, in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum IncidentState {
    Triggered,
    Acknowledged,
    Investigating,
    Identified,
    Mitigated,
    Monitoring,
    Resolved,
}

/// Who a status update is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Audience {
    Internal,
    Executives,
    StatusPage,
    /// The company's social media account: where the public is told while the status
    /// page is down.
    Social,
    /// Only in `StatusSent(...)` conditions: the public, on the status page or the
    /// social account. No status update is sent to it.
    Public,
}

impl Audience {
    /// Who it reaches, as a sentence names them: "the public status page".
    pub fn name(self) -> &'static str {
        match self {
            Audience::Internal => "internal stakeholders",
            Audience::Executives => "executives",
            Audience::StatusPage => "the public status page",
            Audience::Social => "the company's social account",
            Audience::Public => "the public",
        }
    }

    /// Whether an update sent to this audience reaches `heard`, as `StatusSent(...)`
    /// asks: the public hears the status page and the social account.
    pub fn reaches(self, heard: Audience) -> bool {
        self == heard
            || (heard == Audience::Public
                && matches!(self, Audience::StatusPage | Audience::Social))
    }

    /// Who hears about an incident of this severity: customers and executives for a
    /// major incident (SEV1/SEV2), internal stakeholders otherwise.
    pub fn for_severity(severity: Option<Severity>) -> &'static [Audience] {
        match severity {
            Some(Severity::Sev1 | Severity::Sev2) => &[Audience::StatusPage, Audience::Executives],
            _ => &[Audience::Internal],
        }
    }
}

/// The states status updates announce, in lifecycle order (`StatusSent`'s `state`
/// means this one or a later one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum StatusState {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl StatusState {
    pub const ALL: [StatusState; 4] = [
        StatusState::Investigating,
        StatusState::Identified,
        StatusState::Monitoring,
        StatusState::Resolved,
    ];

    /// The state as a status page shows it: "Investigating".
    pub fn label(self) -> &'static str {
        match self {
            StatusState::Investigating => "Investigating",
            StatusState::Identified => "Identified",
            StatusState::Monitoring => "Monitoring",
            StatusState::Resolved => "Resolved",
        }
    }

    /// The public state matching an incident state.
    pub fn for_incident(state: IncidentState) -> StatusState {
        match state {
            IncidentState::Triggered
            | IncidentState::Acknowledged
            | IncidentState::Investigating => StatusState::Investigating,
            IncidentState::Identified => StatusState::Identified,
            IncidentState::Mitigated | IncidentState::Monitoring => StatusState::Monitoring,
            IncidentState::Resolved => StatusState::Resolved,
        }
    }
}

impl IncidentState {
    /// The state as responders say it: "Investigating".
    pub fn label(self) -> &'static str {
        match self {
            IncidentState::Triggered => "Triggered",
            IncidentState::Acknowledged => "Acknowledged",
            IncidentState::Investigating => "Investigating",
            IncidentState::Identified => "Identified",
            IncidentState::Mitigated => "Mitigated",
            IncidentState::Monitoring => "Monitoring",
            IncidentState::Resolved => "Resolved",
        }
    }
}

/// A query the technical lead can run; it takes sim time and reveals a clue.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Investigation {
    pub id: String,
    pub label: String,
    /// Other names a trainee may use for it in a CAN report's actions ("the
    /// replication check"); claims match them as they match the label.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: InvestigationKind,
    #[serde(default)]
    pub service: Option<String>,
    pub takes: Duration,
    /// The clue shown when the investigation completes (unless a finding applies).
    pub reveals: String,
    /// Completing it moves the truth to the Identified phase.
    #[serde(default)]
    pub reveals_cause: bool,
    /// Further effects when it completes.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// It can only be started while this holds.
    #[serde(default)]
    pub requires: Option<Condition>,
    /// Shown when it is started while `requires` does not hold.
    #[serde(default)]
    pub blocked: String,
    /// Clues that depend on the state at completion: the first whose `when` holds is
    /// shown instead of `reveals`.
    #[serde(default)]
    pub findings: Vec<Finding>,
}

/// A clue an investigation shows instead of its `reveals` when `when` holds as it
/// completes (a dashboard read after recovery shows the recovery, not the outage).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub when: Condition,
    pub reveals: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum InvestigationKind {
    Logs,
    Dashboard,
    Deploys,
    Traces,
    Runbook,
    Query,
}

/// An action that changes the world after it has run for `takes`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    pub id: String,
    pub label: String,
    /// Other names a trainee may use for it in a CAN report's actions ("the
    /// rebuild", "basebackup"); claims match them as they match the label.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: RemediationKind,
    pub takes: Duration,
    /// It can only be started while this holds.
    #[serde(default)]
    pub requires: Option<Condition>,
    /// Shown when it is started while `requires` does not hold.
    #[serde(default)]
    pub blocked: String,
    /// It wipes evidence (logs, disks, state) needed to find the root cause.
    #[serde(default)]
    pub destroys_evidence: bool,
    /// What a coach would say about taking it (why a red herring misleads, why a
    /// harmful step hurts, why a preparation matters); quoted in the scoring findings.
    #[serde(default)]
    pub lesson: String,
    #[serde(default)]
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum RemediationKind {
    /// Ends the impact.
    Fix,
    /// Reduces the impact without ending it.
    Mitigation,
    /// A needed or prudent step that changes no impact by itself (a snapshot before a
    /// destructive step, a setting the fix depends on).
    Preparation,
    /// Looks plausible, changes nothing useful.
    RedHerring,
    /// Makes things worse.
    Harmful,
}

/// A scripted person in the drill: support, an executive, another team, a grenade thrower.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Character {
    pub id: String,
    pub name: String,
    /// Job title shown next to the name.
    pub role: String,
    /// The first matching reply answers a question.
    #[serde(default)]
    pub replies: Vec<Reply>,
    /// Said when no reply matches.
    pub fallback: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// The reply matches a question containing any of these words.
    pub keywords: Vec<String>,
    /// ... and only while this holds.
    #[serde(default)]
    pub when: Option<Condition>,
    pub text: String,
}

/// How the bots that fill untaken roles behave in this scenario.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BotTuning {
    /// How long the IC bot takes to acknowledge a page.
    #[serde(default = "default_acknowledge_after")]
    pub acknowledge_after: Duration,
    /// How long the IC bot takes from acknowledging to declaring.
    #[serde(default = "default_declare_after")]
    pub declare_after: Duration,
    /// The tech bot's pause between finishing one step and starting the next.
    #[serde(default = "default_think_time")]
    pub think_time: Duration,
    /// Red herrings the tech bot may try before the right step.
    #[serde(default)]
    pub wrong_turns: Vec<Step>,
    /// Chance (0–1) that the tech bot takes each wrong turn.
    #[serde(default)]
    pub wrong_turn_chance: f64,
}

fn default_acknowledge_after() -> Duration {
    Duration::from_mins(2)
}

fn default_declare_after() -> Duration {
    Duration::from_mins(2)
}

fn default_think_time() -> Duration {
    Duration::from_mins(1)
}

impl Default for BotTuning {
    fn default() -> Self {
        BotTuning {
            acknowledge_after: default_acknowledge_after(),
            declare_after: default_declare_after(),
            think_time: default_think_time(),
            wrong_turns: Vec::new(),
            wrong_turn_chance: 0.0,
        }
    }
}
