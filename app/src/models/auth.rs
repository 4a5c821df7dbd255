//! Accounts: the registration and login forms (validated with the `rules` newtypes on both sides)
//! and who is logged in.

use std::collections::BTreeMap;

use rules::validators::check_password;
use rules::{ApplicantKind, CreditCode, IdCardNo, Lang, Mobile, Role};
use serde::{Deserialize, Serialize};

use super::FieldErrors;

/// Who the session belongs to, as the pages see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionUser {
    Applicant { id: i32, kind: ApplicantKind, name: String, masked_mobile: String },
    Staff { id: i32, name: String, username: String, roles: Vec<StaffRole> },
}

impl SessionUser {
    pub fn display_name(&self) -> &str {
        match self {
            SessionUser::Applicant { name, .. } | SessionUser::Staff { name, .. } => name,
        }
    }
    pub fn is_staff(&self) -> bool {
        matches!(self, SessionUser::Staff { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRole {
    pub role: Role,
    pub department_id: i32,
    pub department_code: String,
    pub department_name: String,
}

/// The registration form as posted (all strings, as typed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RegisterInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_card_no: String,
    #[serde(default)]
    pub credit_code: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub mobile: String,
    /// The one-time code sent to the mobile (registering proves it).
    #[serde(default)]
    pub sms_code: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

/// A registration that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registration {
    Person { name: String, id_card_no: IdCardNo, mobile: Mobile, password: String },
    Enterprise { name: String, credit_code: CreditCode, contact_name: String, mobile: Mobile, password: String },
}

fn required(lang: Lang, what: &str) -> String {
    match lang {
        Lang::ZhHans => format!("请输入{what}"),
        Lang::ZhHant => format!("請輸入{what}"),
        Lang::En => format!("Enter {what}"),
    }
}

/// Field labels in the user's language.
pub fn field_label(field: &str, lang: Lang) -> &'static str {
    match field {
        "kind" => lang.pick("申请人类型", "申請人類型", "Applicant type"),
        "name" => lang.pick("姓名", "姓名", "Full name"),
        "enterprise_name" => lang.pick("企业名称", "企業名稱", "Enterprise name"),
        "id_card_no" => lang.pick("居民身份证号码", "居民身分證號碼", "Resident ID card number"),
        "credit_code" => lang.pick("统一社会信用代码", "統一社會信用代碼", "Unified social credit code"),
        "contact_name" => lang.pick("联系人姓名", "聯絡人姓名", "Contact person"),
        "mobile" => lang.pick("手机号码", "手機號碼", "Mobile number"),
        "sms_code" => lang.pick("短信验证码", "簡訊驗證碼", "Code from the text message"),
        "password" => lang.pick("密码", "密碼", "Password"),
        "password_confirm" => lang.pick("再次输入密码", "再次輸入密碼", "Password again"),
        "login" => lang.pick(
            "身份证号 / 统一社会信用代码 / 手机号",
            "身分證號 / 統一社會信用代碼 / 手機號",
            "ID number, credit code or mobile",
        ),
        "username" => lang.pick("工号", "工號", "Staff username"),
        _ => "",
    }
}

fn name_error(name: &str, lang: Lang, what: &str) -> Option<String> {
    let n = name.trim().chars().count();
    if n == 0 {
        Some(required(lang, what))
    } else if n > 100 {
        Some(
            lang.pick("名称过长（最多 100 个字）", "名稱過長（最多 100 個字）", "Too long (100 characters at most)")
                .into(),
        )
    } else {
        None
    }
}

/// Checks one field of the registration form. Used on blur in the browser and by [`validate_register`].
pub fn register_field_error(input: &RegisterInput, field: &str, lang: Lang) -> Option<String> {
    let enterprise = input.kind == "enterprise";
    match field {
        "kind" => ApplicantKind::parse(&input.kind)
            .is_none()
            .then(|| lang.pick("请选择个人或企业", "請選擇個人或企業", "Choose person or enterprise").into()),
        "name" => name_error(&input.name, lang, field_label(if enterprise { "enterprise_name" } else { "name" }, lang)),
        "id_card_no" if !enterprise => input.id_card_no.parse::<IdCardNo>().err().map(|e| e.message(lang)),
        "credit_code" if enterprise => input.credit_code.parse::<CreditCode>().err().map(|e| e.message(lang)),
        "contact_name" if enterprise => name_error(&input.contact_name, lang, field_label("contact_name", lang)),
        "mobile" => input.mobile.parse::<Mobile>().err().map(|e| e.message(lang)),
        "sms_code" => {
            let code = input.sms_code.trim();
            (code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit())).then(|| {
                lang.pick(
                    "请输入短信中的 6 位验证码",
                    "請輸入簡訊中的 6 位驗證碼",
                    "Enter the 6 digits from the text message",
                )
                .into()
            })
        }
        "password" => {
            let logins = [input.id_card_no.trim(), input.credit_code.trim(), input.mobile.trim()];
            check_password(&input.password, &logins).err().map(|e| e.message(lang))
        }
        "password_confirm" => (input.password != input.password_confirm)
            .then(|| lang.pick("两次输入的密码不一致", "兩次輸入的密碼不一致", "The passwords do not match").into()),
        _ => None,
    }
}

pub const REGISTER_FIELDS: [&str; 9] =
    ["kind", "name", "id_card_no", "credit_code", "contact_name", "mobile", "sms_code", "password", "password_confirm"];

/// Validates the whole registration form: every error at once, in field order.
pub fn validate_register(input: &RegisterInput, lang: Lang) -> Result<Registration, FieldErrors> {
    checked(input, &REGISTER_FIELDS, lang)
}

/// The fields of `/activate`: a walk-in registered at the counter opens their online account —
/// the number on file, the mobile on file (proved by a code) and a new password. The name and
/// everything else are the counter's.
pub const ACTIVATE_FIELDS: [&str; 7] =
    ["kind", "id_card_no", "credit_code", "mobile", "sms_code", "password", "password_confirm"];

/// What the code for `/activate` is sent on: the number and the mobile.
pub const ACTIVATE_CODE_FIELDS: [&str; 4] = ["kind", "id_card_no", "credit_code", "mobile"];

/// A walk-in's number, as typed into `/activate` (the registration form's fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HolderNumber {
    Person(IdCardNo),
    Enterprise(CreditCode),
}

/// The checked `/activate` form: `fields` are [`ACTIVATE_FIELDS`] or [`ACTIVATE_CODE_FIELDS`].
pub fn validate_activation(
    input: &RegisterInput,
    fields: &[&str],
    lang: Lang,
) -> Result<(HolderNumber, Mobile), FieldErrors> {
    let errors: FieldErrors =
        fields.iter().filter_map(|f| register_field_error(input, f, lang).map(|e| (f.to_string(), e))).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let number = match ApplicantKind::parse(&input.kind).expect("checked") {
        ApplicantKind::Person => HolderNumber::Person(input.id_card_no.parse().expect("checked")),
        ApplicantKind::Enterprise => HolderNumber::Enterprise(input.credit_code.parse().expect("checked")),
    };
    Ok((number, input.mobile.parse().expect("checked")))
}

/// [`validate_register`] for an account whose mobile needs no code (the demo's applicants).
pub fn validate_account(input: &RegisterInput, lang: Lang) -> Result<Registration, FieldErrors> {
    let fields: Vec<&str> = REGISTER_FIELDS.into_iter().filter(|f| *f != "sms_code").collect();
    checked(input, &fields, lang)
}

fn checked(input: &RegisterInput, fields: &[&str], lang: Lang) -> Result<Registration, FieldErrors> {
    let errors: FieldErrors =
        fields.iter().filter_map(|f| register_field_error(input, f, lang).map(|e| (f.to_string(), e))).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mobile: Mobile = input.mobile.parse().expect("checked");
    Ok(match ApplicantKind::parse(&input.kind).expect("checked") {
        ApplicantKind::Person => Registration::Person {
            name: input.name.trim().into(),
            id_card_no: input.id_card_no.parse().expect("checked"),
            mobile,
            password: input.password.clone(),
        },
        ApplicantKind::Enterprise => Registration::Enterprise {
            name: input.name.trim().into(),
            credit_code: input.credit_code.parse().expect("checked"),
            contact_name: input.contact_name.trim().into(),
            mobile,
            password: input.password.clone(),
        },
    })
}

impl RegisterInput {
    /// The text field `name` of the form (the kind and the passwords included).
    pub fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "kind" => &mut self.kind,
            "name" => &mut self.name,
            "id_card_no" => &mut self.id_card_no,
            "credit_code" => &mut self.credit_code,
            "contact_name" => &mut self.contact_name,
            "mobile" => &mut self.mobile,
            "sms_code" => &mut self.sms_code,
            "password" => &mut self.password,
            "password_confirm" => &mut self.password_confirm,
            _ => return None,
        })
    }

    /// What may be echoed back after a failed submit: everything but the passwords.
    pub fn echo(&self) -> BTreeMap<String, String> {
        [
            ("kind", &self.kind),
            ("name", &self.name),
            ("id_card_no", &self.id_card_no),
            ("credit_code", &self.credit_code),
            ("contact_name", &self.contact_name),
            ("mobile", &self.mobile),
            ("sms_code", &self.sms_code),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LoginInput {
    #[serde(default)]
    pub login: String,
    #[serde(default)]
    pub password: String,
    /// Where to go after logging in (a local path).
    #[serde(default)]
    pub next: String,
}

/// What is missing from a log-in form, by field (the server's check and the browser's).
pub fn login_errors(input: &LoginInput, lang: Lang) -> Vec<(String, String)> {
    let mut errs = Vec::new();
    if input.login.trim().is_empty() {
        errs.push((
            "login".to_string(),
            lang.pick(
                "请输入身份证号、统一社会信用代码或手机号",
                "請輸入身分證號、統一社會信用代碼或手機號",
                "Enter your ID number, credit code or mobile",
            )
            .to_string(),
        ));
    }
    if input.password.is_empty() {
        errs.push(("password".to_string(), lang.pick("请输入密码", "請輸入密碼", "Enter your password").to_string()));
    }
    errs
}

/// How an applicant identifies at login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginId {
    IdCard(IdCardNo),
    Credit(CreditCode),
    Mobile(Mobile),
}

/// Works out which identifier was typed. `None` when it is none of them.
pub fn parse_login_id(s: &str) -> Option<LoginId> {
    if let Ok(id) = s.parse::<IdCardNo>() {
        return Some(LoginId::IdCard(id));
    }
    if let Ok(c) = s.parse::<CreditCode>() {
        return Some(LoginId::Credit(c));
    }
    s.parse::<Mobile>().ok().map(LoginId::Mobile)
}

/// The one message for a wrong account or a wrong password (never says which).
pub fn bad_credentials(lang: Lang) -> String {
    lang.pick("账号或密码不正确", "帳號或密碼不正確", "The account or the password is not right").into()
}

/// Keeps `next` to local paths only (no open redirect), judged on the address as a browser will
/// read it: browsers drop every tab and newline and trim C0 controls and spaces at the ends, so
/// `/\t/evil.example` is `//evil.example` to them (another site), and so it is here.
pub fn safe_next(next: &str, default: &str) -> String {
    let read: String = next.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let n = read.trim_matches(|c: char| c <= ' ');
    let local = n.starts_with('/')
        && !n.starts_with("//")
        && !n.contains('\\')
        && !n.contains("://")
        && !n.chars().any(|c| c.is_control());
    if local {
        n.to_string()
    } else {
        default.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> RegisterInput {
        RegisterInput {
            kind: "person".into(),
            name: "张三".into(),
            id_card_no: "11010519491231002X".into(),
            mobile: "13812341234".into(),
            sms_code: "042917".into(),
            password: "蓝色的窗户很明亮".into(),
            password_confirm: "蓝色的窗户很明亮".into(),
            ..Default::default()
        }
    }

    #[test]
    fn register_table() {
        type Edit = Box<dyn Fn(&mut RegisterInput)>;
        let cases: Vec<(Edit, Vec<&str>)> = vec![
            (Box::new(|_| {}), vec![]),
            (Box::new(|i| i.id_card_no = "110105194912310021".into()), vec!["id_card_no"]),
            (Box::new(|i| i.kind = "robot".into()), vec!["kind"]),
            (Box::new(|i| i.sms_code = String::new()), vec!["sms_code"]),
            (Box::new(|i| i.sms_code = "12345".into()), vec!["sms_code"]),
            (Box::new(|i| i.sms_code = "12345６".into()), vec!["sms_code"]),
            (Box::new(|i| i.sms_code = " 123456 ".into()), vec![]),
            (
                Box::new(|i| {
                    i.mobile = "123".into();
                    i.password_confirm = "x".into();
                }),
                vec!["mobile", "password_confirm"],
            ),
            (
                Box::new(|i| {
                    i.password = "password1".into();
                    i.password_confirm = "password1".into();
                }),
                vec!["password"],
            ),
            (
                Box::new(|i| {
                    i.kind = "enterprise".into();
                }),
                vec!["credit_code", "contact_name"],
            ),
            (
                Box::new(|i| {
                    i.name = "  ".into();
                }),
                vec!["name"],
            ),
        ];
        for (i, (edit, fields)) in cases.into_iter().enumerate() {
            let mut input = person();
            edit(&mut input);
            let got: Vec<String> = match validate_register(&input, Lang::ZhHans) {
                Ok(_) => vec![],
                Err(e) => e.into_iter().map(|(f, _)| f).collect(),
            };
            assert_eq!(got, fields, "case {i}");
        }
    }

    #[test]
    fn echo_never_holds_passwords() {
        let e = person().echo();
        assert!(!e.contains_key("password") && !e.contains_key("password_confirm"));
    }

    #[test]
    fn login_ids() {
        assert!(matches!(parse_login_id("11010519491231002x"), Some(LoginId::IdCard(_))));
        assert!(matches!(parse_login_id("91350100M000100Y43"), Some(LoginId::Credit(_))));
        assert!(matches!(parse_login_id("138 1234 1234"), Some(LoginId::Mobile(_))));
        assert_eq!(parse_login_id("hello"), None);
    }

    #[test]
    fn next_is_local() {
        assert_eq!(safe_next("/account", "/"), "/account");
        assert_eq!(safe_next("//evil.example", "/"), "/");
        assert_eq!(safe_next("https://evil.example", "/"), "/");
        assert_eq!(safe_next("/\\evil", "/"), "/");
        // what browsers strip before they resolve the address
        for evil in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            " //evil.example",
            "\u{0}//evil.example",
        ] {
            assert_eq!(safe_next(evil, "/"), "/", "{evil:?}");
        }
        assert_eq!(safe_next("/cases\t/3", "/"), "/cases/3");
        assert_eq!(safe_next("/x\u{7f}y", "/"), "/");
    }
}

/// The staff sign-in form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StaffLoginInput {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    /// Where to go after signing in (a local path).
    #[serde(default)]
    pub next: String,
}

/// A password change by whoever is signed in (staff or applicant).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeInput {
    #[serde(default)]
    pub current: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
    /// Where to go after (a local path).
    #[serde(default)]
    pub next: String,
}

/// A code from the authenticator app: the second step of a staff sign-in, the confirmation of a
/// second factor being set up, or turning an optional one off (`action`: `"off"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub action: String,
    /// Where to go after (a local path).
    #[serde(default)]
    pub next: String,
}

/// Where the second factor of the member of staff on `/staff/second-factor` stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorView {
    /// The password was right and the code is asked for (else: signed in, the settings).
    pub signing_in: bool,
    /// Admins and approvers cannot sign in without one.
    pub required: bool,
    /// A code has been entered once: the second factor is on.
    pub enabled: bool,
    /// While it is being set up: the secret to add to the app (shown in groups of four), the
    /// `otpauth://` address and its QR code (SVG).
    pub setup: Option<SecondFactorSetup>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorSetup {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

/// The language and elder-mode switches of every page (each form sends one of the two).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PrefsInput {
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub elder: Option<String>,
    /// The page to go back to (a local path).
    #[serde(default)]
    pub return_to: String,
}

/// An applicant's notice settings: contact e-mail, the SMS and e-mail checkboxes (absent when
/// unticked), the language of the notices.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NoticeSettings {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub notify_sms: Option<String>,
    #[serde(default)]
    pub notify_email: Option<String>,
    #[serde(default)]
    pub notice_lang: String,
}
