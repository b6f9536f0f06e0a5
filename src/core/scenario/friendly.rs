//! Syntax errors in the words of the mistake an author made. ron says where it stopped
//! understanding, which is often a line after the mistake; for the mistakes authors
//! make most, this moves the place to where the fix goes and says what the fix is:
//!
//! - a string never closed: reported at its opening quote, not where ron gave up;
//! - a missing comma: at the end of the line that needs it, not at the next field;
//! - positional arguments where names are needed: "write Below(metric: ..., value: ...)".

use super::diagnostic::{Diagnostic, Location};

/// The variants of the scenario format that take named fields, with the fields an
/// author must write (the optional ones after "...").
const NAMED: [(&str, &str); 6] = [
    ("Ramp", "metric: ..., to: ..., over: ..."),
    ("Say", "who: ..., text: ..."),
    ("Log", "service: ..., level: ..., text: ..."),
    ("Above", "metric: ..., value: ..."),
    ("Below", "metric: ..., value: ..."),
    ("StatusSent", "audience: ..."),
];

/// A better diagnostic for ron's `code` at `at` in `source`, when the mistake is one of
/// the known ones.
pub(crate) fn explain(source: &str, code: &ron::error::Error, at: Location) -> Option<Diagnostic> {
    let offset = offset_of(source, at)?;
    if let Some(open) = unclosed_string(source, offset) {
        let (line, col) = location_of(source, open);
        let runs_to = source[..offset].lines().count().max(line);
        return Some(Diagnostic::new(
            Location { line, col },
            1,
            format!(
                "this string is never closed: it runs on to line {runs_to}; add the closing \" where the text ends"
            ),
        ));
    }
    match code {
        ron::error::Error::ExpectedComma => missing_comma(source, offset),
        ron::error::Error::ExpectedIdentifier => positional(source, offset, at),
        _ => None,
    }
}

/// The byte offset of a 1-based line and character column.
fn offset_of(source: &str, at: Location) -> Option<usize> {
    let mut offset = 0;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        if i + 1 == at.line {
            let col = line
                .char_indices()
                .nth(at.col.saturating_sub(1))
                .map_or(line.len(), |(b, _)| b);
            return Some(offset + col);
        }
        offset += line.len();
    }
    (at.line > 0).then_some(source.len())
}

/// The 1-based line and character column of a byte offset.
fn location_of(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |n| n + 1);
    (line, before[start..].chars().count() + 1)
}

/// Where an unclosed string opens, if the error at `offset` comes from one: the text
/// before it ends inside a string, or the last string before it spans lines and closes
/// on the error's own line (the "closing" quote was the next string's opening one).
fn unclosed_string(source: &str, offset: usize) -> Option<usize> {
    let strings = string_literals(source);
    let &(open, close) = strings.iter().rev().find(|(open, _)| *open < offset)?;
    match close {
        None => Some(open),
        Some(close) => {
            let spans_lines = source[open..close].contains('\n');
            let error_line_start = source[..offset].rfind('\n').map_or(0, |n| n + 1);
            (spans_lines && (error_line_start..offset).contains(&close)).then_some(open)
        }
    }
}

/// The string literals of `text`: (opening quote, closing quote if any), in order.
/// Comments are skipped; raw strings are rare in scenarios and read as plain ones.
fn string_literals(text: &str) -> Vec<(usize, Option<usize>)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let open = i;
                i += 1;
                let mut close = None;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'"' => {
                            close = Some(i);
                            break;
                        }
                        _ => {}
                    }
                    i += 1;
                }
                found.push((open, close));
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// A comma missing at the end of a line: ron stops at the first token of the next one.
fn missing_comma(source: &str, offset: usize) -> Option<Diagnostic> {
    let before = source[..offset].trim_end();
    if !source[before.len()..offset].contains('\n') {
        return None;
    }
    let (line, col) = location_of(source, before.len());
    let next = source[offset..]
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .filter(|word| !word.is_empty());
    let message = match next {
        Some(word) => format!("missing comma at the end of this line (before `{word}`)"),
        None => "missing comma at the end of this line".to_string(),
    };
    Some(Diagnostic::new(Location { line, col }, 1, message))
}

/// Values given by position inside a variant that takes named fields.
fn positional(source: &str, offset: usize, at: Location) -> Option<Diagnostic> {
    let before = source[..offset].trim_end();
    let name_end = before.strip_suffix('(')?.trim_end();
    let name_start = name_end
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |n| n + 1);
    let name = &name_end[name_start..];
    let fields = NAMED.iter().find(|(variant, _)| *variant == name)?.1;
    Some(Diagnostic::new(
        at,
        1,
        format!("{name} takes its values by name: write {name}({fields})"),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    /// The first problem `parse` reports, as `LINE:COL: message`.
    fn first(source: &str) -> String {
        let d = parse(source).expect_err("broken on purpose").remove(0);
        format!("{}:{}: {}", d.at.line, d.at.col, d.message)
    }

    /// The shipped example, small and valid, to break in one place at a time.
    fn example() -> String {
        super::super::builtin::source("edge-waf-regex")
            .expect("built-in")
            .to_owned()
    }

    /// The example's title line and its index.
    fn title_line(text: &str) -> (usize, &str) {
        text.lines()
            .enumerate()
            .find(|(_, l)| l.trim_start().starts_with("title:"))
            .expect("a title")
    }

    #[test]
    fn an_unclosed_string_is_reported_at_its_opening_quote() {
        let good = example();
        let (index, line) = title_line(&good);
        // The title's closing quote forgotten: ron reads on into the next lines.
        let broken = good.replacen(line, &line.replacen("\",", ",", 1), 1);
        let col = line.find('"').expect("a quote") + 1;
        let said = first(&broken);
        assert!(
            said.starts_with(&format!(
                "{}:{col}: this string is never closed: it runs on to line ",
                index + 1
            )),
            "{said}"
        );
    }

    #[test]
    fn a_missing_comma_is_reported_at_the_end_of_the_line_that_needs_it() {
        let good = example();
        let (index, line) = title_line(&good);
        let broken = good.replacen(line, line.trim_end_matches(','), 1);
        let end = line.trim_end_matches(',').chars().count() + 1;
        assert_eq!(
            first(&broken),
            format!(
                "{}:{end}: missing comma at the end of this line (before `{}`)",
                index + 1,
                good.lines()
                    .nth(index + 1)
                    .expect("a next line")
                    .trim_start()
                    .split(':')
                    .next()
                    .expect("a field")
            )
        );
    }

    #[test]
    fn positional_values_in_a_named_variant_say_how_to_write_them() {
        let good = example();
        let named = good.find("Above(metric: ").expect("an Above condition");
        let close = named + good[named..].find(')').expect("its end");
        let broken = format!(
            "{}Above(\"edge_cpu\", 90.0){}",
            &good[..named],
            &good[close + 1..]
        );
        let said = first(&broken);
        assert!(
            said.ends_with("Above takes its values by name: write Above(metric: ..., value: ...)"),
            "{said}"
        );
    }

    #[test]
    fn other_syntax_errors_keep_rons_words() {
        let said = first("Scenario(id: 12)");
        assert!(
            !said.contains("never closed") && !said.contains("comma"),
            "{said}"
        );
    }
}
