//! The scenario linter: warnings about a drill that loads and validates but is likely
//! broken for trainees (it cannot be resolved, a condition can never hold, something
//! is defined that nothing uses, par times nobody can meet, ...). Errors make a file
//! unusable ([`super::validate`]); warnings only advise, and `validate
//! --deny-warnings` turns them into a failure.
//!
//! One module per family of lints; docs/scenario-format.md ("Warnings") lists each one,
//! what triggers it and how to fix it. Every warning points at the value to change.

mod can;
mod conditions;
mod consequence;
mod outage;
mod par;
mod resolve;
mod unused;
mod walkthrough;

use super::diagnostic::Diagnostic;
use super::locate::{Seg, SourceMap};
use super::model::{Condition, Effect, Scenario};

pub use walkthrough::walkthroughs;

/// Every warning for `scenario`, parsed from `source` (which locates them), in source
/// order. Plays the scenario headless a few times (par times), so it takes a few
/// milliseconds.
pub fn lint(scenario: &Scenario, source: &str) -> Vec<Diagnostic> {
    let mut linter = Linter {
        map: SourceMap::new(source),
        warnings: Vec::new(),
    };
    resolve::check(scenario, &mut linter);
    conditions::check(scenario, &mut linter);
    unused::check(scenario, &mut linter);
    can::check(scenario, &mut linter);
    consequence::check(scenario, &mut linter);
    outage::check(scenario, &mut linter);
    par::check(scenario, &mut linter);
    let mut warnings = linter.warnings;
    warnings.sort_by_key(|d| d.at);
    warnings
}

/// Collects warnings, each located at a path into the scenario.
struct Linter<'a> {
    map: SourceMap<'a>,
    warnings: Vec<Diagnostic>,
}

impl Linter<'_> {
    fn warn(&mut self, path: &[Seg], message: impl Into<String>) {
        let (at, width) = self.map.locate(path);
        self.warnings.push(Diagnostic::warning(at, width, message));
    }
}

/// `path` with `more` appended.
fn join(path: &[Seg], more: &[Seg]) -> Vec<Seg> {
    let mut joined = path.to_vec();
    joined.extend_from_slice(more);
    joined
}

/// Where a condition sits, as a person would name its owner ("remediation
/// \"restart\"'s requires").
struct Site<'s> {
    path: Vec<Seg>,
    owner: String,
    condition: &'s Condition,
}

/// Every condition in the scenario with its path: alerts' `when`, impact_ends_when,
/// the truth's `recovering_when`, severity phases' `unless`, injects' `when`,
/// investigations' `requires` and findings' `when`, remediations' `requires` and
/// replies' `when`.
fn conditions(s: &Scenario) -> Vec<Site<'_>> {
    let mut sites = Vec::new();
    for (i, alert) in s.world.alerts.iter().enumerate() {
        sites.push(Site {
            path: vec!["world".into(), "alerts".into(), i.into(), "when".into()],
            owner: format!("alert \"{}\"", alert.id),
            condition: &alert.when,
        });
    }
    sites.push(Site {
        path: vec!["truth".into(), "impact_ends_when".into()],
        owner: "truth.impact_ends_when".into(),
        condition: &s.truth.impact_ends_when,
    });
    if let Some(when) = &s.truth.recovering_when {
        sites.push(Site {
            path: vec!["truth".into(), "recovering_when".into()],
            owner: "truth.recovering_when".into(),
            condition: when,
        });
    }
    for (i, phase) in s.truth.severity.iter().enumerate() {
        if let Some(unless) = &phase.unless {
            sites.push(Site {
                path: vec!["truth".into(), "severity".into(), i.into(), "unless".into()],
                owner: format!("severity phase {}", i + 1),
                condition: unless,
            });
        }
    }
    for (i, inject) in s.injects.iter().enumerate() {
        if let Some(when) = &inject.when {
            sites.push(Site {
                path: vec!["injects".into(), i.into(), "when".into()],
                owner: format!("inject \"{}\"", inject.id),
                condition: when,
            });
        }
    }
    for (i, inv) in s.investigations.iter().enumerate() {
        if let Some(requires) = &inv.requires {
            sites.push(Site {
                path: vec!["investigations".into(), i.into(), "requires".into()],
                owner: format!("investigation \"{}\"", inv.id),
                condition: requires,
            });
        }
        for (j, finding) in inv.findings.iter().enumerate() {
            sites.push(Site {
                path: vec![
                    "investigations".into(),
                    i.into(),
                    "findings".into(),
                    j.into(),
                    "when".into(),
                ],
                owner: format!("finding {} of investigation \"{}\"", j + 1, inv.id),
                condition: &finding.when,
            });
        }
    }
    for (i, rem) in s.remediations.iter().enumerate() {
        if let Some(requires) = &rem.requires {
            sites.push(Site {
                path: vec!["remediations".into(), i.into(), "requires".into()],
                owner: format!("remediation \"{}\"", rem.id),
                condition: requires,
            });
        }
    }
    for (i, ch) in s.characters.iter().enumerate() {
        for (j, reply) in ch.replies.iter().enumerate() {
            if let Some(when) = &reply.when {
                sites.push(Site {
                    path: vec![
                        "characters".into(),
                        i.into(),
                        "replies".into(),
                        j.into(),
                        "when".into(),
                    ],
                    owner: format!("a reply of character \"{}\"", ch.id),
                    condition: when,
                });
            }
        }
    }
    sites
}

/// Every condition inside `condition`, itself included.
fn atoms(condition: &Condition) -> Vec<&Condition> {
    let mut all = vec![condition];
    let mut i = 0;
    while let Some(c) = all.get(i).copied() {
        match c {
            Condition::All(list) | Condition::Any(list) => all.extend(list),
            Condition::Not(inner) | Condition::Since { what: inner, .. } => all.push(inner),
            _ => {}
        }
        i += 1;
    }
    all
}

/// Every effect in the scenario: injects', investigations' and remediations'.
fn effects(s: &Scenario) -> impl Iterator<Item = &Effect> {
    effect_sites(s).map(|(_, effect)| effect)
}

/// Every effect in the scenario with its path, in the order of [`effects`].
fn effect_sites(s: &Scenario) -> impl Iterator<Item = (Vec<Seg>, &Effect)> {
    s.injects
        .iter()
        .enumerate()
        .flat_map(move |(i, x)| listed("injects", "do", i, &x.effects))
        .chain(
            s.investigations
                .iter()
                .enumerate()
                .flat_map(move |(i, x)| listed("investigations", "effects", i, &x.effects)),
        )
        .chain(
            s.remediations
                .iter()
                .enumerate()
                .flat_map(move |(i, x)| listed("remediations", "effects", i, &x.effects)),
        )
}

/// The effects of one list (`list[i].field`) with their paths.
fn listed<'e>(
    list: &'static str,
    field: &'static str,
    i: usize,
    effects: &'e [Effect],
) -> impl Iterator<Item = (Vec<Seg>, &'e Effect)> {
    effects
        .iter()
        .enumerate()
        .map(move |(j, e)| (vec![list.into(), i.into(), field.into(), j.into()], e))
}

#[cfg(test)]
pub(crate) mod fixture {
    //! The smallest valid scenario (tests/fixtures/minimal.ron) and edits of it.

    use crate::scenario::{self, Diagnostic};

    pub const MINIMAL: &str = include_str!("../../../../tests/fixtures/minimal.ron");

    /// MINIMAL with each `(from, to)` replaced once (each `from` must occur).
    pub fn edit(edits: &[(&str, &str)]) -> String {
        let mut text = MINIMAL.to_string();
        for (from, to) in edits {
            assert!(text.contains(from), "{from:?} is not in the fixture");
            text = text.replacen(from, to, 1);
        }
        text
    }

    /// The linter's messages for `text`, which must validate.
    pub fn warnings(text: &str) -> Vec<String> {
        let parsed = scenario::parse(text).unwrap_or_else(|d| panic!("invalid: {d:?}"));
        super::lint(&parsed, text)
            .into_iter()
            .map(|d: Diagnostic| format!("{}:{}: {}", d.at.line, d.at.col, d.message))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::{MINIMAL, warnings};
    use crate::scenario::{Level, builtin};

    #[test]
    fn the_minimal_fixture_and_the_shipped_scenarios_are_lint_clean() {
        assert_eq!(warnings(MINIMAL), Vec::<String>::new());
        for (id, text) in builtin::BUILTIN {
            assert_eq!(warnings(text), Vec::<String>::new(), "{id}");
        }
    }

    #[test]
    fn warnings_render_with_their_label() {
        let d = crate::scenario::Diagnostic::warning(
            crate::scenario::Location { line: 2, col: 1 },
            8,
            "something is off",
        );
        assert_eq!(d.level, Level::Warning);
        assert_eq!(
            d.render(std::path::Path::new("x.ron"), MINIMAL),
            "x.ron:2:1: warning: something is off\n 2 | Scenario(\n   | ^^^^^^^^"
        );
    }
}
