//! Metric charts: a line per metric with its warning and critical thresholds, and
//! vertical markers where people acted, on an x axis of wall-clock times. Where the
//! telemetry was dark the line breaks and the gap says "no data".

use egui::{Color32, RichText, Ui};
use egui_plot::{
    GridInput, GridMark, HLine, HoverPosition, Line, Plot, PlotPoint, PlotPoints, Text, VLine,
    uniform_grid_spacer,
};
use firedrill_core::engine::action::{Action, Actor};
use firedrill_core::engine::journal::Event;
use firedrill_core::engine::outages::Period;
use firedrill_core::engine::state::State;
use firedrill_core::report::words::action_text;
use firedrill_core::scenario::{Dashboard, TelemetryKind};

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
    /// `[from, to]` sim minutes with no data (the metric or its dashboard was dark):
    /// the line breaks there and the gap says "no data". The last may run to now.
    pub gaps: Vec<[f64; 2]>,
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

/// What a gap in a chart says.
pub const NO_DATA: &str = "no data";

/// More points than a chart has pixels across cost frame time and show nothing more.
const MAX_POINTS: usize = 600;

/// `(sim minutes, value)` of the samples, thinned to at most about `max` points: each
/// run of samples keeps its lowest and highest value in time order, so every spike and
/// dip still shows.
pub fn envelope(samples: &[(u64, f64)], max: usize) -> Vec<[f64; 2]> {
    let point = |&(t, v): &(u64, f64)| [t as f64 / 60.0, v];
    if samples.len() <= max {
        return samples.iter().map(point).collect();
    }
    let per_bucket = samples.len().div_ceil(max / 2);
    samples
        .chunks(per_bucket)
        .flat_map(|bucket| {
            let by_value = |a: &&(u64, f64), b: &&(u64, f64)| a.1.total_cmp(&b.1);
            let low = bucket.iter().min_by(by_value);
            let high = bucket.iter().max_by(by_value);
            let mut pair: Vec<&(u64, f64)> = low.into_iter().chain(high).collect();
            pair.sort_by_key(|s| s.0);
            pair.dedup_by_key(|s| s.0);
            pair.into_iter().map(point)
        })
        .collect()
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
                points: envelope(&series.samples, MAX_POINTS),
                warning: metric.warning,
                critical: metric.critical,
                gaps: Vec::new(),
            })
        })
        .collect()
}

/// The charts of a dashboard as responders see them: samples taken while the metric or
/// the dashboard was dark are left out, and those periods are the charts' gaps.
pub fn seen_charts(state: &State, dashboard: &Dashboard) -> Vec<ChartView> {
    let mut charts = charts(state, &dashboard.metrics);
    for chart in &mut charts {
        let mut periods: Vec<Period> = state
            .outages
            .periods(TelemetryKind::Metric, &chart.id)
            .iter()
            .chain(
                state
                    .outages
                    .periods(TelemetryKind::Dashboard, &dashboard.id),
            )
            .copied()
            .filter(|p| p.to.is_none_or(|to| to > p.from))
            .collect();
        if periods.is_empty() {
            continue;
        }
        periods.sort_by_key(|p| p.from);
        let Some(series) = state.metric(&chart.id) else {
            continue;
        };
        let seen: Vec<(u64, f64)> = series
            .samples
            .iter()
            .copied()
            .filter(|&(t, _)| !periods.iter().any(|p| p.covers(t)))
            .collect();
        chart.points = envelope(&seen, MAX_POINTS);
        let now = state.now as f64 / 60.0;
        chart.gaps = merged(&periods)
            .into_iter()
            .map(|(from, to)| [from as f64 / 60.0, to.map_or(now, |to| to as f64 / 60.0)])
            .collect();
    }
    charts
}

/// Overlapping periods (sorted by start) joined: `(from, to)`, `None` for still dark.
fn merged(periods: &[Period]) -> Vec<(u64, Option<u64>)> {
    let mut out: Vec<(u64, Option<u64>)> = Vec::new();
    for p in periods {
        match out.last_mut() {
            Some((_, end)) if end.is_none_or(|end| p.from <= end) => {
                *end = match (*end, p.to) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            _ => out.push((p.from, p.to)),
        }
    }
    out
}

/// The line's points cut into the runs between gaps: a new run starts wherever a gap
/// begins between two points.
pub fn segments(points: &[[f64; 2]], gaps: &[[f64; 2]]) -> Vec<Vec<[f64; 2]>> {
    let mut runs: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut previous: Option<f64> = None;
    for &point in points {
        let broken = previous
            .is_none_or(|before| gaps.iter().any(|gap| before < gap[0] && gap[0] < point[0]));
        match runs.last_mut() {
            Some(run) if !broken => run.push(point),
            _ => runs.push(vec![point]),
        }
        previous = Some(point[0]);
    }
    runs
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

/// Vertical grid lines on whole wall-clock minutes, at most four across whatever the run
/// has shown so far (egui_plot labels x marks at least 60 points apart, and a chart is
/// about 260 wide): the labels stay put while the chart grows.
pub fn minute_marks(input: GridInput) -> Vec<GridMark> {
    let (from, to) = input.bounds;
    let span = (to - from).abs();
    let step = [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 240.0]
        .into_iter()
        .find(|&step| span / step <= 3.0)
        .unwrap_or(480.0);
    let first = (from / step).ceil() as i64;
    let last = (to / step).floor() as i64;
    (first..=last)
        .map(|i| GridMark {
            value: i as f64 * step,
            step_size: step,
        })
        .collect()
}

/// A grid value as precise as it is: `0.5`, `3.8`, `1500`, never rounded to a
/// neighbour's label.
pub fn axis_value(value: f64) -> String {
    let decimals = (0..=3)
        .find(|&d| {
            let scale = 10f64.powi(d);
            ((value * scale).round() / scale - value).abs() < 1e-9 * value.abs().max(1.0)
        })
        .unwrap_or(3);
    format!("{value:.*}", decimals as usize)
}

/// A measured value to three significant digits: `0.0421`, `3.82`, `14.2`, `1520`.
pub fn reading(value: f64) -> String {
    let magnitude = if value == 0.0 {
        0
    } else {
        value.abs().log10().floor() as i32
    };
    let decimals = (2 - magnitude).clamp(0, 4) as usize;
    format!("{value:.decimals$}")
}

/// The marker under the pointer at sim minute `x`, if one is within `tolerance`.
pub fn marker_near(markers: &[Marker], x: f64, tolerance: f64) -> Option<&Marker> {
    markers
        .iter()
        .filter(|m| (m.at_min - x).abs() <= tolerance)
        .min_by(|a, b| (a.at_min - x).abs().total_cmp(&(b.at_min - x).abs()))
}

/// Draws one chart `height` points tall.
pub fn show(ui: &mut Ui, chart: &ChartView, markers: &[Marker], axis: Axis, height: f32) {
    ui.label(
        egui::RichText::new(format!("{} ({})", chart.title, chart.unit))
            .color(theme::BRIGHT)
            .small(),
    );
    // A marker answers the pointer within 1% of the run shown so far.
    let shown =
        chart.points.last().map_or(0.0, |p| p[0]) - chart.points.first().map_or(0.0, |p| p[0]);
    let tolerance = (shown / 100.0).max(0.1);
    Plot::new(("chart", &chart.id))
        .height(height)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .show_x(false)
        .y_axis_min_width(36.0)
        .y_grid_spacer(uniform_grid_spacer(grid_steps))
        .y_axis_formatter(|mark, _| axis_value(mark.value))
        .x_grid_spacer(minute_marks)
        .x_axis_formatter(move |mark, _| axis.label(mark.value))
        .label_formatter(move |hover| {
            let (x, reading_line) = match hover {
                HoverPosition::NearDataPoint {
                    plot_name,
                    position,
                    ..
                } => (
                    position.x,
                    Some(format!(
                        "{plot_name}\n{} {}",
                        axis.label(position.x),
                        reading(position.y)
                    )),
                ),
                HoverPosition::Elsewhere { position } => (position.x, None),
            };
            let marker = marker_near(markers, x, tolerance)
                .map(|m| format!("{} {}", axis.label(m.at_min), m.label));
            match (reading_line, marker) {
                (Some(reading), Some(marker)) => Some(format!("{reading}\n{marker}")),
                (reading, marker) => reading.or(marker),
            }
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
            for run in segments(&chart.points, &chart.gaps) {
                plot.line(
                    Line::new(chart.title.clone(), PlotPoints::from(run))
                        .color(Color32::from_rgb(0x70, 0xB8, 0xFF))
                        .width(1.5),
                );
            }
            // "no data" at the end of each gap (a gap running to now ends at the chart's
            // right edge, where a centred label would be cut), at the height of the values.
            let (low, high) = chart
                .points
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                    (lo.min(p[1]), hi.max(p[1]))
                });
            let y = if low.is_finite() {
                (low + high) / 2.0
            } else {
                chart.warning.or(chart.critical).unwrap_or(0.0)
            };
            for gap in &chart.gaps {
                plot.text(
                    Text::new(
                        "no data",
                        PlotPoint::new(gap[1], y),
                        RichText::new(NO_DATA).color(theme::AMBER).small(),
                    )
                    .anchor(egui::Align2::RIGHT_CENTER),
                );
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_run_is_thinned_to_its_envelope_keeping_every_spike() {
        // Two hours at one sample a second: flat at 10, a one-second spike to 90 at
        // 40m and a dip to 1 at 80m.
        let samples: Vec<(u64, f64)> = (0..7200)
            .map(|t| match t {
                2400 => (t, 90.0),
                4800 => (t, 1.0),
                _ => (t, 10.0),
            })
            .collect();
        let points = envelope(&samples, 600);
        assert!(points.len() <= 600, "{} points", points.len());
        assert!(points.contains(&[40.0, 90.0]));
        assert!(points.contains(&[80.0, 1.0]));
        assert!(
            points.windows(2).all(|w| w[0][0] < w[1][0]),
            "in time order"
        );
        // Short runs are drawn sample by sample.
        assert_eq!(
            envelope(&samples[..3], 600),
            [[0.0, 10.0], [1.0 / 60.0, 10.0], [2.0 / 60.0, 10.0]]
        );
    }

    #[test]
    fn a_gap_cuts_the_line_into_runs() {
        let points = [[1.0, 5.0], [2.0, 6.0], [8.0, 7.0], [9.0, 7.5]];
        assert_eq!(
            segments(&points, &[[3.0, 7.5]]),
            [vec![[1.0, 5.0], [2.0, 6.0]], vec![[8.0, 7.0], [9.0, 7.5]]]
        );
        // Still dark at the end: one run, then nothing.
        assert_eq!(
            segments(&points[..2], &[[3.0, 9.0]]),
            [points[..2].to_vec()]
        );
        assert_eq!(segments(&points, &[]), [points.to_vec()]);
    }

    #[test]
    fn overlapping_dark_periods_make_one_gap() {
        let p = |from, to| Period { from, to };
        assert_eq!(
            merged(&[p(60, Some(300)), p(120, None), p(900, Some(960))]),
            [(60, None)]
        );
        assert_eq!(
            merged(&[p(60, Some(300)), p(300, Some(400)), p(900, Some(960))]),
            [(60, Some(400)), (900, Some(960))]
        );
    }

    #[test]
    fn grid_values_show_their_own_precision() {
        let labels: Vec<String> = [0.5, 3.8, 4.0, 2.5, 0.05, 1500.0, 0.0]
            .into_iter()
            .map(axis_value)
            .collect();
        assert_eq!(labels, ["0.5", "3.8", "4", "2.5", "0.05", "1500", "0"]);
    }

    #[test]
    fn hovered_readings_keep_three_significant_digits() {
        let readings: Vec<String> = [0.0421, 3.8, 14.2, 1520.4, 0.0]
            .into_iter()
            .map(reading)
            .collect();
        assert_eq!(readings, ["0.0421", "3.80", "14.2", "1520", "0.00"]);
    }

    fn marks(from: f64, to: f64) -> Vec<f64> {
        minute_marks(GridInput {
            bounds: (from, to),
            base_step_size: 0.01,
        })
        .into_iter()
        .map(|m| m.value)
        .collect()
    }

    #[test]
    fn time_labels_sit_on_whole_minutes_and_stay_put_as_the_run_grows() {
        assert_eq!(marks(-0.4, 12.3), [0.0, 5.0, 10.0]);
        // A few seconds later the same labels, where they were.
        assert_eq!(marks(-0.4, 12.4), [0.0, 5.0, 10.0]);
        assert_eq!(marks(-2.0, 125.0), [0.0, 60.0, 120.0]);
        assert_eq!(marks(-1.0, 40.0), [0.0, 15.0, 30.0]);
    }

    #[test]
    fn the_nearest_marker_within_reach_answers_the_pointer() {
        let marker = |at_min: f64, label: &str| Marker {
            at_min,
            label: label.into(),
            yours: false,
        };
        let markers = [marker(10.0, "declared SEV1"), marker(12.0, "rolled back")];
        let near = |x| marker_near(&markers, x, 0.5).map(|m| m.label.as_str());
        assert_eq!(near(11.8), Some("rolled back"));
        assert_eq!(near(10.3), Some("declared SEV1"));
        assert_eq!(near(11.0), None);
    }
}
