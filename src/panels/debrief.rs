//! The debrief: outcome, milestone times against par, scores with every finding and
//! its points, CAN reports graded one by one, the timeline, charts with action
//! markers, and buttons to save the postmortem, the inputs and the journal. Any
//! moment of the timeline can be played again ("retry from here"); the debrief of such
//! a branch compares it with the run it came from, side by side.

use egui::{RichText, Ui};
use firedrill_core::engine::action::Role;
use firedrill_core::report::compare::{Change, Comparison};
use firedrill_core::report::timeline::TimelineLine;
use firedrill_core::run;
use firedrill_core::scenario::Duration;
use firedrill_core::score::{Category, Finding, Measure};
use firedrill_core::session::Session;

use crate::chart::{self, Axis, ChartView, Marker};
use crate::theme;
use crate::war_room::view::axis;

#[derive(Debug, Clone, PartialEq)]
pub struct DebriefView {
    pub title: String,
    pub role: Role,
    /// Bots played every role: there are no inputs of the trainee's to save.
    pub spectated: bool,
    pub outcome: String,
    /// The scenario's summary, tags and the real incident it is based on: they name the
    /// cause, so the menu keeps them for after the run.
    pub about: About,
    pub total: u32,
    /// The weighted mean of the categories, before the adjustments.
    pub mean: u32,
    /// What was taken off the mean to give the total: harmful steps, the cap on a run
    /// that was not resolved.
    pub adjustments: Vec<AdjustmentLine>,
    /// The measures of `docs/scoring.md` under the names every screen uses, then the
    /// declaration and resolve on the wall clock.
    pub times: Vec<TimeRow>,
    /// `(category, score, weight)` for the categories the role is graded on.
    pub categories: Vec<(String, u32, u32)>,
    pub findings: Vec<FindingLine>,
    pub can_reports: Vec<CanLine>,
    pub timeline: Vec<TimelineLine>,
    pub charts: Vec<ChartView>,
    pub markers: Vec<Marker>,
    pub axis: Axis,
    /// This run is a branch of another, played again up to a moment of it: the two
    /// side by side.
    pub compared: Option<Comparison>,
}

/// What the scenario was about, shown once it has been played.
#[derive(Debug, Clone, PartialEq)]
pub struct About {
    pub summary: String,
    pub tags: String,
    pub based_on: String,
}

/// One line of the debrief's times.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeRow {
    /// "TTE", as the war room's top bar names it too.
    pub name: String,
    pub value: String,
    /// The scenario's target; empty when there is none.
    pub par: String,
    /// What it measures: "first page to acknowledged"; empty for a wall-clock milestone.
    pub meaning: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FindingLine {
    pub category: String,
    pub clock: String,
    pub points: u32,
    pub max: u32,
    pub text: String,
}

/// Points taken off the total, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct AdjustmentLine {
    pub clock: String,
    pub lost: u32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CanLine {
    pub clock: String,
    pub by: String,
    pub score: u32,
    pub findings: Vec<FindingLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DebriefTab {
    #[default]
    Findings,
    CanReports,
    Timeline,
    Charts,
    /// Only for a branch: it and the run it came from, side by side.
    Compare,
}

/// The debrief's own state: the tab, a filter, and what saving reported.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DebriefForms {
    pub tab: DebriefTab,
    pub losses_only: bool,
    /// Lines saying where files were saved, or why they were not.
    pub messages: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebriefAction {
    SavePostmortem,
    SaveInputs,
    SaveJournal,
    PlayAgain,
    Menu,
    /// Play the run again up to this sim second, then hand back the controls.
    PlayFrom(u64),
}

impl DebriefView {
    pub fn new(session: &Session) -> Self {
        let engine = session.engine();
        let scenario = engine.scenario();
        let report = run::report(engine);
        let card = &report.scorecard;
        let role = session.role();
        let line = |f: &Finding| FindingLine {
            category: f.category.title().to_string(),
            clock: scenario.clock(f.at_s),
            points: f.points,
            max: f.max,
            text: f.text.clone(),
        };
        let t = card.times;
        let measures = Measure::ALL.into_iter().map(|m| TimeRow {
            name: m.name().into(),
            value: Duration::words_or(m.of(&t), "—"),
            par: m
                .par(&scenario.par)
                .map_or_else(String::new, |p| p.to_string()),
            meaning: m.span().into(),
        });
        let milestones =
            [("Declared", t.declared_s), ("Resolved", t.resolved_s)].map(|(name, at)| TimeRow {
                name: name.into(),
                value: at.map_or("—".into(), |s| scenario.clock(s)),
                par: String::new(),
                meaning: String::new(),
            });
        let times = measures.chain(milestones).collect();
        let state = engine.state();
        let metrics: Vec<String> = scenario
            .world
            .metrics
            .iter()
            .map(|m| m.id.clone())
            .collect();
        DebriefView {
            title: scenario.title.clone(),
            role,
            spectated: !engine.humans().contains(&role),
            outcome: report.outcome.label().to_string(),
            about: About {
                summary: scenario.summary.clone(),
                tags: scenario.tags.join(" · "),
                based_on: scenario.based_on.clone(),
            },
            total: card.scores.total,
            mean: card.mean(),
            adjustments: card
                .adjustments
                .iter()
                .map(|a| AdjustmentLine {
                    clock: scenario.clock(a.at_s),
                    lost: a.lost,
                    text: a.text.clone(),
                })
                .collect(),
            times,
            categories: Category::ALL
                .into_iter()
                .filter_map(|c| {
                    let weight = c.weight(Some(role));
                    let score = card.scores.get(c)?;
                    (weight > 0).then(|| (c.title().to_string(), score, weight))
                })
                .collect(),
            findings: card.findings.iter().map(line).collect(),
            can_reports: card
                .can_reports
                .iter()
                .map(|r| CanLine {
                    clock: scenario.clock(r.at_s),
                    by: r.by.to_string(),
                    score: r.score,
                    findings: r.findings.iter().map(line).collect(),
                })
                .collect(),
            timeline: report.timeline,
            charts: chart::charts(state, &metrics),
            markers: chart::markers(state),
            axis: axis(scenario),
            compared: None,
        }
    }
}

pub fn debrief(ui: &mut Ui, view: &DebriefView, forms: &mut DebriefForms) -> Option<DebriefAction> {
    egui::Panel::top("debrief-title").show(ui, |ui| title(ui, view));
    let action = egui::Panel::left("debrief-summary")
        .exact_size(360.0)
        // The column scrolls, so "Play again" and "Back to the menu" are always in reach.
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("debrief-summary")
                .show(ui, |ui| summary(ui, view, forms))
                .inner
        })
        .inner;
    let from_here = egui::CentralPanel::default()
        .show(ui, |ui| {
            tab_bar(ui, view, forms);
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt(("debrief", forms.tab as u8))
                .auto_shrink(false)
                .show(ui, |ui| match forms.tab {
                    DebriefTab::Findings => {
                        findings_tab(ui, view, forms.losses_only);
                        None
                    }
                    DebriefTab::CanReports => {
                        can_reports_tab(ui, view);
                        None
                    }
                    DebriefTab::Timeline => timeline_tab(ui, view),
                    DebriefTab::Charts => {
                        for view_chart in &view.charts {
                            chart::show(ui, view_chart, &view.markers, view.axis, 140.0);
                        }
                        None
                    }
                    DebriefTab::Compare => {
                        if let Some(comparison) = &view.compared {
                            compare_tab(ui, comparison);
                        }
                        None
                    }
                })
                .inner
        })
        .inner;
    action.or(from_here)
}

/// "Debrief: <scenario>" and the role played.
fn title(ui: &mut Ui, view: &DebriefView) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading(RichText::new(format!("Debrief: {}", view.title)).color(theme::BRIGHT));
        ui.label(RichText::new(format!("as {}", view.role.title())).color(theme::YOU));
    });
    ui.add_space(2.0);
}

/// The left column: total and outcome, scores, times, saving the run, and the way on.
fn summary(ui: &mut Ui, view: &DebriefView, forms: &DebriefForms) -> Option<DebriefAction> {
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("{}", view.total))
                .size(44.0)
                .strong()
                .color(theme::score(view.total)),
        );
        ui.vertical(|ui| {
            ui.label(RichText::new("total / 100").color(theme::GREY));
            ui.label(&view.outcome);
        });
    });
    if let Some(comparison) = &view.compared {
        ui.label(
            RichText::new(format!(
                "A branch of your run, played again from {}: see Compare",
                comparison.clock
            ))
            .color(theme::TEAL),
        );
    }
    if !view.adjustments.is_empty() {
        ui.label(
            RichText::new(format!(
                "{} from the categories; see the first findings for what was taken off",
                view.mean
            ))
            .small()
            .color(theme::AMBER),
        );
    }
    scores(ui, view);
    times(ui, view);
    about(ui, &view.about);
    ui.separator();
    let mut action = keep_this_run(ui, view, forms);
    ui.separator();
    ui.horizontal(|ui| {
        if ui.button("Play again").clicked() {
            action = Some(DebriefAction::PlayAgain);
        }
        if ui.button("Back to the menu").clicked() {
            action = Some(DebriefAction::Menu);
        }
    });
    action
}

/// The scenario's summary, tags and the incident it is based on.
fn about(ui: &mut Ui, about: &About) {
    theme::section(ui, "About this scenario");
    ui.add(egui::Label::new(&about.summary).wrap());
    ui.add(egui::Label::new(RichText::new(&about.tags).small().color(theme::GREY)).wrap());
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Based on").color(theme::GREY));
        ui.label(&about.based_on);
    });
}

/// Each category's score as a bar, with its weight.
fn scores(ui: &mut Ui, view: &DebriefView) {
    theme::section(ui, "Scores");
    egui::Grid::new("debrief-scores")
        .num_columns(3)
        .show(ui, |ui| {
            for (name, score, weight) in &view.categories {
                ui.label(name);
                ui.add(
                    egui::ProgressBar::new(*score as f32 / 100.0)
                        .desired_width(150.0)
                        .fill(theme::score(*score).gamma_multiply(0.7))
                        .text(format!("{score}")),
                );
                ui.label(
                    RichText::new(format!("weight {weight}%"))
                        .small()
                        .color(theme::GREY),
                );
                ui.end_row();
            }
        });
}

/// MTTA, MTTR and the other times, each with what it measures and par where there is one.
fn times(ui: &mut Ui, view: &DebriefView) {
    theme::section(ui, "Times");
    egui::Grid::new("debrief-times")
        .num_columns(3)
        .show(ui, |ui| {
            for row in &view.times {
                ui.label(&row.name);
                ui.label(RichText::new(&row.value).monospace().color(theme::BRIGHT));
                let note = if row.par.is_empty() {
                    row.meaning.clone()
                } else {
                    format!("par {} · {}", row.par, row.meaning)
                };
                ui.label(RichText::new(note).small().color(theme::GREY));
                ui.end_row();
            }
        });
}

/// The buttons that save the postmortem, the inputs (not for a spectated run) and the
/// journal, and what saving said.
fn keep_this_run(ui: &mut Ui, view: &DebriefView, forms: &DebriefForms) -> Option<DebriefAction> {
    let mut action = None;
    theme::section(ui, "Keep this run");
    let buttons = [
        (
            "Save postmortem draft (Markdown)",
            DebriefAction::SavePostmortem,
        ),
        (
            "Save inputs (replay with firedrill run)",
            DebriefAction::SaveInputs,
        ),
        ("Save run journal (JSON)", DebriefAction::SaveJournal),
    ];
    for (label, choice) in buttons {
        if view.spectated && choice == DebriefAction::SaveInputs {
            continue;
        }
        if ui.button(label).clicked() {
            action = Some(choice);
        }
    }
    for message in &forms.messages {
        ui.add(egui::Label::new(RichText::new(message).small().color(theme::TEAL)).wrap());
    }
    action
}

/// The tabs, and on the findings tab the filter for lost points.
fn tab_bar(ui: &mut Ui, view: &DebriefView, forms: &mut DebriefForms) {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut forms.tab, DebriefTab::Findings, "Findings");
        ui.selectable_value(
            &mut forms.tab,
            DebriefTab::CanReports,
            format!("CAN reports ({})", view.can_reports.len()),
        );
        ui.selectable_value(
            &mut forms.tab,
            DebriefTab::Timeline,
            format!("Timeline ({})", view.timeline.len()),
        );
        ui.selectable_value(&mut forms.tab, DebriefTab::Charts, "Charts");
        if view.compared.is_some() {
            ui.selectable_value(&mut forms.tab, DebriefTab::Compare, "Compare");
        }
        if forms.tab == DebriefTab::Findings {
            ui.separator();
            ui.checkbox(&mut forms.losses_only, "only where points were lost");
        }
    });
}

/// What was taken off the total, then every finding with its category; or only those
/// that lost points.
fn findings_tab(ui: &mut Ui, view: &DebriefView, losses_only: bool) {
    for adjustment in view
        .adjustments
        .iter()
        .filter(|a| !losses_only || a.lost > 0)
    {
        adjustment_row(ui, adjustment);
    }
    for finding in view
        .findings
        .iter()
        .filter(|f| !losses_only || f.points < f.max)
    {
        finding_row(ui, finding, true);
    }
}

/// Each CAN report: when, by whom, its score and its findings.
fn can_reports_tab(ui: &mut Ui, view: &DebriefView) {
    if view.can_reports.is_empty() {
        ui.label("No CAN reports were sent.");
    }
    for report in &view.can_reports {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&report.clock).monospace().color(theme::GREY));
            ui.label(RichText::new(&report.by).strong());
            ui.label(
                RichText::new(format!("{}/100", report.score)).color(theme::score(report.score)),
            );
        });
        ui.indent(("can", &report.clock, &report.by), |ui| {
            for finding in &report.findings {
                finding_row(ui, finding, false);
            }
        });
        ui.separator();
    }
}

/// The run's timeline: clock, who, what; and on each line but for a spectated run, a
/// button to play the run again from that moment.
fn timeline_tab(ui: &mut Ui, view: &DebriefView) -> Option<DebriefAction> {
    let mut action = None;
    if !view.spectated {
        ui.label(
            RichText::new(
                "▶ plays the run again up to that moment with your inputs, pauses, and hands you the controls.",
            )
            .small()
            .color(theme::GREY),
        );
    }
    egui::Grid::new("debrief-timeline")
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            for line in &view.timeline {
                if view.spectated {
                    ui.label("");
                } else if ui
                    .small_button("▶")
                    .on_hover_text(format!("Play again from {}", line.clock))
                    .clicked()
                {
                    action = Some(DebriefAction::PlayFrom(line.at_s));
                }
                ui.label(RichText::new(&line.clock).monospace().color(theme::GREY));
                ui.label(RichText::new(&line.who).strong());
                ui.add(egui::Label::new(&line.text).wrap());
                ui.end_row();
            }
        });
    action
}

/// A branch and the run it came from: each figure side by side, coloured by which way
/// it moved, then what each did from the branch point on.
fn compare_tab(ui: &mut Ui, comparison: &Comparison) {
    ui.label(format!(
        "Both runs are the same up to {}; from there:",
        comparison.clock
    ));
    egui::Grid::new("debrief-compare")
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            for heading in ["", "first run", "this run", ""] {
                ui.label(RichText::new(heading).color(theme::GREY));
            }
            ui.end_row();
            for row in &comparison.rows {
                ui.label(&row.name);
                ui.label(RichText::new(&row.first).monospace());
                ui.label(RichText::new(&row.branch).monospace().color(theme::BRIGHT));
                let colour = match row.change {
                    Change::Better => theme::GREEN,
                    Change::Worse => theme::RED,
                    Change::Same => theme::GREY,
                };
                ui.label(RichText::new(row.change.label()).color(colour));
                ui.end_row();
            }
        });
    let lists = [
        ("The first run did", &comparison.first_did),
        ("This run did", &comparison.branch_did),
    ];
    ui.columns(2, |columns| {
        for (ui, (title, did)) in columns.iter_mut().zip(lists) {
            theme::section(ui, title);
            if did.is_empty() {
                ui.label(RichText::new("nothing").color(theme::GREY));
            }
            for line in did {
                ui.add(egui::Label::new(line).wrap());
            }
        }
    });
}

/// "15:40  −35  total  The run ended with the incident not resolved: ..."
fn adjustment_row(ui: &mut Ui, adjustment: &AdjustmentLine) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(&adjustment.clock)
                .monospace()
                .color(theme::GREY),
        );
        ui.label(
            RichText::new(format!("−{}", adjustment.lost))
                .monospace()
                .color(if adjustment.lost > 0 {
                    theme::RED
                } else {
                    theme::GREY
                }),
        );
        ui.label(RichText::new("total").small().color(theme::GREY));
        ui.label(&adjustment.text);
    });
}

fn finding_row(ui: &mut Ui, finding: &FindingLine, with_category: bool) {
    let lost = finding.points < finding.max;
    let colour = if lost { theme::AMBER } else { theme::GREEN };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&finding.clock).monospace().color(theme::GREY));
        ui.label(
            RichText::new(format!("{}/{}", finding.points, finding.max))
                .monospace()
                .color(colour),
        );
        if with_category {
            ui.label(RichText::new(&finding.category).small().color(theme::GREY));
        }
        ui.label(&finding.text);
    });
}
