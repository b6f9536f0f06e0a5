//! Lint: CAN expectations naming things the world does not have.
//!
//! The rules: an expectation for the `Identified` phase needs an investigation with
//! `reveals_cause: true` (nothing else reaches that phase); a truth with
//! `recovering_when` needs an expectation for `Recovering` (else reports written
//! while recovering are graded against none); a `needs` term must name a
//! team of the world (one of its synonyms is part of a team's id or name, or the
//! other way round); a synonym written like an identifier (`pg-main-2`,
//! `write_errors`: no spaces, with `-` or `_`) must appear somewhere in what the
//! trainee can see or read: ids and names in the world, its logs, deploys and
//! runbooks, the briefing, findings and messages.

use super::{Linter, effects};
use crate::scenario::model::{Effect, Phase, Scenario};

pub(super) fn check(s: &Scenario, linter: &mut Linter<'_>) {
    let seen = visible_text(s);
    let revealed = s.investigations.iter().any(|inv| inv.reveals_cause);
    if s.truth.recovering_when.is_some()
        && !s.truth.can.iter().any(|c| c.phase == Phase::Recovering)
    {
        linter.warn(
            &["truth".into(), "recovering_when".into()],
            "recovering_when is given but truth.can has no expectations for Recovering, so reports written while recovering are graded against none",
        );
    }
    for (i, can) in s.truth.can.iter().enumerate() {
        let at = |more: &[crate::scenario::locate::Seg]| {
            super::join(&["truth".into(), "can".into(), i.into()], more)
        };
        if can.phase == Phase::Identified && !revealed {
            linter.warn(
                &at(&["phase".into()]),
                "CAN expectations for Identified, but no investigation has reveals_cause: true, so the phase is never reached",
            );
        }
        for (j, term) in can.needs.iter().enumerate() {
            let team = s.world.teams.iter().any(|t| {
                let names = [t.id.to_lowercase(), t.name.to_lowercase()];
                term.iter().map(|w| w.to_lowercase()).any(|w| {
                    names
                        .iter()
                        .any(|n| !w.is_empty() && (n.contains(&w) || w.contains(n.as_str())))
                })
            });
            if !team {
                linter.warn(
                    &at(&["needs".into(), j.into()]),
                    format!(
                        "CAN needs term [{}] names no team of the world: add the team to world.teams or name one",
                        quoted(term)
                    ),
                );
            }
        }
        let lists = [
            ("summary", &can.summary),
            ("actions", &can.actions),
            ("needs", &can.needs),
        ];
        for (field, terms) in lists {
            for (j, term) in terms.iter().enumerate() {
                for (k, word) in term.iter().enumerate() {
                    if looks_like_id(word) && !seen.contains(&word.to_lowercase()) {
                        linter.warn(
                            &at(&[field.into(), j.into(), k.into()]),
                            format!(
                                "CAN {field} names \"{word}\", which appears nowhere a trainee can see it (ids, names, logs, deploys, runbooks, findings, messages)"
                            ),
                        );
                    }
                }
            }
        }
    }
}

fn quoted(term: &[String]) -> String {
    term.iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn looks_like_id(word: &str) -> bool {
    !word.contains(char::is_whitespace)
        && (word.contains('-') || word.contains('_'))
        && word.split(['-', '_']).filter(|p| !p.is_empty()).count() >= 2
}

/// Everything the trainee can read in the drill, lowercased.
fn visible_text(s: &Scenario) -> String {
    let w = &s.world;
    let mut parts: Vec<&str> = vec![&s.briefing, &s.title, &s.summary];
    for x in &w.services {
        parts.extend([x.id.as_str(), &x.name, &x.description]);
    }
    for x in &w.teams {
        parts.extend([x.id.as_str(), &x.name]);
    }
    for x in &w.metrics {
        parts.extend([x.id.as_str(), &x.name]);
    }
    for x in &w.alerts {
        parts.extend([x.id.as_str(), &x.name]);
    }
    for x in &w.dashboards {
        parts.extend([x.id.as_str(), &x.title]);
    }
    for x in &w.logs {
        parts.push(&x.text);
    }
    for x in &w.deploys {
        parts.extend([x.id.as_str(), &x.summary]);
    }
    for x in &w.runbooks {
        parts.extend([x.id.as_str(), &x.title]);
        parts.extend(x.steps.iter().map(String::as_str));
    }
    for x in &s.investigations {
        parts.extend([x.id.as_str(), &x.label, &x.reveals]);
        parts.extend(x.findings.iter().map(|f| f.reveals.as_str()));
    }
    for x in &s.remediations {
        parts.extend([x.id.as_str(), &x.label]);
    }
    for x in &s.characters {
        parts.push(&x.fallback);
        parts.extend(x.replies.iter().map(|r| r.text.as_str()));
    }
    for e in effects(s) {
        match e {
            Effect::Say { text, .. } | Effect::Log { text, .. } | Effect::Page { text, .. } => {
                parts.push(text)
            }
            _ => {}
        }
    }
    parts.join("\n").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{edit, warnings};

    const CAN: &str =
        "(phase: Investigating, summary: [[\"api\", \"public api\"], [\"slow\", \"latency\"]]),";

    #[test]
    fn an_identified_phase_without_a_cause_revealing_investigation_is_never_reached() {
        let text = edit(&[
            (
                CAN,
                &format!("{CAN}\n            (phase: Identified, summary: [[\"cache\"]]),"),
            ),
            ("         reveals_cause: true),", "         ),"),
        ]);
        assert_eq!(
            warnings(&text),
            vec!["39:21: CAN expectations for Identified, but no investigation has reveals_cause: true, so the phase is never reached".to_string()]
        );
        let fixed = text.replace("         ),", "         reveals_cause: true),");
        assert_eq!(warnings(&fixed), Vec::<String>::new());
    }

    #[test]
    fn a_recovering_phase_without_expectations_is_reported() {
        let text = edit(&[(
            "        path: [",
            "        recovering_when: Started(\"restore-node\"),\n        path: [",
        )]);
        assert_eq!(
            warnings(&text),
            vec!["40:26: recovering_when is given but truth.can has no expectations for Recovering, so reports written while recovering are graded against none".to_string()]
        );
        let fixed = text.replace(
            CAN,
            &format!(
                "{CAN}\n            (phase: Recovering, summary: [[\"api\"], [\"recovering\"]]),"
            ),
        );
        assert_eq!(warnings(&fixed), Vec::<String>::new());
    }

    #[test]
    fn needs_naming_no_team_and_ids_nobody_can_see_are_reported() {
        let text = edit(&[(
            CAN,
            "(phase: Investigating, summary: [[\"api\"], [\"cache-7\", \"cache node\"]],\n             needs: [[\"database team\", \"dba\"]]),",
        )]);
        assert_eq!(
            warnings(&text),
            vec![
                "38:56: CAN summary names \"cache-7\", which appears nowhere a trainee can see it (ids, names, logs, deploys, runbooks, findings, messages)".to_string(),
                "39:22: CAN needs term [\"database team\", \"dba\"] names no team of the world: add the team to world.teams or name one".to_string(),
            ]
        );
        let fixed = text.replace("cache-7", "cache-2").replace(
            "\"database team\", \"dba\"",
            "\"api on-call\", \"api team\"",
        );
        assert_eq!(warnings(&fixed), Vec::<String>::new());
    }
}
