//! The team drill's connect screen, lobby and seat bar, clicked and typed into through
//! egui_kittest like a person would.

use egui::accesskit::Role as A11yRole;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use firedrill_core::engine::action::Role;
use firedrill_core::scenario::builtin;

use super::*;

// ---- connecting --------------------------------------------------------------------

/// The connect screen as the shell draws it, collecting what it returns.
struct Connecting {
    view: ConnectView,
    form: ConnectForm,
    asked: Vec<ConnectAction>,
}

fn connect_harness(view: ConnectView, form: ConnectForm) -> Harness<'static, Connecting> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            |ui, state: &mut Connecting| {
                crate::theme::apply(ui.ctx());
                if let Some(action) = connect(ui, &state.view, &mut state.form) {
                    state.asked.push(action);
                }
            },
            Connecting {
                view,
                form,
                asked: Vec::new(),
            },
        )
}

/// A one-line text field by its label.
fn input<'t>(harness: &'t Harness<'_, Connecting>, label: &'static str) -> egui_kittest::Node<'t> {
    harness.get_by(move |node| {
        node.role() == A11yRole::TextInput && node.label().as_deref() == Some(label)
    })
}

/// Replaces what a field holds with `text`, as a person selecting all and typing would.
fn type_into(harness: &mut Harness<'_, Connecting>, label: &'static str, text: &str) {
    input(harness, label).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.key_press(egui::Key::Backspace);
    harness.run();
    input(harness, label).type_text(text);
    harness.run();
}

fn is_disabled(harness: &Harness<'_, Connecting>, label: &str) -> bool {
    harness.get_by_label(label).accesskit_node().is_disabled()
}

fn lan() -> Vec<FoundLine> {
    vec![
        FoundLine {
            title: "Northwind Edge".into(),
            seats_open: 2,
            address: "192.168.1.5:47800".into(),
            other_version: None,
        },
        FoundLine {
            title: "Payments DB failover".into(),
            seats_open: 3,
            address: "192.168.1.9:47800".into(),
            other_version: Some("0.2.0".into()),
        },
    ]
}

#[test]
fn the_join_tab_joins_only_with_a_name_an_address_and_a_code() {
    let mut harness = connect_harness(ConnectView::default(), ConnectForm::default());
    assert!(is_disabled(&harness, "Join"));
    assert!(
        harness
            .query_by_label("Your name: how the others see you · Address: HOST:PORT, as the host shows it · Join code: as the host shows it")
            .is_some()
    );
    type_into(&mut harness, "Your name", "ana");
    type_into(&mut harness, "Address", " 10.0.0.5:47800 ");
    assert!(is_disabled(&harness, "Join"), "still no code");
    assert!(
        harness
            .query_by_label("Join code: as the host shows it")
            .is_some()
    );
    harness.get_by_label("Join").click();
    harness.run();
    assert!(harness.state().asked.is_empty());

    type_into(&mut harness, "Join code", "7kqm x2rd wn9f");
    assert!(!is_disabled(&harness, "Join"));
    harness.get_by_label("Technical Lead").click();
    harness.run();
    harness.get_by_label("Join").click();
    harness.run();
    let state = harness.state();
    assert_eq!(
        state.asked,
        [ConnectAction::Join {
            address: "10.0.0.5:47800".into(),
            code: "7kqm x2rd wn9f".into(),
        }]
    );
    assert_eq!(state.form.name, "ana");
    assert_eq!(state.form.place, Place::Role(Role::Tech));
}

#[test]
fn a_drill_found_on_the_lan_fills_the_address_unless_it_runs_another_version() {
    let view = ConnectView {
        found: lan(),
        ..ConnectView::default()
    };
    let mut harness = connect_harness(view, ConnectForm::default());
    harness
        .get_by_label("Northwind Edge · 2 seats open · 192.168.1.5:47800")
        .click();
    harness.run();
    assert_eq!(harness.state().form.address, "192.168.1.5:47800");

    let other = harness.get_by_label(
        "Payments DB failover · 3 seats open · 192.168.1.9:47800 (firedrill 0.2.0: cannot join)",
    );
    assert_eq!(
        other.accesskit_node().role(),
        A11yRole::Label,
        "plain text, not a button"
    );
    other.click();
    harness.run();
    assert_eq!(
        harness.state().form.address,
        "192.168.1.5:47800",
        "a drill of another version does not fill the address"
    );
    assert!(harness.state().asked.is_empty());
}

#[test]
fn searching_the_lan_is_asked_once_and_disabled_while_under_way() {
    let mut harness = connect_harness(ConnectView::default(), ConnectForm::default());
    assert!(harness.query_by_label("No drills found yet.").is_some());
    harness.get_by_label("Search the LAN").click();
    harness.run();
    assert_eq!(harness.state().asked, [ConnectAction::Browse]);

    harness.state_mut().view.browsing = true;
    // The spinner repaints every frame: step instead of running to rest.
    harness.run_steps(2);
    assert!(is_disabled(&harness, "Search the LAN"));
    assert!(harness.query_by_label("Searching the LAN…").is_some());
    assert!(harness.query_by_label("No drills found yet.").is_none());
    harness.get_by_label("Search the LAN").click();
    harness.run_steps(2);
    assert_eq!(harness.state().asked, [ConnectAction::Browse]);
}

#[test]
fn while_connecting_both_buttons_are_disabled_and_the_error_shows() {
    let form = ConnectForm {
        name: "ana".into(),
        address: "10.0.0.5:47800".into(),
        code: "ABCD-EFGH-JKLM".into(),
        ..ConnectForm::default()
    };
    let view = ConnectView {
        scenarios: builtin::all().iter().map(ScenarioCard::new).collect(),
        ..ConnectView::default()
    };
    let mut harness = connect_harness(view, form);
    assert!(!is_disabled(&harness, "Join"));
    harness.state_mut().view.busy = Some("Joining 10.0.0.5:47800…".into());
    harness.run_steps(2);
    assert!(is_disabled(&harness, "Join"));
    harness.get_by_label("Host a drill").click();
    harness.run_steps(2);
    assert!(
        is_disabled(&harness, "Host and join"),
        "busy disables hosting too"
    );
    harness.get_by_label("Join a drill").click();
    harness.run_steps(2);
    assert!(harness.query_by_label("Joining 10.0.0.5:47800…").is_some());
    harness.get_by_label("Join").click();
    harness.run_steps(2);
    assert!(harness.state().asked.is_empty());

    let state = harness.state_mut();
    state.view.busy = None;
    state.view.error = Some("wrong join code".into());
    harness.run();
    assert!(!is_disabled(&harness, "Join"));
    assert!(harness.query_by_label("wrong join code").is_some());
}

fn host_harness() -> Harness<'static, Connecting> {
    let view = ConnectView {
        scenarios: builtin::all().iter().map(ScenarioCard::new).collect(),
        ..ConnectView::default()
    };
    let form = ConnectForm {
        name: "carol".into(),
        ..ConnectForm::default()
    };
    let mut harness = connect_harness(view, form);
    harness.get_by_label("Host a drill").click();
    harness.run();
    harness
}

#[test]
fn the_host_tab_hosts_the_chosen_scenario_with_the_typed_settings() {
    let mut harness = host_harness();
    assert_eq!(harness.state().form.tab, ConnectTab::Host);
    let second = harness.state().view.scenarios[1].title.clone();
    harness.get_by_label(&second).click();
    harness.run();
    type_into(&mut harness, "Seed", "42");
    harness.get_by_label("5×").click();
    harness.run();
    type_into(&mut harness, "Port", "7700");
    type_into(&mut harness, "Grace (seconds)", "120");
    harness.get_by_label("Facilitator").click();
    harness.run();
    harness.get_by_label("Host and join").click();
    harness.run();
    let state = harness.state();
    assert_eq!(
        state.asked,
        [ConnectAction::Host {
            scenario: 1,
            seed: 42,
            speed: 5.0,
            port: 7700,
            grace_s: 120,
        }]
    );
    assert_eq!(state.form.place, Place::Facilitator);
}

#[test]
fn a_bad_port_disables_hosting_and_says_why() {
    let mut harness = host_harness();
    assert!(!is_disabled(&harness, "Host and join"), "the defaults host");
    for bad in ["70000", "0", "port"] {
        type_into(&mut harness, "Port", bad);
        assert!(is_disabled(&harness, "Host and join"), "port {bad}");
        assert!(
            harness
                .query_by_label("Port: a number from 1 to 65535")
                .is_some(),
            "port {bad}"
        );
    }
    harness.get_by_label("Host and join").click();
    harness.run();
    assert!(harness.state().asked.is_empty());

    type_into(&mut harness, "Port", "47801");
    assert!(
        harness
            .query_by_label("Port: a number from 1 to 65535")
            .is_none()
    );
    harness.get_by_label("Host and join").click();
    harness.run();
    assert_eq!(
        harness.state().asked,
        [ConnectAction::Host {
            scenario: 0,
            seed: 1,
            speed: 1.0,
            port: 47801,
            grace_s: 60,
        }]
    );
}

#[test]
fn back_returns_to_the_menu() {
    let mut harness = connect_harness(ConnectView::default(), ConnectForm::default());
    harness.get_by_label("Back to the menu").click();
    harness.run();
    assert_eq!(harness.state().asked, [ConnectAction::Back]);
}

// ---- the lobby ---------------------------------------------------------------------

fn lobby_harness(view: LobbyView) -> Harness<'static, Vec<LobbyAction>> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, asked: &mut Vec<LobbyAction>| {
                crate::theme::apply(ui.ctx());
                asked.extend(lobby(ui, &view));
            },
            Vec::new(),
        )
}

/// ana holds the Incident Commander seat, ben the Technical Lead's but has dropped, a
/// bot plays the Communications Lead; carol facilitates and dan observes.
fn lobby_view(me: &str, my_place: Place, can_start: bool) -> LobbyView {
    LobbyView {
        title: "Northwind Edge".into(),
        me: me.into(),
        my_place,
        invite: Some(
            "Others join with: firedrill join 192.168.1.5:47800 --code ABCD-EFGH-JKLM --name NAME"
                .into(),
        ),
        seats: vec![
            SeatLine {
                role: Role::Commander,
                holder: Some(("ana".into(), true)),
            },
            SeatLine {
                role: Role::Comms,
                holder: None,
            },
            SeatLine {
                role: Role::Tech,
                holder: Some(("ben".into(), false)),
            },
        ],
        others: vec![
            ("carol".into(), Place::Facilitator, true),
            ("dan".into(), Place::Observer, true),
        ],
        suggested: vec![("dan".into(), Role::Comms), ("ana".into(), Role::Commander)],
        can_start,
        started: false,
        notice: Some("the Technical Lead seat is taken by ben".into()),
    }
}

#[test]
fn an_observer_takes_the_bots_seat_and_waits_for_the_facilitator() {
    let mut harness = lobby_harness(lobby_view("dan", Place::Observer, false));
    assert!(harness.query_by_label("bot").is_some());
    assert!(harness.query_by_label("ben (reconnecting…)").is_some());
    assert!(
        harness
            .query_by_label(
                "Rotation suggests: dan as Communications Lead, ana as Incident Commander"
            )
            .is_some()
    );
    assert!(
        harness
            .query_by_label("the Technical Lead seat is taken by ben")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("--code ABCD-EFGH-JKLM")
            .is_some()
    );
    assert!(harness.query_by_label("Start the drill").is_none());
    assert!(
        harness
            .query_by_label("Waiting for the facilitator to start.")
            .is_some()
    );
    assert!(
        harness.query_by_label("Watch instead").is_none(),
        "no seat to leave"
    );
    // The bot's seat and the dropped holder's can be taken; ana's cannot.
    let takes: Vec<_> = harness.query_all_by_label("Take this seat").collect();
    assert_eq!(takes.len(), 2);
    takes[0].click();
    harness.run();
    assert_eq!(*harness.state(), [LobbyAction::Take(Role::Comms)]);
}

#[test]
fn my_seat_offers_watching_instead_and_the_facilitator_starts() {
    let mut harness = lobby_harness(lobby_view("ana", Place::Role(Role::Commander), true));
    assert!(
        harness
            .query_by_label("You: ana, Incident Commander")
            .is_some()
    );
    assert_eq!(
        harness.query_all_by_label("Take this seat").count(),
        2,
        "no Take on my own seat"
    );
    harness.get_by_label("Watch instead").click();
    harness.run();
    harness.get_by_label("Start the drill").click();
    harness.run();
    harness.get_by_label("Leave the drill").click();
    harness.run();
    assert_eq!(
        *harness.state(),
        [LobbyAction::Observe, LobbyAction::Start, LobbyAction::Leave]
    );
}

#[test]
fn the_lobby_says_when_the_drill_has_started_and_hides_empty_lines() {
    let view = LobbyView {
        started: true,
        suggested: Vec::new(),
        notice: None,
        ..lobby_view("carol", Place::Facilitator, true)
    };
    let harness = lobby_harness(view);
    assert!(harness.query_by_label("The drill has started.").is_some());
    assert!(harness.query_by_label("Start the drill").is_none());
    assert!(
        harness
            .query_by_label_contains("Rotation suggests")
            .is_none()
    );
}

// ---- the seat bar ------------------------------------------------------------------

fn seat_bar_harness(view: SeatBarView) -> Harness<'static, Vec<LobbyAction>> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, asked: &mut Vec<LobbyAction>| {
                crate::theme::apply(ui.ctx());
                asked.extend(seat_bar(ui, &view));
                egui::CentralPanel::default().show(ui, |ui| ui.label("the war room"));
            },
            Vec::new(),
        )
}

fn seat_bar_view(my_place: Place) -> SeatBarView {
    SeatBarView {
        me: "ana".into(),
        my_place,
        open: vec![Role::Comms, Role::Tech],
        people: "ana: Incident Commander · carol: Facilitator".into(),
        notice: None,
    }
}

#[test]
fn the_seat_bar_takes_an_open_seat_from_its_menu() {
    let mut harness = seat_bar_harness(seat_bar_view(Place::Observer));
    assert!(harness.query_by_label("You: ana, Observer").is_some());
    assert!(
        harness
            .query_by_label("ana: Incident Commander · carol: Facilitator")
            .is_some()
    );
    assert!(harness.query_by_label("the war room").is_some());
    assert!(harness.query_by_label("Watch instead").is_none());
    assert!(
        harness.query_by_label("Technical Lead").is_none(),
        "menu closed"
    );
    harness.get_by_label("Take a seat…").click();
    harness.run();
    harness.get_by_label("Technical Lead").click();
    harness.run();
    assert_eq!(*harness.state(), [LobbyAction::Take(Role::Tech)]);
}

#[test]
fn the_seat_bar_watches_instead_and_leaves() {
    let mut harness = seat_bar_harness(SeatBarView {
        open: Vec::new(),
        notice: Some("lost the host: reconnecting…".into()),
        ..seat_bar_view(Place::Role(Role::Commander))
    });
    assert!(
        harness.query_by_label("Take a seat…").is_none(),
        "no seat open"
    );
    assert!(
        harness
            .query_by_label("lost the host: reconnecting…")
            .is_some()
    );
    harness.get_by_label("Watch instead").click();
    harness.run();
    harness.get_by_label("Leave").click();
    harness.run();
    assert_eq!(*harness.state(), [LobbyAction::Observe, LobbyAction::Leave]);
}
