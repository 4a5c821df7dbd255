//! Materials (申请材料): specs with conditions, the checklist for one application, the one-time
//! correction notice (一次性告知) and file acceptance by content.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::deadline::TimeLimit;
use crate::lang::Lang;

/// Person (个人) or enterprise (企业/法人).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "ApplicantKind::decode", to_str = "ApplicantKind::as_str")
)]
pub enum ApplicantKind {
    Person,
    Enterprise,
}

impl ApplicantKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ApplicantKind::Person => "person",
            ApplicantKind::Enterprise => "enterprise",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "person" => Some(ApplicantKind::Person),
            "enterprise" => Some(ApplicantKind::Enterprise),
            _ => None,
        }
    }

    /// [`ApplicantKind::parse`], refusing an unknown code (the database column's reading).
    pub fn decode(code: &str) -> Result<Self, crate::codes::UnknownCode> {
        Self::parse(code).ok_or_else(|| crate::codes::UnknownCode { what: "applicant kind", code: code.into() })
    }
}

/// Answers to an item's questions: question code → chosen value.
pub type Answers = BTreeMap<String, String>;

/// When a material applies: a small tree admins can edit as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// The applicant is a person / an enterprise.
    Applicant(ApplicantKind),
    /// The answer to `question` equals `value`.
    Eq {
        question: String,
        value: String,
    },
    /// The answer to `question` is one of `values`.
    In {
        question: String,
        values: Vec<String>,
    },
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
}

impl Condition {
    /// Evaluates the condition. An unanswered question makes `Eq`/`In` false.
    pub fn eval(&self, kind: ApplicantKind, answers: &Answers) -> bool {
        match self {
            Condition::Applicant(k) => *k == kind,
            Condition::Eq { question, value } => answers.get(question) == Some(value),
            Condition::In { question, values } => answers.get(question).is_some_and(|a| values.contains(a)),
            Condition::And(cs) => cs.iter().all(|c| c.eval(kind, answers)),
            Condition::Or(cs) => cs.iter().any(|c| c.eval(kind, answers)),
            Condition::Not(c) => !c.eval(kind, answers),
        }
    }

    /// Question codes the condition reads.
    pub fn questions(&self, out: &mut BTreeSet<String>) {
        match self {
            Condition::Applicant(_) => {}
            Condition::Eq { question, .. } | Condition::In { question, .. } => {
                out.insert(question.clone());
            }
            Condition::And(cs) | Condition::Or(cs) => cs.iter().for_each(|c| c.questions(out)),
            Condition::Not(c) => c.questions(out),
        }
    }
}

/// Physical form of a material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialForm {
    /// 原件
    Original,
    /// 复印件
    Copy,
    /// 电子
    Electronic,
}

/// Whether a material must be supplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// Always needed when its condition holds (no condition = always).
    Required,
    /// Welcome but not needed.
    Optional,
}

/// File types recognised by content (magic bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "FileType::decode", to_str = "FileType::as_str")
)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    /// 版式文档 OFD (GB/T 33190): a ZIP container with `OFD.xml` at its root.
    Ofd,
}

impl FileType {
    pub const ALL: [FileType; 4] = [FileType::Pdf, FileType::Jpeg, FileType::Png, FileType::Ofd];

    /// The inverse of [`FileType::as_str`].
    pub fn from_code(code: &str) -> Option<FileType> {
        Self::ALL.into_iter().find(|t| t.as_str() == code)
    }

    /// [`FileType::from_code`], refusing an unknown code (the database column's reading).
    pub fn decode(code: &str) -> Result<FileType, crate::codes::UnknownCode> {
        Self::from_code(code).ok_or_else(|| crate::codes::UnknownCode { what: "file type", code: code.into() })
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpeg",
            FileType::Png => "png",
            FileType::Ofd => "ofd",
        }
    }
    pub fn mime(&self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Ofd => "application/ofd",
        }
    }
    /// The file input's `accept` value for these types.
    pub fn accept(types: &[FileType]) -> String {
        types
            .iter()
            .map(|t| match t {
                FileType::Pdf => ".pdf,application/pdf",
                FileType::Jpeg => ".jpg,.jpeg,image/jpeg",
                FileType::Png => ".png,image/png",
                FileType::Ofd => ".ofd",
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn label(&self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Jpeg => "JPG",
            FileType::Png => "PNG",
            FileType::Ofd => "OFD",
        }
    }
}

/// How many bytes of a file [`sniff`] wants to see.
pub const SNIFF_LEN: usize = 512;

/// Recognises a file by its first bytes.
pub fn sniff(head: &[u8]) -> Option<FileType> {
    if head.starts_with(b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileType::Jpeg);
    }
    if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Some(FileType::Png);
    }
    // OFD: a ZIP whose first local file header names OFD.xml (GB/T 33190 requires it at the root).
    if head.starts_with(b"PK\x03\x04") && head.len() >= 30 {
        let name_len = u16::from_le_bytes([head[26], head[27]]) as usize;
        if let Some(name) = head.get(30..30 + name_len) {
            if name.eq_ignore_ascii_case(b"OFD.xml") {
                return Some(FileType::Ofd);
            }
        }
    }
    None
}

/// One required document of an item (申请材料).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialSpec {
    pub code: String,
    pub name: String,
    pub form: MaterialForm,
    pub copies: u32,
    pub requirement: Requirement,
    /// When it applies; `None` = always.
    #[serde(default)]
    pub condition: Option<Condition>,
    /// 容缺: may be supplied after acceptance.
    #[serde(default)]
    pub deferrable: bool,
    pub file_types: Vec<FileType>,
    pub max_bytes: u64,
    /// Notes for the applicant (where to get it, what it must show).
    #[serde(default)]
    pub note: String,
    /// Paths of a sample (示范文本) and a blank form (空白表格), when there are any.
    #[serde(default)]
    pub sample: Option<String>,
    #[serde(default)]
    pub blank_form: Option<String>,
}

impl MaterialSpec {
    pub fn applies(&self, kind: ApplicantKind, answers: &Answers) -> bool {
        self.condition.as_ref().is_none_or(|c| c.eval(kind, answers))
    }
}

/// What one file looked like when it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvidedFile {
    pub material_code: String,
    pub file_type: Option<FileType>,
    pub size: u64,
}

/// The materials of one application, sorted by what is needed now.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Checklist {
    /// Applicable required materials (provided or not), in the item's order.
    pub required_now: Vec<String>,
    /// Required but 容缺: may come after acceptance, by `deferral_due` when one is known.
    pub deferrable: Vec<String>,
    pub deferral_due: Option<NaiveDate>,
    /// Applicable optional materials.
    pub optional: Vec<String>,
    /// Required now, not deferrable, not provided: these block acceptance.
    pub missing: Vec<String>,
    /// Deferrable materials not provided yet.
    pub missing_deferrable: Vec<String>,
    /// Provided material codes that do not apply (or do not exist) for this application.
    pub unexpected: Vec<String>,
}

impl Checklist {
    /// Complete enough to accept (容缺 gaps allowed).
    pub fn acceptable(&self) -> bool {
        self.missing.is_empty()
    }
    pub fn complete(&self) -> bool {
        self.missing.is_empty() && self.missing_deferrable.is_empty()
    }
}

/// Builds the checklist for an application. `provided` lists material codes that have at least one
/// file; `acceptance` (when known) dates the 容缺 supplement deadline with `deferral_term`.
pub fn checklist(
    specs: &[MaterialSpec],
    kind: ApplicantKind,
    answers: &Answers,
    provided: &BTreeSet<String>,
    deferral: Option<(NaiveDate, TimeLimit, &crate::calendar::Calendar)>,
) -> Checklist {
    let mut c = Checklist::default();
    let mut applicable = BTreeSet::new();
    for s in specs {
        if !s.applies(kind, answers) {
            continue;
        }
        applicable.insert(s.code.clone());
        let has = provided.contains(&s.code);
        match (s.requirement, s.deferrable) {
            (Requirement::Optional, _) => c.optional.push(s.code.clone()),
            (Requirement::Required, false) => {
                c.required_now.push(s.code.clone());
                if !has {
                    c.missing.push(s.code.clone());
                }
            }
            (Requirement::Required, true) => {
                c.deferrable.push(s.code.clone());
                if !has {
                    c.missing_deferrable.push(s.code.clone());
                }
            }
        }
    }
    c.unexpected = provided.iter().filter(|p| !applicable.contains(*p)).cloned().collect();
    if let Some((accepted, term, cal)) = deferral {
        if !c.deferrable.is_empty() {
            c.deferral_due = crate::deadline::deferred_supplement_due(accepted, term, cal).ok();
        }
    }
    c
}

/// Why a material needs correcting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CorrectionReason {
    /// Not supplied at all.
    Missing,
    /// A file is not of an accepted type (or not recognised).
    WrongType { accepted: Vec<FileType> },
    /// A file exceeds the size cap.
    TooLarge { max_bytes: u64 },
    /// The clerk's finding (illegible, expired, unsigned, inconsistent…), in the clerk's words.
    Clerk { note: String },
}

impl CorrectionReason {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            CorrectionReason::Missing => lang.pick("未提交", "未提交", "not supplied").into(),
            CorrectionReason::WrongType { accepted } => {
                let list = accepted.iter().map(|t| t.label()).collect::<Vec<_>>().join("/");
                match lang {
                    Lang::ZhHans => format!("文件格式不符合要求，请提交 {list} 格式"),
                    Lang::ZhHant => format!("檔案格式不符合要求，請提交 {list} 格式"),
                    Lang::En => format!("wrong file type: upload {list}"),
                }
            }
            CorrectionReason::TooLarge { max_bytes } => {
                // whole MB, rounded (integer arithmetic keeps float formatting out of the wasm)
                let mb = (*max_bytes + 512 * 1024) / (1024 * 1024);
                match lang {
                    Lang::ZhHans => format!("文件超过 {mb} MB 的大小限制"),
                    Lang::ZhHant => format!("檔案超過 {mb} MB 的大小限制"),
                    Lang::En => format!("file larger than {mb} MB"),
                }
            }
            CorrectionReason::Clerk { note } => note.clone(),
        }
    }
}

/// One line of a correction notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionItem {
    pub material_code: String,
    pub material_name: String,
    pub reason: CorrectionReason,
}

/// The single, complete list of what to fix (一次性告知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionNotice {
    pub items: Vec<CorrectionItem>,
    pub due: NaiveDate,
}

/// A clerk's finding on one material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClerkFinding {
    pub material_code: String,
    pub note: String,
}

/// File acceptance for one spec: type by content, size cap.
pub fn check_file(spec: &MaterialSpec, file_type: Option<FileType>, size: u64) -> Result<FileType, CorrectionReason> {
    if size > spec.max_bytes {
        return Err(CorrectionReason::TooLarge { max_bytes: spec.max_bytes });
    }
    match file_type {
        Some(t) if spec.file_types.contains(&t) => Ok(t),
        _ => Err(CorrectionReason::WrongType { accepted: spec.file_types.clone() }),
    }
}

/// Builds the one-time correction notice: every missing required material, every file that fails
/// its spec, and every clerk finding — each material's problems listed once, in the item's order.
/// Returns `None` when there is nothing to correct.
pub fn correction_notice(
    specs: &[MaterialSpec],
    kind: ApplicantKind,
    answers: &Answers,
    files: &[ProvidedFile],
    findings: &[ClerkFinding],
    due: NaiveDate,
) -> Option<CorrectionNotice> {
    let provided: BTreeSet<String> = files.iter().map(|f| f.material_code.clone()).collect();
    let mut items = Vec::new();
    for s in specs.iter().filter(|s| s.applies(kind, answers)) {
        let mut reasons: Vec<CorrectionReason> = Vec::new();
        if s.requirement == Requirement::Required && !s.deferrable && !provided.contains(&s.code) {
            reasons.push(CorrectionReason::Missing);
        }
        for f in files.iter().filter(|f| f.material_code == s.code) {
            if let Err(r) = check_file(s, f.file_type, f.size) {
                if !reasons.contains(&r) {
                    reasons.push(r);
                }
            }
        }
        for f in findings.iter().filter(|f| f.material_code == s.code) {
            let r = CorrectionReason::Clerk { note: f.note.trim().to_string() };
            if !f.note.trim().is_empty() && !reasons.contains(&r) {
                reasons.push(r);
            }
        }
        items.extend(reasons.into_iter().map(|reason| CorrectionItem {
            material_code: s.code.clone(),
            material_name: s.name.clone(),
            reason,
        }));
    }
    (!items.is_empty()).then_some(CorrectionNotice { items, due })
}

#[cfg(test)]
#[path = "materials_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "materials_props.rs"]
mod props;
