//! The scenario skeleton `firedrill new` writes: a commented scenario that validates and
//! that the reference bots play to a resolve, with `// TODO:` where only the author
//! knows the answer. From a timeline it takes the start time, the impact start, the par
//! times and Say/Log injects at the rows' offsets.
//!
//! The rules that read the timeline (a row "says" a word when one of its words is it, or
//! starts with it for the stems ending in `*`):
//! - impact starts at the first row that says [`IMPACT_WORDS`] (else the first row);
//! - the acknowledgement is the first row from then on that says [`ACK_WORDS`];
//! - the resolve is the first row after that which says [`RESOLVE_WORDS`];
//! - par acknowledge = acknowledgement − impact start, par resolve = resolve −
//!   acknowledgement (at least 1m each; 5m and 30m when a row is missing);
//! - every other row is an inject at its offset: a `Log` line on the skeleton's service
//!   when its source is empty or a machine ([`MACHINE_WORDS`]), else a `Say` by a
//!   character named after the source.

use std::fmt::Write as _;

use chrono_tz::Tz;

use super::timeline::{Row, Timeline};
use crate::scenario::Duration;

/// Words of a row where customer impact starts.
pub const IMPACT_WORDS: &[&str] = &[
    "impact*",
    "outage",
    "down",
    "unavailable",
    "error*",
    "fail*",
    "cannot",
    "degraded",
    "broken",
    "timeout*",
    "5xx",
    "500",
    "502",
    "503",
    "504",
];
/// Words of a row where someone acknowledges the incident.
pub const ACK_WORDS: &[&str] = &["acknowledg*", "ack", "acked", "declare*", "engaged"];
/// Words of a row where the impact ends.
pub const RESOLVE_WORDS: &[&str] = &[
    "resolved",
    "mitigated",
    "recovered",
    "restored",
    "fixed",
    "back to normal",
    "operating normally",
    "back online",
];
/// Sources that are machines, whose rows become log lines.
pub const MACHINE_WORDS: &[&str] = &[
    "log*",
    "monitor*",
    "alert*",
    "pager*",
    "deploy*",
    "build*",
    "ci",
    "metric*",
    "dashboard*",
    "system*",
    "grafana",
    "datadog",
    "cron",
    "status*",
];

const DEFAULT_ACK: Duration = Duration::from_mins(5);
const DEFAULT_RESOLVE: Duration = Duration::from_mins(30);
/// Time the reference bots need from the impact start to a resolve in the skeleton,
/// with room to spare.
const BOTS_NEED: Duration = Duration::from_mins(45);
const MAX_TIME_LIMIT: Duration = Duration::from_secs(24 * 3600);

/// A written skeleton and what was taken from the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scaffold {
    /// The scenario file's text.
    pub text: String,
    /// One line per thing read from the timeline ("impact starts at 11m: line 4 ...").
    pub notes: Vec<String>,
    /// How many injects came from timeline rows.
    pub injects: usize,
}

/// The milestones found in a timeline by the rules in the module doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Milestones<'a> {
    pub impact: Option<&'a Row>,
    pub acknowledged: Option<&'a Row>,
    pub resolved: Option<&'a Row>,
}

impl<'a> Milestones<'a> {
    pub fn find(timeline: &'a Timeline) -> Self {
        let rows = &timeline.rows;
        let impact = rows.iter().position(|r| says(&r.text, IMPACT_WORDS));
        let from = impact.unwrap_or(0);
        let ack = rows
            .iter()
            .skip(from)
            .position(|r| says(&r.text, ACK_WORDS))
            .map(|i| i + from);
        let after = ack.map_or(from, |a| a + 1);
        let resolved = rows
            .iter()
            .skip(after)
            .find(|r| says(&r.text, RESOLVE_WORDS));
        Milestones {
            impact: impact.and_then(|i| rows.get(i)),
            acknowledged: ack.and_then(|i| rows.get(i)),
            resolved,
        }
    }
}

/// Whether `text` says one of `words` (see the module doc).
fn says(text: &str, words: &[&str]) -> bool {
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|t| !t.is_empty())
        .collect();
    words.iter().any(|w| {
        if w.contains(' ') {
            lower.contains(w)
        } else if let Some(stem) = w.strip_suffix('*') {
            tokens.iter().any(|t| t.starts_with(stem))
        } else {
            tokens.contains(w)
        }
    })
}

/// The skeleton for scenario `id`, its clocks in `zone`, seeded from `timeline` when
/// given.
pub fn scaffold(id: &str, zone: Tz, timeline: Option<&Timeline>) -> Scaffold {
    let plan = Plan::new(zone, timeline);
    let mut out = String::new();
    let mut injects = String::new();
    let mut characters = String::new();
    let mut count = 0;
    if let Some(timeline) = timeline {
        count = timeline_injects(timeline, &plan, &mut injects, &mut characters);
    }
    write_skeleton(&mut out, id, zone, &plan, &injects, &characters);
    Scaffold {
        text: out,
        notes: plan.notes,
        injects: count,
    }
}

/// The times the skeleton uses, from the timeline or the defaults.
struct Plan {
    starts_at: String,
    starts_at_known: bool,
    impact: Duration,
    ack: Duration,
    resolve: Duration,
    time_limit: Duration,
    /// Lines of the rows the par times come from, not turned into injects.
    milestone_lines: Vec<usize>,
    impact_line: Option<usize>,
    notes: Vec<String>,
}

impl Plan {
    fn new(zone: Tz, timeline: Option<&Timeline>) -> Plan {
        let placeholder = || {
            let (y, m, d) = super::timeline::DEFAULT_DATE;
            chrono::NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .and_then(|t| t.and_local_timezone(zone).earliest())
                .map_or_else(
                    || "2026-01-05T09:00:00+00:00".to_string(),
                    |t| t.fixed_offset().to_rfc3339(),
                )
        };
        let Some(timeline) = timeline else {
            return Plan {
                starts_at: placeholder(),
                starts_at_known: false,
                impact: Duration::from_mins(2),
                ack: DEFAULT_ACK,
                resolve: Duration::from_mins(20),
                time_limit: Duration::from_mins(60),
                milestone_lines: Vec::new(),
                impact_line: None,
                notes: Vec::new(),
            };
        };
        let mut notes = Vec::new();
        let m = Milestones::find(timeline);
        let starts_at = match (timeline.start, timeline.dated) {
            (Some(start), true) => Some(start.with_timezone(&zone).fixed_offset().to_rfc3339()),
            _ => None,
        };
        let last = timeline.rows.last().map_or(Duration::ZERO, |r| r.at);
        let latest_impact = MAX_TIME_LIMIT.as_secs() - BOTS_NEED.as_secs();
        let impact = Duration::from_secs(m.impact.map_or(0, |r| r.at.as_secs()).min(latest_impact));
        let describe = |r: &Row| format!("line {}, \"{}\"", r.line, r.text);
        match m.impact {
            Some(r) => notes.push(format!("impact starts at {}: {}", r.at, describe(r))),
            None => notes.push(
                "impact starts at 0s: no row says it (impact, outage, down, errors, ...)".into(),
            ),
        }
        let ack = match m.acknowledged {
            Some(r) => {
                let ack = at_least_a_minute(r.at.as_secs().saturating_sub(impact.as_secs()));
                notes.push(format!("par acknowledge {ack}: {}", describe(r)));
                ack
            }
            None => {
                notes.push(format!(
                    "par acknowledge {DEFAULT_ACK} (a guess): no row says acknowledged or declared"
                ));
                DEFAULT_ACK
            }
        };
        let resolve = match m.resolved {
            Some(r) => {
                let from = m
                    .acknowledged
                    .map_or(impact.as_secs() + ack.as_secs(), |a| a.at.as_secs());
                let resolve = at_least_a_minute(r.at.as_secs().saturating_sub(from));
                notes.push(format!("par resolve {resolve}: {}", describe(r)));
                resolve
            }
            None => {
                notes.push(format!(
                    "par resolve {DEFAULT_RESOLVE} (a guess): no row says resolved, mitigated or recovered"
                ));
                DEFAULT_RESOLVE
            }
        };
        let wanted = (last.as_secs() + 15 * 60)
            .max(impact.as_secs() + ack.as_secs() + resolve.as_secs() + 15 * 60)
            .max(impact.as_secs() + BOTS_NEED.as_secs());
        let time_limit = Duration::from_secs(wanted.div_ceil(900) * 900).min(MAX_TIME_LIMIT);
        // par must fit in the time limit (the validator checks it).
        let resolve = Duration::from_secs(
            resolve
                .as_secs()
                .min(time_limit.as_secs().saturating_sub(ack.as_secs())),
        );
        Plan {
            starts_at: starts_at.clone().unwrap_or_else(placeholder),
            starts_at_known: starts_at.is_some(),
            impact,
            ack,
            resolve,
            time_limit,
            milestone_lines: [m.acknowledged, m.resolved]
                .iter()
                .flatten()
                .map(|r| r.line)
                .collect(),
            impact_line: m.impact.map(|r| r.line),
            notes,
        }
    }
}

fn at_least_a_minute(secs: u64) -> Duration {
    Duration::from_secs(secs.max(60))
}

/// Writes the timeline's rows as injects (and the characters they need); returns how
/// many injects were written.
fn timeline_injects(
    timeline: &Timeline,
    plan: &Plan,
    injects: &mut String,
    characters: &mut String,
) -> usize {
    let mut people: Vec<(String, String)> = Vec::new();
    let mut count = 0;
    for (index, row) in timeline.rows.iter().enumerate() {
        if plan.milestone_lines.contains(&row.line) || plan.impact_line == Some(row.line) {
            continue;
        }
        let effect = if row.source.is_empty() || says(&row.source, MACHINE_WORDS) {
            let level = if says(&row.text, IMPACT_WORDS) {
                "Error"
            } else {
                "Info"
            };
            format!(
                "Log(service: \"app\", level: {level}, text: {})",
                ron_string(&with_source(row))
            )
        } else {
            let who = match people.iter().find(|(_, name)| *name == row.source) {
                Some((id, _)) => id.clone(),
                None => {
                    let id = unique_id(&slug(&row.source), &people);
                    people.push((id.clone(), row.source.clone()));
                    id
                }
            };
            format!("Say(who: \"{who}\", text: {})", ron_string(&row.text))
        };
        let inject = format!(
            "(id: \"row-{:02}\", at: \"{}\", do: [{effect}]),",
            index + 1,
            row.at
        );
        if row.at >= plan.time_limit {
            let _ = writeln!(
                injects,
                "        // TODO: line {} is at or past time_limit, so it is left out:\n        // {inject}",
                row.line
            );
        } else {
            let _ = writeln!(
                injects,
                "        // timeline line {}\n        {inject}",
                row.line
            );
            count += 1;
        }
    }
    for (id, name) in &people {
        let _ = writeln!(
            characters,
            "        (id: \"{id}\", name: {}, role: \"TODO: their role\",\n         fallback: \"TODO: what {} says when no reply matches a question.\"),",
            ron_string(name),
            escape(name)
        );
    }
    count
}

fn with_source(row: &Row) -> String {
    if row.source.is_empty() {
        row.text.clone()
    } else {
        format!("{}: {}", row.source, row.text)
    }
}

/// An id from a name: lowercase letters and digits, `-` between words.
fn slug(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() { "person".into() } else { id }
}

fn unique_id(base: &str, taken: &[(String, String)]) -> String {
    // "support" is the skeleton's own character.
    let free = |id: &str| id != "support" && !taken.iter().any(|(t, _)| t == id);
    if free(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| free(id))
        .unwrap_or_else(|| base.to_string())
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn ron_string(text: &str) -> String {
    format!("\"{}\"", escape(text))
}

fn write_skeleton(
    out: &mut String,
    id: &str,
    zone: Tz,
    plan: &Plan,
    injects: &str,
    characters: &str,
) {
    let starts_at_todo = if plan.starts_at_known {
        "the timeline's first row"
    } else {
        "TODO: the real date and time (a placeholder)"
    };
    let from_timeline: String = plan
        .notes
        .iter()
        .map(|n| format!("// From the timeline: {n}.\n"))
        .collect();
    let impact_line = plan
        .impact_line
        .map_or(String::new(), |l| format!(" (timeline line {l})"));
    let _ = write!(
        out,
        r#"// TODO: what this drill is, and the real incident it borrows its shape from (with a link).
//
// Written by `firedrill new`. It validates and the reference bots resolve it as it is:
// keep it so while you edit, checking with `firedrill validate` and `firedrill autoplay`.
// docs/scenario-format.md describes every field.
{from_timeline}Scenario(
    id: "{id}",
    title: "TODO: the title the scenario library shows",
    summary: "TODO: one or two sentences on what happens, cause included (only the debrief shows it).",
    // TODO: Easy, Medium or Hard, once `firedrill autoplay` has shown how the bots fare.
    difficulty: Medium,
    tags: [],
    based_on: "TODO: the real, public incident (company, what broke, date)",
    // {starts_at_todo}
    starts_at: "{starts_at}",
    time_zone: "{zone}",
    briefing: "TODO: the situation the trainee reads before the drill starts: who they are, what they are on call for, what a normal day looks like.",
    par: (acknowledge: "{ack}", resolve: "{resolve}"),
    time_limit: "{time_limit}",

    world: (
        // TODO: the real systems involved (rename freely), with what depends on what.
        services: [
            (id: "app", name: "TODO: the service customers use", owner: "oncall"),
        ],
        teams: [
            (id: "oncall", name: "TODO: the on-call team paged first", joins_after: "2m"),
        ],
        // TODO: the signals responders saw, with baselines and noise from real dashboards.
        metrics: [
            (id: "error_rate", service: "app", name: "Error rate", unit: "%",
             baseline: 0.5, noise: 0.1, warning: 2.0, critical: 5.0, min: 0.0, max: 100.0),
        ],
        alerts: [
            (id: "errors-high", name: "Error rate above 5%",
             when: Above(metric: "error_rate", value: 5.0, for: "1m"),
             severity: Critical, pages: "oncall", repage_every: "5m"),
        ],
        // TODO: dashboards, logs already written, recent deploys and runbooks.
    ),

    truth: (
        // impact starts here{impact_line}; the "impact" inject below breaks the world then.
        impact_starts: "{impact}",
        impact_ends_when: Below(metric: "error_rate", value: 2.0, for: "1m"),
        // TODO: the incident type first, then the words people use for it.
        kind: ["TODO: incident type", "outage"],
        root_cause: "TODO: what really happened, in two or three sentences.",
        // TODO: the true severity over time (a later phase with `unless: ImpactOver` if it grows).
        severity: [(from: "{impact}", level: Sev2)],
        // TODO: who is affected, each term a list of synonyms.
        blast_radius: [["all customers", "everyone"]],
        // TODO: what a good CAN report says in each phase (Investigating, Identified, Mitigated).
        can: [
            (phase: Investigating, summary: [["app", "service"], ["errors", "failing", "down"]]),
        ],
        // The reference path the Technical Lead bot follows: keep a Fix in it.
        path: [Investigate("find-cause"), Remediate("fix")],
    ),

    injects: [
        (id: "impact", at: "{impact}", do: [Ramp(metric: "error_rate", to: 25.0, over: "2m")]),
        (id: "support-tickets", when: Above(metric: "error_rate", value: 5.0, for: "2m"),
         do: [Say(who: "support", text: "TODO: what customers tell support, in their words.")]),
{injects}        // TODO: a red herring and an escalation if ignored (docs/scenario-format.md, section 8).
    ],

    investigations: [
        (id: "find-cause", label: "TODO: Check what shows the cause", kind: Logs, service: "app", takes: "2m",
         reveals: "TODO: the clue that shows the cause.", reveals_cause: true),
    ],

    remediations: [
        // TODO: what really ended the impact; its effects must make impact_ends_when hold.
        (id: "fix", label: "TODO: Undo what broke it", kind: Fix, takes: "2m",
         effects: [Recover(metric: "error_rate", over: "2m")]),
        // TODO: the tempting wrong moves (kind RedHerring or Harmful, with a lesson).
    ],

    characters: [
        (id: "support", name: "TODO: a name", role: "Support lead",
         fallback: "TODO: what support says when no reply matches a question."),
{characters}    ],
)
"#,
        starts_at = plan.starts_at,
        ack = plan.ack,
        resolve = plan.resolve,
        time_limit = plan.time_limit,
        impact = plan.impact,
    );
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::authoring::timeline;
    use crate::engine::journal::Outcome;
    use crate::scenario::{self, Effect, Scenario};

    /// The skeleton parses, validates without a warning and the reference bots resolve it.
    fn valid_and_resolved(scaffold: &Scaffold) -> Scenario {
        let scenario =
            scenario::parse(&scaffold.text).unwrap_or_else(|d| panic!("{d:?}\n{}", scaffold.text));
        assert_eq!(
            scenario::lint::lint(&scenario, &scaffold.text),
            [],
            "lint-clean"
        );
        for seed in [1, 2, 3] {
            let engine = crate::run::play(Arc::new(scenario.clone()), seed, None);
            assert_eq!(engine.outcome(), Some(Outcome::Resolved), "seed {seed}");
        }
        scenario
    }

    fn fixture() -> Timeline {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/waf-outage.timeline.md");
        timeline::load_file(&path, Tz::UTC).expect("the fixture reads")
    }

    #[test]
    fn without_a_timeline_the_skeleton_validates_and_resolves() {
        let s = scaffold("my-drill", Tz::Europe__Berlin, None);
        let scenario = valid_and_resolved(&s);
        assert_eq!(scenario.id, "my-drill");
        assert_eq!(scenario.starts_at, "2026-01-05T09:00:00+01:00");
        assert_eq!(scenario.time_zone, "Europe/Berlin");
        assert_eq!(scenario.par.acknowledge.to_string(), "5m");
        assert_eq!(scenario.par.resolve.to_string(), "20m");
        // The impact, and support speaking once errors are high.
        assert_eq!(scenario.injects.len(), 2);
        assert_eq!(s.injects, 0);
        assert!(s.notes.is_empty());
        assert_eq!(s.text.matches("TODO:").count(), 27);
    }

    #[test]
    fn a_postmortem_timeline_seeds_start_impact_par_and_injects() {
        let s = scaffold("waf-outage", Tz::UTC, Some(&fixture()));
        let scenario = valid_and_resolved(&s);
        assert_eq!(scenario.starts_at, "2019-07-02T13:31:00+00:00");
        // 13:42 "... 502 errors start everywhere"
        assert_eq!(scenario.truth.impact_starts.to_string(), "11m");
        // 13:46 "P0 incident declared", 14:09 "back to normal"
        assert_eq!(scenario.par.acknowledge.to_string(), "4m");
        assert_eq!(scenario.par.resolve.to_string(), "23m");
        assert_eq!(scenario.time_limit.to_string(), "1h45m");
        assert_eq!(
            s.notes,
            [
                "impact starts at 11m: line 7, \"Global deploy of the rules begins; HTTP CPU hits 100% on every server and 502 errors start everywhere\"",
                "par acknowledge 4m: line 9, \"P0 incident declared, responders engaged\"",
                "par resolve 23m: line 14, \"Traffic and CPU back to normal worldwide\"",
            ]
        );
        // Eleven rows: three are milestones, eight are injects.
        assert_eq!(s.injects, 8);
        assert_eq!(scenario.injects.len(), 10);
        let inject = |id: &str| {
            let i = scenario.injects.iter().find(|i| i.id == id).expect(id);
            (i.at.map(|a| a.to_string()), i.effects.clone())
        };
        assert_eq!(
            inject("row-07"),
            (
                Some("29m".into()),
                vec![Effect::Say {
                    who: "sre-on-call".into(),
                    text: "WAF identified as the cause; an attack is ruled out".into(),
                    channel: scenario::Channel::Incidents,
                }]
            )
        );
        assert_eq!(
            inject("row-04"),
            (
                Some("14m".into()),
                vec![Effect::Log {
                    service: "app".into(),
                    level: scenario::LogLevel::Info,
                    text: "PagerDuty: First page: fault with the WAF".into(),
                }]
            )
        );
        assert_eq!(
            scenario
                .characters
                .iter()
                .map(|c| (c.id.as_str(), c.name.as_str()))
                .collect::<Vec<_>>(),
            [
                ("support", "TODO: a name"),
                ("waf-engineer", "WAF engineer"),
                ("sre-on-call", "SRE on-call")
            ]
        );
    }

    #[test]
    fn quotes_a_long_incident_and_no_milestones_still_make_a_valid_drill() {
        let text = "+0,Support,\"Customers say \"\"it's slow\"\" \\ odd\"\n+30m,Support,Still slow\n+30h,Support,Done\n";
        let t = timeline::parse(text, Tz::UTC).expect("valid");
        let s = scaffold("slow", Tz::UTC, Some(&t));
        let scenario = valid_and_resolved(&s);
        // No row says impact, acknowledged or resolved: impact at the first row, par guessed.
        assert_eq!(scenario.truth.impact_starts.to_string(), "0s");
        assert_eq!(scenario.par.acknowledge.to_string(), "5m");
        assert_eq!(scenario.par.resolve.to_string(), "30m");
        assert_eq!(scenario.time_limit.to_string(), "24h");
        assert!(
            s.text
                .contains("// TODO: line 3 is at or past time_limit, so it is left out:")
        );
        assert_eq!(s.injects, 2);
        assert_eq!(
            scenario.starts_at, "2026-01-05T09:00:00+00:00",
            "offsets have no date: a placeholder"
        );
        assert!(
            s.text
                .contains("// TODO: the real date and time (a placeholder)")
        );
    }

    #[test]
    fn a_row_says_a_word_whole_or_by_its_stem() {
        assert!(says("P0 incident DECLARED", ACK_WORDS));
        assert!(says("Errors everywhere", IMPACT_WORDS));
        assert!(says("Traffic back to normal", RESOLVE_WORDS));
        assert!(!says("Downloading the backlog", IMPACT_WORDS));
        assert!(!says("Recovering slowly", RESOLVE_WORDS));
    }
}
