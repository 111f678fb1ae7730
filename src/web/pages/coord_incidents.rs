//! The console's incidents: the list with a close button, and the form
//! that opens one (a place or the browser's position, a radius, an end).

use super::coord::coordinator;
use super::form::{csrf_error, render, values_of};
use super::see_other;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::layout::Errors;
use crate::web::extract::{path_id, run};
use actix_web::http::StatusCode;
use actix_web::web::{Data, Form};
use actix_web::{HttpRequest, HttpResponse};

async fn incidents_page(
    state: &Data<AppState>,
    req: &HttpRequest,
    status: StatusCode,
    values: &crate::views::host::Values,
    errors: &Errors,
) -> HttpResponse {
    match run(state, |_, c| crate::service::incidents::list(c)).await {
        Ok(list) => {
            let time = super::local_time(state.tz);
            render(state, req, status, |t| {
                let c = super::ctx_with_notice(req);
                crate::views::coord::incidents(&c, &list, values, errors, t, &time)
            })
        }
        Err(e) => super::failure::PageError::response(req, e),
    }
}

pub async fn incidents(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    if let Err(res) = coordinator(&state, &req).await {
        return res;
    }
    incidents_page(
        &state,
        &req,
        StatusCode::OK,
        &Default::default(),
        &Errors::new(),
    )
    .await
}

/// Opens an incident from the console: a place (or the browser's position)
/// and a radius, an end in hours, emergency numbers, rules.
pub async fn open_incident(
    state: Data<AppState>,
    req: HttpRequest,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let who = match coordinator(&state, &req).await {
        Ok(who) => who,
        Err(res) => return res,
    };
    let values = values_of(form);
    if let Some(e) = csrf_error(&state, &req, &values) {
        return incidents_page(&state, &req, StatusCode::FORBIDDEN, &values, &e).await;
    }
    let mut errors = Errors::new();
    let mut body = serde_json::Map::new();
    // a coordinator placing a new incident's centre: no crisis to read near
    let mut values = values;
    super::position(&mut values, &mut body, &mut errors, &[]);
    let get = |k: &str| values.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    if let (Some(lat), Some(lon)) = (body.remove("lat"), body.remove("lon")) {
        body.insert("center".into(), serde_json::json!([lat, lon]));
    }
    match get("radius_km").map(str::parse::<f64>) {
        Some(Ok(r)) if r.is_finite() => {
            body.insert("radius_km".into(), serde_json::json!(r));
        }
        _ => {
            errors.insert("radius_km".into(), "err-radius");
        }
    }
    match get("hours").map(str::parse::<i64>) {
        Some(Ok(h)) if (1..=24 * 90).contains(&h) => {
            body.insert(
                "planned_end_at".into(),
                serde_json::json!(crate::domain::rfc3339(state.now() + h * 3_600_000)),
            );
        }
        _ => {
            errors.insert("hours".into(), "err-incident_hours");
        }
    }
    if let Some(n) = get("name") {
        body.insert("name".into(), serde_json::json!(n));
    }
    if let Some(n) = get("emergency_numbers") {
        let list: Vec<&str> = n.split([',', ' ']).filter(|x| !x.is_empty()).collect();
        body.insert("emergency_numbers".into(), serde_json::json!(list));
    }
    let on = |k: &str| values.get(k).is_some_and(|v| v == "on");
    body.insert(
        "rules".into(),
        serde_json::json!({
            "women_only_needs_verified_host": on("women_only_needs_verified_host"),
            "children_need_verified_host": on("children_need_verified_host"),
            "first_acceptance_review": on("first_acceptance_review"),
        }),
    );
    if errors.is_empty() {
        let body = serde_json::Value::Object(body);
        match run(&state, move |s, c| {
            crate::service::incidents::create(s, c, &who, body)
        })
        .await
        {
            Ok(_) => return see_other("/coord/incidents?notice=done"),
            Err(AppError::Validation(v)) => {
                for f in v.0 {
                    let (field, key) = match f.field.as_str() {
                        "name" => ("name", "err-incident_name"),
                        "emergency_numbers" => ("emergency_numbers", "err-emergency_numbers"),
                        "radius_km" => ("radius_km", "err-radius"),
                        "planned_end_at" => ("hours", "err-incident_hours"),
                        _ => ("place", "err-place"),
                    };
                    errors.entry(field.into()).or_insert(key);
                }
            }
            Err(e) => return super::failure::PageError::response(&req, e),
        }
    }
    incidents_page(
        &state,
        &req,
        StatusCode::UNPROCESSABLE_ENTITY,
        &values,
        &errors,
    )
    .await
}

pub async fn close_incident(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let who = match coordinator(&state, &req).await {
        Ok(who) => who,
        Err(res) => return res,
    };
    if csrf_error(&state, &req, &values_of(form)).is_some() {
        return HttpResponse::Forbidden().finish();
    }
    let id = path.into_inner();
    match run(&state, move |s, c| {
        crate::service::incidents::close(s, c, &who, &path_id(&id)?)
    })
    .await
    {
        Ok(_) => see_other("/coord/incidents?notice=done"),
        Err(AppError::NotFound) => super::not_found(&req),
        Err(AppError::Conflict { .. }) => see_other("/coord/incidents?notice=refused"),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}
