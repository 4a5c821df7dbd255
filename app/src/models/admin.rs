//! The administrator's commands, as the admin pages' forms send them.

use serde::{Deserialize, Serialize};

/// One change an administrator asks for: the variant is the form's `action` field, its fields
/// are what was typed, as text (the server parses each, answering a bad one next to its field).
/// The server matches on this, never on the action's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AdminCommand {
    /// Adds a department, or renames the one with this code.
    Department {
        #[serde(default)]
        code: String,
        #[serde(default)]
        name: String,
    },
    /// A new staff account with its first role.
    Staff {
        #[serde(default)]
        name: String,
        #[serde(default)]
        role: String,
        #[serde(default)]
        department: String,
        #[serde(default)]
        username: String,
        #[serde(default)]
        password: String,
    },
    StaffActive {
        #[serde(default)]
        id: String,
        #[serde(default)]
        active: String,
    },
    StaffPassword {
        #[serde(default)]
        id: String,
        #[serde(default)]
        password: String,
    },
    /// Removes staff member `id`'s second factor (a lost phone): the next sign-in sets one up again
    /// where a role requires it.
    StaffSecondFactor {
        #[serde(default)]
        id: String,
    },
    /// Grants staff member `id` a role in a department.
    RoleAdd {
        #[serde(default)]
        id: String,
        #[serde(default)]
        role: String,
        #[serde(default)]
        department: String,
    },
    /// Withdraws the role grant `id`.
    RoleRemove {
        #[serde(default)]
        id: String,
    },
    CalendarDay {
        #[serde(default)]
        date: String,
        #[serde(default)]
        kind: String,
        #[serde(default)]
        name: String,
    },
    /// A year's schedule file (国务院办公厅 notice, as text).
    CalendarImport {
        #[serde(default)]
        schedule: String,
    },
    /// A notice template; `new` is `1` on the form that adds one for another kind.
    Template {
        #[serde(default)]
        kind: String,
        #[serde(default)]
        lang: String,
        #[serde(default)]
        new: String,
        #[serde(default)]
        subject: String,
        #[serde(default)]
        body: String,
    },
    TemplateRemove {
        #[serde(default)]
        kind: String,
        #[serde(default)]
        lang: String,
    },
    /// A new version of an item; `published` and `publish_results` are checkboxes (absent when
    /// unticked); the box, not the rule data's JSON, says whether decisions are published.
    Item {
        #[serde(default)]
        code: String,
        #[serde(default)]
        name: String,
        #[serde(default)]
        summary: String,
        #[serde(default)]
        rules: String,
        #[serde(default)]
        published: Option<String>,
        #[serde(default)]
        publish_results: Option<String>,
    },
}

impl AdminCommand {
    /// The command's name in the security log.
    pub fn event(&self) -> &'static str {
        match self {
            AdminCommand::Department { .. } => "admin.department",
            AdminCommand::Staff { .. } => "admin.staff_create",
            AdminCommand::StaffActive { .. } => "admin.staff_active",
            AdminCommand::StaffPassword { .. } => "admin.staff_password",
            AdminCommand::StaffSecondFactor { .. } => "admin.staff_totp_reset",
            AdminCommand::RoleAdd { .. } => "admin.role_add",
            AdminCommand::RoleRemove { .. } => "admin.role_remove",
            AdminCommand::CalendarDay { .. } => "admin.calendar_day",
            AdminCommand::CalendarImport { .. } => "admin.calendar_import",
            AdminCommand::Template { .. } => "admin.template",
            AdminCommand::TemplateRemove { .. } => "admin.template_remove",
            AdminCommand::Item { .. } => "admin.item",
        }
    }

    /// What the command is on, as the security log names it (a row id, a code, a date; never a password).
    pub fn target(&self) -> String {
        match self {
            AdminCommand::Department { code, .. } | AdminCommand::Item { code, .. } => code.trim().to_string(),
            AdminCommand::Staff { username, department, role, .. } => {
                format!("{} {}@{}", username.trim(), role.trim(), department.trim())
            }
            AdminCommand::StaffActive { id, active } => format!("staff {} active={}", id.trim(), active.trim()),
            AdminCommand::StaffPassword { id, .. } | AdminCommand::StaffSecondFactor { id } => {
                format!("staff {}", id.trim())
            }
            AdminCommand::RoleAdd { id, role, department } => {
                format!("staff {} {}@{}", id.trim(), role.trim(), department.trim())
            }
            AdminCommand::RoleRemove { id } => format!("grant {}", id.trim()),
            AdminCommand::CalendarDay { date, kind, .. } => format!("{} {}", date.trim(), kind.trim()),
            AdminCommand::CalendarImport { schedule } => {
                schedule.lines().next().unwrap_or("").chars().take(60).collect()
            }
            AdminCommand::Template { kind, lang, .. } | AdminCommand::TemplateRemove { kind, lang } => {
                format!("{}-{}", kind.trim(), lang.trim())
            }
        }
    }

    /// The form's fields as they were sent, without a password: what a refused form shows again.
    pub fn values(&self) -> std::collections::BTreeMap<String, String> {
        let mut v = super::form_values(self);
        v.remove("password");
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::StaffAction;

    #[test]
    fn a_refused_form_gets_its_fields_back_without_the_password() {
        let c = AdminCommand::Staff {
            name: "王敏".into(),
            role: "window_clerk".into(),
            department: "1".into(),
            username: "wm".into(),
            password: "secret-Secret-1".into(),
        };
        let v = c.values();
        assert_eq!(v["action"], "staff");
        assert_eq!(v["name"], "王敏");
        assert!(!v.contains_key("password"));
        let unticked = AdminCommand::Item {
            code: "ZRZY-004".into(),
            name: "n".into(),
            summary: String::new(),
            rules: "{}".into(),
            published: None,
            publish_results: Some("on".into()),
        };
        let v = unticked.values();
        assert!(!v.contains_key("published"), "an unticked box is not sent back as text");
        assert_eq!(v["publish_results"], "on", "a ticked one is");
    }

    #[test]
    fn a_clerk_s_notes_travel_flat_with_the_action() {
        let a = StaffAction::RequestCorrection {
            comment: "请补齐".into(),
            notes: [("note_id_card".to_string(), "不清晰".to_string())].into(),
        };
        let v = a.values();
        assert_eq!(v["action"], "request_correction");
        assert_eq!(v["note_id_card"], "不清晰");
        assert_eq!(v["comment"], "请补齐");
        // what the form sends is what the server reads
        let back: StaffAction = serde_json::from_value(serde_json::to_value(&v).unwrap()).unwrap();
        assert_eq!(back, a);
        assert_eq!(StaffAction::Accept.values()["action"], StaffAction::Accept.code());
    }
}
