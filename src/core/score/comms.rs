//! The communications category: status updates and the words the trainee used.
//!
//! - Communications Lead (and bots-only runs): cadence 30, audiences 15, updates true
//!   to reality 20 (their state, and the figures and recovery times they give, see
//!   `figures`), plain public words 10, the final update 10, blameless 15. While the
//!   public status page is down, an update on the company's social account counts
//!   where one to the status page is expected.
//! - Incident Commander: the team's status cadence 40 (the IC makes sure updates go
//!   out), their own updates true to reality 20, their own words blameless 40.
//! - Technical Lead: their own words blameless, 100.

use super::cadence::Cadence;
use super::figures::wrong_statements;
use super::words::Words;
use super::{BlameCheck, Category, Facts, Finding, Tally};
use crate::engine::action::{Action, Audience, Role, StatusState, StatusUpdate};
use crate::engine::journal::Event;
use crate::scenario::Phase;

/// A status update may lag reality by this much without being wrong.
const STATE_GRACE: u64 = 5 * 60;

pub fn grade(facts: &Facts, blame: &BlameCheck) -> Vec<Finding> {
    let mut tally = Tally::new(Category::Comms);
    let own: Vec<(u64, &StatusUpdate)> = updates(facts, true);
    match facts.trainee {
        None | Some(Role::Comms) => {
            cadence(facts, &own, 30, &mut tally);
            audiences(facts, &own, &mut tally);
            truthful(facts, &own, 20, &mut tally);
            plain_words(facts, &own, &mut tally);
            final_update(facts, &own, &mut tally);
            blameless(facts, blame, 15, &mut tally);
        }
        Some(Role::Commander) => {
            let team = updates(facts, false);
            cadence(facts, &team, 40, &mut tally);
            truthful(facts, &own, 20, &mut tally);
            blameless(facts, blame, 40, &mut tally);
        }
        Some(Role::Tech) => blameless(facts, blame, 100, &mut tally),
    }
    tally.into_findings()
}

/// Status updates before the run ended, the trainee's own or everyone's.
fn updates<'a>(facts: &Facts<'a>, own: bool) -> Vec<(u64, &'a StatusUpdate)> {
    facts
        .journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::Did {
                actor,
                action: Action::StatusUpdate(update),
            } if !own || facts.is_trainee(actor) => Some((e.at.as_secs(), update)),
            _ => None,
        })
        .collect()
}

/// A first update within one interval of declaring (a third of `max`), then one in
/// every interval until the incident is over.
fn cadence(facts: &Facts, updates: &[(u64, &StatusUpdate)], max: u32, tally: &mut Tally) {
    let Some(declared) = facts.times.declared_s else {
        tally.award(
            facts.end,
            0,
            max,
            "The incident was never declared, so no status updates were expected or sent. Declaring is what starts the communication clock.",
        );
        return;
    };
    let moments: Vec<u64> = updates.iter().map(|&(t, _)| t).collect();
    Cadence {
        what: "status update",
        every: facts.scenario.par.status_every.as_secs(),
        first_points: max / 3,
        interval_points: max - max / 3,
        late_advice: "Stakeholders fill a silence with guesses: send a short \"we are investigating\" within one update interval.",
        gap_advice: "Keep the cadence you promise, even when the news is \"no change\".",
    }
    .grade(facts, declared, &moments, tally);
}

/// The audiences the incident's worst true severity calls for.
fn required_audiences(facts: &Facts) -> &'static [Audience] {
    Audience::for_severity(facts.worst_true_severity())
}

/// Since when the public status page was down at `t`, if it was (from the journal).
fn status_page_down_at(facts: &Facts, t: u64) -> bool {
    facts
        .journal
        .iter()
        .take_while(|e| e.at.as_secs() <= t)
        .fold(false, |down, e| match e.event {
            Event::StatusPageDown => true,
            Event::StatusPageUp => false,
            _ => down,
        })
}

/// Whether an update sent at `t` counts as going to `audience`: an update on the
/// company's social account counts for the status page while the page is down.
fn counts_for(facts: &Facts, t: u64, sent: Audience, audience: Audience) -> bool {
    sent == audience
        || (audience == Audience::StatusPage
            && sent == Audience::Social
            && status_page_down_at(facts, t))
}

/// The audience in words, with the social account when it stood in for the page.
fn reached_name(facts: &Facts, updates: &[(u64, &StatusUpdate)], audience: Audience) -> String {
    let stood_in = audience == Audience::StatusPage
        && updates.iter().any(|&(t, u)| {
            u.audience == Audience::Social && counts_for(facts, t, u.audience, audience)
        });
    let on_the_page = updates
        .iter()
        .any(|(_, u)| u.audience == Audience::StatusPage);
    match (stood_in, on_the_page) {
        (true, true) => format!(
            "{} (and {} while the page was down)",
            audience.name(),
            Audience::Social.name()
        ),
        (true, false) => format!(
            "{} (on {} while the page was down)",
            audience.name(),
            Audience::Social.name()
        ),
        (false, _) => audience.name().to_string(),
    }
}

fn audiences(facts: &Facts, updates: &[(u64, &StatusUpdate)], tally: &mut Tally) {
    let required = required_audiences(facts);
    let missing: Vec<String> = required
        .iter()
        .filter(|a| {
            !updates
                .iter()
                .any(|&(t, u)| counts_for(facts, t, u.audience, **a))
        })
        .map(|a| {
            let page_was_down = facts
                .journal
                .iter()
                .any(|e| matches!(e.event, Event::StatusPageDown));
            if *a == Audience::StatusPage && page_was_down {
                format!(
                    "{} (nor, while it was down, {})",
                    a.name(),
                    Audience::Social.name()
                )
            } else {
                a.name().to_string()
            }
        })
        .collect();
    let reached = (required.len() - missing.len()) as u32;
    tally.share(
        facts.incident_end(),
        15,
        reached,
        required.len() as u32,
        if missing.is_empty() {
            format!(
                "Updates reached everyone this severity calls for: {}.",
                required
                    .iter()
                    .map(|a| reached_name(facts, updates, *a))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        } else {
            format!(
                "No update ever went to {}. An incident this severe needs customers told on the status page and executives briefed separately, in their own words.",
                missing.join(" or ")
            )
        },
    );
}

/// The public state that fits the truth at `t`.
fn fitting_state(facts: &Facts, t: u64) -> StatusState {
    if facts.times.resolved_s.is_some_and(|r| t >= r) {
        return StatusState::Resolved;
    }
    match facts.phase_at(t) {
        Phase::Investigating => StatusState::Investigating,
        Phase::Identified | Phase::Recovering => StatusState::Identified,
        Phase::Mitigated => StatusState::Monitoring,
    }
}

/// Each update's state must fit reality at some moment of the five minutes before it,
/// and its figures and promises must hold (`figures`): 10 of `max` lost per fault.
fn truthful(facts: &Facts, updates: &[(u64, &StatusUpdate)], max: u32, tally: &mut Tally) {
    let mut wrong: Vec<(u64, String)> = updates
        .iter()
        .filter(|(t, u)| {
            let from = t.saturating_sub(STATE_GRACE);
            !(from..=*t)
                .step_by(5)
                .chain([*t])
                .any(|moment| fitting_state(facts, moment) == u.state)
        })
        .map(|&(t, u)| {
            let truth = fitting_state(facts, t);
            let advice = match (u.state, truth) {
                (StatusState::Resolved | StatusState::Monitoring, StatusState::Investigating | StatusState::Identified) => {
                    " Customers who read that and still see errors stop trusting every later update."
                }
                _ => " Match the public state to what responders know.",
            };
            (
                t,
                format!(
                    "The {} update to {} said {}; the incident was {} then.{advice}",
                    facts.clock(t),
                    u.audience.name(),
                    u.state.label(),
                    truth.label()
                ),
            )
        })
        .collect();
    wrong.extend(wrong_statements(facts, updates));
    wrong.sort_by_key(|&(t, _)| t);
    let clean = if updates.is_empty() {
        "You sent no status updates yourself, so none could be wrong."
    } else {
        "Every update's state, and every figure and recovery time it gave, matched what was really going on."
    };
    tally.deduct(max, 10, wrong, (facts.incident_end(), clean.into()));
}

/// Internal names that mean nothing to customers: ids of metrics, alerts, deploys,
/// investigations and remediations (unless the id is an ordinary word, such as
/// "tickets" or "errors"), host-like names ("pg-main-1") and a few infrastructure
/// words.
fn jargon(facts: &Facts, text: &str) -> Option<String> {
    let scenario = facts.scenario;
    let world = &scenario.world;
    let ids = world
        .metrics
        .iter()
        .map(|m| &m.id)
        .chain(world.alerts.iter().map(|a| &a.id))
        .chain(world.deploys.iter().map(|d| &d.id))
        .chain(scenario.investigations.iter().map(|i| &i.id))
        .chain(scenario.remediations.iter().map(|r| &r.id))
        // Letters only: a word a customer could use ("tickets"), not an internal name.
        .filter(|id| !id.chars().all(char::is_alphabetic));
    let raw: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || ",.;:()\"'".contains(c))
        .filter(|t| !t.is_empty())
        .collect();
    for id in ids {
        if raw.iter().any(|w| w.eq_ignore_ascii_case(id)) {
            return Some(id.clone());
        }
    }
    if let Some(host) = raw.iter().find(|w| {
        w.starts_with(|c: char| c.is_ascii_alphabetic())
            && w.contains(['-', '_'])
            && w.chars().any(|c| c.is_ascii_digit())
            && w.chars().any(|c| c.is_ascii_alphabetic())
    }) {
        return Some(host.to_string());
    }
    let words = Words::new(text);
    INFRASTRUCTURE_WORDS
        .iter()
        .find(|w| words.mentions(w))
        .map(|w| w.to_string())
}

const INFRASTRUCTURE_WORDS: &[&str] = &[
    "cpu",
    "pod",
    "kubernetes",
    "k8s",
    "asg",
    "autoscaling group",
    "regex",
    "pcre",
    "postgres",
    "postgresql",
    "replica",
    "replication",
    "wal",
    "sidekiq",
    "tgw",
    "emfile",
    "pps",
    "mpps",
    "file descriptor",
    "thread pool",
    "oom",
];

fn plain_words(facts: &Facts, updates: &[(u64, &StatusUpdate)], tally: &mut Tally) {
    let leaks: Vec<(u64, String)> = updates
        .iter()
        .filter(|(_, u)| matches!(u.audience, Audience::StatusPage | Audience::Social))
        .filter_map(|&(t, u)| {
            let update = match u.audience {
                Audience::Social => "social account",
                _ => "status page",
            };
            jargon(facts, &u.text).map(|word| {
                (
                    t,
                    format!(
                        "The {} {update} update used internal jargon (\"{word}\"). Tell customers what they experience and what to expect, in their words.",
                        facts.clock(t)
                    ),
                )
            })
        })
        .collect();
    tally.deduct(
        10,
        5,
        leaks,
        (
            facts.incident_end(),
            "Public updates were in plain customer language.".into(),
        ),
    );
}

fn final_update(facts: &Facts, updates: &[(u64, &StatusUpdate)], tally: &mut Tally) {
    let Some(resolved) = facts.times.resolved_s else {
        tally.award(
            facts.end,
            10,
            10,
            "The incident was not resolved during the drill, so there was no all-clear to send.",
        );
        return;
    };
    let public = required_audiences(facts)[0];
    let sent = updates.iter().any(|&(t, u)| {
        t >= resolved
            && u.state == StatusState::Resolved
            && counts_for(facts, t, u.audience, public)
    });
    tally.check(
        resolved,
        sent,
        10,
        format!(
            "The all-clear went to {} after the incident was resolved.",
            reached_name(facts, updates, public)
        ),
        format!(
            "No \"Resolved\" update went to {} after the incident was resolved at {}. Close the loop: people who were told about the incident need to hear it is over.",
            public.name(),
            facts.clock(resolved)
        ),
    );
}

/// Every message the trainee wrote: posts, status updates, CAN reports.
fn own_words<'a>(facts: &Facts<'a>) -> Vec<(u64, &'static str, &'a str)> {
    let mut words = Vec::new();
    for (t, action) in facts.trainee_actions() {
        match action {
            Action::Post { text, .. } => words.push((t, "message", text.as_str())),
            Action::StatusUpdate(u) => words.push((t, "status update", u.text.as_str())),
            Action::Can(report) => {
                for text in [&report.conditions.summary, &report.conditions.blast_radius]
                    .into_iter()
                    .chain(report.actions.iter().map(|a| &a.what))
                {
                    words.push((t, "CAN report", text.as_str()));
                }
            }
            _ => {}
        }
    }
    words
}

fn blameless(facts: &Facts, blame: &BlameCheck, max: u32, tally: &mut Tally) {
    let mut faults: Vec<(u64, String)> = Vec::new();
    for (t, what, text) in own_words(facts) {
        if let Some(sentence) = blame.blameful_sentence(text)
            && !faults.iter().any(|(at, _)| *at == t)
        {
            faults.push((
                t,
                format!(
                    "Your {} {what} blamed a person: \"{sentence}\". Describe what the system did and what let it happen; people who fear blame hide the facts a postmortem needs.",
                    facts.clock(t)
                ),
            ));
        }
    }
    tally.deduct(
        max,
        max / 2,
        faults,
        (
            facts.end,
            "Your words stayed blameless: systems and changes, not people, were the cause.".into(),
        ),
    );
}
