//! Layered configuration: defaults → optional `tongban.toml` → `TONGBAN_*` environment variables.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where the SQLite database and uploaded files live.
    pub data_dir: PathBuf,
    /// `postgres://…` selects PostgreSQL; empty = SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// The address the public reaches Tongban at (`https://tongban.example.gov.cn`): the links and
    /// QR codes in documents, the same-origin check of every write. `https` makes every cookie
    /// `Secure` and `__Host-` and sends HSTS. Empty: the address this node listens on.
    pub public_url: Option<String>,
    /// The Ed25519 key that signs the audit anchors: 64 hex digits (its 32-byte seed). Empty: a
    /// key made once and kept in `<data_dir>/audit-signing.key` (keep a copy of its public half
    /// elsewhere, or configure one).
    pub audit_key: Option<String>,
    /// Session lifetime in hours.
    pub session_hours: i64,
    /// SMS codes one address may ask for in an hour (20; a hall's shared address, or a test, may
    /// need more). `TONGBAN_SMS_CODES_PER_ADDRESS_HOUR`.
    pub sms_codes_per_address_hour: u64,
    /// Seconds a client has to send a request's headers before its connection is closed (a
    /// slowloris holds connections by sending them a byte at a time). `TONGBAN_HEADER_READ_SECS`.
    pub header_read_secs: u64,
    /// Load the demo data at start when the database is empty.
    pub seed_demo: bool,
    /// How many proxies of your own stand before the app (0: none, the peer is the client). The
    /// client's address is then the right-most `X-Forwarded-For` entry those proxies did not add
    /// (`edge::client_address`); the entries to its left are the client's to invent.
    pub trusted_proxies: usize,
    /// Log filter (`info`, `tongban=debug,…`).
    pub log: String,
    /// Seconds between scheduler ticks (the daily rules sweep and the notification dispatcher);
    /// 0 turns the scheduler off on this node. Several nodes may run it: a database lease lets
    /// one at a time work.
    pub scheduler_secs: u64,
    /// `[notify]`: e-mail (SMTP), SMS (HTTP provider), retries.
    pub notify: NotifySettings,
    /// The node's clock starts at this instant and runs on (RFC 3339, or a day: 09:00 China time):
    /// for demonstrations and browser tests of deadlines. Empty: the system clock.
    pub clock: Option<String>,
}

/// `scheme://host[:port]` of a public address, lower-cased, without a trailing slash; `None`
/// when it is not an http(s) origin (a path, a query, credentials or no host).
pub fn public_origin(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, authority) = url.split_once("://")?;
    let ok = matches!(scheme, "http" | "https")
        && !authority.is_empty()
        && !authority.contains(['/', '?', '#', '@', ' '])
        && authority.split(':').nth(1).is_none_or(|p| p.parse::<u16>().is_ok());
    ok.then_some(url)
}

impl Settings {
    /// The node's clock: the system clock, or one started at `clock` (`TONGBAN_CLOCK`).
    pub fn clock(&self) -> super::clock::Clock {
        match self.clock.as_deref().and_then(super::clock::Clock::parse_start) {
            Some(at) => super::clock::Clock::starting_at(at),
            None => super::clock::Clock::system(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data_dir: PathBuf::from("data"),
            database_url: None,
            secure_cookies: false,
            public_url: None,
            audit_key: None,
            session_hours: 8,
            sms_codes_per_address_hour: 20,
            header_read_secs: 10,
            seed_demo: false,
            trusted_proxies: 0,
            log: "info".into(),
            scheduler_secs: 60,
            notify: Default::default(),
            clock: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: {message}")]
    Toml { path: String, message: String },
    #[error("environment variable {name}={value:?}: {message}")]
    Env { name: String, value: String, message: String },
}

/// Every `TONGBAN_*` variable and what it sets (also printed by `tongban --help`).
pub const ENV_VARS: &[(&str, &str)] = &[
    ("TONGBAN_CONFIG", "path of the config file (default: ./tongban.toml when present)"),
    ("TONGBAN_DATA_DIR", "data directory for SQLite and files (default: ./data)"),
    ("DATABASE_URL / TONGBAN_DATABASE_URL", "postgres://user@host/db to use PostgreSQL"),
    ("TONGBAN_SECURE_COOKIES", "true behind HTTPS: cookies get the Secure flag"),
    ("TONGBAN_SESSION_HOURS", "session lifetime in hours (default 8)"),
    ("TONGBAN_SEED_DEMO", "true: load demo data at start when the database is empty"),
    (
        "TONGBAN_PUBLIC_URL",
        "the site's public address, e.g. https://tongban.example.gov.cn (links, QR codes, the same-origin check; https: Secure __Host- cookies and HSTS)",
    ),
    ("TONGBAN_AUDIT_KEY", "64 hex digits: the Ed25519 seed that signs the audit anchors (default: a key kept in the data directory)"),
    ("TONGBAN_TRUSTED_PROXIES", "how many reverse proxies of yours stand in front (0 = none, default)"),
    ("TONGBAN_TRUST_PROXY", "true: the same as TONGBAN_TRUSTED_PROXIES=1"),
    ("TONGBAN_LOG", "log filter, e.g. info or debug (default info)"),
    ("TONGBAN_SCHEDULER_SECS", "seconds between scheduler ticks; 0 = no scheduler on this node (default 60)"),
    ("TONGBAN_SMS_CODES_PER_ADDRESS_HOUR", "SMS codes one address may ask for in an hour (default 20)"),
    ("TONGBAN_HEADER_READ_SECS", "seconds a client has to send a request's headers (default 10)"),
    (
        "TONGBAN_CLOCK",
        "start the node's clock at this instant or day (e.g. 2026-09-30) and run on; for demos and tests",
    ),
    ("LEPTOS_SITE_ADDR", "address to listen on (default 127.0.0.1:3000)"),
    ("LEPTOS_SITE_ROOT", "directory of the built site (default target/site)"),
];

fn parse_bool(name: &str, v: &str) -> Result<bool, ConfigError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(ConfigError::Env { name: name.into(), value: v.into(), message: "expected true or false".into() }),
    }
}

/// A whole number in `range` from the variable `name`, or its error saying what was `expected`.
fn parse_in<T: std::str::FromStr + PartialOrd>(
    name: &str,
    v: &str,
    range: std::ops::RangeInclusive<T>,
    expected: &str,
) -> Result<T, ConfigError> {
    v.trim().parse().ok().filter(|n| range.contains(n)).ok_or_else(|| ConfigError::Env {
        name: name.into(),
        value: v.into(),
        message: expected.into(),
    })
}

impl Settings {
    /// Loads the layers. `env` is injectable for tests.
    pub fn load_from(
        config_path: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let explicit = env("TONGBAN_CONFIG").map(PathBuf::from).or_else(|| config_path.map(Path::to_path_buf));
        let path = explicit.clone().unwrap_or_else(|| PathBuf::from("tongban.toml"));
        let mut s = if path.exists() {
            let text = std::fs::read_to_string(&path)
                .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
            toml::from_str::<Settings>(&text)
                .map_err(|e| ConfigError::Toml { path: path.display().to_string(), message: e.to_string() })?
        } else if let Some(p) = explicit {
            return Err(ConfigError::Read {
                path: p.display().to_string(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        } else {
            Settings::default()
        };
        if let Some(v) = env("TONGBAN_DATA_DIR") {
            s.data_dir = PathBuf::from(v);
        }
        if let Some(v) = env("TONGBAN_DATABASE_URL").or_else(|| env("DATABASE_URL")) {
            s.database_url = if v.trim().is_empty() { None } else { Some(v) };
        }
        if let Some(v) = env("TONGBAN_SECURE_COOKIES") {
            s.secure_cookies = parse_bool("TONGBAN_SECURE_COOKIES", &v)?;
        }
        if let Some(v) = env("TONGBAN_PUBLIC_URL") {
            s.public_url = if v.trim().is_empty() { None } else { Some(v) };
        }
        if let Some(v) = s.public_url.take() {
            s.public_url = Some(public_origin(&v).ok_or_else(|| ConfigError::Env {
                name: "TONGBAN_PUBLIC_URL".into(),
                value: v.clone(),
                message: "expected http(s)://host[:port], without a path".into(),
            })?);
        }
        if let Some(v) = env("TONGBAN_AUDIT_KEY") {
            s.audit_key = if v.trim().is_empty() { None } else { Some(v) };
        }
        if let Some(v) = env("TONGBAN_SEED_DEMO") {
            s.seed_demo = parse_bool("TONGBAN_SEED_DEMO", &v)?;
        }
        if let Some(v) = env("TONGBAN_TRUST_PROXY") {
            // the older switch: one proxy
            s.trusted_proxies = usize::from(parse_bool("TONGBAN_TRUST_PROXY", &v)?);
        }
        if let Some(v) = env("TONGBAN_TRUSTED_PROXIES") {
            s.trusted_proxies =
                parse_in("TONGBAN_TRUSTED_PROXIES", &v, 0..=8, "expected the number of your proxies, 0 to 8")?;
        }
        if let Some(v) = env("TONGBAN_SESSION_HOURS") {
            s.session_hours =
                parse_in("TONGBAN_SESSION_HOURS", &v, 1..=720, "expected a whole number of hours from 1 to 720")?;
        }
        if let Some(v) = env("TONGBAN_SMS_CODES_PER_ADDRESS_HOUR") {
            s.sms_codes_per_address_hour =
                parse_in("TONGBAN_SMS_CODES_PER_ADDRESS_HOUR", &v, 1..=u64::MAX, "expected a whole number from 1")?;
        }
        if let Some(v) = env("TONGBAN_HEADER_READ_SECS") {
            s.header_read_secs =
                parse_in("TONGBAN_HEADER_READ_SECS", &v, 1..=300, "expected a whole number of seconds from 1 to 300")?;
        }
        if let Some(v) = env("TONGBAN_SCHEDULER_SECS") {
            s.scheduler_secs = parse_in(
                "TONGBAN_SCHEDULER_SECS",
                &v,
                0..=86_400,
                "expected a whole number of seconds from 0 to 86400",
            )?;
        }
        if let Some(v) = env("TONGBAN_CLOCK") {
            s.clock = if v.trim().is_empty() { None } else { Some(v) };
        }
        if let Some(v) = s.clock.as_deref() {
            if super::clock::Clock::parse_start(v).is_none() {
                return Err(ConfigError::Env {
                    name: "TONGBAN_CLOCK".into(),
                    value: v.to_string(),
                    message: "expected an RFC 3339 instant or a day like 2026-09-30".into(),
                });
            }
        }
        if let Some(v) = env("TONGBAN_LOG") {
            s.log = v;
        }
        if let Some(url) = &s.database_url {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://") || url.starts_with("sqlite:")) {
                return Err(ConfigError::Env {
                    name: "DATABASE_URL".into(),
                    value: url.clone(),
                    message: "expected postgres://… or sqlite:…".into(),
                });
            }
        }
        Ok(s)
    }

    /// Cookies are `Secure` (and `__Host-`): configured so, or the public address is https.
    pub fn secure(&self) -> bool {
        self.secure_cookies || self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    pub fn load() -> Result<Settings, ConfigError> {
        Settings::load_from(None, &|k| std::env::var(k).ok())
    }

    /// The database URL in effect: PostgreSQL when configured, else SQLite in the data directory.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.clone(),
            None => format!("sqlite://{}?mode=rwc", self.data_dir.join("tongban.db").display()),
        }
    }

    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }
}

/// `[notify]` in tongban.toml.
#[derive(Debug, Clone, serde::Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct NotifySettings {
    /// SMTP relay for e-mail; none = no e-mail.
    pub smtp: Option<SmtpSettings>,
    /// SMS provider: the dispatcher POSTs `{"to": mobile, "text": …}` as JSON here.
    pub sms_url: Option<String>,
    /// Sent as `Authorization: Bearer …` to the SMS provider.
    pub sms_token: Option<String>,
    /// Attempts per delivery before it is dead.
    pub max_attempts: u32,
    /// First retry delay in seconds; doubled each attempt, capped at one hour.
    pub retry_secs: u64,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings { smtp: None, sms_url: None, sms_token: None, max_attempts: 6, retry_secs: 60 }
    }
}

#[derive(Debug, Clone, serde::Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    /// The sender, e.g. `通办 <noreply@example.gov.cn>`.
    pub from: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// `starttls` (default), `tls` (implicit, port 465) or `none` (a relay on a trusted network).
    #[serde(default = "default_security")]
    pub security: String,
}

fn default_smtp_port() -> u16 {
    587
}
fn default_security() -> String {
    "starttls".into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn layers() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.toml");
        std::fs::write(&file, "data_dir = \"/srv/tb\"\nsession_hours = 4\n").unwrap();
        let s = Settings::load_from(Some(&file), &env_of(&[("TONGBAN_SESSION_HOURS", "6")])).unwrap();
        assert_eq!(s.data_dir, PathBuf::from("/srv/tb"));
        assert_eq!(s.session_hours, 6);
        assert!(s.effective_database_url().starts_with("sqlite:///srv/tb/tongban.db"));
        let s = Settings::load_from(Some(&file), &env_of(&[("DATABASE_URL", "postgres://u@h/db")])).unwrap();
        assert_eq!(s.effective_database_url(), "postgres://u@h/db");
    }

    #[test]
    fn the_example_file_and_its_notify_section_parse() {
        let example = include_str!("../../../tongban.toml.example");
        let s: Settings = toml::from_str(example).unwrap();
        assert_eq!(s.scheduler_secs, 60);
        // the commented [notify] block, switched on
        let on: String = example
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.starts_with('[') || rest.split_once(" = ").is_some() => rest.to_string(),
                _ => l.to_string(),
            })
            .filter(|l| !l.starts_with("database_url"))
            .collect::<Vec<_>>()
            .join("\n");
        let s: Settings = toml::from_str(&on).unwrap();
        let smtp = s.notify.smtp.expect("smtp");
        assert_eq!((smtp.host.as_str(), smtp.port, smtp.security.as_str()), ("smtp.example.gov.cn", 587, "starttls"));
        assert_eq!(s.notify.max_attempts, 6);
        assert!(s.notify.sms_url.is_some());
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        let e = Settings::load_from(None, &env_of(&[("TONGBAN_SECURE_COOKIES", "maybe")])).unwrap_err().to_string();
        assert!(e.contains("TONGBAN_SECURE_COOKIES") && e.contains("true or false"), "{e}");
        let e = Settings::load_from(None, &env_of(&[("DATABASE_URL", "mysql://x")])).unwrap_err().to_string();
        assert!(e.contains("postgres://"), "{e}");
        let e = Settings::load_from(None, &env_of(&[("TONGBAN_CONFIG", "/nonexistent/tongban.toml")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("/nonexistent/tongban.toml"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.toml");
        std::fs::write(&file, "data_dri = \"x\"\n").unwrap();
        let e = Settings::load_from(Some(&file), &env_of(&[])).unwrap_err().to_string();
        assert!(e.contains("data_dri"), "{e}");
    }
}
