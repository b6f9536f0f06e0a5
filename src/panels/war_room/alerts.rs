//! The alert list: every alert that has fired or has no data, firing ones first,
//! coloured by level.

use egui::{RichText, Ui};

use super::WarRoomView;
use crate::theme;

pub(super) fn show(ui: &mut Ui, view: &WarRoomView) {
    theme::section(ui, "Alerts");
    if view.alerts.is_empty() {
        ui.label(RichText::new("No alerts have fired.").color(theme::GREY));
    }
    egui::ScrollArea::vertical()
        .id_salt("alerts")
        .show(ui, |ui| {
            let (firing, cleared): (Vec<_>, Vec<_>) = view.alerts.iter().partition(|a| a.firing);
            for alert in firing.into_iter().chain(cleared) {
                let colour = if alert.firing {
                    theme::alert(alert.severity)
                } else {
                    theme::GREY
                };
                egui::Frame::new()
                    .fill(colour.gamma_multiply(if alert.firing { 0.18 } else { 0.08 }))
                    .stroke(egui::Stroke::new(1.0, colour.gamma_multiply(0.7)))
                    .corner_radius(4.0)
                    .inner_margin(6)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(RichText::new(&alert.name).color(theme::BRIGHT).strong());
                        ui.horizontal_wrapped(|ui| {
                            theme::chip(ui, alert.severity.label(), colour);
                            let status = match (alert.firing, alert.acknowledged) {
                                (true, true) => {
                                    format!("firing since {}, acknowledged", alert.since)
                                }
                                (true, false) => format!("FIRING since {}", alert.since),
                                (false, _) if alert.no_data_since.is_some() => {
                                    "not firing".to_string()
                                }
                                (false, _) => format!("cleared (fired {})", alert.since),
                            };
                            ui.label(RichText::new(status).small());
                            if let Some(since) = &alert.no_data_since {
                                ui.label(
                                    RichText::new(format!("NO DATA since {since}"))
                                        .small()
                                        .color(theme::AMBER),
                                );
                            }
                            if alert.escalated {
                                ui.label(RichText::new("escalated").small().color(theme::RED));
                            }
                        });
                    });
                ui.add_space(2.0);
            }
        });
}
