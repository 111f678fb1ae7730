//! Account pages: sign up, log in and out, verify an e-mail address, reset
//! a password.

use super::form::{csrf_error, rate_limited, render, values_of};
use super::session::{current, logged_in, session, session_cookie, session_name};
use super::{ctx, see_other};
use crate::domain::states::Role;
use crate::error::AppError;
use crate::service::accounts::{self, Credentials};
use crate::state::AppState;
use crate::views::host::{Values, login, reset_form as reset_page, reset_request, signup, verify};
use crate::views::layout::Errors;
use crate::web::extract::run;
use crate::web::ratelimit::Limit;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Form};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Map, Value, json};

pub async fn login_form(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    render(&state, &req, StatusCode::OK, |t| {
        login(
            &super::ctx_with_notice(&req),
            &Values::new(),
            &Errors::new(),
            t,
        )
    })
}

pub async fn login_submit(
    state: Data<AppState>,
    req: HttpRequest,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let values = values_of(form);
    if let Some(e) = csrf_error(&state, &req, &values) {
        return render(&state, &req, StatusCode::FORBIDDEN, |t| {
            login(&ctx(&req), &values, &e, t)
        });
    }
    if let Some(e) = rate_limited(&req, Limit::Login) {
        return render(&state, &req, StatusCode::TOO_MANY_REQUESTS, |t| {
            login(&ctx(&req), &values, &e, t)
        });
    }
    let creds = Credentials {
        email: values.get("email").cloned().unwrap_or_default(),
        password: values.get("password").cloned().unwrap_or_default(),
    };
    let opened = run(&state, move |s, c| {
        let row = accounts::authenticate(c, &creds)?;
        Ok((
            accounts::open_session(s, c, &row.id)?,
            row.role == Role::Coordinator,
        ))
    })
    .await;
    match opened {
        Ok((secret, coordinator)) => {
            logged_in(&state, secret, if coordinator { "/coord" } else { "/host" })
        }
        // a wrong e-mail or password, or a suspended account, is said on
        // the form; anything else is a failure on our side, said as such
        Err(err @ (AppError::Unauthorized(_) | AppError::Forbidden(_))) => {
            let (status, key) = match err {
                AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "err-suspended"),
                _ => (StatusCode::UNAUTHORIZED, "err-login"),
            };
            let mut e = Errors::new();
            e.insert("login".into(), key);
            render(&state, &req, status, |t| login(&ctx(&req), &values, &e, t))
        }
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

pub async fn signup_form(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    render(&state, &req, StatusCode::OK, |t| {
        signup(&ctx(&req), &Values::new(), &Errors::new(), t)
    })
}

pub async fn signup_submit(
    state: Data<AppState>,
    req: HttpRequest,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let values = values_of(form);
    if let Some(e) = csrf_error(&state, &req, &values) {
        return render(&state, &req, StatusCode::FORBIDDEN, |t| {
            signup(&ctx(&req), &values, &e, t)
        });
    }
    if let Some(e) = rate_limited(&req, Limit::Signup) {
        return render(&state, &req, StatusCode::TOO_MANY_REQUESTS, |t| {
            signup(&ctx(&req), &values, &e, t)
        });
    }
    let mut body = Map::new();
    for k in ["email", "password", "display_name", "phone"] {
        if let Some(v) = values.get(k).filter(|v| !v.trim().is_empty()) {
            body.insert(k.into(), json!(v));
        }
    }
    body.insert("lang".into(), json!(ctx(&req).lang.code()));
    let result = match accounts::parse_new_account(Value::Object(body)) {
        Ok(new) => {
            run(&state, move |s, c| {
                let view = accounts::create(s, c, new, Role::Host)?;
                accounts::open_session(s, c, &view.id)
            })
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(secret) => logged_in(&state, secret, "/host"),
        Err(err) => {
            let mut e = Errors::new();
            match err {
                AppError::Validation(v) => {
                    for f in v.0 {
                        let key = match f.field.as_str() {
                            "email" => "err-email",
                            "password" => "err-password",
                            "display_name" => "err-display_name",
                            _ => "err-phone",
                        };
                        e.entry(f.field).or_insert(key);
                    }
                }
                AppError::Conflict { .. } => {
                    e.insert("email".into(), "err-email_taken");
                }
                other => return super::failure::PageError::response(&req, other),
            }
            render(&state, &req, StatusCode::UNPROCESSABLE_ENTITY, |t| {
                signup(&ctx(&req), &values, &e, t)
            })
        }
    }
}

pub async fn logout(
    state: Data<AppState>,
    req: HttpRequest,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let values = values_of(form);
    if csrf_error(&state, &req, &values).is_some() {
        return HttpResponse::Forbidden().finish();
    }
    if let Some(c) = req.cookie(&session_name(&state)) {
        let secret = c.value().to_owned();
        let _ = run(&state, move |_, conn| {
            accounts::close_session(conn, &secret)
        })
        .await;
    }
    let mut res = see_other("/");
    let mut gone = session_cookie(&state, String::new());
    gone.make_removal();
    let _ = res.add_cookie(&gone);
    res
}

pub async fn resend_verification(
    state: Data<AppState>,
    req: HttpRequest,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let who = match session(&state, &req).await {
        Ok(Some(who)) => who,
        Ok(None) => return see_other("/host/login"),
        Err(e) => return super::failure::PageError::response(&req, e),
    };
    let values = values_of(form);
    if csrf_error(&state, &req, &values).is_some() {
        return HttpResponse::Forbidden().finish();
    }
    if rate_limited(&req, Limit::Signup).is_some() {
        return see_other("/host?notice=rate_limited");
    }
    match run(&state, move |s, c| {
        accounts::resend_verification(s, c, &who)
    })
    .await
    {
        Ok(()) => see_other("/host?notice=sent"),
        Err(AppError::Conflict { .. }) => see_other("/host?notice=already_verified"),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

pub async fn verify_form(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
) -> HttpResponse {
    let action = format!("/host/verify/{}", path.into_inner());
    render(&state, &req, StatusCode::OK, |t| {
        verify(&ctx(&req), &action, false, t)
    })
}

pub async fn verify_submit(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let token = path.into_inner();
    let action = format!("/host/verify/{token}");
    let values = values_of(form);
    if csrf_error(&state, &req, &values).is_some() {
        return render(&state, &req, StatusCode::FORBIDDEN, |t| {
            verify(&ctx(&req), &action, false, t)
        });
    }
    match run(&state, move |s, c| accounts::verify_email(s, c, &token)).await {
        Ok(()) => match current(&state, &req).await {
            Some(_) => see_other("/host?notice=verified"),
            None => see_other("/host/login?notice=verified"),
        },
        Err(AppError::Conflict { .. }) => render(&state, &req, StatusCode::CONFLICT, |t| {
            verify(&ctx(&req), &action, true, t)
        }),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

pub async fn reset_request_form(state: Data<AppState>, req: HttpRequest) -> HttpResponse {
    render(&state, &req, StatusCode::OK, |t| {
        reset_request(&ctx(&req), &Values::new(), &Errors::new(), t, false)
    })
}

pub async fn reset_request_submit(
    state: Data<AppState>,
    req: HttpRequest,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let values = values_of(form);
    let again = |status, errors: &Errors| {
        render(&state, &req, status, |t| {
            reset_request(&ctx(&req), &values, errors, t, false)
        })
    };
    if let Some(e) = csrf_error(&state, &req, &values) {
        return again(StatusCode::FORBIDDEN, &e);
    }
    if let Some(e) = rate_limited(&req, Limit::Login) {
        return again(StatusCode::TOO_MANY_REQUESTS, &e);
    }
    let email = values.get("email").cloned().unwrap_or_default();
    if crate::domain::values::Email::new(&email).is_err() {
        let mut e = Errors::new();
        e.insert("email".into(), "err-email");
        return again(StatusCode::UNPROCESSABLE_ENTITY, &e);
    }
    match run(&state, move |s, c| {
        crate::service::resets::request(s, c, &email)
    })
    .await
    {
        Ok(()) => render(&state, &req, StatusCode::OK, |t| {
            reset_request(&ctx(&req), &Values::new(), &Errors::new(), t, true)
        }),
        Err(e) => super::failure::PageError::response(&req, e),
    }
}

pub async fn reset_form(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
) -> HttpResponse {
    let action = format!("/host/reset/{}", path.into_inner());
    render(&state, &req, StatusCode::OK, |t| {
        reset_page(&ctx(&req), &action, &Errors::new(), t)
    })
}

pub async fn reset_submit(
    state: Data<AppState>,
    req: HttpRequest,
    path: actix_web::web::Path<String>,
    form: Form<Vec<(String, String)>>,
) -> HttpResponse {
    let token = path.into_inner();
    let action = format!("/host/reset/{token}");
    let values = values_of(form);
    let again = |status, errors: &Errors| {
        render(&state, &req, status, |t| {
            reset_page(&ctx(&req), &action, errors, t)
        })
    };
    if let Some(e) = csrf_error(&state, &req, &values) {
        return again(StatusCode::FORBIDDEN, &e);
    }
    if let Some(e) = rate_limited(&req, Limit::Login) {
        return again(StatusCode::TOO_MANY_REQUESTS, &e);
    }
    let password = values.get("password").cloned().unwrap_or_default();
    let parsed = accounts::parse_reset(json!({"token": token, "password": password}));
    let Ok((token, password)) = parsed else {
        let mut e = Errors::new();
        e.insert("password".into(), "err-password");
        return again(StatusCode::UNPROCESSABLE_ENTITY, &e);
    };
    match run(&state, move |s, c| {
        accounts::reset_password(s, c, &token, &password)
    })
    .await
    {
        Ok(()) => {
            let mut res = see_other("/host/login?notice=reset");
            let mut gone = session_cookie(&state, String::new());
            gone.make_removal();
            let _ = res.add_cookie(&gone);
            res
        }
        Err(AppError::Conflict { .. }) => {
            let mut e = Errors::new();
            e.insert("link".into(), "err-link");
            again(StatusCode::CONFLICT, &e)
        }
        Err(e) => super::failure::PageError::response(&req, e),
    }
}
