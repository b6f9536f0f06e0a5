//! Blameful wording: what breaks the "Trust" of blameless incident response. A sentence
//! is blameful when it uses the language of blame ("human error", "his fault",
//! "should have tested") or names a person as the cause ("Marek broke the replica").
//! Saying what a person did is not blame; saying they caused the incident is.

use super::words::{stem, tokens};
use crate::scenario::Scenario;

/// Phrases that blame whoever they are about. Matched on word stems.
const BLAME_PHRASES: &[&str] = &[
    "human error",
    "i blame",
    "to blame",
    "careless",
    "carelessness",
    "incompetent",
    "incompetence",
    "negligent",
    "negligence",
    "sloppy",
    "idiot",
    "stupid",
    "should have tested",
    "should have checked",
    "should have known",
    "should have caught",
    "never tested",
    "didn t test",
    "screwed up",
    "messed up",
];

/// Cause words (as written) that blame the person just before them: "Marek broke",
/// "his fault", "j.okafor's rule broke", "Raj's mistake".
const CAUSED_BY_SUBJECT: &[&str] = &[
    "broke", "breaks", "caused", "causing", "mistake", "mistakes", "fault",
];

/// Phrases (as written) that blame the person just after them: "caused by Marek",
/// "because Helen rushed", "thanks to j.okafor", "it is all on Rob".
const CAUSED_BY_OBJECT: &[&str] = &[
    "caused by",
    "broken by",
    "because",
    "because of",
    "thanks to",
    "is on",
    "s on",
    "all on",
    "blame",
];

const PRONOUNS: &[&str] = &["he", "she", "his", "her", "him"];

/// Words that, just before a blame word, deny the blame ("nobody's fault").
const NEGATIONS: &[&str] = &[
    "not", "no", "nobody", "never", "isn", "wasn", "t", "without",
];

/// How close (in words) a person must be to a cause word to be its subject or object.
const NEAR: usize = 3;

/// Finds blameful wording about the people of one scenario.
pub struct BlameCheck {
    /// The scenario's people (first names, deploy authors' handles), as lower-case
    /// words: "j.okafor" is ["j", "okafor"].
    people: Vec<Vec<String>>,
}

impl BlameCheck {
    pub fn new(scenario: &Scenario) -> BlameCheck {
        let names = scenario.characters.iter().map(|c| c.name.as_str()).chain(
            scenario
                .world
                .deploys
                .iter()
                .flat_map(|d| d.by.split([' ', ',', '(', ')']))
                .filter(|chunk| is_handle(chunk)),
        );
        let mut people: Vec<Vec<String>> = Vec::new();
        for name in names {
            let words = tokens(name);
            people.extend(
                words
                    .iter()
                    .filter(|w| w.chars().count() >= 3)
                    .map(|w| vec![w.clone()]),
            );
            people.push(words);
        }
        people.sort();
        people.dedup();
        BlameCheck { people }
    }

    /// The first blameful sentence of `text`, if any.
    pub fn blameful_sentence<'t>(&self, text: &'t str) -> Option<&'t str> {
        sentences(text).find(|sentence| self.blames(sentence))
    }

    /// `text` with every blameful sentence replaced by a note, for documents that must
    /// stay blameless (the postmortem draft).
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for sentence in sentences(text).filter(|s| self.blames(s)) {
            out = out.replace(sentence, "[blameful wording removed]");
        }
        out
    }

    fn blames(&self, sentence: &str) -> bool {
        if sentence.ends_with('?') {
            return false;
        }
        let raw = tokens(sentence);
        let stems: Vec<String> = raw.iter().map(|t| stem(t)).collect();
        let negated = |at: usize| {
            stems[at.saturating_sub(NEAR)..at]
                .iter()
                .any(|w| NEGATIONS.contains(&w.as_str()))
        };
        let phrase_at = |words: &[String], phrase: &str, stemmed: bool| -> Vec<usize> {
            let wanted: Vec<String> = phrase
                .split(' ')
                .map(|w| if stemmed { stem(w) } else { w.to_string() })
                .collect();
            words
                .windows(wanted.len())
                .enumerate()
                .filter(|(_, w)| *w == wanted.as_slice())
                .map(|(i, _)| i)
                .collect()
        };
        if BLAME_PHRASES
            .iter()
            .flat_map(|p| phrase_at(&stems, p, true))
            .any(|at| !negated(at))
        {
            return true;
        }
        // "Marek, the cause is ..." addresses Marek; it does not blame him.
        let addressed = sentence
            .split_once(',')
            .map(|(head, _)| tokens(head))
            .filter(|head| self.people.contains(head));
        // Where each mention of a person (or a pronoun) starts and ends, and whether it
        // is a named possessive ("Raj's rule ... broke" reaches further than "he broke").
        let mut mentions: Vec<(usize, usize, bool)> = Vec::new();
        for (i, w) in raw.iter().enumerate() {
            if PRONOUNS.contains(&w.as_str()) {
                mentions.push((i, i + 1, false));
            }
        }
        for person in self
            .people
            .iter()
            .filter(|p| Some(*p) != addressed.as_ref())
        {
            for start in phrase_at(&raw, &person.join(" "), false) {
                let end = start + person.len();
                mentions.push((start, end, raw.get(end).is_some_and(|w| w == "s")));
            }
        }
        let subject = raw.iter().enumerate().any(|(at, w)| {
            CAUSED_BY_SUBJECT.contains(&w.as_str())
                && !negated(at)
                && mentions.iter().any(|&(_, end, possessive)| {
                    end <= at && at - end < if possessive { 2 * NEAR } else { NEAR }
                })
        });
        let object = CAUSED_BY_OBJECT.iter().any(|phrase| {
            phrase_at(&raw, phrase, false).into_iter().any(|at| {
                let after = at + phrase.split(' ').count();
                !negated(at)
                    && mentions
                        .iter()
                        .any(|&(start, _, _)| start >= after && start - after < NEAR)
            })
        });
        subject || object
    }
}

/// Sentences and clauses of `text`, trimmed. A full stop ends a sentence only before
/// a space or the end, so "j.okafor" and "v2.1" stay whole.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            if rest.is_empty() {
                return None;
            }
            let mut chars = rest.char_indices().peekable();
            let mut cut = rest.len();
            let mut skip = 0;
            while let Some((i, c)) = chars.next() {
                let next_is_space = chars.peek().is_none_or(|&(_, n)| n.is_whitespace());
                if matches!(c, '!' | ';' | ':' | '"' | '\n' | '?') || (c == '.' && next_is_space) {
                    // A question mark stays with its sentence (questions are never blame).
                    cut = if c == '?' { i + 1 } else { i };
                    skip = if c == '?' { 0 } else { c.len_utf8() };
                    break;
                }
            }
            let sentence = rest[..cut].trim();
            rest = &rest[(cut + skip).min(rest.len())..];
            if !sentence.is_empty() {
                return Some(sentence);
            }
        }
    })
}

/// Whether a deploy's `by` chunk names a person ("j.okafor") rather than a bot
/// ("rules-bot", "ci/waf-release", "cron").
fn is_handle(chunk: &str) -> bool {
    let mut parts = chunk.split('.');
    let (Some(first), Some(last), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !first.is_empty()
        && last.chars().count() >= 2
        && first.chars().chain(last.chars()).all(|c| c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check() -> BlameCheck {
        BlameCheck {
            people: vec![tokens("marek"), tokens("raj"), tokens("j.okafor")],
        }
    }

    #[test]
    fn blame_language_and_naming_a_cause_are_flagged() {
        let c = check();
        // (text, the sentence of it that blames)
        for (text, blameful) in [
            (
                "Raj's deploy broke everything, he should have tested it.",
                "Raj's deploy broke everything, he should have tested it",
            ),
            (
                "Root cause: human error on the db host.",
                "human error on the db host",
            ),
            ("This is Marek's fault.", "This is Marek's fault"),
            (
                "Update: Marek caused the outage by wiping the data directory.",
                "Marek caused the outage by wiping the data directory",
            ),
            ("The on-call was careless", "The on-call was careless"),
            (
                "Honestly the DBA is to blame.",
                "Honestly the DBA is to blame",
            ),
            (
                "j.okafor's WAF rule broke everything",
                "j.okafor's WAF rule broke everything",
            ),
            (
                "Marek just wiped the primary. This is on him",
                "This is on him",
            ),
            (
                "Not my fault, it is all on Raj",
                "Not my fault, it is all on Raj",
            ),
            (
                "The outage is because Raj rushed the release",
                "The outage is because Raj rushed the release",
            ),
            (
                "Thanks to j.okafor, every site is down",
                "Thanks to j.okafor, every site is down",
            ),
        ] {
            assert_eq!(c.blameful_sentence(text), Some(blameful), "{text}");
        }
    }

    #[test]
    fn redaction_keeps_the_facts() {
        assert_eq!(
            check().redact("Found it. Raj's rule broke everything. Rolling back now."),
            "Found it. [blameful wording removed]. Rolling back now."
        );
    }

    #[test]
    fn facts_questions_and_denials_are_not() {
        let c = check();
        for text in [
            "A configuration change overloaded the edge; not an attack.",
            "Marek ran the resync on pg-main-1 at 23:27.",
            "Marek, what caused the lag?",
            "Raj, the error rate is back under 2%.",
            "This is nobody's fault: the rule shipped through a path without a canary.",
            "Blameless review this week.",
            "Your 15:00 message blamed a person: people who fear blame hide facts.",
            "The fault tolerance of the fleet held",
            "A disk fault on one node is unrelated",
            "Raj says her profile shows the new rule caused the CPU spike",
            "We should've paged at the first alert",
            "Priya says her team found the cause.",
            "The replica is broken and Marek is on it.",
        ] {
            assert_eq!(c.blameful_sentence(text), None, "{text}");
        }
    }
}
