//! The `firedrill` binary as a user calls it: arguments in, text and exit code out.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn firedrill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_firedrill"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the firedrill binary runs")
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
            "syntax: missing comma",
            "\"1h\",\n    world",
            "\"1h\"\n    @@world",
            "Expected comma",
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
    let expected = format!("{}:{line}:{col}: unknown character \"vp\"", file.display());
    assert!(
        text(&out.stderr).contains(&expected),
        "{}",
        text(&out.stderr)
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
    assert!(text(&mixed.stderr).contains("1 of 2 scenario file(s) invalid"));

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
    assert!(text(&out.stdout).contains("1 scenario file(s) valid"));
}

#[test]
fn help_explains_the_commands() {
    let out = firedrill(&["--help"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("validate"));
    let out = firedrill(&["validate", "--help"]);
    assert!(text(&out.stdout).contains("PATH:LINE:COL"));
}
