//! sea-orm entities. Server-only; never serialized to clients (see `crate::models` for DTOs).

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
        pub role: String,
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
        pub kind: String,
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

pub mod calendar_year {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_years")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub year: i32,
        pub source: String,
        pub updated_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod calendar_day {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub date: Date,
        pub year: i32,
        pub kind: String,
        pub name: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod item {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub code: String,
        pub version: i32,
        pub department_id: i32,
        pub name: String,
        pub summary: String,
        /// `rules::item::ItemRules` as JSON.
        pub rules: String,
        pub published: bool,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod stored_file {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stored_files")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub storage_key: String,
        pub sha256: String,
        pub size: i64,
        pub mime: String,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod case {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cases")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_no: Option<String>,
        pub item_id: i32,
        pub item_version: i32,
        pub department_id: i32,
        pub applicant_id: i32,
        /// `rules::CaseState::code()`
        pub state: String,
        /// Optimistic lock: bumped by every transition.
        pub version: i32,
        /// The item's question answers as JSON.
        pub answers: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub submitted_at: Option<DateTimeUtc>,
        pub accepted_on: Option<Date>,
        pub due_on: Option<Date>,
        pub correction_due: Option<Date>,
        pub extended: bool,
        pub fee_due: Option<Date>,
        /// The reviewer the case is assigned to.
        pub assignee_id: Option<i32>,
        /// `online` or `counter` (entered by a window clerk, 帮办).
        pub channel: String,
        /// The window clerk who entered a counter application.
        pub intake_staff_id: Option<i32>,
        /// The day the current submission was received.
        pub received_on: Option<Date>,
        /// Set by the sweep when a receipt went unanswered for 5 working days (Art. 32): the
        /// case counts as accepted from this day.
        pub deemed_accepted_on: Option<Date>,
        /// 容缺: the deferred materials are due by this day (cleared when supplied).
        pub supplement_due: Option<Date>,
        pub supplement_overdue: bool,
        /// Set when the case closes (China day).
        pub closed_on: Option<Date>,
        /// The verdict on the decision (`rules::deadline::DecidedCase::verdict`), kept when the
        /// case is decided; statistics sum these. Working days used, suspensions excluded;
        /// `None` without a decision clock (never accepted).
        pub days_used: Option<i32>,
        pub closed_on_time: bool,
        pub closed_early: bool,
        pub closed_same_day: bool,
        /// What `due_on` is the last day for (`rules::supervision::Term` code).
        pub due_for: Option<String>,
        /// The day of the first decision, or of the refusal of acceptance.
        pub decided_on: Option<Date>,
        /// The decision's due date when it was made.
        pub decision_due: Option<Date>,
        pub delivered_on: Option<Date>,
        /// Delivered after its delivery term.
        pub delivered_late: bool,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
    impl Model {
        /// What `due_on` is the last day for.
        pub fn term(&self) -> Option<rules::supervision::Term> {
            self.due_for.as_deref().and_then(rules::supervision::Term::from_code)
        }

        /// The last day to answer the current receipt, while it may still be answered.
        pub fn receipt_due(&self) -> Option<Date> {
            let submitted = self.state == rules::CaseState::Submitted.code();
            self.due_on.filter(|_| submitted && self.term() == Some(rules::supervision::Term::Acceptance))
        }
    }
}

pub mod case_event {
    use sea_orm::entity::prelude::*;
    /// Immutable: rows are only ever inserted.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub seq: i32,
        pub action: String,
        pub from_state: String,
        pub to_state: String,
        pub actor_kind: String,
        pub actor_id: i32,
        pub role: String,
        pub comment: String,
        /// Staff-internal: never shown to the applicant.
        pub internal: bool,
        pub at: DateTimeUtc,
        /// The (China local) day the action counts on for deadlines.
        pub on_day: Date,
        /// The hash of the case's previous event ("" for the first): the audit chain.
        pub prev_hash: String,
        /// SHA-256 over `prev_hash` and this row's fields (`server::audit`).
        pub hash: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod case_counter {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_counters")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub department_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: Date,
        pub last_seq: i32,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod outbox {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notification_outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub applicant_id: i32,
        pub kind: String,
        pub payload: String,
        pub status: String,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod case_file {
    use sea_orm::entity::prelude::*;
    /// One uploaded file of a case, tied to a material. Removed files stay (soft) once the case has
    /// been submitted: what was handed in is evidence.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_files")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub material_code: String,
        pub file_name: String,
        pub size: i64,
        /// `rules::materials::FileType::as_str()`
        pub file_type: String,
        pub sha256: String,
        pub storage_key: String,
        pub uploaded_at: DateTimeUtc,
        pub removed: bool,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notification {
    use sea_orm::entity::prelude::*;
    /// The applicant's in-app inbox. `body` is JSON (case number, state, due date): the text is
    /// written in the reader's language when shown.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notifications")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub applicant_id: i32,
        pub case_id: Option<i32>,
        pub kind: String,
        pub body: String,
        pub created_at: DateTimeUtc,
        pub read_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod evaluation {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "evaluations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub applicant_id: i32,
        pub department_id: i32,
        /// 5 非常满意 … 1 非常不满意
        pub level: i16,
        pub comment: String,
        pub reason: String,
        pub follow_up_due: Option<Date>,
        /// `none`, `open`, `done`, `appealed`
        pub follow_up_state: String,
        pub created_at: DateTimeUtc,
        /// What the department did: the call-back, the rectification, the appeal's outcome.
        pub follow_up_note: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod complaint {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaints")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub applicant_id: i32,
        pub case_id: Option<i32>,
        pub department_id: i32,
        pub subject: String,
        pub body: String,
        /// `open`, `answered`, `closed`
        pub state: String,
        pub due_on: Date,
        pub created_at: DateTimeUtc,
        pub answer: String,
        pub answered_on: Option<Date>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod result_document {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "result_documents")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        /// The verification code printed (and in the QR) on the document.
        pub code: String,
        pub title: String,
        pub holder_masked: String,
        pub department_id: i32,
        pub issued_on: Date,
        pub revoked: bool,
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

pub mod case_task {
    use sea_orm::entity::prelude::*;
    /// An opinion a case needs before its decision: a review stage or a co-department's opinion
    /// (`rules::workflow`), with its own clock.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_tasks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        /// `rules::workflow::TaskKind::code()`
        pub kind: String,
        /// Stage order (1, 2…); 0 for co-department opinions.
        pub ord: i32,
        pub name: String,
        pub department_id: i32,
        pub role: String,
        pub has_clock: bool,
        /// Set when the task reaches its department (later stages wait for earlier ones).
        pub opened_on: Option<Date>,
        pub due_on: Option<Date>,
        pub answered_on: Option<Date>,
        pub answered_by: Option<i32>,
        /// `agree` or `disagree`
        pub outcome: Option<String>,
        pub opinion: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod case_request {
    use sea_orm::entity::prelude::*;
    /// A reviewer's request that needs an approver: a suspension (with the procedure) or an
    /// extension (with the days).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_requests")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        /// `suspend` or `extend`
        pub kind: String,
        pub proc_kind: String,
        pub days: Option<i32>,
        pub reason: String,
        pub requested_by: i32,
        pub requested_on: Date,
        /// `pending`, `approved`, `refused`
        pub status: String,
        pub decided_by: Option<i32>,
        pub decided_on: Option<Date>,
        pub note: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod state_count {
    use sea_orm::entity::prelude::*;
    /// Cases per department and state (drafts not counted), kept by every state change.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "state_counts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub department_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub state: String,
        pub n: i64,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod accountability {
    use sea_orm::entity::prelude::*;
    /// 问责记录: opened once by the sweep when a department's deadline passes; the department
    /// explains, the supervisor closes.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "accountability_records")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub department_id: i32,
        /// `rules::supervision::AccountabilityKind::code()`
        pub kind: String,
        pub due_on: Date,
        pub created_on: Date,
        /// open → explained → closed
        pub state: String,
        pub explanation: String,
        pub explained_by: Option<i32>,
        pub explained_on: Option<Date>,
        pub closed_by: Option<i32>,
        pub closed_on: Option<Date>,
        pub conclusion: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod scheduler_lease {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "scheduler_leases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub holder: String,
        pub expires_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod scheduler_run {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "scheduler_runs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub job: String,
        pub holder: String,
        pub day: Date,
        pub started_at: DateTimeUtc,
        pub millis: i64,
        /// JSON: what the run did.
        pub report: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod staff_read {
    use sea_orm::entity::prelude::*;
    /// A member of staff saw a case's personal data (the case page, a file, a notice).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_reads")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub staff_id: i32,
        pub case_id: i32,
        pub what: String,
        pub at: DateTimeUtc,
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
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_anchor {
    use sea_orm::entity::prelude::*;
    /// One seal over the events with ids `first_event_id..=last_event_id` (`server::audit::anchor`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_anchors")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub at: DateTimeUtc,
        pub first_event_id: i32,
        pub last_event_id: i32,
        pub events: i64,
        /// SHA-256 chained over (id, hash) of each sealed event, in id order (hex).
        pub root: String,
        /// The digest of the anchor before ("" for the first).
        pub prev: String,
        /// The Ed25519 public key that signed it (hex).
        pub public_key: String,
        /// The signature over `server::audit::anchor_message` (hex).
        pub signature: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod security_log {
    use sea_orm::entity::prelude::*;
    /// One security event (`server::audit::security`): a sign-in, an admin action, a token's
    /// issue, use or revocation, a look-up of a person's data. Only ever inserted.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "security_log")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub at: DateTimeUtc,
        /// `staff`, `applicant`, `token` or `anonymous`.
        pub actor_kind: String,
        pub actor_id: Option<i32>,
        pub event: String,
        pub target: String,
        /// `ok`, `refused` or `failed`.
        pub outcome: String,
        pub address: String,
        pub detail: String,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod delivery {
    use sea_orm::entity::prelude::*;
    /// One outbox message on one channel: pending → sent, or dead after the last retry.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notification_deliveries")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub outbox_id: i32,
        pub channel: String,
        pub address: String,
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub last_error: String,
        pub sent_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod template {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notification_templates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub kind: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub lang: String,
        pub subject: String,
        pub body: String,
        pub updated_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod consultation {
    use sea_orm::entity::prelude::*;
    /// 首问负责制: one consultation at the window.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "consultations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub department_id: i32,
        pub staff_id: i32,
        pub asked_at: DateTimeUtc,
        pub asker_name: String,
        pub asker_contact: String,
        pub id_number: String,
        pub item_code: String,
        pub question: String,
        pub answer: String,
        pub referral: String,
        pub case_id: Option<i32>,
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
