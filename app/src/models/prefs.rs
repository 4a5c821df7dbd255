//! Display preferences: language and elder mode (适老模式), kept in two small cookies that are
//! readable on both sides so the server renders the right page and the browser hydrates it as is.

use rules::Lang;
use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "tb_lang";
pub const ELDER_COOKIE: &str = "tb_elder";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Prefs {
    pub lang: Lang,
    pub elder: bool,
}

impl Prefs {
    /// Reads the preferences from a `Cookie:` header value (or `document.cookie`), falling back to
    /// `Accept-Language` for the language.
    pub fn from_cookie_header(cookies: &str, accept_language: Option<&str>) -> Prefs {
        let mut p = Prefs::default();
        let mut lang_set = false;
        for (k, v) in parse_cookies(cookies) {
            match k {
                LANG_COOKIE => {
                    if let Some(l) = Lang::from_tag(v) {
                        p.lang = l;
                        lang_set = true;
                    }
                }
                ELDER_COOKIE => p.elder = v == "1",
                _ => {}
            }
        }
        if !lang_set {
            if let Some(al) = accept_language {
                if let Some(l) =
                    al.split(',').filter_map(|part| Lang::from_tag(part.split(';').next().unwrap_or(""))).next()
                {
                    p.lang = l;
                }
            }
        }
        p
    }
}

/// Splits a cookie header into (name, value) pairs.
pub fn parse_cookies(header: &str) -> impl Iterator<Item = (&str, &str)> {
    header.split(';').filter_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        Some((k.trim(), v.trim()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn reads_cookies_and_accept_language() {
        let p = Prefs::from_cookie_header("a=b; tb_lang=zh-Hant; tb_elder=1", None);
        assert_eq!(p, Prefs { lang: Lang::ZhHant, elder: true });
        let p = Prefs::from_cookie_header("", Some("en-GB,en;q=0.9"));
        assert_eq!(p.lang, Lang::En);
        let p = Prefs::from_cookie_header("tb_lang=xx", Some("fr-FR, zh-TW;q=0.5"));
        assert_eq!(p.lang, Lang::ZhHant);
    }
}

/// The CSP nonce of a request, made by the server's middleware before rendering: the middleware
/// sends it in the `Content-Security-Policy` header, the shell puts it on the page's scripts (and
/// a kept public page gets it in place of the one it was rendered with).
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);
