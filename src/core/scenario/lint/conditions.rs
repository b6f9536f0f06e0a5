//! Lint: a remediation's or investigation's `requires`, a finding's, an inject's or a
//! reply's `when`, or the truth's `recovering_when` that can never hold, judged from the
//! scenario text alone; and a `Clear` of a flag nothing sets.
//!
//! The rule, per part of the condition: `Flag(f)` never holds when no effect
//! `Set`s `f`; `Joined(team)` never holds when the team's `joins_after` is not shorter
//! than the time limit (any team can be paged by a trainee, so being paged is not
//! judged);
//! `Since(what: x)` never holds when `x` never does; `Above`/`Below` never hold when no level the metric can have (its
//! baseline, every `to` an effect moves it to, four noise deviations either side,
//! inside `min`/`max`) is past the value; `Resolved` and `Reached(Resolved)` never hold
//! while the drill runs (it ends on resolve, so nothing can start or fire then);
//! `Started`/`Remediated`, `Fired` and `Firing` never hold when the remediation's
//! `requires`, the inject's `when` (unless a `Trigger` or a facilitator fires it) or
//! the alert's `when` never holds. `All` never holds when one part never does, `Any`
//! when none can, `Not(x)` when `x` always holds (`After("0s")`, or a `Not` of
//! something that never holds).

use super::{Linter, Site, join};
use crate::scenario::locate::Seg;
use crate::scenario::model::{Condition, Effect, IncidentState, Scenario};

/// Past this depth of conditions naming each other, a condition counts as possible.
const MAX_DEPTH: usize = 8;

pub(super) fn check(s: &Scenario, linter: &mut Linter<'_>) {
    let judge = Judge { s };
    for Site {
        path,
        owner,
        condition,
    } in super::conditions(s)
    {
        let judged = path.first().is_some_and(|seg| {
            matches!(
                seg,
                Seg::Field("injects" | "investigations" | "remediations" | "characters")
            )
        }) || path.get(1) == Some(&Seg::Field("recovering_when"));
        if !judged {
            continue;
        }
        if let Some((at, why)) = judge.never(condition, &path, 0) {
            linter.warn(&at, format!("{owner} can never happen: {why}"));
        }
    }
    for (path, effect) in super::effect_sites(s) {
        if let Effect::Clear(flag) = effect
            && !sets(s, flag)
        {
            linter.warn(
                &join(&path, &[0.into()]),
                format!("Clear(\"{flag}\") does nothing: no effect sets flag \"{flag}\""),
            );
        }
    }
}

/// Whether some effect sets `flag`.
fn sets(s: &Scenario, flag: &str) -> bool {
    super::effects(s).any(|e| matches!(e, Effect::Set(f) if f == flag))
}

struct Judge<'s> {
    s: &'s Scenario,
}

impl Judge<'_> {
    /// Why `c` can never hold, and the part of it to blame.
    fn never(&self, c: &Condition, at: &[Seg], depth: usize) -> Option<(Vec<Seg>, String)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let s = self.s;
        let here = |why: String| Some((at.to_vec(), why));
        match c {
            Condition::Flag(flag) => {
                (!sets(s, flag)).then(|| (at.to_vec(), format!("no effect sets flag \"{flag}\"")))
            }
            Condition::Joined(team) => {
                let joins_after = s.world.teams.iter().find(|t| &t.id == team)?.joins_after;
                (joins_after >= s.time_limit).then(|| {
                    (
                        at.to_vec(),
                        format!(
                            "team \"{team}\" joins {joins_after} after its page, not before the time limit {}",
                            s.time_limit
                        ),
                    )
                })
            }
            Condition::Since { what, .. } => self.never(what, &join(at, &["what".into()]), depth),
            Condition::Above { metric, value, .. } => {
                let (_, high) = self.range(metric)?;
                (high <= *value).then(|| {
                    (
                        join(at, &["value".into()]),
                        format!("metric \"{metric}\" never goes above {value} (it reaches at most {high})"),
                    )
                })
            }
            Condition::Below { metric, value, .. } => {
                let (low, _) = self.range(metric)?;
                (low >= *value).then(|| {
                    (
                        join(at, &["value".into()]),
                        format!("metric \"{metric}\" never goes below {value} (it reaches at least {low})"),
                    )
                })
            }
            Condition::Resolved | Condition::Reached(IncidentState::Resolved) => {
                here("the drill ends when the incident is resolved".into())
            }
            Condition::Started(id) | Condition::Remediated(id) => {
                let (i, rem) = s
                    .remediations
                    .iter()
                    .enumerate()
                    .find(|(_, r)| &r.id == id)?;
                let requires = rem.requires.as_ref()?;
                let inner = ["remediations".into(), i.into(), "requires".into()];
                let (_, why) = self.never(requires, &inner, depth + 1)?;
                here(format!("remediation \"{id}\" can never be started ({why})"))
            }
            Condition::Fired(id) => {
                let (i, inject) = s.injects.iter().enumerate().find(|(_, x)| &x.id == id)?;
                let triggered =
                    super::effects(s).any(|e| matches!(e, Effect::Trigger(t) if t == id));
                if triggered || inject.facilitator_only || inject.at.is_some() {
                    return None;
                }
                let inner = ["injects".into(), i.into(), "when".into()];
                let (_, why) = self.never(inject.when.as_ref()?, &inner, depth + 1)?;
                here(format!("inject \"{id}\" never fires ({why})"))
            }
            Condition::Firing(id) => {
                let (i, alert) = s
                    .world
                    .alerts
                    .iter()
                    .enumerate()
                    .find(|(_, a)| &a.id == id)?;
                let inner = ["world".into(), "alerts".into(), i.into(), "when".into()];
                let (_, why) = self.never(&alert.when, &inner, depth + 1)?;
                here(format!("alert \"{id}\" never fires ({why})"))
            }
            Condition::All(list) => list
                .iter()
                .enumerate()
                .find_map(|(i, inner)| self.never(inner, &join(at, &[0.into(), i.into()]), depth)),
            Condition::Any(list) => {
                let whys: Option<Vec<String>> = list
                    .iter()
                    .enumerate()
                    .map(|(i, inner)| {
                        self.never(inner, &join(at, &[0.into(), i.into()]), depth)
                            .map(|(_, why)| why)
                    })
                    .collect();
                here(format!("none of its parts can hold ({})", whys?.join("; ")))
            }
            Condition::Not(inner) => {
                let why = self.always(inner, &join(at, &[0.into()]), depth)?;
                here(format!("what it negates always holds ({why})"))
            }
            _ => None,
        }
    }

    /// Why `c` always holds.
    fn always(&self, c: &Condition, at: &[Seg], depth: usize) -> Option<String> {
        match c {
            Condition::After(at) if at.as_secs() == 0 => Some(format!("After(\"{at}\")")),
            Condition::Not(inner) => self
                .never(inner, &join(at, &[0.into()]), depth)
                .map(|(_, why)| why),
            Condition::All(list) => {
                let whys: Option<Vec<String>> = list
                    .iter()
                    .enumerate()
                    .map(|(i, inner)| self.always(inner, &join(at, &[0.into(), i.into()]), depth))
                    .collect();
                whys.map(|w| w.join("; "))
            }
            Condition::Any(list) => list
                .iter()
                .enumerate()
                .find_map(|(i, inner)| self.always(inner, &join(at, &[0.into(), i.into()]), depth)),
            _ => None,
        }
    }

    /// The lowest and highest values `metric` can take.
    fn range(&self, metric: &str) -> Option<(f64, f64)> {
        let m = self.s.world.metrics.iter().find(|m| m.id == metric)?;
        let mut low = m.baseline;
        let mut high = m.baseline;
        for effect in super::effects(self.s) {
            if let Effect::Step { metric: id, to } | Effect::Ramp { metric: id, to, .. } = effect
                && id == metric
            {
                low = low.min(*to);
                high = high.max(*to);
            }
        }
        let spread = 4.0 * m.noise;
        let low = (low - spread).max(m.min.unwrap_or(f64::MIN));
        let high = (high + spread).min(m.max.unwrap_or(f64::MAX));
        Some((low, high))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{edit, warnings};

    /// The fixture with a second, harmless remediation that requires `requires`.
    fn with_requires(requires: &str) -> String {
        edit(&[(
            "    remediations: [\n",
            &format!(
                "    remediations: [\n        (id: \"flush\", label: \"Flush the cache\", kind: Mitigation, takes: \"1m\",\n         requires: {requires}, effects: [Step(metric: \"api_p99\", to: 900.0)]),\n"
            ),
        )])
    }

    #[test]
    fn a_flag_nothing_sets_can_never_hold() {
        assert_eq!(
            warnings(&with_requires("All([Declared, Flag(\"cache_checked\")])")),
            vec![
                "55:35: remediation \"flush\" can never happen: no effect sets flag \"cache_checked\""
                    .to_string()
            ]
        );
        let fixed = with_requires("All([Declared, Flag(\"cache_checked\")])").replace(
            "reveals_cause: true),",
            "reveals_cause: true, effects: [Set(\"cache_checked\")]),",
        );
        assert_eq!(warnings(&fixed), Vec::<String>::new());
    }

    #[test]
    fn a_metric_line_no_level_reaches_can_never_hold() {
        // api_p99 moves between 120 and 1500 with noise 8: never above 2000.
        assert_eq!(
            warnings(&with_requires(
                "Above(metric: \"api_p99\", value: 2000.0)"
            )),
            vec![
                "55:52: remediation \"flush\" can never happen: metric \"api_p99\" never goes above 2000 (it reaches at most 1532)"
                    .to_string()
            ]
        );
        assert_eq!(
            warnings(&with_requires("Above(metric: \"api_p99\", value: 1000.0)")),
            Vec::<String>::new()
        );
    }

    /// The fixture with a second team, and an inject that logs once `when` holds.
    fn with_db_team_and_inject(when: &str) -> String {
        edit(&[
            (
                "teams: [(id: \"api-team\", name: \"API on-call\")]",
                "teams: [(id: \"api-team\", name: \"API on-call\"), (id: \"db-team\", name: \"DB on-call\", joins_after: \"1h\")]",
            ),
            (
                "    ],\n    investigations: [",
                &format!(
                    "        (id: \"db-says\", when: {when}, do: [Say(who: \"support\", text: \"DB here.\")]),\n    ],\n    investigations: ["
                ),
            ),
        ])
    }

    #[test]
    fn joined_of_a_team_that_joins_after_the_time_limit_can_never_hold() {
        let broken = with_db_team_and_inject("Since(what: Joined(\"db-team\"), for: \"2m\")");
        assert_eq!(
            warnings(&broken),
            vec![
                "47:43: inject \"db-says\" can never happen: team \"db-team\" joins 1h after its page, not before the time limit 1h"
                    .to_string()
            ]
        );
        let fixed = broken.replace("joins_after: \"1h\"", "joins_after: \"5m\"");
        assert_eq!(warnings(&fixed), Vec::<String>::new());
    }

    #[test]
    fn clearing_a_flag_nothing_sets_does_nothing() {
        let broken = edit(&[(
            "effects: [Recover(metric: \"api_p99\", over: \"3m\")]",
            "effects: [Recover(metric: \"api_p99\", over: \"3m\"), Clear(\"node-drained\")]",
        )]);
        assert_eq!(
            warnings(&broken),
            vec![
                "55:66: Clear(\"node-drained\") does nothing: no effect sets flag \"node-drained\""
                    .to_string()
            ]
        );
        let fixed = broken.replace(
            "reveals_cause: true),",
            "reveals_cause: true, effects: [Set(\"node-drained\")]),",
        );
        assert_eq!(warnings(&fixed), Vec::<String>::new());
    }

    #[test]
    fn an_investigation_whose_requires_can_never_hold_is_reported() {
        let broken = edit(&[(
            "reveals_cause: true),",
            "reveals_cause: true, requires: Flag(\"dashboards-up\")),",
        )]);
        assert_eq!(
            warnings(&broken),
            vec![
                "40:15: the reference bots never resolve this drill (5 runs, seeds 1 to 5): check that truth.path leads to the fix and the fix ends the impact".to_string(),
                "51:41: investigation \"cache-stats\" can never happen: no effect sets flag \"dashboards-up\"".to_string(),
            ]
        );
        let fixed = broken.replace("Flag(\"dashboards-up\")", "Declared");
        assert_eq!(warnings(&fixed), Vec::<String>::new());
    }

    #[test]
    fn an_inject_waiting_on_a_remediation_that_cannot_start_never_fires() {
        let text = with_requires("Resolved").replace(
            "    ],\n    investigations: [",
            "        (id: \"flushed\", when: Remediated(\"flush\"), do: [Log(service: \"cache\", level: Info, text: \"FLUSHALL\")]),\n    ],\n    investigations: [",
        );
        assert_eq!(
            warnings(&text),
            vec![
                "47:31: inject \"flushed\" can never happen: remediation \"flush\" can never be started (the drill ends when the incident is resolved)".to_string(),
                "56:20: remediation \"flush\" can never happen: the drill ends when the incident is resolved".to_string(),
            ]
        );
        let fixed = text.replace("requires: Resolved", "requires: Declared");
        assert_eq!(warnings(&fixed), Vec::<String>::new());
    }
}
