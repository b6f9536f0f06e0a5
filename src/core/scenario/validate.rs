//! Semantic checks: what serde cannot see. Every reference resolves, ids are unique,
//! times fit the time limit, required text is present and the incident can be resolved.
//! Each problem points at the value to change.

use std::collections::{HashMap, HashSet};

use chrono::DateTime;

use super::diagnostic::Diagnostic;
use super::duration::Duration;
use super::locate::{Seg, SourceMap};
use super::model::*;

/// The longest drill the engine runs.
const MAX_TIME_LIMIT: Duration = Duration::from_secs(24 * 3600);
const MIN_TIME_LIMIT: Duration = Duration::from_secs(60);

macro_rules! path {
    ($($seg:expr),* $(,)?) => { vec![$(Seg::from($seg)),*] };
}

/// The kinds of things a scenario names by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Service,
    Team,
    Metric,
    Alert,
    Dashboard,
    Deploy,
    Runbook,
    Inject,
    Investigation,
    Remediation,
    Character,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Team => "team",
            Kind::Metric => "metric",
            Kind::Alert => "alert",
            Kind::Dashboard => "dashboard",
            Kind::Deploy => "deploy",
            Kind::Runbook => "runbook",
            Kind::Inject => "inject",
            Kind::Investigation => "investigation",
            Kind::Remediation => "remediation",
            Kind::Character => "character",
        }
    }
}

pub(super) fn check(scenario: &Scenario, source: &str) -> Vec<Diagnostic> {
    let mut checker = Checker {
        map: SourceMap::new(source),
        ids: HashMap::new(),
        time_limit: scenario.time_limit,
        problems: Vec::new(),
    };
    checker.collect_ids(scenario);
    checker.meta(scenario);
    checker.world(&scenario.world);
    checker.truth(scenario);
    checker.injects(&scenario.injects);
    checker.investigations(&scenario.investigations);
    checker.remediations(&scenario.remediations);
    checker.characters(&scenario.characters);
    checker.bots(&scenario.bots);
    checker.problems
}

struct Checker<'a> {
    map: SourceMap<'a>,
    ids: HashMap<Kind, Vec<String>>,
    time_limit: Duration,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn report(&mut self, path: Vec<Seg>, message: impl Into<String>) {
        let (at, width) = self.map.locate(&path);
        self.problems.push(Diagnostic::new(at, width, message));
    }

    // ----- ids and references -------------------------------------------------------

    fn collect_ids(&mut self, s: &Scenario) {
        let w = &s.world;
        let lists: [(Kind, &'static str, &'static str, Vec<&str>); 11] = [
            (
                Kind::Service,
                "world",
                "services",
                w.services.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Team,
                "world",
                "teams",
                w.teams.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Metric,
                "world",
                "metrics",
                w.metrics.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Alert,
                "world",
                "alerts",
                w.alerts.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Dashboard,
                "world",
                "dashboards",
                w.dashboards.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Deploy,
                "world",
                "deploys",
                w.deploys.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Runbook,
                "world",
                "runbooks",
                w.runbooks.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Inject,
                "",
                "injects",
                s.injects.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Investigation,
                "",
                "investigations",
                s.investigations.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Remediation,
                "",
                "remediations",
                s.remediations.iter().map(|x| x.id.as_str()).collect(),
            ),
            (
                Kind::Character,
                "",
                "characters",
                s.characters.iter().map(|x| x.id.as_str()).collect(),
            ),
        ];
        for (kind, parent, field, ids) in lists {
            let mut seen = HashSet::new();
            for (index, id) in ids.iter().enumerate() {
                let mut path = if parent.is_empty() {
                    path![field]
                } else {
                    path![parent, field]
                };
                path.extend(path![index, "id"]);
                if id.trim().is_empty() {
                    self.report(path, format!("empty {} id", kind.noun()));
                } else if !seen.insert(*id) {
                    self.report(path, format!("duplicate {} id \"{id}\"", kind.noun()));
                }
            }
            self.ids
                .insert(kind, ids.into_iter().map(str::to_string).collect());
        }
    }

    fn reference(&mut self, kind: Kind, id: &str, path: Vec<Seg>) {
        let known = &self.ids[&kind];
        if known.iter().any(|k| k == id) {
            return;
        }
        let hint = match closest(id, known) {
            Some(near) => format!(" (did you mean \"{near}\"?)"),
            None if known.is_empty() => format!(" (no {}s are defined)", kind.noun()),
            None => {
                let mut names: Vec<&str> = known.iter().map(String::as_str).collect();
                names.sort_unstable();
                names.dedup();
                format!(" (known: {})", names.join(", "))
            }
        };
        self.report(path, format!("unknown {} \"{id}\"{hint}", kind.noun()));
    }

    fn optional_reference(&mut self, kind: Kind, id: &Option<String>, path: Vec<Seg>) {
        if let Some(id) = id {
            self.reference(kind, id, path);
        }
    }

    // ----- plain values -------------------------------------------------------------

    fn text(&mut self, value: &str, what: &str, path: Vec<Seg>) {
        if value.trim().is_empty() {
            self.report(path, format!("{what} must not be empty"));
        }
    }

    fn non_empty<T>(&mut self, list: &[T], what: &str, path: Vec<Seg>) {
        if list.is_empty() {
            self.report(path, format!("{what} must list at least one entry"));
        }
    }

    /// A list of synonyms: at least one, none empty.
    fn term(&mut self, synonyms: &[String], what: &str, path: Vec<Seg>) {
        self.non_empty(synonyms, what, path.clone());
        for (i, synonym) in synonyms.iter().enumerate() {
            let mut at = path.clone();
            at.push(i.into());
            self.text(synonym, &format!("a synonym in {what}"), at);
        }
    }

    fn terms(&mut self, terms: &[Vec<String>], what: &str, path: Vec<Seg>) {
        for (i, term) in terms.iter().enumerate() {
            let mut at = path.clone();
            at.push(i.into());
            self.term(term, what, at);
        }
    }

    /// A sim time at which something happens: it must fall inside the drill.
    fn moment(&mut self, time: Duration, what: &str, path: Vec<Seg>) {
        if time >= self.time_limit {
            self.report(
                path,
                format!(
                    "{what} {time} is not before the time limit {}",
                    self.time_limit
                ),
            );
        }
    }

    fn number(&mut self, value: f64, what: &str, path: Vec<Seg>) -> bool {
        if value.is_finite() {
            true
        } else {
            self.report(path, format!("{what} must be a finite number"));
            false
        }
    }

    // ----- sections -----------------------------------------------------------------

    fn meta(&mut self, s: &Scenario) {
        self.text(&s.id, "id", path!["id"]);
        if let Some(problem) = id_charset_problem(&s.id) {
            self.report(path!["id"], problem);
        }
        self.text(&s.title, "title", path!["title"]);
        self.text(&s.summary, "summary", path!["summary"]);
        self.text(&s.based_on, "based_on", path!["based_on"]);
        self.text(&s.briefing, "briefing", path!["briefing"]);
        if let Err(e) = DateTime::parse_from_rfc3339(&s.starts_at) {
            self.report(
                path!["starts_at"],
                format!(
                    "starts_at \"{}\" is not an RFC 3339 time with offset ({e}); write e.g. \"2026-03-06T13:40:00+00:00\"",
                    s.starts_at
                ),
            );
        }
        if s.time_zone.parse::<chrono_tz::Tz>().is_err() {
            self.report(
                path!["time_zone"],
                format!(
                    "unknown time zone \"{}\": use an IANA name such as \"Europe/Berlin\" or \"UTC\"",
                    s.time_zone
                ),
            );
        }
        if s.time_limit < MIN_TIME_LIMIT || s.time_limit > MAX_TIME_LIMIT {
            self.report(
                path!["time_limit"],
                format!(
                    "time_limit {} is out of range: between {MIN_TIME_LIMIT} and {MAX_TIME_LIMIT}",
                    s.time_limit
                ),
            );
        }
        let par_total = s.par.acknowledge.saturating_add(s.par.resolve);
        if par_total > s.time_limit {
            self.report(
                path!["par"],
                format!(
                    "par times ({} to acknowledge + {} to resolve = {par_total}) exceed the time limit {}",
                    s.par.acknowledge, s.par.resolve, s.time_limit
                ),
            );
        }
        for (what, every) in [
            ("can_every", s.par.can_every),
            ("status_every", s.par.status_every),
        ] {
            if every == Duration::ZERO {
                self.report(
                    path!["par", what],
                    format!("par.{what} must be longer than 0s"),
                );
            }
        }
        for (i, tag) in s.tags.iter().enumerate() {
            self.text(tag, "a tag", path!["tags", i]);
        }
    }

    fn world(&mut self, w: &World) {
        self.non_empty(&w.services, "world.services", path!["world", "services"]);
        self.non_empty(&w.metrics, "world.metrics", path!["world", "metrics"]);
        for (i, service) in w.services.iter().enumerate() {
            self.text(
                &service.name,
                "a service name",
                path!["world", "services", i, "name"],
            );
            for (j, dep) in service.depends_on.iter().enumerate() {
                self.reference(
                    Kind::Service,
                    dep,
                    path!["world", "services", i, "depends_on", j],
                );
                if dep == &service.id {
                    self.report(
                        path!["world", "services", i, "depends_on", j],
                        format!("service \"{dep}\" cannot depend on itself"),
                    );
                }
            }
            self.optional_reference(
                Kind::Team,
                &service.owner,
                path!["world", "services", i, "owner"],
            );
        }
        for (i, team) in w.teams.iter().enumerate() {
            self.text(
                &team.name,
                "a team name",
                path!["world", "teams", i, "name"],
            );
        }
        for (i, metric) in w.metrics.iter().enumerate() {
            self.metric(metric, path!["world", "metrics", i]);
        }
        for (i, alert) in w.alerts.iter().enumerate() {
            let at = |field: &'static str| path!["world", "alerts", i, field];
            self.text(&alert.name, "an alert name", at("name"));
            self.condition(&alert.when, at("when"), false);
            self.optional_reference(Kind::Team, &alert.pages, at("pages"));
            self.optional_reference(Kind::Team, &alert.escalate_to, at("escalate_to"));
            match (&alert.escalate_to, &alert.escalate_after) {
                (Some(_), None) => self.report(
                    at("escalate_to"),
                    "escalate_to needs escalate_after (how long to wait)",
                ),
                (None, Some(_)) => self.report(
                    at("escalate_after"),
                    "escalate_after needs escalate_to (whom to page)",
                ),
                _ => {}
            }
            if alert.repage_every == Some(Duration::ZERO) {
                self.report(at("repage_every"), "repage_every must be longer than 0s");
            }
        }
        for (i, dashboard) in w.dashboards.iter().enumerate() {
            self.text(
                &dashboard.title,
                "a dashboard title",
                path!["world", "dashboards", i, "title"],
            );
            self.non_empty(
                &dashboard.metrics,
                "a dashboard's metrics",
                path!["world", "dashboards", i, "metrics"],
            );
            for (j, metric) in dashboard.metrics.iter().enumerate() {
                self.reference(
                    Kind::Metric,
                    metric,
                    path!["world", "dashboards", i, "metrics", j],
                );
            }
        }
        for (i, log) in w.logs.iter().enumerate() {
            self.reference(
                Kind::Service,
                &log.service,
                path!["world", "logs", i, "service"],
            );
            self.text(
                &log.text,
                "a log line's text",
                path!["world", "logs", i, "text"],
            );
        }
        for (i, deploy) in w.deploys.iter().enumerate() {
            self.reference(
                Kind::Service,
                &deploy.service,
                path!["world", "deploys", i, "service"],
            );
            self.text(
                &deploy.by,
                "a deploy's author",
                path!["world", "deploys", i, "by"],
            );
            self.text(
                &deploy.summary,
                "a deploy's summary",
                path!["world", "deploys", i, "summary"],
            );
        }
        for (i, runbook) in w.runbooks.iter().enumerate() {
            self.text(
                &runbook.title,
                "a runbook title",
                path!["world", "runbooks", i, "title"],
            );
            self.optional_reference(
                Kind::Service,
                &runbook.service,
                path!["world", "runbooks", i, "service"],
            );
            self.non_empty(
                &runbook.steps,
                "a runbook's steps",
                path!["world", "runbooks", i, "steps"],
            );
        }
    }

    fn metric(&mut self, m: &Metric, at: Vec<Seg>) {
        let field = |name: &'static str| {
            let mut p = at.clone();
            p.push(name.into());
            p
        };
        self.reference(Kind::Service, &m.service, field("service"));
        self.text(&m.name, "a metric name", field("name"));
        let finite = self.number(m.baseline, "baseline", field("baseline"))
            & self.number(m.noise, "noise", field("noise"));
        if finite && m.noise < 0.0 {
            self.report(
                field("noise"),
                format!("noise {} must not be negative", m.noise),
            );
        }
        for (name, value) in [
            ("warning", m.warning),
            ("critical", m.critical),
            ("min", m.min),
            ("max", m.max),
        ] {
            if let Some(v) = value {
                self.number(v, name, field(name));
            }
        }
        if let (Some(min), Some(max)) = (m.min, m.max)
            && min > max
        {
            self.report(field("min"), format!("min {min} is above max {max}"));
        }
        if m.min.is_some_and(|min| m.baseline < min) || m.max.is_some_and(|max| m.baseline > max) {
            self.report(
                field("baseline"),
                format!("baseline {} lies outside [min, max]", m.baseline),
            );
        }
    }

    fn truth(&mut self, s: &Scenario) {
        let t = &s.truth;
        self.moment(
            t.impact_starts,
            "impact_starts",
            path!["truth", "impact_starts"],
        );
        self.condition(
            &t.impact_ends_when,
            path!["truth", "impact_ends_when"],
            true,
        );
        self.term(&t.kind, "truth.kind", path!["truth", "kind"]);
        self.text(
            &t.root_cause,
            "truth.root_cause",
            path!["truth", "root_cause"],
        );
        self.non_empty(&t.severity, "truth.severity", path!["truth", "severity"]);
        let mut previous: Option<Duration> = None;
        for (i, phase) in t.severity.iter().enumerate() {
            self.moment(
                phase.from,
                "a severity phase's from",
                path!["truth", "severity", i, "from"],
            );
            if previous.is_some_and(|p| phase.from <= p) {
                self.report(
                    path!["truth", "severity", i, "from"],
                    "severity phases must be in increasing `from` order",
                );
            }
            previous = Some(phase.from);
            if let Some(unless) = &phase.unless {
                self.condition(unless, path!["truth", "severity", i, "unless"], false);
            }
        }
        self.non_empty(
            &t.blast_radius,
            "truth.blast_radius",
            path!["truth", "blast_radius"],
        );
        self.terms(
            &t.blast_radius,
            "truth.blast_radius",
            path!["truth", "blast_radius"],
        );
        self.terms(&t.affected, "truth.affected", path!["truth", "affected"]);
        for (i, team) in t.needs.iter().enumerate() {
            self.reference(Kind::Team, team, path!["truth", "needs", i]);
        }
        self.non_empty(&t.can, "truth.can", path!["truth", "can"]);
        let mut phases = HashSet::new();
        for (i, can) in t.can.iter().enumerate() {
            if !phases.insert(can.phase) {
                self.report(
                    path!["truth", "can", i, "phase"],
                    format!(
                        "CAN expectations for phase {} are given twice",
                        can.phase.label()
                    ),
                );
            }
            self.non_empty(
                &can.summary,
                "a CAN expectation's summary",
                path!["truth", "can", i, "summary"],
            );
            self.terms(
                &can.summary,
                "a CAN summary term",
                path!["truth", "can", i, "summary"],
            );
            self.terms(
                &can.actions,
                "a CAN actions term",
                path!["truth", "can", i, "actions"],
            );
            self.terms(
                &can.needs,
                "a CAN needs term",
                path!["truth", "can", i, "needs"],
            );
        }
        self.recovering(t);
        for (i, factor) in t.contributing_factors.iter().enumerate() {
            self.text(
                factor,
                "a contributing factor",
                path!["truth", "contributing_factors", i],
            );
        }
        self.non_empty(&t.path, "truth.path", path!["truth", "path"]);
        for (i, step) in t.path.iter().enumerate() {
            self.step(step, path!["truth", "path", i]);
        }
        self.resolvable(s);
    }

    /// `recovering_when`'s references, and a `Recovering` CAN expectation only where
    /// the phase can be entered.
    fn recovering(&mut self, t: &Truth) {
        if let Some(when) = &t.recovering_when {
            self.condition(when, path!["truth", "recovering_when"], false);
            return;
        }
        if let Some(i) = t.can.iter().position(|c| c.phase == Phase::Recovering) {
            self.report(
                path!["truth", "can", i, "phase"],
                "CAN expectations for Recovering, but the truth has no recovering_when, so the phase is never entered: add recovering_when (e.g. Remediated(\"restore-first-region\"))",
            );
        }
    }

    /// A drill must have a fix, and the reference path must apply one.
    fn resolvable(&mut self, s: &Scenario) {
        let fixes: Vec<&str> = s
            .remediations
            .iter()
            .filter(|r| r.kind == RemediationKind::Fix)
            .map(|r| r.id.as_str())
            .collect();
        if fixes.is_empty() {
            self.report(
                path!["remediations"],
                "no remediation has kind Fix: the incident could never be resolved",
            );
            return;
        }
        let path_fixes = s
            .truth
            .path
            .iter()
            .any(|step| matches!(step, Step::Remediate(id) if fixes.contains(&id.as_str())));
        if !path_fixes {
            self.report(
                path!["truth", "path"],
                format!(
                    "truth.path never applies a Fix remediation (fixes: {})",
                    fixes.join(", ")
                ),
            );
        }
    }

    fn step(&mut self, step: &Step, at: Vec<Seg>) {
        let mut id_path = at;
        id_path.push(0.into());
        match step {
            Step::Investigate(id) => self.reference(Kind::Investigation, id, id_path),
            Step::Page(id) => self.reference(Kind::Team, id, id_path),
            Step::Remediate(id) => self.reference(Kind::Remediation, id, id_path),
        }
    }

    fn injects(&mut self, injects: &[Inject]) {
        for (i, inject) in injects.iter().enumerate() {
            let at = |field: &'static str| path!["injects", i, field];
            match (&inject.at, &inject.when) {
                (_, Some(_)) if inject.facilitator_only => self.report(
                    at("when"),
                    "a facilitator-only inject fires by hand, never on a condition: drop `when` (`at` may suggest a time)",
                ),
                (None, None) if inject.facilitator_only => {}
                (Some(time), None) => self.moment(*time, "inject time", at("at")),
                (None, Some(when)) => self.condition(when, at("when"), false),
                (Some(_), Some(_)) => {
                    self.report(at("when"), "give an inject `at` or `when`, not both")
                }
                (None, None) => self.report(
                    path!["injects", i],
                    "an inject needs `at` (a time) or `when` (a condition)",
                ),
            }
            self.non_empty(&inject.effects, "an inject's `do`", at("do"));
            self.effects(&inject.effects, at("do"));
            if inject
                .effects
                .iter()
                .any(|e| matches!(e, Effect::Trigger(id) if id == &inject.id))
            {
                self.report(
                    at("id"),
                    format!("inject \"{}\" triggers itself", inject.id),
                );
            }
        }
    }

    fn investigations(&mut self, investigations: &[Investigation]) {
        for (i, inv) in investigations.iter().enumerate() {
            let at = |field: &'static str| path!["investigations", i, field];
            self.text(&inv.label, "an investigation label", at("label"));
            self.aliases(&inv.aliases, at("aliases"));
            self.text(&inv.reveals, "what an investigation reveals", at("reveals"));
            self.optional_reference(Kind::Service, &inv.service, at("service"));
            self.effects(&inv.effects, at("effects"));
            if let Some(requires) = &inv.requires {
                self.condition(requires, at("requires"), false);
            }
            for (j, finding) in inv.findings.iter().enumerate() {
                let finding_at =
                    |field: &'static str| path!["investigations", i, "findings", j, field];
                self.condition(&finding.when, finding_at("when"), false);
                self.text(
                    &finding.reveals,
                    "a finding's reveals",
                    finding_at("reveals"),
                );
            }
        }
    }

    fn remediations(&mut self, remediations: &[Remediation]) {
        for (i, rem) in remediations.iter().enumerate() {
            let at = |field: &'static str| path!["remediations", i, field];
            self.text(&rem.label, "a remediation label", at("label"));
            self.aliases(&rem.aliases, at("aliases"));
            if let Some(requires) = &rem.requires {
                self.condition(requires, at("requires"), false);
            }
            self.effects(&rem.effects, at("effects"));
        }
    }

    fn aliases(&mut self, aliases: &[String], at: Vec<Seg>) {
        for (i, alias) in aliases.iter().enumerate() {
            let mut path = at.clone();
            path.push(Seg::from(i));
            self.text(alias, "an alias", path);
        }
    }

    fn characters(&mut self, characters: &[Character]) {
        for (i, ch) in characters.iter().enumerate() {
            let at = |field: &'static str| path!["characters", i, field];
            self.text(&ch.name, "a character name", at("name"));
            self.text(&ch.role, "a character role", at("role"));
            self.text(&ch.fallback, "a character fallback", at("fallback"));
            for (j, reply) in ch.replies.iter().enumerate() {
                let reply_at = |field: &'static str| path!["characters", i, "replies", j, field];
                self.term(&reply.keywords, "a reply's keywords", reply_at("keywords"));
                self.text(&reply.text, "a reply's text", reply_at("text"));
                if let Some(when) = &reply.when {
                    self.condition(when, reply_at("when"), false);
                }
            }
        }
    }

    fn bots(&mut self, bots: &BotTuning) {
        for (i, step) in bots.wrong_turns.iter().enumerate() {
            self.step(step, path!["bots", "wrong_turns", i]);
        }
        if !(0.0..=1.0).contains(&bots.wrong_turn_chance) {
            self.report(
                path!["bots", "wrong_turn_chance"],
                format!(
                    "wrong_turn_chance {} must be between 0 and 1",
                    bots.wrong_turn_chance
                ),
            );
        }
    }

    // ----- conditions and effects ---------------------------------------------------

    fn condition(&mut self, condition: &Condition, at: Vec<Seg>, in_impact_ends: bool) {
        let with = |segs: Vec<Seg>| {
            let mut p = at.clone();
            p.extend(segs);
            p
        };
        match condition {
            Condition::After(time) => self.moment(*time, "After", with(path![0])),
            Condition::Above { metric, value, .. } | Condition::Below { metric, value, .. } => {
                self.reference(Kind::Metric, metric, with(path!["metric"]));
                self.number(*value, "value", with(path!["value"]));
            }
            Condition::Acknowledged
            | Condition::Declared
            | Condition::Reached(_)
            | Condition::Resolved => {}
            Condition::ImpactOver => {
                if in_impact_ends {
                    self.report(
                        at,
                        "impact_ends_when cannot use ImpactOver (it would define itself)",
                    );
                }
            }
            Condition::Investigated(id) => self.reference(Kind::Investigation, id, with(path![0])),
            Condition::Started(id) | Condition::Remediated(id) => {
                self.reference(Kind::Remediation, id, with(path![0]))
            }
            Condition::Paged(id) => self.reference(Kind::Team, id, with(path![0])),
            Condition::Firing(id) => self.reference(Kind::Alert, id, with(path![0])),
            Condition::Fired(id) => self.reference(Kind::Inject, id, with(path![0])),
            Condition::Flag(name) => self.text(name, "a flag name", with(path![0])),
            Condition::StatusSent { within, .. } => {
                if *within == Some(Duration::ZERO) {
                    self.report(
                        with(path!["within"]),
                        "StatusSent's within must be longer than 0s (leave it out for any time so far)",
                    );
                }
            }
            Condition::All(list) | Condition::Any(list) => {
                self.non_empty(list, "All/Any", at.clone());
                for (i, inner) in list.iter().enumerate() {
                    self.condition(inner, with(path![0, i]), in_impact_ends);
                }
            }
            Condition::Not(inner) => self.condition(inner, with(path![0]), in_impact_ends),
            Condition::Joined(id) => self.reference(Kind::Team, id, with(path![0])),
            Condition::Since { what, .. } => {
                if what.is_event() {
                    self.condition(what, with(path!["what"]), in_impact_ends);
                } else {
                    self.report(
                        with(path!["what"]),
                        "Since counts from a moment: its `what` must be one of Acknowledged, Declared, \
                         Resolved, Reached(..), Investigated(..), Started(..), Remediated(..), Paged(..), \
                         Joined(..), Fired(..) or Flag(..)",
                    );
                }
            }
        }
    }

    fn effects(&mut self, effects: &[Effect], at: Vec<Seg>) {
        for (i, effect) in effects.iter().enumerate() {
            let with = |field: Seg| {
                let mut p = at.clone();
                p.extend([Seg::Index(i), field]);
                p
            };
            match effect {
                Effect::Step { metric, to } | Effect::Ramp { metric, to, .. } => {
                    self.reference(Kind::Metric, metric, with("metric".into()));
                    self.number(*to, "to", with("to".into()));
                }
                Effect::Recover { metric, .. } => {
                    self.reference(Kind::Metric, metric, with("metric".into()))
                }
                Effect::Say { who, text, .. } => {
                    self.reference(Kind::Character, who, with("who".into()));
                    self.text(text, "a message", with("text".into()));
                }
                Effect::Log { service, text, .. } => {
                    self.reference(Kind::Service, service, with("service".into()));
                    self.text(text, "a log line's text", with("text".into()));
                }
                Effect::Page { team, text } => {
                    self.reference(Kind::Team, team, with("team".into()));
                    self.text(text, "a page's text", with("text".into()));
                }
                Effect::Set(flag) | Effect::Clear(flag) => {
                    self.text(flag, "a flag name", with(0.into()))
                }
                Effect::Trigger(id) => self.reference(Kind::Inject, id, with(0.into())),
                Effect::Dark { .. } | Effect::Light { .. } => self.telemetry(effect, with),
                Effect::StatusPageDown | Effect::StatusPageUp => {}
            }
        }
    }
}

impl Checker<'_> {
    /// A `Dark` or `Light`: names something, and only metrics, dashboards and alerts
    /// the world has.
    fn telemetry(&mut self, effect: &Effect, with: impl Fn(Seg) -> Vec<Seg>) {
        let named = effect.telemetry();
        if named.is_empty() {
            let which = if matches!(effect, Effect::Dark { .. }) {
                "Dark"
            } else {
                "Light"
            };
            let mut at = with(0.into());
            at.pop();
            self.report(
                at,
                format!("{which} names nothing: give metrics, dashboards or alerts"),
            );
        }
        let mut index: HashMap<TelemetryKind, usize> = HashMap::new();
        for (kind, id) in named {
            let (field, of) = match kind {
                TelemetryKind::Metric => ("metrics", Kind::Metric),
                TelemetryKind::Dashboard => ("dashboards", Kind::Dashboard),
                TelemetryKind::Alert => ("alerts", Kind::Alert),
            };
            let j = index.entry(kind).or_default();
            let mut at = with(field.into());
            at.push(Seg::Index(*j));
            *j += 1;
            self.reference(of, id, at);
        }
    }
}

/// The known id closest to a misspelt one, if it is close enough to be a typo.
fn closest<'k>(id: &str, known: &'k [String]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(id, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// Why `id` cannot be a scenario id because of the characters it uses (it names files),
/// or `None` when it can.
pub fn id_charset_problem(id: &str) -> Option<String> {
    (!id.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    .then(|| format!("scenario id \"{id}\" may only use a-z, 0-9 and '-' (it names files)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_changes() {
        assert_eq!(edit_distance("edge_cpu", "edge_cpu"), 0);
        assert_eq!(edit_distance("edge_cpux", "edge_cpu"), 1);
        assert_eq!(edit_distance("egde_cpu", "edge_cpu"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    /// The errors for the minimal fixture edited, as "line:col: message".
    fn errors(edits: &[(&str, &str)]) -> Vec<String> {
        let text = crate::scenario::lint::fixture::edit(edits);
        match crate::scenario::parse(&text) {
            Ok(_) => Vec::new(),
            Err(problems) => problems
                .iter()
                .map(|d| format!("{}:{}: {}", d.at.line, d.at.col, d.message))
                .collect(),
        }
    }

    #[test]
    fn recovering_expectations_need_a_recovering_when() {
        let recovering = (
            "(phase: Investigating, summary: [[\"api\", \"public api\"], [\"slow\", \"latency\"]]),",
            "(phase: Investigating, summary: [[\"api\", \"public api\"], [\"slow\", \"latency\"]]),\n            (phase: Recovering, summary: [[\"api\"], [\"recovering\"]]),",
        );
        assert_eq!(
            errors(&[recovering]),
            [
                "39:21: CAN expectations for Recovering, but the truth has no recovering_when, so the phase is never entered: add recovering_when (e.g. Remediated(\"restore-first-region\"))"
            ]
        );
        let when = (
            "        path: [",
            "        recovering_when: Started(\"restore-nod\"),\n        path: [",
        );
        assert_eq!(
            errors(&[recovering, when]),
            ["41:34: unknown remediation \"restore-nod\" (did you mean \"restore-node\"?)"]
        );
        let fixed = ("Started(\"restore-nod\")", "Started(\"restore-node\")");
        assert_eq!(errors(&[recovering, when, fixed]), Vec::<String>::new());
    }

    #[test]
    fn joined_names_a_team_and_since_counts_only_from_a_moment() {
        let inject = |when: &str| {
            [(
                "(id: \"slowdown\"",
                format!(
                    "(id: \"later\", when: {when}, do: [Set(\"x\")]),\n        (id: \"slowdown\""
                ),
            )]
        };
        let check = |when: &str| {
            let [(from, to)] = inject(when);
            errors(&[(from, &to)])
        };
        assert_eq!(
            check("Joined(\"api-tem\")"),
            ["43:36: unknown team \"api-tem\" (did you mean \"api-team\"?)"]
        );
        assert_eq!(
            check("Since(what: Below(metric: \"api_p99\", value: 400.0), for: \"5m\")"),
            [
                "43:41: Since counts from a moment: its `what` must be one of Acknowledged, Declared, \
              Resolved, Reached(..), Investigated(..), Started(..), Remediated(..), Paged(..), \
              Joined(..), Fired(..) or Flag(..)"
            ]
        );
        // Inside an event, ids are checked as anywhere else.
        assert_eq!(
            check("Since(what: Remediated(\"restore-nod\"), for: \"5m\")"),
            ["43:52: unknown remediation \"restore-nod\" (did you mean \"restore-node\"?)"]
        );
        assert_eq!(
            check("Since(what: Joined(\"api-team\"), for: \"5m\")"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_investigations_requires_and_findings_are_checked() {
        assert_eq!(
            errors(&[(
                "reveals_cause: true),",
                "reveals_cause: true, requires: Investigated(\"cache-stat\"),\n         findings: [(when: Remediated(\"restore-node\"), reveals: \" \")]),",
            )]),
            [
                "51:54: unknown investigation \"cache-stat\" (did you mean \"cache-stats\"?)",
                "52:65: a finding's reveals must not be empty",
            ]
        );
        assert_eq!(
            errors(&[(
                "(id: \"slowdown\"",
                "(id: \"clears\", at: \"5m\", do: [Clear(\" \")]),\n        (id: \"slowdown\"",
            )]),
            ["43:45: a flag name must not be empty"]
        );
    }

    #[test]
    fn suggests_only_near_misses() {
        let known = vec!["edge_cpu".to_string(), "error_rate".to_string()];
        assert_eq!(closest("edge_cpux", &known), Some("edge_cpu"));
        assert_eq!(closest("latency", &known), None);
    }
}
