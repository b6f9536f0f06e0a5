//! The CAN report form: Conditions (type, state, severity, summary, blast radius),
//! Actions with owners, Needs. Structured fields, so a report reaches the engine the
//! way an input file writes it.

use egui::{RichText, Ui};
use firedrill_core::engine::action::{Action, CanAction, CanReport, Conditions};
use firedrill_core::scenario::{IncidentState, Severity};

use crate::theme;

/// A CAN report being written. It stays filled in after sending: the next report is
/// usually this one, updated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CanDraft {
    pub kind: String,
    pub state: Option<IncidentState>,
    pub severity: Option<Severity>,
    pub summary: String,
    pub blast_radius: String,
    /// `(what, who)`.
    pub actions: Vec<(String, String)>,
    /// One need per line; empty for none.
    pub needs: String,
}

impl CanDraft {
    /// The report as the engine takes it: blank actions and needs dropped.
    pub fn report(&self) -> CanReport {
        CanReport {
            conditions: Conditions {
                kind: self.kind.trim().to_string(),
                state: self.state,
                severity: self.severity,
                summary: self.summary.trim().to_string(),
                blast_radius: self.blast_radius.trim().to_string(),
            },
            actions: self
                .actions
                .iter()
                .filter(|(what, _)| !what.trim().is_empty())
                .map(|(what, who)| CanAction {
                    what: what.trim().to_string(),
                    who: who.trim().to_string(),
                })
                .collect(),
            needs: self
                .needs
                .lines()
                .map(str::trim)
                .filter(|need| !need.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }
}

pub const STATES: [IncidentState; 6] = [
    IncidentState::Acknowledged,
    IncidentState::Investigating,
    IncidentState::Identified,
    IncidentState::Mitigated,
    IncidentState::Monitoring,
    IncidentState::Resolved,
];

pub const SEVERITIES: [Severity; 4] = [
    Severity::Sev1,
    Severity::Sev2,
    Severity::Sev3,
    Severity::Sev4,
];

/// The form; returns the CAN report action when the trainee sends it.
pub fn can_form(ui: &mut Ui, draft: &mut CanDraft, enabled: bool) -> Option<Action> {
    let mut sent = None;
    ui.add_enabled_ui(enabled, |ui| {
        theme::section(ui, "Conditions");
        egui::Grid::new("can-conditions")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label("Type");
                ui.add(
                    egui::TextEdit::singleline(&mut draft.kind)
                        .hint_text("e.g. bad deploy, capacity"),
                )
                .labelled_by(label.id);
                ui.end_row();
                ui.label("State");
                egui::ComboBox::from_id_salt("can-state")
                    .selected_text(draft.state.map_or("—", IncidentState::label))
                    .show_ui(ui, |ui| {
                        for state in STATES {
                            ui.selectable_value(&mut draft.state, Some(state), state.label());
                        }
                    });
                ui.end_row();
                ui.label("Severity");
                ui.horizontal(|ui| {
                    for level in SEVERITIES {
                        let text = RichText::new(level.name()).color(theme::severity(level));
                        ui.selectable_value(&mut draft.severity, Some(level), text);
                    }
                });
                ui.end_row();
                let label = ui.label("Summary");
                ui.add(
                    egui::TextEdit::multiline(&mut draft.summary)
                        .hint_text("What is happening, in one or two sentences")
                        .desired_rows(2),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Blast radius");
                ui.add(
                    egui::TextEdit::singleline(&mut draft.blast_radius)
                        .hint_text("who is affected, how many"),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        theme::section(ui, "Actions");
        let mut remove = None;
        for (i, (what, who)) in draft.actions.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(what)
                        .hint_text("what")
                        .desired_width(190.0),
                );
                ui.add(
                    egui::TextEdit::singleline(who)
                        .hint_text("owner")
                        .desired_width(100.0),
                );
                if ui
                    .small_button("✖")
                    .on_hover_text("Remove this action")
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            draft.actions.remove(i);
        }
        if ui.button("+ Add an action").clicked() {
            draft.actions.push(Default::default());
        }
        let label = ui.label(
            RichText::new("Needs")
                .color(theme::BRIGHT)
                .strong()
                .size(15.0),
        );
        ui.add(
            egui::TextEdit::multiline(&mut draft.needs)
                .hint_text("One per line: people, teams, decisions. Empty for none.")
                .desired_rows(2),
        )
        .labelled_by(label.id);
        ui.add_space(6.0);
        if ui
            .button(RichText::new("Send CAN report").strong())
            .clicked()
        {
            sent = Some(Action::Can(draft.report()));
        }
    });
    sent
}
