//! What people (trainee, bots, facilitator) can do, who may do it, and the reports
//! they write. Every action reaches the engine as an [`Input`] with a sim time.

use serde::{Deserialize, Serialize};

/// Status updates name them; scenario conditions (`StatusSent`) test them too.
pub use crate::scenario::{Audience, StatusState};
use crate::scenario::{Channel, Duration, IncidentState, Severity};

/// The three incident roles a trainee or a bot can play. On the command line (feature
/// `clap`) they are named by [`Role::key`], `ic` also meaning the commander.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Role {
    /// The Incident Commander: runs the response; declares, coordinates, decides.
    #[cfg_attr(feature = "clap", value(alias = "ic"))]
    Commander,
    /// The Communications Lead: keeps customers, executives and the company informed.
    Comms,
    /// The Technical Lead: finds the cause and fixes it.
    Tech,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Commander, Role::Comms, Role::Tech];

    /// The name used on the command line and in files.
    pub fn key(self) -> &'static str {
        match self {
            Role::Commander => "commander",
            Role::Comms => "comms",
            Role::Tech => "tech",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Role::Commander => "Incident Commander",
            Role::Comms => "Communications Lead",
            Role::Tech => "Technical Lead",
        }
    }
}

/// A role named by its [`Role::key`], as files and the history store it.
impl std::str::FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.key() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// A role name that is not one of [`Role::key`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role \"{0}\": use commander, comms or tech")]
pub struct UnknownRole(pub String);

/// Who did something.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub enum Actor {
    /// A human playing a role.
    Trainee(Role),
    /// The bot filling a role nobody took.
    Bot(Role),
    /// A drill facilitator: may do anything.
    Facilitator,
    /// The drill host: seats people and records who comes and goes, nothing else.
    Host,
    /// Someone watching a team drill without a seat: may post in the channels.
    Observer(String),
}

impl Actor {
    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::Trainee(role) | Actor::Bot(role) => Some(*role),
            Actor::Facilitator | Actor::Host | Actor::Observer(_) => None,
        }
    }
}

/// Who did it, as people read it: "Incident Commander (you)", "Technical Lead",
/// "Facilitator".
impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::Trainee(role) => write!(f, "{} (you)", role.title()),
            Actor::Bot(role) => f.write_str(role.title()),
            Actor::Facilitator => f.write_str("Facilitator"),
            Actor::Host => f.write_str("Host"),
            Actor::Observer(name) => write!(f, "{name} (observer)"),
        }
    }
}

/// One thing someone does in the war room.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub enum Action {
    /// Take ownership of the page.
    Acknowledge,
    /// Declare an incident at a severity: opens the war room.
    Declare(Severity),
    SetSeverity(Severity),
    /// Move the incident to a state (Resolved only through `Resolve`).
    SetState(IncidentState),
    AssignRole {
        role: Role,
        to: String,
    },
    Post {
        channel: Channel,
        text: String,
    },
    /// A CAN report: Conditions, Actions, Needs.
    Can(CanReport),
    StatusUpdate(StatusUpdate),
    Investigate(String),
    Remediate(String),
    /// Page or escalate to a team.
    Page(String),
    /// Ask a character a question.
    Ask {
        character: String,
        question: String,
    },
    /// The IC asks a role for a CAN report from their side.
    RequestCan(Role),
    /// Declare the incident over: accepted only once customer impact has ended.
    Resolve,
    AssignPostmortem(String),
    // ----- team drills: seats and people (the host or the facilitator) -----
    /// A person takes a role's seat: the bot stops playing it.
    TakeSeat {
        role: Role,
        by: String,
    },
    /// A person gives a role's seat back to the bot, which resumes from the state.
    ReleaseSeat {
        role: Role,
        by: String,
        reason: Release,
    },
    /// A person joins the drill without a seat: to watch or to facilitate.
    Join {
        by: String,
        #[serde(rename = "as")]
        presence: Presence,
    },
    /// A person without a seat leaves the drill.
    Leave(String),
    // ----- team drills: the facilitator's console -----
    /// Fire an inject now (held, facilitator-only or not yet due alike).
    FireInject(String),
    /// Keep an inject from firing by its time or condition until released.
    HoldInject(String),
    ReleaseInject(String),
    /// Say something as one of the scenario's characters.
    Speak {
        character: String,
        channel: Channel,
        text: String,
    },
    /// A private hint to the person in one seat; it costs that seat points.
    Hint {
        to: Role,
        text: String,
    },
    /// A timestamped note for the debrief.
    Note(String),
    /// End the drill now.
    EndDrill,
}

/// Why a seat went back to its bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Release {
    /// The person handed it back and stays in the drill.
    HandedBack,
    /// The person left the drill.
    Left,
    /// The person's connection dropped and did not come back in time.
    Dropped,
}

impl Release {
    pub fn label(self) -> &'static str {
        match self {
            Release::HandedBack => "handed back",
            Release::Left => "left the drill",
            Release::Dropped => "dropped out",
        }
    }
}

/// How a person without a seat takes part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Presence {
    Observer,
    Facilitator,
}

impl Presence {
    pub fn label(self) -> &'static str {
        match self {
            Presence::Observer => "observer",
            Presence::Facilitator => "facilitator",
        }
    }
}

impl Action {
    /// Short name for summaries and refusals.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Acknowledge => "acknowledge",
            Action::Declare(_) => "declare",
            Action::SetSeverity(_) => "set severity",
            Action::SetState(_) => "set state",
            Action::AssignRole { .. } => "assign a role",
            Action::Post { .. } => "post",
            Action::Can(_) => "CAN report",
            Action::StatusUpdate(_) => "status update",
            Action::Investigate(_) => "investigate",
            Action::Remediate(_) => "remediate",
            Action::Page(_) => "page",
            Action::Ask { .. } => "ask",
            Action::RequestCan(_) => "request a CAN report",
            Action::Resolve => "resolve",
            Action::AssignPostmortem(_) => "assign the postmortem",
            Action::TakeSeat { .. } => "take a seat",
            Action::ReleaseSeat { .. } => "give a seat back",
            Action::Join { .. } => "join",
            Action::Leave(_) => "leave",
            Action::FireInject(_) => "fire an inject",
            Action::HoldInject(_) => "hold an inject",
            Action::ReleaseInject(_) => "release an inject",
            Action::Speak { .. } => "speak as a character",
            Action::Hint { .. } => "give a hint",
            Action::Note(_) => "write a note",
            Action::EndDrill => "end the drill",
        }
    }

    /// Whether it seats people or records who comes and goes: the host's actions.
    pub fn is_seating(&self) -> bool {
        matches!(
            self,
            Action::TakeSeat { .. }
                | Action::ReleaseSeat { .. }
                | Action::Join { .. }
                | Action::Leave(_)
        )
    }

    /// Whether only the host or the facilitator may take it, never a role.
    pub fn is_drill_control(&self) -> bool {
        self.is_seating()
            || matches!(
                self,
                Action::FireInject(_)
                    | Action::HoldInject(_)
                    | Action::ReleaseInject(_)
                    | Action::Speak { .. }
                    | Action::Hint { .. }
                    | Action::Note(_)
                    | Action::EndDrill
            )
    }

    /// Whether `actor` may take it at all: a role as [`Action::permitted_for`] says,
    /// the facilitator anything, the host only seating.
    pub fn permitted_to(&self, actor: &Actor) -> Result<(), String> {
        match actor {
            Actor::Trainee(role) | Actor::Bot(role) => {
                self.permitted_for(*role).map_err(|e| e.to_string())
            }
            Actor::Facilitator => Ok(()),
            Actor::Host if self.is_seating() => Ok(()),
            Actor::Host => Err(format!(
                "the host cannot {}: the host only seats people",
                self.name()
            )),
            Actor::Observer(_) if matches!(self, Action::Post { .. }) => Ok(()),
            Actor::Observer(_) => Err(format!(
                "an observer cannot {}: observers watch and post; take a seat to act",
                self.name()
            )),
        }
    }

    /// Whether someone in `role` may do this; when not, who may.
    pub fn permitted_for(&self, role: Role) -> Result<(), NotPermitted> {
        use Action::*;
        let allowed: &[Role] = match self {
            Acknowledge | Post { .. } | Can(_) | Ask { .. } => &Role::ALL,
            Declare(_)
            | SetSeverity(_)
            | SetState(_)
            | AssignRole { .. }
            | RequestCan(_)
            | Resolve
            | AssignPostmortem(_) => &[Role::Commander],
            StatusUpdate(_) => &[Role::Comms, Role::Commander],
            // The IC may, but loses points for going heads-down (see scoring).
            Investigate(_) | Remediate(_) => &[Role::Tech, Role::Commander],
            Page(_) => &[Role::Commander, Role::Tech],
            // The facilitator's and the host's: see `permitted_to`.
            TakeSeat { .. }
            | ReleaseSeat { .. }
            | Join { .. }
            | Leave(_)
            | FireInject(_)
            | HoldInject(_)
            | ReleaseInject(_)
            | Speak { .. }
            | Hint { .. }
            | Note(_)
            | EndDrill => &[],
        };
        if allowed.contains(&role) {
            Ok(())
        } else {
            Err(NotPermitted {
                role,
                action: self.name(),
                allowed,
            })
        }
    }
}

/// An action someone's role does not allow, and the roles that may take it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {} cannot {action}: that is for the {}", .role.title(), titles(.allowed))]
pub struct NotPermitted {
    pub role: Role,
    /// [`Action::name`] of the action.
    pub action: &'static str,
    pub allowed: &'static [Role],
}

/// "Incident Commander or Technical Lead"; "facilitator" when no role may.
fn titles(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "facilitator".into();
    }
    let titles: Vec<&str> = roles.iter().map(|r| r.title()).collect();
    titles.join(" or ")
}

/// A CAN report as written: free text where people write free text, structure where
/// the war room gives them fields.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CanReport {
    pub conditions: Conditions,
    #[serde(default)]
    pub actions: Vec<CanAction>,
    /// Additional people or resources; empty or "none" when nothing is needed.
    #[serde(default)]
    pub needs: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// Type of incident, e.g. "bad deploy".
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub state: Option<IncidentState>,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub blast_radius: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CanAction {
    pub what: String,
    /// Owner; an action without one is a finding.
    #[serde(default)]
    pub who: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatusUpdate {
    pub audience: Audience,
    pub state: StatusState,
    pub text: String,
}

/// An action with when and by whom. Inputs are the only way anything changes the run.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Input {
    pub at: Duration,
    pub actor: Actor,
    pub action: Action,
}
