use std::sync::{Arc, RwLock};

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use rules::Calendar;
use sea_orm::DatabaseConnection;

use super::config::Settings;
use super::files::FileStore;

/// Shared by every request; holds nothing a second app node would need to know (the kept pages
/// are checked against the database's catalog revision on every request).
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub files: Arc<dyn FileStore>,
    pub leptos_options: LeptosOptions,
    /// The working-day calendar, loaded from the database (reloaded when an admin edits it).
    pub calendar: Arc<RwLock<Arc<Calendar>>>,
    /// The public pages this node rendered for anonymous visitors, good until the catalog changes.
    pub pages: Arc<super::page_cache::PageCache>,
    /// Every "now" and "today" of this node.
    pub clock: super::clock::Clock,
    /// The address this node listens on, once bound (the public address when none is configured).
    pub bound: Arc<std::sync::OnceLock<String>>,
}

impl AppState {
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// `scheme://host[:port]` the public reaches this site at: the configured public address,
    /// else the address this node listens on. Never the request's `Host` header, which is the
    /// client's to write (a QR code printed with it could point anywhere).
    pub fn public_base(&self) -> String {
        match &self.settings.public_url {
            Some(u) => u.clone(),
            None => self.bound.get().map(|a| format!("http://{a}")).unwrap_or_else(|| "http://127.0.0.1:3000".into()),
        }
    }
}

impl AppState {
    pub fn calendar(&self) -> Arc<Calendar> {
        self.calendar.read().map(|c| c.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}
