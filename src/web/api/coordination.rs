use super::as_coordinator;
use crate::domain::input::Fields;
use crate::domain::matching::Side;
use crate::error::{AppError, AppResult};
use crate::service::{self, coordination, matches};
use crate::state::AppState;
use crate::web::extract::{bearer, path_id, path_key, query, run};
use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

pub async fn overview(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let view = as_coordinator(state, req, move |s, c, _| coordination::overview(s, c)).await?;
    Ok(HttpResponse::Ok().json(view))
}

pub async fn queue(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let q = query(&req)?;
    let status = coordination::queue_status(q.get("status").map(String::as_str))?;
    let limit = match q.get("limit").map(|l| l.parse::<i64>()) {
        None => 200,
        Some(Ok(n)) if (1..=1000).contains(&n) => n,
        Some(_) => {
            return Err(AppError::invalid(
                "limit",
                "must be a whole number from 1 to 1000",
            ));
        }
    };
    let views = run(&state, move |s, c| {
        service::coordinator(s, c, token.as_deref())?;
        coordination::queue(s, c, status, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "requests": views })))
}

pub async fn propose(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let view = run(&state, move |s, c| {
        // who asks comes first: a non-coordinator learns nothing of the body's rules
        let me = service::coordinator(s, c, token.as_deref())?;
        let mut f = Fields::new(body.into_inner(), &["request_id", "offer_id"])?;
        let (r, o) = (f.str_req("request_id"), f.str_req("offer_id"));
        f.finish()?;
        let (r, o) = (
            path_id(&r.unwrap_or_default())?,
            path_id(&o.unwrap_or_default())?,
        );
        matches::propose(s, c, &r, &o, Side::Coordinator, me.id.as_str())
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

pub async fn paused(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let views = as_coordinator(state, req, move |_, c, _| {
        crate::service::holds::paused(c, 500)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "offers": views })))
}

pub async fn alerts(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let views = as_coordinator(state, req, move |s, c, _| coordination::alerts(s, c)).await?;
    Ok(HttpResponse::Ok().json(json!({ "alerts": views })))
}

pub async fn outbox(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let q = query(&req)?;
    let status = coordination::mail_status(q.get("status").map(String::as_str))?;
    let views = as_coordinator(state, req, move |_, c, _| {
        coordination::mails(c, status, 200)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "mails": views })))
}

pub async fn retry_mail(
    state: Data<AppState>,
    req: HttpRequest,
    id: actix_web::web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let id = path_key(&id)?;
    run(&state, move |s, c| {
        let me = service::coordinator(s, c, token.as_deref())?;
        coordination::retry_mail(s, c, &me.id, &id)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(json!({ "status": "pending" })))
}

/// `GET /coordination/suggestions?radius_km=10`: assignments for every
/// waiting request at once, with what nearest-first would achieve.
pub async fn suggestions(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let q = query(&req)?;
    let radius = match q.get("radius_km").map(|r| r.parse::<f64>()) {
        None => 10.0,
        Some(Ok(r)) if r.is_finite() && (0.5..=50.0).contains(&r) => r,
        Some(_) => {
            return Err(AppError::invalid(
                "radius_km",
                "must be a number from 0.5 to 50",
            ));
        }
    };
    let v = run(&state, move |s, c| {
        service::coordinator(s, c, token.as_deref())?;
        crate::service::assignment::suggest(s, c, radius)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `POST /coordination/suggestions {"pairs": [...]}`: sends the reviewed
/// pairs as proposals in one action.
pub async fn send_suggestions(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let v = as_coordinator(state, req, move |s, c, me| {
        let pairs = crate::service::assignment::parse_pairs(body.into_inner())?;
        crate::service::assignment::send(s, c, me, pairs)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "results": v })))
}

pub async fn incidents(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let v = as_coordinator(state, req, move |_, c, _| {
        crate::service::incidents::list(c)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "incidents": v })))
}

pub async fn open_incident(
    state: Data<AppState>,
    req: HttpRequest,
    body: Json<Value>,
) -> AppResult<HttpResponse> {
    let v = as_coordinator(state, req, move |s, c, me| {
        crate::service::incidents::create(s, c, me, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

pub async fn incident(
    state: Data<AppState>,
    req: HttpRequest,
    id: actix_web::web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&id)?;
    let v = as_coordinator(state, req, move |_, c, _| {
        crate::service::incidents::get(c, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

pub async fn close_incident(
    state: Data<AppState>,
    req: HttpRequest,
    id: actix_web::web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path_id(&id)?;
    let v = as_coordinator(state, req, move |s, c, me| {
        crate::service::incidents::close(s, c, me, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /coordination/areas`: supply against demand per named area.
pub async fn areas(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let v = as_coordinator(state, req, move |s, c, _| {
        crate::service::oversight::areas(s, c)
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "areas": v })))
}

/// `GET /coordination/exports/{offers.csv|requests.csv|areas-hxl.csv|pfif.xml}`;
/// `?personal=true` adds personal data to offers and requests (audited);
/// `?excel=true` makes CSV for spreadsheets (BOM, phone numbers protected).
pub async fn export(
    state: Data<AppState>,
    req: HttpRequest,
    kind: actix_web::web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = bearer(&req);
    let q = query(&req)?;
    let flag = |name: &str| match q.get(name).map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(AppError::invalid(name, "must be true or false")),
    };
    let (personal, excel) = (flag("personal")?, flag("excel")?);
    let kind = kind.into_inner();
    let file = crate::service::exports::file_name(&kind, excel);
    let (body, content_type) = run(&state, move |s, c| {
        let me = service::coordinator(s, c, token.as_deref())?;
        crate::service::exports::render(s, c, &me, &kind, personal, excel)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", content_type))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{file}\""),
        ))
        .body(body))
}

/// `GET /safe?name=`: "is my relative safe?" — only "reported safe, at".
pub async fn safe(state: Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    super::accounts::limit(&req, crate::web::ratelimit::Limit::Login)?;
    let q = query(&req)?;
    let name = q.get("name").cloned().unwrap_or_default();
    let n = name.trim().chars().count();
    if !(2..=120).contains(&n) {
        return Err(AppError::invalid(
            "name",
            "give a full name of 2 to 120 characters",
        ));
    }
    let v = run(&state, move |_, c| {
        crate::service::findable::search(c, &name)
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}
