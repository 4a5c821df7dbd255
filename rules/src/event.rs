//! What can happen to a case: the kinds of its recorded events. One type for the event log, the
//! applicant's inbox and notices, and the staff's history, with the label each audience reads.
//!
//! A kind is either a transition of the state machine (`Action::event`) or a note that leaves
//! the state as it is (an opinion, an assignment, a request to the approver, a term set). Notes
//! the applicant never sees are marked internal where they are written.

use serde::{Deserialize, Serialize};

use crate::codes::UnknownCode;
use crate::lang::Lang;

macro_rules! event_kinds {
    ($($variant:ident => $code:literal,)+) => {
        /// The kind of a case event; its [`code`](EventKind::code) is what the database stores.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(
            feature = "sea-orm",
            derive(sea_orm::DeriveValueType),
            sea_orm(value_type = "String", from_str = "EventKind::parse", to_str = "EventKind::code")
        )]
        pub enum EventKind {
            $($variant,)+
        }

        impl EventKind {
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant,)+];

            /// Stable code for the database, forms and templates.
            pub fn code(&self) -> &'static str {
                match self {
                    $(EventKind::$variant => $code,)+
                }
            }
        }
    };
}

event_kinds! {
    Submit => "submit",
    Resubmit => "resubmit",
    Accept => "accept",
    DeemedAccepted => "deemed_accepted",
    RequestCorrection => "request_correction",
    Reject => "reject",
    CorrectionExpired => "correction_expired",
    ApproveRefusal => "approve_refusal",
    StartReview => "start_review",
    Suspend => "suspend",
    Resume => "resume",
    Extend => "extend",
    Decide => "decide",
    File => "file",
    RecordHigherDecision => "record_higher_decision",
    IssueFeeNotice => "issue_fee_notice",
    RecordPayment => "record_payment",
    FeeExpired => "fee_expired",
    ApproveDenial => "approve_denial",
    PrepareDelivery => "prepare_delivery",
    Deliver => "deliver",
    Close => "close",
    Withdraw => "withdraw",
    Opinion => "opinion",
    OpinionDeemed => "opinion_deemed",
    Assign => "assign",
    RequestSuspension => "request_suspension",
    RequestExtension => "request_extension",
    RefuseRequest => "refuse_request",
    AnswerTask => "answer_task",
    FilingTerm => "filing_term",
    ConfirmSupplement => "confirm_supplement",
    SupplementOverdue => "supplement_overdue",
}

impl EventKind {
    pub fn from_code(code: &str) -> Option<EventKind> {
        EventKind::ALL.iter().copied().find(|k| k.code() == code)
    }

    /// [`from_code`](EventKind::from_code) with an error naming the code.
    pub fn parse(code: &str) -> Result<EventKind, UnknownCode> {
        EventKind::from_code(code).ok_or_else(|| UnknownCode { what: "event kind", code: code.into() })
    }

    /// The applicant sees what was done to their case; the notices they receive say the same.
    pub fn label(&self, lang: Lang) -> &'static str {
        use EventKind::*;
        match self {
            Submit => lang.pick("提交申请", "提交申請", "Application submitted"),
            Resubmit => lang.pick("补正后重新提交", "補正後重新提交", "Corrected and resubmitted"),
            Accept => lang.pick("受理", "受理", "Accepted"),
            DeemedAccepted => lang.pick(
                "逾期未答复，依法视为受理",
                "逾期未答覆，依法視為受理",
                "Accepted by law (not answered within 5 working days)",
            ),
            OpinionDeemed => lang.pick(
                "协办部门逾期未回复，视为同意",
                "協辦部門逾期未回覆，視為同意",
                "A co-department did not answer in time: no objection",
            ),
            ConfirmSupplement => lang.pick("容缺材料已补齐", "容缺材料已補齊", "Deferred materials confirmed"),
            SupplementOverdue => lang.pick(
                "容缺材料逾期未补齐，办理结果无效",
                "容缺材料逾期未補齊，辦理結果無效",
                "Deferred materials not supplied in time: the result is void",
            ),
            RequestCorrection => lang.pick("一次性告知补正", "一次性告知補正", "Correction requested"),
            Reject => lang.pick("不予受理", "不予受理", "Not accepted"),
            CorrectionExpired => lang.pick(
                "补正逾期，拟不予受理（报负责人批准）",
                "補正逾期，擬不予受理（報負責人批准）",
                "Correction not answered in time: refusal proposed",
            ),
            ApproveRefusal => {
                lang.pick("经负责人批准，不予受理", "經負責人批准，不予受理", "Not accepted (approved by the head)")
            }
            StartReview => lang.pick("开始审查", "開始審查", "Review started"),
            Suspend => lang.pick("中止（不计时）", "中止（不計時）", "Suspended (clock stopped)"),
            Resume => lang.pick("恢复办理", "恢復辦理", "Resumed"),
            Extend => lang.pick("延长办理期限", "延長辦理期限", "Time limit extended"),
            Decide => lang.pick("作出决定", "作出決定", "Decision made"),
            File => lang.pick("作出备案结论", "作出備案結論", "Filing concluded"),
            RecordHigherDecision => lang.pick("上级机关作出决定", "上級機關作出決定", "The higher authority decided"),
            IssueFeeNotice => lang.pick("缴费通知", "繳費通知", "Fee notice"),
            RecordPayment => lang.pick("已缴费", "已繳費", "Payment received"),
            FeeExpired => lang.pick(
                "逾期未缴费，拟不予批准（报负责人批准）",
                "逾期未繳費，擬不予批准（報負責人批准）",
                "Fee not paid in time: denial proposed",
            ),
            ApproveDenial => {
                lang.pick("经负责人批准，不予批准", "經負責人批准，不予批准", "Denied (approved by the head)")
            }
            PrepareDelivery => lang.pick("准备送达", "準備送達", "Ready for delivery"),
            Deliver => lang.pick("送达", "送達", "Delivered"),
            Close => lang.pick("办结", "辦結", "Closed"),
            Withdraw => lang.pick("撤回申请", "撤回申請", "Withdrawn"),
            // Written as internal notes: the applicant's history never lists them.
            Opinion | Assign | RequestSuspension | RequestExtension | RefuseRequest | AnswerTask | FilingTerm => {
                self.staff_label(lang)
            }
        }
    }

    /// Staff read the internal notes by their own names, every other kind as the applicant does.
    pub fn staff_label(&self, lang: Lang) -> &'static str {
        use EventKind::*;
        match self {
            Opinion => lang.pick("审查意见", "審查意見", "Opinion"),
            Assign => lang.pick("分派审查员", "分派審查員", "Assigned"),
            RequestSuspension => lang.pick("申请中止", "申請中止", "Suspension requested"),
            RequestExtension => lang.pick("申请延期", "申請延期", "Extension requested"),
            RefuseRequest => lang.pick("不同意申请", "不同意申請", "Request refused"),
            AnswerTask => lang.pick("出具意见", "出具意見", "Opinion given"),
            FilingTerm => lang.pick("备案结论期限", "備案結論期限", "Filing's term set"),
            _ => self.label(lang),
        }
    }

    /// The kinds the applicant is sent a notice of (e-mail / SMS), each of which may have its own
    /// template: what staff or the rules did to the case, not what the applicant did themselves.
    pub fn notifies(&self) -> bool {
        use EventKind::*;
        !matches!(
            self,
            Submit
                | Resubmit
                | Withdraw
                | Opinion
                | OpinionDeemed
                | Assign
                | RequestSuspension
                | RequestExtension
                | RefuseRequest
                | AnswerTask
                | FilingTerm
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for k in EventKind::ALL {
            assert!(seen.insert(k.code()), "{} twice", k.code());
            assert_eq!(EventKind::parse(k.code()), Ok(*k));
            assert_eq!(serde_json::to_string(k).unwrap(), format!("\"{}\"", k.code()));
        }
        assert_eq!(EventKind::parse("nonsense"), Err(UnknownCode { what: "event kind", code: "nonsense".into() }));
    }

    #[test]
    fn every_kind_has_its_own_label_in_every_language() {
        for lang in [Lang::ZhHans, Lang::ZhHant, Lang::En] {
            let mut applicant = std::collections::BTreeMap::new();
            let mut staff = std::collections::BTreeMap::new();
            for k in EventKind::ALL {
                assert!(!k.label(lang).is_empty() && !k.staff_label(lang).is_empty());
                if let Some(other) = applicant.insert(k.label(lang), k) {
                    panic!("{k:?} and {other:?} read alike in {lang:?}: {}", k.label(lang));
                }
                assert!(staff.insert(k.staff_label(lang), k).is_none(), "{k:?} {lang:?}");
            }
        }
    }

    #[test]
    fn the_applicant_is_told_of_what_others_did() {
        let told: Vec<&str> = EventKind::ALL.iter().filter(|k| k.notifies()).map(|k| k.code()).collect();
        assert_eq!(told.len(), 22);
        assert!(told.contains(&"deemed_accepted") && told.contains(&"confirm_supplement"));
        assert!(!told.contains(&"submit") && !told.contains(&"opinion"));
    }
}
