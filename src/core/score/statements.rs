//! What a status update states as fact, read conservatively: a share of failing work
//! ("2% of requests are failing", "98% of messages get through"), a count ("about 400
//! hosts") or a time by which service will be back ("back within the hour", "fixed by
//! 15:00", "restored in 10 minutes").
//!
//! Only a sentence read with confidence states anything. A sentence is left alone when
//! it is negated ("not", "won't") or conditional ("if", "depending on"); a figure when
//! its sentence has another number ("from 40% to 2%") or says both failing and
//! succeeding; a time when its sentence also speaks of the next update ("next update
//! in 30 minutes" promises an update, not a recovery), has no word of recovery, or
//! counts from another event ("within 10 minutes of the fix").

use super::words::Words;

/// How a figure was put.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// "about 40%", "40%", "~40%".
    About,
    /// "under 2%", "less than 2%", "up to 2%", "at most 2%".
    AtMost,
    /// "over 40%", "more than 40%", "at least 40%".
    AtLeast,
}

/// When service will be back, as stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// This many seconds after the update.
    Within(u64),
    /// This wall-clock time, the next time it comes: in the scenario's time zone, or in
    /// UTC when the update says "UTC" or "GMT".
    Clock { hour: u32, minute: u32, utc: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stated {
    /// The share of work failing, in percent (a share succeeding is turned round).
    FailingShare { percent: f64, bound: Bound },
    /// A number of something: `noun` is the word after the number, lower case.
    Count {
        value: f64,
        noun: String,
        bound: Bound,
    },
    /// Service back by a time.
    Recovery(By),
}

/// A statement and the sentence it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub stated: Stated,
    pub sentence: String,
}

/// The statements of `text` that can be read with confidence.
pub fn statements(text: &str) -> Vec<Statement> {
    sentences(text)
        .into_iter()
        .filter_map(|sentence| {
            let stated = read(&sentence)?;
            Some(Statement { stated, sentence })
        })
        .collect()
}

/// The text cut into sentences at `.`, `!`, `?`, `;` and line ends (not at the point of
/// "2.5%"), with "a.m." and "p.m." kept whole.
fn sentences(text: &str) -> Vec<String> {
    let text = text
        .replace("a.m.", "am")
        .replace("p.m.", "pm")
        .replace("A.M.", "am")
        .replace("P.M.", "pm");
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let decimal_point = c == '.'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if "!?;\n".contains(c) || (c == '.' && !decimal_point) {
            out.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Percent,
    Clock(u32, u32),
    Word(String),
    Tilde,
}

fn lex(sentence: &str) -> Vec<Token> {
    let chars: Vec<char> = sentence.to_lowercase().chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    // "2,000" and "2.5"
                    || (matches!(chars[i], ',' | '.')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            let digits: String = chars[start..i].iter().filter(|c| **c != ',').collect();
            let minutes: String = chars.iter().skip(i + 1).take(2).collect();
            if chars.get(i) == Some(&':')
                && minutes.len() == 2
                && minutes.chars().all(|c| c.is_ascii_digit())
                && !chars.get(i + 3).is_some_and(char::is_ascii_digit)
            {
                if let (Ok(hour), Ok(minute)) = (digits.parse::<u32>(), minutes.parse::<u32>()) {
                    tokens.push(Token::Clock(hour, minute));
                }
                i += 3;
                continue;
            }
            if let Ok(value) = digits.parse::<f64>() {
                tokens.push(Token::Number(value));
            }
            continue;
        }
        if c.is_alphabetic() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphabetic() || chars[i] == '\'' || chars[i] == '’')
            {
                i += 1;
            }
            let word: String = chars[start..i]
                .iter()
                .map(|&c| if c == '’' { '\'' } else { c })
                .collect();
            tokens.push(match word.as_str() {
                "percent" => Token::Percent,
                _ => Token::Word(word),
            });
            continue;
        }
        match c {
            '%' => tokens.push(Token::Percent),
            '~' => tokens.push(Token::Tilde),
            _ => {}
        }
        i += 1;
    }
    tokens
}

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "cannot", "unlikely", "nothing", "none", "without",
];
const CONDITIONS: &[&str] = &[
    "if",
    "unless",
    "depending",
    "depends",
    "assuming",
    "provided",
    "once",
    "might",
    "may",
    "could",
    "hope",
    "hopefully",
];
const FAILING: &[&str] = &["error", "fail", "failure", "timeout", "time out", "unable"];
const SUCCEEDING: &[&str] = &[
    "succeed",
    "success",
    "successful",
    "go through",
    "get through",
    "deliver",
];
const RECOVERY: &[&str] = &[
    "restore", "fix", "resolve", "recover", "recovery", "normal", "mitigate",
];
/// "back" is recovery, except in these.
const NOT_BACK: &[&str] = &[
    "roll back",
    "fall back",
    "call back",
    "get back to",
    "report back",
];
/// Words that make a time something other than a promise of recovery: the next
/// update, or a time past.
const NOT_A_PROMISE: &[&str] = &[
    "update",
    "post",
    "report",
    "inform",
    "information",
    "share",
    "ago",
    "since",
];

fn word(token: &Token) -> Option<&str> {
    match token {
        Token::Word(w) => Some(w),
        _ => None,
    }
}

/// What one sentence states, if anything can be read with confidence.
fn read(sentence: &str) -> Option<Stated> {
    let tokens = lex(sentence);
    let words: Vec<&str> = tokens.iter().filter_map(word).collect();
    if words
        .iter()
        .any(|w| NEGATIONS.contains(w) || CONDITIONS.contains(w) || w.ends_with("n't"))
    {
        return None;
    }
    let text = Words::new(sentence);
    let has = |list: &[&str]| list.iter().any(|w| text.mentions(w));
    let recovers = has(RECOVERY) || (text.mentions("back") && !has(NOT_BACK));
    if recovers {
        if has(NOT_A_PROMISE) {
            return None;
        }
        return recovery(&tokens).map(Stated::Recovery);
    }
    let numbers = tokens
        .iter()
        .filter(|t| matches!(t, Token::Number(_) | Token::Clock(..)))
        .count();
    if numbers != 1 {
        return None;
    }
    let at = tokens.iter().position(|t| matches!(t, Token::Number(_)))?;
    let Token::Number(value) = tokens[at] else {
        return None;
    };
    let bound = bound_before(&tokens[..at]);
    if tokens.get(at + 1) == Some(&Token::Percent) {
        let (failing, succeeding) = (has(FAILING), has(SUCCEEDING));
        if value > 100.0 || failing == succeeding {
            return None;
        }
        return Some(if failing {
            Stated::FailingShare {
                percent: value,
                bound,
            }
        } else {
            Stated::FailingShare {
                percent: 100.0 - value,
                bound: match bound {
                    Bound::About => Bound::About,
                    Bound::AtMost => Bound::AtLeast,
                    Bound::AtLeast => Bound::AtMost,
                },
            }
        });
    }
    let noun = tokens.get(at + 1).and_then(word)?;
    let before = at.checked_sub(1).and_then(|i| tokens.get(i)).and_then(word);
    if noun.chars().count() < 3 || before.is_some_and(|w| ["in", "within", "by", "at"].contains(&w))
    {
        return None;
    }
    Some(Stated::Count {
        value,
        noun: noun.to_string(),
        bound,
    })
}

/// "less than", "under", ... just before a figure.
fn bound_before(before: &[Token]) -> Bound {
    let last: Vec<&str> = before.iter().rev().take(2).filter_map(word).collect();
    let one = last.first().copied().unwrap_or("");
    let two = last.get(1).map_or(String::new(), |w| format!("{w} {one}"));
    if ["under", "below"].contains(&one)
        || ["less than", "fewer than", "up to", "at most"].contains(&two.as_str())
    {
        Bound::AtMost
    } else if ["over", "above"].contains(&one) || ["more than", "at least"].contains(&two.as_str())
    {
        Bound::AtLeast
    } else {
        Bound::About
    }
}

/// The one time in a sentence by which service will be back: "in 20 minutes", "within
/// the hour", "within half an hour", "in an hour and a half", "by 15:30", "by 3pm",
/// "before 15:00 UTC". Two times, or none, read as nothing.
fn recovery(tokens: &[Token]) -> Option<By> {
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match word(token) {
            Some("in" | "within") => {
                if let Some(by) = within(&tokens[i + 1..]) {
                    found.push(by);
                }
            }
            Some("by" | "before") => {
                if let Some(by) = clock(&tokens[i + 1..]) {
                    found.push(by);
                }
            }
            _ => {}
        }
    }
    let clocks = tokens
        .iter()
        .filter(|t| matches!(t, Token::Clock(..)))
        .count();
    (found.len() == 1 && clocks <= 1).then(|| found[0])
}

const FILLERS: &[&str] = &[
    "the",
    "next",
    "about",
    "around",
    "roughly",
    "approximately",
    "another",
];

/// "20 minutes", "the hour", "half an hour", "an hour and a half", "1.5 hours".
fn within(after: &[Token]) -> Option<By> {
    let mut rest = after;
    let mut the = false;
    loop {
        match rest.first() {
            Some(Token::Tilde) => rest = &rest[1..],
            Some(Token::Word(w)) if FILLERS.contains(&w.as_str()) => {
                the |= w == "the";
                rest = &rest[1..];
            }
            _ => break,
        }
    }
    let (amount, unit_at) = match rest.first()? {
        Token::Number(n) => (*n, 1),
        // "within the hour", "in the next hour"
        Token::Word(w) if w == "hour" && the => (1.0, 0),
        Token::Word(w) if w == "half" && matches!(rest.get(1).and_then(word), Some("an" | "a")) => {
            (0.5, 2)
        }
        Token::Word(w) => (number_word(w)?, 1),
        _ => return None,
    };
    let unit = match rest.get(unit_at).and_then(word)? {
        "minute" | "minutes" | "min" | "mins" => 60.0,
        "hour" | "hours" | "hr" | "hrs" | "h" => 3600.0,
        _ => return None,
    };
    let mut secs = amount * unit;
    let mut next = unit_at + 1;
    if rest.get(next).and_then(word) == Some("and")
        && rest.get(next + 1).and_then(word) == Some("a")
        && rest.get(next + 2).and_then(word) == Some("half")
    {
        secs += unit / 2.0;
        next += 3;
    }
    if matches!(rest.get(next).and_then(word), Some("of" | "after" | "from"))
        || !(1.0..=86_400.0).contains(&secs)
    {
        return None;
    }
    Some(By::Within(secs.round() as u64))
}

fn number_word(word: &str) -> Option<f64> {
    let n = match word {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "ten" => 10,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "ninety" => 90,
        _ => return None,
    };
    Some(f64::from(n))
}

/// "15:30", "15:30 UTC", "3pm", "3:30 pm", after "by" or "before".
fn clock(after: &[Token]) -> Option<By> {
    let mut rest = after;
    while matches!(rest.first(), Some(Token::Tilde))
        || rest
            .first()
            .and_then(word)
            .is_some_and(|w| ["about", "around", "approximately"].contains(&w))
    {
        rest = &rest[1..];
    }
    let (hour, minute) = match rest.first()? {
        Token::Clock(h, m) => (*h, *m),
        Token::Number(h)
            if h.fract() == 0.0 && matches!(rest.get(1).and_then(word), Some("am" | "pm")) =>
        {
            (*h as u32, 0)
        }
        _ => return None,
    };
    let (hour, zone) = match rest.get(1).and_then(word) {
        Some("pm") if (1..=12).contains(&hour) => (hour % 12 + 12, rest.get(2).and_then(word)),
        Some("am") if (1..=12).contains(&hour) => (hour % 12, rest.get(2).and_then(word)),
        Some("am" | "pm") => return None,
        zone => (hour, zone),
    };
    if hour > 23 || minute > 59 {
        return None;
    }
    let utc = match zone {
        Some("utc" | "gmt" | "z") => true,
        // Another zone: which offset it means is not certain enough to judge.
        Some(w) if ZONES.contains(&w) => return None,
        _ => false,
    };
    Some(By::Clock { hour, minute, utc })
}

const ZONES: &[&str] = &[
    "cet", "cest", "bst", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "et", "ct", "mt",
    "pt", "ist", "jst", "aest", "aedt", "eet", "eest", "wet", "west",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Option<Stated> {
        let all = statements(text);
        assert!(all.len() <= 1, "{text}: {all:?}");
        all.into_iter().next().map(|s| s.stated)
    }

    fn share(percent: f64, bound: Bound) -> Option<Stated> {
        Some(Stated::FailingShare { percent, bound })
    }

    #[test]
    fn shares_of_failing_work_are_read_either_way_round() {
        assert_eq!(
            one("About 2% of requests are failing."),
            share(2.0, Bound::About)
        );
        assert_eq!(
            one("Errors affect ~40 percent of page loads"),
            share(40.0, Bound::About)
        );
        assert_eq!(one("Less than 1% of saves fail"), share(1.0, Bound::AtMost));
        assert_eq!(one("98% of messages get through"), share(2.0, Bound::About));
        assert_eq!(
            one("At least 95% of messages are delivered"),
            share(5.0, Bound::AtMost)
        );
        assert_eq!(
            one("Over 2.5% of requests time out"),
            share(2.5, Bound::AtLeast)
        );
    }

    #[test]
    fn figures_read_without_confidence_state_nothing() {
        for text in [
            "Error rates fell from 40% to 2%.",
            "2% of users are affected",
            "98% of requests succeed, 2% fail",
            "We are not seeing 2% errors any more",
            "If it holds, under 1% of requests will fail",
            "CPU is at 98%",
        ] {
            assert_eq!(one(text), None, "{text}");
        }
    }

    #[test]
    fn counts_name_what_they_count() {
        assert_eq!(
            one("About 400 customers are affected"),
            Some(Stated::Count {
                value: 400.0,
                noun: "customers".into(),
                bound: Bound::About
            })
        );
        assert_eq!(
            one("More than 1,200 hosts are in service"),
            Some(Stated::Count {
                value: 1200.0,
                noun: "hosts".into(),
                bound: Bound::AtLeast
            })
        );
        assert_eq!(one("Some attempts time out after 30 s"), None);
    }

    #[test]
    fn recovery_times_are_read_in_the_ways_people_put_them() {
        let within = |text: &str, secs: u64| {
            assert_eq!(
                one(text),
                Some(Stated::Recovery(By::Within(secs))),
                "{text}"
            );
        };
        within("We expect service back within the hour.", 3600);
        within("Messages should be back within the hour", 3600);
        within("Expect a fix in 10 minutes", 600);
        within("Service will be restored within ~20 min", 1200);
        within("We expect to be back to normal within half an hour", 1800);
        within("Fixed in an hour and a half", 5400);
        within("We expect recovery in the next 30 minutes", 1800);
        within("Restored in about 1.5 hours", 5400);
        let by = |text: &str, hour: u32, minute: u32, utc: bool| {
            assert_eq!(
                one(text),
                Some(Stated::Recovery(By::Clock { hour, minute, utc })),
                "{text}"
            );
        };
        by("Fixed by 15:00", 15, 0, false);
        by("We expect it resolved by 3pm", 15, 0, false);
        by("Back to normal before 14:30 UTC.", 14, 30, true);
        by("Restored by 9:15 a.m. today", 9, 15, false);
    }

    #[test]
    fn other_times_are_not_recovery_promises() {
        for text in [
            "Next update in 30 minutes.",
            "We will post an update by 15:00 when the fix is out",
            "Service was restored 10 minutes ago",
            "Back within 10 minutes of the fix landing",
            "We won't be back within the hour",
            "If the rebuild works, we are back in 20 minutes",
            "Writes back in 30-40 min, depending on the rebuild",
            "Fixed by 15:00 PST",
            "The WAF stays off until the rule is fixed and tested, about 20 min",
            "Resolved at 14:11 UTC after 7 minutes of normal traffic",
            "We are working on a fix",
        ] {
            assert_eq!(one(text), None, "{text}");
        }
    }

    #[test]
    fn each_sentence_is_read_on_its_own() {
        let all = statements(
            "Sends fail for about 30% of messages. We expect a fix within the hour. Next update by 15:00.",
        );
        let stated: Vec<&Stated> = all.iter().map(|s| &s.stated).collect();
        assert_eq!(
            stated,
            [
                &Stated::FailingShare {
                    percent: 30.0,
                    bound: Bound::About
                },
                &Stated::Recovery(By::Within(3600)),
            ]
        );
        assert_eq!(all[1].sentence, "We expect a fix within the hour");
    }
}
