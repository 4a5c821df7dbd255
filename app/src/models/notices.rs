//! The notices a case produces (printable at `/notices/{id}/{file}`): which exist follows from
//! the case's public events, so the case page of the applicant and of the staff list the same.

use rules::{CaseState, EventKind, Lang};
use serde::{Deserialize, Serialize};

/// One printable notice of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 收件凭证: what was received and when, and by when it must be accepted
    Receipt,
    /// 受理通知书
    Acceptance,
    /// 补正材料通知书 (the one-time notice)
    Correction,
    /// 特殊程序告知书: a suspension for a hearing, an expert review, a test…
    Suspension,
    /// 延长办理期限告知书
    Extension,
    /// 缴费通知书
    Fee,
    /// 不予受理决定书 / 不予行政许可决定书 / 不予备案通知书
    Refusal,
    /// 送达回证
    Delivery,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 8] = [
        NoticeKind::Receipt,
        NoticeKind::Acceptance,
        NoticeKind::Correction,
        NoticeKind::Suspension,
        NoticeKind::Extension,
        NoticeKind::Fee,
        NoticeKind::Refusal,
        NoticeKind::Delivery,
    ];

    /// The file name in its URL.
    pub fn file(self) -> &'static str {
        match self {
            NoticeKind::Receipt => "receipt.pdf",
            NoticeKind::Acceptance => "acceptance.pdf",
            NoticeKind::Correction => "correction.pdf",
            NoticeKind::Suspension => "suspension.pdf",
            NoticeKind::Extension => "extension.pdf",
            NoticeKind::Fee => "fee.pdf",
            NoticeKind::Refusal => "refusal.pdf",
            NoticeKind::Delivery => "delivery.pdf",
        }
    }

    pub fn from_file(file: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.file() == file)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            NoticeKind::Receipt => lang.pick("收件凭证", "收件憑證", "Receipt"),
            NoticeKind::Acceptance => lang.pick("受理通知书", "受理通知書", "Acceptance notice"),
            NoticeKind::Correction => lang.pick("补正材料通知书", "補正材料通知書", "Correction notice"),
            NoticeKind::Suspension => lang.pick("特殊程序告知书", "特殊程序告知書", "Special procedure notice"),
            NoticeKind::Extension => lang.pick("延长办理期限告知书", "延長辦理期限告知書", "Extension notice"),
            NoticeKind::Fee => lang.pick("缴费通知书", "繳費通知書", "Fee notice"),
            NoticeKind::Refusal => lang.pick("决定书", "決定書", "Decision"),
            NoticeKind::Delivery => lang.pick("送达回证", "送達回證", "Proof of delivery"),
        }
    }

    /// Whether a public event (its action and the state it moved into) gives the case this notice.
    fn made_by(self, action: EventKind, to: CaseState) -> bool {
        match self {
            NoticeKind::Receipt => action == EventKind::Submit,
            NoticeKind::Acceptance => matches!(action, EventKind::Accept | EventKind::DeemedAccepted),
            NoticeKind::Correction => action == EventKind::RequestCorrection,
            NoticeKind::Suspension => action == EventKind::Suspend,
            NoticeKind::Extension => action == EventKind::Extend,
            NoticeKind::Fee => action == EventKind::IssueFeeNotice,
            NoticeKind::Refusal => CaseState::REFUSALS.contains(&to),
            NoticeKind::Delivery => action == EventKind::Deliver,
        }
    }

    /// The notices a case's public events (action, state moved into) have made, in order.
    pub fn of_events(events: impl IntoIterator<Item = (EventKind, CaseState)> + Clone) -> Vec<NoticeKind> {
        Self::ALL.into_iter().filter(|k| events.clone().into_iter().any(|(a, to)| k.made_by(a, to))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case's public events (action, state moved into) and the notices they make.
    type Row<'a> = (&'a [(&'a str, &'a str)], &'a [NoticeKind]);

    #[test]
    fn notices_follow_the_events() {
        let rows: &[Row] = &[
            (&[("submit", "submitted")], &[NoticeKind::Receipt]),
            (
                &[("submit", "submitted"), ("request_correction", "awaiting_correction"), ("resubmit", "submitted")],
                &[NoticeKind::Receipt, NoticeKind::Correction],
            ),
            (&[("deemed_accepted", "accepted")], &[NoticeKind::Acceptance]),
            (
                &[
                    ("accept", "accepted"),
                    ("suspend", "suspended"),
                    ("resume", "in_review"),
                    ("extend", "in_review"),
                    ("decide", "decided_grant"),
                    ("issue_fee_notice", "awaiting_payment"),
                    ("fee_expired", "denial_proposed"),
                    ("approve_denial", "decided_deny"),
                    ("deliver", "delivered"),
                ],
                &[
                    NoticeKind::Acceptance,
                    NoticeKind::Suspension,
                    NoticeKind::Extension,
                    NoticeKind::Fee,
                    NoticeKind::Refusal,
                    NoticeKind::Delivery,
                ],
            ),
            (&[("approve_refusal", "not_accepted")], &[NoticeKind::Refusal]),
        ];
        for (events, want) in rows {
            let kinds = events.iter().map(|(a, to)| (EventKind::parse(a).unwrap(), CaseState::decode(to).unwrap()));
            assert_eq!(NoticeKind::of_events(kinds), *want, "{events:?}");
        }
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::from_file(k.file()), Some(k));
        }
    }
}
