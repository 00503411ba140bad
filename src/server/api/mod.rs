//! The HTTP surface: one table of operations, so the routed set can be compared with
//! assets/openapi.yaml, plus JSON errors for everything axum itself rejects.

mod account;
mod external;
mod keys;
mod listing_cache;
mod roles;
mod tokens;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{Method, StatusCode, Uri};
use axum::routing::{MethodFilter, on};

use std::sync::Arc;

use super::error::ApiError;
use super::limiter::AuthLimiter;
use super::logging;
use super::rate_limit::{RateLimit, RateLimiter};
use super::store::Store;

/// Request bodies larger than this are refused with 413. The largest legitimate body is a
/// role-id list or a label, a few hundred bytes.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Failed authentications per source address, shared by every route of this server.
    pub limiter: Arc<AuthLimiter>,
    /// Requests per authenticated key (`--rate-limit`); `None`: unlimited.
    pub rate: Option<Arc<RateLimiter>>,
    /// The last key listing, answered again while nothing changed.
    pub listings: Arc<listing_cache::ListingCache>,
}

/// The routes and, beside them, the (method, path) of each, in the order they were added.
struct Routes {
    router: Router<AppState>,
    operations: Vec<(Method, &'static str)>,
}

impl Routes {
    fn add<H, T>(mut self, method: Method, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("standard HTTP method");
        self.router = self.router.route(path, on(filter, handler));
        self.operations.push((method, path));
        self
    }
}

fn routes() -> Routes {
    let routes = Routes {
        router: Router::new(),
        operations: Vec::new(),
    };
    routes
        // VTEX's documented endpoints.
        .add(Method::GET, "/api/vlm/appkeys", keys::list)
        .add(Method::POST, "/api/vlm/appkeys", keys::create)
        .add(Method::PUT, "/api/vlm/appkeys/{id}", keys::set_status)
        .add(
            Method::GET,
            "/api/license-manager/users/{userId}/roles",
            roles::of_key,
        )
        .add(
            Method::PUT,
            "/api/license-manager/users/{userId}/roles",
            roles::add,
        )
        .add(
            Method::DELETE,
            "/api/license-manager/users/{userId}/roles/{roleId}",
            roles::remove,
        )
        .add(
            Method::GET,
            "/api/license-manager/site/pvt/roles/list/paged",
            roles::list_paged,
        )
        .add(
            Method::PATCH,
            "/api/vtexid/apikey/{apiKey}/apitoken/renew",
            tokens::renew,
        )
        .add(
            Method::PATCH,
            "/api/vtexid/apikey/{apiKey}/apitoken/finish-renewal",
            tokens::finish_renewal,
        )
        .add(Method::POST, "/api/vtexid/apptoken/login", tokens::login)
        .add(Method::GET, "/api/vlm/account", account::info)
        // Our extensions (marked x-apikeys-extension in the contract).
        .add(Method::DELETE, "/api/vlm/appkeys/{id}", keys::delete)
        .add(
            Method::PATCH,
            "/api/vtexid/apikey/{apiKey}/apitoken/undo-renewal",
            tokens::undo_renewal,
        )
        .add(Method::GET, "/api/vlm/appkeys-settings", account::settings)
        .add(
            Method::PUT,
            "/api/vlm/appkeys-settings",
            account::update_settings,
        )
        .add(Method::GET, "/api/vlm/external-appkeys", external::list)
        .add(Method::POST, "/api/vlm/external-appkeys", external::add)
        .add(
            Method::PUT,
            "/api/vlm/external-appkeys/{id}",
            external::set_status,
        )
        .add(
            Method::DELETE,
            "/api/vlm/external-appkeys/{id}",
            external::remove,
        )
        .add(Method::GET, "/api/vlm/session", account::session)
        .add(Method::GET, "/api/vlm/audit", account::audit)
}

/// Every routed operation as ("GET", "/api/vlm/appkeys"), for the contract test.
pub fn operations() -> Vec<(String, String)> {
    routes()
        .operations
        .into_iter()
        .map(|(method, path)| (method.to_string(), path.to_string()))
        .collect()
}

/// The routes over `store`; with `rate_limit`, each authenticated key gets that budget.
pub fn router(store: Store, rate_limit: Option<RateLimit>) -> Router {
    routes()
        .router
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn(logging::log_request))
        .with_state(AppState {
            store,
            limiter: Arc::new(AuthLimiter::default()),
            rate: rate_limit.map(|limit| Arc::new(RateLimiter::new(limit))),
            listings: Arc::default(),
        })
}

async fn no_route(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("No such endpoint: {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} does not accept {method}.", uri.path()),
    )
}
