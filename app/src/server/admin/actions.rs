//! What the admin form does: one action at a time, each checking the admin role.

use super::*;

/// After a calendar change: every node's public pages render afresh, this node reloads its calendar.
async fn reload_calendar(st: &AppState) -> Result<(), AppError> {
    crate::server::page_cache::bump(&st.db).await?;
    let cal = crate::server::calendar::load(&st.db).await?;
    if let Ok(mut w) = st.calendar.write() {
        *w = std::sync::Arc::new(cal);
    }
    Ok(())
}

/// The admins of every department (the county's), before a new department is added.
async fn county_admins(db: &DatabaseConnection) -> Result<Vec<i32>, AppError> {
    let departments = department::Entity::find().all(db).await?.len();
    let mut held: BTreeMap<i32, std::collections::BTreeSet<i32>> = BTreeMap::new();
    for r in staff_role::Entity::find().filter(staff_role::Column::Role.eq(Role::Admin)).all(db).await? {
        held.entry(r.staff_id).or_default().insert(r.department_id);
    }
    Ok(held.into_iter().filter(|(_, d)| d.len() >= departments).map(|(id, _)| id).collect())
}

/// Carries out one admin action within the caller's [`AdminScope`]; returns where to go and what to say.
pub async fn act(
    st: &AppState,
    user: Option<&SessionUser>,
    command: &AdminCommand,
    lang: Lang,
) -> Result<(String, String), AppError> {
    let db = &st.db;
    let scope = AdminScope::of(db, user).await?;
    let me = scope.me;
    let said = |m: (&'static str, &'static str, &'static str)| lang.pick(m.0, m.1, m.2).to_string();
    match command {
        AdminCommand::Department { code, name } => {
            scope.county()?;
            let code = code.trim().to_uppercase();
            let name = name.trim();
            if !(2..=8).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(AppError::field(
                    "code",
                    lang.pick(
                        "部门代码为 2–8 个大写字母",
                        "部門代碼為 2–8 個大寫字母",
                        "The code is 2–8 capital letters",
                    ),
                ));
            }
            if name.is_empty() {
                return Err(AppError::field("name", lang.pick("请填写部门名称", "請填寫部門名稱", "Enter the name")));
            }
            match department::Entity::find().filter(department::Column::Code.eq(code.clone())).one(db).await? {
                Some(d) => {
                    let mut am: department::ActiveModel = d.into();
                    am.name = Set(name.into());
                    am.update(db).await?;
                }
                None => {
                    // the county's admins stay admins of every department: the new one included
                    let county_admins = county_admins(db).await?;
                    let tx = db.begin().await?;
                    let d = department::ActiveModel {
                        code: Set(code),
                        name: Set(name.into()),
                        created_at: Set(Utc::now()),
                        ..Default::default()
                    }
                    .insert(&tx)
                    .await?;
                    for staff_id in county_admins {
                        staff_role::ActiveModel {
                            staff_id: Set(staff_id),
                            department_id: Set(d.id),
                            role: Set(Role::Admin),
                            ..Default::default()
                        }
                        .insert(&tx)
                        .await?;
                    }
                    tx.commit().await?;
                }
            }
            crate::server::page_cache::bump(db).await?;
            Ok(("/staff/admin".into(), said(("部门已保存", "部門已儲存", "Department saved"))))
        }
        AdminCommand::Staff { name, role, department: dep, username, password } => {
            let (name, password) = (name.trim(), password.trim());
            let role = Role::parse(role.trim()).filter(|r| Role::STAFF.contains(r));
            let dep: i32 = dep.trim().parse().unwrap_or(0);
            let mut errors = Vec::new();
            if name.is_empty() {
                errors.push(("name".to_string(), lang.pick("请填写姓名", "請填寫姓名", "Enter the name").to_string()));
            }
            if role.is_none() {
                errors.push(("role".into(), lang.pick("请选择岗位", "請選擇崗位", "Choose a role").into()));
            }
            if department::Entity::find_by_id(dep).one(db).await?.is_none() {
                errors.push(("department".into(), lang.pick("请选择部门", "請選擇部門", "Choose a department").into()));
            } else {
                scope.department(dep)?;
            }
            let username = username.trim().to_lowercase();
            if staff::Entity::find().filter(staff::Column::Username.eq(username.clone())).one(db).await?.is_some() {
                errors.push((
                    "username".into(),
                    lang.pick("该工号已存在", "該工號已存在", "This username exists").into(),
                ));
            }
            if let Err(e) = rules::validators::check_password(password, &[&username]) {
                errors.push(("password".into(), e.message(lang)));
            }
            if !errors.is_empty() {
                return Err(AppError::Invalid(errors));
            }
            let created = crate::server::accounts::upsert_staff(
                db,
                &username,
                name,
                password,
                &[(role.unwrap_or(Role::WindowClerk), dep)],
            )
            .await
            .map_err(|e| match e {
                AppError::Invalid(_) => AppError::field(
                    "username",
                    lang.pick(
                        "工号只能包含字母、数字和 _ . -",
                        "工號只能包含字母、數字和 _ . -",
                        "Letters, digits, _ . - only",
                    ),
                ),
                e => e,
            })?;
            // the admin knows this password: the new colleague chooses their own at the first sign-in
            let mut am: staff::ActiveModel = created.into();
            am.must_change_password = Set(true);
            am.update(db).await?;
            Ok(("/staff/admin".into(), said(("已创建工作人员账号", "已建立工作人員帳號", "Staff account created"))))
        }
        AdminCommand::StaffActive { id, active } => {
            let id: i32 = id.trim().parse().map_err(|_| AppError::NotFound)?;
            if id == me {
                return Err(AppError::field(
                    "_form",
                    lang.pick("不能停用自己的账号", "不能停用自己的帳號", "You cannot disable your own account"),
                ));
            }
            let s = staff::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            scope.staff(s.id, &departments_of_staff(db, s.id).await?)?;
            let active = active.trim() == "true";
            let mut am: staff::ActiveModel = s.into();
            am.active = Set(active);
            am.update(db).await?;
            if !active {
                crate::server::auth::end_sessions_of(db, crate::server::auth::PrincipalKind::Staff, id).await?;
            }
            Ok((
                "/staff/admin".into(),
                if active {
                    said(("账号已启用", "帳號已啟用", "Account enabled"))
                } else {
                    said(("账号已停用，登录已失效", "帳號已停用，登入已失效", "Account disabled and signed out"))
                },
            ))
        }
        AdminCommand::StaffPassword { id, password } => {
            let id: i32 = id.trim().parse().map_err(|_| AppError::NotFound)?;
            let s = staff::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            scope.staff(s.id, &departments_of_staff(db, s.id).await?)?;
            let pw = password.trim();
            rules::validators::check_password(pw, &[&s.username])
                .map_err(|e| AppError::field(format!("password_{id}"), e.message(lang)))?;
            let hash = crate::server::auth::hash_password(pw.to_string()).await?;
            let mut am: staff::ActiveModel = s.into();
            am.password_hash = Set(hash.into_stored());
            // a password someone else knows: its owner changes it at the next sign-in
            am.must_change_password = Set(true);
            am.update(db).await?;
            crate::server::auth::end_sessions_of(db, crate::server::auth::PrincipalKind::Staff, id).await?;
            Ok((
                "/staff/admin".into(),
                said(("密码已重置，原登录已失效", "密碼已重設，原登入已失效", "Password reset; old sessions ended")),
            ))
        }
        AdminCommand::StaffSecondFactor { id } => {
            let id: i32 = id.trim().parse().map_err(|_| AppError::NotFound)?;
            let s = staff::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            scope.staff(s.id, &departments_of_staff(db, s.id).await?)?;
            crate::server::second_factor::clear(db, id).await?;
            crate::server::auth::end_sessions_of(db, crate::server::auth::PrincipalKind::Staff, id).await?;
            crate::server::auth::end_sessions_of(db, crate::server::auth::PrincipalKind::StaffPending, id).await?;
            Ok((
                "/staff/admin".into(),
                said((
                    "两步验证已重置，原登录已失效",
                    "兩步驗證已重設，原登入已失效",
                    "Second factor reset; old sessions ended",
                )),
            ))
        }
        AdminCommand::RoleRemove { id } => {
            let id: i32 = id.trim().parse().map_err(|_| AppError::NotFound)?;
            let r = staff_role::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            scope.department(r.department_id)?;
            if r.staff_id == me && r.role == Role::Admin {
                return Err(AppError::field(
                    "_form",
                    lang.pick(
                        "不能撤销自己的管理员岗位",
                        "不能撤銷自己的管理員崗位",
                        "You cannot remove your own admin role",
                    ),
                ));
            }
            staff_role::Entity::delete_by_id(id).exec(db).await?;
            Ok(("/staff/admin".into(), said(("岗位已撤销", "崗位已撤銷", "Role removed"))))
        }
        AdminCommand::RoleAdd { id, role, department: dep } => {
            let id: i32 = id.trim().parse().map_err(|_| AppError::NotFound)?;
            let role = Role::parse(role.trim()).filter(|r| Role::STAFF.contains(r)).ok_or_else(|| {
                AppError::field(format!("role_{id}"), lang.pick("请选择岗位", "請選擇崗位", "Choose a role"))
            })?;
            let dep: i32 = dep.trim().parse().unwrap_or(0);
            department::Entity::find_by_id(dep).one(db).await?.ok_or_else(|| {
                AppError::field(format!("role_{id}"), lang.pick("请选择部门", "請選擇部門", "Choose a department"))
            })?;
            let s = staff::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            // a grant is within this admin's department, and never to themself
            scope.department(dep)?;
            if s.id == me {
                return Err(AppError::Forbidden);
            }
            let exists = staff_role::Entity::find()
                .filter(staff_role::Column::StaffId.eq(s.id))
                .filter(staff_role::Column::DepartmentId.eq(dep))
                .filter(staff_role::Column::Role.eq(role))
                .one(db)
                .await?;
            if exists.is_none() {
                staff_role::ActiveModel {
                    staff_id: Set(s.id),
                    department_id: Set(dep),
                    role: Set(role),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
            Ok(("/staff/admin".into(), said(("岗位已授予", "崗位已授予", "Role granted"))))
        }
        AdminCommand::CalendarDay { date, kind, name } => {
            scope.county()?;
            let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
                AppError::field(
                    "date",
                    lang.pick("请填写日期，如 2026-10-08", "請填寫日期，如 2026-10-08", "Enter a date like 2026-10-08"),
                )
            })?;
            let (kind, name) = (kind.trim(), name.trim());
            let back = format!("/staff/admin/calendar?year={}", date.year());
            calendar_year::Entity::find_by_id(date.year()).one(db).await?.ok_or_else(|| {
                AppError::field(
                    "date",
                    lang.pick(
                        "该年度尚无节假日安排，请先导入",
                        "該年度尚無節假日安排，請先匯入",
                        "No schedule for that year yet: import one first",
                    ),
                )
            })?;
            match kind {
                "normal" => {
                    calendar_day::Entity::delete_by_id(date).exec(db).await?;
                }
                "holiday" | "workday" => {
                    if kind == "workday" && !rules::calendar::is_weekend(date) {
                        return Err(AppError::field(
                            "kind",
                            lang.pick(
                                "调休上班日只能是周末",
                                "調休上班日只能是週末",
                                "A make-up working day must be a weekend day",
                            ),
                        ));
                    }
                    if name.is_empty() {
                        return Err(AppError::field(
                            "name",
                            lang.pick(
                                "请填写名称，如 国庆节",
                                "請填寫名稱，如 國慶節",
                                "Enter a name, e.g. National Day",
                            ),
                        ));
                    }
                    let tx = db.begin().await?;
                    calendar_day::Entity::delete_by_id(date).exec(&tx).await?;
                    calendar_day::ActiveModel {
                        date: Set(date),
                        year: Set(date.year()),
                        kind: Set(kind.into()),
                        name: Set(name.into()),
                    }
                    .insert(&tx)
                    .await?;
                    tx.commit().await?;
                }
                _ => {
                    return Err(AppError::field(
                        "kind",
                        lang.pick("请选择类型", "請選擇類型", "Choose the kind of day"),
                    ))
                }
            }
            reload_calendar(st).await?;
            Ok((
                back,
                said((
                    "日历已更新；新计算的期限按新日历",
                    "日曆已更新；新計算的期限按新日曆",
                    "Calendar updated; new deadlines use it",
                )),
            ))
        }
        AdminCommand::CalendarImport { schedule } => {
            scope.county()?;
            let schedule = parse_schedule(schedule).map_err(|e| {
                AppError::field(
                    "schedule",
                    format!("{}{e}", lang.pick("安排文件有误：", "安排檔案有誤：", "The schedule has an error: ")),
                )
            })?;
            let tx = db.begin().await?;
            calendar_day::Entity::delete_many().filter(calendar_day::Column::Year.eq(schedule.year)).exec(&tx).await?;
            calendar_year::Entity::delete_by_id(schedule.year).exec(&tx).await?;
            let who = match user {
                Some(SessionUser::Staff { username, .. }) => username.clone(),
                _ => String::new(),
            };
            calendar_year::ActiveModel {
                year: Set(schedule.year),
                source: Set(format!("imported by {who} on {}", st.today())),
                updated_at: Set(Utc::now()),
            }
            .insert(&tx)
            .await?;
            for d in &schedule.days {
                calendar_day::ActiveModel {
                    date: Set(d.date),
                    year: Set(schedule.year),
                    kind: Set(if d.kind == DayKind::Workday { "workday" } else { "holiday" }.into()),
                    name: Set(d.name.clone()),
                }
                .insert(&tx)
                .await?;
            }
            tx.commit().await?;
            reload_calendar(st).await?;
            Ok((
                format!("/staff/admin/calendar?year={}", schedule.year),
                said(("已导入节假日安排", "已匯入節假日安排", "Schedule imported")),
            ))
        }
        AdminCommand::Template { kind, lang: lang_tag, new, subject, body } => {
            scope.county()?;
            let (kind, lang_tag) = (kind.trim(), lang_tag.trim());
            // the form that adds a template for one kind of notice has its own fields
            let key = if new.trim() == "1" { "new".to_string() } else { format!("{kind}-{lang_tag}") };
            if kind != "*" && !rules::EventKind::from_code(kind).is_some_and(|k| k.notifies()) {
                return Err(AppError::field(
                    format!("kind_{key}"),
                    lang.pick("请选择通知类型", "請選擇通知類型", "Choose the kind of notice"),
                ));
            }
            if Lang::from_tag(lang_tag).is_none() {
                return Err(AppError::field(
                    format!("lang_{key}"),
                    lang.pick("请选择语言", "請選擇語言", "Choose a language"),
                ));
            }
            let (subject, body) = (subject.trim(), body.trim());
            for (field, text) in [("subject", subject), ("body", body)] {
                if text.is_empty() {
                    return Err(AppError::field(
                        format!("{field}_{key}"),
                        lang.pick("不能为空", "不能為空", "Cannot be empty"),
                    ));
                }
                let mut rest = text;
                while let Some(open) = rest.find('{') {
                    let close = rest[open..].find('}').map(|c| open + c).unwrap_or(rest.len());
                    let name = &rest[open + 1..close.min(rest.len())];
                    if !["case_no", "event", "state", "due_on"].contains(&name) {
                        return Err(AppError::field(
                            format!("{field}_{key}"),
                            format!(
                                "{}{{{name}}}",
                                lang.pick("未知的占位符：", "未知的佔位符：", "Unknown placeholder: ")
                            ),
                        ));
                    }
                    rest = &rest[(close + 1).min(rest.len())..];
                }
            }
            let tx = db.begin().await?;
            template::Entity::delete_by_id((kind.to_string(), lang_tag.to_string())).exec(&tx).await?;
            template::ActiveModel {
                kind: Set(kind.into()),
                lang: Set(lang_tag.into()),
                subject: Set(subject.into()),
                body: Set(body.into()),
                updated_at: Set(Utc::now()),
            }
            .insert(&tx)
            .await?;
            tx.commit().await?;
            Ok(("/staff/admin/templates".into(), said(("模板已保存", "模板已儲存", "Template saved"))))
        }
        AdminCommand::TemplateRemove { kind, lang: lang_tag } => {
            scope.county()?;
            // one kind's own wording goes; the notice falls back to the template for all (`*`)
            let (kind, lang_tag) = (kind.trim(), lang_tag.trim());
            if kind == "*" {
                return Err(AppError::Forbidden);
            }
            let r = template::Entity::delete_by_id((kind.to_string(), lang_tag.to_string())).exec(db).await?;
            if r.rows_affected == 0 {
                return Err(AppError::NotFound);
            }
            Ok(("/staff/admin/templates".into(), said(("模板已删除", "模板已刪除", "Template removed"))))
        }
        AdminCommand::Item { code, name, summary, rules: rules_text, published, publish_results } => {
            let code = code.trim().to_uppercase();
            let (name, summary) = (name.trim(), summary.trim());
            let back = format!("/staff/admin/items/{code}");
            let old = item::Entity::find()
                .filter(item::Column::Code.eq(code.clone()))
                .order_by_desc(item::Column::Version)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            scope.department(old.department_id)?;
            let mut rules: ItemRules = serde_json::from_str(rules_text).map_err(|e| {
                AppError::field(
                    "rules",
                    format!("{}{e}", lang.pick("规则数据有误：", "規則數據有誤：", "The rule data has an error: ")),
                )
            })?;
            let problems = rules::item::review_plan_problems(&rules);
            if let Some(p) = problems.first() {
                return Err(AppError::field(
                    "rules",
                    format!("{}{p}", lang.pick("规则数据有误：", "規則數據有誤：", "The rule data has an error: ")),
                ));
            }
            if name.is_empty() {
                return Err(AppError::field("name", lang.pick("请填写事项名称", "請填寫事項名稱", "Enter the name")));
            }
            rules.publish_results = publish_results.is_some();
            let published = published.is_some();
            item::ActiveModel {
                code: Set(code),
                version: Set(old.version + 1),
                department_id: Set(old.department_id),
                name: Set(name.into()),
                summary: Set(summary.into()),
                rules: Set(rules.clone()),
                published: Set(published),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            let msg = match lang {
                Lang::En => format!("Saved as version {}; cases already submitted keep theirs", old.version + 1),
                _ => format!("已保存为第 {} 版；已提交的办件仍按原版本办理", old.version + 1),
            };
            crate::server::page_cache::bump(db).await?;
            Ok((back, msg))
        }
    }
}
