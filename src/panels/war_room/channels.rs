//! The channels: the war room and the company-wide #incidents channel, a line to post
//! in the one shown (Enter sends), and a way to ask a character a question.

use egui::{Key, RichText, Ui};
use firedrill_core::engine::action::Action;
use firedrill_core::scenario::Channel;

use super::{ChatLine, Voice, WarRoomAction, WarRoomForms, WarRoomView};
use crate::theme;

pub(super) fn show(
    ui: &mut Ui,
    view: &WarRoomView,
    forms: &mut WarRoomForms,
    out: &mut Vec<WarRoomAction>,
) {
    ui.horizontal(|ui| {
        let unread = |lines: &[ChatLine]| format!(" ({})", lines.len());
        ui.selectable_value(
            &mut forms.channel,
            Channel::WarRoom,
            format!("# war-room{}", unread(&view.war_room)),
        );
        ui.selectable_value(
            &mut forms.channel,
            Channel::Incidents,
            format!("# incidents{}", unread(&view.incidents)),
        );
    });
    let lines = match forms.channel {
        Channel::WarRoom => &view.war_room,
        Channel::Incidents => &view.incidents,
    };
    // An observer in a team drill may post, and do nothing else.
    let observer = view.team.as_ref().is_some_and(|t| t.observer);
    let enabled = !view.spectating && !view.over;
    egui::Panel::bottom("channel-input").show(ui, |ui| {
        ui.add_enabled_ui(enabled || (observer && !view.over), |ui| {
            ui.horizontal(|ui| {
                let input = ui.add(
                    egui::TextEdit::singleline(&mut forms.message)
                        .hint_text("Message the channel (Enter sends)")
                        .desired_width(ui.available_width() - 60.0),
                );
                let entered = input.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                if (ui.button("Send").clicked() || entered) && !forms.message.trim().is_empty() {
                    out.push(WarRoomAction::Do(Action::Post {
                        channel: forms.channel,
                        text: forms.message.trim().to_string(),
                    }));
                    forms.message.clear();
                    input.request_focus();
                }
            });
        });
        ui.add_enabled_ui(enabled, |ui| {
            ui.horizontal(|ui| {
                let chosen = forms
                    .ask
                    .as_ref()
                    .and_then(|id| view.characters.iter().find(|c| &c.id == id))
                    .map_or("Ask someone…", |c| c.name.as_str());
                egui::ComboBox::from_id_salt("ask-who")
                    .selected_text(chosen)
                    .width(170.0)
                    .show_ui(ui, |ui| {
                        for character in &view.characters {
                            ui.selectable_value(
                                &mut forms.ask,
                                Some(character.id.clone()),
                                &character.name,
                            );
                        }
                    });
                let question = ui.add(
                    egui::TextEdit::singleline(&mut forms.question)
                        .hint_text("Your question")
                        .desired_width(ui.available_width() - 60.0),
                );
                let entered = question.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                let ready = forms.ask.is_some() && !forms.question.trim().is_empty();
                if (ui.add_enabled(ready, egui::Button::new("Ask")).clicked() || (entered && ready))
                    && let Some(character) = forms.ask.clone()
                {
                    out.push(WarRoomAction::Do(Action::Ask {
                        character,
                        question: forms.question.trim().to_string(),
                    }));
                    forms.question.clear();
                }
            });
        });
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt(("channel", forms.channel == Channel::WarRoom))
            .stick_to_bottom(true)
            .auto_shrink(false)
            .show(ui, |ui| {
                if lines.is_empty() {
                    ui.label(RichText::new("Nothing yet.").color(theme::GREY));
                }
                for line in lines {
                    chat_line(ui, line);
                }
            });
    });
}

fn chat_line(ui: &mut Ui, line: &ChatLine) {
    let colour = match line.voice {
        Voice::You => theme::YOU,
        Voice::Colleague => theme::TEAL,
        Voice::Character => theme::AMBER,
        Voice::Team => theme::BLUE,
        Voice::System => theme::GREY,
    };
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        ui.label(RichText::new(&line.clock).monospace().color(theme::GREY));
        ui.label(RichText::new(&line.who).strong().color(colour));
        let text = RichText::new(&line.text);
        ui.label(if line.voice == Voice::System {
            text.color(theme::GREY).italics()
        } else {
            text
        });
    });
}
