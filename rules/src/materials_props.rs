//! The property tests of `materials`.

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
