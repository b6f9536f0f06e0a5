//! The menu: who is training, which scenario, which role, how fast.

use egui::{RichText, Ui};
use firedrill_core::engine::action::Role;
use firedrill_core::scenario::{Difficulty, Scenario};

use crate::format::span;
use crate::theme;

/// A scenario as the library lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioCard {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub based_on: String,
    pub par_acknowledge: String,
    pub par_resolve: String,
    pub time_limit: String,
}

impl ScenarioCard {
    pub fn new(scenario: &Scenario) -> Self {
        ScenarioCard {
            id: scenario.id.clone(),
            title: scenario.title.clone(),
            summary: scenario.summary.clone(),
            difficulty: scenario.difficulty,
            tags: scenario.tags.clone(),
            based_on: scenario.based_on.clone(),
            par_acknowledge: span(scenario.par.acknowledge.as_secs()),
            par_resolve: span(scenario.par.resolve.as_secs()),
            time_limit: span(scenario.time_limit.as_secs()),
        }
    }
}

/// A role to suggest, and why (from the trainee's history).
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub role: Role,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MenuView {
    pub scenarios: Vec<ScenarioCard>,
    pub suggestion: Option<Suggestion>,
    /// A run the app was killed in, described for the trainee.
    pub interrupted: Option<String>,
    /// Lines about the history: a problem opening it, a run recorded.
    pub notices: Vec<String>,
}

/// What the trainee has chosen so far.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuForm {
    pub trainee: String,
    pub selected: usize,
    pub role: Role,
    pub speed: f64,
}

impl Default for MenuForm {
    fn default() -> Self {
        MenuForm {
            trainee: String::new(),
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
    let mut action = None;
    egui::Panel::top("menu-title").show(ui, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.heading(RichText::new("firedrill").color(theme::ORANGE).strong());
            ui.label(RichText::new("a flight simulator for incident response").color(theme::GREY));
        });
        ui.add_space(4.0);
        if let Some(interrupted) = &view.interrupted {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(interrupted).color(theme::AMBER));
                if ui.button("Resume it").clicked() {
                    action = Some(MenuAction::Resume);
                }
                if ui.button("Score it as abandoned").clicked() {
                    action = Some(MenuAction::Abandon);
                }
            });
            ui.add_space(4.0);
        }
        for notice in &view.notices {
            ui.label(RichText::new(notice).small().color(theme::TEAL));
        }
    });
    egui::Panel::left("menu-library")
        .exact_size(430.0)
        .show(ui, |ui| {
            theme::section(ui, "Trainee");
            ui.horizontal(|ui| {
                ui.label("Your name");
                ui.add(
                    egui::TextEdit::singleline(&mut form.trainee)
                        .hint_text("for history and role rotation")
                        .desired_width(240.0),
                );
            });
            ui.separator();
            theme::section(ui, "Scenario library");
            egui::ScrollArea::vertical().show(ui, |ui| {
                for (i, card) in view.scenarios.iter().enumerate() {
                    let selected = form.selected == i;
                    let frame = egui::Frame::group(ui.style()).fill(if selected {
                        ui.visuals().selection.bg_fill.gamma_multiply(0.5)
                    } else {
                        ui.visuals().extreme_bg_color
                    });
                    let response = frame
                        .show(ui, |ui| {
                            ui.set_width(ui.available_width());
                            ui.horizontal(|ui| {
                                ui.label(RichText::new(&card.title).strong().color(theme::BRIGHT));
                            });
                            ui.horizontal(|ui| {
                                theme::chip(
                                    ui,
                                    &format!("{:?}", card.difficulty),
                                    difficulty_colour(card.difficulty),
                                );
                                ui.add(
                                    egui::Label::new(
                                        RichText::new(card.tags.join(" · "))
                                            .small()
                                            .color(theme::GREY),
                                    )
                                    .wrap(),
                                );
                            });
                        })
                        .response
                        .interact(egui::Sense::click());
                    if response.clicked() {
                        form.selected = i;
                    }
                }
            });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(card) = view.scenarios.get(form.selected) else {
            ui.label("No scenarios found.");
            return;
        };
        ui.heading(RichText::new(&card.title).color(theme::BRIGHT));
        ui.label(&card.summary);
        ui.add_space(4.0);
        let facts = [
            ("Based on", card.based_on.clone()),
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
        ui.separator();
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
        ui.separator();
        theme::section(ui, "Speed");
        ui.horizontal(|ui| {
            for speed in firedrill_core::session::SPEEDS {
                ui.selectable_value(&mut form.speed, speed, format!("{speed}×"));
            }
            ui.label(
                RichText::new("sim seconds per real second; change it any time").color(theme::GREY),
            );
        });
        ui.add_space(12.0);
        let brief = egui::Button::new(RichText::new("Read the briefing  ▶").strong().size(16.0));
        if ui.add(brief).clicked() {
            action = Some(MenuAction::Brief);
        }
    });
    action
}
