//! `firedrill play FILE --watch`, the author's live preview: the scenario file is read
//! again whenever it is saved. A thread looks at the file's modification time twice a
//! second and wakes the app when it changed; the app then loads it and, in the war
//! room, plays the run again on the new scenario up to the same second with the
//! trainee's inputs so far (those the new scenario refuses are named), keeping the
//! clock's pause and speed. A file that does not load leaves the run as it was and says
//! why, as `PATH:LINE:COL: message`, in the war room's preview strip.
//!
//! The strip's scrubber jumps the run to any sim time: it is played again from the start
//! with the trainee's inputs up to then, and paused. Jumping back does not forget the
//! later inputs: they stay on a tape, and jumping forward again replays them, until the
//! trainee acts at the earlier time, which starts a new tape from there.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::EventLoopProxyWrapper;
use firedrill_core::inputs::InputFile;
use firedrill_core::scenario::{self, LoadError, Scenario};
use firedrill_core::session::Session;
use firedrill_panels::war_room::{Preview, PreviewNote, WarRoomAction};

use super::sim::{Live, Request};
use super::team::waker;
use super::{Choice, Library, Screen, Step};

/// How often the file's modification time is looked at.
const LOOK_EVERY: Duration = Duration::from_millis(500);

/// The scenario file being watched.
#[derive(Resource)]
pub struct Watch {
    path: PathBuf,
    /// Set by the watching thread when the file changed; taken by [`reload`].
    changed: Arc<AtomicBool>,
    /// Tells the watching thread to stop, when the app closes.
    stop: Arc<AtomicBool>,
    /// What the last save or jump did.
    note: Option<PreviewNote>,
    /// The longest run of inputs seen, which a jump forward replays.
    tape: Option<InputFile>,
}

impl Watch {
    pub fn new(path: PathBuf) -> Self {
        Watch {
            path,
            changed: Arc::new(AtomicBool::new(false)),
            stop: Arc::new(AtomicBool::new(false)),
            note: None,
            tape: None,
        }
    }

    /// The preview strip for `session`.
    pub fn preview(&self, session: &Session) -> Preview {
        Preview {
            file: self.path.display().to_string(),
            at: session.engine().next_time().as_secs(),
            limit: session.engine().scenario().time_limit.as_secs(),
            note: self.note.clone(),
        }
    }

    /// What the last save or jump did (tests).
    #[cfg(test)]
    pub fn note(&self) -> Option<&PreviewNote> {
        self.note.as_ref()
    }

    fn say(&mut self, text: String, failed: bool) {
        self.note = Some(PreviewNote { text, failed });
    }

    /// The inputs a jump replays: the tape, while the run's own inputs are the start of
    /// it; else the run's inputs, which become the tape.
    fn tape_for(&mut self, session: &Session) -> InputFile {
        let own = session.recording();
        match &self.tape {
            Some(tape) if tape.actions.starts_with(&own.actions) => tape.clone(),
            _ => {
                self.tape = Some(own.clone());
                own.clone()
            }
        }
    }

    /// Marks the file as changed, as the watching thread does (tests).
    #[cfg(test)]
    pub fn touch(&self) {
        self.changed.store(true, Ordering::Relaxed);
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

pub fn plugin(app: &mut App) {
    // The window's plugins register it too; headless tests have none.
    app.add_message::<RequestRedraw>()
        .add_systems(Startup, start)
        .add_systems(Update, (reload, jump).chain().in_set(Step::Advance));
}

/// Starts the thread that watches the file.
fn start(watch: Res<Watch>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let path = watch.path.clone();
    let changed = Arc::clone(&watch.changed);
    let stop = Arc::clone(&watch.stop);
    let wake = waker(proxy.as_deref());
    let modified = move || std::fs::metadata(&path).and_then(|m| m.modified()).ok();
    let spawned = std::thread::Builder::new()
        .name("scenario watch".into())
        .spawn(move || {
            let mut last: Option<SystemTime> = modified();
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(LOOK_EVERY);
                let now = modified();
                if now != last {
                    last = now;
                    changed.store(true, Ordering::Relaxed);
                    wake();
                }
            }
        });
    if let Err(error) = spawned {
        error!("cannot watch {}: {error}", watch.path.display());
    }
}

/// Loads the changed file and puts it in play.
fn reload(
    mut watch: ResMut<Watch>,
    screen: Res<State<Screen>>,
    mut live: ResMut<Live>,
    choice: Option<ResMut<Choice>>,
    mut library: ResMut<Library>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if !watch.changed.swap(false, Ordering::Relaxed) {
        return;
    }
    // A second frame at once: text drawn the first time (a new title) needs its glyphs.
    redraw.write(RequestRedraw);
    let loaded = LoadError::read(&watch.path).and_then(|text| {
        scenario::parse(&text).map_err(|diagnostics| LoadError::Invalid {
            path: watch.path.clone(),
            source_text: text,
            diagnostics,
        })
    });
    let scenario = match loaded {
        Ok(scenario) => Arc::new(scenario),
        Err(error) => {
            // The first line says where; the run goes on as it was.
            let first = error
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned();
            watch.say(format!("Not reloaded: {first}"), true);
            return;
        }
    };
    library.replace(Arc::clone(&scenario));
    if let Some(mut choice) = choice {
        choice.scenario = Arc::clone(&scenario);
    }
    let text = match live.0.as_mut() {
        Some(session) if *screen.get() == Screen::WarRoom => replay(session, scenario),
        _ => format!("Reloaded {}.", watch.path.display()),
    };
    watch.say(text, false);
}

/// Plays the run again to the time the scrubber asked for.
fn jump(mut watch: ResMut<Watch>, mut requests: MessageReader<Request>, mut live: ResMut<Live>) {
    let Some(session) = live.0.as_mut() else {
        return;
    };
    for Request(request) in requests.read() {
        let WarRoomAction::Jump(to) = request else {
            continue;
        };
        let scenario = Arc::clone(&session.engine().state().scenario);
        let tape = watch.tape_for(session);
        let mut again = Session::branch(scenario, session.engine().seed(), &tape, *to);
        again.session.set_speed(session.speed());
        // The clock the war room shows: the last second played.
        let engine = again.session.engine();
        let clock = engine.scenario().clock_seconds(engine.state().now);
        let text = match again.refused.first() {
            None => format!(
                "Jumped to {clock} (paused) with {} of your input(s).",
                again.session.recording().actions.len()
            ),
            Some(first) => format!(
                "Jumped to {clock} (paused); {} input(s) refused (the first at {}: {}).",
                again.refused.len(),
                first.at,
                first.reason
            ),
        };
        *session = again.session;
        watch.say(text, false);
    }
}

/// The run played again on `scenario` to the same second with the same inputs, its
/// clock paused and at speed as it was; what to tell the author.
fn replay(session: &mut Session, scenario: Arc<Scenario>) -> String {
    let at = session.engine().next_time();
    let mut again = Session::branch(scenario, session.engine().seed(), session.recording(), at);
    again.session.set_speed(session.speed());
    again.session.set_paused(session.paused());
    let clock = again
        .session
        .engine()
        .scenario()
        .clock_seconds(at.as_secs());
    let text = match again.refused.as_slice() {
        [] => format!(
            "Reloaded: played again to {clock} with your {} input(s).",
            again.session.recording().actions.len()
        ),
        refused => format!(
            "Reloaded: played again to {clock}; the changed scenario refused {} of your inputs (the first at {}: {}).",
            refused.len(),
            refused[0].at,
            refused[0].reason
        ),
    };
    *session = again.session;
    text
}
