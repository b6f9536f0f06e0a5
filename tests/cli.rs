//! The `firedrill` binary as a user calls it: arguments in, text and exit code out.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers stop at an unreadable fixture, as the #[test] functions clippy.toml exempts do"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn firedrill(args: &[&str]) -> Output {
    firedrill_command(args)
        .output()
        .expect("the firedrill binary runs")
}

fn firedrill_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_firedrill"));
    command.args(args).current_dir(repo());
    command
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn shipped_scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("scenarios"))
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

/// 1-based line and column of byte `offset` in `source`.
fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// The command failed with exit code 1 and reported `message` at `file:line:col`.
fn assert_reported(
    out: &Output,
    file: &Path,
    (line, col): (usize, usize),
    message: &str,
    what: &str,
) {
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{what}: exit code; stderr:\n{stderr}"
    );
    let expected = format!("{}:{line}:{col}: {message}", file.display());
    assert!(
        stderr.contains(&expected),
        "{what}: expected {expected:?} in:\n{stderr}"
    );
}

/// Writes `minimal.ron` with `from` replaced by `to` into a temp dir. `to` contains `@@`
/// where the error must be reported; returns the file and that line and column.
fn broken_copy(dir: &Path, from: &str, to: &str) -> (PathBuf, usize, usize) {
    let original = std::fs::read_to_string(repo().join("tests/fixtures/minimal.ron")).unwrap();
    assert!(
        original.contains(from),
        "fixture no longer contains {from:?}"
    );
    let marked = original.replacen(from, to, 1);
    let marker = marked
        .find("@@")
        .expect("replacement marks the error with @@");
    let (line, col) = line_col(&marked, marker);
    let file = dir.join("broken.ron");
    std::fs::write(&file, marked.replacen("@@", "", 1)).unwrap();
    (file, line, col)
}

#[test]
fn every_shipped_scenario_validates() {
    let scenarios = shipped_scenarios();
    assert!(
        scenarios.len() >= 3,
        "three scenarios ship, found {scenarios:?}"
    );
    let out = firedrill(&["validate", "scenarios"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for file in &scenarios {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(stdout.contains(&name), "{name} not reported in:\n{stdout}");
    }
}

#[test]
fn broken_scenarios_are_reported_at_the_offending_place() {
    // (what breaks, text to replace, replacement with @@ at the expected position, message)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "syntax: missing comma, at the end of the line that needs it",
            "\"1h\",\n    world",
            "\"1h\"@@\n    world",
            "missing comma at the end of this line (before `world`)",
        ),
        (
            "wrong type",
            "baseline: 120.0",
            "baseline: @@\"fast\"",
            "Expected float",
        ),
        (
            "unknown field",
            "noise: 8.0",
            "@@nose: 8.0",
            "Unexpected field named `nose`",
        ),
        (
            "unknown variant",
            "level: Sev3",
            "level: @@Sev5",
            "Unexpected variant named `Sev5`",
        ),
        (
            "unknown metric",
            "Recover(metric: \"api_p99\"",
            "Recover(metric: @@\"api_p9\"",
            "unknown metric \"api_p9\" (did you mean \"api_p99\"?)",
        ),
        (
            "unknown service",
            "depends_on: [\"cache\"]",
            "depends_on: [@@\"cach\"]",
            "unknown service \"cach\"",
        ),
        (
            "unknown team",
            "pages: \"api-team\"",
            "pages: @@\"db-team\"",
            "unknown team \"db-team\"",
        ),
        (
            "unknown investigation",
            "Investigate(\"cache-stats\")",
            "Investigate(@@\"cache-stat\")",
            "unknown investigation \"cache-stat\"",
        ),
        (
            "unknown remediation",
            "Remediate(\"restore-node\")",
            "Remediate(@@\"restore\")",
            "unknown remediation \"restore\"",
        ),
        (
            "duplicate id",
            "(id: \"cache\", name",
            "(id: @@\"api\", name",
            "duplicate service id \"api\"",
        ),
        (
            "no fix",
            "remediations: [\n        (id: \"restore-node\", label: \"Undrain cache-2\", kind: Fix",
            "remediations: @@[\n        (id: \"restore-node\", label: \"Undrain cache-2\", kind: Mitigation",
            "no remediation has kind Fix",
        ),
        (
            "bad duration",
            "over: \"1m\"",
            "over: \"@@1x\"",
            "invalid duration \"1x\"",
        ),
        (
            "negative duration",
            "impact_starts: \"2m\"",
            "impact_starts: \"@@-2m\"",
            "negative duration \"-2m\"",
        ),
        (
            "time beyond limit",
            "at: \"2m\"",
            "at: @@\"2h\"",
            "inject time 2h is not before the time limit 1h",
        ),
        (
            "par beyond limit",
            "par: (acknowledge: \"5m\", resolve: \"20m\")",
            "par: @@(acknowledge: \"5m\", resolve: \"1h\")",
            "par times (5m to acknowledge + 1h to resolve = 1h5m) exceed the time limit 1h",
        ),
        (
            "empty text",
            "title: \"Cache node evicted, API slows down\"",
            "title: @@\"  \"",
            "title must not be empty",
        ),
        (
            "empty affected term",
            "blast_radius: [[\"api clients\", \"all customers\", \"everyone\"]],",
            "blast_radius: [[\"api clients\", \"all customers\", \"everyone\"]], affected: [@@[]],",
            "truth.affected must list at least one entry",
        ),
        (
            "bad time zone",
            "\"Europe/Berlin\"",
            "@@\"Europe/Berln\"",
            "unknown time zone \"Europe/Berln\"",
        ),
        (
            "bad start time",
            "\"2026-03-06T09:00:00+01:00\"",
            "@@\"2026-03-06 09:00\"",
            "starts_at \"2026-03-06 09:00\" is not an RFC 3339 time",
        ),
        (
            "StatusSent to an unknown audience",
            "at: \"2m\", do",
            "when: StatusSent(audience: @@Execs), do",
            "Unexpected variant named `Execs`",
        ),
        (
            "StatusSent with a bad window",
            "at: \"2m\", do",
            "when: StatusSent(audience: Executives, within: \"@@15x\"), do",
            "invalid duration \"15x\"",
        ),
        (
            "StatusSent with an empty window",
            "at: \"2m\", do",
            "when: StatusSent(audience: Executives, within: @@\"0s\"), do",
            "StatusSent's within must be longer than 0s",
        ),
        (
            "at and when",
            "at: \"2m\", do",
            "at: \"2m\", when: @@Declared, do",
            "give an inject `at` or `when`, not both",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (what, from, to, message) in cases {
        let (file, line, col) = broken_copy(dir.path(), from, to);
        let out = firedrill(&["validate", file.to_str().unwrap()]);
        assert_reported(&out, &file, (line, col), message, what);
    }
}

#[test]
fn a_say_from_an_unknown_character_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (file, line, col) = broken_copy(
        dir.path(),
        "do: [Ramp(",
        "do: [Say(who: @@\"vp\", text: \"Status?\"), Ramp(",
    );
    let out = firedrill(&["validate", file.to_str().unwrap()]);
    assert_reported(
        &out,
        &file,
        (line, col),
        "unknown character \"vp\"",
        "a Say from an unknown character",
    );
}

#[test]
fn a_syntax_error_on_line_n_of_a_shipped_scenario_is_reported_at_line_n() {
    let dir = tempfile::tempdir().unwrap();
    for scenario in shipped_scenarios() {
        let source = std::fs::read_to_string(&scenario).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        // Break a line in the middle of the file: a stray closing bracket after its text.
        let n = lines.len() / 2;
        let mut broken = lines.clone();
        let damaged = format!("{} ]]", broken[n - 1]);
        broken[n - 1] = &damaged;
        let file = dir.path().join(scenario.file_name().unwrap());
        std::fs::write(&file, broken.join("\n")).unwrap();
        let out = firedrill(&["validate", file.to_str().unwrap()]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        let prefix = format!("{}:{n}:", file.display());
        assert!(
            stderr.starts_with(&prefix),
            "expected line {n} for {}:\n{stderr}",
            scenario.display()
        );
        assert!(
            stderr.contains(&format!(" {n} | {damaged}")),
            "source line shown:\n{stderr}"
        );
    }
}

#[test]
fn errors_show_the_source_line_with_a_caret() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _, col) = broken_copy(dir.path(), "noise: 8.0", "@@nose: 8.0");
    let out = firedrill(&["validate", file.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let caret_line = stderr.lines().nth(2).expect("a caret line");
    let caret_at = caret_line.find('^').expect("a caret");
    let source_line = stderr.lines().nth(1).unwrap();
    let gutter = source_line.find('|').unwrap() + 2;
    assert_eq!(
        caret_at - gutter + 1,
        col,
        "caret under the column:\n{stderr}"
    );
    assert_eq!(caret_line.matches('^').count(), "nose".len());
}

#[test]
fn exit_codes_distinguish_valid_invalid_and_unusable_input() {
    let dir = tempfile::tempdir().unwrap();
    let minimal = repo().join("tests/fixtures/minimal.ron");
    assert_eq!(
        firedrill(&["validate", minimal.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );

    let (broken, _, _) = broken_copy(dir.path(), "kind: Fix", "kind: @@Harmful");
    let mixed = firedrill(&[
        "validate",
        minimal.to_str().unwrap(),
        broken.to_str().unwrap(),
    ]);
    assert_eq!(mixed.status.code(), Some(1));
    assert!(text(&mixed.stderr).contains("1 of 2 file(s) invalid"));

    let missing = firedrill(&["validate", "no/such/file.ron"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("no/such/file.ron: cannot read"));

    let empty = tempfile::tempdir().unwrap();
    let nothing = firedrill(&["validate", empty.path().to_str().unwrap()]);
    assert_eq!(nothing.status.code(), Some(2));
    assert!(text(&nothing.stderr).contains("no *.ron files"));

    assert_eq!(
        firedrill(&["validate"]).status.code(),
        Some(2),
        "usage error"
    );
    assert_eq!(
        firedrill(&["frobnicate"]).status.code(),
        Some(2),
        "usage error"
    );
}

#[test]
fn folders_are_searched_recursively() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/minimal.ron"),
        nested.join("deep.ron"),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a scenario").unwrap();
    let out = firedrill(&["validate", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("deep.ron: ok (cache-eviction)"));
    assert!(text(&out.stdout).contains("1 file(s) valid"));
}

#[test]
fn help_explains_the_commands() {
    let out = firedrill(&["--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("validate"));
    let out = firedrill(&["validate", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("PATH:LINE:COL"));
}

fn walkthroughs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("scenarios/walkthroughs"))
        .expect("scenarios/walkthroughs exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

fn json_of(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Sim seconds of each walkthrough's milestones, read off the walkthrough and its
/// scenario: impact start, first page, acknowledged, impact over, resolved, then
/// MTTA (acknowledged − impact start), MTTR (resolved − acknowledged) and MTRS
/// (resolved − impact start).
///
/// The commander walkthroughs acknowledge and resolve at the times written in them.
/// In the others the IC bot acknowledges the scenario's `acknowledge_after` after the
/// first page (2m for edge-waf-regex and db-replica-lag, 4m for
/// chat-gateway-saturation) and resolves 5 minutes after impact ends, as their header
/// comments say (edge-waf-regex comms: acknowledged 6m10s, impact over 24m10s, resolved
/// 29m10s).
const WALKTHROUGH_TIMES: &[(&str, [u64; 8])] = &[
    // Page 8m20s; "8m40s" Acknowledge; "50m" Resolve.
    (
        "chat-gateway-saturation.commander",
        [180, 500, 520, 2645, 3000, 340, 2480, 2820],
    ),
    (
        "chat-gateway-saturation.comms",
        [180, 500, 740, 3005, 3305, 560, 2565, 3125],
    ),
    (
        "chat-gateway-saturation.tech",
        [180, 500, 740, 2165, 2465, 560, 1725, 2285],
    ),
    // Page 3m40s; "4m10s" Acknowledge; "47m30s" Resolve.
    (
        "db-replica-lag.commander",
        [120, 220, 250, 2535, 2850, 130, 2600, 2730],
    ),
    (
        "db-replica-lag.comms",
        [120, 220, 340, 2790, 3090, 220, 2750, 2970],
    ),
    (
        "db-replica-lag.tech",
        [120, 220, 340, 1935, 2235, 220, 1895, 2115],
    ),
    // Page 4m10s; "4m25s" Acknowledge; "25m50s" Resolve.
    (
        "edge-waf-regex.commander",
        [120, 250, 265, 1180, 1550, 145, 1285, 1430],
    ),
    (
        "edge-waf-regex.comms",
        [120, 250, 370, 1450, 1750, 250, 1380, 1630],
    ),
    (
        "edge-waf-regex.tech",
        [120, 250, 370, 1060, 1360, 250, 990, 1240],
    ),
];

#[test]
fn every_walkthrough_resolves_at_its_known_times() {
    let files = walkthroughs();
    for scenario in shipped_scenarios() {
        let id = scenario.file_stem().unwrap().to_string_lossy().into_owned();
        for role in ["commander", "comms", "tech"] {
            let name = format!("{id}.{role}.ron");
            assert!(
                files.iter().any(|f| f.ends_with(&name)),
                "missing walkthrough {name}"
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let (id, role) = stem.rsplit_once('.').unwrap();
        let json = dir.path().join(format!("{stem}.json"));
        let out = firedrill(&[
            "run",
            id,
            "--role",
            role,
            "--inputs",
            file.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{stem}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("Outcome: resolved"),
            "{stem}:\n{}",
            text(&out.stdout)
        );
        let report = json_of(&json);
        assert_eq!(report["outcome"], "resolved");
        let times = &report["times"];
        let (_, known) = WALKTHROUGH_TIMES
            .iter()
            .find(|(name, _)| *name == stem)
            .unwrap_or_else(|| panic!("{stem}: add its times to WALKTHROUGH_TIMES"));
        let keys = [
            "start_s",
            "detected_s",
            "acknowledged_s",
            "mitigated_s",
            "resolved_s",
            "mtta_s",
            "mttr_s",
            "mtrs_s",
        ];
        for (key, seconds) in keys.into_iter().zip(known) {
            assert_eq!(times[key].as_u64(), Some(*seconds), "{stem}: {key}");
        }
        let refused = report["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| {
                l["who"].as_str().unwrap().contains("(you)")
                    && l["text"].as_str().unwrap().contains("refused")
            })
            .count();
        assert_eq!(refused, 0, "{stem}: the walkthrough has refused actions");
        for key in ["can", "comms", "total"] {
            assert!(report["scores"][key].as_u64().unwrap() <= 100);
        }
        assert!(
            report["scores"]["total"].as_u64().unwrap() >= 95,
            "{stem}: a walkthrough plays the role well: {}",
            report["scores"]
        );
        assert!(
            report["can_reports"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["at_s"].is_u64() && r["findings"].is_array())
        );
    }
}

#[test]
fn run_twice_gives_byte_identical_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo().join("scenarios/walkthroughs/edge-waf-regex.commander.ron");
    let outputs: Vec<Vec<u8>> = ["a.json", "b.json"]
        .iter()
        .map(|name| {
            let json = dir.path().join(name);
            let out = firedrill(&[
                "run",
                "edge-waf-regex",
                "--role",
                "ic",
                "--inputs",
                file.to_str().unwrap(),
                "--seed",
                "7",
                "--json",
                json.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            std::fs::read(json).unwrap()
        })
        .collect();
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn an_unresolved_run_shows_its_cap_in_the_summary_the_json_and_the_postmortem() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = repo().join("tests/fixtures/edge-waf-regex.never-resolved.commander.ron");
    let json = dir.path().join("run.json");
    let draft = dir.path().join("postmortem.md");
    let out = firedrill(&[
        "run",
        "edge-waf-regex",
        "--role",
        "commander",
        "--inputs",
        inputs.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "--postmortem",
        draft.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("total 40\n"), "{stdout}");
    assert!(
        stdout.contains("The categories came to 84; taken off the total:\n  -44   16:25 The run ended at 16:25 with the incident not resolved"),
        "{stdout}"
    );
    let report = json_of(&json);
    assert_eq!(report["scores"]["total"], 40);
    let adjustments = report["adjustments"].as_array().unwrap();
    assert_eq!(adjustments.len(), 1);
    assert_eq!(adjustments[0]["kind"], "unresolved");
    assert_eq!(adjustments[0]["lost"], 44);
    let markdown = std::fs::read_to_string(&draft).unwrap();
    assert!(
        markdown.contains("totals at most 40, however well the rest went; it would have totalled 84, so the cap took 44 points off. (−44 from the total)"),
        "{markdown}"
    );
}

#[test]
fn unreached_milestones_are_null_in_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("idle.ron");
    std::fs::write(
        &inputs,
        "Inputs(scenario: \"cache-eviction\", role: Tech, actions: [])",
    )
    .unwrap();
    let json = dir.path().join("out.json");
    let minimal = repo().join("tests/fixtures/minimal.ron");
    let out = firedrill(&[
        "run",
        minimal.to_str().unwrap(),
        "--role",
        "tech",
        "--inputs",
        inputs.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Outcome: timed_out"));
    let report = json_of(&json);
    assert_eq!(report["outcome"], "timed_out");
    assert!(report["times"]["resolved_s"].is_null());
    assert!(report["times"]["mttr_s"].is_null());
    assert!(report["times"]["mtrs_s"].is_null());
    assert!(
        report["times"]["acknowledged_s"].is_u64(),
        "the IC bot acknowledged"
    );
}

#[test]
fn bad_input_files_are_reported_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let minimal = repo().join("tests/fixtures/minimal.ron");
    let cases = [
        (
            "Inputs(scenario: \"cache-eviction\", role: Comms, actions: [\n  (at: \"1m\", do: @@Remediate(\"restore-node\")),\n])",
            "the Communications Lead cannot remediate",
        ),
        (
            "Inputs(scenario: \"cache-eviction\", role: Tech, actions: [\n  (at: \"1m\", do: @@Investigate(\"nope\")),\n])",
            "unknown investigation \"nope\"",
        ),
        (
            "Inputs(scenario: @@\"other\", role: Tech, actions: [])",
            "these inputs are for scenario \"other\"",
        ),
        (
            "Inputs(scenario: \"cache-eviction\", role: Tech, actions: [\n  (at: \"1m\", @@doo: Acknowledge),\n])",
            "Unexpected field named `doo`",
        ),
        (
            "Inputs(scenario: \"cache-eviction\", role: Tech, actions: [\n  (at: @@\"2h\", do: Acknowledge),\n])",
            "2h is not before the scenario's time limit 1h",
        ),
    ];
    for (source, message) in cases {
        let marker = source.find("@@").unwrap();
        let (line, col) = line_col(source, marker);
        let file = dir.path().join("inputs.ron");
        std::fs::write(&file, source.replacen("@@", "", 1)).unwrap();
        let out = firedrill(&[
            "run",
            minimal.to_str().unwrap(),
            "--role",
            "tech",
            "--inputs",
            file.to_str().unwrap(),
        ]);
        assert_reported(&out, &file, (line, col), message, message);
    }
}

#[test]
fn a_poor_run_explains_its_points_and_drafts_a_blameless_postmortem() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = repo().join("scenarios/walkthroughs/poor/edge-waf-regex.commander.ron");
    let json = dir.path().join("run.json");
    let draft = dir.path().join("postmortem.md");
    let out = firedrill(&[
        "run",
        "edge-waf-regex",
        "--role",
        "ic",
        "--inputs",
        inputs.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "--postmortem",
        draft.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Where the points went (cost to the total):"),
        "{stdout}"
    );
    assert!(
        stdout.contains("yourself"),
        "the IC going heads-down is named: {stdout}"
    );
    let report = json_of(&json);
    for key in ["time", "can", "comms", "decisions", "discipline", "total"] {
        assert!(report["scores"][key].as_u64().unwrap() <= 100, "{key}");
    }
    let findings = report["findings"].as_array().unwrap();
    for f in findings {
        let field = |key: &str| {
            f[key]
                .as_u64()
                .unwrap_or_else(|| panic!("no {key} in the finding {f}"))
        };
        assert!(field("points") <= field("max"), "{f}");
        assert!(
            field("at_s") <= 105 * 60,
            "within the 1h45m time limit: {f}"
        );
        assert!(f["category"].is_string(), "{f}");
        assert!(!f["text"].as_str().unwrap().is_empty(), "{f}");
    }
    // The time findings, by hand: impact began at 2m and the walkthrough acknowledges at
    // 11m and resolves for good at 48m. MTTA 9m is 4m over its 5m par, and the points
    // reach none at 3 × par (10m over): 50 × 6/10 = 30. MTTR 37m is 7m over its 30m par,
    // none at 60m over: 50 × 53/60 = 44.
    let time: Vec<(u64, u64, u64)> = findings
        .iter()
        .filter(|f| f["category"] == "time")
        .map(|f| {
            let n = |key: &str| f[key].as_u64().unwrap();
            (n("at_s"), n("points"), n("max"))
        })
        .collect();
    assert_eq!(time, [(660, 30, 50), (2880, 44, 50)]);
    assert_eq!(report["scores"]["time"], 74);
    let markdown = std::fs::read_to_string(&draft).unwrap();
    assert!(markdown.starts_with("# Postmortem (draft): "));
    let ack = report["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["text"] == "acknowledged the page")
        .expect("the acknowledgement is on the timeline");
    let row = format!(
        "| {} | {}",
        ack["clock"].as_str().unwrap(),
        "13:51:00 | Incident Commander (you) | acknowledged the page |"
    );
    assert!(markdown.contains(&row), "no row {row}");
    assert!(
        !markdown.contains("j.okafor's WAF rule"),
        "blame is withheld"
    );
    let unwritable = firedrill(&[
        "run",
        "edge-waf-regex",
        "--role",
        "ic",
        "--inputs",
        inputs.to_str().unwrap(),
        "--postmortem",
        dir.path().join("no/such/dir/pm.md").to_str().unwrap(),
    ]);
    assert_eq!(unwritable.status.code(), Some(2));
}

#[test]
fn run_reports_usage_and_missing_files() {
    let walkthrough = repo().join("scenarios/walkthroughs/edge-waf-regex.tech.ron");
    let w = walkthrough.to_str().unwrap();
    let mismatch = firedrill(&["run", "edge-waf-regex", "--role", "comms", "--inputs", w]);
    assert_eq!(mismatch.status.code(), Some(1));
    assert!(
        text(&mismatch.stderr).contains("these inputs are for the tech role, but --role is comms")
    );
    let unknown = firedrill(&["run", "no-such-drill", "--role", "tech", "--inputs", w]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr)
            .contains("built-in: chat-gateway-saturation, db-replica-lag, edge-waf-regex")
    );
    let missing = firedrill(&[
        "run",
        "edge-waf-regex",
        "--role",
        "tech",
        "--inputs",
        "nope.ron",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    let bad_role = firedrill(&["run", "edge-waf-regex", "--role", "janitor", "--inputs", w]);
    assert_eq!(bad_role.status.code(), Some(2));
    assert!(text(&bad_role.stderr).contains(
        "invalid value 'janitor' for '--role <ROLE>'\n  [possible values: commander, comms, tech]"
    ));
}

#[test]
fn autoplay_prints_the_spread_and_bots_resolve_every_scenario() {
    let dir = tempfile::tempdir().unwrap();
    for scenario in shipped_scenarios() {
        let json = dir.path().join("spread.json");
        let out = firedrill(&[
            "autoplay",
            scenario.to_str().unwrap(),
            "--runs",
            "4",
            "--seed",
            "10",
            "--json",
            json.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(stdout.contains("Resolved: 4/4 (100%)"), "{stdout}");
        assert!(
            stdout.contains("MTTA: p10") && stdout.contains("MTTR: p10"),
            "{stdout}"
        );
        let spread = json_of(&json);
        let seeds: Vec<u64> = spread["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["seed"].as_u64().unwrap())
            .collect();
        assert_eq!(seeds, [10, 11, 12, 13]);
    }
    let random = firedrill(&[
        "autoplay",
        "edge-waf-regex",
        "--runs",
        "2",
        "--policy",
        "random",
    ]);
    assert!(random.status.success(), "{}", text(&random.stderr));
    assert!(text(&random.stdout).contains("(random policy)"));
    let unknown = firedrill(&["autoplay", "edge-waf-regex", "--policy", "sideways"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains(
        "invalid value 'sideways' for '--policy <POLICY>'\n  [possible values: reference, random, novice]"
    ));
}

#[test]
fn validate_checks_input_files_against_their_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.ron");
    std::fs::write(&good, "// a walkthrough\nInputs(scenario: \"edge-waf-regex\", role: Tech, actions: [(at: \"5m\", do: Investigate(\"edge-cpu-profile\"))])").unwrap();
    let out = firedrill(&["validate", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ok (inputs for edge-waf-regex, tech)"));

    let orphan = dir.path().join("orphan.ron");
    std::fs::write(
        &orphan,
        "Inputs(scenario: \"nowhere\", role: Tech, actions: [])",
    )
    .unwrap();
    let out = firedrill(&["validate", orphan.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(":1:1: input file for an unknown scenario \"nowhere\""));
}

fn firedrill_without_display(args: &[&str]) -> Output {
    firedrill_command(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the firedrill binary runs")
}

#[test]
fn without_a_display_the_app_says_so_in_one_line() {
    for args in [&[][..], &["play", "edge-waf-regex", "--role", "tech"][..]] {
        let out = firedrill_without_display(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains("no display"), "{stderr}");
        assert!(
            stderr.contains("firedrill run"),
            "points to the headless commands: {stderr}"
        );
    }
}

#[test]
fn play_checks_its_arguments_before_opening_a_window() {
    let dir = tempfile::tempdir().unwrap();
    let (broken, line, col) = broken_copy(dir.path(), "baseline: 120.0", "baseline: @@\"fast\"");
    let path = broken.to_str().unwrap();
    let out = firedrill_without_display(&["play", path, "--role", "ic"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!("{path}:{line}:{col}:")),
        "{}",
        text(&out.stderr)
    );

    let out =
        firedrill_without_display(&["play", "edge-waf-regex", "--role", "ic", "--speed", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--speed 0 is out of range"));

    let out = firedrill_without_display(&["play", "edge-waf-regex", "--at", "12m"]);
    assert_eq!(out.status.code(), Some(2), "--at needs --screenshot");
    let out = firedrill_without_display(&[
        "play",
        "edge-waf-regex",
        "--role",
        "ic",
        "--screenshot",
        "x.png",
        "--at",
        "soon",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("or use `end`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn runs_recorded_with_a_trainee_are_listed_and_replay_to_the_same_total() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for role in ["commander", "tech"] {
        let walkthrough = format!("scenarios/walkthroughs/edge-waf-regex.{role}.ron");
        let out = firedrill(&[
            "run",
            "edge-waf-regex",
            "--role",
            role,
            "--inputs",
            &walkthrough,
            "--trainee",
            "ana",
            "--data-dir",
            data,
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains("Recorded as run #"));
    }
    let out = firedrill(&["history", "--csv", "--data-dir", data]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("run,started_at,scenario,seed,trainee,role"));
    assert!(lines[1].contains(",ana,commander,resolved,"), "{csv}");
    assert!(lines[2].contains(",ana,tech,resolved,"), "{csv}");

    let out = firedrill(&["history", "--data-dir", data, "--trainee", "nobody"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("No runs recorded yet"));

    let out = firedrill(&["replay", "2", "--data-dir", data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("as recorded"),
        "{}",
        text(&out.stdout)
    );
    let out = firedrill(&["replay", "7", "--data-dir", data]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no run #7"));
}

#[test]
fn a_corrupt_history_is_reported_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.sqlite3");
    std::fs::write(&file, "precious but not SQLite").unwrap();
    let out = firedrill(&["history", "--data-dir", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("left untouched"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "precious but not SQLite"
    );
}

#[test]
fn retry_from_here_pauses_at_a_moment_plays_on_and_records_both_runs_linked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let walkthrough = "scenarios/walkthroughs/edge-waf-regex.commander.ron";
    let base = [
        "run",
        "edge-waf-regex",
        "--role",
        "commander",
        "--inputs",
        walkthrough,
        "--until",
        "12m",
    ];

    // --until alone: where the run stands at 12m, and how to go on.
    let out = firedrill(&base);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let paused = text(&out.stdout);
    for expected in [
        "paused at 14:52:00 Europe/London (12m into the drill)",
        "Replayed 14 of the 25 inputs; 11 from 12m on were not played.",
        "Incident: Identified · severity SEV1",
        "Alerts firing: Edge CPU above 92% fleet-wide,",
        "Latest in the timeline (8 of 73):",
        "--until 12m --then NEXT.ron",
    ] {
        assert!(paused.contains(expected), "{expected:?} in:\n{paused}");
    }

    // --then: the branch holds the kill back and resolves late.
    let next = dir.path().join("next.ron");
    std::fs::write(
        &next,
        r#"Inputs(
    scenario: "edge-waf-regex",
    role: Commander,
    actions: [
        (at: "12m", do: Post(channel: WarRoom, text: "Hold on, wait for more data.")),
        (at: "30m", do: Resolve),
    ],
)
"#,
    )
    .unwrap();
    let mut args = base.to_vec();
    args.extend(["--then", next.to_str().unwrap(), "--trainee", "ana"]);
    args.extend(["--data-dir", data]);
    let out = firedrill(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let played = text(&out.stdout);
    for expected in [
        "Scores: time 100 · CAN 90 (1 report(s)) · communications 100 · decisions 100 · role discipline 85 · total 95",
        "(the same up to 14:52:00):",
        "  total            100        95           worse",
        "  MTTR             21m25s     25m35s       worse",
        "  MTTA             2m25s      2m25s        same",
        "  14:52:00 [#war-room] Hold on, wait for more data.",
        "  15:10:00 declared the incident resolved",
        "Recorded as run #1 and its branch from 12m, run #2, for ana.",
    ] {
        assert!(played.contains(expected), "{expected:?} in:\n{played}");
    }
    let out = firedrill(&["history", "--csv", "--data-dir", data]);
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].ends_with(",total,branch_of,branch_at_s"), "{csv}");
    assert!(lines[1].ends_with(",100,100,,"), "{csv}");
    assert!(lines[2].ends_with(",90,95,1,720"), "{csv}");

    // A continuation that starts before the moment is an input error at its place.
    let early = dir.path().join("early.ron");
    std::fs::write(
        &early,
        "Inputs(\n    scenario: \"edge-waf-regex\",\n    role: Commander,\n    actions: [\n        (at: \"11m\", do: Resolve),\n    ],\n)\n",
    )
    .unwrap();
    let mut args = base.to_vec();
    args.extend(["--then", early.to_str().unwrap()]);
    assert_reported(
        &firedrill(&args),
        &early,
        (5, 14),
        "11m is before 12m, where this file plays on from",
        "early continuation",
    );

    // Usage mistakes are refused before anything runs.
    let mut args = base.to_vec();
    args.extend(["--json", "x.json"]);
    let out = firedrill(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("firedrill: --json: only for a finished run;"));
    let out = firedrill(&[
        "run",
        "edge-waf-regex",
        "--role",
        "commander",
        "--inputs",
        walkthrough,
        "--until",
        "2h",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "firedrill: --until 2h is not before the scenario's time limit 1h45m"
    );
}

/// A small team drill: ana commands from the start, bo takes the Technical Lead's seat
/// from its bot for ten minutes, the facilitator hints to ana once.
const DRILL: &str = include_str!("fixtures/team-drill.ron");

#[test]
fn run_replays_a_drill_file_seat_by_seat() {
    let dir = tempfile::tempdir().unwrap();
    let drill = dir.path().join("drill.ron");
    std::fs::write(&drill, DRILL).unwrap();
    let json = dir.path().join("drill.json");
    let out = firedrill(&[
        "run",
        "edge-waf-regex",
        "--inputs",
        drill.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "Team drill: 2 seat(s) taken, seed 3 from the drill file"
    );
    let headers: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("== "))
        .collect();
    assert_eq!(
        headers,
        [
            "== ana · Incident Commander ==",
            "== bo · Technical Lead =="
        ]
    );
    let scores: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("Scores: "))
        .collect();
    assert_eq!(
        scores,
        [
            "Scores: time 95 · CAN 0 (0 report(s)) · communications 100 · decisions 100 · role discipline 60 · total 63",
            "Scores: time 95 · CAN 30 (0 report(s)) · communications 100 · decisions 100 · total 85",
        ]
    );
    let report = json_of(&json);
    let seats = report["seats"].as_array().unwrap();
    let named: Vec<(&str, &str, u64)> = seats
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["role"].as_str().unwrap(),
                s["scores"]["total"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(named, [("ana", "Commander", 63), ("bo", "Tech", 85)]);
    assert_eq!(seats[0]["adjustments"][0]["kind"], "hint");
    assert_eq!(seats[0]["adjustments"][0]["lost"], 5);
    // A drill file with a seat nobody took is refused where it says so.
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, DRILL.replace("by: Seat(Tech)", "by: Seat(Comms)")).unwrap();
    let out = firedrill(&["run", "edge-waf-regex", "--inputs", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!(
            "{}:10:28: nobody has taken the Communications Lead seat by 10m30s",
            bad.display()
        )),
        "{}",
        text(&out.stderr)
    );
    // A one-seat file still needs its role.
    let walkthrough = repo().join("scenarios/walkthroughs/edge-waf-regex.tech.ron");
    let out = firedrill(&[
        "run",
        "edge-waf-regex",
        "--inputs",
        walkthrough.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("a one-seat input file needs --role"));
}

/// `join`'s argument errors are caught before any network: one line, exit code 2.
#[test]
fn join_reports_bad_arguments_without_touching_the_network() {
    let comms = "scenarios/walkthroughs/edge-waf-regex.comms.ron";
    let join = |extra: &[&str]| {
        let mut args = vec!["join", "127.0.0.1:9", "--name", "ana"];
        args.extend_from_slice(extra);
        let out = firedrill(&args);
        (out.status.code(), text(&out.stderr))
    };

    let (code, err) = join(&["--code", "7KQM-X2RD", "--headless", "--inputs", comms]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("a join code has 12 letters and digits (like 7KQM-X2RD-WN9F); this one has 8"),
        "{err}"
    );
    let (code, err) = join(&["--code", "7KQM-X2RD-WN9I", "--headless", "--inputs", comms]);
    assert_eq!(code, Some(2));
    assert!(err.contains("a join code never contains 'I'"), "{err}");

    let (code, err) = join(&["--code", "7KQM-X2RD-WN9F", "--headless"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "firedrill: --headless needs --inputs FILE: the seat's actions to play\n"
    );

    let (code, err) = join(&[
        "--code",
        "7KQM-X2RD-WN9F",
        "--headless",
        "--inputs",
        comms,
        "--seat",
        "tech",
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        format!("firedrill: {comms}: these inputs are for the comms seat, but --seat is tech\n")
    );

    let (code, err) = join(&["--code", "7KQM-X2RD-WN9F", "--seat", "pilot"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("no seat \"pilot\": use commander, comms, tech, observer or facilitator"),
        "{err}"
    );

    // Without --headless the app opens joining; with no display it says so in one line.
    let out = firedrill_without_display(&[
        "join",
        "127.0.0.1:9",
        "--name",
        "ana",
        "--code",
        "7KQM-X2RD-WN9F",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no display"), "{err}");
}

#[test]
fn host_refuses_bad_arguments_before_opening_anything() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let two = firedrill(&[
        "host",
        "edge-waf-regex",
        "db-replica-lag",
        "--code",
        "7KQM-X2RD-WN9F",
        "--out-dir",
        out,
    ]);
    assert_eq!(two.status.code(), Some(2));
    assert_eq!(
        text(&two.stderr).trim(),
        "firedrill: --code gives one drill its code: with several scenarios, each gets a generated one"
    );
    let unknown = firedrill(&["host", "edge-waf-regex", "no-such-drill", "--out-dir", out]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).starts_with("no-such-drill: no such file, and no built-in scenario"),
        "{}",
        text(&unknown.stderr)
    );
    let (broken, _, _) = broken_copy(dir.path(), "kind: Fix", "kind: @@Harmful");
    let invalid = firedrill(&["host", broken.to_str().unwrap(), "--out-dir", out]);
    assert_eq!(invalid.status.code(), Some(1));
    assert!(
        text(&invalid.stderr).starts_with(&format!(
            "{}:53:19: no remediation has kind Fix",
            broken.display()
        )),
        "{}",
        text(&invalid.stderr)
    );
    let code = firedrill(&["host", "edge-waf-regex", "--code", "abc", "--out-dir", out]);
    assert_eq!(code.status.code(), Some(2));
    assert!(text(&code.stderr).starts_with("firedrill: --code: a join code has 12"));
    // Nothing was opened, so nothing was journaled.
    let written: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".drill-journal"))
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

/// `firedrill host` and `firedrill join --headless` as two processes over 127.0.0.1:
/// the seat's debrief is printed and recorded in the joiner's history, `replay` scores
/// it again from the whole drill, and the host's drill file replays with `run`.
#[test]
fn a_drill_hosted_and_joined_headless_is_recorded_and_replays_as_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let runs = dir.path().join("runs");
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let code = "K7MQ-2XRD-9WNF";
    let mut host = firedrill_command(&[
        "host",
        "edge-waf-regex",
        "--port",
        &port,
        "--code",
        code,
        "--start-with",
        "1",
        "--speed",
        "100",
        "--out-dir",
        runs.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
    ])
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .expect("the host starts");
    // join waits up to 5 s for the host to answer.
    let out = firedrill(&[
        "join",
        &format!("127.0.0.1:{port}"),
        "--code",
        code,
        "--name",
        "ana",
        "--seat",
        "ic",
        "--headless",
        "--inputs",
        "scenarios/walkthroughs/edge-waf-regex.commander.ron",
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    let joined = text(&out.stdout);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while host.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            host.kill().unwrap();
            panic!("the host never ended; join said:\n{joined}");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let hosted = host.wait_with_output().unwrap();
    let hosted = text(&hosted.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{joined}\n{}",
        text(&out.stderr)
    );
    assert!(
        joined.starts_with("Joined \"Northwind Edge: every PoP at 100% CPU, 502s worldwide\" at 0s as ana (Incident Commander)"),
        "{joined}"
    );
    assert!(joined.contains("Outcome: resolved"), "{joined}");
    assert!(
        joined.trim_end().ends_with("Recorded as run #1 for ana."),
        "{joined}"
    );
    assert!(
        hosted.contains("ana joined in the Incident Commander seat"),
        "{hosted}"
    );
    assert!(
        hosted.contains("the drill ended: Resolved; saved as "),
        "{hosted}"
    );

    // The joiner's history has the run as the commander's, and replay scores the drill.
    let out = firedrill(&["replay", "1", "--data-dir", data.to_str().unwrap()]);
    let replayed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(replayed.contains(", as recorded."), "{replayed}");
    let out = firedrill(&["history", "--csv", "--data-dir", data.to_str().unwrap()]);
    assert!(
        text(&out.stdout).contains(",edge-waf-regex,1,ana,commander,resolved,"),
        "{}",
        text(&out.stdout)
    );

    // The host's drill file replays seat by seat.
    let saved = std::fs::read_dir(&runs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".drill.ron"))
        .expect("the host saved the drill");
    let out = firedrill(&["run", "edge-waf-regex", "--inputs", saved.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("== ana · Incident Commander =="));
}

/// The mistakes authors make most are reported where the fix goes; a byte-order mark is
/// fine; a file that is not text, or far too big, is bad input (exit 1), not a crash.
#[test]
fn validate_explains_common_mistakes_and_refuses_what_is_not_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string("scenarios/edge-waf-regex.ron").unwrap();
    let check = |name: &str, contents: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        let out = firedrill(&["validate", path.to_str().unwrap()]);
        (out.status.code(), text(&out.stderr), path)
    };

    let mut marked = b"\xEF\xBB\xBF".to_vec();
    marked.extend_from_slice(good.as_bytes());
    let (code, err, _) = check("bom.ron", &marked);
    assert_eq!(code, Some(0), "a byte-order mark is accepted: {err}");

    let comma = good.replacen(
        "    title: \"Northwind Edge: every PoP at 100% CPU, 502s worldwide\",",
        "    title: \"Northwind Edge: every PoP at 100% CPU, 502s worldwide\"",
        1,
    );
    let (code, err, path) = check("comma.ron", comma.as_bytes());
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with(&format!(
            "{}:15:67: missing comma at the end of this line",
            path.display()
        )),
        "{err}"
    );

    let mut binary = good.as_bytes()[..40].to_vec();
    binary.extend_from_slice(b"\xFF\xFE garbage");
    let (code, err, path) = check("binary.ron", &binary);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with(&format!("{}:", path.display()))
            && err.contains("not UTF-8 text (byte 0xFF): save the file as UTF-8"),
        "{err}"
    );

    let huge = vec![b' '; 9 << 20];
    let (code, err, path) = check("huge.ron", &huge);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with(&format!(
            "{}:1:1: the file is larger than 8 MiB",
            path.display()
        )),
        "{err}"
    );
}

#[test]
fn watch_needs_a_scenario_file() {
    for args in [
        &["play", "edge-waf-regex", "--watch"][..],
        &[
            "play",
            "scenarios/edge-waf-regex.ron",
            "--watch",
            "--screenshot",
            "x.png",
        ][..],
    ] {
        let out = firedrill(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("--watch reloads a scenario file when it is saved"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_scenario_with_a_warning_is_valid_unless_warnings_are_denied() {
    let dir = tempfile::tempdir().unwrap();
    let minimal = std::fs::read_to_string(repo().join("tests/fixtures/minimal.ron")).unwrap();
    // A harmful step that changes nothing: a lint warning, not an error.
    let from = "    remediations: [\n";
    let added = "        (id: \"restart-api\", label: \"Restart the API\", kind: Harmful, takes: \"2m\"),\n";
    let broken = minimal.replacen(from, &format!("{from}{added}"), 1);
    let file = dir.path().join("cache-eviction.ron");
    std::fs::write(&file, &broken).unwrap();
    let at = broken.find("kind: Harmful").unwrap() + "kind: ".len();
    let (line, col) = line_col(&broken, at);
    let expected = format!(
        "{}:{line}:{col}: warning: harmful remediation \"restart-api\" has no consequence",
        file.display()
    );

    let out = firedrill(&["validate", file.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(
        stderr.contains("kind: Harmful"),
        "the source line: {stderr}"
    );
    assert!(
        text(&out.stdout).ends_with("1 file(s) valid, 1 warning(s)\n"),
        "{}",
        text(&out.stdout)
    );

    let out = firedrill(&["validate", "--deny-warnings", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with(&expected));
    assert!(
        text(&out.stderr).contains("1 file(s) valid, 1 warning(s) denied by --deny-warnings"),
        "{}",
        text(&out.stderr)
    );

    // Without the warning, --deny-warnings passes.
    std::fs::write(&file, &minimal).unwrap();
    let out = firedrill(&["validate", "--deny-warnings", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn new_writes_a_skeleton_from_a_timeline_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("waf-outage.ron");
    let timeline = repo().join("tests/fixtures/waf-outage.timeline.md");
    let args = [
        "new",
        "waf-outage",
        "--from-timeline",
        timeline.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let run = firedrill(&args);
    let stdout = text(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(
        stdout.starts_with(&format!(
            "Wrote {}: a skeleton that validates and that the bots resolve.\n",
            out.display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  par acknowledge 4m: line 9, \"P0 incident declared, responders engaged\"\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "  firedrill validate {0}\n  firedrill autoplay {0}\n  firedrill play {0}\n",
            out.display()
        )),
        "{stdout}"
    );
    let validated = firedrill(&["validate", out.to_str().unwrap()]);
    assert_eq!(
        validated.status.code(),
        Some(0),
        "{}",
        text(&validated.stderr)
    );
    let played = firedrill(&["autoplay", out.to_str().unwrap(), "--runs", "3"]);
    assert!(
        text(&played.stdout).contains("Resolved: 3/3 (100%)"),
        "{}",
        text(&played.stdout)
    );

    // A second time: refused, the file untouched.
    let before = std::fs::read_to_string(&out).unwrap();
    std::fs::write(&out, "mine").unwrap();
    let again = firedrill(&args);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        text(&again.stderr).trim_end(),
        format!(
            "firedrill: {} already exists: pick another ID or --out FILE (nothing was overwritten)",
            out.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    assert!(before.contains("starts_at: \"2019-07-02T13:31:00+00:00\""));

    // A bad id is refused with the validator's rule.
    let bad = firedrill(&[
        "new",
        "My Drill",
        "--out",
        dir.path().join("x.ron").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        text(&bad.stderr).trim_end(),
        "firedrill: scenario id \"My Drill\" may only use a-z, 0-9 and '-' (it names files)"
    );
}

#[test]
fn new_reports_a_bad_timeline_row_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let timeline = dir.path().join("timeline.csv");
    std::fs::write(
        &timeline,
        "time,source,text\n14:02,SRE,Paged\n14:7x,SRE,Rolled back\n",
    )
    .unwrap();
    let out = dir.path().join("drill.ron");
    let run = firedrill(&[
        "new",
        "drill",
        "--from-timeline",
        timeline.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = text(&run.stderr);
    assert!(
        stderr.starts_with(&format!(
            "{}:3:1: cannot read the time \"14:7x\": write a clock time",
            timeline.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n 3 | 14:7x,SRE,Rolled back\n   | ^^^^^\n"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn autoplay_profiles_a_drill_for_a_novice_and_names_where_runs_got_stuck() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("novice.json");
    let args = |jobs: &'static str| {
        [
            "autoplay",
            "db-replica-lag",
            "--policy",
            "novice",
            "--runs",
            "10",
            "--jobs",
            jobs,
        ]
    };
    let one = firedrill(&args("1"));
    assert!(one.status.success(), "{}", text(&one.stderr));
    let mut three = args("3").to_vec();
    three.extend(["--json", json.to_str().unwrap()]);
    let three = firedrill(&three);
    assert!(three.status.success(), "{}", text(&three.stderr));
    // Threads change nothing, and no progress bar reaches a pipe.
    assert_eq!(text(&one.stdout), text(&three.stdout));
    assert_eq!(text(&three.stderr), "");
    let stdout = text(&three.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "Replica lag, and a resync on the wrong host · 10 run(s) with bots in every role (novice policy), seeds 1..10"
    );
    assert_eq!(lines[1], "Resolved: 7/10 (70%)");
    assert_eq!(lines[2], "MTTA: p10 6m28s · p50 7m39s · p90 9m7s");
    assert_eq!(lines[3], "MTTR: p10 49m42s · p50 49m45s · p90 58m44s");
    assert_eq!(lines[4], "MTRS: p10 56m10s · p50 58m50s · p90 1h5m45s");
    assert_eq!(lines[5], "Total score: p10 40 · p50 88 · p90 90");
    assert!(
        lines[6].starts_with(
            "Wrong turns: \"Raise max_connections on pg-main-1 so queued writes get a connection\" (red herring) in 5 of 10 runs · "
        ),
        "{}",
        lines[6]
    );
    assert!(
        lines[6].contains(
            "\"Take Marek's shortcut: rm -rf the data directory from his open 'db2' shell and resync\" (harmful) in 3 of 10 runs"
        ),
        "{}",
        lines[6]
    );
    assert_eq!(
        lines[7],
        "Stuck: 3 run(s) not resolved. Most blocked: \"Take a fresh LVM snapshot of pg-main-1 before any destructive step\", refused in 3 of them: Too late: a snapshot now would only capture an empty data directory. Never reached: \"Take a fresh LVM snapshot of pg-main-1 before any destructive step\" in 3 of them."
    );
    assert_eq!(
        lines[8],
        "Suggested difficulty: Medium (the scenario says Hard; rule in docs/scenario-format.md, \"Difficulty\")"
    );

    let spread = json_of(&json);
    assert_eq!(spread["policy"], "novice");
    assert_eq!(spread["suggested_difficulty"], "Medium");
    assert_eq!(spread["resolve_rate"], 0.7);
    let runs = spread["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 10);
    let first = &runs[0];
    assert_eq!(first["seed"], 1);
    assert_eq!(first["policy"], "novice");
    assert_eq!(first["outcome"], "timed_out");
    assert_eq!(first["resolved"], false);
    assert_eq!(first["total"], 40);
    assert_eq!(first["mttr_s"], serde_json::Value::Null);
    assert_eq!(
        first["wrong_turns"],
        serde_json::json!(["wipe-data-dir", "scale-sidekiq"])
    );
    assert_eq!(
        first["stuck_at"],
        serde_json::json!({
            "blocked": {
                "step": { "Remediate": "take-snapshot" },
                "reason": "Too late: a snapshot now would only capture an empty data directory."
            },
            "never_reached": "take-snapshot"
        })
    );
    let second = &runs[1];
    assert_eq!(second["outcome"], "resolved");
    assert_eq!(
        second["wrong_turns"],
        serde_json::json!(["raise-max-connections"])
    );
    assert_eq!(second["stuck_at"], serde_json::Value::Null);
    assert_eq!(
        [
            &second["mtta_s"],
            &second["mttr_s"],
            &second["mtrs_s"],
            &second["total"]
        ],
        [525, 2985, 3510, 90]
    );
}
