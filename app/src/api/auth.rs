//! Server functions of the accounts: sign-up, sign-in and out, the display preferences and the
//! notice settings. Each is posted by a plain form and answers it with a 303.

use leptos::prelude::*;
use leptos::server_fn::ServerFnError;

use crate::models::{
    LoginInput, NoticeSettings, PasswordChangeInput, PrefsInput, RegisterInput, SecondFactorInput, SecondFactorView,
    StaffLoginInput,
};

/// An applicant signs up (a person or an enterprise) and is signed in.
#[server(prefix = "/api", endpoint = "register")]
pub async fn register(#[server(flatten)] input: RegisterInput) -> Result<(), ServerFnError> {
    crate::server::forms::register(input).await
}

/// A one-time code is sent to the mobile typed into the registration form (the form comes back
/// with what was typed, the passwords aside).
#[server(prefix = "/api", endpoint = "sms_code")]
pub async fn send_sms_code(#[server(flatten)] input: RegisterInput) -> Result<(), ServerFnError> {
    crate::server::forms::send_sms_code(input).await
}

/// A walk-in registered at the counter opens its online account: the number and the mobile on
/// file, the code texted to it, a new password (the registration form's fields; `/activate`).
#[server(prefix = "/api", endpoint = "activate")]
pub async fn activate(#[server(flatten)] input: RegisterInput) -> Result<(), ServerFnError> {
    crate::server::activation::activate_form(input).await
}

/// The code for `/activate`, sent when the mobile is the one on file for the number.
#[server(prefix = "/api", endpoint = "activation_code")]
pub async fn send_activation_code(#[server(flatten)] input: RegisterInput) -> Result<(), ServerFnError> {
    crate::server::activation::send_code_form(input).await
}

/// An applicant signs in with an ID number, a credit code or a mobile.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(#[server(flatten)] input: LoginInput) -> Result<(), ServerFnError> {
    crate::server::forms::login(input).await
}

/// A member of staff signs in.
#[server(prefix = "/api", endpoint = "staff_login")]
pub async fn staff_login(#[server(flatten)] input: StaffLoginInput) -> Result<(), ServerFnError> {
    crate::server::forms::staff_login(input).await
}

/// The second step of a staff sign-in (the code from the authenticator app), or a member of
/// staff setting a second factor up, confirming it or turning it off.
#[server(prefix = "/api", endpoint = "second_factor")]
pub async fn second_factor(#[server(flatten)] input: SecondFactorInput) -> Result<(), ServerFnError> {
    crate::server::forms::second_factor(input).await
}

/// What `/staff/second-factor` shows (nothing when no member of staff is signed in or half-way).
#[server(prefix = "/api", endpoint = "second_factor_state")]
pub async fn second_factor_state() -> Result<Option<SecondFactorView>, ServerFnError> {
    crate::server::forms::second_factor_view().await
}

/// Whoever is signed in changes their password (a member of staff whose password an admin set
/// must, before anything else).
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(#[server(flatten)] input: PasswordChangeInput) -> Result<(), ServerFnError> {
    crate::server::forms::change_password(input).await
}

/// Whoever is signed in signs out.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), ServerFnError> {
    crate::server::forms::logout().await
}

/// The language or elder mode is switched.
#[server(prefix = "/api", endpoint = "set_prefs")]
pub async fn set_prefs(#[server(flatten)] input: PrefsInput) -> Result<(), ServerFnError> {
    crate::server::forms::set_prefs(input).await
}

/// An applicant's notice settings are saved.
#[server(prefix = "/api", endpoint = "set_notifications")]
pub async fn set_notifications(#[server(flatten)] input: NoticeSettings) -> Result<(), ServerFnError> {
    crate::server::forms::set_notifications(input).await
}
