//! Web addresses as `check --external` fetches them: http(s) only, without
//! their `#fragment` (which never reaches the server), scheme and host in
//! lowercase, and what an address may not hold as written (spaces,
//! letters outside ASCII) percent-encoded, so two spellings of one
//! address are fetched once.

use std::fmt;

/// An http(s) address that can be fetched.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Address {
    url: String,
    /// `host` or `host:port`, lowercased: what the per-host limit counts.
    host: String,
}

/// Why a web address cannot be fetched as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unfit {
    NoSlashes,
    NoHost,
    BadHost,
    BadPort,
}

impl Unfit {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Unfit::NoSlashes => "it has no `//` after its scheme",
            Unfit::NoHost => "it has no host",
            Unfit::BadHost => {
                "its host name holds a space, a character outside ASCII or a misplaced sign (write a host outside ASCII in its `xn--` form)"
            }
            Unfit::BadPort => "its port is not a number from 1 to 65535",
        }
    }
}

impl Address {
    /// The address a link goes to, if it is a web address (`http:`,
    /// `https:` or `//host/…`), or why it cannot be fetched; `None` for
    /// anything else (`mailto:`, a path in the community).
    pub(crate) fn parse(written: &str) -> Option<Result<Address, Unfit>> {
        let written = written.trim();
        let (scheme, rest) = if let Some(rest) = strip_scheme(written, "https:") {
            ("https", rest)
        } else if let Some(rest) = strip_scheme(written, "http:") {
            ("http", rest)
        } else if written.starts_with("//") {
            // Pages are published over https; a browser would follow it so.
            ("https", written)
        } else {
            return None;
        };
        Some(Address::from_parts(scheme, rest))
    }

    fn from_parts(scheme: &str, rest: &str) -> Result<Address, Unfit> {
        let rest = rest.strip_prefix("//").ok_or(Unfit::NoSlashes)?;
        let rest = rest.split('#').next().unwrap_or_default();
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_end);
        let (user, host) = match authority.rsplit_once('@') {
            Some((user, host)) => (Some(user), host),
            None => (None, authority),
        };
        let host = checked_host(host)?;
        let mut url = format!("{scheme}://");
        if let Some(user) = user {
            url.push_str(&encoded(user));
            url.push('@');
        }
        url.push_str(&host);
        url.push_str(&encoded(path));
        if path.is_empty() {
            url.push('/');
        }
        Ok(Address { url, host })
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    /// Where a redirect's `Location` leads from here: an address, a path
    /// on this host, or a path relative to this one.
    pub(crate) fn join(&self, location: &str) -> Option<Address> {
        let location = location.trim();
        let scheme_end = self.url.find("://").unwrap_or_default();
        if location.starts_with("//") {
            return Address::from_parts(&self.url[..scheme_end], location).ok();
        }
        if let Some(parsed) = Address::parse(location) {
            return parsed.ok();
        }
        if has_scheme(location) {
            // Another scheme (`ftp:`, `mailto:`): not a web page.
            return None;
        }
        let origin_end = self.url[scheme_end + 3..]
            .find('/')
            .map_or(self.url.len(), |i| i + scheme_end + 3);
        let origin = &self.url[..origin_end];
        let path = if location.starts_with('/') {
            location.to_string()
        } else {
            let current = &self.url[origin_end..];
            let current = current.split('?').next().unwrap_or("/");
            match location.strip_prefix('?') {
                Some(_) => format!("{current}{location}"),
                None => {
                    let folder = &current[..current.rfind('/').map_or(0, |i| i + 1)];
                    format!("{folder}{location}")
                }
            }
        };
        Some(Address {
            url: format!("{origin}{}", encoded(&path)),
            host: self.host.clone(),
        })
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

fn strip_scheme<'a>(text: &'a str, scheme: &str) -> Option<&'a str> {
    let head = text.get(..scheme.len())?;
    head.eq_ignore_ascii_case(scheme)
        .then(|| &text[scheme.len()..])
}

fn has_scheme(text: &str) -> bool {
    let name = text.split(':').next().unwrap_or_default();
    name.len() < text.len()
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// `host`, `host:port` or `[v6]:port`, lowercased, if it is one.
fn checked_host(host: &str) -> Result<String, Unfit> {
    let (name, port) = match host.rfind(':') {
        Some(colon) if !host[colon..].contains(']') => (&host[..colon], Some(&host[colon + 1..])),
        _ => (host, None),
    };
    if name.is_empty() {
        return Err(Unfit::NoHost);
    }
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._~%[]:".contains(c);
    if !name.chars().all(plain) || name.starts_with(['.', '-']) {
        return Err(Unfit::BadHost);
    }
    if let Some(port) = port
        && !port.is_empty()
        && !port.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(Unfit::BadPort);
    }
    Ok(host.trim_end_matches(':').to_ascii_lowercase())
}

/// Percent-encodes what a URL cannot hold as written; `%` stays, as the
/// address may be encoded already.
fn encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_graphic() && !"\"<>\\^`{|}".contains(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(written: &str) -> String {
        match Address::parse(written) {
            Some(Ok(address)) => address.url,
            other => panic!("{written}: {other:?}"),
        }
    }

    #[test]
    fn normal_forms() {
        assert_eq!(
            url("https://Example.ORG/Path#part"),
            "https://example.org/Path"
        );
        assert_eq!(url("HTTP://example.org"), "http://example.org/");
        assert_eq!(
            url("//cdn.example.org/x?q=1"),
            "https://cdn.example.org/x?q=1"
        );
        assert_eq!(
            url("https://de.example.org/wiki/Käse kuchen"),
            "https://de.example.org/wiki/K%C3%A4se%20kuchen"
        );
        assert_eq!(
            url("https://example.org:8443/a%20b"),
            "https://example.org:8443/a%20b"
        );
        assert_eq!(url("http://[::1]:8080/"), "http://[::1]:8080/");
        assert_eq!(Address::parse("mailto:a@example.org"), None);
        assert_eq!(Address::parse("../practices/x.md"), None);
        assert_eq!(Address::parse("/tags/"), None);
    }

    #[test]
    fn unfit_addresses() {
        let unfit = |written| Address::parse(written).and_then(Result::err);
        assert_eq!(unfit("https:example.org"), Some(Unfit::NoSlashes));
        assert_eq!(unfit("https:///path"), Some(Unfit::NoHost));
        assert_eq!(unfit("https://exa mple.org/"), Some(Unfit::BadHost));
        assert_eq!(unfit("https://bücher.example/"), Some(Unfit::BadHost));
        assert_eq!(unfit("https://example.org:99999/"), Some(Unfit::BadPort));
    }

    #[test]
    fn redirects_join() {
        let base = Address::parse("https://example.org/a/b?x=1")
            .unwrap()
            .unwrap();
        let join = |location| base.join(location).map(|a| a.url);
        assert_eq!(join("/c").as_deref(), Some("https://example.org/c"));
        assert_eq!(join("c").as_deref(), Some("https://example.org/a/c"));
        assert_eq!(join("?y=2").as_deref(), Some("https://example.org/a/b?y=2"));
        assert_eq!(
            join("https://other.org/").as_deref(),
            Some("https://other.org/")
        );
        assert_eq!(
            join("//other.org/z").as_deref(),
            Some("https://other.org/z")
        );
        assert_eq!(join("ftp://files.example.org/"), None);
        let plain = Address::parse("http://example.org/").unwrap().unwrap();
        let other = plain.join("//other.org/z").map(|a| a.url);
        assert_eq!(other.as_deref(), Some("http://other.org/z"));
        let root = Address::parse("https://example.org").unwrap().unwrap();
        assert_eq!(
            root.join("x").map(|a| a.url).as_deref(),
            Some("https://example.org/x")
        );
    }
}
