//! 政务公开, open government information ([004]; results published [001 第二十二条]; the catalog
//! and each step's limits in public [003]): the kinds of entry, an entry's review states and what
//! each person may do to it, what may be attached to it, and the search terms of a text.
//!
//! Search is by terms both databases hold the same way: Chinese has no spaces, so a run of CJK
//! characters gives each character and each pair of neighbours (bigrams); a run of letters or
//! digits gives the word in lower case. A query's terms must all be in an entry. The server keeps
//! the terms in SQLite's FTS5 or in PostgreSQL's `tsvector`, so both give the same hits.

use serde::{Deserialize, Serialize};

use crate::codes::UnknownCode;
use crate::lang::Lang;
use crate::materials::{CorrectionReason, FileType};

/// What an entry is, as the public index groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "OpenKind::decode", to_str = "OpenKind::code")
)]
pub enum OpenKind {
    /// 政策法规
    Policy,
    /// 规划
    Plan,
    /// 办事程序
    Procedure,
    /// 审批结果公示: published by the decision itself, for items that say so
    DecisionResult,
    /// 土地供应
    LandSupply,
    /// 登记信息
    Registration,
    /// 矿业权
    MiningRights,
    /// 违法查处
    Enforcement,
}

impl OpenKind {
    pub const ALL: [OpenKind; 8] = [
        OpenKind::Policy,
        OpenKind::Plan,
        OpenKind::Procedure,
        OpenKind::DecisionResult,
        OpenKind::LandSupply,
        OpenKind::Registration,
        OpenKind::MiningRights,
        OpenKind::Enforcement,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            OpenKind::Policy => "policy",
            OpenKind::Plan => "plan",
            OpenKind::Procedure => "procedure",
            OpenKind::DecisionResult => "decision_result",
            OpenKind::LandSupply => "land_supply",
            OpenKind::Registration => "registration",
            OpenKind::MiningRights => "mining_rights",
            OpenKind::Enforcement => "enforcement",
        }
    }

    pub fn parse(code: &str) -> Option<OpenKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn decode(code: &str) -> Result<OpenKind, UnknownCode> {
        Self::parse(code).ok_or_else(|| UnknownCode { what: "open kind", code: code.into() })
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            OpenKind::Policy => lang.pick("政策法规", "政策法規", "Laws and policies"),
            OpenKind::Plan => lang.pick("规划计划", "規劃計劃", "Plans"),
            OpenKind::Procedure => lang.pick("办事程序", "辦事程序", "Procedures"),
            OpenKind::DecisionResult => lang.pick("审批结果公示", "審批結果公示", "Decisions"),
            OpenKind::LandSupply => lang.pick("土地供应", "土地供應", "Land supply"),
            OpenKind::Registration => lang.pick("登记信息", "登記信息", "Registrations"),
            OpenKind::MiningRights => lang.pick("矿业权", "礦業權", "Mining rights"),
            OpenKind::Enforcement => lang.pick("违法查处", "違法查處", "Enforcement"),
        }
    }

    /// Written by an editor (every kind but the decisions, which their cases publish).
    pub fn written(&self) -> bool {
        *self != OpenKind::DecisionResult
    }
}

/// Where an entry stands in its review (审核发布). An approved entry's newest approved version is
/// what the public reads, between its publish and withdraw dates; an edit of it waits for approval
/// again while the public keeps reading the approved one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "EntryStatus::decode", to_str = "EntryStatus::code")
)]
pub enum EntryStatus {
    /// being written (or sent back)
    Draft,
    /// sent for approval
    Pending,
    /// its working text is the newest approved version
    Approved,
    /// taken down: the public no longer sees it
    Withdrawn,
}

impl EntryStatus {
    pub const ALL: [EntryStatus; 4] =
        [EntryStatus::Draft, EntryStatus::Pending, EntryStatus::Approved, EntryStatus::Withdrawn];

    pub fn code(&self) -> &'static str {
        match self {
            EntryStatus::Draft => "draft",
            EntryStatus::Pending => "pending",
            EntryStatus::Approved => "approved",
            EntryStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn decode(code: &str) -> Result<EntryStatus, UnknownCode> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| UnknownCode { what: "entry status", code: code.into() })
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            EntryStatus::Draft => lang.pick("草稿", "草稿", "Draft"),
            EntryStatus::Pending => lang.pick("待审核", "待審核", "Awaiting approval"),
            EntryStatus::Approved => lang.pick("已审核发布", "已審核發布", "Approved"),
            EntryStatus::Withdrawn => lang.pick("已撤下", "已撤下", "Withdrawn"),
        }
    }
}

/// What an editor asks of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStep {
    /// change the working text (a draft, or an approved entry's next version)
    Edit,
    /// send it for approval
    Submit,
    /// approve what was sent: it becomes the public version
    Approve,
    /// send it back to its writer
    Return,
    /// take it down
    Withdraw,
}

/// Why a step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefused {
    /// not from this status
    NotNow,
    /// the one who sent it for approval cannot approve it (审核 is a second person's)
    SamePerson,
}

impl StepRefused {
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            StepRefused::NotNow => lang.pick(
                "该条目当前状态下不能这样操作",
                "該條目當前狀態下不能這樣操作",
                "Not possible in the entry's current state",
            ),
            StepRefused::SamePerson => lang.pick(
                "送审人不能审核自己送审的条目，请由另一位信息公开员审核",
                "送審人不能審核自己送審的條目，請由另一位信息公開員審核",
                "The one who sent it cannot approve it: another editor must",
            ),
        }
    }
}

/// The status after `step` on an entry in `status`, sent for approval by `sent_by`, asked by
/// `me`; `approved_before`: it has a public version (an edit of an approved entry keeps the
/// approved version public until the edit is approved; a withdrawal ends the public version).
pub fn step(
    status: EntryStatus,
    step: EntryStep,
    me: i32,
    sent_by: Option<i32>,
    approved_before: bool,
) -> Result<EntryStatus, StepRefused> {
    use EntryStatus::*;
    use EntryStep::*;
    match (status, step) {
        (Draft | Approved | Withdrawn, Edit) => Ok(Draft),
        (Draft, Submit) => Ok(Pending),
        (Pending, Approve) if sent_by == Some(me) => Err(StepRefused::SamePerson),
        (Pending, Approve) => Ok(Approved),
        (Pending, Return) => Ok(Draft),
        (Draft | Pending | Approved, Withdraw) if approved_before => Ok(Withdrawn),
        _ => Err(StepRefused::NotNow),
    }
}

/// What an entry's attachments may be: the formats a reader opens anywhere (PDF, OFD, images).
pub const ATTACHMENT_TYPES: [FileType; 4] = FileType::ALL;
/// The largest attachment, in bytes (20 MiB).
pub const ATTACHMENT_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// The most attachments one entry holds.
pub const MAX_ATTACHMENTS: usize = 10;

/// Why an attachment is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentRefused {
    /// the entry already holds [`MAX_ATTACHMENTS`]
    Full,
    /// nothing in it
    Empty,
    /// a type, or a size, it may not have
    File(CorrectionReason),
}

impl AttachmentRefused {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AttachmentRefused::Full => match lang {
                Lang::ZhHans => format!("每个条目最多 {MAX_ATTACHMENTS} 个附件，请先删除不需要的附件"),
                Lang::ZhHant => format!("每個條目最多 {MAX_ATTACHMENTS} 個附件，請先刪除不需要的附件"),
                Lang::En => format!("An entry holds at most {MAX_ATTACHMENTS} attachments: remove one first"),
            },
            AttachmentRefused::Empty => lang.pick("文件是空的", "檔案是空的", "The file is empty").into(),
            AttachmentRefused::File(r) => r.message(lang),
        }
    }
}

/// Whether an entry that holds `held` attachments takes another (asked before a file is read).
pub fn room_for(held: usize) -> Result<(), AttachmentRefused> {
    if held >= MAX_ATTACHMENTS {
        Err(AttachmentRefused::Full)
    } else {
        Ok(())
    }
}

/// Whether a file of `file_type` (sniffed from its first bytes) and `size` may be attached to an
/// entry that holds `held` attachments: the type it is, else why not.
pub fn check_attachment(file_type: Option<FileType>, size: u64, held: usize) -> Result<FileType, AttachmentRefused> {
    room_for(held)?;
    if size == 0 {
        return Err(AttachmentRefused::Empty);
    }
    if size > ATTACHMENT_MAX_BYTES {
        return Err(AttachmentRefused::File(CorrectionReason::TooLarge { max_bytes: ATTACHMENT_MAX_BYTES }));
    }
    match file_type {
        Some(t) if ATTACHMENT_TYPES.contains(&t) => Ok(t),
        _ => Err(AttachmentRefused::File(CorrectionReason::WrongType { accepted: ATTACHMENT_TYPES.to_vec() })),
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3040..=0x30FF | 0xAC00..=0xD7AF)
}

/// The search terms of a text, each once, in order of first appearance: every CJK character and
/// every pair of neighbouring CJK characters; every run of letters and digits, in lower case
/// (at most 40 characters). Punctuation and spaces separate.
pub fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut push = |t: String, out: &mut Vec<String>| {
        if seen.insert(t.clone()) {
            out.push(t);
        }
    };
    let mut word = String::new();
    let mut prev_cjk: Option<char> = None;
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_cjk(c) {
            if !word.is_empty() {
                push(std::mem::take(&mut word), &mut out);
            }
            push(c.to_string(), &mut out);
            if let Some(p) = prev_cjk {
                push(format!("{p}{c}"), &mut out);
            }
            prev_cjk = Some(c);
        } else if c.is_alphanumeric() {
            prev_cjk = None;
            if word.chars().count() < 40 {
                word.extend(c.to_lowercase());
            }
        } else {
            prev_cjk = None;
            if !word.is_empty() {
                push(std::mem::take(&mut word), &mut out);
            }
        }
    }
    out
}

/// A query's terms: a query of several CJK characters asks for its pairs (a single character,
/// for itself), so "土地供应" needs 土地, 地供 and 供应 — the words in that order, not the four
/// characters anywhere.
pub fn query_terms(query: &str) -> Vec<String> {
    let all = terms(query);
    let pairs: Vec<&String> = all.iter().filter(|t| t.chars().count() == 2 && t.chars().all(is_cjk)).collect();
    all.iter()
        .filter(|t| {
            let cjk_single = t.chars().count() == 1 && t.chars().all(is_cjk);
            // a single character stands for itself only where no pair holds it
            !cjk_single || !pairs.iter().any(|p| p.contains(t.as_str()))
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntryStatus::*;
    use EntryStep::*;

    #[test]
    fn codes_round_trip() {
        for k in OpenKind::ALL {
            assert_eq!(OpenKind::decode(k.code()), Ok(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.code()));
        }
        for s in EntryStatus::ALL {
            assert_eq!(EntryStatus::decode(s.code()), Ok(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
        }
        assert!(OpenKind::decode("news").is_err());
        let labels: std::collections::HashSet<_> = OpenKind::ALL.iter().map(|k| k.label(Lang::ZhHans)).collect();
        assert_eq!(labels.len(), OpenKind::ALL.len());
    }

    #[test]
    fn what_may_be_attached() {
        use FileType::*;
        let max = ATTACHMENT_MAX_BYTES;
        let wrong = || AttachmentRefused::File(CorrectionReason::WrongType { accepted: ATTACHMENT_TYPES.to_vec() });
        // (sniffed type, size, attachments held, result)
        type Row = (Option<FileType>, u64, usize, Result<FileType, AttachmentRefused>);
        let rows: Vec<Row> = vec![
            (Some(Pdf), 1, 0, Ok(Pdf)),
            (Some(Ofd), max, MAX_ATTACHMENTS - 1, Ok(Ofd)),
            (Some(Png), 10, 3, Ok(Png)),
            (Some(Jpeg), 10, 3, Ok(Jpeg)),
            (None, 10, 0, Err(wrong())),
            (Some(Pdf), max + 1, 0, Err(AttachmentRefused::File(CorrectionReason::TooLarge { max_bytes: max }))),
            (Some(Pdf), 0, 0, Err(AttachmentRefused::Empty)),
            (Some(Pdf), 10, MAX_ATTACHMENTS, Err(AttachmentRefused::Full)),
            // full is said first: nothing else matters then
            (None, 0, MAX_ATTACHMENTS, Err(AttachmentRefused::Full)),
        ];
        for (t, size, held, want) in rows {
            assert_eq!(check_attachment(t, size, held), want, "{t:?} {size} {held}");
        }
        for lang in [Lang::ZhHans, Lang::ZhHant, Lang::En] {
            let said: std::collections::HashSet<String> =
                [AttachmentRefused::Full, AttachmentRefused::Empty, wrong()].iter().map(|r| r.message(lang)).collect();
            assert_eq!(said.len(), 3, "{lang:?}");
            assert!(AttachmentRefused::Full.message(lang).contains(&MAX_ATTACHMENTS.to_string()));
        }
    }

    #[test]
    fn who_may_do_what_to_an_entry() {
        const WRITER: i32 = 1;
        const OTHER: i32 = 2;
        // (status, step, me, sent by, approved before, result)
        type Row = (EntryStatus, EntryStep, i32, Option<i32>, bool, Result<EntryStatus, StepRefused>);
        let rows: &[Row] = &[
            (Draft, Edit, WRITER, None, false, Ok(Draft)),
            (Draft, Submit, WRITER, None, false, Ok(Pending)),
            (Pending, Approve, OTHER, Some(WRITER), false, Ok(Approved)),
            (Pending, Approve, WRITER, Some(WRITER), false, Err(StepRefused::SamePerson)),
            (Pending, Return, OTHER, Some(WRITER), false, Ok(Draft)),
            (Pending, Edit, WRITER, Some(WRITER), false, Err(StepRefused::NotNow)),
            (Draft, Approve, OTHER, None, false, Err(StepRefused::NotNow)),
            (Approved, Approve, OTHER, Some(WRITER), true, Err(StepRefused::NotNow)),
            (Approved, Edit, WRITER, Some(WRITER), true, Ok(Draft)),
            (Approved, Withdraw, WRITER, Some(WRITER), true, Ok(Withdrawn)),
            // an approved entry's next version, in draft or pending: still public, can be withdrawn
            (Draft, Withdraw, WRITER, None, true, Ok(Withdrawn)),
            (Pending, Withdraw, OTHER, Some(WRITER), true, Ok(Withdrawn)),
            // never public: nothing to withdraw
            (Draft, Withdraw, WRITER, None, false, Err(StepRefused::NotNow)),
            (Withdrawn, Withdraw, WRITER, None, true, Err(StepRefused::NotNow)),
            (Withdrawn, Submit, WRITER, None, true, Err(StepRefused::NotNow)),
            (Withdrawn, Edit, WRITER, None, true, Ok(Draft)),
        ];
        for &(status, s, me, sent_by, before, want) in rows {
            assert_eq!(step(status, s, me, sent_by, before), want, "{status:?} {s:?} by {me}");
        }
    }

    #[test]
    fn terms_of_chinese_and_latin_text() {
        assert_eq!(terms("土地供应"), ["土", "地", "土地", "供", "地供", "应", "供应"]);
        assert_eq!(terms("GB/T 39735，标准"), ["gb", "t", "39735", "标", "准", "标准"]);
        // punctuation breaks a run: no pair across it
        assert!(!terms("土地，供应").contains(&"地供".to_string()));
        // each term once
        assert_eq!(terms("土土土"), ["土", "土土"]);
        assert!(terms("").is_empty() && terms("，。 ").is_empty());
    }

    #[test]
    fn query_terms_ask_for_the_words_in_order() {
        assert_eq!(query_terms("供应"), ["供应"]);
        assert_eq!(query_terms("土地供应"), ["土地", "地供", "供应"]);
        assert_eq!(query_terms("矿"), ["矿"]);
        assert_eq!(query_terms("采矿 GB"), ["采矿", "gb"]);
        // a query's terms are an entry's terms whenever its words are in the entry
        let entry = terms("关于2026年度土地供应计划的公告");
        for q in ["土地供应", "供应计划", "2026", "公告", "地"] {
            assert!(query_terms(q).iter().all(|t| entry.contains(t)), "{q}");
        }
        assert!(!query_terms("供地").iter().all(|t| entry.contains(t)), "not the characters in another order");
    }

    proptest::proptest! {
        /// Whatever the Chinese text, a piece cut out of it finds it (Latin words are found whole).
        #[test]
        fn a_piece_of_a_text_finds_the_text(text in "[土地供应计划矿业权公告 ，。]{0,30}", from in 0usize..30, len in 1usize..8) {
            let chars: Vec<char> = text.chars().collect();
            let from = from.min(chars.len());
            let piece: String = chars[from..(from + len).min(chars.len())].iter().collect();
            let entry = terms(&text);
            for t in query_terms(&piece) {
                proptest::prop_assert!(entry.contains(&t), "{piece:?} in {text:?}: {t:?}");
            }
        }
    }
}
