//! The Bevy shell: a window with the menu, briefing, war room, debrief and progress
//! screens.
//!
//! Screens are a [`Screen`] state, one plugin each, drawing the egui panels of
//! `firedrill-panels` from the live [`sim::Live`] session. All incident logic is in the
//! core; this module only wires time, input and pixels.
//!
//! This module holds what the screens share ([`Screen`], [`Choice`], the [`Library`])
//! and the one order of the app's systems ([`Step`]). Between siblings imports go one
//! way: every screen may use [`sim`]; [`history`] writes into the debrief; the menu
//! uses the history (resume, abandon, the roster) and the war room (the note after a
//! resume); the progress screen uses the history and the menu's trainee. No two import
//! each other.
//!
//! - [`sim`]: drives the live session from frame time and owns the run being played.
//! - [`menu`], [`briefing`], [`war_room`], [`debrief`], [`progress`]: the screens.
//! - [`team`]: team drills: connecting, the lobby, the drill, the shared debrief.
//! - [`history`]: journaling the run in progress, recording finished runs, resuming.
//! - [`screenshot`]: `--screenshot FILE`, saving one frame and exiting.
//! - [`display`]: finding out whether a window can open at all.
//! - [`pace`]: redrawing only when something changed.
//! - [`watch`]: `--watch`, reloading the scenario file when it is saved, and the
//!   preview's timeline scrubber.

pub mod briefing;
pub mod debrief;
pub mod display;
pub mod history;
pub mod menu;
pub mod pace;
pub mod progress;
pub mod screenshot;
pub mod sim;
pub mod team;
pub mod war_room;
pub mod watch;

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};
use firedrill_core::engine::action::Role;
use firedrill_core::scenario::{Duration, Scenario};

/// The screen the app shows.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Menu,
    Briefing,
    WarRoom,
    Debrief,
    Progress,
    /// A team drill: hosting or joining one.
    Connect,
    /// A team drill's lobby, before its clock starts.
    Lobby,
    /// A team drill under way: a seat's war room or the facilitator's console.
    Drill,
    /// A team drill's shared debrief.
    TeamDebrief,
}

impl Screen {
    pub const ALL: [Screen; 9] = [
        Screen::Menu,
        Screen::Briefing,
        Screen::WarRoom,
        Screen::Debrief,
        Screen::Progress,
        Screen::Connect,
        Screen::Lobby,
        Screen::Drill,
        Screen::TeamDebrief,
    ];
}

/// The steps of a frame, and of entering or leaving a screen, in this order: chained
/// once, in [`screens`], for every schedule the screens use; each screen plugin puts its
/// systems in them. The screens draw afterwards, in egui's pass (after `Update`), each
/// only in its own state.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// The live run moves: it starts, takes the trainee's requests, passes time, ends.
    Advance,
    /// What the run did is written down: the journal of the run in progress, the history.
    Record,
    /// The screens' own state catches up: what the menu and the progress screen read
    /// from the history, the role suggestions, forms cleared, the screenshot.
    Show,
}

/// The scenarios the app offers, in the menu's order: the menu lists them and a resumed
/// run finds its scenario here.
#[derive(Resource, Clone, Default)]
pub struct Library(Vec<Arc<Scenario>>);

impl Library {
    pub fn new(scenarios: Vec<Arc<Scenario>>) -> Self {
        Library(scenarios)
    }

    pub fn scenarios(&self) -> &[Arc<Scenario>] {
        &self.0
    }

    /// The scenario with this id.
    pub fn find(&self, id: &str) -> Option<&Arc<Scenario>> {
        self.0.iter().find(|s| s.id == id)
    }

    /// Puts `scenario` in place of the one with its id (a watched file saved again), or
    /// adds it.
    pub fn replace(&mut self, scenario: Arc<Scenario>) {
        match self.0.iter_mut().find(|s| s.id == scenario.id) {
            Some(same) => *same = scenario,
            None => self.0.push(scenario),
        }
    }
}

/// A run to play: what the menu chose, or the command line.
#[derive(Resource, Clone)]
pub struct Choice {
    pub scenario: Arc<Scenario>,
    pub role: Role,
    pub trainee: Option<String>,
    pub seed: u64,
    pub speed: f64,
}

/// How the app starts.
pub struct Launch {
    /// The scenarios the menu offers.
    pub library: Vec<Arc<Scenario>>,
    /// Go straight to the briefing of this run (`firedrill play`).
    pub play: Option<Choice>,
    /// What the menu starts with (`firedrill play SCENARIO` without a role).
    pub menu: MenuPreset,
    /// Save a screenshot and exit (`--screenshot`).
    pub screenshot: Option<screenshot::Shot>,
    /// Where the debrief saves files.
    pub out_dir: PathBuf,
    /// The scenario file named on the command line, with its scenario's id.
    pub scenario_file: Option<(String, PathBuf)>,
    /// Where the history and the journals of runs in progress live, if anywhere.
    pub data_dir: Option<PathBuf>,
    /// Open on a team drill, joining it (`firedrill join` without --headless).
    pub join: Option<team::JoinRequest>,
    /// Reload this scenario file whenever it is saved (`firedrill play FILE --watch`).
    pub watch: Option<PathBuf>,
}

/// The menu's starting choices, from the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuPreset {
    /// The scenario selected, by id.
    pub scenario: Option<String>,
    pub trainee: Option<String>,
    pub seed: u64,
    pub speed: f64,
}

impl Default for MenuPreset {
    fn default() -> Self {
        MenuPreset {
            scenario: None,
            trainee: None,
            seed: 1,
            speed: 1.0,
        }
    }
}

/// Where a screenshot run fast-forwards to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShotAt {
    /// The war room at this sim time.
    Time(Duration),
    /// The debrief after the run has ended.
    End,
}

/// Opens the window and runs until it is closed.
pub fn run(launch: Launch) -> Result<(), String> {
    display::check()?;
    display::explain_panics();
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "firedrill".into(),
                    resolution: WindowResolution::new(1280, 720),
                    ..default()
                }),
                ..default()
            })
            .set(bevy::log::LogPlugin {
                filter: "warn,wgpu=error,naga=error,bevy_egui=error".into(),
                ..default()
            }),
    )
    .add_plugins(EguiPlugin::default())
    .add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    })
    .add_systems(EguiPrimaryContextPass, apply_theme);
    screens(&mut app, launch);
    app.add_plugins(pace::plugin);
    match app.run() {
        AppExit::Success => Ok(()),
        // The system that asked to exit with an error has already said why.
        AppExit::Error(code) => Err(format!("firedrill: the app stopped with error code {code}")),
    }
}

/// The screens and the session, without a window: what [`run`] adds after the
/// rendering plugins, and what headless app tests drive.
pub fn screens(app: &mut App, launch: Launch) {
    let Launch {
        library,
        play,
        menu: preset,
        screenshot,
        out_dir,
        scenario_file,
        data_dir,
        join,
        watch,
    } = launch;
    let first = if play.is_some() {
        Screen::Briefing
    } else if join.is_some() {
        Screen::Connect
    } else {
        Screen::Menu
    };
    let library = Library::new(library);
    app.insert_state(first)
        .insert_resource(debrief::OutDir(out_dir))
        .insert_resource(debrief::ScenarioFile(scenario_file))
        .insert_resource(history::DataDir(data_dir))
        .insert_resource(menu::MenuState::new(&library, &preset))
        .insert_resource(library);
    order(app);
    app.add_plugins((
        sim::plugin,
        menu::plugin,
        briefing::plugin,
        war_room::plugin,
        debrief::plugin,
        progress::plugin,
        history::plugin,
        team::plugin,
    ));
    if let Some(join) = join {
        app.insert_resource(team::connect::JoinOnStart(join));
    }
    if let Some(path) = watch {
        app.insert_resource(watch::Watch::new(path))
            .add_plugins(watch::plugin);
    }
    if let Some(choice) = play {
        app.insert_resource(choice);
    }
    if let Some(shot) = screenshot {
        app.insert_resource(shot).add_plugins(screenshot::plugin);
    }
}

/// Chains the [`Step`]s in every schedule the screens put systems in.
fn order(app: &mut App) {
    let steps = || (Step::Advance, Step::Record, Step::Show).chain();
    app.configure_sets(Startup, steps())
        .configure_sets(Update, steps());
    for screen in Screen::ALL {
        app.configure_sets(OnEnter(screen), steps())
            .configure_sets(OnExit(screen), steps());
    }
}

fn apply_theme(mut contexts: EguiContexts, mut done: Local<bool>) -> Result {
    if !*done {
        firedrill_panels::theme::apply(contexts.ctx_mut()?);
        *done = true;
    }
    Ok(())
}

/// A root `Ui` covering the window, for panels that lay themselves out.
pub fn root_ui(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}

#[cfg(test)]
mod tests;
