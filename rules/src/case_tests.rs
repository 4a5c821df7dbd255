//! The table and property tests of `case`.

use super::*;
use CaseState::*;

#[test]
fn an_action_is_recorded_under_its_own_code() {
    for a in all_actions() {
        assert_eq!(a.event().code(), a.code());
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn all_actions() -> Vec<Action> {
    vec![
        Action::Submit,
        Action::Accept,
        Action::RequestCorrection,
        Action::Reject { reason: "不属于本机关职权范围".into() },
        Action::Resubmit,
        Action::DeemAccepted,
        Action::CorrectionExpired,
        Action::ApproveRefusal,
        Action::ApproveDenial,
        Action::StartReview,
        Action::Suspend { kind: "hearing".into(), reason: "听证".into() },
        Action::Resume,
        Action::Extend { days: 10, reason: "需专家评审".into() },
        Action::Decide { kind: DecisionKind::Grant, reason: String::new() },
        Action::Decide { kind: DecisionKind::Deny, reason: "不符合条件".into() },
        Action::Decide { kind: DecisionKind::Forward, reason: "需上级审批".into() },
        Action::RecordHigherDecision { kind: DecisionKind::Grant, reason: String::new() },
        Action::RecordHigherDecision { kind: DecisionKind::Deny, reason: "上级机关不予批准".into() },
        Action::RecordHigherDecision { kind: DecisionKind::Forward, reason: "再上报".into() },
        Action::File { kind: DecisionKind::Grant, reason: String::new() },
        Action::File { kind: DecisionKind::Deny, reason: "缺少专家审查意见".into() },
        Action::IssueFeeNotice,
        Action::RecordPayment,
        Action::FeeExpired,
        Action::PrepareDelivery,
        Action::Deliver,
        Action::Close,
        Action::Withdraw,
    ]
}

/// The full table: every (state, action) pair, with the first role allowed for the action and
/// facts under which every guard passes. `None` = refused as WrongState.
#[test]
fn every_state_action_pair() {
    let mut facts = CaseFacts::on(d("2025-10-20"));
    facts.correction_due = Some(d("2025-10-10"));
    facts.receipt_due = Some(d("2025-10-10"));
    facts.fee_due = Some(d("2025-10-10"));
    let expected = |s: CaseState, a: &Action| -> Option<CaseState> {
        Some(match (s, a) {
            (Draft, Action::Submit) => Submitted,
            (Submitted, Action::Accept | Action::DeemAccepted) => Accepted,
            (Submitted, Action::RequestCorrection) => AwaitingCorrection,
            (Submitted | AwaitingCorrection, Action::Reject { .. }) => NotAccepted,
            (AwaitingCorrection, Action::CorrectionExpired) => RefusalProposed,
            (RefusalProposed, Action::ApproveRefusal) => NotAccepted,
            (Accepted, Action::StartReview) => InReview,
            (InReview, Action::Suspend { .. }) => Suspended,
            (Suspended, Action::Resume) => InReview,
            (InReview, Action::Extend { .. }) => InReview,
            (InReview, Action::Decide { kind, .. }) => Decided(*kind),
            (
                Decided(DecisionKind::Forward),
                Action::RecordHigherDecision { kind: k @ (DecisionKind::Grant | DecisionKind::Deny), .. },
            ) => Decided(*k),
            (Decided(DecisionKind::Grant), Action::IssueFeeNotice) => AwaitingPayment,
            (AwaitingPayment, Action::RecordPayment) => ReadyForDelivery,
            (AwaitingPayment, Action::FeeExpired) => DenialProposed,
            (DenialProposed, Action::ApproveDenial) => Decided(DecisionKind::Deny),
            (Decided(DecisionKind::Grant | DecisionKind::Deny), Action::PrepareDelivery) => ReadyForDelivery,
            (ReadyForDelivery, Action::Deliver) => Delivered,
            (Delivered, Action::Close) => Closed,
            (s, Action::Withdraw) if s.before_decision() => Withdrawn,
            _ => return None,
        })
    };
    let mut checked = 0;
    for s in CaseState::ALL {
        for a in all_actions() {
            let role = a.roles()[0];
            // Resubmit needs a running correction period; test it separately below.
            let f = if matches!(a, Action::Resubmit) {
                CaseFacts { today: d("2025-10-01"), ..facts.clone() }
            } else {
                facts.clone()
            };
            let got = transition(s, &a, role, &f);
            let want = if matches!((s, &a), (AwaitingCorrection, Action::Resubmit)) {
                Some(Submitted)
            } else {
                expected(s, &a)
            };
            match want {
                Some(to) => assert_eq!(got.map(|t| t.to), Ok(to), "{s:?} + {a:?}"),
                None => assert!(matches!(got, Err(Refusal::WrongState { .. })), "{s:?} + {a:?} → {got:?}"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, CaseState::ALL.len() * all_actions().len());
}

#[test]
fn a_filing_reads_as_a_filing() {
    let l = |s: CaseState, filing| s.label_for(filing, Lang::ZhHans);
    assert_eq!(l(Submitted, true), "已提交，待备案");
    assert_eq!(l(Submitted, false), "已提交，待受理");
    assert_eq!(l(Decided(DecisionKind::Grant), true), "予以备案");
    assert_eq!(l(Decided(DecisionKind::Grant), false), "准予");
    assert_eq!(l(Decided(DecisionKind::Deny), true), "不予备案");
    for s in CaseState::ALL {
        if !matches!(s, Submitted | Decided(DecisionKind::Grant | DecisionKind::Deny)) {
            assert_eq!(l(s, true), l(s, false), "{s:?}");
        }
    }
}

#[test]
fn roles_are_enforced() {
    let f = CaseFacts::on(d("2025-10-20"));
    let cases = [
        (Submitted, Action::Accept, Role::Applicant),
        (InReview, Action::Decide { kind: DecisionKind::Grant, reason: String::new() }, Role::Reviewer),
        (InReview, Action::Extend { days: 5, reason: "x".into() }, Role::WindowClerk),
        (Submitted, Action::Withdraw, Role::WindowClerk),
        (AwaitingCorrection, Action::CorrectionExpired, Role::WindowClerk),
        (AwaitingCorrection, Action::CorrectionExpired, Role::Approver),
        // the head approves the refusal, not the window, not the scheduler
        (RefusalProposed, Action::ApproveRefusal, Role::WindowClerk),
        (RefusalProposed, Action::ApproveRefusal, Role::System),
        (DenialProposed, Action::ApproveDenial, Role::WindowClerk),
        (DenialProposed, Action::ApproveDenial, Role::System),
        (Submitted, Action::DeemAccepted, Role::WindowClerk),
        (Draft, Action::Submit, Role::Supervisor),
        (
            Decided(DecisionKind::Forward),
            Action::RecordHigherDecision { kind: DecisionKind::Grant, reason: String::new() },
            Role::WindowClerk,
        ),
    ];
    for (s, a, r) in cases {
        assert!(matches!(transition(s, &a, r, &f), Err(Refusal::NotAllowed { .. })), "{s:?} {a:?} {r:?}");
    }
}

#[test]
fn one_correction_notice_per_case() {
    let cases: &[(&[&str], bool)] = &[
        (&["submit"], false),
        (&["submit", "request_correction"], true),
        // the applicant corrected and resubmitted: the notice was still issued, once
        (&["submit", "request_correction", "resubmit"], true),
        (&["submit", "request_correction", "resubmit", "accept"], true),
        (&["submit", "withdraw"], false),
        (&[], false),
    ];
    for (history, issued) in cases {
        let kinds = history.iter().map(|c| crate::event::EventKind::parse(c).unwrap());
        assert_eq!(correction_notice_issued(kinds), *issued, "{history:?}");
    }
}

#[test]
fn guards_table() {
    let base = CaseFacts::on(d("2025-10-20"));
    let cases: Vec<(CaseState, Action, Role, CaseFacts, Refusal)> = vec![
        (
            Submitted,
            Action::Accept,
            Role::WindowClerk,
            CaseFacts { materials_acceptable: false, ..base.clone() },
            Refusal::MaterialsIncomplete,
        ),
        (
            Submitted,
            Action::RequestCorrection,
            Role::WindowClerk,
            CaseFacts { correction_already_requested: true, ..base.clone() },
            Refusal::CorrectionAlreadyRequested,
        ),
        (
            AwaitingCorrection,
            Action::Resubmit,
            Role::Applicant,
            CaseFacts { correction_due: Some(d("2025-10-19")), ..base.clone() },
            Refusal::CorrectionPeriodOver(d("2025-10-19")),
        ),
        (
            AwaitingCorrection,
            Action::CorrectionExpired,
            Role::System,
            CaseFacts { correction_due: Some(d("2025-10-20")), ..base.clone() },
            Refusal::CorrectionPeriodRunning,
        ),
        // the receipt's last day is today: the clerk may still answer it
        (
            Submitted,
            Action::DeemAccepted,
            Role::System,
            CaseFacts { receipt_due: Some(d("2025-10-20")), ..base.clone() },
            Refusal::ReceiptWindowRunning,
        ),
        (Submitted, Action::DeemAccepted, Role::System, base.clone(), Refusal::ReceiptWindowRunning),
        (
            AwaitingPayment,
            Action::FeeExpired,
            Role::System,
            CaseFacts { fee_due: Some(d("2025-10-20")), ..base.clone() },
            Refusal::FeeTermRunning,
        ),
        (
            InReview,
            Action::Decide { kind: DecisionKind::Grant, reason: String::new() },
            Role::Approver,
            CaseFacts { opinions_pending: 2, ..base.clone() },
            Refusal::OpinionsPending(2),
        ),
        (
            InReview,
            Action::Extend { days: 5, reason: "需要".into() },
            Role::Approver,
            CaseFacts { extended_already: true, ..base.clone() },
            Refusal::Extension(crate::deadline::DeadlineError::AlreadyExtended),
        ),
        (
            InReview,
            Action::Extend { days: 5, reason: "需要".into() },
            Role::Approver,
            CaseFacts { extension_cap: 0, ..base.clone() },
            Refusal::Extension(crate::deadline::DeadlineError::ExtensionNotAllowed),
        ),
        (
            InReview,
            Action::Decide { kind: DecisionKind::Deny, reason: " ".into() },
            Role::Approver,
            base.clone(),
            Refusal::ReasonRequired,
        ),
        // 容缺 materials past their due date: no grant, here or by the higher authority
        (
            InReview,
            Action::Decide { kind: DecisionKind::Grant, reason: String::new() },
            Role::Approver,
            CaseFacts { supplement_overdue: true, ..base.clone() },
            Refusal::SupplementOverdue,
        ),
        (
            Decided(DecisionKind::Forward),
            Action::RecordHigherDecision { kind: DecisionKind::Grant, reason: "批复".into() },
            Role::Approver,
            CaseFacts { supplement_overdue: true, ..base.clone() },
            Refusal::SupplementOverdue,
        ),
        // the higher authority's denial states its reason, as a denial here does
        (
            Decided(DecisionKind::Forward),
            Action::RecordHigherDecision { kind: DecisionKind::Deny, reason: " ".into() },
            Role::Approver,
            base.clone(),
            Refusal::ReasonRequired,
        ),
        (Submitted, Action::Reject { reason: String::new() }, Role::WindowClerk, base.clone(), Refusal::ReasonRequired),
        (
            InReview,
            Action::Suspend { kind: "test".into(), reason: String::new() },
            Role::Approver,
            base.clone(),
            Refusal::ReasonRequired,
        ),
    ];
    for (s, a, r, f, want) in cases {
        assert_eq!(transition(s, &a, r, &f), Err(want.clone()), "{s:?} {a:?}");
        assert!(!want.message(Lang::ZhHans).is_empty());
    }
}

/// An unanswered correction is not refused by the scheduler: it proposes the refusal, the head
/// approves it [001 第九条]; meanwhile the applicant can no longer correct, only withdraw.
#[test]
fn an_expired_correction_is_refused_with_the_heads_approval() {
    let f = CaseFacts { correction_due: Some(d("2025-10-17")), ..CaseFacts::on(d("2025-10-20")) };
    let proposed = transition(AwaitingCorrection, &Action::CorrectionExpired, Role::System, &f).unwrap();
    assert_eq!(proposed.to, RefusalProposed);
    let steps: [(Action, Role, Option<CaseState>); 5] = [
        (Action::Resubmit, Role::Applicant, None),
        (Action::Reject { reason: "逾期".into() }, Role::WindowClerk, None),
        (Action::Accept, Role::WindowClerk, None),
        (Action::Withdraw, Role::Applicant, Some(Withdrawn)),
        (Action::ApproveRefusal, Role::Approver, Some(NotAccepted)),
    ];
    for (a, r, want) in steps {
        let got = transition(RefusalProposed, &a, r, &f).map(|t| t.to);
        match want {
            Some(to) => assert_eq!(got, Ok(to), "{a:?}"),
            None => assert!(matches!(got, Err(Refusal::WrongState { .. })), "{a:?} → {got:?}"),
        }
    }
    assert!(RefusalProposed.before_decision() && !RefusalProposed.is_final());
}

/// A filing (备案) is concluded from its receipt, 予以备案 or 不予备案 only [001 重庆]: no
/// acceptance, no correction notice, no refusal of acceptance, no acceptance by law; a
/// complete one is filed, an incomplete one is not (with the one-time list as its reason).
#[test]
fn a_filing_is_filed_or_not() {
    let filing = CaseFacts { filing: true, ..CaseFacts::on(d("2025-10-20")) };
    let incomplete = CaseFacts { materials_acceptable: false, ..filing.clone() };
    let file = |kind, reason: &str| Action::File { kind, reason: reason.into() };
    let rows: Vec<(Action, Role, &CaseFacts, Result<CaseState, Refusal>)> = vec![
        (file(DecisionKind::Grant, ""), Role::WindowClerk, &filing, Ok(Decided(DecisionKind::Grant))),
        (file(DecisionKind::Grant, ""), Role::Approver, &filing, Ok(Decided(DecisionKind::Grant))),
        (file(DecisionKind::Grant, ""), Role::WindowClerk, &incomplete, Err(Refusal::MaterialsIncomplete)),
        (
            file(DecisionKind::Deny, "1. 专家审查意见：缺少"),
            Role::WindowClerk,
            &incomplete,
            Ok(Decided(DecisionKind::Deny)),
        ),
        (file(DecisionKind::Deny, " "), Role::WindowClerk, &incomplete, Err(Refusal::ReasonRequired)),
        (Action::Accept, Role::WindowClerk, &filing, Err(Refusal::FilingConclusionOnly)),
        (Action::RequestCorrection, Role::WindowClerk, &incomplete, Err(Refusal::FilingConclusionOnly)),
        (Action::Reject { reason: "x".into() }, Role::WindowClerk, &filing, Err(Refusal::FilingConclusionOnly)),
        (Action::DeemAccepted, Role::System, &filing, Err(Refusal::FilingConclusionOnly)),
        (Action::Withdraw, Role::Applicant, &filing, Ok(Withdrawn)),
    ];
    for (a, r, f, want) in rows {
        assert_eq!(transition(Submitted, &a, r, f).map(|t| t.to), want, "{a:?} by {r:?}");
    }
    let not_filing = CaseFacts::on(d("2025-10-20"));
    assert!(matches!(
        transition(Submitted, &file(DecisionKind::Grant, ""), Role::WindowClerk, &not_filing),
        Err(Refusal::WrongState { .. })
    ));
    assert!(matches!(
        transition(InReview, &file(DecisionKind::Grant, ""), Role::Approver, &filing),
        Err(Refusal::WrongState { .. })
    ));
    assert!(!Refusal::FilingConclusionOnly.message(Lang::En).is_empty());
}

#[test]
fn codes_round_trip() {
    for s in CaseState::ALL {
        assert_eq!(CaseState::from_code(s.code()), Some(s));
        for l in Lang::ALL {
            assert!(!s.label(l).is_empty());
        }
    }
    for r in Role::STAFF {
        assert_eq!(Role::parse(r.as_str()), Some(r));
    }
}
