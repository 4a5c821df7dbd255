//! The table and property tests of `bundle`.

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
