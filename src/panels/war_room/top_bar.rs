//! The top bar: sim clock, incident state and severity, TTE/MTTR timers, pause,
//! speed, and the way to the debrief.

use egui::{RichText, Ui};
use firedrill_core::scenario::Duration;
use firedrill_core::score::Measure;
use firedrill_core::session::SPEEDS;

use super::{Timer, WarRoomAction, WarRoomView};
use crate::theme;

/// `ending`: "End drill" was clicked and waits for a confirmation.
pub(super) fn show(
    ui: &mut Ui,
    view: &WarRoomView,
    ending: &mut bool,
    out: &mut Vec<WarRoomAction>,
) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("{} {}", view.clock, view.zone))
                .monospace()
                .size(20.0)
                .color(theme::BRIGHT),
        )
        .on_hover_text("Sim time on the wall clock of the scenario's time zone");
        ui.separator();
        match view.state {
            Some(state) => theme::chip(ui, state.label(), theme::state(state)),
            None => {
                ui.label(RichText::new("All quiet").color(theme::GREEN));
            }
        }
        match view.severity {
            Some(level) => theme::chip(ui, level.name(), theme::severity(level)),
            None if view.state.is_some() => {
                ui.label(RichText::new("not declared").color(theme::GREY));
            }
            None => {}
        }
        ui.separator();
        timer(
            ui,
            Measure::Tte,
            view.tte,
            "The debrief adds the time from the start of customer impact to the first page (TTD) to make MTTA.",
        );
        timer(ui, Measure::Mttr, view.mttr, "");
        ui.separator();
        match &view.team {
            None => {
                ui.label(RichText::new(view.role.title()).color(theme::YOU))
                    .on_hover_text(if view.spectating {
                        "Watching: bots play every role"
                    } else {
                        "Your role; bots play the others"
                    });
            }
            Some(team) => {
                let seat = if team.observer {
                    "Observer"
                } else {
                    view.role.title()
                };
                ui.label(RichText::new(format!("{} · {seat}", team.name)).color(theme::YOU))
                    .on_hover_text("Your seat in the team drill; bots play the open seats");
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if view.over {
                let debrief = egui::Button::new(RichText::new("Debrief  ▶").strong()).fill(theme::TEAL.gamma_multiply(0.5));
                if ui.add(debrief).clicked() {
                    out.push(WarRoomAction::Debrief);
                }
                ui.label(RichText::new("The drill is over").color(theme::GREEN));
                return;
            }
            if *ending {
                if ui.button("Keep playing").clicked() {
                    *ending = false;
                }
                if ui.button(RichText::new("End now").color(theme::RED)).clicked() {
                    *ending = false;
                    out.push(WarRoomAction::Debrief);
                }
                ui.label(RichText::new("End the drill? Bots play the rest out.").color(theme::AMBER));
                return;
            }
            if let Some(team) = &view.team {
                if !team.runs_clock {
                    if view.paused {
                        ui.label(RichText::new("PAUSED by the facilitator").color(theme::AMBER).strong());
                    }
                    return;
                }
            } else if ui
                .button("End drill")
                .on_hover_text("Play the rest of the run out without you, then go to the debrief")
                .clicked()
            {
                *ending = true;
            }
            for speed in SPEEDS.iter().rev() {
                if ui
                    .selectable_label(view.speed == *speed, format!("{speed}×"))
                    .clicked()
                {
                    out.push(WarRoomAction::SetSpeed(*speed));
                }
            }
            let pause = if view.paused { "▶ Resume" } else { "⏸ Pause" };
            if ui.button(pause).clicked() {
                out.push(WarRoomAction::SetPaused(!view.paused));
            }
            if view.paused {
                ui.label(RichText::new("PAUSED").color(theme::AMBER).strong());
            }
        });
    });
    ui.add_space(2.0);
}

/// A live figure, named as the debrief names it; `note` adds to its meaning.
fn timer(ui: &mut Ui, measure: Measure, timer: Timer, note: &str) {
    let value = Duration::words_or(timer.secs, "—");
    let colour = if timer.running {
        theme::AMBER
    } else {
        theme::GREY
    };
    ui.label(
        RichText::new(format!("{} {value}", measure.name()))
            .monospace()
            .color(colour),
    )
    .on_hover_text(format!("{}: {}. {note}", measure.name(), measure.span()).trim_end());
}
