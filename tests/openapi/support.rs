//! Helpers of the OpenAPI tests: the document as the application builds it.

use serde_json::Value;

pub(crate) fn doc() -> Value {
    porte_ouverte::web::api::openapi::document()
}
