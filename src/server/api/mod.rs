//! The HTTP surface: one table of operations, so the routed set can be compared with
//! assets/openapi.yaml, plus JSON errors for everything axum itself rejects.

mod account;
mod external;
mod keys;
mod listing_cache;
pub mod public_only;
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
use super::limits::Limits;
use super::logging;
use super::rate_limit::RateLimiter;
use super::store::Store;
use public_only::Surface;

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
    /// `--public-api-only`: extension parameters such as `expand` are ignored.
    pub public_api_only: bool,
}

/// The routes and, beside them, the (method, path, surface) of each, in the order they were
/// added. Under `public_api_only` an extension is routed to [`public_only::absent`].
struct Routes {
    router: Router<AppState>,
    operations: Vec<(Method, &'static str, Surface)>,
    public_api_only: bool,
}

impl Routes {
    /// One of VTEX's documented operations.
    fn add<H, T>(self, method: Method, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.route(method, path, Surface::Vtex, handler)
    }

    /// One of our extensions (marked `x-apikeys-extension` in the contract).
    fn extension<H, T>(self, method: Method, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        if self.public_api_only {
            self.route(method, path, Surface::Extension, public_only::absent)
        } else {
            self.route(method, path, Surface::Extension, handler)
        }
    }

    fn route<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        surface: Surface,
        handler: H,
    ) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("standard HTTP method");
        self.router = self.router.route(path, on(filter, handler));
        self.operations.push((method, path, surface));
        self
    }
}

fn routes(public_api_only: bool) -> Routes {
    let routes = Routes {
        router: Router::new(),
        operations: Vec::new(),
        public_api_only,
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
        .extension(Method::DELETE, "/api/vlm/appkeys/{id}", keys::delete)
        .extension(
            Method::PATCH,
            "/api/vtexid/apikey/{apiKey}/apitoken/undo-renewal",
            tokens::undo_renewal,
        )
        .extension(Method::GET, "/api/vlm/appkeys-settings", account::settings)
        .extension(
            Method::PUT,
            "/api/vlm/appkeys-settings",
            account::update_settings,
        )
        .extension(Method::GET, "/api/vlm/external-appkeys", external::list)
        .extension(Method::POST, "/api/vlm/external-appkeys", external::add)
        .extension(
            Method::PUT,
            "/api/vlm/external-appkeys/{id}",
            external::set_status,
        )
        .extension(
            Method::DELETE,
            "/api/vlm/external-appkeys/{id}",
            external::remove,
        )
        .extension(Method::GET, "/api/vlm/session", account::session)
        .extension(Method::GET, "/api/vlm/audit", account::audit)
}

/// Every routed operation as ("GET", "/api/vlm/appkeys"), for the contract test.
pub fn operations() -> Vec<(String, String)> {
    operations_where(|_| true)
}

/// The operations served under `--public-api-only`: VTEX's documented ones.
pub fn public_operations() -> Vec<(String, String)> {
    operations_where(|surface| surface == Surface::Vtex)
}

fn operations_where(keep: impl Fn(Surface) -> bool) -> Vec<(String, String)> {
    routes(false)
        .operations
        .into_iter()
        .filter(|(_, _, surface)| keep(*surface))
        .map(|(method, path, _)| (method.to_string(), path.to_string()))
        .collect()
}

/// The routes over `store`, under `limits`: with a rate limit, each authenticated key gets that
/// budget; with `public_api_only`, only VTEX's documented operations are served.
pub fn router(store: Store, limits: &Limits) -> Router {
    let routes = routes(limits.public_api_only).router;
    // VTEX answers an unknown path with an empty 404; the full server says what is missing.
    let routes = if limits.public_api_only {
        routes.fallback(public_only::absent)
    } else {
        routes.fallback(no_route)
    };
    routes
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn(logging::log_request))
        .with_state(AppState {
            store,
            limiter: Arc::new(AuthLimiter::default()),
            rate: limits
                .rate_limit
                .map(|limit| Arc::new(RateLimiter::new(limit))),
            listings: Arc::default(),
            public_api_only: limits.public_api_only,
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
