//! A case, its immutable events, its files and documents, its opinions and requests, its delivery, and the per-state counts.

pub mod case {
    use sea_orm::entity::prelude::*;

    /// A case's answers to its item's questions, stored as JSON text.
    #[derive(Clone, Debug, PartialEq, Eq, Default, DeriveValueType)]
    #[sea_orm(value_type = "String", from_str = "StoredAnswers::from_json", to_str = "StoredAnswers::to_json")]
    pub struct StoredAnswers(pub rules::materials::Answers);

    impl StoredAnswers {
        pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
            serde_json::from_str(text).map(StoredAnswers)
        }

        /// (String keys and values: serialising cannot fail.)
        pub fn to_json(&self) -> String {
            serde_json::to_string(&self.0).unwrap_or_default()
        }
    }

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
        pub state: rules::CaseState,
        /// Optimistic lock: bumped by every transition.
        pub version: i32,
        /// The item's question answers (JSON text).
        pub answers: StoredAnswers,
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
        /// Online, or at the counter (entered by a window clerk, 帮办).
        pub channel: rules::Channel,
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
        pub due_for: Option<rules::supervision::Term>,
        /// The day of the first decision, or of the refusal of acceptance.
        pub decided_on: Option<Date>,
        /// The decision's due date when it was made.
        pub decision_due: Option<Date>,
        pub delivered_on: Option<Date>,
        /// Delivered after its delivery term.
        pub delivered_late: bool,
        /// The 一件事 application this case is one item of (`bundle_applications`).
        pub bundle_application_id: Option<i32>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
    impl Model {
        /// What `due_on` is the last day for.
        pub fn term(&self) -> Option<rules::supervision::Term> {
            self.due_for
        }

        /// The row's clocks, as `rules::outcome` reads and returns them.
        pub fn clocks(&self) -> rules::outcome::Clocks {
            rules::outcome::Clocks {
                due_on: self.due_on,
                term: self.term(),
                received_on: self.received_on,
                accepted_on: self.accepted_on,
                deemed_accepted_on: self.deemed_accepted_on,
                correction_due: self.correction_due,
                fee_due: self.fee_due,
                supplement_due: self.supplement_due,
                decided_on: self.decided_on,
                decision_due: self.decision_due,
                extended: self.extended,
                delivered_on: self.delivered_on,
                delivered_late: self.delivered_late,
                closed_on: self.closed_on,
            }
        }

        /// The last day to answer the current receipt, while it may still be answered.
        pub fn receipt_due(&self) -> Option<Date> {
            let submitted = self.state == rules::CaseState::Submitted;
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
        pub action: rules::EventKind,
        pub from_state: rules::CaseState,
        pub to_state: rules::CaseState,
        pub actor_kind: String,
        pub actor_id: i32,
        pub role: rules::Role,
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
        pub file_type: rules::materials::FileType,
        pub sha256: String,
        pub storage_key: String,
        pub uploaded_at: DateTimeUtc,
        pub removed: bool,
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
        pub kind: rules::workflow::TaskKind,
        /// Stage order (1, 2…); 0 for co-department opinions.
        pub ord: i32,
        pub name: String,
        pub department_id: i32,
        pub role: rules::Role,
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
        pub kind: rules::workflow::RequestKind,
        pub proc_kind: String,
        pub days: Option<i32>,
        pub reason: String,
        pub requested_by: i32,
        pub requested_on: Date,
        pub status: rules::workflow::RequestStatus,
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
        pub state: rules::CaseState,
        pub n: i64,
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
        pub channel: crate::server::entities::NoticeChannel,
        pub address: String,
        pub status: crate::server::entities::DeliveryStatus,
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
