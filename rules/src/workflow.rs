//! Who must give an opinion before a case is decided, and by when (DESIGN.md §3):
//! - review stages: an ordered list of (department, role) steps — village → township → county for
//!   a rural homestead — one after the other, each with its own clock where the item defines one;
//! - parallel approval (并联审批): every co-department receives the case on the day of unified
//!   acceptance and answers within 10 working days (no extension); the lead decides when all have
//!   answered.
//!
//! The server keeps one task row per planned opinion; this module decides what the rows are, when
//! each opens and when it is due.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::deadline::{self, DeadlineError, Suspension, TimeLimit};
pub use crate::item::ReviewStage;
use crate::item::{Handling, ItemRules};
use crate::lang::Lang;
use crate::Role;

/// What an opinion is: a review stage's, or a co-department's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "TaskKind::decode", to_str = "TaskKind::code")
)]
pub enum TaskKind {
    /// A review stage (runs after the previous one).
    Stage,
    /// A co-department's opinion in a parallel approval (all at once).
    CoReview,
}

impl TaskKind {
    pub fn code(&self) -> &'static str {
        match self {
            TaskKind::Stage => "stage",
            TaskKind::CoReview => "co_review",
        }
    }

    pub fn from_code(s: &str) -> Option<TaskKind> {
        [TaskKind::Stage, TaskKind::CoReview].into_iter().find(|k| k.code() == s)
    }

    /// [`TaskKind::from_code`], refusing an unknown code (the database column's reading).
    pub fn decode(s: &str) -> Result<TaskKind, crate::codes::UnknownCode> {
        Self::from_code(s).ok_or_else(|| crate::codes::UnknownCode { what: "task kind", code: s.into() })
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            TaskKind::Stage => lang.pick("审查环节", "審查環節", "Review stage"),
            TaskKind::CoReview => lang.pick("并联协办", "並聯協辦", "Co-department opinion"),
        }
    }
}

/// What a reviewer asks an approver for: to suspend the clock (a special procedure) or to
/// extend the decision's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "RequestKind::decode", to_str = "RequestKind::code")
)]
pub enum RequestKind {
    Suspend,
    Extend,
}

impl RequestKind {
    pub const ALL: [RequestKind; 2] = [RequestKind::Suspend, RequestKind::Extend];

    pub fn code(&self) -> &'static str {
        match self {
            RequestKind::Suspend => "suspend",
            RequestKind::Extend => "extend",
        }
    }

    /// The code read back, refusing an unknown one (the database column's reading).
    pub fn decode(s: &str) -> Result<RequestKind, crate::codes::UnknownCode> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| crate::codes::UnknownCode { what: "request kind", code: s.into() })
    }

    /// What is asked, in a word: 中止 / 延期.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            RequestKind::Suspend => lang.pick("中止", "中止", "suspension"),
            RequestKind::Extend => lang.pick("延期", "延期", "extension"),
        }
    }
}

/// Where a reviewer's request stands: waiting for the approver, approved, refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "RequestStatus::decode", to_str = "RequestStatus::code")
)]
pub enum RequestStatus {
    Pending,
    Approved,
    Refused,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 3] = [RequestStatus::Pending, RequestStatus::Approved, RequestStatus::Refused];

    pub fn code(&self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Refused => "refused",
        }
    }

    /// The code read back, refusing an unknown one (the database column's reading).
    pub fn decode(s: &str) -> Result<RequestStatus, crate::codes::UnknownCode> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| crate::codes::UnknownCode { what: "request status", code: s.into() })
    }
}

/// A planned opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPlan {
    pub kind: TaskKind,
    /// Stages: 1, 2, 3… in order; co-reviews: 0 (parallel).
    pub order: u32,
    pub name: String,
    /// Department code; empty = the item's own.
    pub department: String,
    pub role: Role,
    pub limit: Option<TimeLimit>,
}

/// Every opinion a case of this item needs before its decision: the co-department opinions of a
/// parallel approval first (they all open at acceptance), then the review stages in order.
pub fn plan(rules: &ItemRules) -> Vec<TaskPlan> {
    let mut out = Vec::new();
    if rules.handling == Handling::Parallel {
        for d in &rules.co_departments {
            out.push(TaskPlan {
                kind: TaskKind::CoReview,
                order: 0,
                name: "并联审批协办意见".into(),
                department: d.clone(),
                role: Role::CoReviewer,
                limit: Some(deadline::CO_DEPARTMENT_ANSWER),
            });
        }
    }
    for (i, s) in rules.stages.iter().enumerate() {
        out.push(TaskPlan {
            kind: TaskKind::Stage,
            order: i as u32 + 1,
            name: s.name.clone(),
            department: s.department.clone(),
            role: s.role,
            limit: s.limit,
        });
    }
    out
}

/// The tasks that open on the day of (unified) acceptance: every co-review and the first stage.
pub fn open_at_acceptance(plan: &[TaskPlan]) -> Vec<&TaskPlan> {
    plan.iter().filter(|t| t.kind == TaskKind::CoReview || t.order == 1).collect()
}

/// The stage that opens once stage `answered` has given its opinion, if any.
pub fn next_stage(plan: &[TaskPlan], answered: u32) -> Option<&TaskPlan> {
    plan.iter().find(|t| t.kind == TaskKind::Stage && t.order == answered + 1)
}

/// The due day of a task opened on `opened` (the opening day is not counted); `None` when the task
/// has no clock of its own. Suspensions of the case stop every clock.
/// What the daily sweep must do for one open opinion (a task opened and not answered) of a case
/// under review on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskDuty {
    /// Its due date passed: the department that owes it is held to account
    /// (`AccountabilityKind::OpinionOverdue`), once per due date.
    Record { due: NaiveDate },
    /// A co-department silent past its 10 working days is recorded as having no objection
    /// (超时默认同意, [001 重庆, 003]), so the lead can decide. A review stage is not: its
    /// opinion is the review itself.
    DeemAgreed,
}

/// The duties of an open task of `kind`, due on `due`, on `today` (none while it has no clock or
/// its last day has not passed). The caller skips the tasks of a suspended case (their clocks
/// stand still) and of a case no longer under review.
pub fn task_duties(kind: TaskKind, due: Option<NaiveDate>, today: NaiveDate) -> Vec<TaskDuty> {
    match due {
        Some(due) if today > due => {
            let mut out = vec![TaskDuty::Record { due }];
            if kind == TaskKind::CoReview {
                out.push(TaskDuty::DeemAgreed);
            }
            out
        }
        _ => vec![],
    }
}

pub fn task_due(
    cal: &Calendar,
    task: &TaskPlan,
    opened: NaiveDate,
    suspensions: &[Suspension],
    today: NaiveDate,
) -> Result<Option<NaiveDate>, DeadlineError> {
    match (task.kind, task.limit) {
        (TaskKind::CoReview, _) => deadline::co_department_due(cal, opened, suspensions, today).map(Some),
        (TaskKind::Stage, Some(limit)) => deadline::due_date(cal, opened, limit, suspensions, today).map(Some),
        (TaskKind::Stage, None) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opinion_duties_table() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = day("2026-10-12");
        let rows: [(TaskKind, Option<&str>, Vec<TaskDuty>); 6] = [
            // a co-department past its term: recorded, and no objection is assumed
            (
                TaskKind::CoReview,
                Some("2026-10-09"),
                vec![TaskDuty::Record { due: day("2026-10-09") }, TaskDuty::DeemAgreed],
            ),
            // a stage past its term: recorded only
            (TaskKind::Stage, Some("2026-10-09"), vec![TaskDuty::Record { due: day("2026-10-09") }]),
            // the last day itself: nothing yet
            (TaskKind::CoReview, Some("2026-10-12"), vec![]),
            (TaskKind::Stage, Some("2026-10-12"), vec![]),
            (TaskKind::CoReview, Some("2026-10-20"), vec![]),
            // a stage without a clock (the county's own review runs on the case's)
            (TaskKind::Stage, None, vec![]),
        ];
        for (kind, due, want) in rows {
            assert_eq!(task_duties(kind, due.map(day), today), want, "{kind:?} due {due:?}");
        }
    }
    use crate::deadline::ExtensionPolicy;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal() -> Calendar {
        Calendar::shipped()
    }

    fn item(handling: Handling, co: &[&str], stages: &[(&str, &str, Option<u32>)]) -> ItemRules {
        ItemRules {
            handling,
            promised_limit: TimeLimit::working(20),
            extension: ExtensionPolicy::PARALLEL_LEAD,
            stages: stages
                .iter()
                .map(|(n, dep, l)| ReviewStage {
                    name: n.to_string(),
                    department: dep.to_string(),
                    role: Role::Reviewer,
                    limit: l.map(TimeLimit::working),
                })
                .collect(),
            co_departments: co.iter().map(|s| s.to_string()).collect(),
            publish_results: false,
            ..crate::item::test_item()
        }
    }

    #[test]
    fn plan_table() {
        // (handling, co-departments, stages) → (kinds and orders, opened at acceptance)
        type Row = (ItemRules, Vec<(TaskKind, u32, &'static str)>, usize);
        let cases: Vec<Row> = vec![
            (item(Handling::Promised, &[], &[]), vec![], 0),
            (
                item(Handling::Parallel, &["ZRZY", "SCJG"], &[]),
                vec![(TaskKind::CoReview, 0, "ZRZY"), (TaskKind::CoReview, 0, "SCJG")],
                2,
            ),
            (
                item(
                    Handling::Promised,
                    &[],
                    &[("村级审查", "CWH", Some(5)), ("乡镇审核", "XZF", Some(10)), ("县级审批", "", None)],
                ),
                vec![(TaskKind::Stage, 1, "CWH"), (TaskKind::Stage, 2, "XZF"), (TaskKind::Stage, 3, "")],
                1,
            ),
            // co-departments are ignored unless the item is a parallel approval
            (item(Handling::Promised, &["ZRZY"], &[]), vec![], 0),
        ];
        for (rules, want, opened) in cases {
            let p = plan(&rules);
            let got: Vec<(TaskKind, u32, &str)> = p.iter().map(|t| (t.kind, t.order, t.department.as_str())).collect();
            assert_eq!(got, want);
            assert_eq!(open_at_acceptance(&p).len(), opened);
        }
    }

    #[test]
    fn stages_follow_each_other() {
        let rules = item(Handling::Promised, &[], &[("a", "A", None), ("b", "B", None), ("c", "C", None)]);
        let p = plan(&rules);
        assert_eq!(next_stage(&p, 1).map(|t| t.name.as_str()), Some("b"));
        assert_eq!(next_stage(&p, 2).map(|t| t.name.as_str()), Some("c"));
        assert_eq!(next_stage(&p, 3), None);
    }

    #[test]
    fn task_due_table() {
        let cal = cal();
        let rules = item(Handling::Parallel, &["ZRZY"], &[("乡镇审核", "XZF", Some(5)), ("县级", "", None)]);
        let p = plan(&rules);
        let today = d("2025-10-09");
        // accepted Thu 2025-10-09: ten working days, the make-up Saturday 10-11 among them → Wed 10-22
        assert_eq!(task_due(&cal, &p[0], d("2025-10-09"), &[], today).unwrap(), Some(d("2025-10-22")));
        // accepted Tue 2025-09-30 (day before the National Day week): 10-01..10-08 are holidays,
        // 10-11 (Sat) is a make-up working day
        assert_eq!(
            task_due(&cal, &p[0], d("2025-09-30"), &[], today).unwrap(),
            Some(cal.nth_working_day_after(d("2025-09-30"), 10).unwrap())
        );
        // a stage with five working days; a suspension of its whole second week moves it by five
        assert_eq!(task_due(&cal, &p[1], d("2025-10-13"), &[], today).unwrap(), Some(d("2025-10-20")));
        let susp = [Suspension::closed(d("2025-10-14"), d("2025-10-20"))];
        assert_eq!(task_due(&cal, &p[1], d("2025-10-13"), &susp, today).unwrap(), Some(d("2025-10-27")));
        // a stage without its own clock
        assert_eq!(task_due(&cal, &p[2], d("2025-10-13"), &[], today).unwrap(), None);
    }

    #[test]
    fn problems_table() {
        assert_eq!(crate::item::review_plan_problems(&item(Handling::Parallel, &[], &[])).len(), 1);
        assert_eq!(crate::item::review_plan_problems(&item(Handling::Promised, &["X"], &[])).len(), 1);
        assert_eq!(crate::item::review_plan_problems(&item(Handling::Parallel, &["X", "X"], &[])).len(), 1);
        assert!(
            crate::item::review_plan_problems(&item(Handling::Parallel, &["X", "Y"], &[("a", "", None)])).is_empty()
        );
    }
}
