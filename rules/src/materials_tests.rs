//! The table tests of `materials`.

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
    let got: Vec<(&str, &CorrectionReason)> = n.items.iter().map(|i| (i.material_code.as_str(), &i.reason)).collect();
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
