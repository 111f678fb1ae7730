//! The one error type services return. Its HTTP mapping lives in
//! `web::problem`: validation → 422, state and capacity conflicts → 409,
//! unknown or foreign resources → 404, database failures → 500 (logged once
//! there with the cause; the client never sees internals).

use crate::domain::input::ValidationErrors;
use crate::domain::matching::MatchError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(ValidationErrors),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    #[error("too many requests; try again in {retry_after} s")]
    RateLimited { retry_after: u64 },
    #[error("the database is unavailable")]
    Unavailable(String),
    /// Shed by admission control: too many requests of this kind at once.
    #[error("too many requests at once; try again in {retry_after} s")]
    Overloaded { retry_after: u64 },
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            detail: detail.into(),
        }
    }
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(ValidationErrors::single(field, message))
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Validation(e)
    }
}

impl From<MatchError> for AppError {
    fn from(e: MatchError) -> Self {
        AppError::Conflict {
            code: e.code(),
            detail: e.to_string(),
        }
    }
}

/// A stored text that names no variant: the operation that read it stops.
impl From<crate::domain::states::UnknownValue> for AppError {
    fn from(e: crate::domain::states::UnknownValue) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Internal(format!("database: {e}"))
    }
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        AppError::Unavailable(e.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// True when a database error is a uniqueness violation (e.g. an e-mail
/// address already registered, a live pair already proposed).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// True when a database error is a CHECK constraint violation: the schema
/// refusing what the code should already have refused.
pub fn is_check_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::CheckViolation, _)
    )
}
