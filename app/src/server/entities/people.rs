//! Departments, staff and their roles, applicants, sessions, sign-in throttles and API tokens.

pub mod department {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "departments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub code: String,
        pub name: String,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod staff {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub username: String,
        pub display_name: String,
        pub password_hash: String,
        pub active: bool,
        pub created_at: DateTimeUtc,
        /// The password was set by an admin: the next sign-in must change it first.
        pub must_change_password: bool,
        /// The TOTP secret (base32), while it is set up and once it is on (`server::second_factor`).
        pub totp_secret: Option<String>,
        /// When the first code was entered: the second factor is on from then.
        pub totp_enabled_at: Option<DateTimeUtc>,
        /// The last time step a code was accepted for: a code is accepted once.
        pub totp_last_step: Option<i64>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod staff_role {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_roles")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub staff_id: i32,
        pub department_id: i32,
        pub role: rules::Role,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod applicant {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "applicants")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub kind: rules::materials::ApplicantKind,
        pub name: String,
        pub id_card_no: Option<String>,
        pub credit_code: Option<String>,
        pub contact_name: Option<String>,
        pub mobile: String,
        pub password_hash: Option<String>,
        pub created_at: DateTimeUtc,
        /// For e-mail notices (optional).
        pub email: Option<String>,
        /// Opt-outs: the applicant may refuse SMS or e-mail notices (the inbox always has them).
        pub notify_sms: bool,
        pub notify_email: bool,
        /// The language SMS and e-mail notices are written in (a `Lang` tag).
        pub notice_lang: String,
        /// The day a window clerk checked the holder's identity document in person, and who.
        pub identity_checked_on: Option<Date>,
        pub identity_checked_by: Option<i32>,
        /// Frozen when the real holder of its number took the number back at the counter: it
        /// signs in no more (its number moved to the holder's new account).
        pub frozen_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod session {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id_hash: String,
        pub principal_kind: String,
        pub principal_id: i32,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub ip: Option<String>,
        /// The last request of the session (kept to the minute): a staff session idle for
        /// `auth::STAFF_IDLE_MINUTES` ends.
        pub last_seen_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod login_failure {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_failures")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_key: String,
        pub ip: String,
        pub at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod rate_hit {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "rate_hits")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub bucket: String,
        pub ip: String,
        pub at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod api_token {
    use sea_orm::entity::prelude::*;
    /// An integration API token: its SHA-256, the departments it may read, and when revoked.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        /// The first characters of the token, to recognise it in lists.
        pub prefix: String,
        pub token_hash: String,
        /// JSON array of department ids.
        pub departments: String,
        pub created_by: i32,
        pub created_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
        pub last_used_at: Option<DateTimeUtc>,
        /// After this instant the token is refused; empty for tokens issued before tokens
        /// expired: a year after `created_at` (`api_v1::expires_of`).
        pub expires_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod token_reveal {
    use sea_orm::entity::prelude::*;
    /// A new API token, for its issuer's eyes once (`api_v1::take_reveal`), for five minutes at most.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "token_reveals")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub staff_id: i32,
        pub token: String,
        pub expires_at: DateTimeUtc,
        /// The `x-request-id` of the request that showed it (null until shown).
        pub taken_by: Option<String>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod sms_code {
    use sea_orm::entity::prelude::*;
    /// A one-time SMS code, kept as a hash (`server::sms`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sms_codes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        /// What it proves the mobile for (`server::sms::Purpose`).
        pub purpose: String,
        pub mobile: String,
        pub code_hash: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        /// Tries reserved so far (at most `server::sms::MAX_TRIES`).
        pub tries: i32,
        pub used_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}
