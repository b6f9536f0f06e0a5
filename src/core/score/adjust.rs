//! The rules applied to the total after the weighted mean of the categories, because
//! some outcomes must show in the total whatever else went well:
//!
//! - every harmful step the trainee started takes [`HARMFUL_STEP_COST`] points off the
//!   total, each its own adjustment naming the step with the scenario's lesson;
//! - every hint the facilitator gave the graded seat takes [`HINT_COST`] points off
//!   its total, each its own adjustment quoting the hint;
//! - a run that ended with the incident not resolved (the time limit passed, or the
//!   drill was ended early and played out without the trainee) totals at most
//!   [`UNRESOLVED_CAP`].
//!
//! Each rule that applies is an [`Adjustment`] saying what it took off and why; the
//! total is the mean less what they took, never below 0.

use serde::Serialize;

use super::Facts;
use crate::scenario::RemediationKind;

/// The most a run that did not resolve its incident can total: below the debrief's red
/// line (50), and well below the resolved runs of the bots, good or careless
/// (`docs/scoring.md` has the figures).
pub const UNRESOLVED_CAP: u32 = 40;

/// What each harmful step the trainee started costs the total: enough that one harmful
/// step in an otherwise spotless run (99) totals below the clean runs of the bots.
pub const HARMFUL_STEP_COST: u32 = 15;

/// What each facilitator's hint to a seat costs that seat's total: the facilitator
/// did part of the seat's thinking. A third of a harmful step, so a hint that saves
/// a harmful step is still worth asking for.
pub const HINT_COST: u32 = 5;

/// Why an adjustment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    /// The trainee started a remediation the scenario marks `Harmful`.
    HarmfulStep,
    /// The facilitator gave the seat a hint.
    Hint,
    /// The run ended with the incident not resolved.
    Unresolved,
}

/// Points taken off the total, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Adjustment {
    pub kind: AdjustmentKind,
    pub at_s: u64,
    /// Points the total lost to it: 0 when the total was already at the cap (or at 0).
    pub lost: u32,
    /// In a team drill, the person in the seat then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    pub text: String,
}

/// The adjustments to a weighted mean of `mean`, in the order they apply.
pub fn adjust(facts: &Facts, mean: u32) -> Vec<Adjustment> {
    let mut total = mean;
    let mut adjustments = Vec::new();
    for (run, remediation) in facts.own_remediations_of(RemediationKind::Harmful) {
        let lost = HARMFUL_STEP_COST.min(total);
        total -= lost;
        adjustments.push(Adjustment {
            kind: AdjustmentKind::HarmfulStep,
            at_s: run.started,
            lost,
            who: None,
            text: format!(
                "{} Every harmful step costs the total {HARMFUL_STEP_COST} points.",
                facts.started_with_lesson(run, remediation, "a harmful step")
            ),
        });
    }
    for (at_s, hint) in facts.hints() {
        let lost = HINT_COST.min(total);
        total -= lost;
        adjustments.push(Adjustment {
            kind: AdjustmentKind::Hint,
            at_s,
            lost,
            who: None,
            text: format!(
                "At {} the facilitator gave this seat a hint: \"{hint}\". Every hint costs the total {HINT_COST} points.",
                facts.clock(at_s)
            ),
        });
    }
    if facts.times.resolved_s.is_none() {
        let lost = total.saturating_sub(UNRESOLVED_CAP);
        let state = facts.times.mitigated_s.map_or_else(
            || "customers were still affected".to_string(),
            |m| {
                format!(
                    "customer impact had ended at {}, but nobody declared the incident resolved",
                    facts.clock(m)
                )
            },
        );
        let effect = if lost > 0 {
            format!("it would have totalled {total}, so the cap took {lost} points off")
        } else {
            format!("it totalled {total}, under the cap already")
        };
        adjustments.push(Adjustment {
            kind: AdjustmentKind::Unresolved,
            at_s: facts.end,
            lost,
            who: None,
            text: format!(
                "The run ended at {} with the incident not resolved: {state}. A run that does not resolve its incident totals at most {UNRESOLVED_CAP}, however well the rest went; {effect}.",
                facts.clock(facts.end)
            ),
        });
    }
    adjustments
}
