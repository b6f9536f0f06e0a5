//! Scores: a pure function of (scenario, journal, trainee role), recomputable for any
//! recorded run. Definitions and weights are in `docs/scoring.md`.
//!
//! Every point is explained. Each category's findings carry the points they earned
//! out of the points at stake; the stakes of a category add up to 100 and its score is
//! the sum of what was earned. A CAN report's own findings add up to its grade the
//! same way. The total is the weighted mean of the categories graded for the role,
//! less what the [`adjust`] rules take off it (harmful steps, the cap on a run that was
//! not resolved), each an [`Adjustment`] that says why.

mod adjust;
mod blame;
mod cadence;
mod can;
#[cfg(test)]
mod can_table;
mod claims;
mod comms;
mod decisions;
mod discipline;
mod facts;
mod figures;
mod levels;
#[cfg(test)]
mod outage_tests;
mod speed;
#[cfg(test)]
mod stakes_tests;
mod statements;
#[cfg(test)]
mod tests;
pub mod times;
pub mod words;

use serde::{Serialize, Serializer};

use crate::engine::action::{Actor, Role};
use crate::engine::journal::{Entry, holder_at, seat_holders};
use crate::scenario::Scenario;
pub use adjust::{Adjustment, AdjustmentKind};
pub use blame::BlameCheck;
pub use facts::Facts;
pub use times::{Measure, Times};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// MTTA and MTTR against the scenario's par.
    Time,
    /// CAN reports: their content and their cadence.
    Can,
    /// Status updates and wording: cadence, audiences, state, blamelessness.
    Comms,
    /// Severity, red herrings, evidence, resolving on time.
    Decisions,
    /// The Incident Commander delegating instead of going heads-down.
    Discipline,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Time,
        Category::Can,
        Category::Comms,
        Category::Decisions,
        Category::Discipline,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Category::Time => "Time",
            Category::Can => "CAN reports",
            Category::Comms => "Communications",
            Category::Decisions => "Decisions",
            Category::Discipline => "Role discipline",
        }
    }

    /// The category's weight in the total for a trainee in `role` (bots only: the
    /// commander's weights); 0 when the role is not graded on it.
    pub fn weight(self, role: Option<Role>) -> u32 {
        let [time, can, comms, decisions, discipline] = match role {
            None | Some(Role::Commander) => [25, 25, 15, 20, 15],
            Some(Role::Comms) => [20, 20, 60, 0, 0],
            Some(Role::Tech) => [25, 20, 5, 50, 0],
        };
        match self {
            Category::Time => time,
            Category::Can => can,
            Category::Comms => comms,
            Category::Decisions => decisions,
            Category::Discipline => discipline,
        }
    }
}

/// One point-bearing observation: what happened, when, and what it earned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub category: Category,
    pub at_s: u64,
    /// Points earned.
    pub points: u32,
    /// Points at stake; `max - points` were lost.
    pub max: u32,
    pub text: String,
    /// In a team drill, the person in the graded seat at `at_s` (none while its bot
    /// played it, and in a one-trainee run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// It sums up other findings (a CAN report's own); lists of lessons skip it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub summary: bool,
}

impl Finding {
    pub fn lost(&self) -> u32 {
        self.max - self.points
    }
}

/// Category scores, 0–100. `None`: not graded for this role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub time: u32,
    pub can: u32,
    pub comms: u32,
    pub decisions: Option<u32>,
    pub discipline: Option<u32>,
    pub total: u32,
}

impl Scores {
    pub fn get(&self, category: Category) -> Option<u32> {
        match category {
            Category::Time => Some(self.time),
            Category::Can => Some(self.can),
            Category::Comms => Some(self.comms),
            Category::Decisions => self.decisions,
            Category::Discipline => self.discipline,
        }
    }
}

/// The grade of one CAN report: its findings add up to its score out of 100.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CanGrade {
    pub at_s: u64,
    /// Who wrote it; written by name ("Technical Lead (you)").
    #[serde(serialize_with = "by_name")]
    pub by: Actor,
    pub score: u32,
    pub findings: Vec<Finding>,
}

fn by_name<S: Serializer>(actor: &Actor, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(actor)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub times: Times,
    pub scores: Scores,
    /// What was taken off the weighted mean of the categories to give the total, in
    /// the order the rules apply: `scores.total` is the mean less their `lost`.
    pub adjustments: Vec<Adjustment>,
    pub can_reports: Vec<CanGrade>,
    /// Category findings in category order; CAN reports' own findings are in
    /// `can_reports`.
    pub findings: Vec<Finding>,
}

impl Scorecard {
    /// The findings of one category.
    pub fn category(&self, category: Category) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.category == category)
    }

    /// The weighted mean of the categories: the total before the adjustments.
    pub fn mean(&self) -> u32 {
        self.scores.total + self.adjustments.iter().map(|a| a.lost).sum::<u32>()
    }
}

/// Scores a run for the trainee playing `trainee` (`None`: bots only, all graded).
pub fn score(scenario: &Scenario, journal: &[Entry], trainee: Option<Role>) -> Scorecard {
    let facts = Facts::new(scenario, journal, trainee);
    let blame = BlameCheck::new(scenario);
    let (can_reports, can) = can::grade(&facts, &blame);
    let mut findings = speed::grade(&facts);
    findings.extend(can);
    findings.extend(comms::grade(&facts, &blame));
    findings.extend(decisions::grade(&facts));
    findings.extend(discipline::grade(&facts));
    let sum = |category: Category| -> Option<u32> {
        let mut graded = findings
            .iter()
            .filter(|f| f.category == category)
            .peekable();
        graded.peek()?;
        Some(graded.map(|f| f.points).sum())
    };
    let mut weighted = 0;
    let mut weights = 0;
    for category in Category::ALL {
        let weight = category.weight(trainee);
        if let (Some(score), true) = (sum(category), weight > 0) {
            weighted += score * weight;
            weights += weight;
        }
    }
    let mean = (weighted + weights / 2) / weights.max(1);
    let mut adjustments = adjust::adjust(&facts, mean);
    let scores = Scores {
        time: sum(Category::Time).unwrap_or(0),
        can: sum(Category::Can).unwrap_or(0),
        comms: sum(Category::Comms).unwrap_or(0),
        decisions: sum(Category::Decisions),
        discipline: sum(Category::Discipline),
        total: mean - adjustments.iter().map(|a| a.lost).sum::<u32>(),
    };
    let mut card = Scorecard {
        times: facts.times,
        scores,
        adjustments: Vec::new(),
        can_reports,
        findings,
    };
    if let Some(role) = trainee {
        let holders = seat_holders(journal, role);
        let who = |t: u64| holder_at(&holders, t).map(str::to_string);
        let findings = card
            .findings
            .iter_mut()
            .chain(card.can_reports.iter_mut().flat_map(|g| &mut g.findings));
        for f in findings {
            f.who = who(f.at_s);
        }
        for a in &mut adjustments {
            a.who = who(a.at_s);
        }
    }
    card.adjustments = adjustments;
    card
}

/// Collects the findings of one category (or one CAN report), keeping the stakes
/// honest: whatever is awarded or deducted is a finding.
pub(crate) struct Tally {
    category: Category,
    findings: Vec<Finding>,
}

impl Tally {
    pub fn new(category: Category) -> Tally {
        Tally {
            category,
            findings: Vec::new(),
        }
    }

    /// `points` of `max` earned, for the reason given.
    pub fn award(&mut self, at_s: u64, points: u32, max: u32, text: impl Into<String>) {
        self.findings.push(Finding {
            category: self.category,
            at_s,
            points: points.min(max),
            max,
            text: text.into(),
            who: None,
            summary: false,
        });
    }

    /// Like [`Tally::share`], for a finding that sums up findings listed elsewhere.
    pub fn summary(&mut self, at_s: u64, max: u32, done: u32, of: u32, text: impl Into<String>) {
        self.share(at_s, max, done, of, text);
        if let Some(last) = self.findings.last_mut() {
            last.summary = true;
        }
    }

    /// All `max` points, or none.
    pub fn check(&mut self, at_s: u64, ok: bool, max: u32, good: String, bad: String) {
        if ok {
            self.award(at_s, max, max, good);
        } else {
            self.award(at_s, 0, max, bad);
        }
    }

    /// A share of `max`, rounded to the nearest point.
    pub fn share(&mut self, at_s: u64, max: u32, done: u32, of: u32, text: impl Into<String>) {
        let points = (max * done.min(of) + of / 2).checked_div(of).unwrap_or(max);
        self.award(at_s, points, max, text);
    }

    /// `max` points, less `each` for every fault (never below zero): one finding per
    /// fault, the first also carrying the points that were kept; `clean` when there
    /// was no fault.
    pub fn deduct(
        &mut self,
        max: u32,
        each: u32,
        faults: Vec<(u64, String)>,
        clean: (u64, String),
    ) {
        if faults.is_empty() {
            self.award(clean.0, max, max, clean.1);
            return;
        }
        let losses: Vec<u32> = faults
            .iter()
            .scan(max, |left, _| {
                let lost = each.min(*left);
                *left -= lost;
                Some(lost)
            })
            .collect();
        let kept = max - losses.iter().sum::<u32>();
        for (i, ((at_s, text), lost)) in faults.into_iter().zip(losses).enumerate() {
            let kept = if i == 0 { kept } else { 0 };
            self.award(at_s, kept, kept + lost, text);
        }
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
