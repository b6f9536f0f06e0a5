//! What a CAN report's action says about the work, read as a person reads it: a claim
//! that work is done ("rolled back", "have restarted") or under way ("rolling back",
//! "is being restarted"), or no claim at all: an imperative or an assignment
//! ("Investigate cross-VPC network saturation", "@tech: restart the pool"), a plan
//! ("will roll back", "next: restore") or a step ruled out ("decided against").
//! A claim is about the investigation or remediation whose label shares the most
//! words with it, rarer words (across the scenario's task labels) weighing more.

use std::collections::BTreeMap;

use super::words::{Words, stem, tokens};
use crate::scenario::Scenario;

/// What an action claims about the work it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The work is under way.
    Underway,
    /// The work is finished.
    Done,
}

/// An investigation or remediation of the scenario, as claims refer to it.
#[derive(Debug)]
pub struct Task<'s> {
    pub id: &'s str,
    pub label: &'s str,
    pub remediation: bool,
    /// The label's content-word stems, sorted, without repeats.
    stems: Vec<String>,
    /// The stem of the label's opening verb ("restor" for "Restore the ..."): words
    /// about another kind of work ("read", "investigate") are not about this task,
    /// though all the ways of looking at something are one ("looking at Bulwark
    /// events" is reading them).
    verb: Option<String>,
}

/// The scenario's tasks with the weight of each label word: a word found in fewer
/// labels says more about which task is meant.
pub struct Tasks<'s> {
    tasks: Vec<Task<'s>>,
    weights: BTreeMap<String, u32>,
}

impl<'s> Tasks<'s> {
    pub fn new(scenario: &'s Scenario) -> Tasks<'s> {
        let labelled = scenario
            .remediations
            .iter()
            .map(|r| (r.id.as_str(), r.label.as_str(), true))
            .chain(
                scenario
                    .investigations
                    .iter()
                    .map(|i| (i.id.as_str(), i.label.as_str(), false)),
            );
        let mut tasks = Vec::new();
        for (id, label, remediation) in labelled {
            let mut stems: Vec<String> = Words::new(label)
                .stems()
                .iter()
                .filter(|w| !STOP_WORDS.contains(&w.as_str()))
                .cloned()
                .collect();
            stems.sort();
            stems.dedup();
            let verb = tokens(label)
                .into_iter()
                .next()
                .filter(|first| VERBS.contains(&first.as_str()))
                .map(|first| stem(&first));
            tasks.push(Task {
                id,
                label,
                remediation,
                stems,
                verb,
            });
        }
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for task in &tasks {
            for w in &task.stems {
                *counts.entry(w.clone()).or_default() += 1;
            }
        }
        let n = tasks.len() as u32;
        let weights = counts
            .into_iter()
            .map(|(w, count)| (w, 100 * n / count))
            .collect();
        Tasks { tasks, weights }
    }

    /// What the action's text claims, if anything.
    pub fn claim(&self, text: &str) -> Option<Claim> {
        let raw = tokens(text);
        if says(&raw, DECLINED) {
            return None;
        }
        let finished = says(&raw, FINISHED);
        // "Done, then watching" still claims it is done; "next: undrain" claims nothing.
        let words = Words::new(text);
        if PLANNED.iter().any(|w| words.mentions(w)) {
            return finished.then_some(Claim::Done);
        }
        if says(&raw, ARRANGED) {
            return None;
        }
        let body = tokens(without_addressee(text));
        let first = body.first()?;
        // "Restart the pool" is an imperative; "Restart done", "Kill in progress" and
        // "Scale-in suspended" are not.
        let next = &body[1..body.len().min(4)];
        let reported =
            says(next, FINISHED) || says(next, UNDERWAY) || next.iter().any(|t| participle(t));
        if (imperative(first) && !reported) || generic_investigation(first) {
            return None;
        }
        let progressive = body.windows(2).any(|pair| {
            BE.contains(&pair[0].as_str()) && pair[1].len() > 4 && pair[1].ends_with("ing")
        });
        if says(&body, UNDERWAY) || progressive || (first.len() > 4 && first.ends_with("ing")) {
            return Some(Claim::Underway);
        }
        (finished || body.iter().any(|t| participle(t))).then_some(Claim::Done)
    }

    /// The task the words refer to: the one naming its id, else the one sharing the
    /// most weight of label words (at least two words, or the one word of a one-word
    /// label, and the label's opening verb if it has one). A tie refers to none.
    pub fn referenced(&self, words: &Words) -> Option<&Task<'s>> {
        let mut best: Option<(u32, &Task)> = None;
        let mut tied = false;
        for task in &self.tasks {
            let shared: Vec<&String> = task
                .stems
                .iter()
                .filter(|w| words.stems().contains(w))
                .collect();
            let named = words.mentions(task.id);
            let same_work = task.verb.as_ref().is_none_or(|verb| {
                let looking = |v: &String| LOOKING.iter().any(|l| stem(l) == *v);
                words.stems().contains(verb) || looking(verb) && words.stems().iter().any(looking)
            });
            let enough = same_work && shared.len() >= 2.min(task.stems.len()) && !shared.is_empty();
            if !(enough || named) {
                continue;
            }
            let weight = if named {
                u32::MAX
            } else {
                shared
                    .iter()
                    .map(|w| self.weights.get(*w).copied().unwrap_or(0))
                    .sum()
            };
            match best {
                Some((w, _)) if w > weight => {}
                Some((w, _)) if w == weight => tied = true,
                _ => {
                    best = Some((weight, task));
                    tied = false;
                }
            }
        }
        best.filter(|_| !tied).map(|(_, task)| task)
    }
}

/// Whether a first word makes the action an imperative: "Restart the pool".
fn imperative(word: &str) -> bool {
    !(word.ends_with("ed") || word.ends_with("ing")) && VERBS.contains(&word)
}

/// The text without a leading addressee: "@tech: restart the pool" -> "restart the
/// pool", "Tech lead: rolling back" -> "rolling back".
fn without_addressee(text: &str) -> &str {
    let text = text.trim_start();
    if let Some(rest) = text.strip_prefix('@') {
        return rest
            .split_once(|c: char| c.is_whitespace() || c == ':')
            .map_or("", |(_, rest)| rest);
    }
    match text.split_once(':') {
        Some((who, rest)) if tokens(who).len() <= 2 && !tokens(rest).is_empty() => rest,
        _ => text,
    }
}

/// "Investigating the network", "looking into it": the team is investigating, which
/// is always true of a response in progress; it names no task to check.
fn generic_investigation(word: &str) -> bool {
    ["investig", "look", "dig", "triag", "diagnos"].contains(&stem(word).as_str())
}

/// A past participle as written: "restarted", "rolled", "rebuilt".
fn participle(word: &str) -> bool {
    (word.len() >= 5
        && word.ends_with("ed")
        && !word.ends_with("eed")
        && !ADJECTIVES.contains(&word))
        || IRREGULAR.contains(&word)
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
    "proposed", "pending", "todo", "to do", "prepare", "queued", "waiting", "should", "shall",
    "want to", "need to", "needs to", "tbd",
];
/// Words (as written) that say an action is under way, not finished.
const UNDERWAY: &[&str] = &[
    "being",
    "in progress",
    "underway",
    "under way",
    "running",
    "ongoing",
    "eta",
    "started",
    "kicked off",
    "begun",
    "initiated",
    "triggered",
    "halfway",
];
/// Words (as written) that say an action is finished.
const FINISHED: &[&str] = &["done", "completed", "complete", "finished"];
/// Before an "-ing" word, these make it a claim of work under way: "we're rolling".
const BE: &[&str] = &[
    "is",
    "are",
    "am",
    "re",
    "s",
    "was",
    "were",
    "currently",
    "now",
    "still",
];
/// Words (as written) that say work was asked for or arranged, which is not a claim
/// that the work itself is happening: "capacity increase requested".
const ARRANGED: &[&str] = &[
    "requested",
    "asked",
    "paged",
    "escalated",
    "delegated",
    "assigned",
    "prioritised",
    "prioritized",
    "approved",
    "agreed",
];
/// Words ending in "ed" that describe a state rather than work done.
const ADJECTIVES: &[&str] = &[
    "affected",
    "impacted",
    "dedicated",
    "related",
    "based",
    "detailed",
    "limited",
    "scheduled",
    "expected",
    "needed",
    "required",
    "automated",
    "distributed",
    "shared",
    "managed",
    "degraded",
    "elevated",
    "saturated",
    "pegged",
    "delayed",
];
/// Verbs of looking at something: any of them names the same kind of work. Not
/// "investigate", which is finding out, whatever it takes.
const LOOKING: &[&str] = &[
    "read", "look", "check", "review", "open", "query", "pull", "inspect", "examine", "view",
    "scan", "search",
];
/// Irregular past participles people write in reports.
const IRREGULAR: &[&str] = &[
    "done", "rebuilt", "sent", "taken", "begun", "written", "undone",
];
/// Verbs people start imperatives and assignments with.
const VERBS: &[&str] = &[
    "investigate",
    "confirm",
    "check",
    "verify",
    "restart",
    "roll",
    "revert",
    "page",
    "open",
    "escalate",
    "ask",
    "suspend",
    "raise",
    "restore",
    "block",
    "ban",
    "disable",
    "enable",
    "deploy",
    "watch",
    "monitor",
    "look",
    "query",
    "run",
    "find",
    "update",
    "post",
    "send",
    "keep",
    "stop",
    "start",
    "kill",
    "rebuild",
    "resync",
    "snapshot",
    "take",
    "add",
    "remove",
    "fix",
    "drain",
    "undrain",
    "scale",
    "bounce",
    "reboot",
    "apply",
    "push",
    "call",
    "engage",
    "contact",
    "notify",
    "tell",
    "draft",
    "write",
    "review",
    "read",
    "pull",
    "capture",
    "compare",
    "pause",
    "resume",
    "turn",
    "switch",
    "move",
    "failover",
    "promote",
    "increase",
    "double",
    "lower",
    "cut",
    "reduce",
    "throttle",
    "limit",
    "get",
    "make",
    "prepare",
    "profile",
    "triage",
    "coordinate",
    "brief",
    "chase",
    "hold",
    "finish",
    "search",
    "copy",
    "break",
];

const STOP_WORDS: &[&str] = &[
    "the", "a", "an", "of", "on", "in", "to", "and", "or", "for", "from", "with", "via", "by",
    "at", "all", "every", "its", "it", "this", "that", "our", "one", "run", "check", "s", "re",
    "t", "ll", "ve", "d",
];

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = include_str!("../../../tests/fixtures/minimal.ron");

    fn scenario(source: &str) -> &'static Scenario {
        Box::leak(Box::new(crate::scenario::parse(source).unwrap()))
    }

    fn tasks() -> Tasks<'static> {
        Tasks::new(scenario(MINIMAL))
    }

    #[test]
    fn a_claim_is_about_the_task_sharing_the_most_telling_words() {
        // A regional drill: the runbook shares half its words with the claim, the
        // staged restore (a long label) only four of ten, but the rarer ones.
        let source = MINIMAL
            .replace(
                "investigations: [",
                r#"investigations: [
        (id: "restore-runbook", label: "Read the runbook for restoring regions", kind: Runbook,
         takes: "1m", reveals: "Restore one region at a time."),"#,
            )
            .replace(
                "remediations: [",
                r#"remediations: [
        (id: "staged-restore", label: "Restore the remaining regions in stages, 10% of traffic at a time, watching error rates",
         kind: Mitigation, takes: "10m", effects: []),"#,
            );
        let tasks = Tasks::new(scenario(&source));
        let text = "restore remaining regions in stages";
        let task = tasks.referenced(&Words::new(text)).map(|t| t.id);
        assert_eq!(task, Some("staged-restore"));
        assert_eq!(
            tasks.claim("restoring remaining regions in stages"),
            Some(Claim::Underway)
        );
    }

    #[test]
    fn investigating_the_network_is_not_reading_its_runbook() {
        let chat = crate::scenario::builtin::source("chat-gateway-saturation").unwrap();
        let tasks = Tasks::new(scenario(chat));
        for text in [
            "Investigate cross-VPC network saturation",
            "Investigating cross-VPC network saturation",
        ] {
            assert_eq!(tasks.claim(text), None, "{text}");
            let task = tasks.referenced(&Words::new(text)).map(|t| t.id);
            assert_ne!(task, Some("read-network-runbook"), "{text}");
        }
        let task = tasks
            .referenced(&Words::new("Read the cross-VPC runbook"))
            .map(|t| t.id);
        assert_eq!(task, Some("read-network-runbook"));
    }

    #[test]
    fn work_done_or_under_way_is_a_claim() {
        let tasks = tasks();
        for (text, claim) in [
            ("rolled back", Claim::Done),
            ("Restarted the pool", Claim::Done),
            ("We have restarted the pool", Claim::Done),
            ("pool restarted", Claim::Done),
            (
                "Undrain of cache-2 done, then watching latency",
                Claim::Done,
            ),
            ("rolling back", Claim::Underway),
            ("The pool is being restarted", Claim::Underway),
            ("We're rolling back the deploy", Claim::Underway),
            ("Tech lead: undraining cache-2", Claim::Underway),
            ("Rollback started", Claim::Underway),
            ("Kill in progress", Claim::Underway),
            ("Restart done", Claim::Done),
            ("Scale-in suspended", Claim::Done),
        ] {
            assert_eq!(tasks.claim(text), Some(claim), "{text}");
        }
    }

    #[test]
    fn imperatives_assignments_plans_and_refusals_are_not_claims() {
        let tasks = tasks();
        for text in [
            "Investigate cross-VPC network saturation",
            "Confirm loss at zero and sends recovered",
            "@tech: restart the pool",
            "Tech: restart the pool",
            "Undrain cache-2",
            "will roll back",
            "next: restore",
            "Decided against undraining cache-2",
            "Investigating cross-VPC network saturation",
            "status page, exec update, support macro",
        ] {
            assert_eq!(tasks.claim(text), None, "{text}");
        }
    }
}
