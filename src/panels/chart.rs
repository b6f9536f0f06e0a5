//! Metric charts: a line per metric with its warning and critical thresholds, and
//! vertical markers where people acted, on an x axis of wall-clock times.

use egui::{Color32, Ui};
use egui_plot::{
    GridInput, HLine, HoverPosition, Line, Plot, PlotPoints, VLine, uniform_grid_spacer,
};
use firedrill_core::engine::action::{Action, Actor};
use firedrill_core::engine::journal::Event;
use firedrill_core::engine::state::State;
use firedrill_core::report::words::action_text;

use crate::theme;

/// One metric's chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub unit: String,
    /// `(sim minutes, value)`.
    pub points: Vec<[f64; 2]>,
    pub warning: Option<f64>,
    pub critical: Option<f64>,
}

/// A moment someone acted, drawn on every chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub at_min: f64,
    pub label: String,
    /// The trainee's own action, drawn brighter.
    pub yours: bool,
}

/// Where sim minute 0 falls on the wall clock, to label the x axis.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Axis {
    pub start_minute_of_day: f64,
}

impl Axis {
    pub fn label(self, sim_minutes: f64) -> String {
        let minute = (self.start_minute_of_day + sim_minutes).rem_euclid(24.0 * 60.0);
        format!(
            "{:02}:{:02}",
            (minute / 60.0) as u32,
            (minute % 60.0) as u32
        )
    }
}

/// The charts of a dashboard's metrics (unknown ids skipped).
pub fn charts(state: &State, metric_ids: &[String]) -> Vec<ChartView> {
    let scenario = &state.scenario;
    metric_ids
        .iter()
        .filter_map(|id| {
            let metric = scenario.world.metrics.iter().find(|m| &m.id == id)?;
            let series = state.metric(id)?;
            Some(ChartView {
                id: id.clone(),
                title: metric.name.clone(),
                unit: metric.unit.clone(),
                points: series
                    .samples
                    .iter()
                    .map(|&(t, v)| [t as f64 / 60.0, v])
                    .collect(),
                warning: metric.warning,
                critical: metric.critical,
            })
        })
        .collect()
}

/// Markers for the moves that change the world: declaring, investigations,
/// remediations, resolving.
pub fn markers(state: &State) -> Vec<Marker> {
    state
        .journal
        .iter()
        .filter_map(|entry| match &entry.event {
            Event::Did { actor, action }
                if matches!(
                    action,
                    Action::Declare(_) | Action::Remediate(_) | Action::Resolve
                ) =>
            {
                Some(Marker {
                    at_min: entry.at.as_secs() as f64 / 60.0,
                    label: action_text(&state.scenario, action),
                    yours: matches!(actor, Actor::Trainee(_)),
                })
            }
            _ => None,
        })
        .collect()
}

/// Grid lines for about five labelled values over the visible range: steps of 1, 2 or 5
/// × 10^k, with coarser lines at 5 and 10 steps.
pub fn grid_steps(input: GridInput) -> [f64; 3] {
    let span = (input.bounds.1 - input.bounds.0).abs().max(f64::EPSILON);
    let wanted = span / 5.0;
    let magnitude = 10f64.powf(wanted.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&step| step >= wanted)
        .unwrap_or(10.0 * magnitude);
    [step, step * 5.0, step * 10.0]
}

/// Draws one chart `height` points tall.
pub fn show(ui: &mut Ui, chart: &ChartView, markers: &[Marker], axis: Axis, height: f32) {
    ui.label(
        egui::RichText::new(format!("{} ({})", chart.title, chart.unit))
            .color(theme::BRIGHT)
            .small(),
    );
    Plot::new(("chart", &chart.id))
        .height(height)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .show_x(false)
        .y_axis_min_width(36.0)
        .y_grid_spacer(uniform_grid_spacer(grid_steps))
        .x_axis_formatter(move |mark, _| axis.label(mark.value))
        .label_formatter(move |hover| match hover {
            HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}\n{} {:.1}",
                axis.label(position.x),
                position.y
            )),
            HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| {
            if let Some(level) = chart.warning {
                plot.hline(HLine::new("warning", level).color(theme::AMBER).width(1.0));
            }
            if let Some(level) = chart.critical {
                plot.hline(HLine::new("critical", level).color(theme::RED).width(1.0));
            }
            for marker in markers {
                let colour = if marker.yours {
                    theme::YOU
                } else {
                    theme::GREY
                };
                plot.vline(
                    VLine::new(marker.label.clone(), marker.at_min)
                        .color(colour.gamma_multiply(0.8))
                        .width(1.0),
                );
            }
            plot.line(
                Line::new(chart.title.clone(), PlotPoints::from(chart.points.clone()))
                    .color(Color32::from_rgb(0x70, 0xB8, 0xFF))
                    .width(1.5),
            );
        });
}
