//! What an applicant prints or downloads: result documents, their own files, the receipt
//! (收件凭证) and the blank forms of an item's materials.

use super::*;

/// A result document as printable blocks, for its holder or staff of its department. The QR
/// code and the printed address lead to `/verify/{code}` under `base_url`.
pub async fn result_document_blocks(
    db: &impl ConnectionTrait,
    user: Option<&crate::models::SessionUser>,
    code: &str,
    base_url: &str,
) -> Result<Vec<crate::server::receipt::Block>, AppError> {
    use crate::server::receipt::Block;
    let r = result_document::Entity::find()
        .filter(result_document::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = case::Entity::find_by_id(r.case_id).one(db).await?.ok_or(AppError::NotFound)?;
    crate::server::backoffice::may_read_case(db, user, &c).await?;
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let dep = department::Entity::find_by_id(r.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    // The grant's own words: the event that granted it (a decision here, a filing's conclusion, or
    // the higher authority's answer to a forwarded case — not the forwarding).
    let granted = rules::CaseState::Decided(rules::DecisionKind::Grant).code();
    let decision = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .filter(case_event::Column::ToState.eq(granted))
        .filter(case_event::Column::Internal.eq(false))
        .order_by_desc(case_event::Column::Seq)
        .one(db)
        .await?
        .map(|e| e.comment)
        .unwrap_or_default();
    let url = format!("{}/verify/{}", base_url.trim_end_matches('/'), r.code);
    let mut blocks = vec![
        Block::Title(r.title.clone()),
        Block::Field("办件编号".into(), c.case_no.clone().unwrap_or_default()),
        Block::Field("申请人".into(), a.name),
        Block::Field("申请事项".into(), format!("{}（{}）", it.name, it.code)),
    ];
    if !decision.is_empty() {
        blocks.push(Block::Field("决定".into(), decision));
    }
    blocks.extend([
        Block::Field("出具部门".into(), dep),
        Block::Field("出具日期".into(), r.issued_on.to_string()),
        Block::Field("验证码".into(), r.code.clone()),
        Block::Gap,
        Block::Qr(url.clone(), format!("扫描二维码或访问 {url} 核验本文书的真伪和效力。")),
    ]);
    if r.revoked {
        blocks.insert(1, Block::Paragraph("【本文书已被撤销，不再有效】".into()));
    }
    Ok(blocks)
}

/// May this caller download this file? The case's applicant, or staff of the case's department.
pub async fn file_for_download(
    db: &impl ConnectionTrait,
    user: Option<&crate::models::SessionUser>,
    file_id: i32,
) -> Result<case_file::Model, AppError> {
    let f = case_file::Entity::find_by_id(file_id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = case::Entity::find_by_id(f.case_id).one(db).await?.ok_or(AppError::NotFound)?;
    crate::server::backoffice::may_read_case(db, user, &c).await?;
    if let Some(crate::models::SessionUser::Staff { id, .. }) = user {
        crate::server::audit::log_read(db, *id, c.id, "file").await?;
    }
    Ok(f)
}

/// The receipt (收件凭证) of a submitted case: what was received, when, and by when the
/// department must accept or ask for corrections. The same paper online and at the counter (the
/// caller has checked who may read the case).
pub async fn receipt(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    c: &case::Model,
) -> Result<Vec<crate::server::receipt::Block>, AppError> {
    use crate::server::receipt::Block;
    let (Some(case_no), Some(submitted_at)) = (c.case_no.clone(), c.submitted_at) else {
        return Err(AppError::NotFound);
    };
    let (it, rules) = item_of(db, c.item_id).await?;
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let dep = department::Entity::find_by_id(c.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    let first_submit = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .filter(case_event::Column::Action.eq(rules::EventKind::Submit))
        .one(db)
        .await?;
    let received_on = first_submit.as_ref().map(|e| e.on_day).unwrap_or_else(|| china_day(submitted_at));
    let window = rules::deadline::acceptance_window_end(cal, received_on).map_err(AppError::internal)?;
    let mut blocks = vec![
        Block::Title("收件凭证".into()),
        Block::Field("办件编号".into(), case_no.clone()),
        Block::Field("申请事项".into(), format!("{}（{}）", it.name, it.code)),
        Block::Field("申请人".into(), a.name.clone()),
        Block::Field("受理部门".into(), dep),
        Block::Field("收件日期".into(), received_on.to_string()),
        Block::Field("提交时间".into(), (submitted_at + Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string()),
        Block::Heading("收到的申请材料".into()),
    ];
    let files = files_of(db, c.id).await?;
    for m in &rules.materials {
        let mine: Vec<&case_file::Model> = files.iter().filter(|f| f.material_code == m.code).collect();
        for f in mine {
            blocks.push(Block::Field(
                m.name.clone(),
                format!(
                    "{}（{}，SHA-256 {}…）",
                    f.file_name,
                    crate::models::human_size(f.size.max(0) as u64),
                    &f.sha256[..16.min(f.sha256.len())]
                ),
            ));
        }
    }
    blocks.extend([
        Block::Gap,
        Block::Paragraph(format!(
            "本凭证证明已收到上述申请材料，不代表已受理。受理部门应于 {window} 前（收件之日起 5 个工作日内）作出受理决定，或一次性告知需要补正的全部内容；逾期未告知的，自收到申请材料之日起即为受理（《中华人民共和国行政许可法》第三十二条）。"
        )),
    ]);
    Ok(blocks)
}

/// A material's blank form or filled-in sample: the fields an application form asks for.
pub async fn material_form(
    db: &impl ConnectionTrait,
    item_code: &str,
    material: &str,
    sample: bool,
) -> Result<Vec<crate::server::receipt::Block>, AppError> {
    use crate::server::receipt::Block;
    let it = newest_published(db, item_code).await?.ok_or(AppError::NotFound)?;
    let rules: ItemRules = it.rules.clone();
    let spec = rules.materials.iter().find(|m| m.code == material).ok_or(AppError::NotFound)?;
    let wanted = if sample { spec.sample.is_some() } else { spec.blank_form.is_some() };
    if !wanted {
        return Err(AppError::NotFound);
    }
    let blank = "＿".repeat(18);
    let v = |example: &str| if sample { example.to_string() } else { blank.clone() };
    let mut blocks = vec![Block::Title(spec.name.clone())];
    if sample {
        blocks.push(Block::Paragraph("【示范文本】以下内容为填写示例，请按实际情况填写。".into()));
    }
    blocks.extend([
        Block::Field("申请事项".into(), format!("{}（{}）", it.name, it.code)),
        Block::Heading("一、申请人".into()),
        Block::Field("姓名 / 单位名称".into(), v("示例科技有限公司")),
        Block::Field("身份证号 / 统一社会信用代码".into(), v("91350100M000100Y43")),
        Block::Field("法定代表人 / 联系人".into(), v("李四")),
        Block::Field("联系电话".into(), v("13800000002")),
        Block::Field("通讯地址".into(), v("福州市鼓楼区示例路 1 号")),
        Block::Heading("二、申请内容".into()),
        Block::Field("项目名称".into(), v("示例产业园一期工程")),
        Block::Field("项目地点".into(), v("福州市闽侯县示例镇")),
        Block::Field("申请理由".into(), v("项目已完成立项，申请办理本事项。")),
        Block::Heading("三、承诺".into()),
        Block::Paragraph(
            "本人（单位）承诺所填写的内容和提交的材料真实、有效，如有虚假，愿意承担相应的法律责任。".into(),
        ),
        Block::Gap,
        Block::Field("申请人（签字 / 盖章）".into(), v("李四（示例科技有限公司 盖章）")),
        Block::Field("日期".into(), if sample { "2025年10月9日".into() } else { "　　年　　月　　日".into() }),
    ]);
    Ok(blocks)
}
