//! The facilitator's console of a team drill: the truth nobody else sees (true severity
//! and phase, impact start and end, the fixes), the clock for everyone, the scenario's
//! injects to fire now, hold or release, speaking as any character, a private hint to
//! one seat, timestamped notes, and ending the drill. A plain function of a view model
//! built from the drill's engine; what the facilitator asks for comes back as
//! [`ConsoleAction`]s for the shell to send to the host.

use egui::{RichText, Ui};
use firedrill_core::engine::Engine;
use firedrill_core::engine::action::{Action, Actor, Role};
use firedrill_core::engine::journal::Event;
use firedrill_core::report::words;
use firedrill_core::scenario::{Channel, Duration, Step};

use crate::theme;

/// What the facilitator asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsoleAction {
    /// Stop or restart the clock for everyone.
    SetPaused(bool),
    SetSpeed(f64),
    /// A facilitator's input to the run: fire, hold or release an inject, speak, hint,
    /// note, end the drill.
    Do(Action),
}

/// The console's view of the drill.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleView {
    pub clock: String,
    pub paused: bool,
    pub speed: f64,
    pub truth: Vec<(String, String)>,
    pub injects: Vec<InjectLine>,
    /// `(id, "Name (job)")` of every character the facilitator can speak as.
    pub characters: Vec<(String, String)>,
    /// The seats people hold now: hints go only to them.
    pub seats: Vec<(Role, String)>,
    /// The facilitator's notes and hints so far, `(clock, text)`.
    pub notes: Vec<(String, String)>,
    /// What the bots will do in the next [`LOOKAHEAD`] if nobody acts, `(clock, text)`.
    pub bots_next: Vec<(String, String)>,
    pub ended: bool,
}

/// How far ahead the console looks for what the bots will do.
pub const LOOKAHEAD: Duration = Duration::from_mins(10);
/// The most upcoming bot actions the console lists.
const BOTS_NEXT_MAX: usize = 8;

/// One of the scenario's injects, as the console lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct InjectLine {
    pub id: String,
    /// "at 14:46", "when …", "by hand".
    pub when: String,
    pub kind: String,
    pub fired: bool,
    pub held: bool,
}

/// What the facilitator is typing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConsoleForms {
    pub character: usize,
    pub channel: Channel,
    pub speech: String,
    pub hint_to: usize,
    pub hint: String,
    pub note: String,
}

impl ConsoleView {
    pub fn new(engine: &Engine, paused: bool, speed: f64) -> Self {
        let state = engine.state();
        let scenario = engine.scenario();
        let truth = &state.truth;
        let impact = |kind: fn(&Event) -> bool| {
            engine
                .journal()
                .iter()
                .rev()
                .find(|entry| kind(&entry.event))
                .map(|entry| scenario.clock_seconds(entry.at.as_secs()))
        };
        let fixes: Vec<&str> = scenario
            .truth
            .path
            .iter()
            .filter_map(|step| match step {
                Step::Remediate(id) => Some(scenario.remediation_label(id)),
                _ => None,
            })
            .collect();
        let rows = vec![
            (
                "true severity".to_string(),
                truth
                    .severity
                    .map_or("none yet".into(), |s| s.name().to_string()),
            ),
            (
                "phase".into(),
                truth
                    .phase
                    .map_or("before impact".into(), |p| p.label().to_string()),
            ),
            (
                "impact started".into(),
                impact(|e| matches!(e, Event::ImpactStarted)).unwrap_or_else(|| {
                    format!(
                        "not yet (due {})",
                        scenario.clock_seconds(scenario.truth.impact_starts.as_secs())
                    )
                }),
            ),
            (
                "impact ended".into(),
                if truth.impact_over {
                    impact(|e| matches!(e, Event::ImpactEnded)).unwrap_or_default()
                } else {
                    "not yet".into()
                },
            ),
            ("root cause".into(), scenario.truth.root_cause.clone()),
            ("what fixes it".into(), fixes.join("; ")),
        ];
        let injects = scenario
            .injects
            .iter()
            .enumerate()
            .map(|(i, inject)| InjectLine {
                id: inject.id.clone(),
                when: match (inject.facilitator_only, inject.at) {
                    (true, _) => "by hand".into(),
                    (false, Some(at)) => format!("at {}", scenario.clock(at.as_secs())),
                    (false, None) => "when its condition holds".into(),
                },
                kind: inject.kind.label().to_string(),
                fired: state.injects_fired[i].is_some(),
                held: state.injects_held[i],
            })
            .collect();
        let notes = engine
            .journal()
            .iter()
            .filter_map(|entry| {
                match &entry.event {
                    Event::Did {
                        action: Action::Note(text),
                        ..
                    } => Some(text.clone()),
                    Event::Did {
                        action: Action::Hint { to, text },
                        ..
                    } => Some(format!("hint to the {}: {text}", to.title())),
                    _ => None,
                }
                .map(|text| (scenario.clock_seconds(entry.at.as_secs()), text))
            })
            .collect();
        ConsoleView {
            clock: scenario.clock_seconds(state.now),
            paused,
            speed,
            truth: rows,
            injects,
            characters: scenario
                .characters
                .iter()
                .map(|c| (c.id.clone(), format!("{} ({})", c.name, c.role)))
                .collect(),
            seats: state
                .seated
                .iter()
                .map(|(role, name)| (*role, name.clone()))
                .collect(),
            notes,
            bots_next: bots_next(engine),
            ended: engine.outcome().is_some(),
        }
    }
}

/// What the bots will do next if nobody acts: the run played ahead on a copy of the
/// engine (deterministic, so this is what will happen unless a person changes it).
fn bots_next(engine: &Engine) -> Vec<(String, String)> {
    if engine.outcome().is_some() {
        return Vec::new();
    }
    let mut ahead = engine.clone();
    let known = ahead.journal().len();
    ahead.advance_to(Duration::from_secs(
        engine.next_time().as_secs() + LOOKAHEAD.as_secs(),
    ));
    let scenario = engine.scenario();
    ahead.journal()[known..]
        .iter()
        .filter_map(|entry| match &entry.event {
            Event::Did {
                actor: Actor::Bot(role),
                action,
            } => Some((
                scenario.clock_seconds(entry.at.as_secs()),
                format!(
                    "{} (bot): {}",
                    role.title(),
                    words::action_text(scenario, action)
                ),
            )),
            _ => None,
        })
        .take(BOTS_NEXT_MAX)
        .collect()
}

/// The console, filling `ui`. Returns what the facilitator asked for this frame.
pub fn console(ui: &mut Ui, view: &ConsoleView, forms: &mut ConsoleForms) -> Vec<ConsoleAction> {
    let mut out = Vec::new();
    egui::Panel::top("console-clock").show(ui, |ui| clock_bar(ui, view, &mut out));
    egui::Panel::left("console-truth")
        .exact_size(420.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("console-truth")
                .show(ui, |ui| {
                    truth(ui, view);
                    bots(ui, view);
                    injects(ui, view, &mut out);
                });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("console-voice")
            .show(ui, |ui| {
                speak(ui, view, forms, &mut out);
                hint(ui, view, forms, &mut out);
                notes(ui, view, forms, &mut out);
            });
    });
    out
}

/// The sim clock, pause for everyone, speed, end the drill.
fn clock_bar(ui: &mut Ui, view: &ConsoleView, out: &mut Vec<ConsoleAction>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&view.clock).monospace().size(20.0));
        ui.label(RichText::new("Facilitator").color(theme::YOU));
        if view.ended {
            ui.label(RichText::new("The drill has ended").color(theme::AMBER));
            return;
        }
        let (label, paused) = if view.paused {
            ("▶ Resume for everyone", false)
        } else {
            ("⏸ Pause for everyone", true)
        };
        if ui.button(label).clicked() {
            out.push(ConsoleAction::SetPaused(paused));
        }
        for speed in firedrill_core::session::SPEEDS {
            if ui
                .selectable_label(view.speed == speed, format!("{speed}×"))
                .clicked()
            {
                out.push(ConsoleAction::SetSpeed(speed));
            }
        }
        if ui.button("End the drill").clicked() {
            out.push(ConsoleAction::Do(Action::EndDrill));
        }
    });
}

/// What only the facilitator sees.
fn truth(ui: &mut Ui, view: &ConsoleView) {
    theme::section(ui, "The truth (only you see this)");
    egui::Grid::new("console-truth-grid")
        .num_columns(2)
        .show(ui, |ui| {
            for (name, value) in &view.truth {
                ui.label(RichText::new(name).color(theme::GREY));
                ui.add(egui::Label::new(value).wrap());
                ui.end_row();
            }
        });
}

/// What the bots will do next, so the facilitator can steer before it happens.
fn bots(ui: &mut Ui, view: &ConsoleView) {
    theme::section(
        ui,
        &format!("The bots, next {} (if nobody acts)", LOOKAHEAD),
    );
    if view.bots_next.is_empty() {
        ui.label(RichText::new("Nothing planned.").color(theme::GREY));
    }
    for (clock, text) in &view.bots_next {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(clock).monospace().color(theme::GREY));
            ui.label(text);
        });
    }
}

/// The scenario's injects, with fire now, hold and release.
fn injects(ui: &mut Ui, view: &ConsoleView, out: &mut Vec<ConsoleAction>) {
    theme::section(ui, "Injects");
    egui::Grid::new("console-injects")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for inject in &view.injects {
                ui.label(&inject.id);
                ui.label(
                    RichText::new(format!("{} · {}", inject.when, inject.kind))
                        .small()
                        .color(theme::GREY),
                );
                ui.horizontal(|ui| {
                    if inject.fired {
                        ui.label(RichText::new("fired").color(theme::GREEN));
                        return;
                    }
                    let enabled = !view.ended;
                    if ui
                        .add_enabled(enabled, egui::Button::new("Fire now"))
                        .clicked()
                    {
                        out.push(ConsoleAction::Do(Action::FireInject(inject.id.clone())));
                    }
                    let (label, action) = if inject.held {
                        ("Release", Action::ReleaseInject(inject.id.clone()))
                    } else {
                        ("Hold", Action::HoldInject(inject.id.clone()))
                    };
                    if ui.add_enabled(enabled, egui::Button::new(label)).clicked() {
                        out.push(ConsoleAction::Do(action));
                    }
                });
                ui.end_row();
            }
        });
}

/// Say something as one of the scenario's characters, in either channel.
fn speak(ui: &mut Ui, view: &ConsoleView, forms: &mut ConsoleForms, out: &mut Vec<ConsoleAction>) {
    theme::section(ui, "Speak as a character");
    if view.characters.is_empty() {
        ui.label(RichText::new("This scenario has no characters.").color(theme::GREY));
        return;
    }
    forms.character = forms.character.min(view.characters.len() - 1);
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("console-character")
            .selected_text(&view.characters[forms.character].1)
            .show_ui(ui, |ui| {
                for (i, (_, name)) in view.characters.iter().enumerate() {
                    ui.selectable_value(&mut forms.character, i, name);
                }
            });
        for channel in [Channel::WarRoom, Channel::Incidents] {
            ui.selectable_value(&mut forms.channel, channel, channel.label());
        }
    });
    if let Some(text) = send_line(ui, &mut forms.speech, "What they say", "Say", view.ended) {
        out.push(ConsoleAction::Do(Action::Speak {
            character: view.characters[forms.character].0.clone(),
            channel: forms.channel,
            text,
        }));
    }
}

/// A private hint to the person in one seat: it costs that seat points.
fn hint(ui: &mut Ui, view: &ConsoleView, forms: &mut ConsoleForms, out: &mut Vec<ConsoleAction>) {
    theme::section(ui, "Private hint");
    if view.seats.is_empty() {
        ui.label(RichText::new("Nobody holds a seat: bots take no hints.").color(theme::GREY));
        return;
    }
    forms.hint_to = forms.hint_to.min(view.seats.len() - 1);
    ui.horizontal(|ui| {
        ui.label("to");
        egui::ComboBox::from_id_salt("console-hint-to")
            .selected_text(seat_name(&view.seats[forms.hint_to]))
            .show_ui(ui, |ui| {
                for (i, seat) in view.seats.iter().enumerate() {
                    ui.selectable_value(&mut forms.hint_to, i, seat_name(seat));
                }
            });
        ui.label(
            RichText::new("costs that seat 5 points (docs/scoring.md)")
                .small()
                .color(theme::AMBER),
        );
    });
    if let Some(text) = send_line(ui, &mut forms.hint, "The hint", "Send hint", view.ended) {
        out.push(ConsoleAction::Do(Action::Hint {
            to: view.seats[forms.hint_to].0,
            text,
        }));
    }
}

/// "ana (Incident Commander)".
fn seat_name((role, name): &(Role, String)) -> String {
    format!("{name} ({})", role.title())
}

/// Timestamped notes for the debrief, and the hints given so far.
fn notes(ui: &mut Ui, view: &ConsoleView, forms: &mut ConsoleForms, out: &mut Vec<ConsoleAction>) {
    theme::section(ui, "Observer notes");
    if let Some(text) = send_line(
        ui,
        &mut forms.note,
        "A note for the debrief",
        "Note",
        view.ended,
    ) {
        out.push(ConsoleAction::Do(Action::Note(text)));
    }
    for (clock, text) in &view.notes {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(clock).monospace().color(theme::GREY));
            ui.label(text);
        });
    }
}

/// A text line with a send button; Enter sends too. Returns the trimmed text sent.
fn send_line(
    ui: &mut Ui,
    text: &mut String,
    hint: &str,
    button: &str,
    ended: bool,
) -> Option<String> {
    let mut sent = false;
    ui.horizontal(|ui| {
        let field = ui.add_enabled(
            !ended,
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(ui.available_width() - 90.0),
        );
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let clicked = ui
            .add_enabled(!ended && !text.trim().is_empty(), egui::Button::new(button))
            .clicked();
        sent = (enter || clicked) && !text.trim().is_empty();
    });
    sent.then(|| {
        let out = text.trim().to_string();
        text.clear();
        out
    })
}
