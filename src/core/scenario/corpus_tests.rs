//! The shipped corpus (scenarios, fixture, docs example, walkthroughs) is valid, and
//! bad input never panics the loader: truncated copies of the corpus and copies mutated
//! byte by byte (flips, deletions, duplications, truncations, splices of two files) all
//! come back as diagnostics placed inside the text, that render.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use proptest::prelude::*;

use super::{Diagnostic, InjectKind, RemediationKind, Scenario, builtin, parse};
use crate::inputs;

/// The `.ron` files of `dir` (a path from the repository root), sorted by name.
fn ron_files(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

fn read(file: &Path) -> String {
    std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn shipped() -> Vec<String> {
    ron_files("scenarios").iter().map(|f| read(f)).collect()
}

/// The walkthroughs' input files with the built-in scenario each one drives, read once.
fn walkthroughs() -> &'static [(String, Arc<Scenario>)] {
    static WALKTHROUGHS: LazyLock<Vec<(String, Arc<Scenario>)>> = LazyLock::new(read_walkthroughs);
    &WALKTHROUGHS
}

fn read_walkthroughs() -> Vec<(String, Arc<Scenario>)> {
    let mut files = ron_files("scenarios/walkthroughs");
    files.extend(ron_files("scenarios/walkthroughs/poor"));
    assert!(files.len() >= 9, "walkthroughs: {files:?}");
    files
        .iter()
        .map(|file| {
            let name = file.file_name().unwrap().to_string_lossy();
            let id = name.split('.').next().unwrap();
            let scenario = builtin::load(id).unwrap_or_else(|| panic!("{name}: no built-in {id}"));
            (read(file), Arc::new(scenario))
        })
        .collect()
}

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut texts = shipped();
    texts.push(std::fs::read_to_string(root.join("tests/fixtures/minimal.ron")).unwrap());
    texts
}

/// Every diagnostic is placed inside `text` (its line exists and its column is on that
/// line or just past its end) and renders with the line it points at.
fn assert_placed_inside(text: &str, diagnostics: &[Diagnostic]) {
    assert!(
        !diagnostics.is_empty(),
        "a failure carries at least one diagnostic"
    );
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diagnostics {
        let (line, col) = (d.at.line, d.at.col);
        assert!(
            (1..=lines.len()).contains(&line),
            "{}: line {line} of {}",
            d.message,
            lines.len()
        );
        let chars = lines[line - 1].chars().count();
        assert!(
            (1..=chars + 1).contains(&col),
            "{}: column {col} of a {chars}-character line",
            d.message
        );
        let shown = d.render(Path::new("x.ron"), text);
        assert!(
            shown.starts_with(&format!("x.ron:{line}:{col}: {}", d.message)),
            "{shown}"
        );
    }
}

/// Parses as a scenario; a failure's diagnostics must be placed inside the text.
fn parse_and_render(text: &str) {
    if let Err(diagnostics) = parse(text) {
        assert_placed_inside(text, &diagnostics);
    }
}

/// Parses as input files for `scenario`; the same for failures.
fn parse_inputs_and_render(text: &str, scenario: &Scenario) {
    if let Err(diagnostics) = inputs::parse(text, scenario) {
        assert_placed_inside(text, &diagnostics);
    }
}

#[test]
fn the_corpus_itself_is_valid() {
    for text in corpus() {
        assert!(parse(&text).is_ok(), "{:?}", parse(&text).err());
    }
    for (text, scenario) in walkthroughs() {
        let file = inputs::parse(text, scenario).expect("a valid walkthrough");
        assert_eq!(file.scenario, scenario.id);
    }
}

/// Every shipped drill has the ingredients of a real exercise.
#[test]
fn shipped_scenarios_are_full_drills() {
    let scenarios: Vec<Scenario> = shipped().iter().map(|t| parse(t).unwrap()).collect();
    assert!(scenarios.len() >= 3);
    let mut grounded_in = std::collections::HashSet::new();
    for s in &scenarios {
        let id = &s.id;
        assert!(
            grounded_in.insert(s.based_on.clone()),
            "{id}: another scenario has the same based_on"
        );
        assert!(s.world.services.len() >= 2, "{id}: services");
        assert!(s.world.metrics.len() >= 3, "{id}: metrics");
        assert!(s.world.alerts.len() >= 2, "{id}: alert rules");
        assert!(s.injects.len() >= 8, "{id}: injects");
        for kind in [InjectKind::RedHerring, InjectKind::Escalation] {
            assert!(
                s.injects.iter().any(|i| i.kind == kind),
                "{id}: an inject of kind {kind:?}"
            );
        }
        assert!(s.investigations.len() >= 3, "{id}: investigations");
        for kind in [
            RemediationKind::Fix,
            RemediationKind::RedHerring,
            RemediationKind::Harmful,
        ] {
            assert!(
                s.remediations.iter().any(|r| r.kind == kind),
                "{id}: a {kind:?} remediation"
            );
        }
        assert!(s.characters.len() >= 2, "{id}: characters");
        assert!(
            s.truth.can.len() >= 2,
            "{id}: CAN expectations for two phases"
        );
    }
}

#[test]
fn the_docs_example_is_the_minimal_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let docs = std::fs::read_to_string(root.join("docs/scenario-format.md")).unwrap();
    let fixture = std::fs::read_to_string(root.join("tests/fixtures/minimal.ron")).unwrap();
    let start = docs.find("```ron\n").expect("the docs have a ron example") + "```ron\n".len();
    let end = start + docs[start..].find("```").expect("the example block ends");
    assert_eq!(
        &docs[start..end],
        fixture,
        "docs/scenario-format.md's example drifted from tests/fixtures/minimal.ron"
    );
}

#[test]
fn every_truncation_of_the_corpus_is_handled() {
    for text in corpus() {
        let step = (text.len() / 400).max(1);
        for cut in (0..text.len()).step_by(step) {
            if text.is_char_boundary(cut) {
                let truncated = &text[..cut];
                parse_and_render(truncated);
                assert!(
                    parse(truncated).is_err(),
                    "a cut at byte {cut} cannot be a whole scenario"
                );
            }
        }
    }
}

/// One byte-level edit of a valid file. Places are taken modulo the text's length.
#[derive(Debug, Clone)]
enum Edit {
    /// Flip one bit of the byte at a place.
    Flip { at: usize, bit: u8 },
    /// Delete up to 64 bytes from a place.
    Delete { at: usize, len: usize },
    /// Copy up to 64 bytes from one place to another.
    Duplicate { from: usize, len: usize, to: usize },
    /// Cut the text at a place.
    Truncate { at: usize },
    /// Keep the text up to a place and go on with another file from a place in it.
    Splice {
        at: usize,
        other: usize,
        from: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<usize>;
    prop_oneof![
        3 => (at(), 0u8..8).prop_map(|(at, bit)| Edit::Flip { at, bit }),
        3 => (at(), 1usize..64).prop_map(|(at, len)| Edit::Delete { at, len }),
        2 => (at(), 1usize..64, at()).prop_map(|(from, len, to)| Edit::Duplicate { from, len, to }),
        1 => at().prop_map(|at| Edit::Truncate { at }),
        1 => (at(), at(), at()).prop_map(|(at, other, from)| Edit::Splice { at, other, from }),
    ]
}

/// `text` with `edits` applied in turn, as bytes (flips may break UTF-8; the loader
/// reads text, so invalid sequences become U+FFFD as when a file is read lossily).
/// Splices take the other file from `others`.
fn mutate(text: &str, edits: &[Edit], others: &[&str]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for edit in edits {
        if bytes.is_empty() {
            break;
        }
        let n = bytes.len();
        match *edit {
            Edit::Flip { at, bit } => bytes[at % n] ^= 1 << bit,
            Edit::Delete { at, len } => {
                let at = at % n;
                bytes.drain(at..(at + len).min(n));
            }
            Edit::Duplicate { from, len, to } => {
                let from = from % n;
                let copy = bytes[from..(from + len).min(n)].to_vec();
                let to = to % (n + 1);
                bytes.splice(to..to, copy);
            }
            Edit::Truncate { at } => bytes.truncate(at % n),
            Edit::Splice { at, other, from } => {
                let other = others[other % others.len()].as_bytes();
                bytes.truncate(at % n);
                bytes.extend_from_slice(&other[from % other.len().max(1)..]);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn a_mutation_deep_in_a_file_is_reported_where_it_is() {
    // The point of mutating valid files: a mutant fails deep inside the text, where
    // random bytes never reach. Flipping the case of a letter of each shipped
    // scenario's `title` field is reported at that field.
    for text in shipped() {
        let at = text.find("title:").unwrap();
        let line = text[..at].matches('\n').count() + 1;
        let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
        let mutant = mutate(&text, &[Edit::Flip { at: at + 2, bit: 5 }], &[]);
        assert!(mutant.contains("tiTle:"), "the flip made `tiTle`");
        let diagnostics = parse(&mutant).expect_err("`tiTle` is no field");
        assert_placed_inside(&mutant, &diagnostics);
        assert_eq!(
            (diagnostics[0].at.line, diagnostics[0].at.col),
            (line, col),
            "{diagnostics:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mutated_scenarios_never_panic(
        which in any::<prop::sample::Index>(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let corpus = corpus();
        let others: Vec<&str> = corpus.iter().map(String::as_str).collect();
        let text: &String = which.get(&corpus);
        parse_and_render(&mutate(text, &edits, &others));
    }

    #[test]
    fn mutated_input_files_never_panic(
        which in any::<prop::sample::Index>(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let walkthroughs = walkthroughs();
        let others: Vec<&str> = walkthroughs.iter().map(|(text, _)| text.as_str()).collect();
        let (text, scenario) = which.get(walkthroughs);
        parse_inputs_and_render(&mutate(text, &edits, &others), scenario);
    }
}
