//! The briefing: the scenario's opening situation and what the chosen role is
//! expected to do, before the clock starts.

use egui::{RichText, Ui};
use firedrill_core::engine::action::Role;
use firedrill_core::scenario::Scenario;

use crate::theme;

#[derive(Debug, Clone, PartialEq)]
pub struct BriefingView {
    pub title: String,
    pub briefing: String,
    pub role: Role,
    pub starts_at: String,
    pub par: String,
    pub bots: Vec<Role>,
    /// Who is expected to acknowledge the first page: [`who_acknowledges`].
    pub acknowledges: String,
    pub speed: f64,
}

impl BriefingView {
    pub fn new(scenario: &Scenario, role: Role, speed: f64) -> Self {
        BriefingView {
            title: scenario.title.clone(),
            briefing: scenario.briefing.trim().to_string(),
            role,
            starts_at: format!("{} ({})", scenario.clock(0), scenario.time_zone),
            par: format!(
                "acknowledge within {}, resolve within {}, a CAN report every {}, a status update every {}",
                scenario.par.acknowledge,
                scenario.par.resolve,
                scenario.par.can_every,
                scenario.par.status_every,
            ),
            bots: Role::ALL.into_iter().filter(|r| *r != role).collect(),
            acknowledges: who_acknowledges(scenario, role),
            speed,
        }
    }
}

/// Who is expected to acknowledge the page when it goes off: the Incident Commander,
/// the trainee or a bot. Any role may acknowledge first.
pub fn who_acknowledges(scenario: &Scenario, role: Role) -> String {
    let commander = Role::Commander.title();
    if role == Role::Commander {
        format!("The page is for the {commander}: you acknowledge it.")
    } else {
        format!(
            "The page is for the {commander}, played by a bot, who acknowledges it about {} after it goes off. You may acknowledge it first.",
            scenario.bots.acknowledge_after
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BriefingAction {
    Begin,
    Back,
}

/// What the role is expected to do, as the score will judge it (docs/scoring.md).
pub fn duties(role: Role) -> &'static [&'static str] {
    match role {
        Role::Commander => &[
            "Acknowledge the page fast and declare the incident with a severity that matches the impact.",
            "Coordinate, don't fix: let the Technical Lead investigate and remediate; page the teams you need.",
            "Ask each lead for CAN reports and give your own on a steady cadence: Conditions, Actions with owners, Needs.",
            "Keep the state and severity current as things change.",
            "Declare resolved only once customers have recovered, then name a postmortem owner.",
        ],
        Role::Comms => &[
            "Post the first status update soon after the incident is declared.",
            "Reach the right audiences: customers on the status page and executives for SEV1/SEV2, internal stakeholders otherwise.",
            "Update on cadence even when nothing changed, with a state that matches reality.",
            "Plain words for customers, no internal jargon, no blame.",
            "Answer the IC's CAN requests, and send the all-clear once resolved.",
        ],
        Role::Tech => &[
            "Investigate before you act: dashboards, logs, deploys, traces.",
            "Beware red herrings and steps that make things worse or destroy evidence.",
            "Prepare before risky fixes, then remediate the cause.",
            "Answer the IC's CAN requests with what you see, what you are doing and what you need.",
            "Page the teams whose help you need.",
        ],
    }
}

pub fn briefing(ui: &mut Ui, view: &BriefingView) -> Option<BriefingAction> {
    let mut action = None;
    egui::Panel::bottom("briefing-buttons").show(ui, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("◀  Back to the menu").clicked() {
                action = Some(BriefingAction::Back);
            }
            let begin = egui::Button::new(
                RichText::new(format!("Start the clock ({}×)  ▶", view.speed))
                    .strong()
                    .size(16.0),
            );
            if ui.add(begin).clicked() {
                action = Some(BriefingAction::Begin);
            }
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(RichText::new(&view.title).color(theme::BRIGHT));
            ui.label(
                RichText::new(format!("Your shift starts at {}.", view.starts_at))
                    .color(theme::GREY),
            );
            ui.add_space(6.0);
            theme::section(ui, "The situation");
            ui.label(&view.briefing);
            ui.add_space(6.0);
            theme::section(ui, &format!("You are the {}", view.role.title()));
            for duty in duties(view.role) {
                ui.label(format!("•  {duty}"));
            }
            ui.add_space(4.0);
            ui.label(RichText::new(&view.acknowledges).color(theme::AMBER));
            ui.add_space(6.0);
            theme::section(ui, "Par");
            ui.label(&view.par);
            ui.add_space(6.0);
            let bots: Vec<&str> = view.bots.iter().map(|r| r.title()).collect();
            ui.label(
                RichText::new(format!("Bots play the {}.", bots.join(" and the ")))
                    .color(theme::GREY),
            );
        });
    });
    action
}
