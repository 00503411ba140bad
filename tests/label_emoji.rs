//! Labels with emoji sequences over real HTTP: the server keeps a zero-width joiner between two
//! emoji (👩‍💻, 🏳️‍🌈) and still refuses bidi controls and other invisible characters; the CLI's
//! table lines them up by what a terminal shows (grapheme clusters and their display width).

mod common;

use apikeys::vtex::{ClientOptions, Credentials, VtexClient};
use common::{Creds, TestServer};
use secrecy::SecretString;

fn client(server: &TestServer, creds: &Creds) -> VtexClient {
    VtexClient::new(
        url::Url::parse(&server.url("")).unwrap(),
        Credentials {
            app_key: creds.app_key.clone(),
            app_token: SecretString::from(creds.token.clone()),
        },
        ClientOptions::default(),
    )
    .unwrap()
}

const JOINED: &[&str] = &[
    "👩\u{200D}💻 developers",
    "🏳\u{FE0F}\u{200D}🌈 pride",
    "👨🏽\u{200D}🚀 launch",
    "👨\u{200D}👩\u{200D}👧 family",
    "🏴\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F} Wales",
];

const HIDDEN: &[&str] = &[
    "\u{200D}👩 leading joiner",
    "trailing joiner 👩\u{200D}",
    "lone\u{200D}joiner",
    "zero\u{200B}width",
    "\u{FEFF}bom",
    "invoice\u{202E}fdp.exe",
    "👩\u{2066}💻 isolate",
    "👩\u{202A}\u{200D}💻 embedding",
    "soft\u{00AD}hyphen",
];

#[tokio::test]
async fn emoji_joiners_are_kept_and_invisible_characters_refused() {
    let server = TestServer::start().await;
    let client = client(&server, &server.admin);
    for label in JOINED {
        let created = client
            .create_key(label)
            .await
            .unwrap_or_else(|err| panic!("{label:?} was refused: {err}"));
        assert_eq!(created.label, *label);
    }
    let listed = client.list_keys().await.unwrap();
    for label in JOINED {
        assert!(
            listed.iter().any(|key| key.label == *label),
            "{label:?} is listed unchanged"
        );
    }
    for label in HIDDEN {
        let err = client
            .create_key(label)
            .await
            .expect_err(&format!("{label:?} was accepted"));
        assert!(
            err.to_string().contains("invisible formatting characters"),
            "{label:?}: {err}"
        );
    }
    let after = client.list_keys().await.unwrap();
    assert_eq!(after.len(), listed.len(), "no refused label made a key");
}

/// Columns the text takes in a terminal, cluster by cluster.
fn columns(text: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    text.graphemes(true).map(UnicodeWidthStr::width).sum()
}

#[tokio::test]
async fn the_cli_table_lines_up_labels_with_joined_emoji() {
    let server = TestServer::start().await;
    let labels = ["👩\u{200D}💻\u{200D}🔧", "plain", "🏳\u{FE0F}\u{200D}🌈🇧🇷"];
    for label in labels {
        server.key_with_roles(label, &["Catalog editor"]).await;
    }
    let run = common::cli::run(&server, &server.admin, &["keys", "list", "--sort", "name"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let roles_column = columns(&lines[0][..lines[0].find("ROLES").unwrap()]);
    for label in labels {
        let line = lines
            .iter()
            .find(|line| line.contains(label))
            .unwrap_or_else(|| panic!("{label:?} is listed:\n{}", run.stdout));
        let after_label = line.find(label).unwrap() + label.len();
        let padding = line[after_label..].len() - line[after_label..].trim_start().len();
        assert_eq!(
            columns(&line[..after_label]) + padding,
            roles_column,
            "the ROLES column starts in the same terminal column after {label:?}:\n{}",
            run.stdout
        );
    }
}
