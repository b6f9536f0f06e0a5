//! The scenarios shipped in `scenarios/`, compiled in so the binary works anywhere.

/// `(id, RON source)` of every shipped scenario.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "chat-gateway-saturation",
        include_str!("../../../scenarios/chat-gateway-saturation.ron"),
    ),
    (
        "db-replica-lag",
        include_str!("../../../scenarios/db-replica-lag.ron"),
    ),
    (
        "edge-waf-regex",
        include_str!("../../../scenarios/edge-waf-regex.ron"),
    ),
];

/// The source of the built-in scenario with this id.
pub fn source(id: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
}

/// The built-in scenario with this id, parsed.
pub fn load(id: &str) -> Option<super::Scenario> {
    source(id).map(|text| super::parse(text).expect("built-in scenarios are valid (tested)"))
}

/// Every built-in scenario, parsed, in id order.
pub fn all() -> Vec<super::Scenario> {
    let mut all: Vec<super::Scenario> = BUILTIN
        .iter()
        .map(|(_, text)| super::parse(text).expect("built-in scenarios are valid (tested)"))
        .collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_parses_under_its_own_id() {
        for (id, source) in super::BUILTIN {
            let scenario = super::super::parse(source).expect("built-in scenarios are valid");
            assert_eq!(&scenario.id, id);
        }
    }

    #[test]
    fn all_lists_every_builtin_in_id_order() {
        let ids: Vec<String> = super::all().into_iter().map(|s| s.id).collect();
        let mut expected: Vec<String> = super::BUILTIN
            .iter()
            .map(|(id, _)| id.to_string())
            .collect();
        expected.sort();
        assert_eq!(ids, expected);
    }
}
