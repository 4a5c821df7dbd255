//! The demo catalog: the items drawn from the seed documents ([000]–[004]), their materials and
//! questions, and the demo 一件事.

use rules::deadline::{ExtensionPolicy, TimeLimit};
use rules::item::{Handling, ItemKind, ItemRules, Question, SpecialProcedure};
use rules::materials::{ApplicantKind, Condition, FileType, MaterialForm, MaterialSpec, Requirement};
use rules::workflow::ReviewStage;
use rules::Role;

fn m(
    code: &str,
    name: &str,
    form: MaterialForm,
    requirement: Requirement,
    condition: Option<Condition>,
    deferrable: bool,
    note: &str,
) -> MaterialSpec {
    MaterialSpec {
        code: code.into(),
        name: name.into(),
        form,
        copies: 1,
        requirement,
        condition,
        deferrable,
        file_types: vec![FileType::Pdf, FileType::Jpeg, FileType::Png, FileType::Ofd],
        max_bytes: 20 * 1024 * 1024,
        note: note.into(),
        sample: None,
        blank_form: None,
    }
}

fn identity_materials() -> Vec<MaterialSpec> {
    use MaterialForm::*;
    vec![
        m(
            "id_card",
            "申请人身份证明",
            Copy,
            Requirement::Required,
            Some(Condition::Applicant(ApplicantKind::Person)),
            false,
            "居民身份证正反面",
        ),
        m(
            "business_license",
            "营业执照",
            Copy,
            Requirement::Required,
            Some(Condition::Applicant(ApplicantKind::Enterprise)),
            false,
            "加盖公章",
        ),
        m(
            "agent_authorization",
            "授权委托书及受托人身份证明",
            Original,
            Requirement::Required,
            Some(Condition::Eq { question: "via_agent".into(), value: "yes".into() }),
            false,
            "委托他人办理时提交",
        ),
    ]
}

fn agent_question() -> Question {
    Question {
        code: "via_agent".into(),
        text: "是否委托他人代为办理？".into(),
        options: vec![("no".into(), "否，本人办理".into()), ("yes".into(), "是，委托代理人".into())],
    }
}

/// (code, department, name, summary, rules)
pub(super) fn demo_items() -> Vec<(&'static str, &'static str, &'static str, &'static str, ItemRules)> {
    use MaterialForm::*;
    let base = |kind, handling, statutory: u32, promised: u32, extension| ItemRules {
        kind,
        handling,
        statutory_limit: TimeLimit::working(statutory),
        promised_limit: TimeLimit::working(promised),
        extension,
        warning_days: rules::deadline::DEFAULT_WARNING_DAYS,
        correction_term: TimeLimit::working(5),
        deferral_term: rules::deadline::DEFERRED_SUPPLEMENT,
        fee_term: None,
        questions: vec![agent_question()],
        materials: identity_materials(),
        special_procedures: vec![],
        topics: vec![],
        result_name: String::new(),
        fee_note: String::new(),
        online: true,
        stages: vec![],
        co_departments: vec![],
        publish_results: false,
    };
    let hearing = SpecialProcedure {
        name: "听证".into(),
        usual_duration: TimeLimit::working(20),
        legal_basis: "《中华人民共和国行政许可法》第四十五条".into(),
    };
    let expert = SpecialProcedure {
        name: "专家评审".into(),
        usual_duration: TimeLimit::working(15),
        legal_basis: "《中华人民共和国行政许可法》第四十五条".into(),
    };

    let mut land = base(ItemKind::Licensing, Handling::Promised, 20, 15, ExtensionPolicy::LICENSING);
    land.questions.push(Question {
        code: "collective".into(),
        text: "项目用地是否涉及集体土地？".into(),
        options: vec![("no".into(), "否".into()), ("yes".into(), "是".into())],
    });
    land.materials.extend([
        m(
            "application",
            "建设项目用地预审申请表",
            Original,
            Requirement::Required,
            None,
            false,
            "法定代表人签字并加盖公章",
        ),
        m("project_approval", "项目建议书批复文件或备案文件", Copy, Requirement::Required, None, false, ""),
        m(
            "collective_consent",
            "农村集体经济组织同意用地的书面意见",
            Original,
            Requirement::Required,
            Some(Condition::Eq { question: "collective".into(), value: "yes".into() }),
            false,
            "",
        ),
        m("site_map", "项目用地红线图", Electronic, Requirement::Required, None, true, "可容缺受理，30 日内补齐"),
        m("site_photos", "现场照片", Electronic, Requirement::Optional, None, false, ""),
    ]);
    land.special_procedures = vec![hearing.clone(), expert.clone()];

    let mut mining = base(ItemKind::Licensing, Handling::Promised, 20, 20, ExtensionPolicy::LICENSING);
    mining.fee_term = Some(TimeLimit::calendar(30));
    mining.materials.extend([
        m("application", "采矿权申请登记书", Original, Requirement::Required, None, false, ""),
        m("development_plan", "矿产资源开发利用方案", Original, Requirement::Required, None, false, ""),
        m("eia", "环境影响评价报告批复", Copy, Requirement::Required, None, true, "可容缺受理"),
    ]);
    // Survey data: large scanned reports and drawings (the upload benchmark sends 1 GiB here).
    let mut survey = m(
        "survey_data",
        "储量核实报告及附图（电子版）",
        Electronic,
        Requirement::Optional,
        None,
        false,
        "扫描件及矢量图，可分多个文件上传",
    );
    survey.file_types = vec![FileType::Pdf, FileType::Ofd];
    survey.max_bytes = 2 * 1024 * 1024 * 1024;
    mining.materials.push(survey);
    mining.special_procedures = vec![expert];

    let mut homestead = base(ItemKind::Licensing, Handling::Promised, 20, 20, ExtensionPolicy::LICENSING);
    homestead.materials = vec![
        m("id_card", "申请人及家庭成员身份证明", Copy, Requirement::Required, None, false, ""),
        m("application", "农村宅基地和建房（规划许可）申请表", Original, Requirement::Required, None, false, ""),
        m("household", "户口簿", Copy, Requirement::Required, None, false, ""),
        m("village_opinion", "村民小组会议讨论通过意见", Original, Requirement::Required, None, false, "村级审查"),
    ];
    homestead.questions = vec![];
    homestead.stages = vec![
        ReviewStage {
            name: "村级审查".into(),
            department: "CWH".into(),
            role: Role::Reviewer,
            limit: Some(TimeLimit::working(5)),
        },
        ReviewStage {
            name: "乡镇审核".into(),
            department: "XZF".into(),
            role: Role::Reviewer,
            limit: Some(TimeLimit::working(10)),
        },
        ReviewStage { name: "县级复核".into(), department: String::new(), role: Role::Reviewer, limit: None },
    ];

    let mut filing = base(ItemKind::Filing, Handling::Promised, 1, 1, ExtensionPolicy::NONE);
    filing.materials.extend([
        m("report", "地质灾害危险性评估报告", Original, Requirement::Required, None, false, ""),
        m("expert_opinion", "专家审查意见", Copy, Requirement::Required, None, false, ""),
    ]);

    let mut permit = base(ItemKind::Licensing, Handling::Parallel, 20, 20, ExtensionPolicy::PARALLEL_LEAD);
    // 并联审批: planning (ZRZY) and safety (YJGL) answer within 10 working days of unified acceptance
    permit.co_departments = vec!["ZRZY".into(), "YJGL".into()];
    permit.materials.extend([
        m("application", "建筑工程施工许可申请表", Original, Requirement::Required, None, false, ""),
        m("planning_permit", "建设工程规划许可证", Copy, Requirement::Required, None, false, ""),
        m("construction_contract", "施工合同", Copy, Requirement::Required, None, false, ""),
        m("safety_measures", "保证工程质量和安全的具体措施", Original, Requirement::Required, None, true, "可容缺受理"),
    ]);

    let mut sole = base(ItemKind::Licensing, Handling::Instant, 15, 0, ExtensionPolicy::NONE);
    sole.materials = vec![
        m("id_card", "经营者身份证明", Copy, Requirement::Required, None, false, ""),
        m("premises", "经营场所使用证明", Copy, Requirement::Required, None, false, ""),
    ];
    sole.questions = vec![];

    // A licence with nothing deferrable and no stages: accepted, reviewed and decided as plainly as
    // a licence can be.
    let mut survey = base(ItemKind::Licensing, Handling::Promised, 20, 5, ExtensionPolicy::LICENSING);
    survey.materials.extend([
        m("application", "测绘作业证申请表", Original, Requirement::Required, None, false, ""),
        m("qualification", "测绘资质证书", Copy, Requirement::Required, None, false, ""),
    ]);

    let mut mine_safety = base(ItemKind::Licensing, Handling::Promised, 20, 5, ExtensionPolicy::LICENSING);
    mine_safety.materials.extend([
        m("application", "安全设施设计审查申请书", Original, Requirement::Required, None, false, ""),
        m("design", "安全设施设计", Original, Requirement::Required, None, false, ""),
    ]);

    vec![
        (
            "ZRZY-001",
            "ZRZY",
            "建设项目用地预审",
            "建设项目使用土地的预先审查（承诺时限由 20 个工作日压缩为 15 个工作日）。",
            land,
        ),
        (
            "ZRZY-002",
            "ZRZY",
            "采矿权新立登记",
            "新设采矿权的审批登记；缴清采矿权价款等规费后 3 个工作日内送达许可证。",
            mining,
        ),
        ("ZRZY-003", "ZRZY", "农村宅基地审批", "农村村民建房使用宅基地的审批，经村、乡镇逐级审查。", homestead),
        (
            "ZRZY-004",
            "ZRZY",
            "地质灾害危险性评估报告备案",
            "收到备案材料的次个工作日内作出是否予以备案的书面决定。",
            filing,
        ),
        (
            "ZRZY-005",
            "ZRZY",
            "测绘作业证审核",
            "测绘单位作业人员的测绘作业证审核；法定 20 个工作日，承诺 5 个工作日办结。",
            survey,
        ),
        (
            "ZJJ-001",
            "ZJJ",
            "建筑工程施工许可证核发",
            "并联审批：主办部门 20 个工作日（可延长 5 个），协办部门 10 个工作日内回复。",
            permit,
        ),
        ("SCJG-001", "SCJG", "个体工商户设立登记", "即办件：材料齐全、符合法定形式的当场办结。", sole),
        (
            "YJGL-001",
            "YJGL",
            "非煤矿山建设项目安全设施设计审查",
            "法定办理时限 20 个工作日，承诺时限缩短为 5 个工作日。",
            mine_safety,
        ),
    ]
    .into_iter()
    .map(|(code, dep, name, summary, mut rules)| {
        (rules.result_name, rules.fee_note) = match code {
            "ZRZY-001" => ("建设项目用地预审与选址意见书".into(), String::new()),
            "ZRZY-002" => ("采矿许可证".into(), "采矿权出让收益按评估结果缴纳（缴费通知之日起 30 日内）".into()),
            "ZRZY-003" => ("农村宅基地批准书".into(), String::new()),
            "ZRZY-004" => ("备案通知书".into(), String::new()),
            "ZRZY-005" => ("测绘作业证".into(), String::new()),
            "ZJJ-001" => ("建筑工程施工许可证".into(), String::new()),
            "SCJG-001" => ("个体工商户营业执照".into(), String::new()),
            "YJGL-001" => ("安全设施设计审查意见书".into(), String::new()),
            _ => (String::new(), String::new()),
        };
        rules.topics = match code {
            "ZRZY-001" | "ZRZY-004" => vec!["工程建设".into(), "土地使用".into()],
            "ZRZY-002" | "YJGL-001" => vec!["矿产开发".into()],
            "ZRZY-003" => vec!["农村建房".into(), "土地使用".into()],
            "ZJJ-001" => vec!["工程建设".into()],
            "SCJG-001" => vec!["开办企业".into()],
            _ => vec![],
        };
        // Public-interest items: their decisions are published in 审批结果公示 by themselves.
        rules.publish_results = matches!(code, "ZRZY-001" | "ZRZY-002");
        // Signed application forms come as PDF or OFD only, and smaller.
        for m in rules.materials.iter_mut().filter(|m| m.code == "application") {
            m.file_types = vec![FileType::Pdf, FileType::Ofd];
            m.max_bytes = 10 * 1024 * 1024;
            m.blank_form = Some(format!("/items/{code}/materials/application/blank.pdf"));
            m.sample = Some(format!("/items/{code}/materials/application/sample.pdf"));
        }
        (code, dep, name, summary, rules)
    })
    .collect()
}

/// 一件事: starting the construction of a non-coal mine needs the site (ZRZY), the construction
/// permit (ZJJ) and the safety design review (YJGL); the identity and agency materials and the
/// agency question are shared.
pub(super) fn demo_bundle() -> rules::bundle::Bundle {
    use rules::bundle::{Bundle, SharedMaterial, SharedQuestion};
    let items = ["ZRZY-001", "ZJJ-001", "YJGL-001"];
    let shared = |code: &str, name: &str| SharedMaterial {
        code: code.into(),
        name: name.into(),
        fills: items.iter().map(|i| (i.to_string(), code.to_string())).collect(),
    };
    Bundle {
        code: "KG-001".into(),
        name: "非煤矿山建设项目开工".into(),
        items: items.iter().map(|i| i.to_string()).collect(),
        questions: vec![SharedQuestion {
            question: agent_question(),
            answers: items.iter().map(|i| (i.to_string(), "via_agent".to_string())).collect(),
        }],
        materials: vec![
            shared("id_card", "申请人身份证明"),
            shared("business_license", "营业执照"),
            shared("agent_authorization", "授权委托书及受托人身份证明"),
        ],
    }
}
