//! The notices a case produces, printable as PDF at `/notices/{id}/{file}` for the applicant and
//! the staff who may read the case, at the counter for walk-ins as well as online: each names
//! what happened, its reason and basis, the term it sets and what follows, and ends with the QR
//! code of the case's public progress page ([`follow_the_case`]). A notice stays reachable for as
//! long as the case exists (`cases::notices_of`).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, HeaderValue};
use rules::{CaseState, EventKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::backoffice;
use super::edge::Caller;
use super::entities::{applicant, case, case_event, department, item, staff};
use super::error::AppError;
use super::receipt::Block;
use super::state::AppState;
use crate::models::NoticeKind;

pub fn routes() -> Router<AppState> {
    Router::new().route("/notices/{id}/{file}", get(notice_pdf))
}

fn pdf(blocks: &[Block]) -> Response {
    let mut r = Response::new(Body::from(super::receipt::render(blocks)));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

async fn notice_pdf(
    State(st): State<AppState>,
    Path((case_id, file)): Path<(i32, String)>,
    Caller(user): Caller,
) -> Response {
    let result = async {
        let c = case::Entity::find_by_id(case_id).one(&st.db).await?.ok_or(AppError::NotFound)?;
        super::backoffice::may_read_case(&st.db, user.as_ref(), &c).await?;
        let kind = NoticeKind::from_file(&file).ok_or(AppError::NotFound)?;
        if !super::cases::notices_of(&st.db, c.id).await?.contains(&kind) {
            return Err(AppError::NotFound);
        }
        let (db, cal) = (&st.db, &st.calendar());
        let mut blocks = match kind {
            NoticeKind::Receipt => super::journey::receipt(db, cal, &c).await,
            NoticeKind::Acceptance => acceptance_notice(db, cal, &c).await,
            NoticeKind::Correction => correction_notice(db, &c).await,
            NoticeKind::Suspension => suspension_notice(db, cal, &c).await,
            NoticeKind::Extension => extension_notice(db, &c).await,
            NoticeKind::Fee => fee_notice(db, &c).await,
            NoticeKind::Refusal => refusal(db, &c).await,
            NoticeKind::Delivery => delivery_receipt(db, &c).await,
        }?;
        if let Some(no) = &c.case_no {
            blocks.extend(follow_the_case(&st.public_base(), no));
        }
        Ok(blocks)
    }
    .await;
    match result {
        Ok(blocks) => pdf(&blocks),
        Err(e) => e.into_response(),
    }
}

/// The end of every notice: how to follow the case without an account, with a QR code of its
/// public progress page (the case number filled in; the last 4 of the mobile or number asked
/// there), so a walk-in's paper leads to the same place an online applicant's inbox does.
pub fn follow_the_case(base: &str, case_no: &str) -> [Block; 2] {
    let url = format!("{}/progress?case_no={case_no}", base.trim_end_matches('/'));
    [
        Block::Gap,
        Block::Qr(
            url.clone(),
            format!("办件进度查询：扫描二维码或访问 {url}，输入申请人手机号或证件号码后 4 位即可查询，无需登录。"),
        ),
    ]
}

async fn names(db: &impl ConnectionTrait, c: &case::Model) -> Result<(item::Model, String, String), AppError> {
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let dep = department::Entity::find_by_id(c.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    Ok((it, a.name, dep))
}

async fn last_event(
    db: &impl ConnectionTrait,
    case_id: i32,
    actions: &[EventKind],
) -> Result<Option<case_event::Model>, AppError> {
    Ok(case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .filter(case_event::Column::Action.is_in(actions.iter().copied()))
        .filter(case_event::Column::Internal.eq(false))
        .order_by_desc(case_event::Column::Seq)
        .one(db)
        .await?)
}

/// 受理通知书: case number, what was received, acceptance date, promised and statutory deadlines,
/// deferred (容缺) materials with their deadline, and the clerk.
pub async fn acceptance_notice(
    db: &impl ConnectionTrait,
    cal: &rules::Calendar,
    c: &case::Model,
) -> Result<Vec<Block>, AppError> {
    let Some(accepted_on) = c.accepted_on else { return Err(AppError::NotFound) };
    let (it, applicant_name, dep) = names(db, c).await?;
    let rules: rules::item::ItemRules = it.rules.clone();
    let accept = last_event(db, c.id, &[EventKind::Accept]).await?;
    let clerk = match &accept {
        Some(e) => staff::Entity::find_by_id(e.actor_id).one(db).await?.map(|s| s.display_name).unwrap_or_default(),
        None => String::new(),
    };
    let statutory = rules::deadline::due_date(cal, accepted_on, rules.statutory_limit, &[], accepted_on).ok();
    let mut blocks = vec![
        Block::Title("受理通知书".into()),
        Block::Paragraph(format!("{applicant_name}：")),
        Block::Paragraph(format!(
            "您于 {} 提出的「{}」申请，申请材料齐全、符合法定形式，本机关决定予以受理。",
            c.submitted_at.map(|t| (t + chrono::Duration::hours(8)).date_naive().to_string()).unwrap_or_default(),
            it.name
        )),
        Block::Field("办件编号".into(), c.case_no.clone().unwrap_or_default()),
        Block::Field("受理日期".into(), accepted_on.to_string()),
        Block::Field("承诺办结日期".into(), c.due_on.map(|d| d.to_string()).unwrap_or_default()),
        Block::Field("法定办结日期".into(), statutory.map(|d| d.to_string()).unwrap_or_default()),
        Block::Heading("已收到的申请材料".into()),
    ];
    let files = super::cases::documents::files_of(db, c.id).await?;
    let mut deferred = Vec::new();
    for m in &rules.materials {
        let mine: Vec<String> =
            files.iter().filter(|f| f.material_code == m.code).map(|f| f.file_name.clone()).collect();
        if !mine.is_empty() {
            blocks.push(Block::Field(m.name.clone(), mine.join("、")));
        } else if m.deferrable {
            deferred.push(m.name.clone());
        }
    }
    if !deferred.is_empty() {
        let due = rules::deadline::deferred_supplement_due(accepted_on, rules.deferral_term, cal).ok();
        blocks.push(Block::Heading("容缺受理：需补齐的材料".into()));
        blocks.push(Block::Paragraph(format!(
            "{}。请于 {} 前补齐；逾期未补齐的，办理结果无效。",
            deferred.join("、"),
            due.map(|d| d.to_string()).unwrap_or_default()
        )));
    }
    blocks.extend([
        Block::Gap,
        Block::Paragraph("办理期限自受理之日的次一工作日起计算，法定节假日不计入；听证、专家评审、检验检测等特殊环节所需时间不计入办理期限，届时将书面告知。".into()),
        Block::Field("受理部门".into(), dep),
        Block::Field("受理人".into(), clerk),
    ]);
    Ok(blocks)
}

/// The event that refused a case (不予受理 or 不予许可): the newest public event that moved it into
/// `not_accepted` or `decided_deny`. It stays the refusal whatever came after (a denial is then
/// delivered and closed), and its own action says why (a clerk's, an expired correction, an
/// unpaid fee).
pub async fn refusal_event(db: &impl ConnectionTrait, case_id: i32) -> Result<Option<case_event::Model>, AppError> {
    Ok(case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .filter(case_event::Column::ToState.is_in(CaseState::REFUSALS))
        .filter(case_event::Column::Internal.eq(false))
        .order_by_desc(case_event::Column::Seq)
        .one(db)
        .await?)
}

const DENIED: CaseState = CaseState::Decided(rules::DecisionKind::Deny);

/// The title and conclusion of a refusal: of acceptance, of the licence, or — a filing's only
/// refusal — 不予备案 [001 重庆 2.备案项目].
fn refusal_title(it: &item::Model, denied: bool) -> Result<(&'static str, &'static str), AppError> {
    let filing = it.rules.clone().kind == rules::item::ItemKind::Filing;
    Ok(match (denied, filing) {
        (true, true) => ("不予备案通知书", "不予备案"),
        (true, false) => ("不予行政许可决定书", "不予行政许可"),
        (false, _) => ("不予受理决定书", "不予受理"),
    })
}

/// The reason and basis a refusal made by rule states (the scheduler's event carries the due date).
fn rule_refusal(e: &case_event::Model, c: &case::Model) -> Option<String> {
    let due = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| e.comment.clone());
    match e.action {
        // proposed by the scheduler, approved by the head: the approval's event is the refusal
        EventKind::CorrectionExpired | EventKind::ApproveRefusal => Some(format!(
            "理由：您未在补正期限（{}）内补正申请材料。\n依据：申请人逾期不补正材料的，经本机关负责人批准，不予受理。",
            due(c.correction_due)
        )),
        EventKind::FeeExpired | EventKind::ApproveDenial => Some(format!(
            "理由：您未在缴费期限（{}）内缴纳规费。\n依据：按规定需缴纳规费的，申请人逾期不缴纳的，经本机关负责人批准，依法作出不予批准的决定。",
            due(c.fee_due)
        )),
        _ => None,
    }
}

/// 不予受理决定书 or 不予许可决定书, with the reason, the legal basis and the remedies.
pub async fn refusal(db: &impl ConnectionTrait, c: &case::Model) -> Result<Vec<Block>, AppError> {
    let (it, applicant_name, dep) = names(db, c).await?;
    let e = refusal_event(db, c.id).await?.ok_or(AppError::NotFound)?;
    let (title, conclusion) = refusal_title(&it, e.to_state == DENIED)?;
    let mut blocks = vec![
        Block::Title(title.into()),
        Block::Paragraph(format!("{applicant_name}：")),
        Block::Paragraph(format!(
            "您提出的「{}」申请（办件编号 {}），经审查，本机关决定：{conclusion}。",
            it.name,
            c.case_no.clone().unwrap_or_default(),
        )),
    ];
    let stated = rule_refusal(&e, c).unwrap_or_else(|| e.comment.clone());
    let text = if stated.contains("行政复议") { stated } else { format!("{}\n{}", stated, backoffice::REMEDIES) };
    blocks.push(Block::Paragraph(text));
    blocks.extend([
        Block::Gap,
        Block::Field("决定机关".into(), dep),
        Block::Field("日期".into(), e.on_day.to_string()),
    ]);
    Ok(blocks)
}

/// 送达回证: what was served on whom, how and when, with lines for the recipient's signature (at
/// the window or by post) or the electronic delivery record.
pub async fn delivery_receipt(db: &impl ConnectionTrait, c: &case::Model) -> Result<Vec<Block>, AppError> {
    let (it, applicant_name, dep) = names(db, c).await?;
    let e = last_event(db, c.id, &[EventKind::Deliver]).await?.ok_or(AppError::NotFound)?;
    let docs: Vec<String> = super::cases::documents::results_of(db, c.id)
        .await?
        .into_iter()
        .map(|r| format!("{}（验证码 {}）", r.title, r.code))
        .collect();
    let denied = refusal_event(db, c.id).await?.is_some_and(|r| r.to_state == DENIED);
    let documents = if docs.is_empty() {
        if denied {
            refusal_title(&it, true)?.0.to_string()
        } else {
            format!("「{}」办理结果", it.name)
        }
    } else {
        docs.join("、")
    };
    let server = staff::Entity::find_by_id(e.actor_id).one(db).await?.map(|s| s.display_name).unwrap_or_default();
    let electronic = e.comment.starts_with("电子送达");
    let mut blocks = vec![
        Block::Title("送达回证".into()),
        Block::Field("办件编号".into(), c.case_no.clone().unwrap_or_default()),
        Block::Field("送达文书".into(), documents),
        Block::Field("受送达人".into(), applicant_name),
        Block::Field("送达方式".into(), e.comment.clone()),
        Block::Field("送达日期".into(), e.on_day.to_string()),
        Block::Field("送达机关".into(), dep),
        Block::Field("送达人".into(), server),
        Block::Gap,
    ];
    if electronic {
        blocks.push(Block::Paragraph(
            "文书已送达受送达人的通办账户，送达日期以文书进入账户之日为准（电子送达记录由系统保存）。".into(),
        ));
    } else {
        blocks.extend([
            Block::Field("受送达人签名".into(), "＿＿＿＿＿＿＿＿".into()),
            Block::Field("签收日期".into(), "＿＿＿＿年＿＿月＿＿日".into()),
        ]);
    }
    Ok(blocks)
}

/// The head of a notice to the applicant about their case: title, addressee, the case.
fn opening(title: &str, applicant: &str, it: &item::Model, c: &case::Model) -> Vec<Block> {
    vec![
        Block::Title(title.into()),
        Block::Paragraph(format!("{applicant}：")),
        Block::Field("申请事项".into(), it.name.clone()),
        Block::Field("办件编号".into(), c.case_no.clone().unwrap_or_default()),
    ]
}

/// Who issued it, when, and who handled it.
async fn closing(db: &impl ConnectionTrait, dep: String, e: &case_event::Model) -> Result<Vec<Block>, AppError> {
    let by = staff::Entity::find_by_id(e.actor_id)
        .one(db)
        .await?
        .map(|s| s.display_name)
        .filter(|_| e.actor_kind == "staff");
    let mut out =
        vec![Block::Gap, Block::Field("出具部门".into(), dep), Block::Field("日期".into(), e.on_day.to_string())];
    if let Some(by) = by {
        out.push(Block::Field("经办人".into(), by));
    }
    Ok(out)
}

async fn event_of(
    db: &impl ConnectionTrait,
    c: &case::Model,
    action: EventKind,
) -> Result<case_event::Model, AppError> {
    last_event(db, c.id, &[action]).await?.ok_or(AppError::NotFound)
}

/// 补正材料通知书: the one-time list of everything to correct, its term, and what follows if
/// nothing comes [001 第六条, 第九条; 行政许可法第三十二条].
pub async fn correction_notice(db: &impl ConnectionTrait, c: &case::Model) -> Result<Vec<Block>, AppError> {
    let (it, applicant_name, dep) = names(db, c).await?;
    let e = event_of(db, c, EventKind::RequestCorrection).await?;
    let mut blocks = opening("补正材料通知书", &applicant_name, &it, c);
    blocks.extend([
        Block::Paragraph("经审查，您的申请材料不齐全或者不符合法定形式。依照《中华人民共和国行政许可法》第三十二条的规定，现将需要补正的全部内容一次性告知如下：".into()),
        // (the clerk's notice opens with its own heading line: the list follows it)
        Block::Paragraph(match e.comment.split_once('\n') {
            Some((first, rest)) if first.starts_with("经审查") => rest.to_string(),
            _ => e.comment.clone(),
        }),
        Block::Field("补正期限".into(), c.correction_due.map(|d| d.to_string()).unwrap_or_default()),
        Block::Paragraph("请在补正期限内登录网上办事大厅或到政务服务窗口补正。补正材料齐全、符合法定形式的，本机关将予以受理；逾期不补正的，视为放弃申请，本机关将报经负责人批准后作出不予受理决定。".into()),
    ]);
    blocks.extend(closing(db, dep, &e).await?);
    Ok(blocks)
}

/// 缴费通知书: the fee and its amount, its basis, the term and how to pay, sent the day of the
/// decision [001 第十八条]; what follows payment and a missed term [001 第十九条].
pub async fn fee_notice(db: &impl ConnectionTrait, c: &case::Model) -> Result<Vec<Block>, AppError> {
    let (it, applicant_name, dep) = names(db, c).await?;
    let rules = it.rules.clone();
    let e = event_of(db, c, EventKind::IssueFeeNotice).await?;
    let fee = e.comment.strip_prefix("缴费通知：").unwrap_or(&e.comment).trim().to_string();
    let basis = if rules.fee_note.trim().is_empty() {
        "按照国家和本省有关收费规定".to_string()
    } else {
        rules.fee_note.clone()
    };
    let mut blocks = opening("缴费通知书", &applicant_name, &it, c);
    blocks.extend([
        Block::Paragraph(format!(
            "您的申请已于 {} 经审查准予。依照有关规定，请缴纳以下费用：",
            c.decided_on.map(|d| d.to_string()).unwrap_or_default()
        )),
        Block::Field("收费项目及金额".into(), fee),
        Block::Field("收费依据".into(), basis),
        Block::Field("缴费期限".into(), c.fee_due.map(|d| format!("{d} 前")).unwrap_or_default()),
        Block::Field(
            "缴费方式".into(),
            "持本通知书到政务服务窗口缴纳，或登录网上办事大厅在线缴纳（请保留缴费凭证）".into(),
        ),
        Block::Paragraph("缴清费用后 3 个工作日内送达办理结果；逾期未缴纳的，本机关将依法作出不予批准的决定。".into()),
    ]);
    blocks.extend(closing(db, dep, &e).await?);
    Ok(blocks)
}

/// 特殊程序告知书: the procedure (hearing, expert review, test…) the case waits for, why, its
/// usual duration and basis, and that its time is not counted (行政许可法第四十五条).
pub async fn suspension_notice(
    db: &impl ConnectionTrait,
    cal: &rules::Calendar,
    c: &case::Model,
) -> Result<Vec<Block>, AppError> {
    let (it, applicant_name, dep) = names(db, c).await?;
    let rules = it.rules.clone();
    let e = event_of(db, c, EventKind::Suspend).await?;
    let (kind, reason) = e.comment.split_once('：').unwrap_or((e.comment.as_str(), ""));
    let procedure = rules.special_procedures.iter().find(|p| p.name == kind.trim());
    let mut blocks = opening("特殊程序告知书", &applicant_name, &it, c);
    blocks.push(Block::Paragraph(format!(
        "您的申请需要进行{}。依照《中华人民共和国行政许可法》第四十五条的规定，{}所需时间不计入办理期限。",
        kind.trim(),
        kind.trim()
    )));
    blocks.push(Block::Field("特殊程序".into(), kind.trim().to_string()));
    if !reason.trim().is_empty() {
        blocks.push(Block::Field("理由".into(), reason.trim().to_string()));
    }
    blocks.push(Block::Field("开始日期".into(), e.on_day.to_string()));
    if let Some(p) = procedure {
        let until = rules::deadline::due_date(cal, e.on_day, p.usual_duration, &[], e.on_day).ok();
        blocks.push(Block::Field(
            "预计所需时间".into(),
            match until {
                Some(d) => format!("{}（预计 {d} 前完成）", p.usual_duration),
                None => p.usual_duration.to_string(),
            },
        ));
        if !p.legal_basis.is_empty() {
            blocks.push(Block::Field("依据".into(), p.legal_basis.clone()));
        }
    }
    blocks.push(Block::Paragraph("特殊程序结束后恢复计算办理期限，本机关将另行告知新的办结期限。".into()));
    blocks.extend(closing(db, dep, &e).await?);
    Ok(blocks)
}

/// 延长办理期限告知书: the one extension, its length and reason, approved by the head, and the
/// new term (行政许可法第四十二条).
pub async fn extension_notice(db: &impl ConnectionTrait, c: &case::Model) -> Result<Vec<Block>, AppError> {
    let (it, applicant_name, dep) = names(db, c).await?;
    let e = event_of(db, c, EventKind::Extend).await?;
    let (days, reason) = e.comment.split_once('|').unwrap_or(("", e.comment.as_str()));
    // The decision's term as it stands: the case's own while it is decided on, else the one it
    // was decided against.
    let deciding = matches!(c.state, CaseState::Accepted | CaseState::InReview | CaseState::Suspended);
    let due = if deciding { c.due_on } else { c.decision_due };
    let mut blocks = opening("延长办理期限告知书", &applicant_name, &it, c);
    blocks.extend([
        Block::Paragraph(format!(
            "您的申请因{}，不能在原定期限内作出决定。经本机关负责人批准，依照《中华人民共和国行政许可法》第四十二条的规定，办理期限延长 {} 个工作日。",
            reason.trim(),
            days.trim()
        )),
        Block::Field("延长后的办结期限".into(), due.map(|d| d.to_string()).unwrap_or_default()),
    ]);
    blocks.extend(closing(db, dep, &e).await?);
    Ok(blocks)
}
