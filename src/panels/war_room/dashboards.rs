//! The dashboards: one tab per scenario dashboard, its metrics as charts, and "no data"
//! while the dashboard is dark.

use egui::Ui;

use super::{WarRoomForms, WarRoomView};
use crate::{chart, theme};

pub(super) fn show(ui: &mut Ui, view: &WarRoomView, forms: &mut WarRoomForms) {
    ui.horizontal_wrapped(|ui| {
        for (i, dashboard) in view.dashboards.iter().enumerate() {
            ui.selectable_value(&mut forms.dashboard, i, &dashboard.title);
        }
    });
    let Some(dashboard) = view.dashboards.get(forms.dashboard) else {
        return;
    };
    if let Some(since) = &dashboard.no_data_since {
        ui.label(
            egui::RichText::new(format!(
                "No data since {since}: the dashboard is not loading"
            ))
            .color(theme::AMBER)
            .strong(),
        );
    }
    let columns = if dashboard.charts.len() > 1 { 2 } else { 1 };
    let rows = dashboard.charts.len().div_ceil(columns).max(1);
    let height = (ui.available_height() / rows as f32 - 26.0).max(60.0);
    egui::ScrollArea::vertical()
        .id_salt("dashboards")
        .show(ui, |ui| {
            egui::Grid::new("dashboard-grid")
                .num_columns(columns)
                .min_col_width(ui.available_width() / columns as f32 - 8.0)
                .max_col_width(ui.available_width() / columns as f32 - 8.0)
                .show(ui, |ui| {
                    for (i, view_chart) in dashboard.charts.iter().enumerate() {
                        ui.vertical(|ui| {
                            chart::show(ui, view_chart, &view.markers, view.axis, height)
                        });
                        if i % columns == columns - 1 {
                            ui.end_row();
                        }
                    }
                });
        });
}
