//! Why the state machine refuses a transition, in the user's language.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Refusal {
    #[error("{action} is not possible while the case is {state}")]
    WrongState { state: String, action: String },
    #[error("{role} may not {action}")]
    NotAllowed { role: String, action: String },
    #[error("materials are incomplete")]
    MaterialsIncomplete,
    #[error("a correction notice was already issued for this application")]
    CorrectionAlreadyRequested,
    #[error("the correction period ended on {0}")]
    CorrectionPeriodOver(NaiveDate),
    #[error("the correction period has not ended yet")]
    CorrectionPeriodRunning,
    #[error("the receipt may still be answered")]
    ReceiptWindowRunning,
    #[error("the fee term has not ended yet")]
    FeeTermRunning,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("extension refused: {0}")]
    Extension(crate::deadline::DeadlineError),
    #[error("{0} opinions are still owed")]
    OpinionsPending(u32),
    #[error("a filing is concluded with 予以备案 or 不予备案 only")]
    FilingConclusionOnly,
    #[error("the deferred materials were not supplied in time")]
    SupplementOverdue,
}

impl Refusal {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Refusal::WrongState { .. }, _) => lang
                .pick(
                    "办件当前状态不允许此操作，请刷新后重试",
                    "辦件當前狀態不允許此操作，請重新整理後重試",
                    "The case is not in a state that allows this; reload and try again",
                )
                .into(),
            (Refusal::NotAllowed { .. }, _) => {
                lang.pick("您没有权限执行此操作", "您沒有權限執行此操作", "You are not allowed to do this").into()
            }
            (Refusal::MaterialsIncomplete, _) => {
                lang.pick("材料不齐全，不能受理", "材料不齊全，不能受理", "Materials are incomplete").into()
            }
            (Refusal::CorrectionAlreadyRequested, _) => lang
                .pick(
                    "该申请已发出过补正通知：补正须一次性告知，补正后请受理或不予受理",
                    "該申請已發出過補正通知：補正須一次性告知，補正後請受理或不予受理",
                    "A correction notice was already issued for this application: accept it or refuse it now",
                )
                .into(),
            (Refusal::CorrectionPeriodOver(d), _) => format!(
                "{}{d}",
                lang.pick(
                    "补正期限已于以下日期届满：",
                    "補正期限已於以下日期屆滿：",
                    "The correction period ended on "
                )
            ),
            (Refusal::CorrectionPeriodRunning, _) => {
                lang.pick("补正期限尚未届满", "補正期限尚未屆滿", "The correction period is still running").into()
            }
            (Refusal::ReceiptWindowRunning, _) => {
                lang.pick("受理期限尚未届满", "受理期限尚未屆滿", "The receipt may still be answered").into()
            }
            (Refusal::FeeTermRunning, _) => {
                lang.pick("缴费期限尚未届满", "繳費期限尚未屆滿", "The fee term is still running").into()
            }
            (Refusal::ReasonRequired, _) => lang.pick("请填写理由", "請填寫理由", "Give a reason").into(),
            (Refusal::OpinionsPending(n), _) => format!(
                "{}{n}",
                lang.pick(
                    "尚有审查环节或协办部门未出具意见，不能作出决定。待回复：",
                    "尚有審查環節或協辦部門未出具意見，不能作出決定。待回覆：",
                    "Opinions still owed before the decision: "
                )
            ),
            (Refusal::SupplementOverdue, _) => lang
                .pick(
                    "容缺受理的材料逾期未补齐，办理结果无效，不能准予；可依法作出不予许可决定",
                    "容缺受理的材料逾期未補齊，辦理結果無效，不能准予；可依法作出不予許可決定",
                    "The deferred materials were not supplied in time: the result would be void, so it cannot be granted",
                )
                .into(),
            (Refusal::FilingConclusionOnly, _) => lang
                .pick(
                    "备案事项只能作出予以备案或不予备案的结论；材料不齐全或不符合法定形式的，不予备案并一次性告知需补正的全部材料",
                    "備案事項只能作出予以備案或不予備案的結論；材料不齊全或不符合法定形式的，不予備案並一次性告知需補正的全部材料",
                    "A filing is concluded as filed or not filed; if the materials are incomplete, it is not filed, with everything to correct listed at once",
                )
                .into(),
            (Refusal::Extension(e), _) => {
                format!("{}{e}", lang.pick("不能延期：", "不能延期：", "Extension refused: "))
            }
        }
    }
}
