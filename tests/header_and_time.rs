//! The title bar shows read-only mode and the time of the last successful refresh, and dates
//! are shown in the local time zone (`TZ`), with the zone named in the details and the audit
//! trail. The binary runs in a pty with `TZ=America/Sao_Paulo` (UTC-3 all year since 2019);
//! in-process tests pass the zone through the state, never by changing this process's TZ.

mod common;
mod pty_app;

use std::sync::Arc;

use apikeys::tui::view::time::Zone;
use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone, Timelike, Utc};
use common::TestServer;
use common::tui::{AppOptions, Clock, start_on};
use pty_app::Pty;

/// Whether the zone database has São Paulo; CI must install tzdata (missing there fails).
fn have_zone_data() -> bool {
    let here = std::path::Path::new("/usr/share/zoneinfo/America/Sao_Paulo").exists();
    if !here {
        assert!(std::env::var_os("CI").is_none(), "CI must install tzdata");
        eprintln!("skipping: no /usr/share/zoneinfo/America/Sao_Paulo (tzdata)");
    }
    here
}

fn title_line(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

/// The clock in "refreshed HH:MM:SS" on the title line.
fn refreshed_clock(screen: &str) -> NaiveTime {
    let title = title_line(screen);
    let at = title
        .find("refreshed ")
        .unwrap_or_else(|| panic!("no refresh time in the title bar: {title:?}"));
    let clock = &title[at + "refreshed ".len()..][..8];
    NaiveTime::parse_from_str(clock, "%H:%M:%S").unwrap()
}

#[test]
fn the_binary_under_tz_gives_the_refresh_time_in_local_time() {
    if !have_zone_data() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let env = [("TZ", "America/Sao_Paulo")];
    let mut pty = Pty::spawn_with_env(&["--refresh", "0"], &data, &config, &env);
    let screen = pty.wait_for("the populated app", |s| {
        s.contains("Generated keys (61)") && title_line(s).contains("refreshed ")
    });
    // The refresh time is São Paulo's (UTC-3), give or take the minute the test takes.
    let sao_paulo = FixedOffset::west_opt(3 * 3600).unwrap();
    let expected = Utc::now().with_timezone(&sao_paulo).time();
    let shown = refreshed_clock(&screen);
    let apart = (expected - shown).num_seconds().rem_euclid(86_400);
    assert!(
        !(60..=86_400 - 60).contains(&apart),
        "refreshed {shown}, São Paulo time is {expected}: {:?}",
        title_line(&screen)
    );

    pty.send("q");
    pty.expect_clean_exit();
}

#[test]
fn the_binary_under_tz_shows_details_and_the_audit_trail_in_local_time_with_the_zone() {
    if !have_zone_data() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let env = [("TZ", "America/Sao_Paulo")];
    let mut pty = Pty::spawn_with_env(&["--refresh", "0"], &data, &config, &env);
    pty.wait_for("the populated app", |s| s.contains("Generated keys (61)"));
    let sao_paulo = FixedOffset::west_opt(3 * 3600).unwrap();
    // Deactivate the first key (an audit entry now), then open its details.
    pty.send("t");
    pty.wait_for("the confirmation", |s| s.contains("Deactivate"));
    pty.send("\r");
    pty.wait_for("the key inactive", |s| s.contains("is inactive"));
    pty.send("\r");
    let details = pty.wait_for("the audit entry", |s| {
        s.contains("Key details") && s.contains("deactivated")
    });
    let line_of = |what: &str| {
        details
            .lines()
            .find(|line| line.contains(what))
            .unwrap_or_else(|| panic!("no {what:?} in:\n{details}"))
            .to_string()
    };
    for field in ["│ Created ", "│ Token created"] {
        let line = line_of(field);
        assert!(
            line.contains(" -03:00"),
            "{field} not in local time: {line}"
        );
    }
    let entry = line_of("deactivated");
    let today = Utc::now()
        .with_timezone(&sao_paulo)
        .format("%Y-%m-%d")
        .to_string();
    assert!(
        entry.contains(&today) && entry.contains(" -03:00"),
        "the audit entry is not in local time with its zone: {entry}"
    );
    pty.send("\x1b");
    pty.send("q");
    pty.expect_clean_exit();
}

fn fixed_clock(at: DateTime<Utc>) -> Clock {
    Arc::new(move || at)
}

#[tokio::test]
async fn the_title_bar_says_read_only_and_when_the_list_last_loaded() {
    let server = TestServer::start().await;
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 14, 5, 9).unwrap();
    let options = AppOptions {
        read_only: true,
        clock: Some(fixed_clock(at)),
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    let frame = app
        .wait_for("loaded", |f| f.visible_rows == 1 && !f.busy)
        .await;
    let title = title_line(&frame.screen);
    assert!(title.contains("read-only"), "{title}");
    assert!(title.contains("refreshed 14:05:09"), "{title}");
    app.quit().await;

    // Not read-only: no mark; and the time is given in the state's zone.
    let options = AppOptions {
        clock: Some(fixed_clock(at)),
        zone: Some(Zone::Fixed(FixedOffset::east_opt(5 * 3600 + 1800).unwrap())),
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    let frame = app
        .wait_for("loaded", |f| f.visible_rows == 1 && !f.busy)
        .await;
    let title = title_line(&frame.screen);
    assert!(!title.contains("read-only"), "{title}");
    assert!(title.contains("refreshed 19:35:09"), "{title}");
    app.quit().await;
}

#[tokio::test]
async fn the_list_shows_the_creation_day_of_the_local_zone() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Zone probe", &[]).await;
    let listed = server.listed_key(&key.creds.app_key).await;
    let created: DateTime<Utc> = listed["createdIn"].as_str().unwrap().parse().unwrap();
    // An offset that puts the local day on another date than UTC's.
    let offset = if created.hour() >= 12 {
        FixedOffset::east_opt(13 * 3600).unwrap()
    } else {
        FixedOffset::west_opt(12 * 3600).unwrap()
    };
    let local_day = created
        .with_timezone(&offset)
        .format("%Y-%m-%d")
        .to_string();
    let utc_day = created.format("%Y-%m-%d").to_string();
    assert_ne!(local_day, utc_day);
    let options = AppOptions {
        zone: Some(Zone::Fixed(offset)),
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    let frame = app.wait_idle_with("Zone probe").await;
    let row = frame
        .screen
        .lines()
        .find(|line| line.contains("Zone probe"))
        .unwrap();
    assert!(row.contains(&local_day) && !row.contains(&utc_day), "{row}");
    app.quit().await;
}
