//! Demo data: departments, catalog items drawn from the seed documents, one staff account per
//! role and two demo applicants. Idempotent: running it twice changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use rules::deadline::{ExtensionPolicy, TimeLimit};
use rules::item::{Handling, ItemKind, ItemRules, Question, SpecialProcedure};
use rules::materials::{ApplicantKind, Condition, FileType, MaterialForm, MaterialSpec, Requirement};
use rules::workflow::ReviewStage;
use rules::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::accounts;
use super::cases::{self, Actor, Change};
use super::entities::{applicant, department, item};
use super::error::AppError;
use super::files::FileStore;
use super::second_factor;
use crate::models::{RegisterInput, Registration};

pub const DEMO_STAFF_PASSWORD: &str = "Tongban-Demo-2026";
pub const DEMO_APPLICANT_PASSWORD: &str = "Shenqing-Demo-2026";
/// The second factor of the demo's admin and approver (a TOTP secret, base32), public like their
/// password: add it to an authenticator app, or compute the code (`second_factor::code_at`).
pub const DEMO_TOTP_SECRET: &str = "TONGBANDEMOSECRETFORSTAFFSIGNINS";

pub struct DemoAccount {
    pub login: String,
    pub password: String,
    pub what: String,
}

/// (username, display name, roles per department)
type StaffSeed = (&'static str, &'static str, Vec<(Role, i32)>);

const DEPARTMENTS: &[(&str, &str)] = &[
    ("ZRZY", "自然资源局"),
    ("ZJJ", "住房和城乡建设局"),
    ("SCJG", "市场监督管理局"),
    ("YJGL", "应急管理局"),
    // the review stages of a rural homestead: village, then township, then the county's ZRZY
    ("CWH", "东湖村村民委员会"),
    ("XZF", "东湖镇人民政府"),
];

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
fn demo_items() -> Vec<(&'static str, &'static str, &'static str, &'static str, ItemRules)> {
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

async fn department_id(db: &DatabaseConnection, code: &str) -> Result<i32, AppError> {
    department::Entity::find()
        .filter(department::Column::Code.eq(code))
        .one(db)
        .await?
        .map(|d| d.id)
        .ok_or(AppError::NotFound)
}

/// Loads the demo data. Returns the demo accounts to print.
/// Loads the demo data; the demo cases get small PDF files in `files`.
/// Loads the demo data, dated from `today` (the node's clock).
pub async fn seed_demo(
    db: &DatabaseConnection,
    files: &dyn FileStore,
    today: chrono::NaiveDate,
) -> Result<Vec<DemoAccount>, AppError> {
    super::calendar::seed_shipped(db).await?;
    for (code, name) in DEPARTMENTS {
        if department::Entity::find().filter(department::Column::Code.eq(*code)).one(db).await?.is_none() {
            department::ActiveModel {
                code: Set((*code).into()),
                name: Set((*name).into()),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    for (code, dep, name, summary, rules) in demo_items() {
        debug_assert!(rules.problems().is_empty(), "{code}: {:?}", rules.problems());
        if item::Entity::find().filter(item::Column::Code.eq(code)).count(db).await? > 0 {
            continue;
        }
        item::ActiveModel {
            code: Set(code.into()),
            version: Set(1),
            department_id: Set(department_id(db, dep).await?),
            name: Set(name.into()),
            summary: Set(summary.into()),
            rules: Set(rules.clone()),
            published: Set(true),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    super::bundles::put(
        db,
        demo_bundle(),
        "选址用地、施工许可、安全设施设计审查一次申请：共用的身份证明和委托材料只提交一次，三个部门同时办理。",
    )
    .await?;
    let zrzy = department_id(db, "ZRZY").await?;
    let zjj = department_id(db, "ZJJ").await?;
    let yjgl = department_id(db, "YJGL").await?;
    let all: Vec<i32> = {
        let mut v = Vec::new();
        for (c, _) in DEPARTMENTS {
            v.push(department_id(db, c).await?);
        }
        v
    };
    let staff: Vec<StaffSeed> = vec![
        ("clerk", "窗口受理员 王敏", vec![(Role::WindowClerk, zrzy), (Role::WindowClerk, zjj)]),
        // 综合窗口: authorised by the three departments of 一件事 KG-001 to receive for each
        (
            "window",
            "综合窗口受理员 郑洁",
            vec![(Role::WindowClerk, zrzy), (Role::WindowClerk, zjj), (Role::WindowClerk, yjgl)],
        ),
        ("reviewer", "审查员 李强", vec![(Role::Reviewer, zrzy), (Role::Reviewer, zjj)]),
        ("approver", "首席代表 陈静", vec![(Role::Approver, zrzy), (Role::Approver, zjj)]),
        // co-reviews the parallel approvals led by ZJJ, for planning (ZRZY) and safety (YJGL)
        ("coreviewer", "协办审查员 赵磊", vec![(Role::CoReviewer, zrzy), (Role::CoReviewer, yjgl)]),
        ("village", "村级审查员 孙梅", vec![(Role::Reviewer, department_id(db, "CWH").await?)]),
        ("township", "乡镇审核员 吴刚", vec![(Role::Reviewer, department_id(db, "XZF").await?)]),
        ("supervisor", "电子监察 周琳", all.iter().map(|d| (Role::Supervisor, *d)).collect()),
        ("admin", "系统管理员", all.iter().map(|d| (Role::Admin, *d)).collect()),
        // 政务公开: one writes, the other approves (审核发布), in the bureau
        ("editor", "信息公开员 刘洋", vec![(Role::Publisher, zrzy)]),
        ("editor2", "信息公开审核员 黄丽", vec![(Role::Publisher, zrzy)]),
    ];
    let mut out = Vec::new();
    let mut ids = BTreeMap::new();
    for (username, name, roles) in staff {
        let member = accounts::upsert_staff(db, username, name, DEMO_STAFF_PASSWORD, &roles).await?;
        ids.insert(username, member.id);
        let roles = accounts::staff_roles(db, member.id).await?;
        let what = if second_factor::required(&roles) {
            second_factor::seed(db, member.id, DEMO_TOTP_SECRET).await?;
            format!("staff: {name} (TOTP secret {DEMO_TOTP_SECRET})")
        } else {
            format!("staff: {name}")
        };
        out.push(DemoAccount { login: username.into(), password: DEMO_STAFF_PASSWORD.into(), what });
    }
    let applicants = [
        RegisterInput {
            kind: "person".into(),
            name: "张三".into(),
            id_card_no: "11010519491231002X".into(),
            mobile: "13800000001".into(),
            password: DEMO_APPLICANT_PASSWORD.into(),
            password_confirm: DEMO_APPLICANT_PASSWORD.into(),
            ..Default::default()
        },
        RegisterInput {
            kind: "enterprise".into(),
            name: "示例科技有限公司".into(),
            credit_code: "91350100M000100Y43".into(),
            contact_name: "李四".into(),
            mobile: "13800000002".into(),
            password: DEMO_APPLICANT_PASSWORD.into(),
            password_confirm: DEMO_APPLICANT_PASSWORD.into(),
            ..Default::default()
        },
    ];
    for a in applicants {
        let login = if a.kind == "person" { a.id_card_no.clone() } else { a.credit_code.clone() };
        let exists =
            applicant::Entity::find().filter(applicant::Column::Mobile.eq(a.mobile.as_str())).count(db).await? > 0;
        if !exists {
            let reg: Registration = crate::models::validate_account(&a, rules::Lang::ZhHans)
                .map_err(|e| AppError::internal(format!("demo applicant invalid: {e:?}")))?;
            accounts::create_applicant(db, reg, rules::Lang::ZhHans).await?;
        }
        out.push(DemoAccount {
            login,
            password: DEMO_APPLICANT_PASSWORD.into(),
            what: format!("applicant: {} (mobile {})", a.name, a.mobile),
        });
    }
    demo_case(db, files, today).await?;
    demo_open_entries(db, zrzy, ids["editor"], ids["editor2"], today).await?;
    Ok(out)
}

/// 一件事: starting the construction of a non-coal mine needs the site (ZRZY), the construction
/// permit (ZJJ) and the safety design review (YJGL); the identity and agency materials and the
/// agency question are shared.
fn demo_bundle() -> rules::bundle::Bundle {
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

/// 政务公开 entries of the bureau, written by one editor and approved by the other, once.
async fn demo_open_entries(
    db: &DatabaseConnection,
    department: i32,
    author: i32,
    approver: i32,
    today: chrono::NaiveDate,
) -> Result<(), AppError> {
    use rules::open::OpenKind;
    if super::entities::open_entry::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let entries = [
        (
            OpenKind::Policy,
            "本县农村村民建房用地管理规定",
            "## 适用范围\n\n本办法适用于本县行政区域内农村村民申请使用宅基地建造住宅的审批管理。\n\n## 申请条件\n\n1. 具有本村集体经济组织成员资格；\n2. 一户只能拥有一处宅基地；\n3. 符合国土空间规划和村庄规划。\n\n## 办理程序\n\n村级审查、乡镇审核、县级审批，详见[办事程序](/open?kind=procedure)。",
        ),
        (
            OpenKind::Plan,
            "本县国土空间总体规划（2021—2035年）公告",
            "本县国土空间总体规划已经批准，现予公告。\n\n- 耕地保有量不低于规划目标；\n- 永久基本农田保护任务全部落实；\n- 城镇开发边界内实行“详细规划＋规划许可”管理。\n\n规划图件可到县自然资源局政务服务窗口查阅。",
        ),
        (
            OpenKind::LandSupply,
            "国有建设用地使用权挂牌出让公告（2026第3号）",
            "经县人民政府批准，县自然资源局决定以挂牌方式出让一宗国有建设用地使用权。\n\n| 项目 | 内容 |\n|---|---|\n| 宗地位置 | 城东新区纬三路北侧 |\n| 土地用途 | 商业服务业用地 |\n| 出让年限 | 40 年 |\n\n竞买人可于工作日到政务服务大厅自然资源窗口领取出让文件。",
        ),
    ];
    for (kind, title, body) in entries {
        let a = super::open_gov::Approved {
            department,
            kind,
            title: title.into(),
            body: body.into(),
            author,
            approver,
            case: None,
            on: today,
        };
        super::open_gov::insert_approved(db, a).await?;
    }
    Ok(())
}

/// Cases for the demo person: one submitted, accepted and in review today (so "my cases" and the
/// timeline have something to show), and one filing decided and delivered with a result document
/// (to rate, and to verify at `/verify/{code}`).
async fn demo_case(db: &DatabaseConnection, files: &dyn FileStore, today: chrono::NaiveDate) -> Result<(), AppError> {
    use super::auth::PrincipalKind;
    use super::entities::{case, staff};
    use rules::case::{Action, DecisionKind};
    let Some(person) =
        applicant::Entity::find().filter(applicant::Column::IdCardNo.eq("11010519491231002X")).one(db).await?
    else {
        return Ok(());
    };
    if case::Entity::find().filter(case::Column::ApplicantId.eq(person.id)).count(db).await? > 0 {
        return Ok(());
    }
    let staff_id = |name: &'static str| async move {
        staff::Entity::find().filter(staff::Column::Username.eq(name)).one(db).await.map(|s| s.map(|s| s.id))
    };
    let (Some(clerk), Some(reviewer)) = (staff_id("clerk").await?, staff_id("reviewer").await?) else {
        return Ok(());
    };
    let applicant = Actor { kind: PrincipalKind::Applicant, id: person.id, role: Role::Applicant };
    let clerk = Actor { kind: PrincipalKind::Staff, id: clerk, role: Role::WindowClerk };
    let reviewer = Actor { kind: PrincipalKind::Staff, id: reviewer, role: Role::Reviewer };
    let answers: rules::materials::Answers =
        [("via_agent".to_string(), "no".to_string()), ("collective".to_string(), "no".to_string())].into();
    run_demo(
        db,
        files,
        today,
        person.id,
        "ZRZY-001",
        &answers,
        &[(Action::Submit, applicant), (Action::Accept, clerk), (Action::StartReview, reviewer)],
    )
    .await?;
    let answers: rules::materials::Answers = [("via_agent".to_string(), "no".to_string())].into();
    // A filing is concluded from its receipt: 予以备案 at the window.
    let grant = Action::File {
        kind: DecisionKind::Grant, reason: "材料齐全，符合法定形式，予以备案。".into()
    };
    let c = run_demo(
        db,
        files,
        today,
        person.id,
        "ZRZY-004",
        &answers,
        &[(Action::Submit, applicant), (grant, clerk), (Action::PrepareDelivery, clerk), (Action::Deliver, clerk)],
    )
    .await?;
    super::cases::documents::issue_result_document(db, &c, "备案通知书", today).await?;
    Ok(())
}

async fn run_demo(
    db: &DatabaseConnection,
    files: &dyn FileStore,
    today: chrono::NaiveDate,
    applicant_id: i32,
    item_code: &str,
    answers: &rules::materials::Answers,
    steps: &[(rules::case::Action, Actor)],
) -> Result<super::entities::case::Model, AppError> {
    let cal = super::calendar::load(db).await?;
    let mut c = cases::create_draft(db, applicant_id, item_code, answers, None, None).await?;
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let rules: ItemRules = it.rules.clone();
    // A small PDF for every material the answers call for (required, 容缺 and optional).
    let list = rules::materials::checklist(&rules.materials, ApplicantKind::Person, answers, &BTreeSet::new(), None);
    let mut provided = BTreeSet::new();
    for code in list.required_now.iter().chain(list.deferrable.iter()) {
        let name = rules.materials.iter().find(|m| &m.code == code).map(|m| m.name.clone()).unwrap_or_default();
        let pdf = super::receipt::render(&[
            super::receipt::Block::Title(name.clone()),
            super::receipt::Block::Paragraph("演示数据：示例材料，非真实文件。".into()),
        ]);
        let body: super::files::ByteStream =
            Box::pin(futures::stream::once(async move { Ok::<_, std::io::Error>(bytes::Bytes::from(pdf)) }));
        super::journey::add_file(
            db,
            files,
            applicant_id,
            c.id,
            code,
            &format!("{name}.pdf"),
            body,
            rules::Lang::ZhHans,
        )
        .await?;
        provided.insert(code.clone());
    }
    let c0 = super::entities::case::Entity::find_by_id(c.id).one(db).await?.ok_or(AppError::NotFound)?;
    c = c0;
    for (action, actor) in steps {
        let change = Change {
            case_id: c.id,
            expected_version: c.version,
            action: action.clone(),
            actor: *actor,
            comment: String::new(),
            internal: false,
            today,
            provided: provided.clone(),
            grants_request: None,
        };
        c = cases::apply(db, &cal, change).await?;
    }
    Ok(c)
}

/// Whether the database holds no accounts and no items yet.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, AppError> {
    Ok(item::Entity::find().count(db).await? == 0 && department::Entity::find().count(db).await? == 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_items_are_consistent() {
        for (code, _, _, _, rules) in super::demo_items() {
            assert!(rules.problems().is_empty(), "{code}: {:?}", rules.problems());
        }
    }
}
