//! The public pages' services: the progress query, the public ledger of results, the
//! verification of a result document.

use super::*;

fn public_timeline(events: Vec<case_event::Model>) -> Vec<TimelineEntry> {
    events
        .into_iter()
        .filter(|e| !e.internal)
        .map(|e| TimelineEntry { day: e.on_day, to_state: e.to_state, comment: String::new(), action: e.action })
        .collect()
}

/// The public progress query: case number + the last 4 digits of the applicant's mobile or ID
/// number (or the whole of either). A name is no proof: anyone can read it off the register.
/// Anything that does not match (no such case, wrong digits) gives the same `NotFound`.
pub async fn public_progress(db: &impl ConnectionTrait, case_no: &str, who: &str) -> Result<ProgressView, AppError> {
    // Not a case number at all: the same answer as no such case, and no query.
    let Ok(case_no) = case_no.parse::<rules::CaseNo>() else { return Err(AppError::NotFound) };
    let case_no = case_no.to_string();
    let who = who.trim();
    if who.is_empty() {
        return Err(AppError::NotFound);
    }
    let c = case::Entity::find().filter(case::Column::CaseNo.eq(&case_no)).one(db).await?.ok_or(AppError::NotFound)?;
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let who = who.to_uppercase();
    let known: Vec<&str> =
        [Some(a.mobile.as_str()), a.id_card_no.as_deref(), a.credit_code.as_deref()].into_iter().flatten().collect();
    let matches = known.iter().any(|k| {
        let last4 = k.char_indices().rev().nth(3).map(|(i, _)| &k[i..]).unwrap_or(k);
        (who.chars().count() == 4 && last4 == who) || *k == who
    }) || who.parse::<rules::Mobile>().is_ok_and(|m| m.as_str() == a.mobile);
    if !matches {
        return Err(AppError::NotFound);
    }
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let dep = department::Entity::find_by_id(c.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    let filing = it.rules.clone().kind == rules::item::ItemKind::Filing;
    Ok(ProgressView {
        case_no,
        item_name: it.name,
        department: dep,
        state: state_of(&c)?,
        filing,
        submitted_on: c.submitted_at.map(china_day),
        accepted_on: c.accepted_on,
        due_on: c.due_on,
        timeline: public_timeline(cases::events(db, c.id, true).await?),
    })
}

fn mask_applicant(a: &applicant::Model) -> String {
    let name = rules::validators::mask_name(&a.name);
    let mobile = masked_mobile(&a.mobile);
    if mobile.is_empty() {
        name
    } else {
        format!("{name}（{mobile}）")
    }
}

pub const LEDGER_PAGE_SIZE: u64 = 20;

/// The public register: submitted cases in order of receipt, and published results.
///
/// A person's refusal is not published (个人信息保护: a refusal of a person is no public record);
/// an enterprise's is.
pub async fn ledger(db: &impl ConnectionTrait, page: u64) -> Result<LedgerPage, AppError> {
    use sea_orm::QueryTrait;
    let refusals: Vec<&str> = CaseState::REFUSALS.iter().map(|s| s.code()).collect();
    let enterprises = applicant::Entity::find()
        .select_only()
        .column(applicant::Column::Id)
        .filter(applicant::Column::Kind.ne(rules::ApplicantKind::Person.as_str()))
        .into_query();
    let published = sea_orm::sea_query::Condition::any()
        .add(case::Column::State.is_not_in(refusals))
        .add(case::Column::ApplicantId.in_subquery(enterprises));
    let received = case::Entity::find().filter(case::Column::SubmittedAt.is_not_null()).filter(published.clone());
    let total = received.clone().count(db).await?;
    let pages = total.div_ceil(LEDGER_PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let rows = received
        .order_by_desc(case::Column::SubmittedAt)
        .order_by_desc(case::Column::Id)
        .offset((page - 1) * LEDGER_PAGE_SIZE)
        .limit(LEDGER_PAGE_SIZE)
        .all(db)
        .await?;
    let decided_states: Vec<&str> = [
        CaseState::Decided(rules::DecisionKind::Grant),
        CaseState::Decided(rules::DecisionKind::Deny),
        CaseState::Decided(rules::DecisionKind::Forward),
        CaseState::AwaitingPayment,
        CaseState::ReadyForDelivery,
        CaseState::Delivered,
        CaseState::Closed,
    ]
    .iter()
    .map(|s| s.code())
    .collect();
    let results = case::Entity::find()
        .filter(case::Column::State.is_in(decided_states))
        .filter(published)
        .order_by_desc(case::Column::UpdatedAt)
        .limit(LEDGER_PAGE_SIZE)
        .all(db)
        .await?;
    Ok(LedgerPage { rows: ledger_rows(db, rows).await?, page, pages, results: ledger_rows(db, results).await? })
}

async fn ledger_rows(db: &impl ConnectionTrait, rows: Vec<case::Model>) -> Result<Vec<LedgerRow>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    let mut items: BTreeMap<i32, String> = BTreeMap::new();
    for c in rows {
        let Some(case_no) = c.case_no.clone() else { continue };
        if let std::collections::btree_map::Entry::Vacant(e) = items.entry(c.item_id) {
            e.insert(item::Entity::find_by_id(c.item_id).one(db).await?.map(|i| i.name).unwrap_or_default());
        }
        let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
        out.push(LedgerRow {
            case_no,
            submitted_on: c.submitted_at.map(china_day).unwrap_or_else(|| china_day(c.created_at)),
            applicant: mask_applicant(&a),
            item_name: items.get(&c.item_id).cloned().unwrap_or_default(),
            accepted_on: c.accepted_on,
            due_on: c.due_on,
            state: state_of(&c)?,
        });
    }
    Ok(out)
}

/// Verifies a result document by its code.
pub async fn verify(db: &impl ConnectionTrait, code: &str) -> Result<Verification, AppError> {
    let code = code.trim().to_uppercase();
    let r = result_document::Entity::find()
        .filter(result_document::Column::Code.eq(&code))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = case::Entity::find_by_id(r.case_id).one(db).await?.ok_or(AppError::NotFound)?;
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let dep = department::Entity::find_by_id(r.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    Ok(Verification {
        code: r.code,
        title: r.title,
        item_name: it.name,
        holder: r.holder_masked,
        issued_on: r.issued_on,
        department: dep,
        revoked: r.revoked,
    })
}
