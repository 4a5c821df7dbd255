//! The words of one line of a 一件事's merged checklist, the same on the server's page and in the
//! island that recomputes the list in the browser (`islands::BundleChecklistLive`).

use std::collections::BTreeMap;

use rules::bundle::MergedMaterial;
use rules::materials::Requirement;
use rules::Lang;

/// A line's words: whether it is needed now, whether one upload serves several items, which.
pub struct LineText {
    pub status: &'static str,
    pub shared: Option<&'static str>,
    pub for_items: String,
}

/// The words of line `m`; `names` gives each item code its name.
pub fn line_text(m: &MergedMaterial, names: &BTreeMap<String, String>, lang: Lang) -> LineText {
    let status = match (m.requirement, m.deferrable) {
        (Requirement::Optional, _) => lang.pick("可选", "可選", "optional"),
        (_, true) => lang.pick("可容缺后补", "可容缺後補", "may follow after acceptance"),
        _ => lang.pick("必须提交", "必須提交", "needed now"),
    };
    let items: Vec<&str> = m.fills.iter().filter_map(|(i, _)| names.get(i).map(String::as_str)).collect();
    LineText {
        status,
        shared: (m.fills.len() > 1).then(|| lang.pick("只需提交一次", "只需提交一次", "uploaded once")),
        for_items: format!("{}{}", lang.pick("用于：", "用於：", "For: "), items.join("、")),
    }
}
