//! sea-orm entities. Server-only; never serialized to clients (see `crate::models` for DTOs).
//!
//! One module per table, in files by what they hold; every table is reached as `entities::<table>`.

mod cases;
mod catalog;
mod notices;
mod open;
mod oversight;
mod people;

pub use cases::{
    case, case_counter, case_event, case_file, case_request, case_task, delivery, result_document, state_count,
    stored_file,
};
pub use catalog::{bundle, bundle_application, calendar_day, calendar_year, item, template};
pub use notices::{
    complaint, consultation, evaluation, notification, outbox, DeliveryStatus, NoticeChannel, OutboxStatus,
};
pub use open::{open_attachment, open_entry, open_version};
pub use oversight::{accountability, audit_anchor, scheduler_lease, scheduler_run, security_log, staff_read};
pub use people::{
    api_token, applicant, department, login_failure, rate_hit, session, sms_code, staff, staff_role, token_reveal,
};
