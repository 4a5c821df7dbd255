//! Accountability records, the scheduler's lease and runs, and the audit: reads of personal data, anchors, the security log.

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
        pub kind: rules::supervision::AccountabilityKind,
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
