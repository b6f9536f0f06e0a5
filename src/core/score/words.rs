//! Matching what people wrote against what the scenario expects: whole words only
//! ("api" is not in "rapid"), case-insensitive, tolerant of word forms ("errors",
//! "erroring", "errored" all match "error"; "roll back" matches "rollback"), with each
//! expected term given as a list of synonyms. Word forms are Snowball English stems
//! (rust-stemmers), British spellings folded into American ones first.

use rust_stemmers::{Algorithm, Stemmer};

/// Free text, split into words and reduced to word stems, ready to be searched.
#[derive(Debug, Clone, Default)]
pub struct Words {
    stems: Vec<String>,
    /// The stem of each two neighbouring stems written as one word, so "roll back"
    /// is found as "rollback"; worked out once, as every phrase searched needs them.
    joined: Vec<String>,
}

impl Words {
    pub fn new(text: &str) -> Words {
        let stems: Vec<String> = spelled_out(text).iter().map(|t| stem(t)).collect();
        let joined = stems
            .windows(2)
            .map(|pair| stem(&format!("{}{}", pair[0], pair[1])))
            .collect();
        Words { stems, joined }
    }

    /// Whether the text mentions `phrase`: its words, in order and next to each other,
    /// or written as one word ("rollback" for "roll back", and the other way round).
    pub fn mentions(&self, phrase: &str) -> bool {
        let words = spelled_out(phrase);
        let wanted: Vec<String> = words.iter().map(|t| stem(t)).collect();
        if wanted.is_empty() {
            return false;
        }
        if self.stems.windows(wanted.len()).any(|w| w == wanted) {
            return true;
        }
        let joined = stem(&words.concat());
        self.joined.contains(&joined) || (wanted.len() > 1 && self.stems.contains(&joined))
    }

    /// Whether the text mentions any synonym of `term`.
    pub fn mentions_any(&self, term: &[String]) -> bool {
        term.iter().any(|synonym| self.mentions(synonym))
    }

    /// The word stems, in order.
    pub fn stems(&self) -> &[String] {
        &self.stems
    }
}

/// The words of a text with the abbreviations people write in a hurry spelled out:
/// "db" is "database", "MRs" are "merge requests".
fn spelled_out(text: &str) -> Vec<String> {
    const SHORT: &[(&str, &str)] = &[
        ("db", "database"),
        ("dbs", "databases"),
        ("msg", "message"),
        ("msgs", "messages"),
        ("mr", "merge request"),
        ("mrs", "merge requests"),
        ("infra", "infrastructure"),
        ("prod", "production"),
        ("repl", "replication"),
        ("eu", "europe"),
    ];
    tokens(text)
        .into_iter()
        .flat_map(
            |word| match SHORT.iter().find(|(short, _)| *short == word) {
                Some((_, long)) => long.split(' ').map(str::to_string).collect(),
                None => vec![word],
            },
        )
        .collect()
}

/// Lower-case runs of letters and digits.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The Snowball English stem of a word, after folding British spellings into American
/// ("prioritised" and "prioritized" stem alike). Words with digits and acronyms keep
/// their form, except a plural "s" ("502s" is the plural of "502", "VPCs" of "VPC";
/// "5xx" stays as it is).
pub fn stem(word: &str) -> String {
    STEMS.with_borrow_mut(|known| {
        if let Some(stem) = known.get(word) {
            return stem.clone();
        }
        if known.len() >= STEMS_KEPT {
            known.clear();
        }
        let stem = stem_afresh(word);
        known.insert(word.to_owned(), stem.clone());
        stem
    })
}

/// How many words [`stem`] remembers per thread before it starts afresh: a drill's
/// vocabulary and its reports are a few thousand words, and scoring stems the same
/// ones over and over (every report against every expectation and task).
const STEMS_KEPT: usize = 50_000;

thread_local! {
    /// Words already stemmed on this thread, by their form as given.
    static STEMS: std::cell::RefCell<std::collections::HashMap<String, String>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn stem_afresh(word: &str) -> String {
    let w = word.to_lowercase();
    if w.chars().any(|c| c.is_ascii_digit()) {
        return match w.strip_suffix('s') {
            Some(base) if base.ends_with(|c: char| c.is_ascii_digit()) => base.to_string(),
            _ => w,
        };
    }
    // Snowball leaves the plural of an acronym alone ("VPCs", "ASNs"): no vowel, no
    // English word.
    if w.len() >= 3
        && !w.contains(['a', 'e', 'i', 'o', 'u', 'y'])
        && let Some(base) = w.strip_suffix('s')
    {
        return base.to_string();
    }
    let w = american(&w);
    // Creating the stemmer only picks the algorithm's function: nothing to cache.
    Stemmer::create(Algorithm::English).stem(&w).into_owned()
}

/// British -ise/-yse spellings in their American form: "prioritise" -> "prioritize",
/// "analysed" -> "analyzed". Both sides of every comparison pass through here, so a
/// word that merely ends in "ise" ("enterprise") changes on both sides alike.
fn american(word: &str) -> String {
    for (british, american) in [
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("ise", "ize"),
        ("ysing", "yzing"),
        ("ysed", "yzed"),
        ("yse", "yze"),
    ] {
        if let Some(base) = word.strip_suffix(british)
            && base.chars().count() >= 3
        {
            return format!("{base}{american}");
        }
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        let text = Words::new("Rapid growth in traffic");
        assert!(!text.mentions("api"));
        assert!(text.mentions("rapid"));
        assert!(text.mentions("TRAFFIC"));
    }

    #[test]
    fn word_forms_match() {
        let text = Words::new("Checkout is erroring; customers paged, 502s everywhere");
        assert!(text.mentions("error"));
        assert!(text.mentions("customer"));
        assert!(text.mentions("page"));
        assert!(text.mentions("502"));
        assert!(Words::new("errors and failures").mentions("failure"));
        assert!(Words::new("the pods were restarted").mentions("restarting"));
        assert!(Words::new("dependencies").mentions("dependency"));
        assert!(Words::new("status").mentions("status"));
        assert!(Words::new("it applied").mentions("applies"));
        assert!(!Words::new("5xx").mentions("5"));
        assert!(Words::new("payments prioritised").mentions("prioritized"));
        assert!(Words::new("we analysed the dumps").mentions("analyze"));
        assert!(Words::new("restored in stages").mentions("staged"));
        assert!(Words::new("db team, MRs failing").mentions("database team"));
        assert!(Words::new("between our VPCs").mentions("vpc"));
        assert!(Words::new("merge requests").mentions("MRs"));
    }

    #[test]
    fn phrases_match_in_order_and_joined() {
        let text = Words::new("We are rolling back the deploy");
        assert!(text.mentions("roll back"));
        assert!(text.mentions("rollback"));
        assert!(Words::new("rollback started").mentions("roll back"));
        assert!(!text.mentions("back roll"));
        assert!(!Words::new("").mentions("anything"));
        assert!(!text.mentions(" "));
    }

    #[test]
    fn any_synonym_will_do() {
        let term = vec!["edge".to_string(), "CDN".to_string()];
        assert!(Words::new("the cdn is down").mentions_any(&term));
        assert!(!Words::new("the database is down").mentions_any(&term));
    }
}
