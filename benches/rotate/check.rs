//! The sanity checks of a run (not timed): every token the sink stored logs in with VTEX ID's
//! login, its file is 0600, and no stored token appears in the journal, stdout or stderr.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::run::{Finished, Home};
use super::server::Server;

/// The tokens the sink stored, by appKey (the file names).
pub fn stored_tokens(home: &Home) -> Vec<(String, String)> {
    let mut tokens: Vec<(String, String)> = std::fs::read_dir(&home.tokens)
        .expect("read the token dir")
        .map(|entry| {
            let entry = entry.expect("a token file");
            let mode = entry.metadata().expect("stat").permissions().mode() & 0o777;
            let app_key = entry.file_name().to_string_lossy().into_owned();
            assert_eq!(mode, 0o600, "the token file of {app_key} is {mode:o}");
            let token = std::fs::read_to_string(entry.path()).expect("read a token file");
            assert!(
                !token.is_empty(),
                "the sink stored an empty token for {app_key}"
            );
            (app_key, token)
        })
        .collect();
    tokens.sort();
    tokens
}

/// No stored token in what the run printed or journaled. Panics naming the place, never the
/// token.
pub fn no_token_leaked(tokens: &[(String, String)], run: &Finished, journal: &Path) {
    let journal = std::fs::read_to_string(journal).unwrap_or_default();
    for (place, text) in [
        ("stdout", &run.stdout),
        ("stderr", &run.stderr),
        ("the journal", &journal),
    ] {
        if let Some(app_key) = leaked(tokens, text) {
            panic!("the new token of {app_key} is in {place}");
        }
    }
}

/// The appKey of the first of `tokens` that `text` holds.
pub fn leaked<'a>(tokens: &'a [(String, String)], text: &str) -> Option<&'a str> {
    tokens
        .iter()
        .find(|(_, token)| text.contains(token.as_str()))
        .map(|(app_key, _)| app_key.as_str())
}

/// How many of `tokens` VTEX ID's login accepts (`authStatus: Success`).
pub fn logins_accepted(server: &Server, tokens: &[(String, String)]) -> usize {
    tokens
        .iter()
        .filter(|(app_key, token)| logs_in(server, app_key, token))
        .count()
}

fn logs_in(server: &Server, app_key: &str, token: &str) -> bool {
    let address = server.base_url.trim_start_matches("http://");
    let body = serde_json::json!({ "appkey": app_key, "apptoken": token }).to_string();
    let request = format!(
        "POST /api/vtexid/apptoken/login HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(address).expect("connect to the server");
    stream
        .write_all(request.as_bytes())
        .expect("send the login");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the login");
    answer.starts_with("HTTP/1.1 200") && answer.contains("\"authStatus\":\"Success\"")
}

/// How many keys have a renewal pending (both tokens work), from the server's listing.
pub fn pending_renewals(server: &Server) -> usize {
    use secrecy::ExposeSecret;
    let address = server.base_url.trim_start_matches("http://");
    // HTTP/1.0: the body comes whole, never chunked, and the connection closes after it.
    let request = format!(
        "GET /api/vlm/appkeys?expand=token HTTP/1.0\r\nHost: {address}\r\n\
         Accept: application/json\r\nX-VTEX-API-AppKey: {}\r\nX-VTEX-API-AppToken: {}\r\n\r\n",
        server.app_key,
        server.app_token.expose_secret()
    );
    let mut stream = TcpStream::connect(address).expect("connect to the server");
    stream
        .write_all(request.as_bytes())
        .expect("send the listing");
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .expect("read the listing");
    let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.contains(" 200 "), "the listing answered {head:?}");
    let keys: Vec<serde_json::Value> = serde_json::from_str(body).expect("a JSON listing");
    keys.iter()
        .filter(|key| key["creationDateNewToken"].is_string())
        .count()
}
