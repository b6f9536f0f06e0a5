//! The status update form: audience (the social account is there for when the status
//! page is down), public state, text.

use egui::{RichText, Ui};
use firedrill_core::engine::action::{Action, Audience, StatusState, StatusUpdate};

use crate::theme;

#[derive(Debug, Clone, PartialEq)]
pub struct StatusDraft {
    pub audience: Audience,
    pub state: StatusState,
    pub text: String,
}

impl Default for StatusDraft {
    fn default() -> Self {
        StatusDraft {
            audience: Audience::StatusPage,
            state: StatusState::Investigating,
            text: String::new(),
        }
    }
}

/// The form; returns the status update when the trainee sends it. The text is
/// cleared after sending, the audience and state stay. While the status page is down
/// (`page_down`: since when), it cannot be chosen and the social account takes its place.
pub fn status_form(
    ui: &mut Ui,
    draft: &mut StatusDraft,
    enabled: bool,
    page_down: Option<&str>,
) -> Option<Action> {
    let mut sent = None;
    if page_down.is_some() && draft.audience == Audience::StatusPage {
        draft.audience = Audience::Social;
    }
    ui.add_enabled_ui(enabled, |ui| {
        theme::section(ui, "Audience");
        for audience in [
            Audience::StatusPage,
            Audience::Social,
            Audience::Executives,
            Audience::Internal,
        ] {
            let label = format!("to {}", audience.name());
            match page_down {
                Some(since) if audience == Audience::StatusPage => {
                    ui.add_enabled(
                        false,
                        egui::RadioButton::new(false, format!("{label} (down since {since})")),
                    )
                    .on_disabled_hover_text(
                        "The status page cannot be updated: tell the public on the social account",
                    );
                }
                _ => {
                    ui.radio_value(&mut draft.audience, audience, label);
                }
            }
        }
        theme::section(ui, "State");
        ui.horizontal(|ui| {
            for state in StatusState::ALL {
                ui.selectable_value(&mut draft.state, state, state.label());
            }
        });
        theme::section(ui, "Message");
        let hint = if matches!(draft.audience, Audience::StatusPage | Audience::Social) {
            "Plain words for customers: what they see, what we are doing, when the next update comes."
        } else {
            "What is happening, the impact, what we are doing, what we need."
        };
        ui.add(
            egui::TextEdit::multiline(&mut draft.text)
                .hint_text(hint)
                .desired_rows(5)
                .desired_width(f32::INFINITY),
        );
        ui.add_space(6.0);
        let ready = !draft.text.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new(RichText::new("Send status update").strong()))
            .clicked()
        {
            sent = Some(Action::StatusUpdate(StatusUpdate {
                audience: draft.audience,
                state: draft.state,
                text: draft.text.trim().to_string(),
            }));
            draft.text.clear();
        }
    });
    sent
}
