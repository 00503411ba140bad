//! Where credentials may go: the origin (scheme, host, port) a request is sent to, and whether
//! a host is this machine (so plain http cannot be read on the way).

use std::net::IpAddr;

use url::{Host, Url};

/// Scheme, host and port are the same: a redirect between the two may carry the credentials.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// How an origin is named in messages: `https://host:port` (the port only when not the default).
pub fn describe(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) or `localhost`: traffic that never leaves the machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            name.eq_ignore_ascii_case("localhost")
        }
        None => false,
    }
}

/// Plain http to a host that is not this machine: the token would cross the network in clear.
pub fn is_cleartext_remote(url: &Url) -> bool {
    url.scheme() == "http" && !is_loopback(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn loopback_hosts() {
        for local in [
            "http://127.0.0.1:8808",
            "http://127.9.8.7/",
            "http://[::1]:80/",
            "http://[::ffff:127.0.0.1]/",
            "http://localhost:3000",
            "http://LOCALHOST./",
        ] {
            assert!(is_loopback(&url(local)), "{local}");
            assert!(!is_cleartext_remote(&url(local)), "{local}");
        }
        for remote in [
            "http://10.0.0.1/",
            "http://128.0.0.1/",
            "http://[::2]/",
            "http://localhost.example.com/",
            "http://mystore.vtexcommercestable.com.br/",
        ] {
            assert!(!is_loopback(&url(remote)), "{remote}");
            assert!(is_cleartext_remote(&url(remote)), "{remote}");
        }
        assert!(!is_cleartext_remote(&url("https://10.0.0.1/")));
    }

    #[test]
    fn origins() {
        assert!(same_origin(
            &url("https://a.example/x"),
            &url("https://a.example:443/y?z")
        ));
        assert!(!same_origin(
            &url("https://a.example/"),
            &url("http://a.example/")
        ));
        assert!(!same_origin(
            &url("http://127.0.0.1:1/"),
            &url("http://127.0.0.1:2/")
        ));
        assert!(!same_origin(
            &url("http://127.0.0.1:1/"),
            &url("http://localhost:1/")
        ));
        assert_eq!(
            describe(&url("http://127.0.0.1:9000/a")),
            "http://127.0.0.1:9000"
        );
        assert_eq!(describe(&url("https://a.example/a")), "https://a.example");
    }
}
