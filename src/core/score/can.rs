//! The CAN category: every CAN report the trainee wrote, graded against the truth at
//! the moment it was written, and the cadence of those reports.
//!
//! A report is graded out of 100: conditions 50 (type, state, severity, summary, blast
//! radius, 10 each), actions 30 (owners, the work the phase calls for, claims that
//! match the journal, 10 each), needs 20. The category is 70 for the reports' mean
//! grade and 30 for cadence: the Incident Commander's on the scenario's interval from
//! the declaration, the other roles' in answering the IC's requests.

use super::cadence::Cadence;
use super::words::{Words, stem, tokens};
use super::{BlameCheck, CanGrade, Category, Facts, Finding, Tally};
use crate::engine::action::{Action, Actor, CanAction, CanReport, Role};
use crate::engine::journal::Event;
use crate::scenario::{Duration, IncidentState, Phase, RemediationKind};

use super::facts::{TaskRun, TaskStatus};

const QUALITY: u32 = 70;
const CADENCE: u32 = 30;
/// A report may be graded against the truth this long before it was written.
const TRUTH_GRACE: u64 = 2 * 60;
/// A requested CAN report answered within this earns full cadence points.
const ANSWER_WITHIN: u64 = 5 * 60;

pub fn grade(facts: &Facts, blame: &BlameCheck) -> (Vec<CanGrade>, Vec<Finding>) {
    let reports: Vec<CanGrade> = facts
        .journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::Did {
                actor,
                action: Action::Can(report),
            } if facts.is_trainee(actor) => {
                Some(graded_fairly(facts, blame, e.at.as_secs(), actor, report))
            }
            _ => None,
        })
        .collect();
    let mut tally = Tally::new(Category::Can);
    let at = facts.times.declared_s.unwrap_or(facts.end);
    if reports.is_empty() {
        tally.award(
            at,
            0,
            QUALITY,
            "You wrote no CAN report, so the team had no shared picture of Conditions, Actions and Needs. Write one soon after declaring and keep it current.",
        );
    } else {
        let mean = reports.iter().map(|g| g.score).sum::<u32>() / reports.len() as u32;
        tally.summary(
            at,
            QUALITY,
            mean,
            100,
            format!(
                "Your {} CAN report(s) averaged {mean}/100; each report's findings say where the points went.",
                reports.len()
            ),
        );
    }
    match facts.trainee {
        None | Some(Role::Commander) => commander_cadence(facts, &reports, &mut tally),
        Some(role) => answers_cadence(facts, role, &reports, &mut tally),
    }
    (reports, tally.into_findings())
}

fn commander_cadence(facts: &Facts, reports: &[CanGrade], tally: &mut Tally) {
    let Some(declared) = facts.times.declared_s else {
        tally.award(
            facts.end,
            0,
            CADENCE,
            "The incident was never declared, so no CAN cadence was kept. Declare, then report on a regular interval.",
        );
        return;
    };
    let moments: Vec<u64> = reports.iter().map(|g| g.at_s).collect();
    Cadence {
        what: "CAN report",
        every: facts.scenario.par.can_every.as_secs(),
        first_points: 10,
        interval_points: 20,
        late_advice: "Write it soon after declaring: until then the responders work from guesses.",
        gap_advice: "Set a timer: a stale report is how a war room loses its shared picture.",
    }
    .grade(facts, declared, &moments, tally);
}

fn answers_cadence(facts: &Facts, role: Role, reports: &[CanGrade], tally: &mut Tally) {
    let requests: Vec<u64> = facts
        .journal
        .iter()
        .filter(
            |e| matches!(&e.event, Event::Did { action: Action::RequestCan(r), .. } if *r == role),
        )
        .map(|e| e.at.as_secs())
        .collect();
    if requests.is_empty() {
        tally.award(
            facts.end,
            CADENCE,
            CADENCE,
            "The IC asked you for no CAN report, so there was no request to answer.",
        );
        return;
    }
    let mut halves = 0;
    let mut late = Vec::new();
    for (i, &asked) in requests.iter().enumerate() {
        let next = requests.get(i + 1).copied().unwrap_or(u64::MAX);
        let answer = reports
            .iter()
            .map(|g| g.at_s)
            .find(|&t| t >= asked && t < next);
        match answer {
            Some(t) if t - asked <= ANSWER_WITHIN => halves += 2,
            Some(_) => {
                halves += 1;
                late.push(format!("{} (late)", facts.clock(asked)));
            }
            None => late.push(format!("{} (unanswered)", facts.clock(asked))),
        }
    }
    let n = requests.len() as u32;
    let text = if late.is_empty() {
        format!(
            "You answered all {n} of the IC's CAN requests within {}.",
            Duration::from_secs(ANSWER_WITHIN)
        )
    } else {
        let more = late.len().saturating_sub(4);
        late.truncate(4);
        if more > 0 {
            late.push(format!("{more} more"));
        }
        format!(
            "Of the IC's {n} CAN requests, these were not answered within {}: {}. The IC's picture is only as fresh as your side of it.",
            Duration::from_secs(ANSWER_WITHIN),
            late.join(", ")
        )
    };
    tally.share(requests[0], CADENCE, halves, 2 * n, text);
}

/// A report is graded against the truth when it was written, or a little earlier if
/// that is kinder: the writer may not have heard of a change seconds old.
fn graded_fairly(
    facts: &Facts,
    blame: &BlameCheck,
    at: u64,
    actor: &Actor,
    report: &CanReport,
) -> CanGrade {
    let now = grade_report(facts, blame, at, at, actor, report);
    let before = at.saturating_sub(TRUTH_GRACE);
    if facts.phase_at(before) == facts.phase_at(at)
        && facts.true_severity_at(before) == facts.true_severity_at(at)
    {
        return now;
    }
    let earlier = grade_report(facts, blame, at, before, actor, report);
    if earlier.score > now.score {
        earlier
    } else {
        now
    }
}

/// Grades a report written at `at` against the truth at `truth_at`.
fn grade_report(
    facts: &Facts,
    blame: &BlameCheck,
    at: u64,
    truth_at: u64,
    actor: &Actor,
    report: &CanReport,
) -> CanGrade {
    let mut tally = Tally::new(Category::Can);
    let when = format!("Your {} CAN report", facts.clock(at));
    let truth = &facts.scenario.truth;
    let phase = facts.phase_at(truth_at);
    let expected = truth.can.iter().find(|e| e.phase == phase);
    let c = &report.conditions;

    tally.check(
        at,
        Words::new(&c.kind).mentions_any(&truth.kind),
        10,
        format!("{when} named the incident type (\"{}\").", c.kind),
        if c.kind.trim().is_empty() {
            format!("{when} gave no incident type: this is a {}.", truth.kind[0])
        } else {
            format!(
                "{when} called it \"{}\": this is a {}.",
                c.kind, truth.kind[0]
            )
        },
    );

    let state_ok = c.state.is_some_and(|s| state_fits(s, phase));
    tally.check(
        at,
        state_ok,
        10,
        format!("{when} had the state right ({}).", phase.label()),
        format!(
            "{when} said {}; by then the incident was {}.",
            c.state.map_or("no state", IncidentState::label),
            phase_words(phase)
        ),
    );

    let true_severity = facts.true_severity_at(truth_at);
    let why = facts
        .impact_evidence(truth_at)
        .map_or_else(String::new, |e| format!("by then {e}: "));
    tally.check(
        at,
        c.severity.is_some() && c.severity == true_severity,
        10,
        format!("{when} had the severity right."),
        format!(
            "{when} said {}; {why}it was {}.",
            c.severity.map_or("no severity", |s| s.name()),
            true_severity.map_or("not an incident yet", |s| s.name())
        ),
    );

    let summary_terms = expected.map(|e| e.summary.as_slice()).unwrap_or_default();
    let summary = Words::new(&c.summary);
    let missing: Vec<&Vec<String>> = summary_terms
        .iter()
        .filter(|t| !summary.mentions_any(t))
        .collect();
    if summary_terms.is_empty() {
        // The scenario expects nothing in particular for this phase: any summary will do.
        tally.check(
            at,
            !c.summary.trim().is_empty(),
            10,
            format!("{when} had a summary."),
            format!("{when} had no summary: say which service is hurting and how."),
        );
    } else {
        tally.share(
            at,
            10,
            (summary_terms.len() - missing.len()) as u32,
            summary_terms.len() as u32,
            if missing.is_empty() {
                format!("{when}'s summary named the affected service and the symptom.")
            } else {
                format!(
                    "{when}'s summary did not mention {}: say which service is hurting and how.",
                    quoted(missing)
                )
            },
        );
    }

    tally.check(
        at,
        truth
            .blast_radius
            .iter()
            .any(|t| Words::new(&c.blast_radius).mentions_any(t)),
        10,
        format!("{when} said who is affected."),
        format!(
            "{when}'s blast radius did not say who is affected, for example \"{}\".",
            truth.blast_radius[0][0]
        ),
    );

    grade_actions(
        facts,
        at,
        &when,
        report,
        expected.map(|e| e.actions.as_slice()),
        &mut tally,
    );
    grade_needs(
        &when,
        at,
        report,
        expected.map(|e| e.needs.as_slice()),
        &mut tally,
    );

    let mut findings = tally.into_findings();
    if let Some(sentence) = [&c.summary, &c.blast_radius]
        .into_iter()
        .chain(report.actions.iter().map(|a| &a.what))
        .find_map(|text| blame.blameful_sentence(text))
    {
        // Blame is graded once, in communications; here it is pointed out.
        findings.push(Finding {
            category: Category::Can,
            at_s: at,
            points: 0,
            max: 0,
            text: format!("{when} blamed a person (\"{sentence}\"): see communications."),
            summary: false,
        });
    }
    CanGrade {
        at_s: at,
        by: actor.clone(),
        score: findings.iter().map(|f| f.points).sum(),
        findings,
    }
}

fn grade_actions(
    facts: &Facts,
    at: u64,
    when: &str,
    report: &CanReport,
    expected: Option<&[Vec<String>]>,
    tally: &mut Tally,
) {
    let actions = &report.actions;
    let owned = actions.iter().filter(|a| has_owner(a)).count() as u32;
    tally.share(
        at,
        10,
        owned,
        (actions.len() as u32).max(1),
        if actions.is_empty() {
            format!("{when} listed no actions: say what is being done, and who is doing it.")
        } else if owned as usize == actions.len() {
            format!("{when} gave every action an owner.")
        } else {
            format!(
                "{when} left {} of {} actions without an owner: an action nobody owns is an action nobody does.",
                actions.len() - owned as usize,
                actions.len()
            )
        },
    );

    let text = Words::new(
        &actions
            .iter()
            .map(|a| a.what.as_str())
            .collect::<Vec<_>>()
            .join(". "),
    );
    let terms = expected.unwrap_or_default();
    // The phase's expected work, or real work under way or done, or watching the
    // result once a fix or mitigation has landed.
    let real_work = actions.iter().any(|a| {
        referenced_task(facts, at, &Words::new(&a.what))
            .is_some_and(|(_, status)| status != TaskStatus::NotStarted)
    });
    let landed = facts.remediations.iter().any(|run| {
        run.done.is_some_and(|done| done <= at)
            && facts.scenario.remediations.iter().any(|r| {
                r.id == run.id
                    && matches!(r.kind, RemediationKind::Fix | RemediationKind::Mitigation)
            })
    });
    let watching = landed && ["monitor", "watch"].iter().any(|w| text.mentions(w));
    let covered = (terms.is_empty() && !actions.is_empty())
        || terms.iter().any(|t| text.mentions_any(t))
        || real_work
        || watching;
    tally.check(
        at,
        covered,
        10,
        format!("{when} said what is being done about it."),
        if terms.is_empty() {
            format!("{when} said nothing about what is being done.")
        } else {
            format!(
                "{when}'s actions mentioned none of the work this phase calls for ({}).",
                quoted(terms)
            )
        },
    );

    let false_claims: Vec<(u64, String)> = actions
        .iter()
        .filter_map(|a| false_claim(facts, at, a))
        .map(|text| (at, format!("{when} {text}")))
        .collect();
    if actions.is_empty() {
        tally.award(
            at,
            0,
            10,
            format!("{when} made no claim about the work to check against what was happening."),
        );
        return;
    }
    tally.deduct(
        10,
        10,
        false_claims,
        (
            at,
            format!("{when}'s actions matched what was really happening."),
        ),
    );
}

/// What is wrong with an action's claim about the work, if anything: it says a task
/// is running or done that never started, or done while it is still running.
fn false_claim(facts: &Facts, at: u64, action: &CanAction) -> Option<String> {
    let words = Words::new(&action.what);
    let raw = tokens(&action.what);
    if says(&raw, DECLINED) {
        return None;
    }
    let claims_done = says(&raw, DONE) && !says(&raw, IN_PROGRESS);
    // "Done, then watching" still claims it is done; "next: undrain" claims nothing.
    if !claims_done && PLANNED.iter().any(|w| words.mentions(w)) {
        return None;
    }
    let (label, status) = referenced_task(facts, at, &words)?;
    match status {
        TaskStatus::NotStarted => Some(format!(
            "claimed \"{}\", but \"{label}\" had not been started. Report what is happening, and mark plans as plans (\"next:\").",
            action.what
        )),
        TaskStatus::Running if claims_done => Some(format!(
            "claimed \"{}\" was done, but \"{label}\" was still running.",
            action.what
        )),
        _ => None,
    }
}

/// Whether the words (as written) contain any of the phrases.
fn says(raw: &[String], phrases: &[&str]) -> bool {
    phrases.iter().any(|phrase| {
        let wanted: Vec<&str> = phrase.split(' ').collect();
        raw.windows(wanted.len())
            .any(|w| w.iter().zip(&wanted).all(|(a, b)| a == b))
    })
}

/// Words (as written) that say a step was ruled out, not taken.
const DECLINED: &[&str] = &[
    "against",
    "not",
    "no",
    "won",
    "don",
    "avoid",
    "avoiding",
    "hold off",
    "without",
    "instead of",
    "rejected",
    "ruled out",
];
/// Words that mark an action as a plan rather than a claim.
const PLANNED: &[&str] = &[
    "will", "plan", "next", "then", "going to", "about to", "once", "after", "if", "consider",
    "proposed", "pending", "todo", "to do", "prepare", "queued", "waiting",
];
/// Words (as written) that say an action is under way, not finished.
const IN_PROGRESS: &[&str] = &[
    "being",
    "in progress",
    "underway",
    "under way",
    "running",
    "ongoing",
    "eta",
    "started",
];
/// Words (as written) that claim an action is finished.
const DONE: &[&str] = &[
    "done",
    "completed",
    "complete",
    "finished",
    "applied",
    "restored",
    "reverted",
    "rolled back",
];

/// The investigation or remediation an action's words refer to, with its status at
/// `at`: the task whose label (or id) shares the most content words with the action,
/// at least half of them and at least two (or the only one of a one-word label).
fn referenced_task<'f>(facts: &'f Facts, at: u64, words: &Words) -> Option<(&'f str, TaskStatus)> {
    let scenario = facts.scenario;
    let candidates = scenario
        .remediations
        .iter()
        .map(|r| (&r.id, &r.label, &facts.remediations))
        .chain(
            scenario
                .investigations
                .iter()
                .map(|i| (&i.id, &i.label, &facts.investigations)),
        );
    let mut best: Option<(usize, &str, &str, &Vec<TaskRun>)> = None;
    let mut tied = false;
    for (id, label, runs) in candidates {
        let mut content: Vec<String> = Words::new(label)
            .stems()
            .iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        content.sort();
        content.dedup();
        let hits = content.iter().filter(|w| words.stems().contains(w)).count();
        let enough = hits > 0 && hits >= 2.min(content.len()) && 2 * hits >= content.len();
        let named = words.mentions(id);
        let strength = if named { usize::MAX } else { hits };
        if !(enough || named) {
            continue;
        }
        match best {
            Some((s, ..)) if s > strength => {}
            Some((s, ..)) if s == strength => tied = true,
            _ => {
                best = Some((strength, id, label, runs));
                tied = false;
            }
        }
    }
    let (_, id, label, runs) = best.filter(|_| !tied)?;
    Some((label, facts.status_at(runs, id, at)))
}

const STOP_WORDS: &[&str] = &[
    "the", "a", "an", "of", "on", "in", "to", "and", "or", "for", "from", "with", "via", "by",
    "at", "all", "every", "its", "it", "this", "that", "our", "one", "run", "check",
];

/// The first synonym of each term, quoted: "\"stratus\", \"autoscaler\"".
fn quoted<'t>(terms: impl IntoIterator<Item = &'t Vec<String>>) -> String {
    terms
        .into_iter()
        .map(|t| format!("\"{}\"", t[0]))
        .collect::<Vec<_>>()
        .join(", ")
}

fn has_owner(action: &CanAction) -> bool {
    let who = action.who.trim().to_lowercase();
    !matches!(
        who.as_str(),
        "" | "?" | "tbd" | "someone" | "somebody" | "unknown" | "anyone" | "nobody" | "n/a"
    )
}

fn grade_needs(
    when: &str,
    at: u64,
    report: &CanReport,
    expected: Option<&[Vec<String>]>,
    tally: &mut Tally,
) {
    let text = Words::new(&report.needs.join(". "));
    // A blank field says nothing; "none" is a statement.
    let says_none = ["none", "nothing", "no"]
        .iter()
        .any(|w| text.stems().first() == Some(&stem(w)));
    let Some(terms) = expected else {
        // No expectation for this phase: any explicit answer will do.
        tally.check(
            at,
            !report.needs.iter().all(|n| n.trim().is_empty()),
            20,
            format!("{when} said what the response needed."),
            format!("{when} left needs blank: say what is needed, or \"none\"."),
        );
        return;
    };
    if terms.is_empty() {
        tally.check(
            at,
            says_none,
            20,
            format!("{when} correctly needed nothing more."),
            if report.needs.is_empty() {
                format!("{when} left needs blank: say \"none\" when nothing more is needed, so nobody wonders.")
            } else {
                format!(
                    "{when} asked for {}, but nothing more was needed then: say \"none\" so nobody chases help the incident does not need.",
                    report.needs.join(", ")
                )
            },
        );
        return;
    }
    let missing: Vec<&Vec<String>> = terms.iter().filter(|t| !text.mentions_any(t)).collect();
    tally.share(
        at,
        20,
        (terms.len() - missing.len()) as u32,
        terms.len() as u32,
        if missing.is_empty() {
            format!("{when} named what the response needed.")
        } else if says_none {
            format!(
                "{when} said nothing was needed, but the response needed {}.",
                quoted(missing)
            )
        } else {
            format!(
                "{when}'s needs missed {}: ask for the help the incident needs, by name.",
                quoted(missing)
            )
        },
    );
}

/// Whether a reported state is right for the truth's phase.
fn state_fits(state: IncidentState, phase: Phase) -> bool {
    match phase {
        Phase::Investigating => matches!(
            state,
            IncidentState::Acknowledged | IncidentState::Investigating
        ),
        Phase::Identified => state == IncidentState::Identified,
        Phase::Mitigated => matches!(
            state,
            IncidentState::Mitigated | IncidentState::Monitoring | IncidentState::Resolved
        ),
    }
}

fn phase_words(phase: Phase) -> &'static str {
    match phase {
        Phase::Investigating => "still Investigating: the cause was not known yet",
        Phase::Identified => "Identified: the cause was known",
        Phase::Mitigated => "Mitigated: customer impact had ended",
    }
}
