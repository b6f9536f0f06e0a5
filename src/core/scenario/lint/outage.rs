//! Lint: a `Light` that brings back telemetry nothing makes dark.
//!
//! The rule: every id a `Light` names (metric, dashboard or alert) must be named by a
//! `Dark` somewhere in the scenario (an inject, investigation or remediation). The
//! order in time is not checked: which effect runs first depends on the run.

use super::{Linter, effects};
use crate::scenario::locate::Seg;
use crate::scenario::model::{Effect, Scenario};

pub(super) fn check(s: &Scenario, linter: &mut Linter<'_>) {
    let dark: Vec<_> = effects(s)
        .filter(|e| matches!(e, Effect::Dark { .. }))
        .flat_map(Effect::telemetry)
        .collect();
    let sites = s
        .injects
        .iter()
        .enumerate()
        .map(|(i, x)| (vec!["injects".into(), i.into(), "do".into()], &x.effects))
        .chain(s.investigations.iter().enumerate().map(|(i, x)| {
            (
                vec!["investigations".into(), i.into(), "effects".into()],
                &x.effects,
            )
        }))
        .chain(s.remediations.iter().enumerate().map(|(i, x)| {
            (
                vec!["remediations".into(), i.into(), "effects".into()],
                &x.effects,
            )
        }));
    for (path, list) in sites {
        for (j, effect) in list.iter().enumerate() {
            if !matches!(effect, Effect::Light { .. }) {
                continue;
            }
            for (kind, id) in effect.telemetry() {
                if dark.contains(&(kind, id)) {
                    continue;
                }
                let mut at: Vec<Seg> = path.clone();
                at.push(j.into());
                linter.warn(
                    &at,
                    format!(
                        "Light brings back {} \"{id}\", but no Dark makes it dark: drop it, or add it to a Dark",
                        kind.label()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{edit, warnings};

    fn with_effects(effects: &str) -> String {
        edit(&[(
            "    injects: [\n",
            &format!("    injects: [\n        (id: \"outage\", at: \"3m\", do: [{effects}]),\n"),
        )])
    }

    #[test]
    fn a_light_of_something_never_dark_is_a_warning() {
        assert_eq!(
            warnings(&with_effects("Light(metrics: [\"api_p99\"])")),
            vec!["43:39: Light brings back metric \"api_p99\", but no Dark makes it dark: drop it, or add it to a Dark".to_string()]
        );
        assert_eq!(
            warnings(&with_effects(
                "Dark(metrics: [\"api_p99\"]), Light(metrics: [\"api_p99\"])"
            )),
            Vec::<String>::new()
        );
    }
}
