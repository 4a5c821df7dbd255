//! 办事程序: an item's procedure as the public reads it (政务公开 [004]; each step's limit in public
//! [003]), generated from the item's rules and never written by hand, so it cannot drift from the
//! clocks the cases run on. Every item goes through the four steps of [000] — 申请与受理, 审查,
//! 决定, 送达 — with its own review stages, co-department opinions and fee in between.

use serde::{Deserialize, Serialize};

use crate::deadline::{
    TimeLimit, ACCEPTANCE_WINDOW, CO_DEPARTMENT_ANSWER, DELIVERY_AFTER_DECISION, DELIVERY_AFTER_PAYMENT,
    LICENSING_DECISION,
};
use crate::item::{Handling, ItemRules};
use crate::lang::Lang;

/// What a step of a procedure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    /// 申请与受理: accepted on the spot, or a one-time correction notice, or not accepted
    Accept,
    /// 审查: the item's own review, or one of its review stages
    Review,
    /// 并联审查: the co-departments' opinions, in parallel
    Opinions,
    /// 决定
    Decide,
    /// 缴费
    Pay,
    /// 送达
    Deliver,
}

/// From when a step's limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CountedFrom {
    /// the day the application arrives
    Application,
    /// the day the stage opens
    StageOpens,
    /// the day the opinions are asked for (the acceptance)
    Asked,
    /// the day of acceptance
    Acceptance,
    /// the day of the fee notice
    FeeNotice,
    /// the day of payment
    Payment,
    /// the day of the decision
    Decision,
}

impl CountedFrom {
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            CountedFrom::Application => lang.pick("自收到申请之日起", "自收到申請之日起", "from the application"),
            CountedFrom::StageOpens => lang.pick("自本环节开始之日起", "自本環節開始之日起", "from the stage's start"),
            CountedFrom::Asked => lang.pick("自征求意见之日起", "自徵求意見之日起", "from the request"),
            CountedFrom::Acceptance => lang.pick("自受理之日起", "自受理之日起", "from acceptance"),
            CountedFrom::FeeNotice => lang.pick("自收到缴费通知之日起", "自收到繳費通知之日起", "from the fee notice"),
            CountedFrom::Payment => lang.pick("自缴费之日起", "自繳費之日起", "from payment"),
            CountedFrom::Decision => lang.pick("自作出决定之日起", "自作出決定之日起", "from the decision"),
        }
    }
}

/// One step of an item's procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureStep {
    pub kind: StepKind,
    /// a review stage's own name (村级审查…); `None`: the kind's name
    pub name: Option<String>,
    /// department codes doing it; empty: the item's own department
    pub departments: Vec<String>,
    /// its limit, and from when it counts; `None`: within the case's own limit only
    pub limit: Option<(TimeLimit, CountedFrom)>,
}

impl ProcedureStep {
    pub fn title(&self, lang: Lang) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        match self.kind {
            StepKind::Accept => lang.pick("申请与受理", "申請與受理", "Application and acceptance"),
            StepKind::Review => lang.pick("审查", "審查", "Review"),
            StepKind::Opinions => lang.pick("并联审查意见", "並聯審查意見", "Co-department opinions"),
            StepKind::Decide => lang.pick("决定", "決定", "Decision"),
            StepKind::Pay => lang.pick("缴费", "繳費", "Fee"),
            StepKind::Deliver => lang.pick("送达", "送達", "Delivery"),
        }
        .to_string()
    }

    /// What else may happen at this step (the side roads of the flow diagram).
    pub fn branches(&self, lang: Lang) -> Vec<&'static str> {
        match self.kind {
            StepKind::Accept => vec![
                lang.pick(
                    "材料不全：一次性告知补正",
                    "材料不全：一次性告知補正",
                    "Incomplete: one notice of everything to correct",
                ),
                lang.pick(
                    "不属受理范围：不予受理并说明理由",
                    "不屬受理範圍：不予受理並說明理由",
                    "Out of scope: not accepted, with the reasons",
                ),
            ],
            StepKind::Review => vec![lang.pick(
                "需听证、检验、专家评审的，所需时间不计入时限",
                "需聽證、檢驗、專家評審的，所需時間不計入時限",
                "Hearings, tests and expert reviews are not counted in the limit",
            )],
            StepKind::Decide => vec![lang.pick(
                "不予许可的，书面说明理由并告知救济途径",
                "不予許可的，書面說明理由並告知救濟途徑",
                "A refusal gives the reasons and the remedies in writing",
            )],
            StepKind::Opinions | StepKind::Pay | StepKind::Deliver => vec![],
        }
    }
}

/// The procedure of an item with these rules, in order.
pub fn procedure(rules: &ItemRules) -> Vec<ProcedureStep> {
    let step = |kind, limit| ProcedureStep { kind, name: None, departments: vec![], limit };
    let mut out = vec![step(
        StepKind::Accept,
        (rules.handling != Handling::Instant).then_some((ACCEPTANCE_WINDOW, CountedFrom::Application)),
    )];
    if !rules.co_departments.is_empty() {
        out.push(ProcedureStep {
            departments: rules.co_departments.clone(),
            ..step(StepKind::Opinions, Some((CO_DEPARTMENT_ANSWER, CountedFrom::Asked)))
        });
    }
    if rules.stages.is_empty() {
        out.push(step(StepKind::Review, None));
    } else {
        out.extend(rules.stages.iter().map(|s| ProcedureStep {
            kind: StepKind::Review,
            name: Some(s.name.clone()),
            departments: if s.department.is_empty() { vec![] } else { vec![s.department.clone()] },
            limit: s.limit.map(|l| (l, CountedFrom::StageOpens)),
        }));
    }
    out.push(step(StepKind::Decide, Some((rules.decision_limit(), CountedFrom::Acceptance))));
    if let Some(t) = rules.fee_term {
        out.push(step(StepKind::Pay, Some((t, CountedFrom::FeeNotice))));
        out.push(step(StepKind::Deliver, Some((DELIVERY_AFTER_PAYMENT, CountedFrom::Payment))));
    } else {
        out.push(step(StepKind::Deliver, Some((DELIVERY_AFTER_DECISION, CountedFrom::Decision))));
    }
    out
}

/// The four steps as the law gives them to a licence with no limits of its own (行政许可法: the
/// decision within 20 working days of acceptance): the 行政职权运行流程图 of the directory.
pub fn general() -> Vec<ProcedureStep> {
    let step = |kind, limit| ProcedureStep { kind, name: None, departments: vec![], limit };
    vec![
        step(StepKind::Accept, Some((ACCEPTANCE_WINDOW, CountedFrom::Application))),
        step(StepKind::Review, None),
        step(StepKind::Decide, Some((LICENSING_DECISION, CountedFrom::Acceptance))),
        step(StepKind::Deliver, Some((DELIVERY_AFTER_DECISION, CountedFrom::Decision))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::TimeLimit;
    use crate::item::ReviewStage;
    use crate::Role;

    /// The crate's test licence, promised in 12 working days.
    fn rules() -> ItemRules {
        ItemRules { promised_limit: TimeLimit::working(12), ..crate::item::test_item() }
    }

    fn kinds(r: &ItemRules) -> Vec<StepKind> {
        procedure(r).into_iter().map(|s| s.kind).collect()
    }

    #[test]
    fn the_four_steps_with_the_items_own_limits() {
        use StepKind::*;
        let plain = rules();
        let fee = ItemRules { fee_term: Some(TimeLimit::working(15)), ..rules() };
        let parallel = ItemRules { co_departments: vec!["ZJJ".into(), "SWJ".into()], ..rules() };
        let staged = ItemRules {
            stages: vec![
                ReviewStage {
                    name: "村级审查".into(),
                    department: "CWH".into(),
                    role: Role::Reviewer,
                    limit: Some(TimeLimit::working(5)),
                },
                ReviewStage {
                    name: "乡镇审核".into(), department: String::new(), role: Role::Approver, limit: None
                },
            ],
            ..rules()
        };
        let instant = ItemRules { handling: Handling::Instant, ..rules() };
        // (rules, kinds in order)
        let table: [(&ItemRules, Vec<StepKind>); 5] = [
            (&plain, vec![Accept, Review, Decide, Deliver]),
            (&fee, vec![Accept, Review, Decide, Pay, Deliver]),
            (&parallel, vec![Accept, Opinions, Review, Decide, Deliver]),
            (&staged, vec![Accept, Review, Review, Decide, Deliver]),
            (&instant, vec![Accept, Review, Decide, Deliver]),
        ];
        for (r, want) in table {
            assert_eq!(kinds(r), want);
        }
        let p = procedure(&plain);
        assert_eq!(p[0].limit, Some((ACCEPTANCE_WINDOW, CountedFrom::Application)));
        assert_eq!(p[2].limit, Some((TimeLimit::working(12), CountedFrom::Acceptance)), "the promised limit");
        assert_eq!(p[3].limit, Some((DELIVERY_AFTER_DECISION, CountedFrom::Decision)));
        let p = procedure(&fee);
        assert_eq!(p[3].limit, Some((TimeLimit::working(15), CountedFrom::FeeNotice)));
        assert_eq!(p[4].limit, Some((DELIVERY_AFTER_PAYMENT, CountedFrom::Payment)));
        let p = procedure(&parallel);
        assert_eq!(p[1].departments, vec!["ZJJ".to_string(), "SWJ".to_string()]);
        assert_eq!(p[1].limit, Some((CO_DEPARTMENT_ANSWER, CountedFrom::Asked)));
        let p = procedure(&staged);
        assert_eq!(p[1].title(Lang::ZhHans), "村级审查");
        assert_eq!(p[1].departments, vec!["CWH".to_string()]);
        assert_eq!(p[1].limit, Some((TimeLimit::working(5), CountedFrom::StageOpens)));
        assert_eq!((p[2].departments.len(), p[2].limit), (0, None), "the item's own department, no own clock");
        let p = procedure(&instant);
        assert_eq!(p[0].limit, None, "accepted on the spot");
        assert_eq!(p[2].limit, Some((TimeLimit::working(0), CountedFrom::Acceptance)), "decided the same day");
    }

    #[test]
    fn the_general_flow_is_a_plain_licence() {
        let plain = ItemRules { promised_limit: TimeLimit::working(20), ..rules() };
        assert_eq!(general(), procedure(&plain));
    }

    #[test]
    fn every_step_has_a_name_in_every_language() {
        let r = ItemRules { fee_term: Some(TimeLimit::working(15)), co_departments: vec!["ZJJ".into()], ..rules() };
        for lang in Lang::ALL {
            for s in procedure(&r) {
                assert!(!s.title(lang).is_empty());
                if let Some((_, from)) = s.limit {
                    assert!(!from.label(lang).is_empty());
                }
            }
        }
    }
}
