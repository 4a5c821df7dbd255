//! 一件事: several items applied for once (issue J2). An admin defines a bundle — its items, the
//! questions they share, the materials they share — and the applicant answers each shared question
//! once and uploads each shared material once. This module is the merge both sides compute: each
//! item's answers from the bundle's, and the merged checklist (the union of the items' applicable
//! materials, a shared one listed once for all the slots it fills, every item's conditions
//! respected). It runs in the browser as on the server.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::item::{ItemRules, Question};
use crate::materials::{Answers, ApplicantKind, FileType, MaterialSpec, Requirement};
use crate::Lang;

/// A question the bundle asks once, answering one question of several items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedQuestion {
    pub question: Question,
    /// (item code, that item's question code) it answers; the options must be the same values
    pub answers: Vec<(String, String)>,
}

/// A material uploaded once for several items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedMaterial {
    pub code: String,
    pub name: String,
    /// (item code, that item's material code) one upload fills
    pub fills: Vec<(String, String)>,
}

/// An admin-defined 一件事. Stored as JSON text (a `TEXT` column on both databases).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "Bundle::from_json", to_str = "Bundle::to_json")
)]
pub struct Bundle {
    pub code: String,
    pub name: String,
    /// item codes, in the order the combined page shows them
    pub items: Vec<String>,
    #[serde(default)]
    pub questions: Vec<SharedQuestion>,
    #[serde(default)]
    pub materials: Vec<SharedMaterial>,
}

/// One line of the merged checklist: what the applicant uploads once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedMaterial {
    /// the shared material's code, or `ITEM/material` for one item's own
    pub code: String,
    pub name: String,
    /// the (item, material) slots it fills for this applicant (only those that apply)
    pub fills: Vec<(String, String)>,
    /// required if any slot it fills is
    pub requirement: Requirement,
    /// 容缺 only if every required slot it fills may come later
    pub deferrable: bool,
    /// the file types every slot accepts
    pub file_types: Vec<FileType>,
    /// the smallest of the slots' limits
    pub max_bytes: u64,
}

/// The code of an item's own question or material in the bundle's answers and checklist.
pub fn own_code(item: &str, code: &str) -> String {
    format!("{item}/{code}")
}

impl Bundle {
    /// Reads the stored form.
    pub fn from_json(text: &str) -> Result<Bundle, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The stored form. (Plain data with string keys: serialising cannot fail.)
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The answers of item `item`: each shared question's answer under the item's own code, and the
    /// item's own questions answered as `ITEM/question`.
    pub fn item_answers(&self, item: &str, answers: &Answers) -> Answers {
        let mut out = Answers::new();
        for q in &self.questions {
            if let Some(a) = answers.get(&q.question.code) {
                for (i, code) in &q.answers {
                    if i == item {
                        out.insert(code.clone(), a.clone());
                    }
                }
            }
        }
        let prefix = format!("{item}/");
        for (k, v) in answers {
            if let Some(code) = k.strip_prefix(&prefix) {
                out.insert(code.to_string(), v.clone());
            }
        }
        out
    }

    /// The bundle's code for question `code` of item `item`: the shared question that answers it,
    /// else the item's own (`ITEM/code`). A refusal of one item's case is shown at this field.
    pub fn question_code(&self, item: &str, code: &str) -> String {
        self.questions
            .iter()
            .find(|q| q.answers.iter().any(|(i, c)| i == item && c == code))
            .map(|q| q.question.code.clone())
            .unwrap_or_else(|| own_code(item, code))
    }

    /// The merged checklist's code for material `code` of item `item`: the shared material that
    /// fills it, else the item's own (`ITEM/code`).
    pub fn material_code(&self, item: &str, code: &str) -> String {
        self.materials
            .iter()
            .find(|m| m.fills.iter().any(|(i, c)| i == item && c == code))
            .map(|m| m.code.clone())
            .unwrap_or_else(|| own_code(item, code))
    }

    /// The questions the applicant answers: the shared ones, then each item's own that no shared
    /// one answers (coded `ITEM/question`), in the bundle's item order.
    pub fn questions_to_ask(&self, items: &BTreeMap<String, ItemRules>) -> Vec<Question> {
        let shared: BTreeSet<(&str, &str)> =
            self.questions.iter().flat_map(|q| q.answers.iter().map(|(i, c)| (i.as_str(), c.as_str()))).collect();
        let mut out: Vec<Question> = self.questions.iter().map(|q| q.question.clone()).collect();
        for code in &self.items {
            let Some(r) = items.get(code) else { continue };
            for q in &r.questions {
                if !shared.contains(&(code.as_str(), q.code.as_str())) {
                    out.push(Question { code: own_code(code, &q.code), ..q.clone() });
                }
            }
        }
        out
    }

    /// The merged checklist for an applicant of `kind` with these (bundle) answers: every material
    /// that applies to one of the items, once — a shared material for all the slots it fills that
    /// apply, an item's own otherwise — shared ones first, then each item's in its order.
    pub fn merged_checklist(
        &self,
        items: &BTreeMap<String, ItemRules>,
        kind: ApplicantKind,
        answers: &Answers,
    ) -> Vec<MergedMaterial> {
        self.merged_checklist_of(|code| items.get(code).map(|r| r.materials.as_slice()), kind, answers)
    }

    /// [`merged_checklist`](Bundle::merged_checklist) from each item's materials alone (what the
    /// browser is given).
    pub fn merged_checklist_of<'a>(
        &self,
        materials_of: impl Fn(&str) -> Option<&'a [MaterialSpec]>,
        kind: ApplicantKind,
        answers: &Answers,
    ) -> Vec<MergedMaterial> {
        let slot_of: BTreeMap<(&str, &str), usize> = self
            .materials
            .iter()
            .enumerate()
            .flat_map(|(n, m)| m.fills.iter().map(move |(i, c)| ((i.as_str(), c.as_str()), n)))
            .collect();
        let mut shared: Vec<Option<MergedMaterial>> = vec![None; self.materials.len()];
        let mut own = Vec::new();
        for code in &self.items {
            let Some(materials) = materials_of(code) else { continue };
            let item_answers = self.item_answers(code, answers);
            for spec in materials.iter().filter(|s| s.applies(kind, &item_answers)) {
                let slot = (code.clone(), spec.code.clone());
                let required = spec.requirement == Requirement::Required;
                match slot_of.get(&(code.as_str(), spec.code.as_str())) {
                    Some(&n) => {
                        let m = shared[n].get_or_insert_with(|| MergedMaterial {
                            code: self.materials[n].code.clone(),
                            name: self.materials[n].name.clone(),
                            fills: vec![],
                            requirement: Requirement::Optional,
                            deferrable: true,
                            file_types: FileType::ALL.to_vec(),
                            max_bytes: u64::MAX,
                        });
                        m.fills.push(slot);
                        if required {
                            m.requirement = Requirement::Required;
                            m.deferrable &= spec.deferrable;
                        }
                        m.file_types.retain(|t| spec.file_types.contains(t));
                        m.max_bytes = m.max_bytes.min(spec.max_bytes);
                    }
                    None => own.push(MergedMaterial {
                        code: own_code(code, &spec.code),
                        name: spec.name.clone(),
                        fills: vec![slot],
                        requirement: spec.requirement,
                        deferrable: required && spec.deferrable,
                        file_types: spec.file_types.clone(),
                        max_bytes: spec.max_bytes,
                    }),
                }
            }
        }
        let mut out: Vec<MergedMaterial> = shared.into_iter().flatten().collect();
        for m in &mut out {
            if m.requirement == Requirement::Optional {
                m.deferrable = false;
            }
        }
        out.extend(own);
        out
    }

    /// What is wrong with the bundle's definition over these items, in `lang` (for the admin
    /// editor).
    pub fn problems(&self, items: &BTreeMap<String, ItemRules>, lang: Lang) -> Vec<String> {
        let mut p = Vec::new();
        let say = |hans: String, hant: String, en: String| match lang {
            Lang::ZhHans => hans,
            Lang::ZhHant => hant,
            Lang::En => en,
        };
        if self.items.len() < 2 {
            p.push(say(
                "一件事至少包含两个事项".into(),
                "一件事至少包含兩個事項".into(),
                "a bundle has at least two items".into(),
            ));
        }
        let mut seen = BTreeSet::new();
        for i in &self.items {
            if !seen.insert(i) {
                p.push(say(
                    format!("事项 {i} 列了两次"),
                    format!("事項 {i} 列了兩次"),
                    format!("item {i} listed twice"),
                ));
            }
            if !items.contains_key(i) {
                p.push(say(
                    format!("事项 {i} 不在已发布的目录中"),
                    format!("事項 {i} 不在已發布的目錄中"),
                    format!("item {i} is not in the catalog"),
                ));
            }
        }
        let mut codes = BTreeSet::new();
        let mut filled = BTreeSet::new();
        for m in &self.materials {
            let code = &m.code;
            if code.is_empty() || !codes.insert(code.clone()) || code.contains('/') {
                p.push(say(
                    format!("共享材料编码「{code}」为空、重复或含有“/”"),
                    format!("共享材料編碼「{code}」為空、重複或含有「/」"),
                    format!("material code {code} is empty, used twice or holds a '/'"),
                ));
            }
            if m.fills.len() < 2 {
                p.push(say(
                    format!("共享材料「{}」至少要对应两个事项的材料", m.name),
                    format!("共享材料「{}」至少要對應兩個事項的材料", m.name),
                    format!("shared material {code} fills fewer than two slots"),
                ));
            }
            let mut types: Option<BTreeSet<FileType>> = None;
            for (i, c) in &m.fills {
                if !self.items.contains(i) {
                    p.push(say(
                        format!("共享材料「{}」对应的事项 {i} 不在本一件事中", m.name),
                        format!("共享材料「{}」對應的事項 {i} 不在本一件事中", m.name),
                        format!("shared material {code} fills {i}/{c}, an item not in the bundle"),
                    ));
                    continue;
                }
                if !filled.insert((i.clone(), c.clone())) {
                    p.push(say(
                        format!("事项 {i} 的材料 {c} 被两份共享材料对应"),
                        format!("事項 {i} 的材料 {c} 被兩份共享材料對應"),
                        format!("{i}/{c} is filled by two shared materials"),
                    ));
                }
                match items.get(i).and_then(|r| r.materials.iter().find(|s| &s.code == c)) {
                    Some(spec) => {
                        let t: BTreeSet<FileType> = spec.file_types.iter().copied().collect();
                        types = Some(match types {
                            Some(prev) => prev.intersection(&t).copied().collect(),
                            None => t,
                        });
                    }
                    None if items.contains_key(i) => p.push(say(
                        format!("事项 {i} 没有材料 {c}"),
                        format!("事項 {i} 沒有材料 {c}"),
                        format!("{i} has no material {c}"),
                    )),
                    None => {}
                }
            }
            if types.is_some_and(|t| t.is_empty()) {
                p.push(say(
                    format!("共享材料「{}」对应的各材料没有共同接受的文件格式", m.name),
                    format!("共享材料「{}」對應的各材料沒有共同接受的檔案格式", m.name),
                    format!("shared material {code}: its slots accept no common file type"),
                ));
            }
        }
        let mut asked = BTreeSet::new();
        for q in &self.questions {
            let code = &q.question.code;
            if code.is_empty() || !asked.insert(code.clone()) || code.contains('/') {
                p.push(say(
                    format!("共享问题编码「{code}」为空、重复或含有“/”"),
                    format!("共享問題編碼「{code}」為空、重複或含有「/」"),
                    format!("question code {code} is empty, used twice or holds a '/'"),
                ));
            }
            if q.answers.is_empty() {
                p.push(say(
                    format!("共享问题「{code}」没有对应任何事项的问题"),
                    format!("共享問題「{code}」沒有對應任何事項的問題"),
                    format!("shared question {code} answers no item's question"),
                ));
            }
            let values: BTreeSet<&String> = q.question.options.iter().map(|(v, _)| v).collect();
            for (i, c) in &q.answers {
                match items.get(i).and_then(|r| r.questions.iter().find(|x| &x.code == c)) {
                    Some(iq) => {
                        let theirs: BTreeSet<&String> = iq.options.iter().map(|(v, _)| v).collect();
                        if theirs != values {
                            p.push(say(
                                format!("共享问题「{code}」与事项 {i} 的问题 {c} 的选项不同"),
                                format!("共享問題「{code}」與事項 {i} 的問題 {c} 的選項不同"),
                                format!("shared question {code} and {i}/{c} offer different answers"),
                            ));
                        }
                    }
                    None => p.push(say(
                        format!("共享问题「{code}」对应的事项 {i} 没有问题 {c}"),
                        format!("共享問題「{code}」對應的事項 {i} 沒有問題 {c}"),
                        format!("shared question {code} answers {i}/{c}, which is not asked"),
                    )),
                }
            }
        }
        p
    }
}

/// The combined deadline of a bundle's cases: the latest of their due days (the thing is done when
/// its last item is); `None` while one of them has no clock yet.
pub fn combined_due(dues: &[Option<chrono::NaiveDate>]) -> Option<chrono::NaiveDate> {
    dues.iter().copied().collect::<Option<Vec<_>>>().and_then(|d| d.into_iter().max())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::materials::{Condition, MaterialForm};
    use proptest::prelude::*;

    fn spec(code: &str, types: &[FileType], req: Requirement, condition: Option<Condition>) -> MaterialSpec {
        MaterialSpec {
            code: code.into(),
            name: format!("材料{code}"),
            form: MaterialForm::Electronic,
            copies: 1,
            requirement: req,
            condition,
            deferrable: false,
            file_types: types.to_vec(),
            max_bytes: 10 << 20,
            note: String::new(),
            sample: None,
            blank_form: None,
        }
    }

    fn item(questions: Vec<Question>, materials: Vec<MaterialSpec>) -> ItemRules {
        ItemRules { questions, materials, ..crate::item::test_item() }
    }

    fn yes_no(code: &str) -> Question {
        Question {
            code: code.into(),
            text: "是否临街？".into(),
            options: vec![("yes".into(), "是".into()), ("no".into(), "否".into())],
        }
    }

    /// Opening a shop: a business licence, a food permit and a sign permit (only for a shop on the
    /// street). All three want the ID card, the first two the lease; each has its own form.
    fn shop() -> (Bundle, BTreeMap<String, ItemRules>) {
        use FileType::*;
        use Requirement::*;
        let items: BTreeMap<String, ItemRules> = [
            (
                "SCJ-001",
                item(
                    vec![],
                    vec![
                        spec("id", &[Pdf, Jpeg], Required, None),
                        spec("lease", &[Pdf], Required, None),
                        spec("form", &[Pdf], Required, None),
                    ],
                ),
            ),
            (
                "SCJ-002",
                item(
                    vec![],
                    vec![
                        spec("idcard", &[Jpeg, Png], Required, None),
                        spec("lease", &[Pdf, Jpeg], Optional, None),
                        spec("health", &[Pdf], Required, None),
                    ],
                ),
            ),
            (
                "CGJ-001",
                item(
                    vec![yes_no("on_street")],
                    vec![
                        spec("id", &[Jpeg], Required, None),
                        spec(
                            "design",
                            &[Pdf],
                            Required,
                            Some(Condition::Eq { question: "on_street".into(), value: "yes".into() }),
                        ),
                    ],
                ),
            ),
        ]
        .into_iter()
        .map(|(c, r)| (c.to_string(), r))
        .collect();
        let bundle = Bundle {
            code: "OPEN-SHOP".into(),
            name: "开办餐饮店".into(),
            items: vec!["SCJ-001".into(), "SCJ-002".into(), "CGJ-001".into()],
            questions: vec![SharedQuestion {
                question: yes_no("street"),
                answers: vec![("CGJ-001".into(), "on_street".into())],
            }],
            materials: vec![
                SharedMaterial {
                    code: "id".into(),
                    name: "身份证".into(),
                    fills: vec![
                        ("SCJ-001".into(), "id".into()),
                        ("SCJ-002".into(), "idcard".into()),
                        ("CGJ-001".into(), "id".into()),
                    ],
                },
                SharedMaterial {
                    code: "lease".into(),
                    name: "租赁合同".into(),
                    fills: vec![("SCJ-001".into(), "lease".into()), ("SCJ-002".into(), "lease".into())],
                },
            ],
        };
        (bundle, items)
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_shop_bundle_is_well_defined() {
        let (b, items) = shop();
        assert_eq!(b.problems(&items, Lang::En), Vec::<String>::new());
    }

    #[test]
    fn shared_materials_once_each_item_own_conditions_respected() {
        let (b, items) = shop();
        // (answers, codes of the merged list in order)
        let table: [(Answers, Vec<&str>); 3] = [
            (answers(&[("street", "yes")]), vec!["id", "lease", "SCJ-001/form", "SCJ-002/health", "CGJ-001/design"]),
            (answers(&[("street", "no")]), vec!["id", "lease", "SCJ-001/form", "SCJ-002/health"]),
            (Answers::new(), vec!["id", "lease", "SCJ-001/form", "SCJ-002/health"]),
        ];
        for (a, want) in table {
            let got = b.merged_checklist(&items, ApplicantKind::Person, &a);
            assert_eq!(got.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(), want, "{a:?}");
        }
        let got = b.merged_checklist(&items, ApplicantKind::Person, &answers(&[("street", "yes")]));
        let id = &got[0];
        assert_eq!(id.fills.len(), 3, "one upload, three slots");
        assert_eq!(id.file_types, vec![FileType::Jpeg], "what all three accept");
        let lease = &got[1];
        assert_eq!(lease.requirement, Requirement::Required, "required by one, optional for the other");
        assert_eq!(lease.file_types, vec![FileType::Pdf]);
    }

    #[test]
    fn a_shared_answer_reaches_each_item_under_its_own_code() {
        let (b, _) = shop();
        let a = answers(&[("street", "yes"), ("SCJ-002/extra", "x")]);
        assert_eq!(b.item_answers("CGJ-001", &a), answers(&[("on_street", "yes")]));
        assert_eq!(b.item_answers("SCJ-002", &a), answers(&[("extra", "x")]));
        assert_eq!(b.item_answers("SCJ-001", &a), Answers::new());
    }

    #[test]
    fn problems_are_said_in_the_admins_language() {
        let (mut b, items) = shop();
        b.items.truncate(1);
        let zh = b.problems(&items, Lang::ZhHans);
        assert!(zh.iter().any(|p| p == "一件事至少包含两个事项"), "{zh:?}");
        assert!(zh.iter().any(|p| p.contains("不在本一件事中")), "{zh:?}");
        assert_eq!(zh.len(), b.problems(&items, Lang::En).len(), "the same problems in each language");
    }

    #[test]
    fn an_items_field_maps_to_the_bundles() {
        let (b, _) = shop();
        let table = [
            ("CGJ-001", "on_street", "street", "q"),
            ("SCJ-002", "chain", "SCJ-002/chain", "q"),
            ("SCJ-002", "idcard", "id", "m"),
            ("CGJ-001", "id", "id", "m"),
            ("SCJ-002", "lease", "lease", "m"),
            ("SCJ-001", "form", "SCJ-001/form", "m"),
            // a code shared for another item is that item's own here
            ("SCJ-002", "id", "SCJ-002/id", "m"),
        ];
        for (item, code, want, kind) in table {
            let got = if kind == "q" { b.question_code(item, code) } else { b.material_code(item, code) };
            assert_eq!(got, want, "{item}/{code}");
        }
    }

    #[test]
    fn the_questions_asked_are_the_shared_ones_and_the_rest() {
        let (mut b, mut items) = shop();
        items.get_mut("SCJ-002").unwrap().questions.push(yes_no("chain"));
        let asked: Vec<String> = b.questions_to_ask(&items).into_iter().map(|q| q.code).collect();
        assert_eq!(asked, vec!["street".to_string(), "SCJ-002/chain".to_string()]);
        b.questions.clear();
        let asked: Vec<String> = b.questions_to_ask(&items).into_iter().map(|q| q.code).collect();
        assert_eq!(asked, vec!["SCJ-002/chain".to_string(), "CGJ-001/on_street".to_string()]);
    }

    #[test]
    fn a_bad_definition_is_told() {
        let (b, items) = shop();
        let mut two = b.clone();
        two.materials[1].fills.push(("SCJ-001".into(), "id".into()));
        assert!(two.problems(&items, Lang::En).iter().any(|p| p.contains("filled by two")));
        let mut none = b.clone();
        none.materials[0].fills.push(("SCJ-001".into(), "form".into()));
        // id (Pdf, Jpeg) ∩ idcard (Jpeg, Png) ∩ id (Jpeg) ∩ form (Pdf) = ∅
        assert!(none.problems(&items, Lang::En).iter().any(|p| p.contains("no common file type")));
        let mut unknown = b.clone();
        unknown.items.push("NOPE-1".into());
        assert!(unknown.problems(&items, Lang::En).iter().any(|p| p.contains("not in the catalog")));
        let mut odd = b;
        odd.questions[0].answers.push(("SCJ-001".into(), "missing".into()));
        assert!(odd.problems(&items, Lang::En).iter().any(|p| p.contains("not asked")));
    }

    #[test]
    fn the_combined_deadline_is_the_last_items() {
        let d = |s: &str| Some(s.parse::<chrono::NaiveDate>().unwrap());
        assert_eq!(combined_due(&[d("2026-12-10"), d("2026-12-18"), d("2026-12-14")]), d("2026-12-18"));
        assert_eq!(combined_due(&[d("2026-12-10"), None]), None);
        assert_eq!(combined_due(&[]), None);
    }

    proptest! {
        /// Whatever the answers and whichever slots are shared: every applicable material of every
        /// item is on the merged list exactly once, nothing that does not apply is, and no line is
        /// empty.
        #[test]
        fn every_applicable_slot_exactly_once(street in proptest::option::of(prop_oneof![Just("yes"), Just("no")]), enterprise: bool, share in proptest::collection::vec(any::<bool>(), 3)) {
            let (mut b, items) = shop();
            // drop some of the sharing: those slots then stand alone
            for (m, keep) in b.materials.iter_mut().zip(share.iter().chain(std::iter::repeat(&true))) {
                if !keep { m.fills.truncate(1); }
            }
            let a = street.map(|s| answers(&[("street", s)])).unwrap_or_default();
            let kind = if enterprise { ApplicantKind::Enterprise } else { ApplicantKind::Person };
            let merged = b.merged_checklist(&items, kind, &a);
            let mut seen = BTreeSet::new();
            for m in &merged {
                prop_assert!(!m.fills.is_empty());
                for slot in &m.fills {
                    prop_assert!(seen.insert(slot.clone()), "{slot:?} twice");
                    // a refusal of that slot's case is shown at this line
                    prop_assert_eq!(b.material_code(&slot.0, &slot.1), m.code.clone());
                }
            }
            let want: BTreeSet<(String, String)> = b.items.iter().flat_map(|i| {
                let ia = b.item_answers(i, &a);
                items[i].materials.iter().filter(move |s| s.applies(kind, &ia)).map(move |s| (i.clone(), s.code.clone())).collect::<Vec<_>>()
            }).collect();
            prop_assert_eq!(seen, want);
        }
    }
}
