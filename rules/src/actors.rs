//! Who acts on a case and how it came in: the roles (DESIGN.md §1) and the channels.

use serde::{Deserialize, Serialize};

use crate::codes::UnknownCode;
use crate::lang::Lang;

/// How a case came in: applied for online, or taken in at the counter (帮办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "Channel::decode", to_str = "Channel::code")
)]
pub enum Channel {
    #[default]
    Online,
    Counter,
}

impl Channel {
    pub fn code(&self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Counter => "counter",
        }
    }

    pub fn decode(code: &str) -> Result<Channel, UnknownCode> {
        [Channel::Online, Channel::Counter]
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or_else(|| UnknownCode { what: "channel", code: code.into() })
    }
}

/// Roles of DESIGN.md §1, plus the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "Role::decode", to_str = "Role::as_str")
)]
pub enum Role {
    Applicant,
    WindowClerk,
    Reviewer,
    Approver,
    CoReviewer,
    Supervisor,
    Admin,
    /// 信息公开员: writes and approves a department's 政务公开 entries (no case)
    Publisher,
    /// Scheduled rules (overdue corrections, unpaid fees).
    System,
}

impl Role {
    pub const STAFF: [Role; 7] = [
        Role::WindowClerk,
        Role::Reviewer,
        Role::Approver,
        Role::CoReviewer,
        Role::Supervisor,
        Role::Admin,
        Role::Publisher,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::WindowClerk => "window_clerk",
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::CoReviewer => "co_reviewer",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Publisher => "publisher",
            Role::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::Applicant,
            Role::WindowClerk,
            Role::Reviewer,
            Role::Approver,
            Role::CoReviewer,
            Role::Supervisor,
            Role::Admin,
            Role::Publisher,
            Role::System,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// [`parse`](Role::parse) with an error naming the code.
    pub fn decode(code: &str) -> Result<Role, UnknownCode> {
        Role::parse(code).ok_or_else(|| UnknownCode { what: "role", code: code.into() })
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            Role::Applicant => lang.pick("申请人", "申請人", "Applicant"),
            Role::WindowClerk => lang.pick("窗口受理员", "窗口受理員", "Window clerk"),
            Role::Reviewer => lang.pick("审查员", "審查員", "Reviewer"),
            Role::Approver => lang.pick("审批负责人", "審批負責人", "Approver"),
            Role::CoReviewer => lang.pick("协办部门", "協辦部門", "Co-reviewer"),
            Role::Supervisor => lang.pick("电子监察", "電子監察", "Supervisor"),
            Role::Admin => lang.pick("管理员", "管理員", "Administrator"),
            Role::Publisher => lang.pick("信息公开员", "信息公開員", "Publications editor"),
            Role::System => lang.pick("系统", "系統", "System"),
        }
    }
}
