//! Errors as HTTP answers: `{"error": "..."}` with the status that says what went wrong.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What a handler can fail with.
#[derive(Debug)]
pub enum ApiError {
    /// 404: no such row.
    NotFound(String),
    /// 409: a unique key already holds the value.
    Conflict(String),
    /// 422: the input is well-formed but not acceptable.
    Invalid(String),
    /// The request could not be read (axum's status: 400, 415, 422).
    Rejected(StatusCode, String),
    /// 500 / 503: the database or the pool failed.
    Internal(StatusCode, String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, m),
            ApiError::Invalid(m) => (StatusCode::UNPROCESSABLE_ENTITY, m),
            ApiError::Rejected(status, m) | ApiError::Internal(status, m) => (status, m),
        };
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    }
}

impl From<DieselError> for ApiError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => ApiError::NotFound("not found".into()),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => ApiError::Conflict(format!(
                "already exists ({}): {}",
                info.constraint_name().unwrap_or("a unique key"),
                info.details().unwrap_or(info.message())
            )),
            DieselError::DatabaseError(
                kind @ (DatabaseErrorKind::ForeignKeyViolation
                | DatabaseErrorKind::CheckViolation
                | DatabaseErrorKind::NotNullViolation),
                info,
            ) => ApiError::Invalid(format!(
                "{}: {}",
                match kind {
                    DatabaseErrorKind::ForeignKeyViolation => "refers to a row that does not exist",
                    _ => "breaks a rule of the table",
                },
                info.details().unwrap_or(info.message())
            )),
            DieselError::QueryBuilderError(m) if m.to_string().contains("no changes") => {
                ApiError::Invalid("nothing to change: give at least one field".into())
            }
            other => ApiError::Internal(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        ApiError::Internal(StatusCode::SERVICE_UNAVAILABLE, format!("no database connection: {e}"))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        ApiError::Rejected(e.status(), e.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> Self {
        ApiError::Rejected(e.status(), e.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::Rejected(e.status(), e.body_text())
    }
}
