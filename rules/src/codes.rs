//! The stable codes the rules' enums are stored and sent as.

/// A code read from the database or a form that names no kind (or state, role…).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} code {code:?}")]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
}
