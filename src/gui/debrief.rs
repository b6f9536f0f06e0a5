//! The debrief screen: scores, findings, timeline and charts of the finished run, and
//! saving it. The inputs are saved as soon as the debrief opens, so a run is never
//! lost; the postmortem and the journal are saved on request.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_core::report::postmortem::postmortem;
use firedrill_core::run;
use firedrill_core::saved::{RunFiles, Saved};
use firedrill_core::session::Session;
use firedrill_panels::debrief::{DebriefAction, DebriefForms, DebriefView, debrief};

use super::sim::Live;
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
}

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Debrief), open.in_set(Step::Advance))
        .add_systems(
            EguiPrimaryContextPass,
            draw.run_if(in_state(Screen::Debrief)),
        );
}

fn open(mut commands: Commands, mut live: ResMut<Live>, out: Res<OutDir>, file: Res<ScenarioFile>) {
    let Some(session) = live.0.as_mut() else {
        return;
    };
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
    commands.insert_resource(DebriefState {
        view: DebriefView::new(session),
        forms,
        files,
    });
}

fn draw(
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
    let DebriefState { view, forms, files } = &mut *state;
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
        None => {}
    }
    Ok(())
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
