//! What the journal says was true when: the truth's severity and phase, the declared
//! severity, who started which task and when it finished, and whose actions count for
//! the trainee. Every grader asks these questions; they are answered here once.

use std::collections::BTreeMap;

use crate::engine::action::{Action, Actor, Role};
use crate::engine::journal::{Entry, Event};
use crate::scenario::{Condition, Phase, Remediation, RemediationKind, Scenario, Severity};

use super::Times;

/// A task (investigation or remediation) that someone started.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRun {
    pub id: String,
    /// What the scenario calls it ("Undrain cache-2").
    pub label: String,
    pub by: Actor,
    pub started: u64,
    /// When it completed; `None` if the run ended first.
    pub done: Option<u64>,
}

/// Whether a task was idle, running or done at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    NotStarted,
    Running,
    Done,
}

pub struct Facts<'a> {
    pub scenario: &'a Scenario,
    pub journal: &'a [Entry],
    /// The role the trainee played; `None` when bots played every role.
    pub trainee: Option<Role>,
    pub times: Times,
    /// The last sim second of the run, wrap-up included (see `incident_end` for the
    /// end of the incident itself).
    pub end: u64,
    pub investigations: Vec<TaskRun>,
    pub remediations: Vec<TaskRun>,
    true_severity: Vec<(u64, Severity)>,
    declared_severity: Vec<(u64, Severity)>,
    phases: Vec<(u64, Phase)>,
}

impl<'a> Facts<'a> {
    pub fn new(scenario: &'a Scenario, journal: &'a [Entry], trainee: Option<Role>) -> Self {
        let mut facts = Facts {
            scenario,
            journal,
            trainee,
            times: Times::from_journal(scenario, journal),
            end: journal.last().map_or(0, |e| e.at.as_secs()),
            investigations: Vec::new(),
            remediations: Vec::new(),
            true_severity: Vec::new(),
            declared_severity: Vec::new(),
            phases: Vec::new(),
        };
        let mut open: BTreeMap<(bool, String), usize> = BTreeMap::new();
        for entry in journal {
            let t = entry.at.as_secs();
            match &entry.event {
                Event::TrueSeverity(s) => facts.true_severity.push((t, *s)),
                Event::SeverityChanged { to, .. } => facts.declared_severity.push((t, *to)),
                Event::PhaseChanged(p) => facts.phases.push((t, *p)),
                Event::Did { actor, action } => {
                    let (remediation, id) = match action {
                        Action::Investigate(id) => (false, id),
                        Action::Remediate(id) => (true, id),
                        _ => continue,
                    };
                    let label = if remediation {
                        scenario
                            .remediations
                            .iter()
                            .find(|r| &r.id == id)
                            .map(|r| &r.label)
                    } else {
                        scenario
                            .investigations
                            .iter()
                            .find(|i| &i.id == id)
                            .map(|i| &i.label)
                    };
                    let label = label.unwrap_or(id).clone();
                    let list = if remediation {
                        &mut facts.remediations
                    } else {
                        &mut facts.investigations
                    };
                    open.insert((remediation, id.clone()), list.len());
                    list.push(TaskRun {
                        id: id.clone(),
                        label,
                        by: actor.clone(),
                        started: t,
                        done: None,
                    });
                }
                Event::InvestigationDone { id, .. } => {
                    if let Some(i) = open.remove(&(false, id.clone())) {
                        facts.investigations[i].done = Some(t);
                    }
                }
                Event::RemediationDone(id) => {
                    if let Some(i) = open.remove(&(true, id.clone())) {
                        facts.remediations[i].done = Some(t);
                    }
                }
                _ => {}
            }
        }
        facts
    }

    /// Whether this actor's work is graded as the trainee's: the people's in the
    /// graded role's seat (in a team drill, whoever sat in it then; never its bot's
    /// while it held the seat, nor another seat's).
    pub fn is_trainee(&self, actor: &Actor) -> bool {
        match self.trainee {
            None => true,
            Some(role) => *actor == Actor::Trainee(role),
        }
    }

    /// Whether the trainee plays `role` (with bots only, every role is graded).
    pub fn plays(&self, role: Role) -> bool {
        self.trainee.is_none_or(|r| r == role)
    }

    /// The remediations the trainee started, with what the scenario says of them (a
    /// remediation unknown to the scenario is skipped).
    pub fn own_remediations(&self) -> impl Iterator<Item = (&TaskRun, &'a Remediation)> + '_ {
        self.remediations
            .iter()
            .filter(|run| self.is_trainee(&run.by))
            .filter_map(|run| Some((run, self.remediation(&run.id)?)))
    }

    /// The trainee's remediations of one kind.
    pub fn own_remediations_of(
        &self,
        kind: RemediationKind,
    ) -> impl Iterator<Item = (&TaskRun, &'a Remediation)> + '_ {
        self.own_remediations().filter(move |(_, r)| r.kind == kind)
    }

    /// The scenario's remediation with this id.
    pub fn remediation(&self, id: &str) -> Option<&'a Remediation> {
        self.scenario.remediations.iter().find(|r| r.id == id)
    }

    /// "At 14:10 you started "Block the top 20 source ASNs", a harmful step: <lesson>"
    /// for a remediation the trainee started, `what` saying what it was.
    pub fn started_with_lesson(
        &self,
        run: &TaskRun,
        remediation: &Remediation,
        what: &str,
    ) -> String {
        let lesson = if remediation.lesson.is_empty() {
            String::new()
        } else {
            format!(": {}", remediation.lesson)
        };
        format!(
            "At {} you started \"{}\", {what}{lesson}",
            self.clock(run.started),
            remediation.label
        )
    }

    /// Accepted actions of the trainee, with their sim time.
    pub fn trainee_actions(&self) -> impl Iterator<Item = (u64, &'a Action)> + '_ {
        self.journal.iter().filter_map(|e| match &e.event {
            Event::Did { actor, action } if self.is_trainee(actor) => {
                Some((e.at.as_secs(), action))
            }
            _ => None,
        })
    }

    /// The facilitator's hints to the graded seat, with their sim time (none when
    /// bots played every role).
    pub fn hints(&self) -> impl Iterator<Item = (u64, &'a str)> + '_ {
        self.journal.iter().filter_map(|e| match &e.event {
            Event::Did {
                action: Action::Hint { to, text },
                ..
            } if self.trainee == Some(*to) => Some((e.at.as_secs(), text.as_str())),
            _ => None,
        })
    }

    /// The truth's severity at `t` (`None` before the incident begins).
    pub fn true_severity_at(&self, t: u64) -> Option<Severity> {
        at(&self.true_severity, t)
    }

    /// The declared severity at `t` (`None` before the declaration).
    pub fn declared_severity_at(&self, t: u64) -> Option<Severity> {
        at(&self.declared_severity, t)
    }

    /// The moments either severity changed, in order, from `from` on.
    pub fn severity_changes_from(&self, from: u64) -> Vec<u64> {
        let mut moments: Vec<u64> = self
            .true_severity
            .iter()
            .chain(&self.declared_severity)
            .map(|&(t, _)| t.max(from))
            .chain([from])
            .collect();
        moments.sort_unstable();
        moments.dedup();
        moments
    }

    /// The worst true severity of the run.
    pub fn worst_true_severity(&self) -> Option<Severity> {
        self.true_severity.iter().map(|&(_, s)| s).min()
    }

    /// When the truth changed phase, in order.
    pub fn phase_changes(&self) -> &[(u64, Phase)] {
        &self.phases
    }

    /// The truth's phase at `t`.
    pub fn phase_at(&self, t: u64) -> Phase {
        at(&self.phases, t).unwrap_or(Phase::Investigating)
    }

    /// The status of a task at `t`, by id.
    pub fn status_at(&self, tasks: &[TaskRun], id: &str, t: u64) -> TaskStatus {
        let runs = tasks.iter().filter(|r| r.id == id && r.started <= t);
        let mut status = TaskStatus::NotStarted;
        for run in runs {
            status = match run.done {
                Some(done) if done <= t => TaskStatus::Done,
                _ => TaskStatus::Running,
            };
        }
        status
    }

    /// When the incident stopped needing work: resolved, else the end of the run.
    pub fn incident_end(&self) -> u64 {
        self.times.resolved_s.unwrap_or(self.end)
    }

    /// The whole `every`-long intervals from `from` to the end of the incident (at
    /// least one) that have none of `moments` in them: (interval count, start of each
    /// empty interval).
    pub fn empty_intervals(&self, from: u64, every: u64, moments: &[u64]) -> (u64, Vec<u64>) {
        let every = every.max(1);
        let end = self.incident_end().max(from + 1);
        let count = ((end - from) / every).max(1);
        let empty = (0..count)
            .map(|i| from + i * every)
            .filter(|&start| !moments.iter().any(|&t| t >= start && t < start + every))
            .collect();
        (count, empty)
    }

    /// "14:05–14:15, 14:25–14:35" for the first three intervals, "..." for more.
    pub fn interval_list(&self, starts: &[u64], every: u64) -> String {
        let mut listed: Vec<String> = starts
            .iter()
            .take(3)
            .map(|&from| format!("{}–{}", self.clock(from), self.clock(from + every)))
            .collect();
        if starts.len() > 3 {
            listed.push("...".into());
        }
        listed.join(", ")
    }

    /// "14:05", in the scenario's time zone.
    pub fn clock(&self, t: u64) -> String {
        self.scenario.clock(t)
    }

    /// What the journal's crossings of the critical lines say about the impact at
    /// `t`, for findings: "Edge 5xx rate had been above its critical line since
    /// 13:46". Only the metrics the truth's `impact_ends_when` reads count, on the side
    /// of the line where customers suffer; the earliest such crossing is named.
    pub fn impact_evidence(&self, t: u64) -> Option<String> {
        use crate::engine::journal::Threshold;
        let mut impact_metrics = Vec::new();
        healthy_sides(
            &self.scenario.truth.impact_ends_when,
            true,
            &mut impact_metrics,
        );
        // Metric id -> (journaled side is above, since when).
        let mut sides: BTreeMap<&str, (bool, u64)> = BTreeMap::new();
        for entry in self.journal.iter().take_while(|e| e.at.as_secs() <= t) {
            if let Event::MetricCrossed {
                metric,
                line: Threshold::Critical,
                rising,
            } = &entry.event
            {
                sides.insert(metric, (*rising, entry.at.as_secs()));
            }
        }
        let (metric, above, since) = impact_metrics
            .iter()
            .filter_map(|&(metric, healthy_above)| {
                let &(above, since) = sides.get(metric)?;
                (above != healthy_above).then_some((metric, above, since))
            })
            .min_by_key(|&(_, _, since)| since)?;
        let name = self
            .scenario
            .world
            .metrics
            .iter()
            .find(|m| m.id == metric)
            .map_or(metric, |m| m.name.as_str());
        let side = if above { "above" } else { "below" };
        Some(format!(
            "{name} had been {side} its critical line since {}",
            self.clock(since)
        ))
    }
}

/// The metrics a condition reads, each with the side of its line that makes the
/// condition hold (`true`: above), flipped under `Not`.
fn healthy_sides<'c>(condition: &'c Condition, holds: bool, out: &mut Vec<(&'c str, bool)>) {
    match condition {
        Condition::Above { metric, .. } => out.push((metric, holds)),
        Condition::Below { metric, .. } => out.push((metric, !holds)),
        Condition::All(list) | Condition::Any(list) => {
            list.iter().for_each(|c| healthy_sides(c, holds, out));
        }
        Condition::Not(inner) => healthy_sides(inner, !holds, out),
        _ => {}
    }
}

fn at<T: Copy>(changes: &[(u64, T)], t: u64) -> Option<T> {
    changes
        .iter()
        .take_while(|(when, _)| *when <= t)
        .last()
        .map(|&(_, value)| value)
}
