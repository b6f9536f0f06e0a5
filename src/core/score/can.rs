//! The CAN category: every CAN report the trainee wrote, graded against the truth at
//! the moment it was written, and the cadence of those reports.
//!
//! A report is graded out of 100: conditions 50 (type, state, severity, summary, blast
//! radius, 10 each), actions 30 (owners, the work the phase calls for, claims that
//! match the journal, 10 each), needs 20. The category is 70 for the reports' mean
//! grade and 30 for cadence: the Incident Commander's on the scenario's interval from
//! the declaration, the other roles' in answering the IC's requests.

use super::cadence::Cadence;
use super::claims::{Claim, Task, Tasks};
use super::facts::TaskStatus;
use super::words::{Words, stem, tokens};
use super::{BlameCheck, CanGrade, Category, Facts, Finding, Tally};
use crate::engine::action::{Action, Actor, CanAction, CanReport, Role};
use crate::engine::journal::Event;
use crate::scenario::{CanExpectation, Condition, Duration, IncidentState, Phase, RemediationKind};

const QUALITY: u32 = 70;
const CADENCE: u32 = 30;
/// A report may be graded against the truth this long before it was written.
const TRUTH_GRACE: u64 = 2 * 60;
/// A requested CAN report answered within this earns full cadence points.
const ANSWER_WITHIN: u64 = 5 * 60;

pub fn grade(facts: &Facts, blame: &BlameCheck) -> (Vec<CanGrade>, Vec<Finding>) {
    let tasks = Tasks::new(facts.scenario);
    let reports: Vec<CanGrade> = facts
        .journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::Did {
                actor,
                action: Action::Can(report),
            } if facts.is_trainee(actor) => Some(graded_fairly(
                facts,
                blame,
                &tasks,
                e.at.as_secs(),
                actor,
                report,
            )),
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

/// A report is graded against the truth when it was written, or at a moment nearby if
/// that is kinder (see [`fair_moments`]).
pub(super) fn graded_fairly(
    facts: &Facts,
    blame: &BlameCheck,
    tasks: &Tasks,
    at: u64,
    actor: &Actor,
    report: &CanReport,
) -> CanGrade {
    let mut best = grade_report(facts, blame, tasks, at, at, actor, report);
    for truth_at in fair_moments(facts, at) {
        let other = grade_report(facts, blame, tasks, at, truth_at, actor, report);
        if other.score > best.score {
            best = other;
        }
    }
    best
}

/// Moments other than `at` whose truth a report written at `at` may be graded
/// against: a little earlier, when the phase or severity changed seconds before (the
/// writer may not have heard yet), and the moment customer impact officially ended
/// when that was only the truth's hold window away: recovery was already on the
/// dashboards.
fn fair_moments(facts: &Facts, at: u64) -> Vec<u64> {
    let mut moments = Vec::new();
    let before = at.saturating_sub(TRUTH_GRACE);
    if facts.phase_at(before) != facts.phase_at(at)
        || facts.true_severity_at(before) != facts.true_severity_at(at)
    {
        moments.push(before);
    }
    let hold = hold_window(&facts.scenario.truth.impact_ends_when);
    if let Some(&(ended, _)) = facts
        .phase_changes()
        .iter()
        .find(|&&(t, phase)| phase == Phase::Mitigated && t > at && t <= at + hold)
    {
        moments.push(ended);
    }
    moments
}

/// The longest `for` window of the metric tests in a condition, in seconds.
fn hold_window(condition: &Condition) -> u64 {
    match condition {
        Condition::Above { for_at_least, .. } | Condition::Below { for_at_least, .. } => {
            for_at_least.as_secs()
        }
        Condition::All(list) | Condition::Any(list) => {
            list.iter().map(hold_window).max().unwrap_or(0)
        }
        Condition::Not(inner) => hold_window(inner),
        _ => 0,
    }
}

/// One report under grading: who wrote it, when, and how findings name it.
struct Graded<'a> {
    facts: &'a Facts<'a>,
    at: u64,
    when: String,
    report: &'a CanReport,
    role: Option<Role>,
}

/// Grades a report written at `at` against the truth at `truth_at`.
fn grade_report(
    facts: &Facts,
    blame: &BlameCheck,
    tasks: &Tasks,
    at: u64,
    truth_at: u64,
    actor: &Actor,
    report: &CanReport,
) -> CanGrade {
    let mut tally = Tally::new(Category::Can);
    let g = Graded {
        facts,
        at,
        when: format!("Your {} CAN report", facts.clock(at)),
        report,
        role: actor.role(),
    };
    let phase = facts.phase_at(truth_at);
    let expected = facts.scenario.truth.can.iter().find(|e| e.phase == phase);
    grade_conditions(&g, truth_at, phase, expected, &mut tally);
    grade_actions(
        &g,
        tasks,
        expected.map(|e| e.actions.as_slice()),
        &mut tally,
    );
    grade_needs(&g, expected.map(|e| e.needs.as_slice()), &mut tally);

    let mut findings = tally.into_findings();
    let c = &report.conditions;
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
            text: format!(
                "{} blamed a person (\"{sentence}\"): see communications.",
                g.when
            ),
            who: None,
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

/// Conditions, 50: type, state, severity, summary and blast radius, 10 each.
fn grade_conditions(
    g: &Graded,
    truth_at: u64,
    phase: Phase,
    expected: Option<&CanExpectation>,
    tally: &mut Tally,
) {
    let (at, when) = (g.at, &g.when);
    let truth = &g.facts.scenario.truth;
    let c = &g.report.conditions;
    let kind = truth.kind.first().map_or("", String::as_str);
    tally.check(
        at,
        Words::new(&c.kind).mentions_any(&truth.kind),
        10,
        format!("{when} named the incident type (\"{}\").", c.kind),
        if c.kind.trim().is_empty() {
            format!("{when} gave no incident type: this is a {kind}.")
        } else {
            format!("{when} called it \"{}\": this is a {kind}.", c.kind)
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

    let true_severity = g.facts.true_severity_at(truth_at);
    let why = g
        .facts
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

    grade_summary(g, expected.map(|e| e.summary.as_slice()), tally);
    grade_blast_radius(g, tally);
}

fn grade_summary(g: &Graded, terms: Option<&[Vec<String>]>, tally: &mut Tally) {
    let (at, when) = (g.at, &g.when);
    let c = &g.report.conditions;
    let terms = terms.unwrap_or_default();
    if terms.is_empty() {
        // The scenario expects nothing in particular for this phase: any summary will do.
        tally.check(
            at,
            !c.summary.trim().is_empty(),
            10,
            format!("{when} had a summary."),
            format!("{when} had no summary: say which service is hurting and how."),
        );
        return;
    }
    let summary = Words::new(&c.summary);
    let missing: Vec<&Vec<String>> = terms.iter().filter(|t| !summary.mentions_any(t)).collect();
    tally.share(
        at,
        10,
        (terms.len() - missing.len()) as u32,
        terms.len() as u32,
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

/// Blast radius, 10: a `truth.blast_radius` term earns all of it. Otherwise a concrete
/// description earns it in halves: who (parts of `truth.affected`: regions, customer
/// segments) and how many (a count or share of users, customers, tickets or traffic).
fn grade_blast_radius(g: &Graded, tally: &mut Tally) {
    let (at, when) = (g.at, &g.when);
    let truth = &g.facts.scenario.truth;
    let written = &g.report.conditions.blast_radius;
    let text = Words::new(written);
    if truth.blast_radius.iter().any(|t| text.mentions_any(t)) {
        tally.award(at, 10, 10, format!("{when} said who is affected."));
        return;
    }
    let parts: Vec<&Vec<String>> = truth
        .affected
        .iter()
        .filter(|t| text.mentions_any(t))
        .collect();
    let scale = has_scale(written);
    let example = truth
        .blast_radius
        .first()
        .and_then(|t| t.first())
        .map_or("all customers", String::as_str);
    let points = if parts.is_empty() { 0 } else { 5 } + if scale { 5 } else { 0 };
    let text = match (parts.is_empty(), scale) {
        (false, true) => format!(
            "{when} said who is affected ({}) and how many.",
            quoted(parts)
        ),
        (false, false) => format!(
            "{when} said who is affected ({}) but not how many: add a share of users or a count of tickets, or say \"{example}\" if that is so.",
            quoted(parts)
        ),
        (true, true) => format!(
            "{when} said how many but not who is affected: name the regions or customers hit, for example \"{example}\"."
        ),
        (true, false) => {
            format!("{when}'s blast radius did not say who is affected, for example \"{example}\".")
        }
    };
    tally.award(at, points, 10, text);
}

/// Whether the text gives a scale: a number or share just before a kind of people or
/// traffic ("~300 tickets", "40% of users", "half the customers").
fn has_scale(text: &str) -> bool {
    const AMOUNTS: &[&str] = &[
        "half",
        "third",
        "quarter",
        "most",
        "majority",
        "hundreds",
        "thousands",
        "dozens",
        "millions",
    ];
    const COUNTED: &[&str] = &[
        "user",
        "customer",
        "ticket",
        "account",
        "workspace",
        "site",
        "zone",
        "request",
        "traffic",
        "tenant",
        "org",
        "organization",
        "team",
        "merchant",
        "call",
        "session",
        "client",
        "people",
        "member",
        "project",
        "domain",
        "send",
        "message",
    ];
    let raw = tokens(text);
    let counted: Vec<String> = COUNTED.iter().map(|w| stem(w)).collect();
    raw.iter().enumerate().any(|(i, word)| {
        (word.chars().any(|c| c.is_ascii_digit()) || AMOUNTS.contains(&word.as_str()))
            && raw
                .iter()
                .skip(i + 1)
                .take(3)
                .any(|w| counted.contains(&stem(w)))
    })
}

/// Actions, 30: owners, the work the phase calls for, and claims that match the
/// journal, 10 each.
fn grade_actions(g: &Graded, tasks: &Tasks, expected: Option<&[Vec<String>]>, tally: &mut Tally) {
    let (at, when) = (g.at, &g.when);
    let actions = &g.report.actions;
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
    grade_work(g, tasks, expected.unwrap_or_default(), tally);
    grade_claims(g, tasks, tally);
}

/// The work, 10: the phase's expected work, or real work under way or done, or
/// watching the result once a fix or mitigation has landed; for the Communications
/// Lead, their own work (updates, customers, executives) counts too.
fn grade_work(g: &Graded, tasks: &Tasks, terms: &[Vec<String>], tally: &mut Tally) {
    let (facts, at, when) = (g.facts, g.at, &g.when);
    let actions = &g.report.actions;
    let text = Words::new(
        &actions
            .iter()
            .map(|a| a.what.as_str())
            .collect::<Vec<_>>()
            .join(". "),
    );
    let real_work = actions.iter().any(|a| {
        tasks
            .referenced(&Words::new(&a.what))
            .is_some_and(|task| status(facts, task, at) != TaskStatus::NotStarted)
    });
    let landed = facts.remediations.iter().any(|run| {
        run.done.is_some_and(|done| done <= at)
            && facts.scenario.remediations.iter().any(|r| {
                r.id == run.id
                    && matches!(r.kind, RemediationKind::Fix | RemediationKind::Mitigation)
            })
    });
    let watching = landed && ["monitor", "watch"].iter().any(|w| text.mentions(w));
    let own_comms_work = g.role == Some(Role::Comms) && COMMS_WORK.iter().any(|w| text.mentions(w));
    let covered = (terms.is_empty() && !actions.is_empty())
        || terms.iter().any(|t| text.mentions_any(t))
        || real_work
        || watching
        || own_comms_work;
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
}

/// What the Communications Lead does: an action about it is their work.
const COMMS_WORK: &[&str] = &[
    "status page",
    "statuspage",
    "status update",
    "update",
    "customers",
    "support",
    "executives",
    "exec",
    "stakeholders",
    "comms",
    "announcement",
    "macro",
    "all-clear",
];

/// Claims, 10: no action claims work that was not happening; a report with no
/// actions earns none.
fn grade_claims(g: &Graded, tasks: &Tasks, tally: &mut Tally) {
    let (at, when) = (g.at, &g.when);
    let actions = &g.report.actions;
    if actions.is_empty() {
        tally.award(
            at,
            0,
            10,
            format!("{when} made no claim about the work to check against what was happening."),
        );
        return;
    }
    let false_claims: Vec<(u64, String)> = actions
        .iter()
        .filter_map(|a| false_claim(g.facts, tasks, at, a))
        .map(|text| (at, format!("{when} {text}")))
        .collect();
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
/// is under way or done that never started, or done while it is still running.
fn false_claim(facts: &Facts, tasks: &Tasks, at: u64, action: &CanAction) -> Option<String> {
    let claim = tasks.claim(&action.what)?;
    let task = tasks.referenced(&Words::new(&action.what))?;
    let label = task.label;
    match (claim, status(facts, task, at)) {
        (_, TaskStatus::NotStarted) => Some(format!(
            "claimed \"{}\", but \"{label}\" had not been started. Report what is happening, and mark plans as plans (\"next:\").",
            action.what
        )),
        (Claim::Done, TaskStatus::Running) => Some(format!(
            "claimed \"{}\" was done, but \"{label}\" was still running.",
            action.what
        )),
        _ => None,
    }
}

fn status(facts: &Facts, task: &Task, at: u64) -> TaskStatus {
    let runs = if task.remediation {
        &facts.remediations
    } else {
        &facts.investigations
    };
    facts.status_at(runs, task.id, at)
}

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

/// Needs, 20: the share of the phase's needs named, less help whose work is already
/// done; when the phase needs nothing, saying "none" (a blank field says nothing).
/// Any explicit answer will do when the scenario expects nothing for the phase, when
/// all the help it expected has finished its work, and from the Communications Lead,
/// who asks for what the updates need rather than for the technical help.
fn grade_needs(g: &Graded, expected: Option<&[Vec<String>]>, tally: &mut Tally) {
    let (at, when) = (g.at, &g.when);
    let needs = &g.report.needs;
    let text = Words::new(&needs.join(". "));
    // A blank field says nothing; "none" is a statement.
    let says_none = ["none", "nothing", "no"]
        .iter()
        .any(|w| text.stems().first() == Some(&stem(w)));
    let answered = !needs.iter().all(|n| n.trim().is_empty());
    // Help whose work is finished is no longer needed: a fix has landed, or every
    // remediation a team was needed for has completed.
    let fixed = g.facts.remediations.iter().any(|run| {
        run.done.is_some_and(|done| done <= at)
            && g.facts
                .scenario
                .remediations
                .iter()
                .any(|r| r.id == run.id && r.kind == RemediationKind::Fix)
    });
    let open: Option<Vec<&Vec<String>>> = expected.map(|terms| {
        terms
            .iter()
            .filter(|t| !fixed && !team_work_done(g.facts, at, t))
            .collect()
    });
    let any_answer = g.role == Some(Role::Comms)
        || match &open {
            None => true,
            Some(open) => open.is_empty() && expected.is_some_and(|t| !t.is_empty()),
        };
    if any_answer {
        tally.check(
            at,
            answered,
            20,
            format!("{when} said what the response needed."),
            format!("{when} left needs blank: say what is needed, or \"none\"."),
        );
        return;
    }
    let terms = open.unwrap_or_default();
    if terms.is_empty() {
        tally.check(
            at,
            says_none,
            20,
            format!("{when} correctly needed nothing more."),
            if needs.is_empty() {
                format!("{when} left needs blank: say \"none\" when nothing more is needed, so nobody wonders.")
            } else {
                format!(
                    "{when} asked for {}, but nothing more was needed then: say \"none\" so nobody chases help the incident does not need.",
                    needs.join(", ")
                )
            },
        );
        return;
    }
    let missing: Vec<&Vec<String>> = terms
        .iter()
        .copied()
        .filter(|t| !text.mentions_any(t))
        .collect();
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

/// Whether a need names a team whose work was finished by `at`: every remediation that
/// needs the team paged had completed, so nobody should still be asking for it.
fn team_work_done(facts: &Facts, at: u64, term: &[String]) -> bool {
    facts.scenario.world.teams.iter().any(|team| {
        let names = Words::new(&format!("{} {}", team.name, team.id));
        if !names.mentions_any(term) {
            return false;
        }
        let mut work = facts
            .scenario
            .remediations
            .iter()
            .filter(|r| r.requires.as_ref().is_some_and(|c| pages(c, &team.id)))
            .peekable();
        work.peek().is_some()
            && work.all(|r| facts.status_at(&facts.remediations, &r.id, at) == TaskStatus::Done)
    })
}

/// Whether a condition asks for the team to have been paged.
fn pages(condition: &Condition, team: &str) -> bool {
    match condition {
        Condition::Paged(id) => id == team,
        Condition::All(list) | Condition::Any(list) => list.iter().any(|c| pages(c, team)),
        _ => false,
    }
}

/// Whether a reported state is right for the truth's phase.
fn state_fits(state: IncidentState, phase: Phase) -> bool {
    match phase {
        Phase::Investigating => matches!(
            state,
            IncidentState::Acknowledged | IncidentState::Investigating
        ),
        Phase::Identified | Phase::Recovering => state == IncidentState::Identified,
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
        Phase::Recovering => {
            "recovering: the fix was under way and the impact shrinking but not over (Identified)"
        }
    }
}
