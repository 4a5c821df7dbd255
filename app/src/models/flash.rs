//! A form's outcome carried across a redirect (post → redirect → get) when JavaScript is off:
//! what the person typed (never a password) and the error for each field, so nothing is lost.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub const FLASH_COOKIE: &str = "tb_flash";

/// The flash cookie's name: `__Host-` prefixed on an https site (the browser then takes it only
/// from this very host, over https, for the whole site).
pub fn flash_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tb_flash"
    } else {
        FLASH_COOKIE
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Flash {
    /// Which form this belongs to (`register`, `login`, `staff_login`).
    pub form: String,
    pub values: BTreeMap<String, String>,
    /// Field name → message in the user's language. `_form` for errors not tied to a field.
    pub errors: BTreeMap<String, String>,
    /// A success message (e.g. after logout).
    #[serde(default)]
    pub notice: Option<String>,
}

impl Flash {
    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).cloned()
    }
}

/// Field errors of one form, in display order.
pub type FieldErrors = Vec<(String, String)>;

/// A form's fields as text, from the typed value it was read into (a command's tag included):
/// what a refused form shows again next to its errors.
pub fn form_values<T: Serialize>(form: &T) -> BTreeMap<String, String> {
    let text = |v: serde_json::Value| match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    match serde_json::to_value(form) {
        Ok(serde_json::Value::Object(m)) => {
            m.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, text(v))).collect()
        }
        _ => BTreeMap::new(),
    }
}
