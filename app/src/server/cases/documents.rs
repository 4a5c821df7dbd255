//! The records a case keeps besides its row and events: the files provided for its materials and
//! the result documents issued for it (each with a verification code).

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::models::{FileView, ResultDocView};
use crate::server::entities::{applicant, case, case_file, result_document};
use crate::server::error::AppError;

pub fn file_view(f: &case_file::Model) -> FileView {
    FileView {
        id: f.id,
        material_code: f.material_code.clone(),
        file_name: f.file_name.clone(),
        size: f.size.max(0) as u64,
        file_type: f.file_type,
        sha256: f.sha256.clone(),
    }
}

pub async fn files_of(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<case_file::Model>, AppError> {
    Ok(case_file::Entity::find()
        .filter(case_file::Column::CaseId.eq(case_id))
        .filter(case_file::Column::Removed.eq(false))
        .order_by_asc(case_file::Column::Id)
        .all(db)
        .await?)
}

/// The result documents of a case.
pub async fn results_of(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<ResultDocView>, AppError> {
    Ok(result_document::Entity::find()
        .filter(result_document::Column::CaseId.eq(case_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| ResultDocView { code: r.code, title: r.title, issued_on: r.issued_on, revoked: r.revoked })
        .collect())
}

/// A new verification code: 16 characters from an alphabet without look-alikes.
pub fn new_verification_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    b.iter().map(|x| ALPHABET[(*x as usize) % ALPHABET.len()] as char).collect()
}

/// Issues a result document for a case (used by the decision step and the demo data).
pub async fn issue_result_document(
    db: &impl ConnectionTrait,
    c: &case::Model,
    title: &str,
    issued_on: NaiveDate,
) -> Result<result_document::Model, AppError> {
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(result_document::ActiveModel {
        case_id: Set(c.id),
        code: Set(new_verification_code()),
        title: Set(title.into()),
        holder_masked: Set(rules::validators::mask_name(&a.name)),
        department_id: Set(c.department_id),
        issued_on: Set(issued_on),
        revoked: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await?)
}
