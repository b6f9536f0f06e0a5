//! Lint: par times the reference bots cannot come near.
//!
//! The rule: bots play every role with the reference policy for [`RUNS`] seeds (1 to
//! 5). When none of the runs resolves, or the median MTTA or MTTR of the runs is over
//! [`FACTOR`] times its par, the par is out of reach of a competent team (the bots
//! follow the reference path, with the scenario's tuned wrong turns and delays).

use std::sync::Arc;

use super::Linter;
use crate::bots::Policy;
use crate::run::{autoplay, percentile};
use crate::scenario::Duration;
use crate::scenario::model::Scenario;

/// How many seeds the bots play.
pub const RUNS: u32 = 5;

/// How far over par the bots' median may be before it is out of reach.
pub const FACTOR: u64 = 3;

pub(super) fn check(s: &Scenario, linter: &mut Linter<'_>) {
    let runs = autoplay(Arc::new(s.clone()), RUNS, 1, Policy::Reference, |_| {});
    if !runs.iter().any(|r| r.resolved) {
        linter.warn(
            &["truth".into(), "path".into()],
            format!(
                "the reference bots never resolve this drill ({RUNS} runs, seeds 1 to {RUNS}): check that truth.path leads to the fix and the fix ends the impact"
            ),
        );
        return;
    }
    let median = |values: Vec<u64>| percentile(&values, 50);
    let mtta = median(runs.iter().filter_map(|r| r.mtta_s).collect());
    let mttr = median(runs.iter().filter_map(|r| r.mttr_s).collect());
    for (field, what, par, took) in [
        ("acknowledge", "MTTA", s.par.acknowledge, mtta),
        ("resolve", "MTTR", s.par.resolve, mttr),
    ] {
        if let Some(took) = took
            && took > FACTOR * par.as_secs()
        {
            linter.warn(
                &["par".into(), field.into()],
                format!(
                    "par {field} {par} is out of reach: the reference bots' median {what} is {} ({RUNS} runs), over {FACTOR}x par",
                    Duration::from_secs(took)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{MINIMAL, edit, warnings};

    #[test]
    fn a_par_far_below_what_the_bots_take_is_out_of_reach() {
        let text = edit(&[(
            "par: (acknowledge: \"5m\", resolve: \"20m\")",
            "par: (acknowledge: \"30s\", resolve: \"2m\")",
        )]);
        let found = warnings(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with(
                "12:24: par acknowledge 30s is out of reach: the reference bots' median MTTA is "
            ),
            "{found:?}"
        );
        assert!(
            found[1].starts_with(
                "12:40: par resolve 2m is out of reach: the reference bots' median MTTR is "
            ),
            "{found:?}"
        );
        assert_eq!(warnings(MINIMAL), Vec::<String>::new());
    }

    #[test]
    fn a_drill_the_bots_never_resolve_is_reported() {
        // The fix needs a flag only an investigation off the reference path sets.
        let text = edit(&[
            (
                "kind: Fix, takes: \"2m\",",
                "kind: Fix, takes: \"2m\", requires: Flag(\"logs_read\"),",
            ),
            (
                "    investigations: [\n",
                "    investigations: [\n        (id: \"api-logs\", label: \"Read API logs\", kind: Logs, takes: \"1m\",\n         reveals: \"Cache misses everywhere.\", effects: [Set(\"logs_read\")]),\n",
            ),
        ]);
        assert_eq!(
            warnings(&text),
            vec!["40:15: the reference bots never resolve this drill (5 runs, seeds 1 to 5): check that truth.path leads to the fix and the fix ends the impact".to_string()]
        );
        let fixed = text.replace(
            "path: [Investigate(\"cache-stats\"),",
            "path: [Investigate(\"cache-stats\"), Investigate(\"api-logs\"),",
        );
        assert_eq!(warnings(&fixed), Vec::<String>::new());
    }
}
