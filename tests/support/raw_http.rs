//! A tiny HTTP/1.1 server on 127.0.0.1:0 for what the reference server never does: redirects,
//! endless or oversized answers, slow failures, acting as a proxy. It records every request.
//! Also `cli`: the built binary, with fixed fake credentials and nothing else from this machine.
#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const APP_KEY: &str = "vtexappkey-acme-TESTKY";
/// A fake token, in VTEX's shape (100 uppercase letters).
pub const FAKE_TOKEN: &str = "FAKETOKENFAKETOKENFAKETOKENFAKETOKENFAKETOKENFAKETOKENFAKETOKENFAKETOKENFAKETOKENFAKETOKENFAKETOKENX";

/// One request as it arrived: the request line and the headers.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// The request target: a path, or an absolute URL when the server is used as a proxy.
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Who was asked for what, and which credential headers came (never their values).
    pub fn summary(&self) -> String {
        let credentials: Vec<&str> = ["X-VTEX-API-AppKey", "X-VTEX-API-AppToken"]
            .into_iter()
            .filter(|name| self.header(name).is_some())
            .collect();
        format!(
            "{} {} (Host {}) with {credentials:?}",
            self.method,
            self.target,
            self.header("Host").unwrap_or("?")
        )
    }

    /// Carries either VTEX credential header.
    pub fn has_credentials(&self) -> bool {
        self.header("X-VTEX-API-AppKey").is_some() || self.header("X-VTEX-API-AppToken").is_some()
    }
}

pub enum Reply {
    /// A whole response, written after `delay`.
    Full {
        delay: Duration,
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// 200 with a chunked body that never ends.
    Endless,
    /// 200 that declares this Content-Length, sends a few bytes, then nothing more.
    Declared(u64),
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Full {
            delay: Duration::ZERO,
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn redirect(location: &str) -> Reply {
        Reply::Full {
            delay: Duration::ZERO,
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }

    pub fn after(self, wait: Duration) -> Reply {
        match self {
            Reply::Full {
                status,
                headers,
                body,
                ..
            } => Reply::Full {
                delay: wait,
                status,
                headers,
                body,
            },
            other => other,
        }
    }
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

pub struct RawServer {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl RawServer {
    pub async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, handler.clone(), log.clone()));
            }
        });
        RawServer { port, seen }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// One request per connection, then close: enough for a client under test.
async fn serve(mut stream: TcpStream, handler: Arc<Handler>, log: Arc<Mutex<Vec<Seen>>>) {
    let Some(seen) = read_head(&mut stream).await else {
        return;
    };
    log.lock().unwrap().push(seen.clone());
    let _ = write_reply(&mut stream, handler(&seen)).await;
}

async fn read_head(stream: &mut TcpStream) -> Option<Seen> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut byte).await.ok()?;
        if read == 0 || head.len() > 64 * 1024 {
            return None;
        }
        head.extend_from_slice(&byte[..read]);
    }
    let text = String::from_utf8_lossy(&head).to_string();
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let headers = lines
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    Some(Seen {
        method,
        target,
        headers,
    })
}

async fn write_reply(stream: &mut TcpStream, reply: Reply) -> std::io::Result<()> {
    match reply {
        Reply::Full {
            delay,
            status,
            headers,
            body,
        } => {
            tokio::time::sleep(delay).await;
            let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("Connection: close\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        }
        Reply::Endless => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .await?;
            let chunk = format!("10000\r\n[{}\r\n", " ".repeat(0xFFFF));
            loop {
                // Fails once the client hangs up, which ends the task. About 32 MB/s, so a
                // client that never stops reading grows slowly enough to watch.
                stream.write_all(chunk.as_bytes()).await?;
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        Reply::Declared(length) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n["
            );
            stream.write_all(head.as_bytes()).await?;
            tokio::time::sleep(Duration::from_secs(120)).await;
            Ok(())
        }
    }
}

/// The finished run of the binary.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

/// `apikeys ARGS` with the fake credentials, an empty config in `home`, no proxy unless `env`
/// sets one.
pub async fn cli(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let started = std::time::Instant::now();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("VTEX_APP_KEY", APP_KEY)
        .env("VTEX_APP_TOKEN", FAKE_TOKEN)
        .envs(env.iter().copied())
        .args(args)
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).to_string(),
        stderr: String::from_utf8_lossy(&output.stderr).to_string(),
        took: started.elapsed(),
    };
    assert!(
        !run.stdout.contains(FAKE_TOKEN) && !run.stderr.contains(FAKE_TOKEN),
        "the token was printed"
    );
    run
}
