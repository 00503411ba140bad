//! 429 and Retry-After: the client's failure carries the wait the server asked for, so a bulk
//! runner can wait and resend (a 429 means the server did not act on the request).

use std::time::Duration;

use apikeys::tui::action::{Failure, FailureKind};
use apikeys::vtex::ClientError;

#[test]
fn a_429_maps_to_rate_limited_with_its_wait() {
    let named = Failure::from(ClientError::RateLimited {
        retry_after: Some(Duration::from_secs(3)),
        message: "Too many requests.".into(),
    });
    assert_eq!(
        named.kind,
        FailureKind::RateLimited {
            retry_after: Some(Duration::from_secs(3))
        }
    );
    assert!(named.rate_limited());
    assert!(
        named.message.contains("Retry after 3s"),
        "{}",
        named.message
    );

    let unnamed = Failure::from(ClientError::RateLimited {
        retry_after: None,
        message: "Too many requests.".into(),
    });
    assert_eq!(unnamed.kind, FailureKind::RateLimited { retry_after: None });
    assert!(!unnamed.offline() && !unnamed.forbidden() && !unnamed.unavailable());
}
