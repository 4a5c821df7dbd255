//! The back office's action forms (post → redirect → get, through the server function
//! `api::staff_act`) and the notices a case produces as PDF:
//! the acceptance notice (受理通知书) and the refusal (不予受理 / 不予许可决定书).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, HeaderValue};
use rules::CaseState;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use leptos::server_fn::ServerFnError;

use super::backoffice;
use super::edge::{back_with_errors, notice, see_other, Caller, FormCall};
use super::entities::{applicant, case, case_event, department, item, staff};
use super::error::AppError;
use super::receipt::Block;
use super::state::AppState;
use crate::models::{SessionUser, StaffAction};

pub fn routes() -> Router<AppState> {
    Router::new().route("/notices/{id}/{file}", get(notice_pdf))
}

/// The body of the server function `staff_act` (every action form of a case posts to it): the
/// action, then back to the case page with what was done, or with the form's values and errors.
pub async fn act(case: String, version: String, action: StaffAction) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = act_reply(&mut call, &case, &version, &action).await;
    call.answer(reply)
}

async fn act_reply(call: &mut FormCall, case: &str, version: &str, action: &StaffAction) -> Response {
    let (st, lang) = (call.st.clone(), call.lang);
    let Ok(case_id) = case.trim().parse::<i32>() else { return AppError::NotFound.into_response() };
    let page = format!("/staff/cases/{case_id}");
    let user = match call.extract::<Caller>().await {
        Ok(Caller(Some(u @ SessionUser::Staff { .. }))) => u,
        Ok(_) => return see_other(&format!("/staff/login?next={page}"), vec![]),
        Err(e) => return e.into_response(),
    };
    // the version the clerk saw; anything else is a page to reload
    let version = version.trim().parse().unwrap_or(-1);
    let seen = backoffice::SeenCase { id: case_id, version };
    match backoffice::act(&st.db, &st.calendar(), Some(&user), seen, action, st.today(), lang).await {
        Ok(_) => {
            let label = crate::models::staff_action_label(action.code(), lang);
            let msg = match lang {
                rules::Lang::En => format!("Done: {label}"),
                _ => format!("已办理：{label}"),
            };
            see_other(&page, vec![notice(&st, "staff_case", msg)])
        }
        Err(e @ AppError::Forbidden) => e.into_response(),
        Err(e) => back_with_errors(&st, &page, "staff_case", action.values(), &e, lang),
    }
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
        match file.as_str() {
            "acceptance.pdf" => acceptance_notice(&st.db, &st.calendar(), &c).await,
            "refusal.pdf" => refusal(&st.db, &c).await,
            "delivery.pdf" => delivery_receipt(&st.db, &c).await,
            _ => Err(AppError::NotFound),
        }
    }
    .await;
    match result {
        Ok(blocks) => pdf(&blocks),
        Err(e) => e.into_response(),
    }
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
    actions: &[&str],
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
    let rules: rules::item::ItemRules = serde_json::from_str(&it.rules).map_err(AppError::internal)?;
    let accept = last_event(db, c.id, &["accept"]).await?;
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
        .filter(case_event::Column::ToState.is_in(CaseState::REFUSALS.map(|s| s.code())))
        .filter(case_event::Column::Internal.eq(false))
        .order_by_desc(case_event::Column::Seq)
        .one(db)
        .await?)
}

const DENIED: CaseState = CaseState::Decided(rules::DecisionKind::Deny);

/// The title and conclusion of a refusal: of acceptance, of the licence, or — a filing's only
/// refusal — 不予备案 [001 重庆 2.备案项目].
fn refusal_title(it: &item::Model, denied: bool) -> Result<(&'static str, &'static str), AppError> {
    let filing = super::cases::item_rules(it)?.kind == rules::item::ItemKind::Filing;
    Ok(match (denied, filing) {
        (true, true) => ("不予备案通知书", "不予备案"),
        (true, false) => ("不予行政许可决定书", "不予行政许可"),
        (false, _) => ("不予受理决定书", "不予受理"),
    })
}

/// The reason and basis a refusal made by rule states (the scheduler's event carries the due date).
fn rule_refusal(e: &case_event::Model, c: &case::Model) -> Option<String> {
    let due = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| e.comment.clone());
    match e.action.as_str() {
        // proposed by the scheduler, approved by the head: the approval's event is the refusal
        "correction_expired" | "approve_refusal" => Some(format!(
            "理由：您未在补正期限（{}）内补正申请材料。\n依据：申请人逾期不补正材料的，经本机关负责人批准，不予受理。",
            due(c.correction_due)
        )),
        "fee_expired" => Some(format!(
            "理由：您未在缴费期限（{}）内缴纳规费。\n依据：按规定需缴纳规费的，申请人逾期不缴纳，依法作出不予批准的决定。",
            due(c.fee_due)
        )),
        _ => None,
    }
}

/// 不予受理决定书 or 不予许可决定书, with the reason, the legal basis and the remedies.
pub async fn refusal(db: &impl ConnectionTrait, c: &case::Model) -> Result<Vec<Block>, AppError> {
    let (it, applicant_name, dep) = names(db, c).await?;
    let e = refusal_event(db, c.id).await?.ok_or(AppError::NotFound)?;
    let (title, conclusion) = refusal_title(&it, e.to_state == DENIED.code())?;
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
    let e = last_event(db, c.id, &["deliver"]).await?.ok_or(AppError::NotFound)?;
    let docs: Vec<String> = super::cases::documents::results_of(db, c.id)
        .await?
        .into_iter()
        .map(|r| format!("{}（验证码 {}）", r.title, r.code))
        .collect();
    let denied = refusal_event(db, c.id).await?.is_some_and(|r| r.to_state == DENIED.code());
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
