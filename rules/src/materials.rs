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
mod tests {
    use super::*;

    fn spec(code: &str, req: Requirement, cond: Option<Condition>, deferrable: bool) -> MaterialSpec {
        MaterialSpec {
            code: code.into(),
            name: format!("材料{code}"),
            form: MaterialForm::Copy,
            copies: 1,
            requirement: req,
            condition: cond,
            deferrable,
            file_types: vec![FileType::Pdf, FileType::Jpeg],
            max_bytes: 10 << 20,
            note: String::new(),
            sample: None,
            blank_form: None,
        }
    }

    #[test]
    fn file_type_codes_round_trip() {
        for t in FileType::ALL {
            assert_eq!(FileType::from_code(t.as_str()), Some(t));
        }
        assert_eq!(FileType::from_code("exe"), None);
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    fn set(codes: &[&str]) -> BTreeSet<String> {
        codes.iter().map(|s| s.to_string()).collect()
    }

    fn homestead_specs() -> Vec<MaterialSpec> {
        use Requirement::*;
        vec![
            spec("application", Required, None, false),
            spec("id_card", Required, Some(Condition::Applicant(ApplicantKind::Person)), false),
            spec("license", Required, Some(Condition::Applicant(ApplicantKind::Enterprise)), false),
            spec(
                "collective_consent",
                Required,
                Some(Condition::Eq { question: "collective".into(), value: "yes".into() }),
                false,
            ),
            spec("household", Required, None, true),
            spec("photos", Optional, None, false),
            spec(
                "agent",
                Required,
                Some(Condition::And(vec![
                    Condition::In { question: "via".into(), values: vec!["agent".into(), "lawyer".into()] },
                    Condition::Not(Box::new(Condition::Applicant(ApplicantKind::Enterprise))),
                ])),
                false,
            ),
        ]
    }

    #[test]
    fn condition_table() {
        use ApplicantKind::*;
        let c = Condition::Or(vec![
            Condition::Applicant(Enterprise),
            Condition::Eq { question: "q".into(), value: "yes".into() },
        ]);
        let cases = [
            (Enterprise, answers(&[]), true),
            (Person, answers(&[("q", "yes")]), true),
            (Person, answers(&[("q", "no")]), false),
            (Person, answers(&[]), false),
        ];
        for (k, a, expected) in cases {
            assert_eq!(c.eval(k, &a), expected, "{k:?} {a:?}");
        }
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Condition>(&json).unwrap(), c);
    }

    #[test]
    fn checklist_table() {
        use ApplicantKind::*;
        let specs = homestead_specs();
        struct Case {
            kind: ApplicantKind,
            answers: Answers,
            provided: BTreeSet<String>,
            missing: Vec<&'static str>,
            missing_deferrable: Vec<&'static str>,
            unexpected: Vec<&'static str>,
        }
        let cases = vec![
            Case {
                kind: Person,
                answers: answers(&[]),
                provided: set(&[]),
                missing: vec!["application", "id_card"],
                missing_deferrable: vec!["household"],
                unexpected: vec![],
            },
            Case {
                kind: Person,
                answers: answers(&[("collective", "yes")]),
                provided: set(&["application", "id_card"]),
                missing: vec!["collective_consent"],
                missing_deferrable: vec!["household"],
                unexpected: vec![],
            },
            Case {
                kind: Enterprise,
                answers: answers(&[("via", "agent")]),
                provided: set(&["application", "license", "id_card"]),
                missing: vec![],
                missing_deferrable: vec!["household"],
                unexpected: vec!["id_card"],
            },
            Case {
                kind: Person,
                answers: answers(&[("via", "lawyer")]),
                provided: set(&["application", "id_card", "household"]),
                missing: vec!["agent"],
                missing_deferrable: vec![],
                unexpected: vec![],
            },
        ];
        for (i, c) in cases.into_iter().enumerate() {
            let got = checklist(&specs, c.kind, &c.answers, &c.provided, None);
            assert_eq!(got.missing, c.missing, "case {i}");
            assert_eq!(got.missing_deferrable, c.missing_deferrable, "case {i}");
            assert_eq!(got.unexpected, c.unexpected, "case {i}");
            assert_eq!(got.optional, vec!["photos"], "case {i}");
        }
    }

    #[test]
    fn deferral_due_is_dated() {
        let cal = crate::calendar::Calendar::shipped();
        let d = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        let c = checklist(
            &homestead_specs(),
            ApplicantKind::Person,
            &answers(&[]),
            &set(&[]),
            Some((d, TimeLimit::calendar(30), &cal)),
        );
        assert_eq!(c.deferral_due, NaiveDate::from_ymd_opt(2025, 4, 2));
        assert!(!c.acceptable());
    }

    #[test]
    fn sniff_table() {
        let mut ofd = b"PK\x03\x04".to_vec();
        ofd.extend_from_slice(&[0u8; 22]);
        ofd.extend_from_slice(&7u16.to_le_bytes());
        ofd.extend_from_slice(&0u16.to_le_bytes());
        ofd.extend_from_slice(b"OFD.xml");
        let mut zip = ofd.clone();
        let n = zip.len();
        zip[n - 7..].copy_from_slice(b"doc.xml");
        let cases: Vec<(&[u8], Option<FileType>)> = vec![
            (b"%PDF-1.7\n", Some(FileType::Pdf)),
            (&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], Some(FileType::Jpeg)),
            (&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0], Some(FileType::Png)),
            (&ofd, Some(FileType::Ofd)),
            (&zip, None),
            (b"GIF89a", None),
            (b"", None),
            (b"MZ\x90\x00", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(sniff(bytes), expected, "{bytes:?}");
        }
    }

    #[test]
    fn correction_notice_lists_everything_once() {
        use ApplicantKind::*;
        let specs = homestead_specs();
        let due = NaiveDate::from_ymd_opt(2025, 10, 20).unwrap();
        let files = vec![
            ProvidedFile { material_code: "application".into(), file_type: Some(FileType::Png), size: 100 },
            ProvidedFile { material_code: "application".into(), file_type: Some(FileType::Png), size: 200 },
            ProvidedFile { material_code: "id_card".into(), file_type: Some(FileType::Pdf), size: 50 << 20 },
        ];
        let findings = vec![
            ClerkFinding { material_code: "id_card".into(), note: "身份证已过有效期".into() },
            ClerkFinding { material_code: "id_card".into(), note: "身份证已过有效期".into() },
        ];
        let n = correction_notice(&specs, Person, &answers(&[("collective", "yes")]), &files, &findings, due).unwrap();
        let got: Vec<(&str, &CorrectionReason)> =
            n.items.iter().map(|i| (i.material_code.as_str(), &i.reason)).collect();
        assert_eq!(
            got,
            vec![
                ("application", &CorrectionReason::WrongType { accepted: vec![FileType::Pdf, FileType::Jpeg] }),
                ("id_card", &CorrectionReason::TooLarge { max_bytes: 10 << 20 }),
                ("id_card", &CorrectionReason::Clerk { note: "身份证已过有效期".into() }),
                ("collective_consent", &CorrectionReason::Missing),
            ]
        );
        assert_eq!(n.due, due);
        // nothing to correct → no notice
        let ok_files = vec![
            ProvidedFile { material_code: "application".into(), file_type: Some(FileType::Pdf), size: 1 },
            ProvidedFile { material_code: "id_card".into(), file_type: Some(FileType::Jpeg), size: 1 },
        ];
        assert!(correction_notice(&specs, Person, &answers(&[]), &ok_files, &[], due).is_none());
    }

    #[test]
    fn check_file_table() {
        let s = spec("x", Requirement::Required, None, false);
        assert_eq!(check_file(&s, Some(FileType::Pdf), 1), Ok(FileType::Pdf));
        assert!(matches!(check_file(&s, Some(FileType::Png), 1), Err(CorrectionReason::WrongType { .. })));
        assert!(matches!(check_file(&s, None, 1), Err(CorrectionReason::WrongType { .. })));
        assert!(matches!(check_file(&s, Some(FileType::Pdf), (10 << 20) + 1), Err(CorrectionReason::TooLarge { .. })));
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn cond() -> impl Strategy<Value = Condition> {
        let leaf = prop_oneof![
            any::<bool>().prop_map(|e| Condition::Applicant(if e {
                ApplicantKind::Enterprise
            } else {
                ApplicantKind::Person
            })),
            ("[ab]", "[xy]").prop_map(|(q, v)| Condition::Eq { question: q, value: v }),
        ];
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Condition::And),
                prop::collection::vec(inner.clone(), 0..3).prop_map(Condition::Or),
                inner.prop_map(|c| Condition::Not(Box::new(c))),
            ]
        })
    }

    proptest! {
        #[test]
        fn not_negates_and_serde_round_trips(c in cond(), a in "[xy]", b in "[xy]", ent in any::<bool>()) {
            let kind = if ent { ApplicantKind::Enterprise } else { ApplicantKind::Person };
            let ans: Answers = [("a".to_string(), a), ("b".to_string(), b)].into_iter().collect();
            let not = Condition::Not(Box::new(c.clone()));
            prop_assert_eq!(not.eval(kind, &ans), !c.eval(kind, &ans));
            let back: Condition = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
            prop_assert_eq!(back, c);
        }

        #[test]
        fn checklist_partitions(provided_mask in 0u8..128, ent in any::<bool>(), coll in any::<bool>()) {
            let specs: Vec<MaterialSpec> = (0..7).map(|i| MaterialSpec {
                code: format!("m{i}"), name: format!("m{i}"), form: MaterialForm::Copy, copies: 1,
                requirement: if i == 6 { Requirement::Optional } else { Requirement::Required },
                condition: match i { 1 => Some(Condition::Applicant(ApplicantKind::Person)), 2 => Some(Condition::Eq { question: "c".into(), value: "yes".into() }), _ => None },
                deferrable: i == 3, file_types: vec![FileType::Pdf], max_bytes: 1, note: String::new(), sample: None, blank_form: None,
            }).collect();
            let kind = if ent { ApplicantKind::Enterprise } else { ApplicantKind::Person };
            let ans: Answers = if coll { [("c".to_string(), "yes".to_string())].into_iter().collect() } else { Answers::new() };
            let provided: BTreeSet<String> = (0..7).filter(|i| provided_mask & (1 << i) != 0).map(|i| format!("m{i}")).collect();
            let c = checklist(&specs, kind, &ans, &provided, None);
            // missing ⊆ required_now, disjoint from provided
            for m in &c.missing { prop_assert!(c.required_now.contains(m) && !provided.contains(m)); }
            for m in &c.missing_deferrable { prop_assert!(c.deferrable.contains(m) && !provided.contains(m)); }
            for u in &c.unexpected { prop_assert!(provided.contains(u)); }
            // the notice names every missing material, and nothing is missing when the notice is empty
            let files: Vec<ProvidedFile> = provided.iter().map(|p| ProvidedFile { material_code: p.clone(), file_type: Some(FileType::Pdf), size: 1 }).collect();
            let notice = correction_notice(&specs, kind, &ans, &files, &[], NaiveDate::from_ymd_opt(2025,1,1).unwrap());
            let named: BTreeSet<String> = notice.map(|n| n.items.into_iter().map(|i| i.material_code).collect()).unwrap_or_default();
            let missing: BTreeSet<String> = c.missing.iter().cloned().collect();
            prop_assert_eq!(named, missing);
        }
    }
}
