//! Lint: a character, metric, runbook or dashboard nothing uses.
//!
//! The rules: a character is unused when no `Say` effect names them and they have no
//! replies (asking them only ever gets the fallback); a metric when no dashboard shows it
//! and no condition or effect names it; a dashboard when none of its metrics is moved
//! by an effect or read by a condition (it can only ever show a quiet baseline); a
//! runbook when no investigation leads to it: none names the runbook's id or title in
//! its label or findings, none is about its service. (The app shows runbooks only
//! through investigations.)

use super::{Linter, atoms, conditions, effects};
use crate::scenario::model::{Condition, Effect, Scenario};

pub(super) fn check(s: &Scenario, linter: &mut Linter<'_>) {
    for (i, ch) in s.characters.iter().enumerate() {
        let speaks = effects(s).any(|e| matches!(e, Effect::Say { who, .. } if who == &ch.id));
        if !speaks && ch.replies.is_empty() {
            linter.warn(
                &["characters".into(), i.into(), "id".into()],
                format!(
                    "character \"{}\" is unused: no Say effect names them and they have no replies",
                    ch.id
                ),
            );
        }
    }
    let read = metrics_read(s);
    let moved = metrics_moved(s);
    for (i, m) in s.world.metrics.iter().enumerate() {
        let shown = s.world.dashboards.iter().any(|d| d.metrics.contains(&m.id));
        if !shown && !read.contains(&m.id.as_str()) && !moved.contains(&m.id.as_str()) {
            linter.warn(
                &["world".into(), "metrics".into(), i.into(), "id".into()],
                format!(
                    "metric \"{}\" is unused: no dashboard shows it and no condition or effect names it",
                    m.id
                ),
            );
        }
    }
    for (i, d) in s.world.dashboards.iter().enumerate() {
        let live = d
            .metrics
            .iter()
            .any(|m| read.contains(&m.as_str()) || moved.contains(&m.as_str()));
        if !live {
            linter.warn(
                &["world".into(), "dashboards".into(), i.into(), "id".into()],
                format!(
                    "dashboard \"{}\" is unused: no effect moves and no condition reads any of its metrics",
                    d.id
                ),
            );
        }
    }
    for (i, rb) in s.world.runbooks.iter().enumerate() {
        let title = rb.title.to_lowercase();
        let id = rb.id.to_lowercase();
        let read = s.investigations.iter().any(|inv| {
            let findings = inv.findings.iter().map(|f| f.reveals.as_str());
            let text = [inv.label.as_str(), &inv.reveals]
                .into_iter()
                .chain(findings)
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            text.contains(&title)
                || text.contains(&id)
                || (rb.service.is_some() && inv.service == rb.service)
        });
        if !read {
            linter.warn(
                &["world".into(), "runbooks".into(), i.into(), "id".into()],
                format!(
                    "runbook \"{}\" is unused: no investigation names its id or title or is about its service",
                    rb.id
                ),
            );
        }
    }
}

/// Metrics some condition reads.
fn metrics_read(s: &Scenario) -> Vec<&str> {
    conditions(s)
        .iter()
        .flat_map(|site| atoms(site.condition))
        .filter_map(|c| match c {
            Condition::Above { metric, .. } | Condition::Below { metric, .. } => {
                Some(metric.as_str())
            }
            _ => None,
        })
        .collect()
}

/// Metrics some effect moves.
fn metrics_moved(s: &Scenario) -> Vec<&str> {
    effects(s)
        .filter_map(|e| match e {
            Effect::Step { metric, .. }
            | Effect::Ramp { metric, .. }
            | Effect::Recover { metric, .. } => Some(metric.as_str()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{edit, warnings};

    #[test]
    fn a_character_who_never_speaks_is_unused() {
        let silent = edit(&[(
            "Say(who: \"support\", text:",
            "Log(service: \"api\", level: Error, text:",
        )]);
        assert_eq!(
            warnings(&silent),
            vec![
                "58:14: character \"support\" is unused: no Say effect names them and they have no replies"
                    .to_string()
            ]
        );
    }

    const WORLD_END: &str = "             severity: Critical, pages: \"api-team\", repage_every: \"5m\"),\n        ],\n";

    fn with_world(extra: &str) -> String {
        edit(&[(WORLD_END, &format!("{WORLD_END}{extra}"))])
    }

    #[test]
    fn a_metric_nobody_sees_or_reads_and_a_dashboard_of_quiet_metrics_are_unused() {
        let metric = "            (id: \"cache_hits\", service: \"cache\", name: \"Hit rate\", unit: \"%\", baseline: 97.0),\n";
        let text = edit(&[(
            "min: 0.0),\n        ],",
            &format!("min: 0.0),\n{metric}        ],"),
        )]);
        assert_eq!(
            warnings(&text),
            vec!["23:18: metric \"cache_hits\" is unused: no dashboard shows it and no condition or effect names it".to_string()]
        );
        let quiet = text.replace(
            WORLD_END,
            &format!("{WORLD_END}        dashboards: [(id: \"cache\", title: \"Cache\", metrics: [\"cache_hits\"])],\n"),
        );
        assert_eq!(
            warnings(&quiet),
            vec!["30:27: dashboard \"cache\" is unused: no effect moves and no condition reads any of its metrics".to_string()]
        );
        let live = quiet.replace(
            "do: [Ramp(metric: \"api_p99\", to: 1500.0, over: \"1m\")]",
            "do: [Ramp(metric: \"api_p99\", to: 1500.0, over: \"1m\"), Step(metric: \"cache_hits\", to: 12.0)]",
        );
        assert_eq!(warnings(&live), Vec::<String>::new());
    }

    #[test]
    fn a_runbook_no_investigation_reads_is_unused() {
        let text = with_world(
            "        runbooks: [(id: \"cache-drain\", title: \"Draining a cache node\", steps: [\"Check the host name twice.\"])],\n",
        );
        assert_eq!(
            warnings(&text),
            vec!["29:25: runbook \"cache-drain\" is unused: no investigation names its id or title or is about its service".to_string()]
        );
        let read = text.replace(
            "    investigations: [\n",
            "    investigations: [\n        (id: \"read-runbook\", label: \"Read 'Draining a cache node'\", kind: Runbook, takes: \"1m\",\n         reveals: \"Step 1: check the host name twice.\"),\n",
        );
        assert_eq!(warnings(&read), Vec::<String>::new());
    }
}
