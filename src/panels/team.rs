//! What a team drill shows before and around the incident: connecting (host or join,
//! drills found on the LAN), the lobby, and the seat bar above the war room.
//!
//! Like the other panels, each is a plain function of a view model (what the host and
//! the network said) and, for connecting, a form (what the person is typing); it
//! returns what the person asked for and leaves the networking to the shell.

use egui::{RichText, Ui};
use firedrill_core::engine::action::Role;

use crate::menu::{ScenarioCard, difficulty_colour};
use crate::theme;

/// Where a person sits, or asks to sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Role(Role),
    Observer,
    Facilitator,
}

impl Place {
    /// Every place, in the order the pickers list them.
    pub const ALL: [Place; 5] = [
        Place::Role(Role::Commander),
        Place::Role(Role::Comms),
        Place::Role(Role::Tech),
        Place::Observer,
        Place::Facilitator,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Place::Role(role) => role.title(),
            Place::Observer => "Observer",
            Place::Facilitator => "Facilitator",
        }
    }
}

// ---- connecting ------------------------------------------------------------------

/// What the connect screen shows: what can be hosted, what was heard on the LAN and
/// how connecting is going.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConnectView {
    /// What can be hosted (the menu's library).
    pub scenarios: Vec<ScenarioCard>,
    /// Drills heard on the LAN.
    pub found: Vec<FoundLine>,
    /// A LAN search is under way: a spinner shows and "Search the LAN" is disabled.
    pub browsing: bool,
    /// "Joining 10.0.0.5:47800…" while connecting: "Join" and "Host and join" are
    /// disabled.
    pub busy: Option<String>,
    /// The last failure, one line, shown in red.
    pub error: Option<String>,
}

/// A drill heard on the LAN.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundLine {
    /// The drill's (scenario's) title.
    pub title: String,
    pub seats_open: u32,
    /// "192.168.1.5:47800", what a click puts in the address field.
    pub address: String,
    /// `Some("0.2.0")` when the host runs another firedrill version: shown greyed with
    /// "(firedrill 0.2.0: cannot join)" and not clickable.
    pub other_version: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConnectTab {
    #[default]
    Join,
    Host,
}

/// What the person has typed and chosen on the connect screen.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectForm {
    pub tab: ConnectTab,
    /// Your name (both tabs).
    pub name: String,
    /// Where you ask to sit (both tabs).
    pub place: Place,
    /// Join tab: HOST:PORT.
    pub address: String,
    /// Join tab: the join code as typed.
    pub code: String,
    /// Host tab: an index into [`ConnectView::scenarios`].
    pub scenario: usize,
    /// Host tab: typed; must parse as u64.
    pub seed: String,
    /// Host tab: one of [`firedrill_core::session::SPEEDS`].
    pub speed: f64,
    /// Host tab: typed; must parse as a u16 other than 0.
    pub port: String,
    /// Host tab: seconds a dropped person's seat is kept; typed, must parse as u64.
    pub grace_s: String,
}

/// `firedrill host`'s default port, so the app and the command line meet by default.
const DEFAULT_PORT: &str = "47800";

impl Default for ConnectForm {
    fn default() -> Self {
        ConnectForm {
            tab: ConnectTab::Join,
            name: String::new(),
            place: Place::Role(Role::Commander),
            address: String::new(),
            code: String::new(),
            scenario: 0,
            seed: "1".into(),
            speed: 1.0,
            port: DEFAULT_PORT.into(),
            grace_s: "60".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConnectAction {
    /// Host the selected scenario and join it; the shell reads the form for the name
    /// and place. Only returned when the name is non-empty and seed, port and grace
    /// parse (otherwise the button is disabled and a grey line says what is missing).
    Host {
        scenario: usize,
        seed: u64,
        speed: f64,
        port: u16,
        grace_s: u64,
    },
    /// Join: returned only with a non-empty name, address and code (the button is
    /// disabled otherwise). Both are trimmed.
    Join { address: String, code: String },
    /// "Search the LAN" clicked.
    Browse,
    /// "Back to the menu".
    Back,
}

/// What is missing before the host tab can host: one short line per problem.
fn host_request(
    view: &ConnectView,
    form: &ConnectForm,
) -> Result<ConnectAction, Vec<&'static str>> {
    let mut missing = Vec::new();
    if form.name.trim().is_empty() {
        missing.push("Your name: how the others see you");
    }
    if form.scenario >= view.scenarios.len() {
        missing.push("Scenario: pick one from the list");
    }
    let seed = form.seed.trim().parse::<u64>().ok();
    if seed.is_none() {
        missing.push("Seed: a whole number, 0 or more");
    }
    let port = form.port.trim().parse::<u16>().ok().filter(|p| *p != 0);
    if port.is_none() {
        missing.push("Port: a number from 1 to 65535");
    }
    let grace_s = form.grace_s.trim().parse::<u64>().ok();
    if grace_s.is_none() {
        missing.push("Grace: whole seconds, like 60");
    }
    match (seed, port, grace_s) {
        (Some(seed), Some(port), Some(grace_s)) if missing.is_empty() => Ok(ConnectAction::Host {
            scenario: form.scenario,
            seed,
            speed: form.speed,
            port,
            grace_s,
        }),
        _ => Err(missing),
    }
}

/// What is missing before the join tab can join: one short line per problem.
fn join_request(form: &ConnectForm) -> Result<ConnectAction, Vec<&'static str>> {
    let fields = [
        (&form.name, "Your name: how the others see you"),
        (&form.address, "Address: HOST:PORT, as the host shows it"),
        (&form.code, "Join code: as the host shows it"),
    ];
    let missing: Vec<&str> = fields
        .iter()
        .filter(|(text, _)| text.trim().is_empty())
        .map(|(_, why)| *why)
        .collect();
    if missing.is_empty() {
        Ok(ConnectAction::Join {
            address: form.address.trim().to_string(),
            code: form.code.trim().to_string(),
        })
    } else {
        Err(missing)
    }
}

/// The connect screen: a top bar with the way back, then the two tabs.
pub fn connect(ui: &mut Ui, view: &ConnectView, form: &mut ConnectForm) -> Option<ConnectAction> {
    let mut action = egui::Panel::top("connect-title")
        .show(ui, |ui| {
            let mut back = false;
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.heading(RichText::new("Team drill").color(theme::ORANGE).strong());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    back = ui.button("Back to the menu").clicked();
                });
            });
            ui.add_space(4.0);
            back.then_some(ConnectAction::Back)
        })
        .inner;
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("connect-scroll")
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut form.tab, ConnectTab::Join, "Join a drill");
                    ui.selectable_value(&mut form.tab, ConnectTab::Host, "Host a drill");
                });
                ui.separator();
                name_and_place(ui, form);
                if let Some(busy) = &view.busy {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(RichText::new(busy).color(theme::TEAL));
                    });
                }
                if let Some(error) = &view.error {
                    ui.label(RichText::new(error).color(theme::RED));
                }
                ui.separator();
                let asked = match form.tab {
                    ConnectTab::Join => join_tab(ui, view, form),
                    ConnectTab::Host => host_tab(ui, view, form),
                };
                action = asked.or(action.take());
            });
    });
    action
}

/// A text field with its label on the left, for the connect screen's grid.
fn field(ui: &mut Ui, label: &str, text: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(280.0),
    )
    .labelled_by(label.id);
    ui.end_row();
}

/// Your name and where you ask to sit: the same on both tabs.
fn name_and_place(ui: &mut Ui, form: &mut ConnectForm) {
    egui::Grid::new("connect-you")
        .num_columns(2)
        .show(ui, |ui| {
            field(ui, "Your name", &mut form.name, "how the others see you");
            ui.label("Sit as");
            ui.horizontal_wrapped(|ui| {
                for place in Place::ALL {
                    ui.radio_value(&mut form.place, place, place.title());
                }
            });
            ui.end_row();
        });
}

/// The grey line saying what is missing before a tab's button works.
fn missing_line(ui: &mut Ui, missing: &[&str]) {
    if !missing.is_empty() {
        ui.label(RichText::new(missing.join(" · ")).color(theme::GREY));
    }
}

fn join_tab(ui: &mut Ui, view: &ConnectView, form: &mut ConnectForm) -> Option<ConnectAction> {
    let mut action = None;
    ui.label(
        RichText::new(
            "Ask the host for the address and join code, or pick a drill found on the LAN.",
        )
        .color(theme::GREY),
    );
    theme::section(ui, "Drills on the LAN");
    found_list(ui, view, form);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!view.browsing, egui::Button::new("Search the LAN"))
            .clicked()
        {
            action = Some(ConnectAction::Browse);
        }
        if view.browsing {
            ui.spinner();
            ui.label(RichText::new("Searching the LAN…").color(theme::GREY));
        }
    });
    ui.separator();
    egui::Grid::new("connect-join")
        .num_columns(2)
        .show(ui, |ui| {
            field(ui, "Address", &mut form.address, "HOST:PORT");
            field(ui, "Join code", &mut form.code, "e.g. XVB8-5XM9-HR6C");
        });
    let request = join_request(form);
    let ready = request.is_ok() && view.busy.is_none();
    if ui
        .add_enabled(ready, egui::Button::new(RichText::new("Join").strong()))
        .clicked()
    {
        action = request.clone().ok();
    }
    missing_line(ui, request.as_ref().err().map_or(&[], Vec::as_slice));
    action
}

/// The drills heard on the LAN: a click on one fills the address.
fn found_list(ui: &mut Ui, view: &ConnectView, form: &mut ConnectForm) {
    if view.found.is_empty() {
        if !view.browsing {
            ui.label(RichText::new("No drills found yet.").color(theme::GREY));
        }
        return;
    }
    for line in &view.found {
        let seats = match line.seats_open {
            0 => "no seats open".to_string(),
            1 => "1 seat open".to_string(),
            n => format!("{n} seats open"),
        };
        let text = format!("{} · {seats} · {}", line.title, line.address);
        match &line.other_version {
            Some(version) => {
                ui.label(
                    RichText::new(format!("{text} (firedrill {version}: cannot join)"))
                        .color(theme::GREY),
                );
            }
            None => {
                if ui
                    .selectable_label(form.address.trim() == line.address, text)
                    .clicked()
                {
                    form.address = line.address.clone();
                }
            }
        }
    }
}

fn host_tab(ui: &mut Ui, view: &ConnectView, form: &mut ConnectForm) -> Option<ConnectAction> {
    ui.label(
        RichText::new(
            "Others on your network join with the address and code shown in the lobby. You join as the place chosen above; as Facilitator you run the clock, injects and hints.",
        )
        .color(theme::GREY),
    );
    theme::section(ui, "Scenario");
    if view.scenarios.is_empty() {
        ui.label(RichText::new("No scenarios found.").color(theme::GREY));
    }
    egui::Grid::new("connect-scenarios")
        .num_columns(2)
        .show(ui, |ui| {
            for (i, card) in view.scenarios.iter().enumerate() {
                if ui
                    .selectable_label(form.scenario == i, &card.title)
                    .clicked()
                {
                    form.scenario = i;
                }
                theme::chip(
                    ui,
                    card.difficulty.label(),
                    difficulty_colour(card.difficulty),
                );
                ui.end_row();
            }
        });
    ui.separator();
    egui::Grid::new("connect-host")
        .num_columns(2)
        .show(ui, |ui| {
            field(ui, "Seed", &mut form.seed, "same seed, same drill");
            ui.label("Speed");
            ui.horizontal(|ui| {
                for speed in firedrill_core::session::SPEEDS {
                    ui.selectable_value(&mut form.speed, speed, format!("{speed}×"));
                }
            });
            ui.end_row();
            field(ui, "Port", &mut form.port, DEFAULT_PORT);
            field(
                ui,
                "Grace (seconds)",
                &mut form.grace_s,
                "a dropped seat is kept",
            );
        });
    let request = host_request(view, form);
    let ready = request.is_ok() && view.busy.is_none();
    let clicked = ui
        .add_enabled(
            ready,
            egui::Button::new(RichText::new("Host and join").strong()),
        )
        .clicked();
    missing_line(ui, request.as_ref().err().map_or(&[], Vec::as_slice));
    if clicked { request.ok() } else { None }
}

// ---- the lobby ---------------------------------------------------------------------

/// Who is here, who sits where, rotation's suggestions, and the start.
#[derive(Debug, Clone, PartialEq)]
pub struct LobbyView {
    /// The scenario's title.
    pub title: String,
    /// My name.
    pub me: String,
    pub my_place: Place,
    /// "Others join with: firedrill join 192.168.1.5:47800 --code ... --name NAME"
    /// (selectable text) when known.
    pub invite: Option<String>,
    /// The three role seats, in [`Role::ALL`] order.
    pub seats: Vec<SeatLine>,
    /// Observers and the facilitator: name, place, connected.
    pub others: Vec<(String, Place, bool)>,
    /// Rotation's suggestions ("ana as Communications Lead").
    pub suggested: Vec<(String, Role)>,
    /// I may start the drill (the facilitator, or the organiser).
    pub can_start: bool,
    /// The clock has started (the shell then leaves the lobby).
    pub started: bool,
    /// The host's last refusal ("the Technical Lead seat is taken by ben").
    pub notice: Option<String>,
}

/// A role seat and who holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatLine {
    pub role: Role,
    /// Name and connected; `None` when a bot plays it.
    pub holder: Option<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LobbyAction {
    /// "Take this seat" on a seat a bot plays or its holder dropped from.
    Take(Role),
    /// "Watch instead" when I hold a role seat.
    Observe,
    /// "Start the drill" when I may.
    Start,
    /// "Leave the drill".
    Leave,
}

/// "ana" when connected, "ana (reconnecting…)" while their seat is kept for them.
fn person(name: &str, connected: bool) -> String {
    if connected {
        name.to_string()
    } else {
        format!("{name} (reconnecting…)")
    }
}

/// "Rotation suggests: ana as Communications Lead, ben as Technical Lead".
fn suggestions_line(suggested: &[(String, Role)]) -> String {
    let pairs: Vec<String> = suggested
        .iter()
        .map(|(name, role)| format!("{name} as {}", role.title()))
        .collect();
    format!("Rotation suggests: {}", pairs.join(", "))
}

/// The lobby, filling `ui`.
pub fn lobby(ui: &mut Ui, view: &LobbyView) -> Option<LobbyAction> {
    let mut action = egui::Panel::top("lobby-title")
        .show(ui, |ui| {
            let mut leave = false;
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.heading(RichText::new(&view.title).color(theme::BRIGHT).strong());
                ui.label(RichText::new("Lobby").color(theme::GREY));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    leave = ui.button("Leave the drill").clicked();
                });
            });
            ui.add_space(4.0);
            leave.then_some(LobbyAction::Leave)
        })
        .inner;
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("lobby-scroll")
            .show(ui, |ui| {
                ui.label(
                    RichText::new(format!("You: {}, {}", view.me, view.my_place.title()))
                        .color(theme::YOU),
                );
                theme::section(ui, "Seats");
                action = seats(ui, view).or(action.take());
                others(ui, view);
                ui.add_space(8.0);
                if !view.suggested.is_empty() {
                    ui.label(RichText::new(suggestions_line(&view.suggested)).color(theme::GREY));
                }
                if let Some(invite) = &view.invite {
                    ui.add(egui::Label::new(RichText::new(invite).monospace()).selectable(true));
                }
                if let Some(notice) = &view.notice {
                    ui.label(RichText::new(notice).color(theme::AMBER));
                }
                ui.add_space(8.0);
                if view.started {
                    ui.label(RichText::new("The drill has started.").color(theme::GREEN));
                } else if view.can_start {
                    let start =
                        egui::Button::new(RichText::new("Start the drill").strong().size(16.0));
                    if ui.add(start).clicked() {
                        action = Some(LobbyAction::Start);
                    }
                } else {
                    ui.label(
                        RichText::new("Waiting for the facilitator to start.").color(theme::GREY),
                    );
                }
            });
    });
    action
}

/// The three role seats: who holds each, and the way to take it or leave mine.
fn seats(ui: &mut Ui, view: &LobbyView) -> Option<LobbyAction> {
    let mut action = None;
    egui::Grid::new("lobby-seats")
        .num_columns(3)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for seat in &view.seats {
                let mine = view.my_place == Place::Role(seat.role);
                let colour = if mine { theme::YOU } else { theme::BRIGHT };
                ui.label(RichText::new(seat.role.title()).color(colour).strong());
                match &seat.holder {
                    Some((name, connected)) => {
                        let text = person(name, *connected);
                        ui.label(RichText::new(text).color(if mine {
                            theme::YOU
                        } else if *connected {
                            theme::BRIGHT
                        } else {
                            theme::AMBER
                        }));
                    }
                    None => {
                        ui.label(RichText::new("bot").color(theme::GREY));
                    }
                }
                let takeable = seat.holder.as_ref().is_none_or(|(_, connected)| !connected);
                if mine {
                    if ui.button("Watch instead").clicked() {
                        action = Some(LobbyAction::Observe);
                    }
                } else if takeable && ui.button("Take this seat").clicked() {
                    action = Some(LobbyAction::Take(seat.role));
                }
                ui.end_row();
            }
        });
    action
}

/// Observers and the facilitator.
fn others(ui: &mut Ui, view: &LobbyView) {
    if view.others.is_empty() {
        return;
    }
    theme::section(ui, "Also here");
    egui::Grid::new("lobby-others")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for (name, place, connected) in &view.others {
                let colour = if *name == view.me {
                    theme::YOU
                } else {
                    theme::BRIGHT
                };
                ui.label(RichText::new(person(name, *connected)).color(colour));
                ui.label(RichText::new(place.title()).color(theme::GREY));
                ui.end_row();
            }
        });
}

// ---- the seat bar ------------------------------------------------------------------

/// The one line above the war room or console during a team drill.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatBarView {
    pub me: String,
    pub my_place: Place,
    /// Role seats a bot plays now (I could take one).
    pub open: Vec<Role>,
    /// "ana: Incident Commander · ben: Technical Lead · carol: Facilitator".
    pub people: String,
    /// The last refusal or connection line.
    pub notice: Option<String>,
}

/// The seat bar, as a top panel of `ui`: the shell draws the war room's own panels
/// after it in the same `ui`.
pub fn seat_bar(ui: &mut Ui, view: &SeatBarView) -> Option<LobbyAction> {
    egui::Panel::top("seat-bar")
        .show(ui, |ui| {
            let mut action = None;
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!("You: {}, {}", view.me, view.my_place.title()))
                        .color(theme::YOU),
                );
                ui.separator();
                ui.label(RichText::new(&view.people).color(theme::GREY));
                ui.separator();
                if !view.open.is_empty() {
                    ui.menu_button("Take a seat…", |ui| {
                        for role in &view.open {
                            if ui.button(role.title()).clicked() {
                                action = Some(LobbyAction::Take(*role));
                            }
                        }
                    });
                }
                if matches!(view.my_place, Place::Role(_)) && ui.button("Watch instead").clicked() {
                    action = Some(LobbyAction::Observe);
                }
                if ui.button("Leave").clicked() {
                    action = Some(LobbyAction::Leave);
                }
                if let Some(notice) = &view.notice {
                    ui.label(RichText::new(notice).color(theme::AMBER));
                }
            });
            action
        })
        .inner
}

#[cfg(test)]
#[path = "team_tests.rs"]
mod tests;
