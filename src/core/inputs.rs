//! Input files: the timed actions of one trainee role, in RON. Walkthroughs, tests and
//! the app's recordings all use this format; `docs/input-format.md` documents it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::action::{Action, Actor, Input, Role};
use crate::scenario::locate::{Seg, SourceMap};
use crate::scenario::{Diagnostic, Duration, LoadError, Scenario, parse_ron};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Inputs")]
pub struct InputFile {
    /// The id of the scenario these inputs were written for.
    pub scenario: String,
    /// The role the trainee plays; bots play the others.
    pub role: Role,
    /// Who played (for history); optional.
    #[serde(default)]
    pub trainee: Option<String>,
    pub actions: Vec<TimedAction>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimedAction {
    pub at: Duration,
    #[serde(rename = "do")]
    pub action: Action,
}

impl InputFile {
    /// The actions as engine inputs from the trainee.
    pub fn inputs(&self) -> impl Iterator<Item = Input> + '_ {
        self.actions.iter().map(|a| Input {
            at: a.at,
            actor: Actor::Trainee(self.role),
            action: a.action.clone(),
        })
    }

    /// The same file with only the actions that take effect before `at`: what a run
    /// played again up to `at` replays.
    pub fn before(&self, at: Duration) -> InputFile {
        InputFile {
            actions: self
                .actions
                .iter()
                .filter(|timed| timed.at < at)
                .cloned()
                .collect(),
            ..self.clone()
        }
    }

    /// RON text of this file, readable by [`parse`].
    pub fn to_ron(&self) -> String {
        to_ron_text(self)
    }
}

/// RON text of an input or drill file as people write them: `Inputs(` or `Drill(` on
/// the first line, optional fields bare.
pub(crate) fn to_ron_text<T: Serialize>(file: &T) -> String {
    let config = ron::ser::PrettyConfig::new().struct_names(true).extensions(
        ron::extensions::Extensions::IMPLICIT_SOME
            | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
    );
    let text = ron::ser::to_string_pretty(file, config).expect("input files always serialize");
    // Our parser enables both extensions itself; without the `#![enable]` header the
    // file starts with `Inputs(` like a hand-written one, and positions in error
    // messages count from its first line.
    text.lines()
        .filter(|line| !line.starts_with("#![enable("))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Reads an input file and checks it against the scenario it will drive.
pub fn load_file(path: &Path, scenario: &Scenario) -> Result<InputFile, LoadError> {
    let source_text = LoadError::read(path)?;
    parse(&source_text, scenario).map_err(|diagnostics| LoadError::Invalid {
        path: path.to_path_buf(),
        source_text,
        diagnostics,
    })
}

/// Whether RON text is an input file (`Inputs(...)`) rather than a scenario.
pub fn looks_like_inputs(source: &str) -> bool {
    source
        .lines()
        .map(str::trim_start)
        .find(|line| !line.is_empty() && !line.starts_with("//"))
        .is_some_and(|line| line.starts_with("Inputs"))
}

/// Parses input text without checking it against a scenario (to learn which one).
pub fn parse_unchecked(source: &str) -> Result<InputFile, Diagnostic> {
    parse_ron(source)
}

/// Parses input text and checks it: the right scenario, known ids, actions the role
/// may take, times inside the drill.
pub fn parse(source: &str, scenario: &Scenario) -> Result<InputFile, Vec<Diagnostic>> {
    let file = parse_unchecked(source).map_err(|d| vec![d])?;
    let mut problems = Problems::new(source);
    problems.scenario(&file.scenario, scenario, "these inputs are");
    for (i, timed) in file.actions.iter().enumerate() {
        let actor = Actor::Trainee(file.role);
        problems.input(
            "actions",
            i,
            check_action(timed.at, &actor, &timed.action, scenario),
        );
    }
    problems.or(file)
}

/// The problems found in an input or drill file, each placed at its path in the text:
/// what the two kinds of file check alike.
pub(crate) struct Problems<'s> {
    map: SourceMap<'s>,
    found: Vec<Diagnostic>,
}

impl<'s> Problems<'s> {
    pub(crate) fn new(source: &'s str) -> Self {
        Problems {
            map: SourceMap::new(source),
            found: Vec::new(),
        }
    }

    pub(crate) fn report(&mut self, path: &[Seg], message: String) {
        let (at, width) = self.map.locate(path);
        self.found.push(Diagnostic::new(at, width, message));
    }

    /// The file's `scenario` must be `scenario`'s id; `what` says what the file is
    /// ("these inputs are").
    pub(crate) fn scenario(&mut self, named: &str, scenario: &Scenario, what: &str) {
        if named != scenario.id {
            self.report(
                &["scenario".into()],
                format!("{what} for scenario \"{named}\", not \"{}\"", scenario.id),
            );
        }
    }

    /// The problems of the `i`th entry of `list`, at its time or its action.
    pub(crate) fn input(&mut self, list: &'static str, i: usize, problems: Vec<InputProblem>) {
        for problem in problems {
            let (field, message) = match problem {
                InputProblem::Time(message) => ("at", message),
                InputProblem::Action(message) => ("do", message),
            };
            self.report(&[Seg::from(list), i.into(), field.into()], message);
        }
    }

    /// `file` when nothing was found, else every problem.
    pub(crate) fn or<T>(self, file: T) -> Result<T, Vec<Diagnostic>> {
        if self.found.is_empty() {
            Ok(file)
        } else {
            Err(self.found)
        }
    }
}

/// What is wrong with one timed action on its own (its time or the action), in one
/// line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {
    Time(String),
    Action(String),
}

impl InputProblem {
    pub fn message(&self) -> &str {
        match self {
            InputProblem::Time(m) | InputProblem::Action(m) => m,
        }
    }
}

/// The checks every input of an input or drill file gets on its own: a time before
/// the scenario's limit, an action `actor` may take, ids the scenario knows.
pub fn check_action(
    at: Duration,
    actor: &Actor,
    action: &Action,
    scenario: &Scenario,
) -> Vec<InputProblem> {
    let mut problems = Vec::new();
    if at >= scenario.time_limit {
        problems.push(InputProblem::Time(format!(
            "{at} is not before the scenario's time limit {}",
            scenario.time_limit
        )));
    }
    if let Err(reason) = action.permitted_to(actor) {
        problems.push(InputProblem::Action(reason));
    }
    if let Some(message) = unknown_reference(action, scenario) {
        problems.push(InputProblem::Action(message));
    }
    problems
}

/// An id in `action` that the scenario does not know, in words.
fn unknown_reference(action: &Action, s: &Scenario) -> Option<String> {
    let (kind, id, known): (&str, &str, Vec<&str>) = match action {
        Action::Investigate(id) => (
            "investigation",
            id,
            s.investigations.iter().map(|x| x.id.as_str()).collect(),
        ),
        Action::Remediate(id) => (
            "remediation",
            id,
            s.remediations.iter().map(|x| x.id.as_str()).collect(),
        ),
        Action::Page(id) => (
            "team",
            id,
            s.world.teams.iter().map(|x| x.id.as_str()).collect(),
        ),
        Action::Ask { character, .. } | Action::Speak { character, .. } => (
            "character",
            character,
            s.characters.iter().map(|x| x.id.as_str()).collect(),
        ),
        Action::FireInject(id) | Action::HoldInject(id) | Action::ReleaseInject(id) => (
            "inject",
            id,
            s.injects.iter().map(|x| x.id.as_str()).collect(),
        ),
        _ => return None,
    };
    (!known.contains(&id)).then(|| format!("unknown {kind} \"{id}\" (known: {})", known.join(", ")))
}

/// Reads an input file that plays on a run from sim time `from` ("retry from here"):
/// checked as [`load_file`] does, and every action must take effect at `from` or later,
/// since what came before is the run being played on from.
pub fn load_continuation(
    path: &Path,
    scenario: &Scenario,
    from: Duration,
) -> Result<InputFile, LoadError> {
    let source_text = LoadError::read(path)?;
    let invalid = |source_text, diagnostics| LoadError::Invalid {
        path: path.to_path_buf(),
        source_text,
        diagnostics,
    };
    let file = match parse(&source_text, scenario) {
        Ok(file) => file,
        Err(diagnostics) => return Err(invalid(source_text, diagnostics)),
    };
    let mut problems = Problems::new(&source_text);
    for (i, timed) in file.actions.iter().enumerate() {
        if timed.at < from {
            problems.report(
                &[Seg::from("actions"), i.into(), "at".into()],
                format!(
                    "{} is before {from}, where this file plays on from: the run up to then is replayed from the first inputs",
                    timed.at
                ),
            );
        }
    }
    match problems.or(file) {
        Ok(file) => Ok(file),
        Err(diagnostics) => Err(invalid(source_text, diagnostics)),
    }
}
