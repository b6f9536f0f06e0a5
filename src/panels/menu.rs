//! The menu: who is training, which scenario, which role, how fast.

use egui::{RichText, Ui};
use firedrill_core::engine::action::Role;
use firedrill_core::history::{RunRow, turns};
use firedrill_core::rotation::{self, Played, RotationError, TraineeHistory};
use firedrill_core::scenario::{Difficulty, Scenario};

use crate::theme;

/// A scenario as the library lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioCard {
    pub id: String,
    pub title: String,
    pub difficulty: Difficulty,
    pub par_acknowledge: String,
    pub par_resolve: String,
    pub time_limit: String,
}

impl ScenarioCard {
    pub fn new(scenario: &Scenario) -> Self {
        ScenarioCard {
            id: scenario.id.clone(),
            title: scenario.title.clone(),
            difficulty: scenario.difficulty,
            par_acknowledge: scenario.par.acknowledge.to_string(),
            par_resolve: scenario.par.resolve.to_string(),
            time_limit: scenario.time_limit.to_string(),
        }
    }
}

/// A role to suggest, and why (from the trainee's history).
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub role: Role,
    pub reason: String,
}

/// Someone who has played on this machine, and the role they should take next.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterEntry {
    pub name: String,
    pub played: Vec<Played>,
    /// Their next role when they play alone ([`rotation::suggest`]).
    pub next: Role,
}

impl RosterEntry {
    /// What they did in their latest run: `Some(None)` if they observed, `None` before
    /// their first.
    fn last(&self) -> Option<Option<Role>> {
        self.played.iter().max_by_key(|p| p.order).map(|p| p.role)
    }
}

/// Everyone in the history, whoever has waited longest since their last run first.
pub fn roster(rows: &[RunRow]) -> Vec<RosterEntry> {
    turns(rows)
        .into_iter()
        .map(|(name, played)| RosterEntry {
            next: rotation::suggest(&played),
            name,
            played,
        })
        .collect()
}

/// The roles for the people ticked to play a drill together: one entry per person,
/// `None` to observe. An error when the team cannot be shared out.
pub type TeamPlan = Result<Vec<(String, Option<Role>)>, RotationError>;

/// What the menu suggests: the role for the trainee at the keyboard, and the roles for
/// the team when two or more people are ticked to play together. In a team, the
/// trainee's role is the team's; otherwise it is their own next role.
pub fn suggest(
    roster: &[RosterEntry],
    trainee: &str,
    team: &[String],
) -> (Option<Suggestion>, Option<TeamPlan>) {
    let plan = (team.len() >= 2).then(|| {
        let histories: Vec<TraineeHistory> = team
            .iter()
            .map(|name| TraineeHistory {
                name,
                runs: roster
                    .iter()
                    .find(|e| &e.name == name)
                    .map_or(&[][..], |e| &e.played),
            })
            .collect();
        rotation::assign(&histories)
    });
    let in_team = plan
        .as_ref()
        .and_then(|plan| plan.as_ref().ok())
        .and_then(|plan| plan.iter().find(|(name, _)| name == trainee))
        .and_then(|(_, role)| *role);
    let suggestion = match (in_team, roster.iter().find(|e| e.name == trainee)) {
        (Some(role), _) => Some(Suggestion {
            role,
            reason: "the team's roles for this drill".into(),
        }),
        (None, Some(entry)) => {
            let times = entry
                .played
                .iter()
                .filter(|p| p.role == Some(entry.next))
                .count();
            Some(Suggestion {
                role: entry.next,
                reason: format!("played {times}× in {} recorded runs", entry.played.len()),
            })
        }
        (None, None) => None,
    };
    (suggestion, plan)
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MenuView {
    pub scenarios: Vec<ScenarioCard>,
    pub suggestion: Option<Suggestion>,
    /// Who has played here, for taking turns.
    pub roster: Vec<RosterEntry>,
    /// The roles for the people ticked to play together.
    pub team: Option<TeamPlan>,
    /// A run the app was killed in.
    pub interrupted: Option<InterruptedRun>,
    /// Lines about the history: a problem opening it, a run recorded.
    pub notices: Vec<String>,
}

/// A run the app was killed in, as the menu offers it.
#[derive(Debug, Clone, PartialEq)]
pub struct InterruptedRun {
    /// What it was: scenario, role, trainee, inputs so far.
    pub description: String,
    /// The scenario file has changed since the run was played: it can be resumed on
    /// the changed scenario or discarded, not scored as it was played.
    pub scenario_changed: bool,
}

/// Why a run whose scenario changed is not offered for scoring.
pub const SCENARIO_CHANGED: &str = "Its scenario has changed since. Resuming replays its inputs on the changed scenario, which may refuse some of them; it cannot be scored as it was played.";

/// What the trainee has chosen so far.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuForm {
    pub trainee: String,
    /// The people ticked to play a drill together, in the order ticked.
    pub team: Vec<String>,
    pub selected: usize,
    pub role: Role,
    pub speed: f64,
}

impl Default for MenuForm {
    fn default() -> Self {
        MenuForm {
            trainee: String::new(),
            team: Vec::new(),
            selected: 0,
            role: Role::Commander,
            speed: 1.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuAction {
    /// Go to the briefing with the chosen scenario, role and speed.
    Brief,
    /// Pick the interrupted run up where it stopped.
    Resume,
    /// Score the interrupted run as abandoned and record it.
    Abandon,
    /// Forget the interrupted run without recording it (its scenario has changed).
    Discard,
    /// Show everyone's progress over their runs.
    Progress,
    /// Host or join a team drill.
    TeamDrill,
}

/// One line on what each role does, for the role picker.
pub fn role_pitch(role: Role) -> &'static str {
    match role {
        Role::Commander => "Run the response: declare, coordinate, decide. Hands off the keyboard.",
        Role::Comms => "Keep customers, executives and the company informed, on a cadence.",
        Role::Tech => "Find the cause and fix it, and report progress to the commander.",
    }
}

pub fn difficulty_colour(difficulty: Difficulty) -> egui::Color32 {
    match difficulty {
        Difficulty::Easy => theme::GREEN,
        Difficulty::Medium => theme::AMBER,
        Difficulty::Hard => theme::RED,
    }
}

pub fn menu(ui: &mut Ui, view: &MenuView, form: &mut MenuForm) -> Option<MenuAction> {
    let mut action = egui::Panel::top("menu-title")
        .show(ui, |ui| title_bar(ui, view))
        .inner;
    egui::Panel::left("menu-library")
        .exact_size(430.0)
        .show(ui, |ui| trainee_and_library(ui, view, form));
    egui::CentralPanel::default().show(ui, |ui| {
        if run_setup(ui, view, form) {
            action = Some(MenuAction::Brief);
        }
    });
    action
}

/// The title, the ways to the progress screen and to team drills, the interrupted run
/// and the notices.
fn title_bar(ui: &mut Ui, view: &MenuView) -> Option<MenuAction> {
    let mut action = None;
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.heading(RichText::new("firedrill").color(theme::ORANGE).strong());
        ui.label(RichText::new("a flight simulator for incident response").color(theme::GREY));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Progress ▶").clicked() {
                action = Some(MenuAction::Progress);
            }
            if ui
                .button("Team drill ▶")
                .on_hover_text(
                    "Host a drill or join one: each person takes a role on their own machine",
                )
                .clicked()
            {
                action = Some(MenuAction::TeamDrill);
            }
        });
    });
    ui.add_space(4.0);
    if let Some(interrupted) = &view.interrupted {
        action = interrupted_run(ui, interrupted).or(action);
    }
    for notice in &view.notices {
        ui.label(RichText::new(notice).small().color(theme::TEAL));
    }
    action
}

/// The run the app was killed in, and what can be done with it.
fn interrupted_run(ui: &mut Ui, run: &InterruptedRun) -> Option<MenuAction> {
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&run.description).color(theme::AMBER));
        let (resume, other) = if run.scenario_changed {
            ui.label(RichText::new(SCENARIO_CHANGED).color(theme::AMBER));
            (
                "Resume it on the changed scenario",
                ("Discard it", MenuAction::Discard),
            )
        } else {
            ("Resume it", ("Score it as abandoned", MenuAction::Abandon))
        };
        if ui.button(resume).clicked() {
            action = Some(MenuAction::Resume);
        }
        if ui.button(other.0).clicked() {
            action = Some(other.1);
        }
    });
    ui.add_space(4.0);
    action
}

/// The left column: the trainee's name, the roster and the scenario library.
fn trainee_and_library(ui: &mut Ui, view: &MenuView, form: &mut MenuForm) {
    theme::section(ui, "Trainee");
    ui.horizontal(|ui| {
        ui.label("Your name");
        ui.add(
            egui::TextEdit::singleline(&mut form.trainee)
                .hint_text("for history and role rotation")
                .desired_width(240.0),
        );
    });
    roster_table(ui, view, form);
    ui.separator();
    theme::section(ui, "Scenario library");
    egui::ScrollArea::vertical().show(ui, |ui| {
        for (i, card) in view.scenarios.iter().enumerate() {
            if scenario_card(ui, card, form.selected == i) {
                form.selected = i;
            }
        }
    });
}

/// One scenario in the library; true when it is clicked.
fn scenario_card(ui: &mut Ui, card: &ScenarioCard, selected: bool) -> bool {
    let frame = egui::Frame::group(ui.style()).fill(if selected {
        ui.visuals().selection.bg_fill.gamma_multiply(0.5)
    } else {
        ui.visuals().extreme_bg_color
    });
    frame
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(&card.title).strong().color(theme::BRIGHT));
            });
            ui.horizontal(|ui| {
                theme::chip(
                    ui,
                    card.difficulty.label(),
                    difficulty_colour(card.difficulty),
                );
            });
        })
        .response
        .interact(egui::Sense::click())
        .clicked()
}

/// The centre: the selected scenario, the role, the speed and the way to the briefing;
/// true when the trainee asks for the briefing.
fn run_setup(ui: &mut Ui, view: &MenuView, form: &mut MenuForm) -> bool {
    let Some(card) = view.scenarios.get(form.selected) else {
        ui.label("No scenarios found.");
        return false;
    };
    scenario_facts(ui, card);
    ui.separator();
    role_picker(ui, view, form);
    ui.separator();
    speed_picker(ui, form);
    ui.add_space(12.0);
    let brief = egui::Button::new(RichText::new("Read the briefing  ▶").strong().size(16.0));
    ui.add(brief).clicked()
}

/// The selected scenario: title, par and time limit. Its summary, tags and the real
/// incident it is based on name the cause, so only the debrief shows them.
fn scenario_facts(ui: &mut Ui, card: &ScenarioCard) {
    ui.heading(RichText::new(&card.title).color(theme::BRIGHT));
    ui.add_space(4.0);
    let facts = [
        (
            "Par",
            format!(
                "acknowledge within {}, resolve within {}",
                card.par_acknowledge, card.par_resolve
            ),
        ),
        ("Time limit", card.time_limit.clone()),
    ];
    for (name, value) in facts {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(name).color(theme::GREY));
            ui.label(value);
        });
    }
}

/// The three roles with what each does, the suggested one starred.
fn role_picker(ui: &mut Ui, view: &MenuView, form: &mut MenuForm) {
    theme::section(ui, "Your role");
    if let Some(suggestion) = &view.suggestion {
        ui.label(
            RichText::new(format!(
                "Suggested: {} ({})",
                suggestion.role.title(),
                suggestion.reason
            ))
            .color(theme::TEAL),
        );
    }
    for role in Role::ALL {
        ui.horizontal(|ui| {
            let suggested = view.suggestion.as_ref().is_some_and(|s| s.role == role);
            let title = if suggested {
                format!("{} ★", role.title())
            } else {
                role.title().to_string()
            };
            ui.radio_value(&mut form.role, role, title);
            ui.label(RichText::new(role_pitch(role)).color(theme::GREY));
        });
    }
}

fn speed_picker(ui: &mut Ui, form: &mut MenuForm) {
    theme::section(ui, "Speed");
    ui.horizontal(|ui| {
        for speed in firedrill_core::session::SPEEDS {
            ui.selectable_value(&mut form.speed, speed, format!("{speed}×"));
        }
        ui.label(
            RichText::new("sim seconds per real second; change it any time").color(theme::GREY),
        );
    });
}

/// Who has played here: click a name to play as them; tick names to see the roles for
/// a drill played together.
fn roster_table(ui: &mut Ui, view: &MenuView, form: &mut MenuForm) {
    if view.roster.is_empty() {
        return;
    }
    ui.label(
        RichText::new(
            "Taking turns? Whoever waited longest is first. Click a name to play as them.",
        )
        .small()
        .color(theme::GREY),
    );
    egui::Grid::new("menu-roster")
        .num_columns(4)
        .spacing([10.0, 2.0])
        .show(ui, |ui| {
            for entry in &view.roster {
                if ui
                    .selectable_label(form.trainee.trim() == entry.name, &entry.name)
                    .clicked()
                {
                    form.trainee = entry.name.clone();
                }
                let last = entry
                    .last()
                    .map_or("—", |role| role.map_or("observed", Role::key));
                ui.label(
                    RichText::new(format!("{} runs · last {last}", entry.played.len()))
                        .small()
                        .color(theme::GREY),
                );
                ui.label(
                    RichText::new(format!("next {}", entry.next.key()))
                        .small()
                        .color(theme::TEAL),
                );
                let mut ticked = form.team.contains(&entry.name);
                if ui.checkbox(&mut ticked, "together").changed() {
                    if ticked {
                        form.team.push(entry.name.clone());
                    } else {
                        form.team.retain(|name| name != &entry.name);
                    }
                }
                ui.end_row();
            }
        });
    match &view.team {
        Some(Ok(plan)) => {
            let roles: Vec<String> = plan
                .iter()
                .map(|(name, role)| format!("{name}: {}", role.map_or("observes", Role::key)))
                .collect();
            ui.label(RichText::new(format!("Together: {}", roles.join(" · "))).color(theme::TEAL));
        }
        Some(Err(problem)) => {
            ui.label(RichText::new(problem.to_string()).color(theme::AMBER));
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::tests::rows;

    #[test]
    fn one_trainee_gets_their_own_next_role_and_a_team_gets_distinct_roles() {
        let roster = roster(&rows(&[
            ("ana", Role::Commander, None, 0),
            ("ben", Role::Commander, None, 0),
            ("ben", Role::Comms, None, 0),
        ]));
        let names: Vec<&str> = roster.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["ana", "ben"], "ana has waited longest");

        let (alone, team) = suggest(&roster, "ben", &[]);
        assert_eq!(alone.map(|s| s.role), Some(Role::Tech));
        assert!(team.is_none());
        let (newcomer, _) = suggest(&roster, "cy", &[]);
        assert!(newcomer.is_none(), "nothing to go on");

        let everyone = ["ana".to_string(), "ben".to_string(), "cy".to_string()];
        let (ben, team) = suggest(&roster, "ben", &everyone);
        let team = team.expect("three ticked").expect("a valid team");
        let mut roles: Vec<Role> = team.iter().filter_map(|(_, role)| *role).collect();
        roles.sort();
        assert_eq!(roles, Role::ALL, "one each");
        let bens = team.iter().find(|(name, _)| name == "ben").unwrap().1;
        assert_eq!(ben.map(|s| s.role), bens, "the team's role is preselected");
        assert_ne!(bens, Some(Role::Comms), "not his last role");

        let twice = ["ana".to_string(), "ana".to_string()];
        let refused = suggest(&roster, "ana", &twice)
            .1
            .expect("two ticked")
            .expect_err("one name twice is no team");
        assert_eq!(
            refused.to_string(),
            "two trainees are called \"ana\": names must be unique"
        );
    }
}
