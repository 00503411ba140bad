use std::time::Duration;

use chrono::{TimeZone, Utc};

use super::*;

fn plan_of(count: usize) -> Plan {
    Plan {
        action: Some(BulkAction::SetActive(false)),
        list: KeyList::Generated,
        items: (0..count)
            .map(|n| Item {
                id: format!("id{n}"),
                app_key: format!("vtexappkey-acme-{n:06}"),
                label: format!("key {n}"),
                change: Change::SetKeyActive {
                    id: format!("id{n}"),
                    active: false,
                },
                rate_limited: 0,
            })
            .collect(),
        skipped: Vec::new(),
        hidden: 0,
        grants_admin: None,
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

/// Sends what the run lets out now, numbering requests from `next`.
fn send_all(run: &mut Run, next: &mut RequestId, at: DateTime<Utc>) -> Vec<RequestId> {
    let mut sent = Vec::new();
    while let Some(item) = run.next_to_send(at) {
        run.sent(*next, item);
        sent.push(*next);
        *next += 1;
    }
    sent
}

fn rate_limited(secs: u64) -> Failure {
    Failure::new(
        FailureKind::RateLimited {
            retry_after: Some(Duration::from_secs(secs)),
        },
        "rate limited (429)",
    )
}

#[test]
fn no_more_than_the_concurrency_is_in_flight() {
    let mut run = Run::new(plan_of(10), BulkAction::SetActive(false), now());
    let mut next = 1;
    assert_eq!(send_all(&mut run, &mut next, now()).len(), CONCURRENCY);
    run.answered(1, Ok(()), now());
    assert_eq!(send_all(&mut run, &mut next, now()), vec![5]);
    assert_eq!((run.in_flight(), run.done(), run.requests), (4, 1, 5));
}

#[test]
fn a_429_holds_the_queue_for_the_wait_and_sends_the_key_again() {
    let mut run = Run::new(plan_of(6), BulkAction::SetActive(false), now());
    let mut next = 1;
    send_all(&mut run, &mut next, now());
    run.answered(2, Err(rate_limited(3)), now());
    assert!(send_all(&mut run, &mut next, now()).is_empty(), "paused");
    assert_eq!(run.waiting(now()), Some(chrono::Duration::seconds(3)));
    let later = now() + chrono::Duration::seconds(3);
    let resent = send_all(&mut run, &mut next, later);
    assert_eq!(
        resent,
        vec![5],
        "one slot was free: the refused key goes first"
    );
    assert_eq!(run.in_flight.get(&5).map(|i| i.id.as_str()), Some("id1"));
    assert_eq!((run.rate_limited, run.failed.len()), (1, 0));
}

#[test]
fn a_key_refused_for_its_rate_too_often_fails_with_the_reason() {
    let mut run = Run::new(plan_of(1), BulkAction::SetActive(false), now());
    let mut next = 1;
    let mut at = now();
    for _ in 0..=MAX_RATE_LIMITED {
        let sent = send_all(&mut run, &mut next, at);
        assert_eq!(sent.len(), 1);
        run.answered(sent[0], Err(rate_limited(1)), at);
        at += chrono::Duration::seconds(1);
    }
    assert!(run.finished());
    assert_eq!(run.failed.len(), 1);
    assert!(run.failed[0].reason.contains("429"));
}

#[test]
fn stopping_leaves_the_queue_unsent_and_counts_what_comes_back() {
    let mut run = Run::new(plan_of(10), BulkAction::SetActive(false), now());
    let mut next = 1;
    send_all(&mut run, &mut next, now());
    run.stop(Stop::Cancelled);
    assert_eq!(run.not_sent.len(), 6);
    assert!(send_all(&mut run, &mut next, now()).is_empty());
    assert!(!run.finished(), "four answers are still on their way");
    for id in 1..=4 {
        run.answered(id, Ok(()), now());
    }
    assert!(run.finished());
    assert_eq!(
        (run.succeeded.len(), run.stopped),
        (4, Some(Stop::Cancelled))
    );
}

#[test]
fn refused_credentials_stop_the_run() {
    let mut run = Run::new(plan_of(10), BulkAction::SetActive(false), now());
    let mut next = 1;
    send_all(&mut run, &mut next, now());
    let refused = Failure::new(FailureKind::Unauthorized, "unauthorized (401)");
    run.answered(1, Err(refused), now());
    assert_eq!(run.stopped, Some(Stop::Unauthorized));
    assert_eq!((run.failed.len(), run.not_sent.len()), (1, 6));
}

#[test]
fn a_429_after_esc_is_not_sent_rather_than_failed() {
    let mut run = Run::new(plan_of(6), BulkAction::SetActive(false), now());
    let mut next = 1;
    send_all(&mut run, &mut next, now());
    run.stop(Stop::Cancelled);
    run.answered(1, Err(rate_limited(2)), now());
    assert!(run.failed.is_empty());
    assert_eq!(
        run.not_sent.len(),
        3,
        "two left in the queue, and the refused one"
    );
}

#[test]
fn a_long_retry_after_is_honoured_whole() {
    let mut run = Run::new(plan_of(2), BulkAction::SetActive(false), now());
    let mut next = 1;
    send_all(&mut run, &mut next, now());
    run.answered(1, Err(rate_limited(600)), now());
    let waited = now() + chrono::Duration::seconds(599);
    assert!(send_all(&mut run, &mut next, waited).is_empty());
    let over = now() + chrono::Duration::seconds(600);
    assert_eq!(send_all(&mut run, &mut next, over).len(), 1);
}
