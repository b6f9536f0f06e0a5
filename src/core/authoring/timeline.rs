//! A postmortem timeline, read for `firedrill new --from-timeline`: rows of time,
//! source and text, from a CSV file or a Markdown table copied from a postmortem, with
//! clock times in any time zone or offsets from the start. Each row's time becomes an
//! offset from the timeline's first row; bad rows are located by line and column.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::scenario::{Diagnostic, Duration, LoadError, Location};

/// The rows of a timeline, their times as offsets from its first row.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The wall-clock instant of the first row, when the timeline gives clock times
    /// (`None` for a timeline written in offsets).
    pub start: Option<DateTime<FixedOffset>>,
    /// Whether a row gave a date; without one, clock times fall on [`DEFAULT_DATE`].
    pub dated: bool,
    pub rows: Vec<Row>,
}

/// One row of a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line in the timeline file.
    pub line: usize,
    /// Time since the timeline's first row (for clock times) or as written (offsets).
    pub at: Duration,
    /// Who or what the row comes from ("SRE", "PagerDuty"); empty when not given.
    pub source: String,
    pub text: String,
}

/// The date clock times without a date fall on when no row gives one.
pub const DEFAULT_DATE: (i32, u32, u32) = (2026, 1, 5);

/// The time zone an author names (an IANA name such as `"Europe/Berlin"`), UTC when
/// none is given.
pub fn zone(name: Option<&str>) -> Result<Tz, String> {
    name.map_or(Ok(Tz::UTC), |name| {
        name.parse().map_err(|_| {
            format!("unknown time zone \"{name}\": use an IANA name such as \"Europe/Berlin\" or \"UTC\"")
        })
    })
}

/// Reads a timeline file; clock times without a zone or offset are in `zone`.
pub fn load_file(path: &Path, zone: Tz) -> Result<Timeline, LoadError> {
    let source_text = LoadError::read(path)?;
    parse(&source_text, zone).map_err(|diagnostics| LoadError::Invalid {
        path: path.to_path_buf(),
        source_text,
        diagnostics,
    })
}

/// Reads timeline text: a Markdown table when a line starts with `|` (other lines,
/// such as prose around the table, are skipped), otherwise CSV. Every bad row is reported, in line order.
pub fn parse(text: &str, zone: Tz) -> Result<Timeline, Vec<Diagnostic>> {
    let markdown = text.lines().any(|l| l.trim_start().starts_with('|'));
    let mut problems = Vec::new();
    let mut records = if markdown {
        markdown_records(text)
    } else {
        csv_records(text, &mut problems)
    };
    let Some(first) = records.first() else {
        return Err(vec![Diagnostic::new(
            Location { line: 1, col: 1 },
            1,
            "the timeline has no rows: write one row per event, time,source,text",
        )]);
    };
    // A Markdown table always has a header; a CSV file has one when its first row's
    // first field has no digit (no time can be written without one).
    let has_header = markdown || !first.fields.first().is_some_and(|f| has_digit(&f.text));
    let columns = if has_header {
        Columns::from_header(&records.remove(0))
    } else {
        Columns::positional(first.fields.len())
    };

    let mut reader = TimeReader::new(&records, &columns, zone);
    let mut rows = Vec::new();
    for record in &records {
        match read_row(record, &columns, &mut reader) {
            Ok(row) => rows.push(row),
            Err(d) => problems.push(d),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(Diagnostic::new(
            Location { line: 1, col: 1 },
            1,
            "the timeline has a header but no rows",
        ));
    }
    if problems.is_empty() {
        Ok(Timeline {
            start: reader.first,
            dated: reader.dated,
            rows,
        })
    } else {
        problems.sort_by_key(|d| d.at);
        Err(problems)
    }
}

// ----- records: fields with their place in the file ---------------------------------

#[derive(Debug)]
struct Field {
    col: usize,
    text: String,
}

#[derive(Debug)]
struct Record {
    line: usize,
    /// Column just past the end of the line, where a missing field is reported.
    end_col: usize,
    fields: Vec<Field>,
}

/// The rows of the file's Markdown table (lines starting with `|`), the separator row
/// (`|---|:--|`) left out. `\|` is a pipe inside a cell.
fn markdown_records(text: &str) -> Vec<Record> {
    let mut records = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let indent = line.chars().take_while(|c| c.is_whitespace()).count();
        let body: Vec<char> = line.chars().skip(indent).collect();
        if body.first() != Some(&'|') {
            continue;
        }
        let mut fields = Vec::new();
        let mut cell = String::new();
        let mut cell_col = indent + 2;
        let mut chars = body.iter().enumerate().skip(1).peekable();
        while let Some((i, &c)) = chars.next() {
            if c == '\\' && chars.peek().is_some_and(|(_, n)| **n == '|') {
                cell.push('|');
                chars.next();
            } else if c == '|' {
                fields.push(trimmed_field(&cell, cell_col));
                cell.clear();
                cell_col = indent + i + 2;
            } else {
                cell.push(c);
            }
        }
        if !cell.trim().is_empty() {
            fields.push(trimmed_field(&cell, cell_col));
        }
        let separator = fields
            .iter()
            .all(|f| !f.text.is_empty() && f.text.chars().all(|c| matches!(c, '-' | ':' | ' ')));
        if !separator {
            records.push(Record {
                line: index + 1,
                end_col: indent + body.len() + 1,
                fields,
            });
        }
    }
    records
}

/// CSV rows (RFC 4180 quoting: `"a, b"` and `""` for a quote inside), blank lines
/// skipped. An unclosed quote is reported at its opening.
fn csv_records(text: &str, problems: &mut Vec<Diagnostic>) -> Vec<Record> {
    let mut records = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut fields = Vec::new();
        let mut i = 0;
        loop {
            let start = i;
            let mut cell = String::new();
            let lead = chars[i..].iter().take_while(|c| **c == ' ').count();
            if chars.get(i + lead) == Some(&'"') {
                let quote = i + lead;
                i = quote + 1;
                let mut closed = false;
                while i < chars.len() {
                    if chars[i] == '"' {
                        if chars.get(i + 1) == Some(&'"') {
                            cell.push('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i += 1;
                        break;
                    }
                    cell.push(chars[i]);
                    i += 1;
                }
                if !closed {
                    problems.push(Diagnostic::new(
                        Location {
                            line: index + 1,
                            col: quote + 1,
                        },
                        1,
                        "this quote is never closed: end the field with \" (write \"\" for a quote inside it)",
                    ));
                    break;
                }
                while i < chars.len() && chars[i] != ',' {
                    i += 1;
                }
                fields.push(Field {
                    col: quote + 2,
                    text: cell.trim().to_string(),
                });
            } else {
                while i < chars.len() && chars[i] != ',' {
                    cell.push(chars[i]);
                    i += 1;
                }
                fields.push(trimmed_field(&cell, start + 1));
            }
            if i >= chars.len() {
                break;
            }
            i += 1; // the comma
        }
        records.push(Record {
            line: index + 1,
            end_col: chars.len() + 1,
            fields,
        });
    }
    records
}

/// A cell's text trimmed, its column moved to the first non-blank character.
fn trimmed_field(cell: &str, col: usize) -> Field {
    let lead = cell.chars().take_while(|c| c.is_whitespace()).count();
    Field {
        col: col + lead,
        text: cell.trim().to_string(),
    }
}

fn has_digit(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
}

// ----- columns ------------------------------------------------------------------------

/// Which field holds the time, the source and the text.
#[derive(Debug)]
struct Columns {
    time: usize,
    source: Option<usize>,
    text: usize,
}

impl Columns {
    /// time, source, text in that order (time, text with two columns).
    fn positional(count: usize) -> Columns {
        if count >= 3 {
            Columns {
                time: 0,
                source: Some(1),
                text: 2,
            }
        } else {
            Columns {
                time: 0,
                source: None,
                text: 1,
            }
        }
    }

    /// Columns found by their header names ("Time (UTC)", "Who", "Event", ...), the
    /// positional order for those no name says.
    fn from_header(header: &Record) -> Columns {
        let find = |words: &[&str]| {
            header.fields.iter().position(|f| {
                let name = f.text.to_lowercase();
                words.iter().any(|w| name.contains(w))
            })
        };
        let time = find(&["time", "when", "utc", "date", "clock"]).unwrap_or(0);
        let source = find(&["source", "who", "actor", "author", "by", "team", "system"]);
        let text = find(&["text", "event", "what", "description", "message", "detail"]);
        let fallback = Columns::positional(header.fields.len());
        match (source, text) {
            (source, Some(text)) => Columns { time, source, text },
            (Some(source), None) => Columns {
                time,
                source: Some(source),
                text: (0..header.fields.len())
                    .find(|c| *c != time && *c != source)
                    .unwrap_or(fallback.text),
            },
            (None, None) => Columns { time, ..fallback },
        }
    }
}

fn read_row(
    record: &Record,
    columns: &Columns,
    reader: &mut TimeReader,
) -> Result<Row, Diagnostic> {
    let missing = |what: &str| {
        Diagnostic::new(
            Location {
                line: record.line,
                col: record.end_col,
            },
            1,
            format!("this row has no {what}: write time, source, text"),
        )
    };
    let time = record
        .fields
        .get(columns.time)
        .filter(|f| !f.text.is_empty())
        .ok_or_else(|| missing("time"))?;
    let text = record
        .fields
        .get(columns.text)
        .filter(|f| !f.text.is_empty())
        .ok_or_else(|| missing("text"))?;
    let source = columns
        .source
        .and_then(|c| record.fields.get(c))
        .map(|f| f.text.clone())
        .unwrap_or_default();
    let at = reader.read(time, record.line)?;
    Ok(Row {
        line: record.line,
        at,
        source,
        text: text.text.clone(),
    })
}

// ----- times ------------------------------------------------------------------------

const TIME_FORMS: &str = "write a clock time (\"14:02\", \"14:02:30\", \"2019-07-02 13:42 UTC\", \"9:37 PM -08:00\") or an offset (\"+5m\", \"0:12:00\", \"12m\")";

/// Reads the rows' times in order, keeping what later rows depend on: whether the
/// timeline is in offsets, the date and zone in force, the previous instant. A row
/// without a date or zone takes the last one given, or for rows before any, the first
/// one the file gives; clock times without any are in the zone argument.
struct TimeReader {
    zone: Tz,
    offsets: bool,
    /// The first date any row gives, for rows before it.
    first_date: Option<NaiveDate>,
    date_seen: Option<NaiveDate>,
    /// Whether a row gave a date.
    dated: bool,
    /// The first zone any row gives, for rows before it, and the last one given.
    first_zone: Option<Zone>,
    zone_seen: Option<Zone>,
    first: Option<DateTime<FixedOffset>>,
    previous: Option<(DateTime<FixedOffset>, usize)>,
    previous_offset: Option<(Duration, usize)>,
}

/// A clock time as written: its date and zone when given.
struct Clock {
    date: Option<NaiveDate>,
    time: NaiveTime,
    zone: Option<Zone>,
}

#[derive(Debug, Clone, Copy)]
enum Zone {
    Fixed(FixedOffset),
    Named(Tz),
}

impl TimeReader {
    /// The timeline is in offsets when its first time is one: `+5m`, `T+0`, `12m`,
    /// or `0:00`/`0:00:00` (midnight as a clock time needs a date or a zone).
    fn new(records: &[Record], columns: &Columns, zone: Tz) -> TimeReader {
        let times = records
            .iter()
            .filter_map(|r| r.fields.get(columns.time).map(|f| f.text.as_str()));
        let offsets = times
            .clone()
            .next()
            .is_some_and(|t| offset_only(t) || offset(t) == Some(Duration::ZERO));
        let clocks = || {
            times
                .clone()
                .filter_map(parse_clock)
                .take_while(|_| !offsets)
        };
        let first_date = clocks().find_map(|c| c.date);
        let first_zone = clocks().find_map(|c| c.zone);
        TimeReader {
            zone,
            offsets,
            first_date,
            date_seen: None,
            dated: false,
            first_zone,
            zone_seen: None,
            first: None,
            previous: None,
            previous_offset: None,
        }
    }

    fn read(&mut self, field: &Field, line: usize) -> Result<Duration, Diagnostic> {
        let error = |message: String| {
            Diagnostic::new(
                Location {
                    line,
                    col: field.col,
                },
                field.text.chars().count(),
                message,
            )
        };
        let text = field.text.as_str();
        if self.offsets {
            let at = offset(text).ok_or_else(|| {
                if parse_clock(text).is_some() {
                    error(format!("\"{text}\" is a clock time, but this timeline is in offsets from the start (its first time is one): write every time as an offset, e.g. \"+5m\" or \"0:12:00\""))
                } else {
                    error(format!("cannot read the time \"{text}\": {TIME_FORMS}"))
                }
            })?;
            if let Some((before, before_line)) = self.previous_offset
                && at < before
            {
                return Err(error(format!(
                    "\"{text}\" is earlier than the row before (line {before_line}, {before}): put the rows in time order"
                )));
            }
            self.previous_offset = Some((at, line));
            return Ok(at);
        }
        let Some(clock) = parse_clock(text) else {
            return Err(if offset_only(text) {
                error(format!(
                    "\"{text}\" is an offset, but this timeline gives clock times (its first time is one): write every time as a clock time, e.g. \"14:02\""
                ))
            } else {
                error(format!("cannot read the time \"{text}\": {TIME_FORMS}"))
            });
        };
        let dated = clock.date.is_some();
        let date = clock
            .date
            .or(self.date_seen)
            .or(self.first_date)
            .unwrap_or_else(default_date);
        if dated {
            self.date_seen = Some(date);
            self.dated = true;
        }
        if clock.zone.is_some() {
            self.zone_seen = clock.zone;
        }
        let instant = self.instant(&clock, date).ok_or_else(|| {
            error(format!(
                "\"{text}\" does not exist in that time zone (a daylight-saving gap)"
            ))
        })?;
        let instant = match self.previous {
            // A clock time earlier than the row before, without a date: past midnight.
            Some((before, _)) if instant < before && !dated => {
                let next = date.succ_opt().unwrap_or(date);
                self.date_seen = Some(next);
                self.instant(&clock, next).unwrap_or(instant)
            }
            _ => instant,
        };
        if let Some((before, before_line)) = self.previous
            && instant < before
        {
            return Err(error(format!(
                "\"{text}\" is earlier than the row before (line {before_line}, {}): put the rows in time order",
                before.format("%Y-%m-%d %H:%M:%S %:z")
            )));
        }
        self.previous = Some((instant, line));
        let first = *self.first.get_or_insert(instant);
        let secs = (instant - first).num_seconds();
        u64::try_from(secs)
            .map(Duration::from_secs)
            .map_err(|_| error(format!("\"{text}\" is before the first row")))
    }

    fn instant(&self, clock: &Clock, date: NaiveDate) -> Option<DateTime<FixedOffset>> {
        let local = NaiveDateTime::new(date, clock.time);
        match clock.zone.or(self.zone_seen).or(self.first_zone) {
            Some(Zone::Fixed(offset)) => offset
                .from_local_datetime(&local)
                .earliest()
                .map(|t| t.fixed_offset()),
            Some(Zone::Named(zone)) => in_zone(zone, local),
            None => in_zone(self.zone, local),
        }
    }
}

fn in_zone(zone: Tz, local: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    zone.from_local_datetime(&local)
        .earliest()
        .map(|t| t.fixed_offset())
}

fn default_date() -> NaiveDate {
    let (y, m, d) = DEFAULT_DATE;
    NaiveDate::from_ymd_opt(y, m, d).expect("DEFAULT_DATE is a real date")
}

/// An approximate time's marker ("~17:20", "≈ 13:45") is ignored.
fn strip_approx(text: &str) -> &str {
    text.trim().trim_start_matches(['~', '≈']).trim_start()
}

/// Written as an offset and nothing else: `+5m`, `T+12m`, `+0:12:00`, `12m`, `1h30m`.
fn offset_only(text: &str) -> bool {
    let text = strip_approx(text);
    text.starts_with('+')
        || text.to_ascii_uppercase().starts_with("T+")
        || text.parse::<Duration>().is_ok()
}

/// An offset from the start: `+5m`, `T+5m`, `+5` (minutes), `12m`, `0:12:00`, `1:05`
/// (hours and minutes); `None` when the text is none of these.
fn offset(text: &str) -> Option<Duration> {
    let text = strip_approx(text);
    let stripped = text
        .strip_prefix("T+")
        .or_else(|| text.strip_prefix("t+"))
        .or_else(|| text.strip_prefix('+'));
    let signed = stripped.is_some();
    let text = stripped.unwrap_or(text).trim();
    if let Ok(d) = text.replace(' ', "").parse::<Duration>() {
        return Some(d);
    }
    // "+5", "T+0": minutes.
    if signed && !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text
            .parse::<u64>()
            .ok()
            .map(|m| Duration::from_secs(m * 60));
    }
    let parts: Vec<&str> = text.split(':').collect();
    let numbers: Option<Vec<u64>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 3)
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    match numbers?.as_slice() {
        [h, m] if *m < 60 => Some(Duration::from_secs(h * 3600 + m * 60)),
        [h, m, s] if *m < 60 && *s < 60 => Some(Duration::from_secs(h * 3600 + m * 60 + s)),
        _ => None,
    }
}

/// `[YYYY-MM-DD[T| ]]H:MM[:SS] [am|pm] [zone]`, the zone `Z`, `UTC`, `GMT`, an offset
/// (`+02:00`, `-0800`, `UTC+2`) or an IANA name (`Europe/London`).
fn parse_clock(text: &str) -> Option<Clock> {
    let text = strip_approx(text);
    let (date, rest) = match text
        .get(..10)
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d"))
    {
        Some(Ok(date)) => (
            Some(date),
            text[10..].trim_start_matches(['T', ' ']).trim_start(),
        ),
        _ => (None, text),
    };
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (time_text, rest) = rest.split_at(digits);
    if !time_text.contains(':') {
        return None;
    }
    let mut time = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(time_text, f).ok())?;
    let mut rest = rest.trim();
    let lower = rest.to_ascii_lowercase();
    for (suffix, pm) in [("am", false), ("pm", true), ("a.m.", false), ("p.m.", true)] {
        let after = lower.get(suffix.len()..).unwrap_or("x");
        if lower.starts_with(suffix) && (after.is_empty() || after.starts_with(' ')) {
            let hour = chrono::Timelike::hour(&time);
            if !(1..=12).contains(&hour) {
                return None;
            }
            let hour = match (pm, hour) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
            time = chrono::Timelike::with_hour(&time, hour)?;
            rest = rest[suffix.len()..].trim();
            break;
        }
    }
    let zone = if rest.is_empty() {
        None
    } else {
        Some(parse_zone(rest)?)
    };
    Some(Clock { date, time, zone })
}

fn parse_zone(text: &str) -> Option<Zone> {
    let upper = text.to_ascii_uppercase();
    if matches!(upper.as_str(), "Z" | "UTC" | "GMT") {
        return FixedOffset::east_opt(0).map(Zone::Fixed);
    }
    let signed = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper);
    if let Some(sign) = signed.chars().next().filter(|c| matches!(c, '+' | '-')) {
        let digits: String = signed[1..].chars().filter(|c| *c != ':').collect();
        if digits.is_empty() || digits.len() > 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let (h, m) = if digits.len() <= 2 {
            (digits.parse::<i32>().ok()?, 0)
        } else {
            let split = digits.len() - 2;
            (
                digits[..split].parse::<i32>().ok()?,
                digits[split..].parse::<i32>().ok()?,
            )
        };
        if h > 14 || m > 59 {
            return None;
        }
        let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
        return FixedOffset::east_opt(secs).map(Zone::Fixed);
    }
    text.parse::<Tz>().ok().map(Zone::Named)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(timeline: &Timeline) -> Vec<(usize, String, &str, &str)> {
        timeline
            .rows
            .iter()
            .map(|r| (r.line, r.at.to_string(), r.source.as_str(), r.text.as_str()))
            .collect()
    }

    fn problems(text: &str) -> Vec<(usize, usize, String)> {
        parse(text, Tz::UTC)
            .expect_err("a bad timeline")
            .into_iter()
            .map(|d| (d.at.line, d.at.col, d.message))
            .collect()
    }

    #[test]
    fn csv_with_a_header_quoted_commas_seconds_and_midnight() {
        let text = "time,source,text\n\
                    23:58,PagerDuty,\"Page: API errors, 5xx above 5%\"\n\
                    \n\
                    23:59:30,SRE,\"She said \"\"on it\"\"\"\n\
                    00:04,SRE,Rolled back\n";
        let t = parse(text, Tz::UTC).expect("valid");
        assert_eq!(
            rows(&t),
            [
                (
                    2,
                    "0s".into(),
                    "PagerDuty",
                    "Page: API errors, 5xx above 5%"
                ),
                (4, "1m30s".into(), "SRE", "She said \"on it\""),
                (5, "6m".into(), "SRE", "Rolled back"),
            ]
        );
        assert!(!t.dated);
        assert_eq!(
            t.start.map(|s| s.to_rfc3339()).as_deref(),
            Some("2026-01-05T23:58:00+00:00")
        );
    }

    #[test]
    fn csv_without_a_header_in_offsets() {
        let text = "+0,Support,Tickets about slow checkout\n+5m,SRE,Acknowledged\n0:12:00,SRE,Rolled back\n1h5m,,Recovered\nT+1:10,SRE,Resolved\n";
        let t = parse(text, Tz::UTC).expect("valid");
        assert_eq!(t.start, None);
        assert_eq!(
            t.rows.iter().map(|r| r.at.as_secs()).collect::<Vec<_>>(),
            [0, 300, 720, 3900, 4200]
        );
        assert_eq!(t.rows[3].source, "");
    }

    #[test]
    fn a_markdown_table_with_prose_around_it_and_any_column_names() {
        let text = "Timeline (all times UTC):\n\n\
                    | Time | Event | Tag |\n\
                    |---|:---|---|\n\
                    | ~17:20 | Snapshot taken \\| manual | [S] |\n\
                    | 17:37 | S3 cannot serve requests | [S] |\n\n\
                    More prose.\n";
        let t = parse(text, Tz::UTC).expect("valid");
        assert_eq!(
            rows(&t),
            [
                (5, "0s".into(), "", "Snapshot taken | manual"),
                (6, "17m".into(), "", "S3 cannot serve requests"),
            ]
        );
    }

    #[test]
    fn clock_times_in_zones_and_offsets_and_the_zone_argument() {
        // Dated, with UTC; then rows in the same zone; then a row with an offset.
        let text = "| when | who | what |\n|--|--|--|\n\
                    | 2019-07-02 13:42 UTC | CI | Deploy |\n\
                    | 13:45 | PagerDuty | Page |\n\
                    | 9:52 AM -04:00 | Status | Investigating |\n";
        let t = parse(text, Tz::Europe__Berlin).expect("valid");
        assert!(t.dated);
        assert_eq!(
            t.start.map(|s| s.to_rfc3339()).as_deref(),
            Some("2019-07-02T13:42:00+00:00")
        );
        assert_eq!(
            t.rows.iter().map(|r| r.at.to_string()).collect::<Vec<_>>(),
            ["0s", "3m", "10m"]
        );
        // No zone anywhere: the zone argument (summer time in Berlin).
        let t = parse(
            "2024-07-19 14:02,SRE,x\n14:30:15,SRE,y\n",
            Tz::Europe__Berlin,
        )
        .expect("valid");
        assert_eq!(
            t.start.map(|s| s.to_rfc3339()).as_deref(),
            Some("2024-07-19T14:02:00+02:00")
        );
        assert_eq!(t.rows[1].at.to_string(), "28m15s");
        // An IANA name on the row.
        let t = parse("2024-01-10 09:00 America/New_York,SRE,x\n", Tz::UTC).expect("valid");
        assert_eq!(
            t.start.map(|s| s.to_rfc3339()).as_deref(),
            Some("2024-01-10T09:00:00-05:00")
        );
    }

    #[test]
    fn bad_rows_are_reported_at_their_line_and_column() {
        assert_eq!(
            problems("time,source,text\n14:02,SRE,ok\n  14:7x,SRE,bad\n14:10,SRE\n"),
            [
                (
                    3,
                    3,
                    format!("cannot read the time \"14:7x\": {TIME_FORMS}")
                ),
                (
                    4,
                    10,
                    "this row has no text: write time, source, text".to_string()
                ),
            ]
        );
        let md =
            "| time | source | text |\n|---|---|---|\n| 14:02 | SRE | a |\n| soon | SRE | b |\n";
        assert_eq!(
            problems(md),
            [(4, 3, format!("cannot read the time \"soon\": {TIME_FORMS}"))]
        );
        assert_eq!(
            problems("14:02,SRE,\"unclosed, text\n")[0],
            (
                1,
                11,
                "this quote is never closed: end the field with \" (write \"\" for a quote inside it)"
                    .to_string()
            )
        );
        assert_eq!(
            problems("+0,SRE,a\n2019-07-02 14:02,SRE,b\n")[0].2,
            "\"2019-07-02 14:02\" is a clock time, but this timeline is in offsets from the start (its first time is one): write every time as an offset, e.g. \"+5m\" or \"0:12:00\""
        );
        assert_eq!(
            problems("2019-07-02 14:00,SRE,a\n2019-07-02 13:00,SRE,b\n")[0],
            (
                2,
                1,
                "\"2019-07-02 13:00\" is earlier than the row before (line 1, 2019-07-02 14:00:00 +00:00): put the rows in time order".to_string()
            )
        );
        assert_eq!(
            problems("")[0].2,
            "the timeline has no rows: write one row per event, time,source,text"
        );
    }

    #[test]
    fn zones_are_named_or_utc() {
        assert_eq!(zone(None), Ok(Tz::UTC));
        assert_eq!(zone(Some("Europe/London")), Ok(Tz::Europe__London));
        assert_eq!(
            zone(Some("Mars/Olympus")),
            Err("unknown time zone \"Mars/Olympus\": use an IANA name such as \"Europe/Berlin\" or \"UTC\"".into())
        );
    }
}
