//! Headless panel tests with egui_kittest: the panels are drawn without a window,
//! found through the accessibility tree, clicked and typed into like a user would,
//! and what they return is fed to a real session so the tests see the engine react.

use std::sync::Arc;

use egui::accesskit::Role as A11yRole;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use firedrill_core::engine::action::{Action, Actor, Audience, Role};
use firedrill_core::engine::journal::Event;
use firedrill_core::scenario::{Channel, Duration, Scenario, Severity, builtin};
use firedrill_core::session::Session;

use crate::debrief::{DebriefAction, DebriefForms, DebriefView, debrief};
use crate::menu::{
    InterruptedRun, MenuAction, MenuForm, MenuView, SCENARIO_CHANGED, ScenarioCard, menu, roster,
    suggest,
};
use crate::progress::tests::rows as progress_rows;
use crate::progress::{ProgressAction, ProgressForm, ProgressView, progress};
use crate::war_room::{Preview, PreviewNote, WarRoomAction, WarRoomForms, build, war_room};

fn edge() -> Arc<Scenario> {
    Arc::new(builtin::load("edge-waf-regex").expect("built-in"))
}

/// A war room at 1280×720 wired to a live session, as the app wires it.
struct Room {
    session: Session,
    forms: WarRoomForms,
    /// Requests other than incident actions (pause, speed, debrief).
    asked: Vec<WarRoomAction>,
    /// The author's preview strip, when the room is a preview.
    preview: Option<Preview>,
}

fn war_room_harness(role: Role, at: u64) -> Harness<'static, Room> {
    let mut session = Session::new(edge(), 1, role, Some("tester".into()));
    session.fast_forward_to(Duration::from_secs(at));
    let room = Room {
        session,
        forms: WarRoomForms::default(),
        asked: Vec::new(),
        preview: None,
    };
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            |ui, room: &mut Room| {
                crate::theme::apply(ui.ctx());
                let mut view = build(&room.session);
                view.preview = room.preview.clone();
                for request in war_room(ui, &view, &mut room.forms) {
                    match request {
                        WarRoomAction::Do(action) => {
                            room.session.submit(action).expect("the trainee's role");
                        }
                        other => room.asked.push(other),
                    }
                }
            },
            room,
        )
}

/// The trainee's accepted actions once the engine has processed them.
fn trainee_did(room: &mut Room) -> Vec<Action> {
    let next = room.session.engine().next_time();
    room.session.fast_forward_to(next);
    room.session
        .engine()
        .journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::Did {
                actor: Actor::Trainee(_),
                action,
            } => Some(action.clone()),
            _ => None,
        })
        .collect()
}

fn text_input<'t, S>(
    harness: &'t Harness<'_, S>,
    placeholder: &'static str,
) -> egui_kittest::Node<'t> {
    harness.get_by(move |node| {
        node.role() == A11yRole::TextInput && node.placeholder() == Some(placeholder)
    })
}

/// A one-line or multi-line text field by its label.
fn labelled_input<'t>(
    harness: &'t Harness<'_, Room>,
    label: &'static str,
) -> egui_kittest::Node<'t> {
    harness.get_by(move |node| {
        matches!(
            node.role(),
            A11yRole::TextInput | A11yRole::MultilineTextInput
        ) && node.label().as_deref() == Some(label)
    })
}

#[test]
fn a_can_report_typed_into_the_form_reaches_the_engine() {
    let mut harness = war_room_harness(Role::Tech, 420);
    harness.get_by_label("CAN report").click();
    harness.run();
    for (field, text) in [
        ("Type", "bad deploy"),
        ("Summary", "Edge 502s worldwide, CPU pegged"),
        ("Blast radius", "all customers"),
    ] {
        labelled_input(&harness, field).focus();
        harness.run();
        labelled_input(&harness, field).type_text(text);
        harness.run();
    }
    harness.get_by_label("SEV1").click();
    harness.run();
    harness.get_by_label("Send CAN report").click();
    harness.run();

    let did = trainee_did(harness.state_mut());
    let [Action::Can(report)] = did.as_slice() else {
        panic!("expected one CAN report, the engine saw {did:?}");
    };
    assert_eq!(report.conditions.kind, "bad deploy");
    assert_eq!(report.conditions.summary, "Edge 502s worldwide, CPU pegged");
    assert_eq!(report.conditions.blast_radius, "all customers");
    assert_eq!(report.conditions.severity, Some(Severity::Sev1));
    let recorded = &harness.state().session.recording().actions;
    assert_eq!(recorded.len(), 1, "the report is recorded for replay");
}

#[test]
fn enter_sends_a_chat_message_and_clears_the_line() {
    let mut harness = war_room_harness(Role::Commander, 400);
    text_input(&harness, "Message the channel (Enter sends)").focus();
    harness.run();
    text_input(&harness, "Message the channel (Enter sends)")
        .type_text("Tech: what does the CPU profile show?");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();

    let did = trainee_did(harness.state_mut());
    assert_eq!(
        did,
        [Action::Post {
            channel: Channel::WarRoom,
            text: "Tech: what does the CPU profile show?".into()
        }]
    );
    assert!(harness.state().forms.message.is_empty());
}

#[test]
fn each_role_is_offered_only_its_own_actions() {
    let commander = war_room_harness(Role::Commander, 400);
    assert!(commander.query_by_label("Declare incident").is_some());
    assert!(commander.query_by_label("Status update").is_some());

    let comms = war_room_harness(Role::Comms, 400);
    assert!(comms.query_by_label("Declare incident").is_none());
    assert!(comms.query_by_label("Status update").is_some());
    assert!(comms.query_all_by_label("Run").next().is_none());

    let tech = war_room_harness(Role::Tech, 400);
    assert!(tech.query_by_label("Declare incident").is_none());
    assert!(tech.query_by_label("Status update").is_none());
    assert_eq!(
        tech.query_all_by_label("Run").count(),
        edge().investigations.len(),
        "one Run button per investigation"
    );
}

#[test]
fn the_commander_declares_at_the_chosen_severity_and_the_top_bar_follows() {
    let mut harness = war_room_harness(Role::Commander, 400);
    harness.get_by_label("Declare incident").click();
    harness.run();
    let did = trainee_did(harness.state_mut());
    assert_eq!(did, [Action::Declare(WarRoomForms::default().declare)]);
    harness.run();
    // The top bar now shows the state and severity chips.
    assert!(harness.query_by_label("Investigating").is_some());
    assert!(harness.query_by_label("SEV2").is_some());
    // The pickers moved to the current severity and the next state: one click to
    // advance the incident.
    let forms = &harness.state().forms;
    assert_eq!(forms.severity, Severity::Sev2);
    assert_eq!(
        forms.state,
        firedrill_core::scenario::IncidentState::Identified
    );
}

#[test]
fn the_war_room_times_from_the_first_page_as_tte_and_the_debrief_shows_the_same_tte() {
    // edge-waf-regex, seed 1: impact starts at 2m, the first page goes off at 4m10s.
    let mut harness = war_room_harness(Role::Commander, 420);
    // Nobody has acknowledged: TTE runs from the page. The live screen cannot know the
    // impact start, so it shows no MTTA.
    assert!(harness.query_by_label("TTE 2m50s").is_some());
    assert!(harness.query_by_label_contains("MTTA").is_none());
    harness.get_by_label("Acknowledge the page").click();
    harness.run();
    harness
        .state_mut()
        .session
        .fast_forward_to(Duration::from_secs(600));
    harness.run();
    // Acknowledged at 7m01s: TTE stops at 2:51 and MTTR runs.
    assert!(harness.query_by_label("TTE 2m51s").is_some());
    assert!(harness.query_by_label("MTTR 2m59s").is_some());

    let mut session = std::mem::replace(
        &mut harness.state_mut().session,
        Session::new(edge(), 1, Role::Commander, None),
    );
    session.finish();
    let view = DebriefView::new(&session);
    let row = |name: &str| {
        let row = view.times.iter().find(|r| r.name == name).unwrap();
        (row.value.as_str(), row.meaning.as_str())
    };
    assert_eq!(row("TTE"), ("2m51s", "first page to acknowledged"));
    assert_eq!(row("TTD"), ("2m10s", "impact start to first page"));
    assert_eq!(row("MTTA"), ("5m1s", "impact start to acknowledged"));
    let debrief = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, forms: &mut DebriefForms| {
                debrief(ui, &view, forms);
            },
            DebriefForms::default(),
        );
    for label in ["TTE", "2m51s", "first page to acknowledged", "MTTA", "5m1s"] {
        assert!(debrief.query_by_label(label).is_some(), "{label}");
    }
}

#[test]
fn ending_the_drill_asks_first() {
    let mut harness = war_room_harness(Role::Commander, 60);
    harness.get_by_label("End drill").click();
    harness.run();
    assert!(
        harness.state().asked.is_empty(),
        "not before a confirmation"
    );
    harness.get_by_label("Keep playing").click();
    harness.run();
    harness.get_by_label("End drill").click();
    harness.run();
    harness.get_by_label("End now").click();
    harness.run();
    assert_eq!(harness.state().asked, [WarRoomAction::Debrief]);
}

#[test]
fn pause_and_speed_are_asked_of_the_shell() {
    let mut harness = war_room_harness(Role::Commander, 60);
    harness.get_by_label("⏸ Pause").click();
    harness.run();
    harness.get_by_label("5×").click();
    harness.run();
    assert_eq!(
        harness.state().asked,
        [WarRoomAction::SetPaused(true), WarRoomAction::SetSpeed(5.0)]
    );
}

/// `play FILE --watch`: the preview strip names the file and the last save, and its
/// step buttons ask the shell to play the run again a minute either way.
#[test]
fn the_preview_strip_jumps_a_minute_either_way_and_shows_the_last_save() {
    let mut harness = war_room_harness(Role::Commander, 90);
    harness.state_mut().preview = Some(Preview {
        file: "scenarios/my-drill.ron".into(),
        at: 90,
        limit: 3600,
        note: Some(PreviewNote {
            text: "Reloaded: played again to 13:41:30 with your 0 input(s).".into(),
            failed: false,
        }),
    });
    harness.run();
    harness.get_by_label("scenarios/my-drill.ron");
    harness.get_by_label("Reloaded: played again to 13:41:30 with your 0 input(s).");
    harness.get_by_label("1m ▶").click();
    harness.run();
    harness.get_by_label("◀ 1m").click();
    harness.run();
    assert_eq!(
        harness.state().asked,
        [
            WarRoomAction::Jump(Duration::from_secs(150)),
            WarRoomAction::Jump(Duration::from_secs(30)),
        ]
    );
}

#[test]
fn the_menu_returns_the_chosen_scenario_role_and_speed() {
    let view = MenuView {
        scenarios: builtin::all().iter().map(ScenarioCard::new).collect(),
        ..MenuView::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, state: &mut (MenuForm, Option<MenuAction>)| {
                if let Some(action) = menu(ui, &view, &mut state.0) {
                    state.1 = Some(action);
                }
            },
            (MenuForm::default(), None),
        );
    harness.get_by_label(&edge().title).click();
    harness.run();
    harness.get_by_label("Technical Lead").click();
    harness.run();
    harness.get_by_label("10×").click();
    harness.run();
    harness.get_by_label("Read the briefing  ▶").click();
    harness.run();
    let (form, action) = harness.state();
    assert_eq!(*action, Some(MenuAction::Brief));
    assert_eq!(builtin::BUILTIN[form.selected].0, "edge-waf-regex");
    assert_eq!(form.role, Role::Tech);
    assert_eq!(form.speed, 10.0);
}

/// The poor Incident Commander walkthrough of edge-waf-regex replayed in a live session
/// and played to the end, as `firedrill run edge-waf-regex --role ic --seed 1 --inputs
/// scenarios/walkthroughs/poor/edge-waf-regex.commander.ron` plays it (total 53).
fn poor_commander_run() -> Session {
    let source = include_str!("../../scenarios/walkthroughs/poor/edge-waf-regex.commander.ron");
    let file = firedrill_core::inputs::parse(source, &edge()).expect("a valid walkthrough");
    let resumed = Session::resume(edge(), 1, &file);
    // The poor commander tries to resolve at 25m while customers are still affected.
    let refused: Vec<_> = resumed
        .refused
        .iter()
        .map(|r| (r.at.as_secs(), &r.action))
        .collect();
    assert_eq!(refused, [(1500, &Action::Resolve)]);
    let mut session = resumed.session;
    session.finish();
    session
}

/// The debrief drawn at 1280×720, collecting what it returns.
fn debrief_harness(view: DebriefView) -> Harness<'static, (DebriefForms, Vec<DebriefAction>)> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, state: &mut (DebriefForms, Vec<DebriefAction>)| {
                if let Some(action) = debrief(ui, &view, &mut state.0) {
                    state.1.push(action);
                }
            },
            (DebriefForms::default(), Vec::new()),
        )
}

#[test]
fn the_debrief_shows_the_scored_total_and_offers_to_save() {
    // `firedrill run` scores the walkthrough 53 (see poor_commander_run).
    const TOTAL: u32 = 53;
    let view = DebriefView::new(&poor_commander_run());
    assert_eq!(view.total, TOTAL);
    let mut harness = debrief_harness(view);
    // The total is the big number just left of its caption "total / 100".
    let caption = harness.get_by_label("total / 100").rect();
    let beside: Vec<egui::Rect> = harness
        .query_all_by_label(&TOTAL.to_string())
        .map(|node| node.rect())
        .filter(|r| {
            r.max.x <= caption.min.x
                && caption.min.x - r.max.x < 20.0
                && r.y_range().contains(caption.center().y)
        })
        .collect();
    assert_eq!(beside.len(), 1, "one total beside {caption:?}: {beside:?}");
    assert!(beside[0].height() > 2.0 * caption.height(), "shown large");

    harness
        .get_by_label("Save inputs (replay with firedrill run)")
        .click();
    harness.run();
    harness.get_by_label_contains("Timeline (").click();
    harness.run();
    assert_eq!(harness.state().1, [DebriefAction::SaveInputs]);
    assert_eq!(harness.state().0.tab, crate::debrief::DebriefTab::Timeline);
}

#[test]
fn the_debrief_goes_back_to_the_menu_or_plays_again() {
    for (button, action) in [
        ("Back to the menu", DebriefAction::Menu),
        ("Play again", DebriefAction::PlayAgain),
    ] {
        let mut harness = debrief_harness(DebriefView::new(&poor_commander_run()));
        harness.get_by_label(button).click();
        harness.run();
        assert_eq!(harness.state().1, [action], "{button}");
    }
}

#[test]
fn the_debrief_shows_what_was_taken_off_the_total() {
    // A commander who works the incident well but never declares it resolved.
    let file = firedrill_core::inputs::parse(
        include_str!("../../tests/fixtures/edge-waf-regex.never-resolved.commander.ron"),
        &edge(),
    )
    .unwrap();
    let mut session = Session::resume(edge(), 1, &file).session;
    session.finish();
    let view = DebriefView::new(&session);
    assert_eq!((view.total, view.mean), (40, 84));
    assert_eq!(view.adjustments.len(), 1);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, forms: &mut DebriefForms| {
                crate::theme::apply(ui.ctx());
                debrief(ui, &view, forms);
            },
            DebriefForms::default(),
        );
    harness.run();
    assert!(harness.query_by_label("40").is_some());
    harness.get_by_label("84 from the categories; see the first findings for what was taken off");
    harness.get_by_label("−44");
    harness.get_by_label_contains(
        "with the incident not resolved: customer impact had ended at 14:59",
    );
}

#[test]
fn a_timeline_line_plays_the_run_again_from_its_moment() {
    let view = DebriefView::new(&poor_commander_run());
    let third = view.timeline[2].clone();
    let mut harness = debrief_harness(view);
    harness.get_by_label_contains("Timeline (").click();
    harness.run();
    let buttons: Vec<_> = harness.query_all_by_label("▶").collect();
    assert!(buttons.len() > 10, "one ▶ per timeline line");
    buttons[2].click();
    harness.run();
    assert_eq!(harness.state().1, [DebriefAction::PlayFrom(third.at_s)]);
    assert_eq!((third.at_s, third.clock.as_str()), (120, "14:42:00"));

    // Bots played every role: there are no inputs to play again.
    let mut watched = Session::spectate(edge(), 1, Role::Commander);
    watched.finish();
    let mut harness = debrief_harness(DebriefView::new(&watched));
    harness.get_by_label_contains("Timeline (").click();
    harness.run();
    assert_eq!(harness.query_all_by_label("▶").count(), 0);
}

#[test]
fn a_branchs_debrief_compares_it_with_the_run_it_came_from() {
    use firedrill_core::report::compare::compare;
    use firedrill_core::run;

    // The first run is the poor walkthrough; the branch played it again up to 20m and
    // then did nothing more.
    let first = poor_commander_run();
    let at = firedrill_core::scenario::Duration::from_mins(20);
    let mut branch = Session::branch(edge(), 1, first.recording(), at).session;
    branch.finish();
    let first_report = run::report(first.engine());
    let mut view = DebriefView::new(&branch);
    view.compared = Some(compare(
        &edge(),
        (&first_report, first.recording()),
        (&run::report(branch.engine()), branch.recording()),
        at,
    ));
    let mut harness = debrief_harness(view);
    harness.get_by_label("A branch of your run, played again from 15:00:00: see Compare");
    harness.get_by_label("Compare").click();
    harness.run();
    assert_eq!(harness.state().0.tab, crate::debrief::DebriefTab::Compare);
    harness.get_by_label("Both runs are the same up to 15:00:00; from there:");
    for label in ["first run", "this run", "The first run did", "This run did"] {
        harness.get_by_label(label);
    }
    // The branch did nothing after 20m: its list says so.
    harness.get_by_label("nothing");
    assert!(
        harness.query_all_by_label("worse").count() + harness.query_all_by_label("better").count()
            > 0
    );
}

/// The menu as the shell draws it: suggestions redone from the form every frame.
fn menu_harness(view: MenuView) -> Harness<'static, (MenuView, MenuForm)> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            |ui, (view, form): &mut (MenuView, MenuForm)| {
                let (suggestion, team) = suggest(&view.roster, form.trainee.trim(), &form.team);
                if suggestion != view.suggestion
                    && let Some(s) = &suggestion
                {
                    form.role = s.role;
                }
                (view.suggestion, view.team) = (suggestion, team);
                menu(ui, view, form);
            },
            (view, MenuForm::default()),
        )
}

#[test]
fn taking_turns_a_click_on_a_name_plays_as_them_and_ticking_names_shares_the_roles() {
    let view = MenuView {
        scenarios: builtin::all().iter().map(ScenarioCard::new).collect(),
        roster: roster(&progress_rows(&[
            ("ana", Role::Commander, None, 50),
            ("ben", Role::Comms, None, 50),
        ])),
        ..MenuView::default()
    };
    let mut harness = menu_harness(view);
    harness.get_by_label("ben").click();
    harness.run();
    assert_eq!(harness.state().1.trainee, "ben");
    assert_eq!(harness.state().1.role, Role::Commander, "ben's next role");
    assert!(
        harness
            .query_by_label_contains("Suggested: Incident Commander (played 0×")
            .is_some()
    );

    for checkbox in harness.get_all_by_label("together").collect::<Vec<_>>() {
        checkbox.click();
    }
    harness.run();
    let (view, form) = harness.state();
    assert_eq!(form.team, ["ana", "ben"]);
    let team = view
        .team
        .clone()
        .expect("two ticked")
        .expect("a valid team");
    let bens = team[1].1.expect("ben plays");
    assert_ne!(Some(bens), team[0].1, "different roles");
    assert_eq!(form.role, bens, "ben's role in the team is preselected");
    assert!(harness.query_by_label_contains("Together: ana: ").is_some());
}

#[test]
fn the_progress_screen_switches_trainee_and_role_and_goes_back_to_the_menu() {
    let view = ProgressView::new(&progress_rows(&[
        ("ana", Role::Commander, Some(300), 40),
        ("ana", Role::Tech, Some(120), 70),
        ("ana", Role::Commander, Some(180), 60),
        ("ben", Role::Comms, Some(60), 90),
    ]));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, state: &mut (ProgressForm, Option<ProgressAction>)| {
                if let Some(action) = progress(ui, &view, &mut state.0) {
                    state.1 = Some(action);
                }
            },
            (ProgressForm::default(), None),
        );
    harness.run();
    assert_eq!(
        harness.state().0.trainee,
        "ana",
        "the first name by default"
    );
    // Ana's best total as commander is run 3, and it is also her latest.
    assert!(harness.query_by_label("60 (run 3) · 60 (run 3)").is_some());
    assert!(
        harness
            .query_by_label_contains("best: commander 3m (run 3) · tech 2m (run 2)")
            .is_some()
    );

    harness.get_by_label("Technical Lead (1)").click();
    harness.run();
    assert_eq!(harness.state().0.role, Some(Role::Tech));
    assert!(harness.query_by_label("Incident Commander").is_none());

    harness.get_by_label("ben (1)").click();
    harness.run();
    assert_eq!(harness.state().0.trainee, "ben");
    assert_eq!(harness.state().0.role, None, "ben never played tech");
    assert!(harness.query_by_label("Communications Lead").is_some());
    harness.get_by_label("◀ Menu").click();
    harness.run();
    assert_eq!(harness.state().1, Some(ProgressAction::Menu));
}

#[test]
fn the_progress_screen_says_how_to_get_runs_when_there_are_none() {
    let view = ProgressView::default();
    let harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, form: &mut ProgressForm| {
                progress(ui, &view, form);
            },
            ProgressForm::default(),
        );
    assert!(
        harness
            .query_by_label_contains("No runs recorded yet")
            .is_some()
    );
}

/// The menu with an interrupted run on offer; returns the action clicked.
fn interrupted_harness(scenario_changed: bool) -> Harness<'static, Option<MenuAction>> {
    let view = MenuView {
        scenarios: builtin::all().iter().map(ScenarioCard::new).collect(),
        interrupted: Some(InterruptedRun {
            description: "firedrill stopped during a run: edge-waf-regex as Incident Commander, \
                          2 inputs, last input at 6m2s."
                .into(),
            scenario_changed,
        }),
        ..MenuView::default()
    };
    let mut form = MenuForm::default();
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, clicked: &mut Option<MenuAction>| {
                if let Some(action) = menu(ui, &view, &mut form) {
                    *clicked = Some(action);
                }
            },
            None,
        )
}

#[test]
fn an_interrupted_run_is_offered_to_resume_or_score_as_abandoned() {
    let mut harness = interrupted_harness(false);
    assert!(harness.query_by_label(SCENARIO_CHANGED).is_none());
    assert!(harness.query_by_label("Discard it").is_none());
    harness.get_by_label("Score it as abandoned").click();
    harness.run();
    assert_eq!(*harness.state(), Some(MenuAction::Abandon));
    harness.get_by_label("Resume it").click();
    harness.run();
    assert_eq!(*harness.state(), Some(MenuAction::Resume));
}

#[test]
fn an_interrupted_run_whose_scenario_changed_says_so_and_cannot_be_scored() {
    let mut harness = interrupted_harness(true);
    harness.get_by_label(SCENARIO_CHANGED);
    assert!(harness.query_by_label("Score it as abandoned").is_none());
    harness.get_by_label("Discard it").click();
    harness.run();
    assert_eq!(*harness.state(), Some(MenuAction::Discard));
    harness
        .get_by_label("Resume it on the changed scenario")
        .click();
    harness.run();
    assert_eq!(*harness.state(), Some(MenuAction::Resume));
}

/// Whether hovering "Acknowledge the page" shows `text`, and not before.
fn acknowledge_hover_shows(harness: &mut Harness<'_, Room>, text: &str) -> bool {
    let before = harness.query_by_label(text).is_some();
    harness.get_by_label("Acknowledge the page").hover();
    harness.run();
    !before && harness.query_by_label(text).is_some()
}

#[test]
fn the_disabled_acknowledge_button_says_why() {
    // edge-waf-regex, seed 1: the first page goes off at 4m10s, and the IC bot
    // acknowledges it 2m later.
    let mut quiet = war_room_harness(Role::Commander, 60);
    assert!(acknowledge_hover_shows(
        &mut quiet,
        "Nothing has paged yet: there is nothing to acknowledge"
    ));
    let mut tech = war_room_harness(Role::Tech, 420);
    assert_eq!(
        build(&tech.state().session).acknowledge_note,
        "Already acknowledged by the Incident Commander (a bot) at 14:46"
    );
    assert!(acknowledge_hover_shows(
        &mut tech,
        "Already acknowledged by the Incident Commander (a bot) at 14:46"
    ));
    let mut commander = war_room_harness(Role::Commander, 300);
    assert!(acknowledge_hover_shows(
        &mut commander,
        "The page is for the Incident Commander: you acknowledge it."
    ));
}

#[test]
fn the_briefing_says_who_acknowledges_the_page() {
    use crate::briefing::BriefingView;
    let scenario = edge();
    assert_eq!(
        BriefingView::new(&scenario, Role::Commander, 1.0).acknowledges,
        "The page is for the Incident Commander: you acknowledge it."
    );
    let tech = BriefingView::new(&scenario, Role::Tech, 1.0);
    assert_eq!(
        tech.acknowledges,
        "The page is for the Incident Commander, played by a bot, who acknowledges it about 2m after it goes off. You may acknowledge it first."
    );
    let line = tech.acknowledges.clone();
    let harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui(move |ui| {
            crate::briefing::briefing(ui, &tech);
        });
    assert!(harness.query_by_label(&line).is_some());
}

#[test]
fn the_menu_keeps_the_cause_for_the_debrief() {
    let view = MenuView {
        scenarios: builtin::all().iter().map(ScenarioCard::new).collect(),
        ..MenuView::default()
    };
    let mut harness = menu_harness(view);
    harness.get_by_label(&edge().title).click();
    harness.run();
    // Selected: its title and par show, but not its summary ("It looks like a DDoS. It
    // isn't."), its tags ("bad-deploy", "red-herring", "regex") or the incident it is
    // based on ("Cloudflare: WAF regex exhausts CPU worldwide").
    assert!(harness.query_all_by_label(&edge().title).count() >= 2);
    assert!(
        harness
            .query_by_label_contains("acknowledge within")
            .is_some()
    );
    for spoiler in [
        "It isn't",
        "red-herring",
        "bad-deploy",
        "regex",
        "Cloudflare",
    ] {
        assert!(
            harness.query_by_label_contains(spoiler).is_none(),
            "the menu shows {spoiler:?}"
        );
    }
    let debrief = debrief_harness(DebriefView::new(&poor_commander_run()));
    for shown in [
        "It isn't",
        "red-herring",
        "Cloudflare: WAF regex exhausts CPU",
    ] {
        assert!(
            debrief.query_by_label_contains(shown).is_some(),
            "the debrief hides {shown:?}"
        );
    }
}

#[test]
fn a_can_request_moves_no_form_under_the_pointer() {
    // When the IC bot first asks the Technical Lead for a CAN report.
    let mut played = Session::new(edge(), 1, Role::Tech, None);
    played.finish();
    let asked = played
        .engine()
        .journal()
        .iter()
        .find(|e| {
            matches!(
                &e.event,
                Event::Did {
                    actor: Actor::Bot(Role::Commander),
                    action: Action::RequestCan(Role::Tech),
                }
            )
        })
        .expect("the IC bot asks for a CAN report")
        .at
        .as_secs();
    let mut harness = war_room_harness(Role::Tech, asked - 1);
    let banner = "The Incident Commander asked for your CAN report.";
    let places = |harness: &Harness<'_, Room>| {
        (
            labelled_input(harness, "Type").rect(),
            harness.get_by_label("Send CAN report").rect(),
        )
    };
    harness.get_by_label("CAN report").click();
    harness.run();
    let before = places(&harness);
    assert!(harness.query_by_label(banner).is_none());
    harness
        .state_mut()
        .session
        .fast_forward_to(Duration::from_secs(asked));
    harness.run();
    assert!(harness.query_by_label(banner).is_some());
    assert!(harness.query_by_label("CAN report •").is_some());
    assert_eq!(places(&harness), before);
}

#[test]
fn an_action_sent_while_paused_shows_as_queued_until_the_clock_runs() {
    let mut harness = war_room_harness(Role::Commander, 300);
    harness.state_mut().session.set_paused(true);
    harness.run();
    harness.get_by_label("Declare incident").click();
    harness.run();
    let queued = "Queued: declared a SEV2 incident (runs when the clock starts)";
    assert_eq!(build(&harness.state().session).queued, [queued]);
    assert!(harness.query_by_label(queued).is_some());
    // Still paused, nothing happens to it.
    harness
        .state_mut()
        .session
        .pass(std::time::Duration::from_secs(5));
    harness.run();
    assert!(harness.query_by_label(queued).is_some());
    // The clock runs: the declaration is carried out and the line goes.
    let session = &mut harness.state_mut().session;
    session.set_paused(false);
    session.pass(std::time::Duration::from_secs(1));
    harness.run();
    assert!(harness.query_by_label_contains("Queued").is_none());
    assert!(harness.query_by_label("SEV2").is_some());
}

/// A drill on edge-waf-regex at 10m: ana holds the commander's seat, bots the rest.
fn drill_at_ten_minutes() -> firedrill_core::engine::Engine {
    use firedrill_core::engine::action::{Actor, Input};
    let mut engine = firedrill_core::engine::Engine::new(edge(), 1, &[]);
    engine
        .submit(Input {
            at: firedrill_core::scenario::Duration::ZERO,
            actor: Actor::Host,
            action: Action::TakeSeat {
                role: Role::Commander,
                by: "ana".into(),
            },
        })
        .expect("a fresh drill takes a seat");
    engine.advance_to(firedrill_core::scenario::Duration::from_mins(10));
    engine
}

fn console_harness(
    view: crate::facilitator::ConsoleView,
) -> Harness<
    'static,
    (
        crate::facilitator::ConsoleForms,
        Vec<crate::facilitator::ConsoleAction>,
    ),
> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, state: &mut (crate::facilitator::ConsoleForms, Vec<_>)| {
                let asked = crate::facilitator::console(ui, &view, &mut state.0);
                state.1.extend(asked);
            },
            Default::default(),
        )
}

#[test]
fn the_facilitator_sees_the_truth_and_fires_holds_and_hints() {
    use crate::facilitator::{ConsoleAction, ConsoleView};
    let engine = drill_at_ten_minutes();
    let view = ConsoleView::new(&engine, false, 5.0);
    assert_eq!(view.clock, "14:50:00");
    assert_eq!(view.seats, [(Role::Commander, "ana".to_string())]);
    let truth: std::collections::BTreeMap<&str, &str> = view
        .truth
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(truth["true severity"], "SEV1");
    assert_eq!(truth["impact started"], "14:42:00");
    assert_eq!(truth["impact ended"], "not yet");
    // With the commander's seat held and nothing declared, the bots wait for ana.
    assert_eq!(view.bots_next, Vec::<(String, String)>::new());
    let grenade = view
        .injects
        .iter()
        .find(|i| i.id == "grenade-ddos")
        .expect("the red herring is listed");
    assert_eq!(grenade.kind, "red herring");

    let mut harness = console_harness(view.clone());
    harness.get_by_label("The truth (only you see this)");
    harness.get_by_label_contains(&edge().truth.root_cause[..20]);
    // The first inject not yet fired: fire it; the next: hold it.
    let pending: Vec<usize> = view
        .injects
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.fired)
        .map(|(n, _)| n)
        .collect();
    assert!(pending.len() >= 2, "injects still to come at 10m");
    let fire: Vec<_> = harness.query_all_by_label("Fire now").collect();
    assert_eq!(fire.len(), pending.len(), "one Fire now per inject to come");
    fire[0].click();
    harness.run();
    harness
        .query_all_by_label("Hold")
        .nth(1)
        .expect("a second Hold")
        .click();
    harness.run();
    harness.get_by_label("⏸ Pause for everyone").click();
    harness.run();
    harness.get_by_label("10×").click();
    harness.run();
    harness
        .get_by(|node| node.role() == A11yRole::TextInput && node.placeholder() == Some("The hint"))
        .focus();
    harness.run();
    harness
        .get_by(|node| node.role() == A11yRole::TextInput && node.placeholder() == Some("The hint"))
        .type_text("Ask Tech what shipped at 13:42");
    harness.run();
    harness.get_by_label("Send hint").click();
    harness.run();
    harness.get_by_label("End the drill").click();
    harness.run();
    let ids = |n: usize| view.injects[pending[n]].id.clone();
    assert_eq!(
        harness.state().1,
        [
            ConsoleAction::Do(Action::FireInject(ids(0))),
            ConsoleAction::Do(Action::HoldInject(ids(1))),
            ConsoleAction::SetPaused(true),
            ConsoleAction::SetSpeed(10.0),
            ConsoleAction::Do(Action::Hint {
                to: Role::Commander,
                text: "Ask Tech what shipped at 13:42".into()
            }),
            ConsoleAction::Do(Action::EndDrill),
        ]
    );
}

#[test]
fn the_console_lists_hints_and_notes_and_releases_a_held_inject() {
    use crate::facilitator::{ConsoleAction, ConsoleView};
    use firedrill_core::engine::action::{Actor, Input};
    let mut engine = drill_at_ten_minutes();
    let now = engine.next_time();
    let later = ConsoleView::new(&engine, false, 1.0)
        .injects
        .into_iter()
        .find(|i| !i.fired)
        .expect("an inject still to come")
        .id;
    for action in [
        Action::HoldInject(later.clone()),
        Action::Note("IC asked for a CAN report quickly".into()),
        Action::Hint {
            to: Role::Commander,
            text: "Page the WAF team".into(),
        },
    ] {
        engine
            .submit(Input {
                at: now,
                actor: Actor::Facilitator,
                action,
            })
            .expect("the facilitator may");
    }
    engine.advance_to(now);
    let view = ConsoleView::new(&engine, true, 1.0);
    assert_eq!(
        view.notes,
        [
            (
                "14:50:01".to_string(),
                "IC asked for a CAN report quickly".to_string()
            ),
            (
                "14:50:01".to_string(),
                "hint to the Incident Commander: Page the WAF team".to_string()
            ),
        ]
    );
    let mut harness = console_harness(view);
    harness.get_by_label("▶ Resume for everyone").click();
    harness.run();
    harness.get_by_label("Release").click();
    harness.run();
    assert_eq!(
        harness.state().1,
        [
            ConsoleAction::SetPaused(false),
            ConsoleAction::Do(Action::ReleaseInject(later)),
        ]
    );
}

#[test]
fn the_shared_debrief_shows_every_seat_the_team_times_and_the_facilitators_hints() {
    use crate::team_debrief::{TeamDebriefAction, TeamDebriefView, TeamTab, team_debrief};
    let file =
        firedrill_core::drill::parse(include_str!("../../tests/fixtures/team-drill.ron"), &edge())
            .expect("a valid drill file");
    let engine = firedrill_core::drill::play(edge(), &file).expect("the drill replays");
    let view = TeamDebriefView::new(&engine);
    // As `firedrill run edge-waf-regex --inputs tests/fixtures/team-drill.ron` prints them.
    let seats: Vec<(&str, &str, u32)> = view
        .seats
        .iter()
        .map(|s| (s.people.as_str(), s.role.as_str(), s.total))
        .collect();
    assert_eq!(
        seats,
        [
            ("ana", "Incident Commander", 63),
            ("bo", "Technical Lead", 85)
        ]
    );
    assert_eq!(view.seats[0].taken_off[0].0, 5, "the hint cost ana 5");
    assert_eq!(
        view.notes,
        [(
            "14:52:00".to_string(),
            "hint to the Incident Commander: Ask for a CAN report".to_string()
        )]
    );
    assert_eq!(view.times[0].0, "MTTA");
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, (tab, asked): &mut (TeamTab, Option<TeamDebriefAction>)| {
                *asked = asked.or(team_debrief(ui, &view, tab));
            },
            (TeamTab::default(), None),
        );
    harness.get_by_label("ana");
    harness.get_by_label("bo");
    // The timeline says who did what.
    assert!(
        harness
            .query_all_by_label("Incident Commander (ana)")
            .count()
            > 0
    );
    harness.get_by_label("Notes and hints (1)").click();
    harness.run();
    harness.get_by_label("hint to the Incident Commander: Ask for a CAN report");
    harness.get_by_label("Postmortem draft").click();
    harness.run();
    assert_eq!(harness.state().0, TeamTab::Postmortem);
    assert_eq!(harness.state().1, None);
    harness.get_by_label("Back to the menu").click();
    harness.run();
    assert_eq!(harness.state().1, Some(TeamDebriefAction::Menu));
}

/// The war room of the ten-minute drill as `seen`, with what it returns.
fn team_room_harness(
    seen: crate::war_room::Seen,
) -> Harness<'static, (WarRoomForms, Vec<WarRoomAction>)> {
    let view = crate::war_room::build_seen(&drill_at_ten_minutes(), seen);
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, state: &mut (WarRoomForms, Vec<WarRoomAction>)| {
                let asked = war_room(ui, &view, &mut state.0);
                state.1.extend(asked);
            },
            Default::default(),
        )
}

fn seen(role: Role, name: &str, observer: bool, runs_clock: bool) -> crate::war_room::Seen {
    crate::war_room::Seen {
        role,
        paused: true,
        speed: 2.0,
        queued: Vec::new(),
        team: Some(crate::war_room::TeamSeat {
            name: name.into(),
            observer,
            runs_clock,
        }),
    }
}

#[test]
fn in_a_team_drill_an_observer_only_posts_and_only_whoever_runs_the_clock_sees_its_controls() {
    // ana holds the commander's seat and hosts: her seat acts and runs the clock.
    let mut ana = team_room_harness(seen(Role::Commander, "ana", false, true));
    ana.run();
    assert!(ana.query_by_label("ana · Incident Commander").is_some());
    assert!(ana.query_by_label("▶ Resume").is_some());
    assert!(
        ana.query_by_label("End drill").is_none(),
        "the facilitator ends it"
    );
    ana.get_by_label("▶ Resume").click();
    ana.run();
    assert_eq!(ana.state().1, [WarRoomAction::SetPaused(false)]);

    // dee observes: no clock controls, no incident actions, but the channel takes posts.
    let mut dee = team_room_harness(seen(Role::Commander, "dee", true, false));
    dee.run();
    assert!(dee.query_by_label("dee · Observer").is_some());
    assert!(dee.query_by_label("▶ Resume").is_none());
    assert!(dee.query_by_label("PAUSED by the facilitator").is_some());
    assert!(
        dee.query_by_label_contains("Observing: you can post in the channels")
            .is_some()
    );
    {
        use egui_kittest::kittest::NodeT;
        let declare = dee.get_by_label("Declare incident");
        assert!(declare.accesskit_node().is_disabled());
    }
    text_input(&dee, "Message the channel (Enter sends)").focus();
    dee.run();
    text_input(&dee, "Message the channel (Enter sends)")
        .type_text("ana, the WAF deploy lines up with the 502s");
    dee.run();
    dee.get_by_label("Send").click();
    dee.run();
    assert_eq!(
        dee.state().1,
        [WarRoomAction::Do(Action::Post {
            channel: Channel::WarRoom,
            text: "ana, the WAF deploy lines up with the 502s".into(),
        })]
    );
}

#[test]
fn the_console_shows_what_the_bots_will_do_next_without_changing_the_run() {
    use crate::facilitator::ConsoleView;
    let mut engine = firedrill_core::engine::Engine::new(edge(), 1, &[]);
    engine.advance_to(Duration::from_mins(4));
    let journal = engine.journal().to_vec();
    let view = ConsoleView::new(&engine, false, 1.0);
    assert_eq!(engine.journal(), journal, "looking ahead plays a copy");
    // edge-waf-regex, seed 1: the page at 4m10s, the IC bot acknowledges 2m later.
    let first: Vec<(&str, &str)> = view.bots_next[..2]
        .iter()
        .map(|(clock, text)| (clock.as_str(), text.as_str()))
        .collect();
    assert_eq!(
        first,
        [
            (
                "14:46:10",
                "Incident Commander (bot): acknowledged the page"
            ),
            (
                "14:49:10",
                "Incident Commander (bot): declared a SEV1 incident"
            ),
        ]
    );
    assert_eq!(view.bots_next.len(), 8, "the list stops at eight");
    assert_eq!(
        view.bots_next[7].1,
        "Communications Lead (bot): status update to the company's social account (Investigating): We are investigating an issue affecting all customer sites. Next update in 10m."
    );
}

/// chat-gateway-saturation at 20m (06:20), as the Communications Lead: Lookout's
/// metrics and its send-success alert are dark from 06:06, every dashboard from 06:14.
#[test]
fn dark_telemetry_shows_no_data_and_gaps() {
    let chat = Arc::new(builtin::load("chat-gateway-saturation").expect("built-in"));
    let mut session = Session::new(chat, 1, Role::Comms, None);
    session.fast_forward_to(Duration::from_mins(20));
    let view = build(&session);
    let slo = &view.dashboards[0];
    assert_eq!(slo.title, "Messaging SLOs");
    assert_eq!(slo.no_data_since.as_deref(), Some("06:14"));
    let send = &slo.charts[0];
    assert_eq!(send.id, "msg_send_success");
    // Dark as a metric from 6m, then with its dashboard from 14m: one gap to now.
    assert_eq!(send.gaps, [[6.0, 20.0]]);
    assert_eq!(send.points.last().map(|p| p[0]), Some(355.0 / 60.0));
    // Sentinel's error rate went dark only with the dashboard.
    assert_eq!(slo.charts[1].gaps, [[14.0, 20.0]]);
    let dark_alert = view
        .alerts
        .iter()
        .find(|a| a.name.starts_with("Lookout: message send success"))
        .expect("a dark rule is listed");
    assert_eq!(
        (dark_alert.firing, dark_alert.no_data_since.as_deref()),
        (false, Some("06:06"))
    );
    let mut forms = WarRoomForms::default();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_ui(move |ui| {
            crate::theme::apply(ui.ctx());
            war_room(ui, &view, &mut forms);
        });
    harness.run();
    harness.get_by_label("No data since 06:14: the dashboard is not loading");
    harness.get_by_label("NO DATA since 06:06");
}

/// While the public status page is down, the status form cannot address it: the social
/// account is chosen instead, and the update goes there.
#[test]
fn the_status_form_sends_to_the_social_account_while_the_page_is_down() {
    let mut harness = war_room_harness(Role::Comms, 480);
    harness.get_by_label("Status update").click();
    harness.run();
    let why = "The status page cannot be updated: tell the public on the social account";
    assert!(harness.query_by_label(why).is_none());
    harness
        .get_by_label("to the public status page (down since 14:44)")
        .hover();
    harness.run();
    assert!(
        harness.query_by_label(why).is_some(),
        "disabled, and the hover says why"
    );
    status_message(&harness).focus();
    harness.run();
    status_message(&harness).type_text("Sites behind Northwind return 502 errors; we are on it.");
    harness.run();
    harness.get_by_label("Send status update").click();
    harness.run();
    let did = trainee_did(harness.state_mut());
    let [Action::StatusUpdate(update)] = did.as_slice() else {
        panic!("expected one status update, the engine saw {did:?}");
    };
    assert_eq!(update.audience, Audience::Social);
}

/// The status form's message field, by its hint for a public audience.
fn status_message<'t>(harness: &'t Harness<'_, Room>) -> egui_kittest::Node<'t> {
    harness.get_by(|node| {
        node.role() == A11yRole::MultilineTextInput
            && node
                .placeholder()
                .is_some_and(|p| p.starts_with("Plain words for customers"))
    })
}
