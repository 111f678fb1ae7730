//! One operation of the table as OpenAPI: its path and query parameters,
//! its body, its security, its answer, and the problem+json errors its kind
//! can answer.

use super::table::{Auth, Op};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{ResponseBuilder, ResponsesBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Ref, Required};

fn problem(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

pub(super) fn operation(o: &Op) -> utoipa::openapi::path::Operation {
    let mut b = OperationBuilder::new()
        .operation_id(Some(o.id))
        .summary(Some(o.summary))
        .tag(o.tag);
    for seg in o.path.split('/') {
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            b = b.parameter(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
            );
        }
    }
    for (name, ty, desc) in o.query {
        b = b.parameter(
            ParameterBuilder::new()
                .name(*name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(*desc))
                .schema(Some(ObjectBuilder::new().schema_type(ty.clone()))),
        );
    }
    if let Some(schema) = o.body {
        b = b.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(schema)))
                        .build(),
                )
                .build(),
        ));
    }
    b = match o.auth {
        Auth::None => b.securities(Some(Vec::new())),
        Auth::Bearer => b.security(SecurityRequirement::new("bearer", Vec::<String>::new())),
        Auth::Optional => b
            .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
            .security(SecurityRequirement::default()),
    };
    let mut ok = ResponseBuilder::new().description("success");
    match o.ok_body {
        None => {}
        Some((media, "")) if media == "application/json" => {
            ok = ok.content(
                media,
                ContentBuilder::new()
                    .schema(Some(ObjectBuilder::new()))
                    .build(),
            );
        }
        Some((media, "")) => {
            let text = ObjectBuilder::new().schema_type(Type::String);
            ok = ok.content(media, ContentBuilder::new().schema(Some(text)).build());
        }
        Some((media, schema)) => {
            let c = ContentBuilder::new().schema(Some(Ref::from_schema_name(schema)));
            ok = ok.content(media, c.build());
        }
    }
    // exports answer CSV or XML by kind
    if o.id == "export" {
        let text = || {
            ContentBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build()
        };
        ok = ok
            .content("text/csv", text())
            .content("application/xml", text());
    }
    let mut r = ResponsesBuilder::new().response(o.ok.to_string(), ok.build());
    let mut errors: Vec<(u16, &str)> = Vec::new();
    if o.body.is_some() || !o.query.is_empty() {
        errors.push((400, "malformed JSON or query string"));
    }
    if o.auth != Auth::None {
        errors.push((401, "no token, or an unknown or expired one"));
        errors.push((403, "this token may not do this"));
    } else if o.password {
        errors.push((401, "wrong e-mail address or password"));
    }
    if o.auth != Auth::None || o.path.contains('{') || o.body.is_some() {
        errors.push((404, "not found, or not yours"));
    }
    if o.conflict || o.body.is_some() && o.auth != Auth::None {
        errors.push((409, "the state or the places changed"));
    }
    if o.body.is_some() {
        errors.push((413, "body over 16 KiB"));
        errors.push((415, "not application/json"));
    }
    if o.body.is_some() || !o.query.is_empty() {
        errors.push((422, "a field is invalid (see errors)"));
    }
    if o.limited {
        errors.push((429, "too many requests (see Retry-After)"));
    }
    if sheds(o) {
        errors.push((
            503,
            "too many requests of this kind at once (`overloaded`), or the database is unavailable (see Retry-After)",
        ));
    } else if !matches!(o.id, "openapi" | "healthz" | "pushKey") {
        errors.push((503, "the database is unavailable (see Retry-After)"));
    }
    for (status, why) in errors {
        r = r.response(status.to_string(), problem(why));
    }
    b.responses(r.build()).build()
}

/// Whether admission control may shed the operation (`web::admission`).
fn sheds(o: &Op) -> bool {
    use actix_web::http::Method;
    let method = match o.method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Put => Method::PUT,
        _ => Method::OPTIONS,
    };
    crate::web::admission::classify(&method, Some(o.path)).is_some()
}
