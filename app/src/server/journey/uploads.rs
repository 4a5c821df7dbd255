//! A draft's files: each upload streamed into the store and checked (size as it arrives, content
//! by its magic bytes) against its material, and removed before submission.

use super::*;
use crate::server::files::forget;

/// A file name safe to store and show: no path, no control characters, no bidirectional or
/// invisible formatting characters (a U+202E turns `gpj.exe` into what reads as `exe.jpg`), at
/// most 120 characters.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let invisible = |c: char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}');
    let s: String = base.chars().filter(|c| !c.is_control() && !invisible(*c)).take(120).collect();
    if s.trim().is_empty() {
        "file".into()
    } else {
        s.trim().to_string()
    }
}

fn spec_of<'a>(
    rules: &'a ItemRules,
    material: &str,
    lang: Lang,
) -> Result<&'a rules::materials::MaterialSpec, AppError> {
    rules.materials.iter().find(|m| m.code == material).ok_or_else(|| {
        AppError::field("_form", lang.pick("没有这项申请材料", "沒有這項申請材料", "This item has no such material"))
    })
}

/// Files one material of one case may hold.
pub const MAX_FILES_PER_MATERIAL: u64 = 20;
/// Bytes the files of one case may hold together (a 2 GiB drawing still fits).
pub const MAX_BYTES_PER_CASE: u64 = 4 << 30;
/// Bytes the files of all of one applicant's cases may hold together.
pub const MAX_BYTES_PER_APPLICANT: u64 = 16 << 30;

/// How many more bytes case `case_id` of `applicant_id` may take in (its own quota and its
/// applicant's), or the refusal when material `material` already holds its maximum of files.
pub(crate) async fn room(
    db: &impl ConnectionTrait,
    applicant_id: i32,
    case_id: i32,
    material: &str,
    name: &str,
    lang: Lang,
) -> Result<u64, AppError> {
    let kept = || case_file::Entity::find().filter(case_file::Column::Removed.eq(false));
    let files = kept()
        .filter(case_file::Column::CaseId.eq(case_id))
        .filter(case_file::Column::MaterialCode.eq(material))
        .count(db)
        .await?;
    if files >= MAX_FILES_PER_MATERIAL {
        let reason = match lang {
            Lang::En => format!("holds its maximum of {MAX_FILES_PER_MATERIAL} files: remove one first"),
            _ => format!("最多 {MAX_FILES_PER_MATERIAL} 个文件，请先删除不需要的文件"),
        };
        return Err(material_problem(material, name, reason, lang));
    }
    let sum = |q: sea_orm::Select<case_file::Entity>| async move {
        q.select_only()
            // PostgreSQL sums a bigint as a numeric: cast back
            .expr_as(
                {
                    use sea_orm::sea_query::ExprTrait;
                    sea_orm::sea_query::Expr::col(case_file::Column::Size)
                        .sum()
                        .cast_as(sea_orm::sea_query::Alias::new("BIGINT"))
                },
                "s",
            )
            .into_tuple::<Option<i64>>()
            .one(db)
            .await
            .map(|s| s.flatten().unwrap_or(0).max(0) as u64)
    };
    let in_case = sum(kept().filter(case_file::Column::CaseId.eq(case_id))).await?;
    use sea_orm::QueryTrait;
    let cases_of = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .filter(case::Column::ApplicantId.eq(applicant_id))
        .into_query();
    let of_applicant = sum(kept().filter(case_file::Column::CaseId.in_subquery(cases_of))).await?;
    let left = MAX_BYTES_PER_CASE.saturating_sub(in_case).min(MAX_BYTES_PER_APPLICANT.saturating_sub(of_applicant));
    if left == 0 {
        let reason = lang
            .pick(
                "已达到可上传的总容量，请先删除不需要的文件",
                "已達到可上傳的總容量，請先刪除不需要的檔案",
                "the space for your files is full: remove files you do not need first",
            )
            .to_string();
        return Err(material_problem(material, name, reason, lang));
    }
    Ok(left)
}

/// A material's size cap (its own, or less when the case's or the applicant's space is nearly
/// spent) and name, for refusing an upload before its body is read.
pub async fn material_cap(
    db: &impl ConnectionTrait,
    applicant_id: i32,
    case_id: i32,
    material: &str,
    lang: Lang,
) -> Result<(u64, String), AppError> {
    let c = require_uploadable(db, applicant_id, case_id, material, lang).await?;
    let (_, rules) = item_of(db, c.item_id).await?;
    let spec = spec_of(&rules, material, lang)?;
    let left = room(db, applicant_id, c.id, material, &spec.name, lang).await?;
    Ok((spec.max_bytes.min(left), spec.name.clone()))
}

/// An upload refused for one material: the message names the material and sits by its field.
pub fn material_problem(material: &str, name: &str, reason: String, lang: Lang) -> AppError {
    let text = match lang {
        Lang::En => format!("{name}: {reason}"),
        _ => format!("「{name}」{reason}"),
    };
    AppError::field(format!("m_{material}"), text)
}

/// Streams one uploaded file into the store and records it against a material. Checked by size
/// (as it arrives) and by content (magic bytes) against the material's spec; a refused file is
/// deleted and the message names the material.
#[allow(clippy::too_many_arguments)]
pub async fn add_file(
    db: &DatabaseConnection,
    store: &dyn FileStore,
    applicant_id: i32,
    case_id: i32,
    material: &str,
    file_name: &str,
    body: ByteStream,
    lang: Lang,
) -> Result<FileView, AppError> {
    let c = require_uploadable(db, applicant_id, case_id, material, lang).await?;
    let (_, rules) = item_of(db, c.item_id).await?;
    let spec = spec_of(&rules, material, lang)?;
    let refuse = |reason: String| material_problem(material, &spec.name, reason, lang);
    let cap = spec.max_bytes.min(room(db, applicant_id, c.id, material, &spec.name, lang).await?);
    let stored = match store.put(body, Some(cap)).await {
        Ok(s) => s,
        Err(FileStoreError::TooLarge { limit }) => {
            return Err(refuse(rules::materials::CorrectionReason::TooLarge { max_bytes: limit }.message(lang)))
        }
        Err(e) => return Err(AppError::internal(e)),
    };
    if stored.size == 0 {
        forget(store, &stored.key, "a refused upload").await;
        return Err(refuse(lang.pick("文件是空的", "檔案是空的", "the file is empty").into()));
    }
    let file_type = match check_file(spec, sniff(&stored.head), stored.size) {
        Ok(t) => t,
        Err(reason) => {
            forget(store, &stored.key, "a refused upload").await;
            return Err(refuse(reason.message(lang)));
        }
    };
    let row = case_file::ActiveModel {
        case_id: Set(c.id),
        material_code: Set(material.to_string()),
        file_name: Set(clean_file_name(file_name)),
        size: Set(stored.size as i64),
        file_type: Set(file_type),
        sha256: Set(stored.sha256.clone()),
        storage_key: Set(stored.key.clone()),
        uploaded_at: Set(Utc::now()),
        removed: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await;
    match row {
        Ok(r) => {
            touch(db, c.id).await?;
            Ok(file_view(&r))
        }
        Err(e) => {
            forget(store, &stored.key, "a refused upload").await;
            Err(e.into())
        }
    }
}

async fn touch(db: &impl ConnectionTrait, case_id: i32) -> Result<(), AppError> {
    case::Entity::update_many()
        .col_expr(case::Column::UpdatedAt, Utc::now().into())
        .filter(case::Column::Id.eq(case_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes a file before submitting. Files of a case that was once submitted are kept (hidden).
pub async fn remove_file(
    db: &DatabaseConnection,
    store: &dyn FileStore,
    applicant_id: i32,
    case_id: i32,
    file_id: i32,
    lang: Lang,
) -> Result<(), AppError> {
    let c = require_editable(db, applicant_id, case_id, lang).await?;
    let f = case_file::Entity::find_by_id(file_id).one(db).await?.ok_or(AppError::NotFound)?;
    if f.case_id != c.id {
        return Err(AppError::NotFound);
    }
    if c.submitted_at.is_none() {
        case_file::Entity::delete_by_id(f.id).exec(db).await?;
        forget(store, &f.storage_key, "a removed draft file").await;
    } else {
        let mut am: case_file::ActiveModel = f.into();
        am.removed = Set(true);
        am.update(db).await?;
    }
    touch(db, c.id).await
}
