//! Semantic checks.
use super::{Diagnostic, Scenario};
pub(super) fn check(_s: &Scenario, _src: &str) -> Vec<Diagnostic> { Vec::new() }
