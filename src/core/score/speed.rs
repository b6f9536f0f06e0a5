//! The time category: MTTA and MTTR against the scenario's par, 50 points each. At
//! or under par earns everything; the points fall linearly to none at three times par;
//! a milestone never reached earns none.

use super::{Category, Facts, Finding, Tally};
use crate::scenario::Duration;

const EACH: u32 = 50;

pub fn grade(facts: &Facts) -> Vec<Finding> {
    let mut tally = Tally::new(Category::Time);
    let times = &facts.times;
    let par = &facts.scenario.par;
    let start = facts.clock(times.start_s);
    let mtta_text = |actual: u64| match times.detected_s {
        Some(detected) => format!(
            "MTTA {}: customers were affected from {start}, the first page came at {} and it was acknowledged at {}",
            Duration::from_secs(actual),
            facts.clock(detected),
            facts.clock(times.start_s + actual)
        ),
        None => format!(
            "MTTA {}: customers were affected from {start} and it was acknowledged at {}",
            Duration::from_secs(actual),
            facts.clock(times.start_s + actual)
        ),
    };
    against_par(
        &mut tally,
        times.mtta_s,
        par.acknowledge.as_secs(),
        times.acknowledged_s.unwrap_or(facts.end),
        mtta_text,
        || {
            format!(
                "Nobody acknowledged the incident: customers were affected from {start} to the end of the drill. Acknowledge the first page within {} so someone owns it.",
                par.acknowledge
            )
        },
    );
    let acked = times.acknowledged_s.unwrap_or(times.start_s);
    against_par(
        &mut tally,
        times.mttr_s,
        par.resolve.as_secs(),
        times.resolved_s.unwrap_or(facts.end),
        |actual| {
            format!(
                "MTTR {}: acknowledged at {}, resolved at {}",
                Duration::from_secs(actual),
                facts.clock(acked),
                facts.clock(acked + actual)
            )
        },
        || {
            match times.mitigated_s {
            Some(mitigated) => format!(
                "The incident was never declared resolved, although impact ended at {}. Once the metrics hold for a few minutes, the IC declares it over.",
                facts.clock(mitigated)
            ),
            None => "The incident was never resolved: customers were still affected when the drill ended.".into(),
        }
        },
    );
    tally.into_findings()
}

fn against_par(
    tally: &mut Tally,
    actual: Option<u64>,
    par: u64,
    at: u64,
    reached: impl Fn(u64) -> String,
    missed: impl Fn() -> String,
) {
    let Some(actual) = actual else {
        tally.award(at, 0, EACH, missed());
        return;
    };
    let par = par.max(1);
    let par_text = Duration::from_secs(par);
    if actual <= par {
        tally.award(
            at,
            EACH,
            EACH,
            format!("{}, within the par of {par_text}.", reached(actual)),
        );
        return;
    }
    let over = actual - par;
    // Linear from full points at par to none at three times par.
    let points = (u64::from(EACH) * (2 * par).saturating_sub(over) / (2 * par)) as u32;
    tally.award(
        at,
        points,
        EACH,
        format!(
            "{}: {} over the par of {par_text}.",
            reached(actual),
            Duration::from_secs(over)
        ),
    );
}
