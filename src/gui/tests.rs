//! Headless app tests: the real screen and sim plugins on MinimalPlugins (no window,
//! no GPU), with time stepped by hand, requests written as messages like the war-room
//! panel writes them, and the debrief's saved inputs replayed headless.

use std::sync::Arc;
use std::time::Duration as Real;

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use bevy::time::TimeUpdateStrategy;
use bevy_egui::egui::accesskit::Role as AccessRole;
use bevy_egui::{EguiContext, EguiInput, EguiOutput, EguiPlugin, PrimaryEguiContext, egui};
use firedrill_core::engine::action::{Action, Actor, Role};
use firedrill_core::engine::journal::Event;
use firedrill_core::scenario::{Duration, Scenario, Severity, builtin};
use firedrill_core::{inputs, run};
use firedrill_panels::debrief::DebriefTab;
use firedrill_panels::menu::InterruptedRun;
use firedrill_panels::war_room::WarRoomAction;

use firedrill_core::history::live::unfinished;
use firedrill_core::history::{BranchOf, Filter, Store};

use super::debrief::DebriefState;
use super::history::{self, DataDir, Interrupted};
use super::menu::MenuState;
use super::progress::ProgressState;
use super::sim::{Live, Request};
use super::{Choice, Launch, Library, MenuPreset, Screen, screens};

/// 100 ms per frame, on the briefing of edge-waf-regex as the commander.
fn app(speed: f64, out_dir: &std::path::Path) -> App {
    let scenario = Arc::new(builtin::load("edge-waf-regex").expect("built-in"));
    app_on(scenario, speed, out_dir)
}

/// 100 ms per frame, on the briefing of `scenario` as the commander.
fn app_on(scenario: Arc<Scenario>, speed: f64, out_dir: &std::path::Path) -> App {
    app_watching(scenario, speed, out_dir, None)
}

/// [`app_on`], reloading `watch` when it is saved (`play FILE --watch`).
fn app_watching(
    scenario: Arc<Scenario>,
    speed: f64,
    out_dir: &std::path::Path,
    watch: Option<std::path::PathBuf>,
) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .insert_resource(TimeUpdateStrategy::ManualDuration(Real::from_millis(100)));
    screens(
        &mut app,
        Launch {
            library: vec![Arc::clone(&scenario)],
            play: Some(Choice {
                scenario,
                role: Role::Commander,
                trainee: Some("tester".into()),
                seed: 7,
                speed,
            }),
            menu: MenuPreset::default(),
            screenshot: None,
            out_dir: out_dir.join("runs"),
            scenario_file: None,
            data_dir: Some(out_dir.join("data")),
            join: None,
            watch,
        },
    );
    app.update();
    app
}

fn go_to(app: &mut App, screen: Screen) {
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(screen);
    app.update();
}

fn sim_next(app: &App) -> Duration {
    let live = app.world().resource::<Live>();
    live.0.as_ref().expect("a live run").engine().next_time()
}

fn request(app: &mut App, request: WarRoomAction) {
    app.world_mut().write_message(Request(request));
    app.update();
}

/// Draws the screens' egui panels every frame, as in the window, into an egui context
/// with no window: the accessibility tree says where each widget is, and pointer events
/// go in where a mouse click's would. Returns the context's entity.
fn with_panels(app: &mut App) -> Entity {
    app.add_plugins((
        bevy::asset::AssetPlugin::default(),
        bevy::input::InputPlugin,
        bevy::window::WindowPlugin {
            primary_window: None,
            exit_condition: bevy::window::ExitCondition::DontExit,
            ..default()
        },
    ))
    .init_asset::<bevy::shader::Shader>()
    .init_asset::<bevy::image::Image>()
    .add_plugins(EguiPlugin::default());
    let context = app.world_mut().spawn(PrimaryEguiContext).id();
    app.world_mut()
        .get_mut::<EguiContext>(context)
        .expect("an egui context")
        .get_mut()
        .enable_accesskit();
    app.update();
    context
}

/// Clicks the button labelled `label` where the last frame drew it, and runs a frame.
fn click(app: &mut App, context: Entity, label: &str) {
    click_nth(app, context, label, 0);
}

/// Clicks the `n`th button (from 0, top to bottom, then left to right) labelled `label`.
fn click_nth(app: &mut App, context: Entity, label: &str, n: usize) {
    let output = &app
        .world()
        .get::<EguiOutput>(context)
        .unwrap()
        .platform_output;
    let tree = output
        .accesskit_update
        .as_ref()
        .expect("egui's accessibility tree");
    let mut buttons: Vec<_> = tree
        .nodes
        .iter()
        .filter(|(_, node)| node.role() == AccessRole::Button && node.label() == Some(label))
        .filter_map(|(_, node)| node.bounds())
        .collect();
    buttons.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    let bounds = *buttons
        .get(n)
        .unwrap_or_else(|| panic!("no button {label:?} number {n} on the screen"));
    let pos = egui::pos2(
        ((bounds.x0 + bounds.x1) / 2.0) as f32,
        ((bounds.y0 + bounds.y1) / 2.0) as f32,
    );
    let press = |pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::default(),
    };
    app.world_mut()
        .get_mut::<EguiInput>(context)
        .unwrap()
        .events
        .extend([egui::Event::PointerMoved(pos), press(true), press(false)]);
    app.update();
}

#[test]
fn play_opens_on_the_briefing_and_the_war_room_starts_the_clock_at_speed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(10.0, dir.path());
    assert_eq!(
        *app.world().resource::<State<Screen>>().get(),
        Screen::Briefing
    );
    assert!(
        app.world().resource::<Live>().0.is_none(),
        "no clock during the briefing"
    );

    go_to(&mut app, Screen::WarRoom);
    let start = sim_next(&app);
    for _ in 0..20 {
        app.update();
    }
    // 20 frames × 100 ms × 10 = 20 sim seconds.
    assert_eq!(sim_next(&app).as_secs() - start.as_secs(), 20);

    request(&mut app, WarRoomAction::SetPaused(true));
    let paused_at = sim_next(&app);
    for _ in 0..20 {
        app.update();
    }
    assert_eq!(sim_next(&app), paused_at, "paused: the sim stands still");
}

#[test]
fn frames_half_a_second_apart_keep_the_clock_at_speed() {
    // The running war room at 1x draws every 500 ms (see pace.rs).
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(1.0, dir.path());
    app.insert_resource(TimeUpdateStrategy::ManualDuration(Real::from_millis(500)));
    go_to(&mut app, Screen::WarRoom);
    let start = sim_next(&app);
    for _ in 0..20 {
        app.update();
    }
    // 20 frames × 500 ms × 1 = 10 sim seconds, not 5.
    assert_eq!(sim_next(&app).as_secs() - start.as_secs(), 10);
}

#[test]
fn requests_reach_the_engine_and_the_debrief_scores_match_a_headless_replay() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(100.0, dir.path());
    go_to(&mut app, Screen::WarRoom);
    // 6 sim minutes at 10 sim seconds a frame: the page has gone off.
    for _ in 0..36 {
        app.update();
    }
    request(&mut app, WarRoomAction::Do(Action::Acknowledge));
    request(
        &mut app,
        WarRoomAction::Do(Action::Declare(firedrill_core::scenario::Severity::Sev1)),
    );
    app.update();
    let journal = app
        .world()
        .resource::<Live>()
        .0
        .as_ref()
        .unwrap()
        .engine()
        .journal()
        .to_vec();
    let did: Vec<&Action> = journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::Did {
                actor: Actor::Trainee(Role::Commander),
                action,
            } => Some(action),
            _ => None,
        })
        .collect();
    assert_eq!(did.len(), 2, "both requests reached the engine: {did:?}");

    request(&mut app, WarRoomAction::Debrief);
    app.update();
    assert_eq!(
        *app.world().resource::<State<Screen>>().get(),
        Screen::Debrief
    );
    let shown = app.world().resource::<DebriefState>().view.total;

    // The debrief saved the inputs on opening; replaying them headless scores the same.
    let saved: Vec<_> = std::fs::read_dir(dir.path().join("runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1, "one inputs file: {saved:?}");
    let scenario = Arc::new(builtin::load("edge-waf-regex").unwrap());
    let file = inputs::load_file(&saved[0], &scenario).expect("a valid input file");
    assert_eq!(file.trainee.as_deref(), Some("tester"));
    let replay = run::play(scenario, 7, Some(&file));
    assert_eq!(run::report(&replay).scorecard.scores.total, shown);
    let live = app.world().resource::<Live>();
    assert_eq!(
        replay.journal(),
        live.0.as_ref().unwrap().engine().journal()
    );

    // The history has the run under the trainee's name; no journal is left in progress.
    let data = dir.path().join("data");
    let rows = Store::open(&data)
        .unwrap()
        .runs(&Filter::default())
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].trainee.as_str(), rows[0].total), ("tester", shown));
    assert!(unfinished(&data).is_empty());

    // Back in the menu the trainee is on the roster, steered away from commander; the
    // progress screen plots the run.
    go_to(&mut app, Screen::Menu);
    let roster = &app.world().resource::<MenuState>().view().roster;
    assert_eq!(roster.len(), 1);
    assert_eq!(
        (roster[0].name.as_str(), roster[0].next),
        ("tester", Role::Comms)
    );
    go_to(&mut app, Screen::Progress);
    let progress = &app.world().resource::<ProgressState>().view;
    assert_eq!(progress.trainees.len(), 1);
    let commander = &progress.trainees[0].roles[0];
    assert_eq!(commander.role, Role::Commander);
    assert_eq!(commander.runs.len(), 1);
    assert_eq!(commander.runs[0].total, shown);
}

#[test]
fn a_run_killed_mid_way_is_offered_again_and_resumes_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let recorded = {
        let mut app = app(100.0, dir.path());
        go_to(&mut app, Screen::WarRoom);
        for _ in 0..36 {
            app.update();
        }
        request(&mut app, WarRoomAction::Do(Action::Acknowledge));
        app.update();
        let live = app.world().resource::<Live>();
        live.0.as_ref().unwrap().recording().clone()
        // The app is dropped here without reaching the debrief: killed.
    };
    let data = dir.path().join("data");
    let interrupted = unfinished(&data);
    assert_eq!(interrupted.len(), 1, "the killed run's journal is on disk");
    assert_eq!(interrupted[0].inputs(), recorded);

    let mut app = app(100.0, dir.path());
    go_to(&mut app, Screen::Menu);
    let interrupted = &app.world().resource::<Interrupted>().0;
    assert_eq!(interrupted.len(), 1, "the menu offers the interrupted run");
    let run = interrupted[0].clone();
    let mut live = Live::default();
    let library = app.world().resource::<Library>();
    let choice = history::resume(&run, library, &mut live)
        .expect("resumable")
        .choice;
    assert_eq!(choice.seed, 7);
    let session = live.0.expect("a resumed session");
    assert!(session.paused());
    assert_eq!(session.recording(), &recorded);
}

#[test]
fn the_menu_starts_with_the_scenario_trainee_seed_and_speed_of_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin));
    screens(
        &mut app,
        Launch {
            library: builtin::all().into_iter().map(Arc::new).collect(),
            play: None,
            menu: MenuPreset {
                scenario: Some("edge-waf-regex".into()),
                trainee: Some("ana".into()),
                seed: 9,
                speed: 5.0,
            },
            screenshot: None,
            out_dir: dir.path().join("runs"),
            scenario_file: None,
            data_dir: Some(dir.path().join("data")),
            join: None,
            watch: None,
        },
    );
    app.update();
    assert_eq!(*app.world().resource::<State<Screen>>().get(), Screen::Menu);
    let choice = app
        .world()
        .resource::<MenuState>()
        .choice(app.world().resource::<Library>())
        .expect("a scenario");
    assert_eq!(choice.scenario.id, "edge-waf-regex");
    assert_eq!(choice.trainee.as_deref(), Some("ana"));
    assert_eq!((choice.seed, choice.speed), (9, 5.0));
}

/// The "done when": three people take turns at one machine, each typing their
/// name in the menu and taking the role it preselects; over three turns each, every one
/// of them has played every role, and each run is in the history.
#[test]
fn three_people_taking_turns_in_the_app_each_play_every_role() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(100.0, dir.path());
    let panels = with_panels(&mut app);
    let people = ["ana", "ben", "cy"];
    let mut played: Vec<Vec<Role>> = vec![Vec::new(); 3];
    go_to(&mut app, Screen::Menu);
    for turn in 0..9 {
        let who = turn % 3;
        app.world_mut()
            .resource_mut::<MenuState>()
            .type_trainee(people[who]);
        app.update();
        let choice = app
            .world()
            .resource::<MenuState>()
            .choice(app.world().resource::<Library>())
            .unwrap();
        played[who].push(choice.role);
        app.insert_resource(choice);
        go_to(&mut app, Screen::Briefing);
        go_to(&mut app, Screen::WarRoom);
        request(&mut app, WarRoomAction::Debrief);
        app.update();
        assert_eq!(
            *app.world().resource::<State<Screen>>().get(),
            Screen::Debrief
        );
        // The debrief's "Back to the menu" drops the finished run and opens the menu.
        click(&mut app, panels, "Back to the menu");
        app.update();
        assert_eq!(*app.world().resource::<State<Screen>>().get(), Screen::Menu);
        assert!(app.world().resource::<Live>().0.is_none(), "turn {turn}");
    }
    for (name, roles) in people.iter().zip(&played) {
        let mut roles = roles.clone();
        roles.sort();
        assert_eq!(roles, Role::ALL, "{name}");
    }
    let rows = Store::open(&dir.path().join("data"))
        .unwrap()
        .runs(&Filter::default())
        .unwrap();
    assert_eq!(rows.len(), 9);
}

/// Plays edge-waf-regex as the commander until 6 sim minutes in, acknowledges and runs
/// one investigation, then kills the app.
fn play_and_kill(dir: &std::path::Path) {
    let mut app = app(100.0, dir);
    go_to(&mut app, Screen::WarRoom);
    for _ in 0..36 {
        app.update();
    }
    request(&mut app, WarRoomAction::Do(Action::Acknowledge));
    request(
        &mut app,
        WarRoomAction::Do(Action::Investigate("edge-cpu-profile".into())),
    );
    app.update();
}

#[test]
fn a_killed_run_on_an_unchanged_scenario_is_offered_to_resume_or_score() {
    let dir = tempfile::tempdir().unwrap();
    play_and_kill(dir.path());
    let mut app = app(100.0, dir.path());
    go_to(&mut app, Screen::Menu);
    assert_eq!(
        app.world().resource::<MenuState>().view().interrupted,
        Some(InterruptedRun {
            description: "firedrill stopped during a run: edge-waf-regex as Incident Commander \
                          (tester), 2 inputs, last input at 6m20s."
                .into(),
            scenario_changed: false,
        })
    );
    let run = app.world().resource::<Interrupted>().0[0].clone();
    let resumption = history::resume(
        &run,
        app.world().resource::<Library>(),
        &mut Live::default(),
    )
    .expect("resumable");
    assert_eq!(
        resumption.note, None,
        "nothing to say: every input was taken"
    );
    assert_eq!(resumption.inputs, 2);
}

#[test]
fn a_killed_run_whose_scenario_changed_says_so_and_is_not_scored_as_played() {
    let dir = tempfile::tempdir().unwrap();
    play_and_kill(dir.path());
    // Since then the scenario file was edited: the investigation is gone.
    let mut edited = builtin::load("edge-waf-regex").unwrap();
    edited.investigations.retain(|i| i.id != "edge-cpu-profile");
    let mut app = app_on(Arc::new(edited), 100.0, dir.path());
    go_to(&mut app, Screen::Menu);
    let offered = app
        .world()
        .resource::<MenuState>()
        .view()
        .interrupted
        .clone();
    assert_eq!(offered.map(|o| o.scenario_changed), Some(true));

    let data = dir.path().join("data");
    let run = app.world().resource::<Interrupted>().0[0].clone();
    let library = app.world().resource::<Library>();
    assert_eq!(
        history::abandon(&run, library, &DataDir(Some(data.clone()))),
        Err(
            "Scenario edge-waf-regex has changed since the interrupted run: it cannot be \
             scored as it was played. Resume it on the changed scenario or discard it."
                .into()
        )
    );
    assert_eq!(unfinished(&data).len(), 1, "the journal is kept");
    assert!(
        Store::open(&data)
            .unwrap()
            .runs(&Filter::default())
            .unwrap()
            .is_empty(),
        "nothing was recorded"
    );

    let mut live = Live::default();
    let resumption = history::resume(&run, library, &mut live).expect("resumable");
    assert_eq!(
        resumption.note.as_deref(),
        Some(
            "Resumed on the changed scenario, which refused 1 of your 2 inputs: at 6m20s: \
             could not investigate: there is no investigation \"edge-cpu-profile\"."
        )
    );

    assert_eq!(
        history::discard(&run),
        "Discarded the interrupted run of edge-waf-regex: it is not in the history."
    );
    assert!(unfinished(&data).is_empty());
}

/// The history records the run after the debrief has opened on it (the steps are
/// chained), so the debrief can say where it went.
#[test]
fn the_debrief_says_where_the_history_recorded_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(100.0, dir.path());
    go_to(&mut app, Screen::WarRoom);
    request(&mut app, WarRoomAction::Debrief);
    app.update();
    let messages = &app.world().resource::<DebriefState>().forms.messages;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("Inputs saved to "), "{messages:?}");
    assert_eq!(messages[1], "Recorded in the history as run #1 for tester.");
}

/// Retry from here in the app: a click on a timeline line of the debrief reopens the
/// war room paused at that moment with the inputs before it; the branch's debrief
/// compares the two runs and the history links them.
#[test]
fn a_timeline_line_plays_the_run_again_and_the_branch_is_compared_and_linked() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(100.0, dir.path());
    let context = with_panels(&mut app);
    go_to(&mut app, Screen::WarRoom);
    // Acknowledge at once, declare a SEV3 a little later.
    request(&mut app, WarRoomAction::Do(Action::Acknowledge));
    for _ in 0..30 {
        app.update();
    }
    request(&mut app, WarRoomAction::Do(Action::Declare(Severity::Sev3)));
    let first_inputs = app
        .world()
        .resource::<Live>()
        .0
        .as_ref()
        .unwrap()
        .recording()
        .clone();
    assert_eq!(first_inputs.actions.len(), 2);
    let declared_at = first_inputs.actions[1].at;
    request(&mut app, WarRoomAction::Debrief);
    app.update();
    assert_eq!(app.world().resource::<DebriefState>().recorded, Some(1));

    // The timeline line of the declare: play again from there.
    let lines = app.world().resource::<DebriefState>().view.timeline.clone();
    let index = lines
        .iter()
        .position(|line| line.at_s == declared_at.as_secs() && line.text.contains("SEV3"))
        .expect("the declare is on the timeline");
    app.world_mut().resource_mut::<DebriefState>().forms.tab = DebriefTab::Timeline;
    app.update();
    click_nth(&mut app, context, "▶", index);
    app.update();
    assert_eq!(
        *app.world().resource::<State<Screen>>().get(),
        Screen::WarRoom
    );
    let branch = app.world().resource::<Live>().0.as_ref().unwrap();
    assert!(branch.paused());
    assert_eq!(branch.engine().next_time(), declared_at);
    assert_eq!(
        branch.recording().actions,
        first_inputs.actions[..1].to_vec()
    );

    // This time declare a SEV1, then finish.
    request(&mut app, WarRoomAction::Do(Action::Declare(Severity::Sev1)));
    request(&mut app, WarRoomAction::Debrief);
    app.update();
    let state = app.world().resource::<DebriefState>();
    assert_eq!(state.forms.tab, DebriefTab::Compare);
    let compared = state.view.compared.as_ref().expect("a branch is compared");
    assert_eq!(compared.at_s, declared_at.as_secs());
    assert!(compared.first_did[0].ends_with("declared a SEV3 incident"));
    assert!(compared.branch_did[0].ends_with("declared a SEV1 incident"));
    assert_eq!(state.recorded, Some(2));
    let runs = Store::open(&dir.path().join("data"))
        .unwrap()
        .runs(&Filter::default())
        .unwrap();
    assert_eq!(
        runs.iter().map(|r| (r.id, r.branch_of)).collect::<Vec<_>>(),
        [
            (1, None),
            (
                2,
                Some(BranchOf {
                    run: 1,
                    at_s: declared_at.as_secs()
                })
            )
        ]
    );
}

/// Runs frames of `app` and rounds of `host` until `done`; panics past a deadline
/// no working drill comes near.
fn drill_until(
    app: &mut App,
    host: &mut firedrill_net::drill::host::DrillHost,
    what: &str,
    mut done: impl FnMut(&mut App, &firedrill_net::drill::host::DrillHost) -> bool,
) {
    let start = std::time::Instant::now();
    let mut last = start;
    while !done(app, host) {
        assert!(
            start.elapsed() < Real::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Real::from_millis(5));
        let now = std::time::Instant::now();
        host.update(now - last);
        last = now;
        app.update();
    }
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

/// A team drill in the app, over real sockets on 127.0.0.1: `firedrill join` opens the
/// app joining, the lobby waits for the facilitator (a headless client here), the
/// commander declares from the war room with a click, the facilitator ends the drill,
/// and the shared debrief opens with the seat's run recorded in the history, scored as
/// a headless replay of the host's saved drill scores it.
#[test]
fn joining_from_the_command_line_plays_a_seat_to_the_shared_debrief_and_the_history() {
    use firedrill_core::drill;
    use firedrill_net::JoinCode;
    use firedrill_net::drill::client::DrillClient;
    use firedrill_net::drill::host::{DrillConfig, DrillHost};
    use firedrill_net::drill::protocol::{Control, Seat};

    use super::team::JoinRequest;
    use super::team::connect::VERSION;

    let dir = tempfile::tempdir().unwrap();
    let text = builtin::source("edge-waf-regex").expect("built-in");
    let scenario = Arc::new(builtin::load("edge-waf-regex").expect("built-in"));
    let code = JoinCode::parse("7KQM-X2RD-WN9F").expect("a code");
    let mut host = DrillHost::open(
        "127.0.0.1:0".parse().unwrap(),
        code.clone(),
        Arc::clone(&scenario),
        text.to_owned(),
        DrillConfig {
            speed: 60.0,
            out_dir: dir.path().join("host"),
            ..DrillConfig::new(VERSION)
        },
    )
    .expect("hosted");
    let addr = host.local_addr();
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin));
    screens(
        &mut app,
        Launch {
            library: vec![Arc::clone(&scenario)],
            play: None,
            menu: MenuPreset::default(),
            screenshot: None,
            out_dir: dir.path().join("runs"),
            scenario_file: None,
            data_dir: Some(dir.path().join("data")),
            join: Some(JoinRequest {
                address: addr,
                code: code.clone(),
                name: "ana".into(),
                seat: Some(Seat::Role(Role::Commander)),
            }),
            watch: None,
        },
    );
    let context = with_panels(&mut app);
    assert_eq!(screen(&app), Screen::Connect, "joining first");
    drill_until(&mut app, &mut host, "the lobby", |app, _| {
        screen(app) == Screen::Lobby
    });

    // The facilitator joins from another "machine" and starts the clock.
    let joining = std::thread::spawn(move || {
        DrillClient::join(
            addr,
            &code,
            "fay",
            Some(Seat::Facilitator),
            VERSION,
            Real::from_secs(30),
        )
    });
    drill_until(&mut app, &mut host, "the facilitator", |_, _| {
        joining.is_finished()
    });
    let mut fay = joining.join().unwrap().expect("the facilitator joined");
    fay.control(Control::Start).expect("sent");
    drill_until(&mut app, &mut host, "the war room", |app, host| {
        fay.update(Real::from_millis(5));
        screen(app) == Screen::Drill && host.engine().next_time() >= Duration::from_mins(5)
    });
    app.update();
    click(&mut app, context, "Declare incident");
    drill_until(&mut app, &mut host, "the declare at the host", |_, host| {
        host.inputs().iter().any(|i| {
            matches!(i.action, Action::Declare(_)) && i.by == drill::By::Seat(Role::Commander)
        })
    });
    fay.act(Action::EndDrill).expect("sent");
    drill_until(&mut app, &mut host, "the shared debrief", |app, _| {
        fay.update(Real::from_millis(5));
        screen(app) == Screen::TeamDebrief
    });
    app.update();

    // ana's seat is in her history, with the host's drill; scored as its replay scores it.
    let store = Store::open(&dir.path().join("data")).expect("the history");
    let runs = store.runs(&Filter::default()).expect("runs");
    assert_eq!(runs.len(), 1);
    assert_eq!(
        (runs[0].trainee.as_str(), runs[0].role),
        ("ana", Some(Role::Commander))
    );
    let saved = host
        .saved()
        .expect("the host saved the drill")
        .to_path_buf();
    let file = drill::parse(&std::fs::read_to_string(saved).unwrap(), &scenario).expect("valid");
    let replay = drill::report(&drill::play(Arc::clone(&scenario), &file).expect("replays"));
    let seat = replay
        .seats
        .iter()
        .find(|s| s.role == Role::Commander)
        .expect("ana's seat");
    assert_eq!(runs[0].total, seat.scorecard.scores.total);

    click(&mut app, context, "Back to the menu");
    app.update();
    assert_eq!(screen(&app), Screen::Menu);
    assert!(
        app.world()
            .get_resource::<super::team::TeamDrill>()
            .is_none(),
        "left the drill"
    );
}

/// `play FILE --watch`: saving the scenario plays the run again on the changed file to
/// the same second with the trainee's inputs; a broken save says where and changes
/// nothing.
#[test]
fn a_watched_scenario_saved_again_is_played_again_with_the_inputs_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edge.ron");
    let text = builtin::source("edge-waf-regex").expect("built-in");
    std::fs::write(&file, text).unwrap();
    let scenario = Arc::new(builtin::load("edge-waf-regex").expect("built-in"));
    let mut app = app_watching(scenario, 100.0, dir.path(), Some(file.clone()));
    go_to(&mut app, Screen::WarRoom);
    request(&mut app, WarRoomAction::Do(Action::Declare(Severity::Sev1)));
    for _ in 0..5 {
        app.update();
    }
    request(&mut app, WarRoomAction::SetPaused(true));
    let at = sim_next(&app);

    let renamed = text.replacen(
        "title: \"Northwind Edge: every PoP at 100% CPU, 502s worldwide\"",
        "title: \"Northwind Edge, edited\"",
        1,
    );
    std::fs::write(&file, &renamed).unwrap();
    app.world().resource::<super::watch::Watch>().touch();
    app.update();
    let live = app.world().resource::<Live>();
    let session = live.0.as_ref().expect("a live run");
    assert_eq!(session.engine().scenario().title, "Northwind Edge, edited");
    assert_eq!(session.engine().next_time(), at, "the same second");
    assert!(session.paused(), "still paused");
    assert_eq!(session.recording().actions.len(), 1, "the declare replayed");
    assert!(
        session.engine().journal().iter().any(|e| matches!(
            &e.event,
            Event::Did {
                actor: Actor::Trainee(Role::Commander),
                action: Action::Declare(Severity::Sev1)
            }
        )),
        "the declare is in the new run"
    );

    std::fs::write(&file, renamed.replacen("title: ", "title ", 1)).unwrap();
    app.world().resource::<super::watch::Watch>().touch();
    app.update();
    let live = app.world().resource::<Live>();
    let session = live.0.as_ref().expect("a live run");
    assert_eq!(
        session.engine().scenario().title,
        "Northwind Edge, edited",
        "unchanged"
    );
    let line = renamed
        .lines()
        .position(|l| l.contains("Northwind Edge, edited"))
        .expect("the title line")
        + 1;
    let note = app
        .world()
        .resource::<super::watch::Watch>()
        .note()
        .cloned()
        .expect("a note");
    assert!(note.failed, "shown as a failure");
    assert!(
        note.text
            .starts_with(&format!("Not reloaded: {}:{line}:", file.display())),
        "{}",
        note.text
    );
}

/// The preview's scrubber: jumping back plays the run again to that second without the
/// later inputs; jumping forward again replays them from the tape; acting after a jump
/// back starts a new tape.
#[test]
fn the_preview_scrubber_jumps_back_and_forward_keeping_the_inputs_on_a_tape() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edge.ron");
    std::fs::write(&file, builtin::source("edge-waf-regex").expect("built-in")).unwrap();
    let scenario = Arc::new(builtin::load("edge-waf-regex").expect("built-in"));
    let mut app = app_watching(scenario, 100.0, dir.path(), Some(file));
    go_to(&mut app, Screen::WarRoom);
    for _ in 0..20 {
        app.update();
    }
    request(&mut app, WarRoomAction::Do(Action::Declare(Severity::Sev1)));
    for _ in 0..5 {
        app.update();
    }
    let declared_at = app
        .world()
        .resource::<Live>()
        .0
        .as_ref()
        .expect("a live run")
        .recording()
        .actions[0]
        .at;
    let inputs = |app: &App| {
        let live = app.world().resource::<Live>();
        let session = live.0.as_ref().expect("a live run");
        (
            session.engine().next_time(),
            session.recording().actions.len(),
            session.paused(),
        )
    };

    let back = Duration::from_secs(declared_at.as_secs() - 30);
    request(&mut app, WarRoomAction::Jump(back));
    assert_eq!(inputs(&app), (back, 0, true), "before the declare, paused");
    let note = app
        .world()
        .resource::<super::watch::Watch>()
        .note()
        .cloned();
    assert!(
        note.as_ref()
            .is_some_and(|n| !n.failed && n.text.starts_with("Jumped to ")),
        "{note:?}"
    );

    let forward = Duration::from_secs(declared_at.as_secs() + 600);
    request(&mut app, WarRoomAction::Jump(forward));
    assert_eq!(
        inputs(&app),
        (forward, 1, true),
        "the declare comes back from the tape"
    );

    request(&mut app, WarRoomAction::Jump(back));
    request(&mut app, WarRoomAction::Do(Action::Declare(Severity::Sev2)));
    request(&mut app, WarRoomAction::Jump(forward));
    let live = app.world().resource::<Live>();
    let session = live.0.as_ref().expect("a live run");
    assert_eq!(
        session
            .recording()
            .actions
            .iter()
            .map(|t| &t.action)
            .collect::<Vec<_>>(),
        [&Action::Declare(Severity::Sev2)],
        "a new tape from the input made after jumping back"
    );
    let on_disk = unfinished(&dir.path().join("data"));
    assert_eq!(on_disk.len(), 1, "one journal of the run in progress");
    assert_eq!(
        on_disk[0].inputs().actions,
        session.recording().actions,
        "the journal starts over with the run played again"
    );
}
