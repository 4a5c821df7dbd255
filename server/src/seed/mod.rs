//! Demo data: departments, catalog items drawn from the seed documents, one staff account per
//! role and two demo applicants. Idempotent: running it twice changes nothing.

mod catalog;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use rules::item::ItemRules;
use rules::materials::ApplicantKind;
use rules::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

use app::models::{RegisterInput, Registration};
use app::server::accounts;
use app::server::cases::{self, Actor, Change};
use app::server::entities::{applicant, department, item};
use app::server::error::AppError;
use app::server::files::FileStore;
use app::server::second_factor;
use catalog::{demo_bundle, demo_items};

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
    app::server::calendar::seed_shipped(db).await?;
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
    app::server::bundles::put(
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
            let reg: Registration = app::models::validate_account(&a, rules::Lang::ZhHans)
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

/// 政务公开 entries of the bureau, written by one editor and approved by the other, once.
async fn demo_open_entries(
    db: &DatabaseConnection,
    department: i32,
    author: i32,
    approver: i32,
    today: chrono::NaiveDate,
) -> Result<(), AppError> {
    use rules::open::OpenKind;
    if app::server::entities::open_entry::Entity::find().count(db).await? > 0 {
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
        let a = app::server::open_gov::Approved {
            department,
            kind,
            title: title.into(),
            body: body.into(),
            author,
            approver,
            case: None,
            on: today,
        };
        app::server::open_gov::insert_approved(db, a).await?;
    }
    Ok(())
}

/// Cases for the demo person: one submitted, accepted and in review today (so "my cases" and the
/// timeline have something to show), and one filing decided and delivered with a result document
/// (to rate, and to verify at `/verify/{code}`).
async fn demo_case(db: &DatabaseConnection, files: &dyn FileStore, today: chrono::NaiveDate) -> Result<(), AppError> {
    use app::server::auth::PrincipalKind;
    use app::server::entities::{case, staff};
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
    app::server::cases::documents::issue_result_document(db, &c, "备案通知书", today).await?;
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
) -> Result<app::server::entities::case::Model, AppError> {
    let cal = app::server::calendar::load(db).await?;
    let mut c = cases::create_draft(db, applicant_id, item_code, answers, None, None).await?;
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let rules: ItemRules = it.rules.clone();
    // A small PDF for every material the answers call for (required, 容缺 and optional).
    let list = rules::materials::checklist(&rules.materials, ApplicantKind::Person, answers, &BTreeSet::new(), None);
    let mut provided = BTreeSet::new();
    for code in list.required_now.iter().chain(list.deferrable.iter()) {
        let name = rules.materials.iter().find(|m| &m.code == code).map(|m| m.name.clone()).unwrap_or_default();
        let pdf = app::server::receipt::render(&[
            app::server::receipt::Block::Title(name.clone()),
            app::server::receipt::Block::Paragraph("演示数据：示例材料，非真实文件。".into()),
        ]);
        let body: app::server::files::ByteStream =
            Box::pin(futures::stream::once(async move { Ok::<_, std::io::Error>(bytes::Bytes::from(pdf)) }));
        app::server::journey::add_file(
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
    let c0 = app::server::entities::case::Entity::find_by_id(c.id).one(db).await?.ok_or(AppError::NotFound)?;
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
