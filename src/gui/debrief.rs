//! The debrief screen: scores, findings, timeline and charts of the finished run, and
//! saving it. The inputs are saved as soon as the debrief opens, so a run is never
//! lost; the postmortem and the journal are saved on request. From any line of the
//! timeline the run can be played again ("retry from here"): the war room reopens
//! paused at that moment, and the branch's debrief compares it with this run.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_core::history::BranchOf;
use firedrill_core::inputs::InputFile;
use firedrill_core::report::compare::compare;
use firedrill_core::report::postmortem::postmortem;
use firedrill_core::run::{self, RunReport};
use firedrill_core::saved::{RunFiles, Saved};
use firedrill_core::scenario::Duration;
use firedrill_core::session::Session;
use firedrill_panels::debrief::{DebriefAction, DebriefForms, DebriefTab, DebriefView, debrief};

use super::sim::Live;
use super::war_room::ResumeNote;
use super::{Screen, Step, root_ui};

/// The folder the debrief saves into.
#[derive(Resource, Clone)]
pub struct OutDir(pub PathBuf);

/// The scenario file named on the command line, by its scenario's id, so the replay
/// command names the file rather than an id `firedrill run` may not know.
#[derive(Resource, Clone, Default)]
pub struct ScenarioFile(pub Option<(String, PathBuf)>);

impl ScenarioFile {
    /// How `firedrill run` should name the scenario with this id.
    fn name(&self, id: &str) -> String {
        match &self.0 {
            Some((file_id, path)) if file_id == id => path.display().to_string(),
            _ => id.to_string(),
        }
    }
}

#[derive(Resource)]
pub struct DebriefState {
    pub view: DebriefView,
    pub forms: DebriefForms,
    /// Where this run's files are saved.
    pub files: RunFiles,
    /// The run's id in the history, once recorded there.
    pub recorded: Option<i64>,
    /// The recorded run this one is a branch of, to record it linked.
    pub branch_of: Option<BranchOf>,
}

/// The run a branch being played came from, to compare them in the branch's debrief.
#[derive(Resource)]
struct Branching {
    first: RunReport,
    inputs: InputFile,
    at: Duration,
    /// The first run's place in the history, when it is recorded there.
    branch_of: Option<BranchOf>,
}

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Debrief), open.in_set(Step::Advance))
        .add_systems(
            EguiPrimaryContextPass,
            draw.run_if(in_state(Screen::Debrief)),
        );
}

fn open(
    mut commands: Commands,
    mut live: ResMut<Live>,
    out: Res<OutDir>,
    file: Res<ScenarioFile>,
    branching: Option<Res<Branching>>,
) {
    let Some(session) = live.0.as_mut() else {
        return;
    };
    commands.remove_resource::<Branching>();
    session.finish();
    let engine = session.engine();
    let mut files = RunFiles::finished_now(
        out.0.clone(),
        &engine.scenario().id,
        session.role(),
        engine.seed(),
    );
    let mut forms = DebriefForms::default();
    if !engine.humans().is_empty() {
        forms
            .messages
            .push(save_message(session, &mut files, Saved::Inputs, &file));
    }
    let mut view = DebriefView::new(session);
    if let Some(first) = &branching {
        view.compared = Some(compare(
            engine.scenario(),
            (&first.first, &first.inputs),
            (&run::report(engine), session.recording()),
            first.at,
        ));
        forms.tab = DebriefTab::Compare;
    }
    commands.insert_resource(DebriefState {
        view,
        forms,
        files,
        recorded: None,
        branch_of: branching.and_then(|first| first.branch_of),
    });
}

fn draw(
    mut commands: Commands,
    mut contexts: EguiContexts,
    state: Option<ResMut<DebriefState>>,
    mut live: ResMut<Live>,
    file: Res<ScenarioFile>,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let (Some(mut state), Some(session)) = (state, live.0.as_ref()) else {
        return Ok(());
    };
    let mut ui = root_ui(contexts.ctx_mut()?);
    let DebriefState {
        view,
        forms,
        files,
        recorded,
        ..
    } = &mut *state;
    let mut saving = |kind| save_message(session, files, kind, &file);
    match debrief(&mut ui, view, forms) {
        Some(DebriefAction::SaveInputs) => forms.messages.push(saving(Saved::Inputs)),
        Some(DebriefAction::SavePostmortem) => forms.messages.push(saving(Saved::Postmortem)),
        Some(DebriefAction::SaveJournal) => forms.messages.push(saving(Saved::Journal)),
        Some(DebriefAction::PlayAgain) => {
            live.0 = None;
            next.set(Screen::Briefing);
        }
        Some(DebriefAction::Menu) => {
            live.0 = None;
            next.set(Screen::Menu);
        }
        Some(DebriefAction::PlayFrom(at_s)) => {
            let at = Duration::from_secs(at_s);
            let (branch, note) = play_from(session, at);
            commands.insert_resource(Branching {
                first: run::report(session.engine()),
                inputs: session.recording().clone(),
                at,
                branch_of: recorded.map(|run| BranchOf { run, at_s }),
            });
            commands.insert_resource(note);
            live.0 = Some(branch);
            next.set(Screen::WarRoom);
        }
        None => {}
    }
    Ok(())
}

/// The run played again up to `at`, paused there at the same speed, and what the war
/// room tells the trainee about it.
fn play_from(session: &Session, at: Duration) -> (Session, ResumeNote) {
    let engine = session.engine();
    let resumed = Session::branch(
        std::sync::Arc::clone(&engine.state().scenario),
        engine.seed(),
        session.recording(),
        at,
    );
    let mut branch = resumed.session;
    branch.set_speed(session.speed());
    let replayed = branch.recording().actions.len();
    let note = format!(
        "Played again up to {} with your {replayed} input{} before it; paused. Do it differently: press ▶ Resume or act.",
        engine.scenario().clock_seconds(at.as_secs()),
        if replayed == 1 { "" } else { "s" },
    );
    (branch, ResumeNote::new(Some(note), replayed))
}

/// Saves one file and says where, or why it could not.
fn save_message(
    session: &Session,
    files: &mut RunFiles,
    kind: Saved,
    file: &ScenarioFile,
) -> String {
    match save(session, files, kind) {
        Ok(path) if kind == Saved::Inputs => format!(
            "Inputs saved to {}. Replay: firedrill run {} --role {} --seed {} --inputs {}",
            path.display(),
            file.name(&session.engine().scenario().id),
            session.role().key(),
            session.engine().seed(),
            path.display()
        ),
        Ok(path) => format!("Saved {}", path.display()),
        Err(error) => format!("Could not save: {error}"),
    }
}

/// Writes the run's `kind` file and returns its path.
pub fn save(session: &Session, files: &mut RunFiles, kind: Saved) -> Result<PathBuf, String> {
    let engine = session.engine();
    let text = match kind {
        Saved::Inputs => session.recording().to_ron(),
        Saved::Postmortem => {
            let card = run::report(engine).scorecard;
            postmortem(engine.scenario(), engine.journal(), &card, engine.seed())
        }
        Saved::Journal => serde_json::to_string_pretty(engine.journal())
            .map_err(|e| format!("the journal could not be written as JSON: {e}"))?,
    };
    files
        .save(kind, &text)
        .map_err(|e| format!("{}: {e}", files.path(kind).display()))
}
