//! The rule-bearing part of a catalog item (事项): kind, handling, limits with their units,
//! questions and materials. Stored as JSON on the item row; the same value drives the browser.

use serde::{Deserialize, Serialize};

use crate::deadline::{ExtensionPolicy, TimeLimit};
use crate::lang::Lang;
use crate::materials::MaterialSpec;
use crate::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Licensing,
    Confirmation,
    Benefit,
    PublicService,
    Filing,
}

impl ItemKind {
    pub const ALL: [ItemKind; 5] =
        [ItemKind::Licensing, ItemKind::Confirmation, ItemKind::Benefit, ItemKind::PublicService, ItemKind::Filing];

    /// The serde name (`licensing`, `public_service`…), used in addresses.
    pub fn code(&self) -> &'static str {
        match self {
            ItemKind::Licensing => "licensing",
            ItemKind::Confirmation => "confirmation",
            ItemKind::Benefit => "benefit",
            ItemKind::PublicService => "public_service",
            ItemKind::Filing => "filing",
        }
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            ItemKind::Licensing => lang.pick("行政许可", "行政許可", "Licensing"),
            ItemKind::Confirmation => lang.pick("行政确认", "行政確認", "Confirmation"),
            ItemKind::Benefit => lang.pick("行政给付", "行政給付", "Benefit"),
            ItemKind::PublicService => lang.pick("公共服务", "公共服務", "Public service"),
            ItemKind::Filing => lang.pick("备案", "備案", "Filing"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handling {
    /// 即办件
    Instant,
    /// 承诺件
    Promised,
    /// 并联件
    Parallel,
}

impl Handling {
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            Handling::Instant => lang.pick("即办件", "即辦件", "Same-day"),
            Handling::Promised => lang.pick("承诺件", "承諾件", "Promised"),
            Handling::Parallel => lang.pick("并联件", "並聯件", "Parallel approval"),
        }
    }
}

/// A question asked before the materials (e.g. "is the land collectively owned?").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub code: String,
    pub text: String,
    /// (value, label)
    pub options: Vec<(String, String)>,
}

/// A special procedure whose time does not count (特殊环节).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialProcedure {
    pub name: String,
    pub usual_duration: TimeLimit,
    pub legal_basis: String,
}

/// Stored as JSON text (a `TEXT` column on both databases).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "ItemRules::from_json", to_str = "ItemRules::to_json")
)]
pub struct ItemRules {
    pub kind: ItemKind,
    pub handling: Handling,
    /// 法定时限
    pub statutory_limit: TimeLimit,
    /// 承诺时限 (the one the clock runs on)
    pub promised_limit: TimeLimit,
    pub extension: ExtensionPolicy,
    /// Yellow light threshold in working days.
    pub warning_days: u32,
    pub correction_term: TimeLimit,
    pub deferral_term: TimeLimit,
    #[serde(default)]
    pub fee_term: Option<TimeLimit>,
    #[serde(default)]
    pub questions: Vec<Question>,
    pub materials: Vec<MaterialSpec>,
    #[serde(default)]
    pub special_procedures: Vec<SpecialProcedure>,
    /// Life events / topics (主题) the item belongs to, for finding it: 开办企业, 工程建设…
    #[serde(default)]
    pub topics: Vec<String>,
    /// What the applicant receives (办理结果), e.g. 采矿许可证.
    #[serde(default)]
    pub result_name: String,
    /// Fees (收费标准) in words; empty = free of charge.
    #[serde(default)]
    pub fee_note: String,
    /// Whether the item may be applied for online (else at the window only).
    #[serde(default = "yes")]
    pub online: bool,
    /// Review stages in order (village → township → county); empty = the item's own review only.
    #[serde(default)]
    pub stages: Vec<ReviewStage>,
    /// Parallel approval: the co-departments (codes) asked for an opinion at unified acceptance.
    #[serde(default)]
    pub co_departments: Vec<String>,
    /// A public-interest item: each decision is published in 审批结果公示 by itself (withdrawn
    /// if its result is revoked) [001 第二十二条].
    #[serde(default)]
    pub publish_results: bool,
}

/// One step of an item's review, in a department given by its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStage {
    /// 村级审查, 乡镇审核…
    pub name: String,
    /// Department code (`XZF`); empty = the item's own department.
    #[serde(default)]
    pub department: String,
    pub role: Role,
    /// The stage's own clock, counted from the day the stage opens; none = only the case's clock.
    #[serde(default)]
    pub limit: Option<TimeLimit>,
}

fn yes() -> bool {
    true
}

impl ItemRules {
    /// Reads the stored form.
    pub fn from_json(text: &str) -> Result<ItemRules, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The stored form. (Plain data with string keys: serialising cannot fail.)
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Whether a grant owes a fee (the item names a payment term): its fee notice is due the day
    /// of the decision [001 第十八条], its delivery within 3 working days of payment.
    pub fn charges_fee(&self) -> bool {
        self.fee_term.is_some()
    }

    /// The limit the decision clock runs on: same day for instant items, the next working day for
    /// filings, otherwise the promised limit (never above the statutory one).
    pub fn decision_limit(&self) -> TimeLimit {
        match (self.handling, self.kind) {
            (Handling::Instant, _) => TimeLimit::working(0),
            (_, ItemKind::Filing) => TimeLimit::working(1),
            _ if self.promised_limit.unit == self.statutory_limit.unit => TimeLimit {
                amount: self.promised_limit.amount.min(self.statutory_limit.amount),
                unit: self.promised_limit.unit,
            },
            _ => self.promised_limit,
        }
    }

    /// Checks the item's own consistency (for the admin editor and the seed).
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.promised_limit.unit == self.statutory_limit.unit
            && self.promised_limit.amount > self.statutory_limit.amount
        {
            p.push("promised limit exceeds the statutory limit".to_string());
        }
        let mut codes = std::collections::BTreeSet::new();
        for m in &self.materials {
            if !codes.insert(&m.code) {
                p.push(format!("material code {} used twice", m.code));
            }
            if m.file_types.is_empty() {
                p.push(format!("material {} accepts no file type", m.code));
            }
            if let Some(c) = &m.condition {
                let mut qs = std::collections::BTreeSet::new();
                c.questions(&mut qs);
                for q in qs {
                    if !self.questions.iter().any(|x| x.code == q) {
                        p.push(format!("material {} refers to unknown question {q}", m.code));
                    }
                }
            }
        }
        if self.handling == Handling::Parallel
            && self.extension.max_working_days > ExtensionPolicy::PARALLEL_LEAD.max_working_days
        {
            p.push("a parallel approval's lead may extend by 5 working days at most".into());
        }
        p.extend(review_plan_problems(self));
        p
    }
}

/// Problems with an item's review plan: stages and co-departments (part of [`ItemRules::problems`]).
pub fn review_plan_problems(rules: &ItemRules) -> Vec<String> {
    let mut p = Vec::new();
    if rules.handling == Handling::Parallel && rules.co_departments.is_empty() {
        p.push("a parallel approval names no co-department".into());
    }
    if rules.handling != Handling::Parallel && !rules.co_departments.is_empty() {
        p.push("co-departments are only for parallel approval".into());
    }
    let mut seen = std::collections::BTreeSet::new();
    for d in &rules.co_departments {
        if !seen.insert(d) {
            p.push(format!("co-department {d} named twice"));
        }
    }
    for s in &rules.stages {
        if !matches!(s.role, Role::Reviewer | Role::Approver | Role::CoReviewer) {
            p.push(format!("stage {} must be reviewed by a reviewer, approver or co-reviewer", s.name));
        }
    }
    p
}

/// The items the crate's tests start from: a promised licence, 20 statutory and 5 promised working
/// days, 5 to correct, 30 calendar days for 容缺, no fee, no materials, stages or co-departments.
#[cfg(test)]
pub(crate) fn test_item() -> ItemRules {
    ItemRules {
        kind: ItemKind::Licensing,
        handling: Handling::Promised,
        statutory_limit: TimeLimit::working(20),
        promised_limit: TimeLimit::working(5),
        extension: ExtensionPolicy::LICENSING,
        warning_days: 2,
        correction_term: TimeLimit::working(5),
        deferral_term: TimeLimit::calendar(30),
        fee_term: None,
        questions: vec![],
        materials: vec![],
        special_procedures: vec![],
        topics: vec![],
        result_name: String::new(),
        fee_note: String::new(),
        online: true,
        stages: vec![],
        co_departments: vec![],
        publish_results: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::materials::*;

    fn item(handling: Handling, kind: ItemKind) -> ItemRules {
        ItemRules {
            kind,
            handling,
            materials: vec![MaterialSpec {
                code: "a".into(),
                name: "a".into(),
                form: MaterialForm::Copy,
                copies: 1,
                requirement: Requirement::Required,
                condition: Some(Condition::Eq { question: "q".into(), value: "y".into() }),
                deferrable: false,
                file_types: vec![],
                max_bytes: 1,
                note: String::new(),
                sample: None,
                blank_form: None,
            }],
            ..test_item()
        }
    }

    #[test]
    fn decision_limit_table() {
        assert_eq!(item(Handling::Instant, ItemKind::Licensing).decision_limit(), TimeLimit::working(0));
        assert_eq!(item(Handling::Promised, ItemKind::Filing).decision_limit(), TimeLimit::working(1));
        assert_eq!(item(Handling::Promised, ItemKind::Licensing).decision_limit(), TimeLimit::working(5));
    }

    #[test]
    fn problems_are_found() {
        let mut i = item(Handling::Parallel, ItemKind::Licensing);
        i.promised_limit = TimeLimit::working(25);
        let p = i.problems();
        assert_eq!(p.len(), 5, "{p:?}");
    }
}
