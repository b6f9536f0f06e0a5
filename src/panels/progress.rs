//! The Progress screen: each trainee's MTTA, MTTR, CAN score and total over their
//! recorded runs, one series per role, with the best and the latest run marked, and
//! the means per role (the M in MTTA and MTTR).

use egui::{Color32, RichText, Ui};
use egui_plot::{HoverPosition, Line, MarkerShape, Plot, PlotPoints, Points, uniform_grid_spacer};
use firedrill_core::engine::action::Role;
use firedrill_core::history::{Means, RunOutcome, RunRow, means};
use firedrill_core::scenario::Duration;
use firedrill_core::score::times;

use crate::chart::grid_steps;
use crate::theme;

/// One recorded run of one trainee, as a point on the plots.
#[derive(Debug, Clone, PartialEq)]
pub struct RunPoint {
    /// The trainee's nth run, counting every role: the x axis.
    pub number: usize,
    pub id: i64,
    pub scenario: String,
    /// `2026-11-21 10:02`, in UTC as recorded.
    pub when: String,
    pub outcome: RunOutcome,
    pub mtta_s: Option<u64>,
    pub mttr_s: Option<u64>,
    pub can: u32,
    pub total: u32,
}

/// A trainee's runs in one role.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleProgress {
    pub role: Role,
    pub runs: Vec<RunPoint>,
    pub means: Means,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TraineeProgress {
    pub name: String,
    pub runs: usize,
    /// The roles they have played, commander, comms, tech.
    pub roles: Vec<RoleProgress>,
}

/// Everyone's progress, by name. Runs observed (no role) are left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProgressView {
    pub trainees: Vec<TraineeProgress>,
    /// Why there is nothing to show, when the history could not be read.
    pub problem: Option<String>,
}

impl ProgressView {
    /// Groups history rows (oldest first, as the store returns them) by trainee and role.
    pub fn new(rows: &[RunRow]) -> Self {
        let mut names: Vec<&str> = rows.iter().map(|r| r.trainee.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let trainees = names
            .into_iter()
            .map(|name| {
                let theirs: Vec<&RunRow> = rows.iter().filter(|r| r.trainee == name).collect();
                let roles = Role::ALL
                    .into_iter()
                    .filter_map(|role| {
                        let in_role: Vec<RunRow> = theirs
                            .iter()
                            .filter(|r| r.role == Some(role))
                            .map(|r| (*r).clone())
                            .collect();
                        let means = means(&in_role).into_iter().next()?;
                        let runs = theirs
                            .iter()
                            .enumerate()
                            .filter(|(_, r)| r.role == Some(role))
                            .map(|(i, r)| RunPoint::new(i + 1, r))
                            .collect();
                        Some(RoleProgress { role, runs, means })
                    })
                    .collect();
                TraineeProgress {
                    name: name.to_string(),
                    runs: theirs.len(),
                    roles,
                }
            })
            .collect();
        ProgressView {
            trainees,
            problem: None,
        }
    }
}

impl RunPoint {
    fn new(number: usize, row: &RunRow) -> Self {
        RunPoint {
            number,
            id: row.id,
            scenario: row.scenario.clone(),
            when: row.started_at.replace('T', " ").chars().take(16).collect(),
            outcome: row.outcome,
            mtta_s: row.mtta_s,
            mttr_s: row.mttr_s,
            can: row.can,
            total: row.total,
        }
    }
}

/// What the plots show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Mtta,
    Mttr,
    Can,
    Total,
}

impl Measure {
    pub const ALL: [Measure; 4] = [Measure::Mtta, Measure::Mttr, Measure::Can, Measure::Total];

    /// Times under the names and meanings every screen uses: "MTTA, impact start to
    /// acknowledged (minutes, lower is better)".
    pub fn title(self) -> String {
        let time =
            |m: times::Measure| format!("{}, {} (minutes, lower is better)", m.name(), m.span());
        match self {
            Measure::Mtta => time(times::Measure::Mtta),
            Measure::Mttr => time(times::Measure::Mttr),
            Measure::Can => "CAN reports (0–100)".into(),
            Measure::Total => "Total score (0–100)".into(),
        }
    }

    fn lower_is_better(self) -> bool {
        matches!(self, Measure::Mtta | Measure::Mttr)
    }

    /// The run's value on the plot; `None` for a milestone never reached.
    pub fn value(self, run: &RunPoint) -> Option<f64> {
        match self {
            Measure::Mtta => run.mtta_s.map(|s| s as f64 / 60.0),
            Measure::Mttr => run.mttr_s.map(|s| s as f64 / 60.0),
            Measure::Can => Some(f64::from(run.can)),
            Measure::Total => Some(f64::from(run.total)),
        }
    }

    /// A value read off the plot in words: minutes back to `4m10s`, scores whole.
    fn plotted_text(self, value: f64) -> String {
        if self.lower_is_better() {
            Duration::from_secs((value * 60.0).round().max(0.0) as u64).to_string()
        } else {
            format!("{value:.0}")
        }
    }

    /// The run's value in words: `4m10s`, `72`, or `—`.
    pub fn text(self, run: &RunPoint) -> String {
        match self {
            Measure::Mtta => Duration::words_or(run.mtta_s, "—"),
            Measure::Mttr => Duration::words_or(run.mttr_s, "—"),
            Measure::Can => run.can.to_string(),
            Measure::Total => run.total.to_string(),
        }
    }
}

/// The best run on `measure` (the earliest of equals) and the latest run that has a
/// value; `None` when no run has one.
pub fn best_and_latest(runs: &[RunPoint], measure: Measure) -> Option<(&RunPoint, &RunPoint)> {
    let valued: Vec<(&RunPoint, f64)> = runs
        .iter()
        .filter_map(|run| measure.value(run).map(|v| (run, v)))
        .collect();
    let latest = valued.last()?.0;
    let better = |a: f64, b: f64| {
        if measure.lower_is_better() {
            a < b
        } else {
            a > b
        }
    };
    let best = valued
        .iter()
        .fold(
            valued[0],
            |best, &next| {
                if better(next.1, best.1) { next } else { best }
            },
        )
        .0;
    Some((best, latest))
}

/// Which trainee and role the screen shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProgressForm {
    pub trainee: String,
    /// `None`: every role, one series each.
    pub role: Option<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressAction {
    /// Back to the menu.
    Menu,
}

/// Each role's colour on the plots.
pub fn role_colour(role: Role) -> Color32 {
    match role {
        Role::Commander => theme::BLUE,
        Role::Comms => theme::TEAL,
        Role::Tech => theme::AMBER,
    }
}

pub fn progress(
    ui: &mut Ui,
    view: &ProgressView,
    form: &mut ProgressForm,
) -> Option<ProgressAction> {
    let mut action = None;
    if !view.trainees.iter().any(|t| t.name == form.trainee)
        && let Some(first) = view.trainees.first()
    {
        form.trainee = first.name.clone();
    }
    let trainee = view.trainees.iter().find(|t| t.name == form.trainee);
    if let (Some(trainee), Some(role)) = (trainee, form.role)
        && !trainee.roles.iter().any(|part| part.role == role)
    {
        // A role this trainee never played: show all of theirs.
        form.role = None;
    }
    egui::Panel::top("progress-title").show(ui, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("◀ Menu").clicked() {
                action = Some(ProgressAction::Menu);
            }
            ui.heading(RichText::new("Progress").color(theme::BRIGHT).strong());
            ui.label(RichText::new("every recorded run, per trainee and role").color(theme::GREY));
        });
        ui.horizontal_wrapped(|ui| {
            for t in &view.trainees {
                let label = format!("{} ({})", t.name, t.runs);
                if ui.selectable_label(form.trainee == t.name, label).clicked() {
                    form.trainee = t.name.clone();
                }
            }
        });
        if let Some(trainee) = trainee {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut form.role, None, "All roles");
                for part in &trainee.roles {
                    let label =
                        RichText::new(format!("{} ({})", part.role.title(), part.runs.len()))
                            .color(role_colour(part.role));
                    ui.selectable_value(&mut form.role, Some(part.role), label);
                }
            });
        }
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(trainee) = trainee else {
            let message = view.problem.clone().unwrap_or_else(|| {
                "No runs recorded yet. Type your name in the menu before a drill: \
                 finished runs are recorded under it."
                    .to_string()
            });
            ui.label(RichText::new(message).color(theme::GREY));
            return;
        };
        let shown: Vec<&RoleProgress> = trainee
            .roles
            .iter()
            .filter(|part| form.role.is_none_or(|role| role == part.role))
            .collect();
        means_table(ui, &shown);
        ui.label(
            RichText::new("Diamond: the best run. Ring: the latest. Hover a point for its value.")
                .color(theme::GREY)
                .small(),
        );
        let width = (ui.available_width() - 12.0) / 2.0;
        // Each plot has a title line above and the best runs below.
        let around = 40.0;
        let height = ((ui.available_height() - 8.0) / 2.0 - around).max(100.0);
        egui::Grid::new("progress-plots")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                for (i, measure) in Measure::ALL.into_iter().enumerate() {
                    ui.vertical(|ui| {
                        ui.set_width(width);
                        plot(ui, &trainee.name, measure, &shown, height);
                    });
                    if i % 2 == 1 {
                        ui.end_row();
                    }
                }
            });
    });
    action
}

/// Runs and means per role, with the best and latest total.
fn means_table(ui: &mut Ui, shown: &[&RoleProgress]) {
    egui::Grid::new("progress-means")
        .num_columns(7)
        .spacing([18.0, 4.0])
        .show(ui, |ui| {
            for heading in ["Role", "Runs", "MTTA", "MTTR", "MTRS", "CAN", "Total"] {
                ui.label(RichText::new(heading).color(theme::GREY).small());
            }
            ui.label(
                RichText::new("Total: best · latest")
                    .color(theme::GREY)
                    .small(),
            );
            ui.end_row();
            for part in shown {
                let m = &part.means;
                ui.label(RichText::new(part.role.title()).color(role_colour(part.role)));
                ui.label(m.runs.to_string());
                for time in [m.mtta_s, m.mttr_s, m.mtrs_s] {
                    ui.label(Duration::words_or(time.map(|s| s.round() as u64), "—"));
                }
                ui.label(format!("{:.0}", m.can));
                ui.label(format!("{:.0}", m.total));
                if let Some((best, latest)) = best_and_latest(&part.runs, Measure::Total) {
                    ui.label(format!(
                        "{} (run {}) · {} (run {})",
                        best.total, best.number, latest.total, latest.number
                    ));
                }
                ui.end_row();
            }
        });
}

/// One measure over the trainee's runs: a line per role, the best run as a diamond and
/// the latest as a ring.
fn plot(ui: &mut Ui, trainee: &str, measure: Measure, shown: &[&RoleProgress], height: f32) {
    ui.label(RichText::new(measure.title()).color(theme::BRIGHT).small());
    let last_run = shown
        .iter()
        .filter_map(|part| part.runs.last())
        .map(|run| run.number as f64)
        .fold(1.0, f64::max);
    Plot::new(("progress", trainee, measure.title()))
        .height(height)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .y_axis_min_width(30.0)
        .include_x(0.5)
        .include_x(last_run + 0.5)
        .set_margin_fraction(egui::vec2(0.0, 0.12))
        .y_grid_spacer(uniform_grid_spacer(grid_steps))
        // Runs are whole numbers.
        .x_grid_spacer(uniform_grid_spacer(|input| {
            grid_steps(input).map(|s| s.max(1.0))
        }))
        .x_axis_formatter(|mark, _| {
            if mark.value.fract() == 0.0 && mark.value >= 1.0 {
                format!("run {}", mark.value)
            } else {
                String::new()
            }
        })
        .label_formatter(|hover| match hover {
            HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}\nrun {} · {}",
                position.x,
                measure.plotted_text(position.y)
            )),
            HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| {
            for part in shown {
                let colour = role_colour(part.role);
                let points: Vec<[f64; 2]> = part
                    .runs
                    .iter()
                    .filter_map(|run| Some([run.number as f64, measure.value(run)?]))
                    .collect();
                let name = part.role.title();
                plot.line(
                    Line::new(name, PlotPoints::from(points.clone()))
                        .color(colour)
                        .width(1.5),
                );
                plot.points(
                    Points::new(name, PlotPoints::from(points))
                        .color(colour)
                        .radius(2.5),
                );
                let Some((best, latest)) = best_and_latest(&part.runs, measure) else {
                    continue;
                };
                let at =
                    |run: &RunPoint| [run.number as f64, measure.value(run).unwrap_or_default()];
                plot.points(
                    Points::new(format!("{name}: best"), vec![at(best)])
                        .shape(MarkerShape::Diamond)
                        .radius(7.0)
                        .color(colour),
                );
                plot.points(
                    Points::new(format!("{name}: latest"), vec![at(latest)])
                        .shape(MarkerShape::Circle)
                        .filled(false)
                        .radius(9.0)
                        .color(theme::BRIGHT),
                );
            }
        });
    let bests: Vec<String> = shown
        .iter()
        .filter_map(|part| {
            let (best, _) = best_and_latest(&part.runs, measure)?;
            Some(format!(
                "{} {} (run {})",
                part.role.key(),
                measure.text(best),
                best.number
            ))
        })
        .collect();
    ui.label(
        RichText::new(format!("best: {}", bests.join(" · ")))
            .color(theme::GREY)
            .small(),
    );
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use firedrill_core::engine::journal::Outcome;

    /// A recorded run: ids in the order given.
    pub(crate) fn rows(runs: &[(&str, Role, Option<u64>, u32)]) -> Vec<RunRow> {
        (1..)
            .zip(runs)
            .map(|(id, &(trainee, role, mtta_s, total))| RunRow {
                id,
                trainee: trainee.into(),
                role: Some(role),
                scenario: "edge-waf-regex".into(),
                seed: 1,
                started_at: "2026-11-21T10:02:03Z".into(),
                outcome: RunOutcome::Ended(Outcome::Resolved),
                mtta_s,
                mttr_s: None,
                mtrs_s: None,
                can: total,
                total,
                branch_of: None,
            })
            .collect()
    }

    #[test]
    fn runs_are_numbered_per_trainee_across_roles_and_grouped_by_role() {
        let view = ProgressView::new(&rows(&[
            ("ben", Role::Tech, Some(60), 50),
            ("ana", Role::Commander, Some(300), 40),
            ("ana", Role::Tech, Some(120), 70),
            ("ana", Role::Commander, Some(180), 60),
        ]));
        let names: Vec<&str> = view.trainees.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["ana", "ben"]);
        let ana = &view.trainees[0];
        assert_eq!(ana.runs, 3);
        let roles: Vec<Role> = ana.roles.iter().map(|r| r.role).collect();
        assert_eq!(roles, [Role::Commander, Role::Tech]);
        let commander: Vec<usize> = ana.roles[0].runs.iter().map(|r| r.number).collect();
        assert_eq!(commander, [1, 3], "ana's 1st and 3rd runs");
        assert_eq!(ana.roles[0].means.mtta_s, Some(240.0));
        assert_eq!(ana.roles[0].runs[0].when, "2026-11-21 10:02");
    }

    #[test]
    fn the_best_is_the_fastest_or_highest_and_the_latest_is_the_last_with_a_value() {
        let view = ProgressView::new(&rows(&[
            ("ana", Role::Comms, Some(300), 80),
            ("ana", Role::Comms, Some(120), 60),
            ("ana", Role::Comms, Some(120), 80),
            ("ana", Role::Comms, None, 70),
        ]));
        let runs = &view.trainees[0].roles[0].runs;
        let numbers = |measure| {
            best_and_latest(runs, measure).map(|(best, latest)| (best.number, latest.number))
        };
        // Times: lower is better, the earliest of equals; a run never acknowledged has
        // no value, so the latest with one is run 3.
        assert_eq!(numbers(Measure::Mtta), Some((2, 3)));
        assert_eq!(numbers(Measure::Total), Some((1, 4)));
        assert_eq!(numbers(Measure::Mttr), None, "no run resolved");
        assert_eq!(Measure::Mtta.text(&runs[1]), "2m");
        assert_eq!(Measure::Mtta.text(&runs[3]), "—");
    }
}
