//! The look of firedrill: a dark theme readable at 1280×720, and the one palette for
//! severities, alert levels and incident states that every panel uses, so SEV1 is the
//! same red in the top bar, the alert list, the CAN form and the debrief.

use egui::{Color32, FontFamily, FontId, RichText, TextStyle, Ui};
use firedrill_core::scenario::{AlertSeverity, IncidentState, Severity};

pub const RED: Color32 = Color32::from_rgb(0xE5, 0x48, 0x4D);
pub const ORANGE: Color32 = Color32::from_rgb(0xF7, 0x6B, 0x15);
pub const AMBER: Color32 = Color32::from_rgb(0xFF, 0xC5, 0x3D);
pub const BLUE: Color32 = Color32::from_rgb(0x3E, 0x9B, 0xFF);
pub const TEAL: Color32 = Color32::from_rgb(0x12, 0xA5, 0x94);
pub const GREEN: Color32 = Color32::from_rgb(0x46, 0xA7, 0x58);
pub const GREY: Color32 = Color32::from_rgb(0x8B, 0x8D, 0x98);
/// Text that matters most: the clock, headings.
pub const BRIGHT: Color32 = Color32::from_rgb(0xED, 0xEE, 0xF0);
/// The trainee's own words and actions.
pub const YOU: Color32 = Color32::from_rgb(0x9E, 0xB1, 0xFF);

/// SEV1 red, SEV2 orange, SEV3 amber, SEV4 blue.
pub fn severity(level: Severity) -> Color32 {
    match level {
        Severity::Sev1 => RED,
        Severity::Sev2 => ORANGE,
        Severity::Sev3 => AMBER,
        Severity::Sev4 => BLUE,
    }
}

/// Critical alerts share SEV1's red, warnings SEV3's amber, info SEV4's blue.
pub fn alert(level: AlertSeverity) -> Color32 {
    match level {
        AlertSeverity::Critical => RED,
        AlertSeverity::Warning => AMBER,
        AlertSeverity::Info => BLUE,
    }
}

/// Red while nobody owns it, amber while working, teal once impact is contained,
/// green when resolved.
pub fn state(state: IncidentState) -> Color32 {
    match state {
        IncidentState::Triggered => RED,
        IncidentState::Acknowledged | IncidentState::Investigating => ORANGE,
        IncidentState::Identified => AMBER,
        IncidentState::Mitigated | IncidentState::Monitoring => TEAL,
        IncidentState::Resolved => GREEN,
    }
}

/// A score out of 100: green from 80, amber from 50, red below.
pub fn score(points: u32) -> Color32 {
    match points {
        80.. => GREEN,
        50..80 => AMBER,
        _ => RED,
    }
}

/// Dark visuals and text sizes that stay readable at 1280×720.
pub fn apply(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Dark);
    ctx.global_style_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(20.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(14.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(14.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(12.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(13.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        // A steady text cursor: a blinking one would redraw the app twice a second for
        // as long as a field has focus.
        style.visuals.text_cursor.blink = false;
    });
}

/// A small filled badge, like `SEV1` or `Investigating`.
pub fn chip(ui: &mut Ui, text: &str, colour: Color32) {
    egui::Frame::new()
        .fill(colour.gamma_multiply(0.25))
        .stroke(egui::Stroke::new(1.0, colour))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(text).color(colour).strong());
        });
}

/// A section title inside a panel.
pub fn section(ui: &mut Ui, title: &str) {
    ui.add_space(4.0);
    ui.label(RichText::new(title).color(BRIGHT).strong().size(15.0));
}
