//! 政务公开: entries, their approved versions and their attachments (the search index is backend
//! SQL in `server::open_gov::search`).

pub mod open_entry {
    use rules::open::{EntryStatus, OpenKind};
    use sea_orm::entity::prelude::*;
    /// An entry's working copy, its review status and the number of its public version.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "open_entries")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub department_id: i32,
        pub kind: OpenKind,
        pub title: String,
        pub body: String,
        pub status: EntryStatus,
        pub publish_on: Option<Date>,
        pub withdraw_on: Option<Date>,
        pub author_id: i32,
        /// who sent the working copy for approval
        pub sent_by: Option<i32>,
        /// the newest approved version's number; none: not public
        pub public_version: Option<i32>,
        /// the case whose decision this entry publishes (审批结果公示)
        pub case_id: Option<i32>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod open_version {
    use rules::open::OpenKind;
    use sea_orm::entity::prelude::*;

    /// The ids of the attachments an approved version holds, in the order shown; JSON text.
    #[derive(Clone, Debug, PartialEq, Eq, Default, DeriveValueType)]
    #[sea_orm(value_type = "String", from_str = "AttachmentIds::from_json", to_str = "AttachmentIds::to_json")]
    pub struct AttachmentIds(pub Vec<i32>);

    impl AttachmentIds {
        pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
            serde_json::from_str(text).map(AttachmentIds)
        }

        /// (Numbers: serialising cannot fail.)
        pub fn to_json(&self) -> String {
            serde_json::to_string(&self.0).unwrap_or_default()
        }
    }
    /// One approved version of an entry, never changed.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "open_versions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub entry_id: i32,
        pub no: i32,
        pub kind: OpenKind,
        pub title: String,
        pub body: String,
        pub author_id: i32,
        pub approved_by: i32,
        pub approved_at: DateTimeUtc,
        /// the attachments this version holds
        pub attachments: AttachmentIds,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod open_attachment {
    use sea_orm::entity::prelude::*;
    /// A file attached to an entry. Never changed but for `in_draft`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "open_attachments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub entry_id: i32,
        pub file_name: String,
        pub size: i64,
        pub file_type: rules::materials::FileType,
        pub sha256: String,
        pub storage_key: String,
        pub added_by: i32,
        pub added_at: DateTimeUtc,
        /// the entry's working copy holds it
        pub in_draft: bool,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}
