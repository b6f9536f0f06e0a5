//! The debrief screen: scores, findings, timeline and charts of the finished run, and
//! saving it. The inputs are saved as soon as the debrief opens, so a run is never
//! lost; the postmortem and the journal are saved on request.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use firedrill_core::report::postmortem::postmortem;
use firedrill_core::run;
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
    /// Path prefix of this run's files: `DIR/<scenario>-<role>-seed<N>-<stamp>`.
    pub stem: PathBuf,
}

/// The files a run can be saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Inputs,
    Postmortem,
    Journal,
}

impl Saved {
    fn extension(self) -> &'static str {
        match self {
            Saved::Inputs => "inputs.ron",
            Saved::Postmortem => "postmortem.md",
            Saved::Journal => "journal.json",
        }
    }
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
    let stem = out.0.join(run_stem(session));
    let mut forms = DebriefForms::default();
    if !session.engine().humans().is_empty() {
        forms
            .messages
            .push(save_message(session, &stem, Saved::Inputs, &file));
    }
    commands.insert_resource(DebriefState {
        view: DebriefView::new(session),
        forms,
        stem,
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
    let DebriefState { view, forms, stem } = &mut *state;
    let saving = |kind| save_message(session, stem, kind, &file);
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

/// `<scenario>-<role>-seed<N>-<unix seconds>`: unique per run, sorted by scenario.
fn run_stem(session: &Session) -> String {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!(
        "{}-{}-seed{}-{stamp}",
        session.engine().scenario().id,
        session.role().key(),
        session.engine().seed()
    )
}

/// Saves one file and says where, or why it could not.
fn save_message(session: &Session, stem: &Path, kind: Saved, file: &ScenarioFile) -> String {
    match save(session, stem, kind) {
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

/// Writes `STEM.<extension>` and returns its path.
pub fn save(session: &Session, stem: &Path, kind: Saved) -> Result<PathBuf, String> {
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
    let mut name = stem.as_os_str().to_owned();
    name.push(".");
    name.push(kind.extension());
    let path = PathBuf::from(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}
