//! Lint: a red herring or harmful remediation with no consequence.
//!
//! The rule: a remediation of kind `RedHerring` or `Harmful` has a consequence when it
//! has effects, destroys evidence, or some condition reads it (`Started` or
//! `Remediated`, so an inject or a reply reacts to it). Without one, taking it costs
//! only its time: the trainee never sees why it was wrong.

use super::{Linter, atoms, conditions};
use crate::scenario::model::{Condition, RemediationKind, Scenario};

pub(super) fn check(s: &Scenario, linter: &mut Linter<'_>) {
    let sites = conditions(s);
    for (i, rem) in s.remediations.iter().enumerate() {
        if !matches!(
            rem.kind,
            RemediationKind::RedHerring | RemediationKind::Harmful
        ) {
            continue;
        }
        let read = sites.iter().flat_map(|site| atoms(site.condition)).any(
            |c| matches!(c, Condition::Started(id) | Condition::Remediated(id) if id == &rem.id),
        );
        if rem.effects.is_empty() && !rem.destroys_evidence && !read {
            let kind = match rem.kind {
                RemediationKind::Harmful => "harmful",
                _ => "red herring",
            };
            linter.warn(
                &["remediations".into(), i.into(), "kind".into()],
                format!(
                    "{kind} remediation \"{}\" has no consequence: give it effects, or an inject with when: Remediated(\"{}\")",
                    rem.id, rem.id
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{edit, warnings};

    fn with_remediation(extra: &str) -> String {
        edit(&[(
            "    remediations: [\n",
            &format!(
                "    remediations: [\n        (id: \"restart-api\", label: \"Restart the API\", kind: Harmful, takes: \"2m\"{extra}),\n"
            ),
        )])
    }

    #[test]
    fn a_harmful_step_that_changes_nothing_has_no_consequence() {
        assert_eq!(
            warnings(&with_remediation("")),
            vec!["54:61: harmful remediation \"restart-api\" has no consequence: give it effects, or an inject with when: Remediated(\"restart-api\")".to_string()]
        );
        assert_eq!(
            warnings(&with_remediation(
                ",\n         effects: [Step(metric: \"api_p99\", to: 2500.0)]"
            )),
            Vec::<String>::new()
        );
    }
}
