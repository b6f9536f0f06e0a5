//! What a CAN report's action says about the work, read as a person reads it: a claim
//! that work is done ("rolled back", "have restarted") or under way ("rolling back",
//! "is being restarted"), or no claim at all: an imperative or an assignment
//! ("Investigate cross-VPC network saturation", "@tech: restart the pool"), a plan
//! ("will roll back", "next: restore") or a step ruled out ("decided against").
//! A claim is about the investigation or remediation whose label and aliases share
//! the most words with it.

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
    /// The label and each alias, as words that can name the task.
    names: Vec<Name>,
    /// The content-word stems of the label and aliases together, sorted, no repeats.
    stems: Vec<String>,
}

/// One name of a task: its label or an alias.
#[derive(Debug)]
struct Name {
    /// The name's content-word stems, sorted, without repeats.
    stems: Vec<String>,
    /// The stem of the name's opening verb ("restor" for "Restore the ..."): words
    /// about another kind of work ("read", "investigate") are not about this task,
    /// though all the ways of looking at something are one ("looking at Bulwark
    /// events" is reading them).
    verb: Option<String>,
}

impl Name {
    fn new(text: &str) -> Name {
        let mut stems: Vec<String> = Words::new(text)
            .stems()
            .iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        stems.sort();
        stems.dedup();
        let verb = tokens(text)
            .into_iter()
            .next()
            .filter(|first| VERBS.contains(&first.as_str()))
            .map(|first| stem(&first));
        Name { stems, verb }
    }

    /// Whether the words name this: at least two of its words (or the one word of a
    /// one-word name), and its opening verb if it has one.
    fn named_by(&self, words: &Words) -> bool {
        let shared = self
            .stems
            .iter()
            .filter(|w| words.stems().contains(w))
            .count();
        let same_work = self.verb.as_ref().is_none_or(|verb| {
            let looking = |v: &String| LOOKING.iter().any(|l| stem(l) == *v);
            words.stems().contains(verb) || looking(verb) && words.stems().iter().any(looking)
        });
        same_work && shared > 0 && shared >= 2.min(self.stems.len())
    }
}

/// The scenario's investigations and remediations, as claims refer to them.
pub struct Tasks<'s> {
    tasks: Vec<Task<'s>>,
}

impl<'s> Tasks<'s> {
    pub fn new(scenario: &'s Scenario) -> Tasks<'s> {
        let labelled = scenario
            .remediations
            .iter()
            .map(|r| (r.id.as_str(), r.label.as_str(), &r.aliases, true))
            .chain(
                scenario
                    .investigations
                    .iter()
                    .map(|i| (i.id.as_str(), i.label.as_str(), &i.aliases, false)),
            );
        let tasks = labelled
            .map(|(id, label, aliases, remediation)| {
                let names: Vec<Name> = std::iter::once(label)
                    .chain(aliases.iter().map(String::as_str))
                    .map(Name::new)
                    .collect();
                let mut stems: Vec<String> =
                    names.iter().flat_map(|n| n.stems.iter().cloned()).collect();
                stems.sort();
                stems.dedup();
                Task {
                    id,
                    label,
                    remediation,
                    names,
                    stems,
                }
            })
            .collect();
        Tasks { tasks }
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

    /// The task the words refer to: the one naming its id, else, among the tasks one
    /// of whose names (label or alias) the words name (see [`Name::named_by`]), the
    /// one sharing the most words with its label and aliases together. A tie refers
    /// to none.
    pub fn referenced(&self, words: &Words) -> Option<&Task<'s>> {
        let mut best: Option<(usize, &Task)> = None;
        let mut tied = false;
        for task in &self.tasks {
            let named = words.mentions(task.id);
            if !named && !task.names.iter().any(|n| n.named_by(words)) {
                continue;
            }
            let shared = if named {
                usize::MAX
            } else {
                task.stems
                    .iter()
                    .filter(|w| words.stems().contains(w))
                    .count()
            };
            match best {
                Some((most, _)) if most > shared => {}
                Some((most, _)) if most == shared => tied = true,
                _ => {
                    best = Some((shared, task));
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

    /// A regional drill where "restore" is in three labels and "stages" only in the
    /// runbook's: weighing rare words more made the runbook (two shared words, one of
    /// them rare) outweigh the staged restore (three shared words).
    fn regional_restore() -> Tasks<'static> {
        let source = MINIMAL
            .replace(
                "investigations: [",
                r#"investigations: [
        (id: "stages-runbook", label: "Runbook: bringing regions back in stages", kind: Runbook,
         takes: "1m", reveals: "One region at a time."),
        (id: "remaining-lag", label: "Query lag on the remaining replicas", kind: Query,
         takes: "1m", reveals: "Lag is low."),"#,
            )
            .replace(
                "remediations: [",
                r#"remediations: [
        (id: "restore-us", label: "Restore US East from the replica", kind: Mitigation,
         takes: "5m"),
        (id: "restore-eu", label: "Restore Europe from the replica", kind: Mitigation,
         takes: "5m"),
        (id: "staged-restore", label: "Restore the remaining regions, 10% of traffic at a time",
         kind: Mitigation, takes: "10m", aliases: ["the ramp", "traffic ramp-up"]),"#,
            );
        Tasks::new(scenario(&source))
    }

    fn referenced(tasks: &Tasks<'static>, text: &str) -> Option<&'static str> {
        tasks.referenced(&Words::new(text)).map(|t| t.id)
    }

    #[test]
    fn a_claim_is_about_the_task_sharing_the_most_words_however_rare() {
        let tasks = regional_restore();
        let text = "Restoring remaining regions in stages";
        assert_eq!(tasks.claim(text), Some(Claim::Underway));
        // Three shared words (restore, remaining, regions) against two (regions, stages).
        assert_eq!(referenced(&tasks, text), Some("staged-restore"));
        // Two each: a tie refers to neither.
        assert_eq!(referenced(&tasks, "regions restored in stages"), None);
        // Naming the id settles it, whatever the words.
        assert_eq!(
            referenced(&tasks, "stages-runbook: regions restored in stages"),
            Some("stages-runbook")
        );
    }

    #[test]
    fn aliases_name_a_task_as_its_label_does() {
        let tasks = regional_restore();
        // A one-word alias ("ramp") is enough, as a one-word label would be.
        assert_eq!(
            referenced(&tasks, "The ramp is at 40%"),
            Some("staged-restore")
        );
        assert_eq!(
            referenced(&tasks, "traffic ramp-up running"),
            Some("staged-restore")
        );
        // Label and aliases count together: "remaining traffic ramp" shares three.
        assert_eq!(
            referenced(&tasks, "remaining regions: traffic ramp done"),
            Some("staged-restore")
        );
        // One word of a longer label names nothing.
        assert_eq!(referenced(&tasks, "we're restoring"), None);
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
