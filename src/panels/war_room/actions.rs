//! The right-hand panel: the role's actions, the CAN report form and the status
//! update form, in tabs. Only what the role may do is offered, so everything the
//! trainee sends is a valid input-file action.

use egui::{RichText, Ui};
use firedrill_core::engine::action::{Action, Role};
use firedrill_core::scenario::{Duration, IncidentState};

use super::can_form::{SEVERITIES, can_form};
use super::status_form::status_form;
use super::{Pick, Tab, TaskLine, TaskStatus, WarRoomAction, WarRoomForms, WarRoomView};
use crate::theme;

/// States the IC can set by hand (Resolved only through Resolve).
const SETTABLE: [IncidentState; 4] = [
    IncidentState::Investigating,
    IncidentState::Identified,
    IncidentState::Mitigated,
    IncidentState::Monitoring,
];

/// When the incident's severity or state changes (whoever changed it), the pickers move
/// to the current severity and the state after the current one, so the likely next
/// click is one click.
fn follow_the_incident(view: &WarRoomView, forms: &mut WarRoomForms) {
    let now = (view.severity, view.state);
    if forms.followed == now {
        return;
    }
    forms.followed = now;
    if let Some(severity) = view.severity {
        forms.severity = severity;
    }
    if let Some(state) = view.state {
        forms.state = SETTABLE
            .into_iter()
            .find(|&next| next > state)
            .unwrap_or(IncidentState::Monitoring);
    }
}

pub(super) fn show(
    ui: &mut Ui,
    view: &WarRoomView,
    forms: &mut WarRoomForms,
    out: &mut Vec<WarRoomAction>,
) {
    let c = view.controls;
    follow_the_incident(view, forms);
    // The CAN tab comes last: its "•" when a report is asked for moves no other tab.
    ui.horizontal(|ui| {
        ui.selectable_value(&mut forms.tab, Tab::Actions, "Actions");
        if c.status_updates {
            ui.selectable_value(&mut forms.tab, Tab::Status, "Status update");
        }
        let can = if view.can_requested {
            "CAN report •"
        } else {
            "CAN report"
        };
        ui.selectable_value(&mut forms.tab, Tab::Can, can);
    });
    ui.separator();
    // Banners come and go at the foot of the column, below the forms, so none moves a
    // form under the pointer.
    egui::Panel::bottom("war-room-banners")
        .show_separator_line(false)
        .show(ui, |ui| banners(ui, view));
    let enabled = !view.spectating && !view.over;
    egui::ScrollArea::vertical()
        .id_salt("actions")
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let mut act = |action: Action| out.push(WarRoomAction::Do(action));
            match forms.tab {
                Tab::Can => {
                    if let Some(action) = can_form(ui, &mut forms.can, enabled) {
                        act(action);
                    }
                }
                Tab::Status if c.status_updates => {
                    if let Some(action) = status_form(
                        ui,
                        &mut forms.status,
                        enabled,
                        view.status_page_down.as_deref(),
                    ) {
                        act(action);
                    }
                }
                _ => {
                    ui.add_enabled_ui(enabled, |ui| actions(ui, view, forms, &mut act));
                }
            }
        });
}

/// What the trainee should notice: watching only, actions waiting for the clock, a
/// refusal, a CAN request.
fn banners(ui: &mut Ui, view: &WarRoomView) {
    if view.team.as_ref().is_some_and(|t| t.observer) {
        ui.label(
            RichText::new("Observing: you can post in the channels; take an open seat to act.")
                .color(theme::GREY),
        );
    } else if view.spectating {
        ui.label(RichText::new("Watching: bots play every role.").color(theme::GREY));
    }
    for queued in &view.queued {
        ui.label(RichText::new(queued).color(theme::TEAL));
    }
    if let Some(notice) = &view.notice {
        ui.label(RichText::new(notice).color(theme::RED));
    }
    if view.can_requested {
        ui.label(
            RichText::new("The Incident Commander asked for your CAN report.").color(theme::AMBER),
        );
    }
}

/// What the trainee sends from the actions tab.
type Act<'a> = dyn FnMut(Action) + 'a;

/// The actions tab: acknowledge, then the sections the role may use.
fn actions(ui: &mut Ui, view: &WarRoomView, forms: &mut WarRoomForms, act: &mut Act) {
    let c = view.controls;
    if ui
        .add_enabled(c.acknowledge, egui::Button::new("Acknowledge the page"))
        .on_hover_text(&view.acknowledge_note)
        .on_disabled_hover_text(&view.acknowledge_note)
        .clicked()
    {
        act(Action::Acknowledge);
    }
    if c.command {
        incident_section(ui, view, forms, act);
    }
    if c.page {
        page_section(ui, view, forms, act);
    }
    if c.hands_on {
        hands_on_section(ui, view, act);
    }
}

/// The commander's section: severity, state and resolve, CAN requests, role and
/// postmortem assignments.
fn incident_section(ui: &mut Ui, view: &WarRoomView, forms: &mut WarRoomForms, act: &mut Act) {
    let c = view.controls;
    let open = !c.resolved;
    theme::section(ui, "Incident");
    ui.horizontal(|ui| {
        if c.declared {
            severity_picker(ui, "severity", &mut forms.severity);
            if ui
                .add_enabled(open, egui::Button::new("Set severity"))
                .clicked()
            {
                act(Action::SetSeverity(forms.severity));
            }
        } else {
            severity_picker(ui, "declare", &mut forms.declare);
            if ui
                .button(RichText::new("Declare incident").strong())
                .clicked()
            {
                act(Action::Declare(forms.declare));
            }
        }
    });
    state_row(ui, open && c.declared, forms, act);
    ui.horizontal(|ui| {
        ui.label("CAN from");
        for role in [Role::Tech, Role::Comms] {
            if ui
                .add_enabled(open, egui::Button::new(role.title()))
                .clicked()
            {
                act(Action::RequestCan(role));
            }
        }
    });
    assign_role_row(ui, open, forms, act);
    postmortem_owner_row(ui, forms, act);
}

/// Set the incident's state, or resolve it; `enabled` once declared and still open.
fn state_row(ui: &mut Ui, enabled: bool, forms: &mut WarRoomForms, act: &mut Act) {
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("set-state")
            .selected_text(forms.state.label())
            .width(120.0)
            .show_ui(ui, |ui| {
                for state in SETTABLE {
                    ui.selectable_value(&mut forms.state, state, state.label());
                }
            });
        if ui
            .add_enabled(enabled, egui::Button::new("Set state"))
            .clicked()
        {
            act(Action::SetState(forms.state));
        }
        if ui
            .add_enabled(
                enabled,
                egui::Button::new(RichText::new("Resolve").color(theme::GREEN)),
            )
            .on_hover_text("Accepted only once customers have recovered")
            .clicked()
        {
            act(Action::Resolve);
        }
    });
}

/// Give a role to someone by name.
fn assign_role_row(ui: &mut Ui, open: bool, forms: &mut WarRoomForms, act: &mut Act) {
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("assign-role")
            .selected_text(forms.assign_role.title())
            .width(150.0)
            .show_ui(ui, |ui| {
                for role in Role::ALL {
                    ui.selectable_value(&mut forms.assign_role, role, role.title());
                }
            });
        ui.add(
            egui::TextEdit::singleline(&mut forms.assign_to)
                .hint_text("name")
                .desired_width(90.0),
        );
        let ready = open && !forms.assign_to.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new("Assign")).clicked() {
            act(Action::AssignRole {
                role: forms.assign_role,
                to: forms.assign_to.trim().to_string(),
            });
        }
    });
}

/// Name the postmortem's owner (allowed in the wrap-up too).
fn postmortem_owner_row(ui: &mut Ui, forms: &mut WarRoomForms, act: &mut Act) {
    ui.horizontal(|ui| {
        ui.label("Postmortem owner");
        ui.add(
            egui::TextEdit::singleline(&mut forms.postmortem_owner)
                .hint_text("name")
                .desired_width(110.0),
        );
        let ready = !forms.postmortem_owner.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new("Assign")).clicked() {
            act(Action::AssignPostmortem(
                forms.postmortem_owner.trim().to_string(),
            ));
        }
    });
}

/// Page a team or escalate to it.
fn page_section(ui: &mut Ui, view: &WarRoomView, forms: &mut WarRoomForms, act: &mut Act) {
    let open = !view.controls.resolved;
    theme::section(ui, "Page or escalate");
    ui.horizontal(|ui| {
        let chosen = forms
            .page
            .as_ref()
            .and_then(|id| view.teams.iter().find(|t| &t.id == id))
            .map_or("Choose a team…", |t| t.name.as_str());
        egui::ComboBox::from_id_salt("page-team")
            .selected_text(chosen)
            .width(260.0)
            .show_ui(ui, |ui| {
                for Pick { id, name } in &view.teams {
                    ui.selectable_value(&mut forms.page, Some(id.clone()), name);
                }
            });
        if ui
            .add_enabled(open && forms.page.is_some(), egui::Button::new("Page"))
            .clicked()
            && let Some(team) = forms.page.clone()
        {
            act(Action::Page(team));
        }
    });
}

/// Investigations and remediations, with a warning when the commander would do them.
fn hands_on_section(ui: &mut Ui, view: &WarRoomView, act: &mut Act) {
    let c = view.controls;
    let open = !c.resolved;
    if c.command {
        ui.label(
            RichText::new("Hands-on work costs the Incident Commander points: delegate it.")
                .small()
                .color(theme::AMBER),
        );
    }
    theme::section(ui, "Investigate");
    for task in &view.investigations {
        if task_row(ui, task, "Run", open) {
            act(Action::Investigate(task.id.clone()));
        }
    }
    theme::section(ui, "Remediate");
    for task in &view.remediations {
        if task_row(ui, task, "Start", open) {
            act(Action::Remediate(task.id.clone()));
        }
    }
}

fn severity_picker(ui: &mut Ui, id: &str, level: &mut firedrill_core::scenario::Severity) {
    egui::ComboBox::from_id_salt(id)
        .selected_text(RichText::new(level.name()).color(theme::severity(*level)))
        .width(70.0)
        .show_ui(ui, |ui| {
            for choice in SEVERITIES {
                let text = RichText::new(choice.name()).color(theme::severity(choice));
                ui.selectable_value(level, choice, text);
            }
        });
}

/// One investigation or remediation; true when the trainee starts it.
fn task_row(ui: &mut Ui, task: &TaskLine, verb: &str, open: bool) -> bool {
    let mut start = false;
    egui::Frame::new()
        .fill(ui.visuals().extreme_bg_color)
        .corner_radius(4.0)
        .inner_margin(4)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                match task.status {
                    TaskStatus::Idle => {
                        start = ui
                            .add_enabled(open, egui::Button::new(verb).small())
                            .on_hover_text(&task.id)
                            .clicked();
                    }
                    TaskStatus::Running { .. } => {
                        ui.label(RichText::new("…").color(theme::AMBER));
                    }
                    TaskStatus::Done { .. } => {
                        ui.label(RichText::new("✔").color(theme::TEAL));
                    }
                }
                ui.add(egui::Label::new(&task.label).wrap());
            });
            match &task.status {
                TaskStatus::Idle => {}
                TaskStatus::Running {
                    progress,
                    left_s,
                    by,
                } => {
                    ui.add(
                        egui::ProgressBar::new(*progress)
                            .desired_height(12.0)
                            .text(format!("{by}: {} left", Duration::from_secs(*left_s))),
                    );
                }
                TaskStatus::Done { found: Some(found) } => {
                    ui.add(
                        egui::Label::new(RichText::new(found).small().color(theme::TEAL)).wrap(),
                    );
                }
                TaskStatus::Done { found: None } => {}
            }
        });
    start
}
