//! What the applicant is told and tells: the notification outbox and inbox, ratings, complaints and first-inquiry consultations.

/// A status or channel column's codes: each variant's code, read back refusing an unknown one.
macro_rules! codes {
    ($name:ident, $what:literal, { $($v:ident => $code:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn code(&self) -> &'static str {
                match self { $($name::$v => $code),+ }
            }

            pub fn decode(code: &str) -> Result<Self, rules::codes::UnknownCode> {
                Self::ALL.iter().copied().find(|x| x.code() == code)
                    .ok_or_else(|| rules::codes::UnknownCode { what: $what, code: code.into() })
            }
        }
    };
}

/// Where an outbox message stands: waiting to be expanded into deliveries, or expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, sea_orm::DeriveValueType)]
#[sea_orm(value_type = "String", from_str = "OutboxStatus::decode", to_str = "OutboxStatus::code")]
pub enum OutboxStatus {
    Pending,
    Queued,
}
codes!(OutboxStatus, "outbox status", { Pending => "pending", Queued => "queued" });

/// How a notice reaches the applicant (the log channel: nothing configured, written to the log).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, sea_orm::DeriveValueType)]
#[sea_orm(value_type = "String", from_str = "NoticeChannel::decode", to_str = "NoticeChannel::code")]
pub enum NoticeChannel {
    Email,
    Sms,
    Log,
}
codes!(NoticeChannel, "notice channel", { Email => "email", Sms => "sms", Log => "log" });

/// Where one delivery stands: pending (tried again later), sent, dead after the last retry, or
/// skipped (the applicant opted out since it was queued).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, sea_orm::DeriveValueType)]
#[sea_orm(value_type = "String", from_str = "DeliveryStatus::decode", to_str = "DeliveryStatus::code")]
pub enum DeliveryStatus {
    Pending,
    Sent,
    Dead,
    Skipped,
}
codes!(DeliveryStatus, "delivery status", { Pending => "pending", Sent => "sent", Dead => "dead", Skipped => "skipped" });

pub mod outbox {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notification_outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub applicant_id: i32,
        pub kind: rules::EventKind,
        pub payload: String,
        pub status: super::OutboxStatus,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
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
        pub kind: rules::EventKind,
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
