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
#[path = "bundle_tests.rs"]
mod tests;
