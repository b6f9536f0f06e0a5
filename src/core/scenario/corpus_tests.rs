//! The shipped corpus (scenarios, fixture, docs example) is valid, and bad input never
//! panics the loader: arbitrary bytes, truncated and mutated copies of the corpus all
//! come back as diagnostics that render.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{InjectKind, RemediationKind, Scenario, parse};

fn shipped() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("scenarios/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("scenario readable"))
        .collect()
}

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut texts = shipped();
    texts.push(std::fs::read_to_string(root.join("tests/fixtures/minimal.ron")).unwrap());
    texts
}

/// Parses, and if it fails, renders every diagnostic: neither may panic.
fn parse_and_render(text: &str) {
    if let Err(diagnostics) = parse(text) {
        assert!(
            !diagnostics.is_empty(),
            "a failure carries at least one diagnostic"
        );
        for d in diagnostics {
            assert!(d.at.line >= 1 && d.at.col >= 1);
            d.render(Path::new("x.ron"), text);
        }
    }
}

#[test]
fn the_corpus_itself_is_valid() {
    for text in corpus() {
        assert!(parse(&text).is_ok(), "{:?}", parse(&text).err());
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        parse_and_render(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mutated_scenarios_never_panic(
        which in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..8),
    ) {
        let corpus = corpus();
        let mut chars: Vec<char> = which.get(&corpus).chars().collect();
        for (at, op, ch) in edits {
            if chars.is_empty() {
                break;
            }
            let i = at.index(chars.len());
            match op {
                0 => { chars.remove(i); }
                1 => chars.insert(i, ch),
                2 => chars[i] = ch,
                // Drop a whole structural character's worth of text around i.
                _ => { chars.drain(i..(i + 40).min(chars.len())); }
            }
        }
        parse_and_render(&chars.into_iter().collect::<String>());
    }
}
