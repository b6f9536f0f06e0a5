//! `firedrill` and `firedrill play`: open the app, on the menu or straight on a
//! scenario's briefing, or render one screen to a PNG (`--screenshot`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use firedrill_core::engine::action::Role;
use firedrill_core::scenario::builtin;
use firedrill_core::session::SPEED_RANGE;

use super::{CliError, load, store};
use crate::gui::screenshot::Shot;
use crate::gui::{self, Choice, Launch, MenuPreset, ShotAt};

pub struct PlayArgs {
    /// `None` opens the menu.
    pub scenario: Option<String>,
    pub role: Option<Role>,
    pub trainee: Option<String>,
    pub seed: u64,
    pub speed: f64,
    pub screenshot: Option<PathBuf>,
    pub at: Option<ShotAt>,
    pub out_dir: PathBuf,
    pub data_dir: Option<PathBuf>,
    /// Reload the scenario file whenever it is saved.
    pub watch: bool,
}

pub fn run(args: PlayArgs) -> Result<(), CliError> {
    let (slowest, fastest) = SPEED_RANGE;
    if !(slowest..=fastest).contains(&args.speed) {
        return Err(CliError::Usage(format!(
            "--speed {} is out of range: use {slowest} to {fastest}",
            args.speed
        )));
    }
    let mut library: Vec<Arc<_>> = builtin::all().into_iter().map(Arc::new).collect();
    let chosen = args.scenario.as_deref().map(load::scenario).transpose()?;
    if let Some(scenario) = &chosen {
        // The scenario named is the one played, even over a built-in of the same id.
        match library.iter_mut().find(|s| s.id == scenario.id) {
            Some(same_id) => *same_id = Arc::clone(scenario),
            None => library.push(Arc::clone(scenario)),
        }
    }
    let play = match (&chosen, args.role) {
        (Some(scenario), Some(role)) => Some(Choice {
            scenario: Arc::clone(scenario),
            role,
            trainee: args.trainee.clone(),
            seed: args.seed,
            speed: args.speed,
        }),
        _ => None,
    };
    if args.at.is_some() && play.is_none() {
        return Err(CliError::Usage(
            "--at needs a scenario and --role: firedrill play SCENARIO --role R --screenshot FILE --at 12m"
                .into(),
        ));
    }
    let screenshot_only = args.screenshot.is_some();
    let watch = match (&args.scenario, args.watch) {
        (_, false) => None,
        (Some(named), true) if Path::new(named).is_file() && !screenshot_only => {
            Some(PathBuf::from(named))
        }
        _ => {
            return Err(CliError::Usage(
                "--watch reloads a scenario file when it is saved: name the file (not a built-in id), without --screenshot".into(),
            ));
        }
    };
    let scenario_file = chosen
        .as_ref()
        .zip(args.scenario.as_deref())
        .filter(|(_, named)| Path::new(named).exists())
        .map(|(scenario, named)| (scenario.id.clone(), PathBuf::from(named)));
    gui::run(Launch {
        library,
        play,
        menu: MenuPreset {
            scenario: chosen.map(|s| s.id.clone()),
            trainee: args.trainee,
            seed: args.seed,
            speed: args.speed,
        },
        screenshot: args.screenshot.map(|path| Shot { path, at: args.at }),
        out_dir: args.out_dir,
        scenario_file,
        // Screenshots show a clean app: no history, no interrupted runs.
        data_dir: if screenshot_only {
            None
        } else {
            store::data_dir(args.data_dir.as_deref()).ok()
        },
        join: None,
        watch,
    })
    .map_err(CliError::NoDisplay)
}

/// `12m`, `1h30m`, `90s` or `end`.
pub fn parse_at(text: &str) -> Result<ShotAt, String> {
    if text == "end" {
        return Ok(ShotAt::End);
    }
    text.parse()
        .map(ShotAt::Time)
        .map_err(|e| format!("{e}; or use `end` for the debrief"))
}
