//! The names people read for a scenario's parts, looked up by id: teams, characters,
//! investigations, remediations, alerts, metrics and dashboards. An id the scenario does not define is
//! shown as itself, so a stale reference still reads as something.

use super::Scenario;

impl Scenario {
    /// A team's name ("Edge SRE on-call"), or the id.
    pub fn team_name<'a>(&'a self, id: &'a str) -> &'a str {
        named(self.world.teams.iter().map(|t| (&t.id, &t.name)), id)
    }

    /// "Name (role)" of a character ("Marisol Ortega (Support lead)"), or the id.
    pub fn character_name(&self, id: &str) -> String {
        self.characters
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_string(), |c| format!("{} ({})", c.name, c.role))
    }

    /// An investigation's label, or the id.
    pub fn investigation_label<'a>(&'a self, id: &'a str) -> &'a str {
        named(self.investigations.iter().map(|x| (&x.id, &x.label)), id)
    }

    /// A remediation's label, or the id.
    pub fn remediation_label<'a>(&'a self, id: &'a str) -> &'a str {
        named(self.remediations.iter().map(|x| (&x.id, &x.label)), id)
    }

    /// An alert's name, or the id.
    pub fn alert_name<'a>(&'a self, id: &'a str) -> &'a str {
        named(self.world.alerts.iter().map(|a| (&a.id, &a.name)), id)
    }

    /// A metric's name ("Message send success"), or the id.
    pub fn metric_name<'a>(&'a self, id: &'a str) -> &'a str {
        named(self.world.metrics.iter().map(|m| (&m.id, &m.name)), id)
    }

    /// A dashboard's title, or the id.
    pub fn dashboard_title<'a>(&'a self, id: &'a str) -> &'a str {
        named(self.world.dashboards.iter().map(|d| (&d.id, &d.title)), id)
    }
}

/// The name paired with `id`, or `id` itself.
fn named<'a>(mut items: impl Iterator<Item = (&'a String, &'a String)>, id: &'a str) -> &'a str {
    items.find(|(i, _)| *i == id).map_or(id, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use crate::scenario::builtin;

    #[test]
    fn parts_are_named_by_id_and_unknown_ids_read_as_themselves() {
        let s = builtin::load("edge-waf-regex").expect("built-in");
        assert_eq!(s.team_name("edge-oncall"), "Edge SRE on-call");
        assert_eq!(s.team_name("nobody"), "nobody");
        assert_eq!(s.character_name("support"), "Marisol Ortega (Support lead)");
        assert_eq!(s.character_name("ghost"), "ghost");
        assert_eq!(
            s.investigation_label("recent-deploys"),
            "Review recent deploys and config pushes"
        );
        assert_eq!(
            s.remediation_label("waf-global-kill"),
            "Global kill of the WAF managed rules engine (nwctl via bastion)"
        );
        assert_eq!(
            s.remediation_label("reboot-everything"),
            "reboot-everything"
        );
        assert_eq!(s.alert_name("edge-5xx-critical"), "Edge 5xx rate above 5%");
    }
}
