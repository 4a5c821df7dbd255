//! Tongban's domain rules (DESIGN.md §3–4). Pure Rust: no IO, no database, no async; builds for
//! `wasm32-unknown-unknown` so the browser shows the same checklist and deadline the server enforces.
//!
//! - [`calendar`]: working days, holidays and make-up days, with an O(1) index.
//! - [`deadline`]: limits with units, suspensions, extensions, special windows, warning levels, statistics.
//! - [`materials`]: material specs with conditions, checklists, one-time correction notices, file sniffing.
//! - [`validators`]: 身份证号, 统一社会信用代码, mobile, postal code, passwords, masking.
//! - [`supervision`]: whose clock runs, stored warning levels, the daily sweep's duties.
//! - [`access`]: who sees and handles which case (role × department × duty).
//! - [`outcome`]: the whole outcome of one action (transition, clocks, verdict, opinions, record).
//! - [`event`]: the kinds of a case's events, with their labels.
//! - [`open`]: 政务公开: kinds of entry, their review (审核发布), search terms (CJK bigrams).
//! - [`case`]: the case state machine; [`case_no`]: case numbers; [`item`]: an item's rule data.
#![forbid(unsafe_code)]

pub mod access;
pub mod actors;
pub mod bundle;
pub mod calendar;
pub mod case;
pub mod case_no;
pub mod codes;
pub mod deadline;
pub mod event;
pub mod item;
pub mod lang;
pub mod materials;
pub mod open;
pub mod outcome;
pub mod procedure;
pub mod refusal;
pub mod supervision;
pub mod validators;
pub mod workflow;

pub use calendar::{Calendar, CalendarWarning};
pub use case::{transition, Action, CaseFacts, CaseState, Channel, DecisionKind, Refusal, Role};
pub use case_no::{CaseNo, CaseNoError};
pub use codes::UnknownCode;
pub use deadline::{TimeLimit, WarningLevel, WorkingDays};
pub use event::EventKind;
pub use lang::Lang;
pub use materials::ApplicantKind;
pub use validators::{CreditCode, IdCardNo, Mobile, PostalCode};
