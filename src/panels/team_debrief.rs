//! The shared debrief of a team drill, the same on every machine: each seat's
//! scorecard with its own role's weights, the team's times, the whole timeline with who
//! did what, the facilitator's notes and hints, and the postmortem draft.

use egui::{RichText, Ui};
use firedrill_core::drill;
use firedrill_core::engine::Engine;
use firedrill_core::engine::action::Action;
use firedrill_core::engine::journal::Event;
use firedrill_core::report::postmortem::postmortem;
use firedrill_core::report::timeline::TimelineLine;
use firedrill_core::scenario::Duration;
use firedrill_core::score::{Category, Measure};

use crate::theme;

/// A finished team drill.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamDebriefView {
    pub title: String,
    pub outcome: String,
    pub seats: Vec<SeatCard>,
    /// `(measure, value, what it measures)`: the team's times, one set for everyone.
    pub times: Vec<(String, String, String)>,
    pub timeline: Vec<TimelineLine>,
    /// The facilitator's notes and hints, `(clock, text)`.
    pub notes: Vec<(String, String)>,
    pub postmortem: String,
    /// What this machine did with the drill: where it saved it, the run it recorded.
    pub saved: Vec<String>,
}

/// What the person at the shared debrief asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamDebriefAction {
    /// Leave the drill for the menu.
    Menu,
}

/// One seat's scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatCard {
    /// "ana", or "ana, ben" when the seat changed hands.
    pub people: String,
    pub role: String,
    pub total: u32,
    /// `(category, score, weight)` for the categories the role is graded on.
    pub categories: Vec<(String, u32, u32)>,
    /// What was taken off the total (harmful steps, hints, the cap), `(lost, text)`.
    pub taken_off: Vec<(u32, String)>,
}

/// The tabs of the shared debrief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TeamTab {
    #[default]
    Timeline,
    Notes,
    Postmortem,
}

impl TeamDebriefView {
    /// The debrief of a drill whose engine has run to its end.
    pub fn new(engine: &Engine) -> Self {
        let scenario = engine.scenario();
        let report = drill::report(engine);
        let seats = report
            .seats
            .iter()
            .map(|seat| SeatCard {
                people: seat.name.clone(),
                role: seat.role.title().to_string(),
                total: seat.scorecard.scores.total,
                categories: Category::ALL
                    .into_iter()
                    .filter_map(|c| {
                        let weight = c.weight(Some(seat.role));
                        let score = seat.scorecard.scores.get(c)?;
                        (weight > 0).then(|| (c.title().to_string(), score, weight))
                    })
                    .collect(),
                taken_off: seat
                    .scorecard
                    .adjustments
                    .iter()
                    .map(|a| (a.lost, a.text.clone()))
                    .collect(),
            })
            .collect();
        // Every seat's times are the team's: the milestones belong to the incident.
        let card = firedrill_core::score::score(scenario, engine.journal(), None);
        let times = Measure::ALL
            .into_iter()
            .map(|m| {
                (
                    m.name().to_string(),
                    Duration::words_or(m.of(&card.times), "—"),
                    m.span().to_string(),
                )
            })
            .collect();
        let notes = engine
            .journal()
            .iter()
            .filter_map(|entry| {
                let text = match &entry.event {
                    Event::Did {
                        action: Action::Note(text),
                        ..
                    } => text.clone(),
                    Event::Did {
                        action: Action::Hint { to, text },
                        ..
                    } => format!("hint to the {}: {text}", to.title()),
                    _ => return None,
                };
                Some((scenario.clock_seconds(entry.at.as_secs()), text))
            })
            .collect();
        TeamDebriefView {
            title: scenario.title.clone(),
            outcome: report.outcome.label().to_string(),
            seats,
            times,
            timeline: report.timeline,
            notes,
            postmortem: postmortem(scenario, engine.journal(), &card, engine.seed()),
            saved: Vec::new(),
        }
    }
}

/// The shared debrief, filling `ui`. Returns what was asked for this frame.
pub fn team_debrief(
    ui: &mut Ui,
    view: &TeamDebriefView,
    tab: &mut TeamTab,
) -> Option<TeamDebriefAction> {
    let mut asked = None;
    egui::Panel::top("team-debrief-title").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading(RichText::new(format!("Team debrief: {}", view.title)).color(theme::BRIGHT));
            ui.label(&view.outcome);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Back to the menu").clicked() {
                    asked = Some(TeamDebriefAction::Menu);
                }
            });
        });
        for line in &view.saved {
            ui.label(RichText::new(line).small().color(theme::GREY));
        }
        ui.horizontal_wrapped(|ui| {
            for (name, value, meaning) in &view.times {
                ui.label(RichText::new(name).strong())
                    .on_hover_text(meaning);
                ui.label(RichText::new(value).monospace().color(theme::BRIGHT));
                ui.add_space(8.0);
            }
        });
    });
    egui::Panel::left("team-debrief-seats")
        .exact_size(400.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("team-debrief-seats")
                .show(ui, |ui| {
                    for seat in &view.seats {
                        seat_card(ui, seat);
                    }
                    if view.seats.is_empty() {
                        ui.label("Bots played every seat.");
                    }
                });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.selectable_value(
                tab,
                TeamTab::Timeline,
                format!("Timeline ({})", view.timeline.len()),
            );
            ui.selectable_value(
                tab,
                TeamTab::Notes,
                format!("Notes and hints ({})", view.notes.len()),
            );
            ui.selectable_value(tab, TeamTab::Postmortem, "Postmortem draft");
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt(("team-debrief", *tab as u8))
            .auto_shrink(false)
            .show(ui, |ui| match tab {
                TeamTab::Timeline => {
                    egui::Grid::new("team-timeline")
                        .num_columns(3)
                        .striped(true)
                        .show(ui, |ui| {
                            for line in &view.timeline {
                                ui.label(RichText::new(&line.clock).monospace().color(theme::GREY));
                                ui.label(RichText::new(&line.who).strong());
                                ui.add(egui::Label::new(&line.text).wrap());
                                ui.end_row();
                            }
                        });
                }
                TeamTab::Notes => {
                    if view.notes.is_empty() {
                        ui.label("The facilitator wrote no notes and gave no hints.");
                    }
                    for (clock, text) in &view.notes {
                        ui.horizontal_wrapped(|ui| {
                            ui.label(RichText::new(clock).monospace().color(theme::GREY));
                            ui.label(text);
                        });
                    }
                }
                TeamTab::Postmortem => {
                    ui.add(egui::Label::new(RichText::new(&view.postmortem).monospace()).wrap());
                }
            });
    });
    asked
}

/// A seat: who, the role, the total and each graded category.
fn seat_card(ui: &mut Ui, seat: &SeatCard) {
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(seat.total.to_string())
                .size(30.0)
                .strong()
                .color(theme::score(seat.total)),
        );
        ui.vertical(|ui| {
            ui.label(RichText::new(&seat.people).strong());
            ui.label(RichText::new(&seat.role).color(theme::GREY));
        });
    });
    egui::Grid::new(("seat-card", &seat.role))
        .num_columns(3)
        .show(ui, |ui| {
            for (name, score, weight) in &seat.categories {
                ui.label(name);
                ui.add(
                    egui::ProgressBar::new(*score as f32 / 100.0)
                        .desired_width(140.0)
                        .fill(theme::score(*score).gamma_multiply(0.7))
                        .text(score.to_string()),
                );
                ui.label(
                    RichText::new(format!("weight {weight}%"))
                        .small()
                        .color(theme::GREY),
                );
                ui.end_row();
            }
        });
    for (lost, text) in &seat.taken_off {
        ui.label(
            RichText::new(format!("−{lost} {text}"))
                .small()
                .color(theme::AMBER),
        );
    }
    ui.separator();
}
