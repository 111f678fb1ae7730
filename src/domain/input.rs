//! Reading untrusted input field by field, collecting every problem at once
//! so that a client (or a form) can show each message beside its field. The
//! same reader takes a JSON object (the API) or an HTML form's pairs (the
//! pages), so a command is read and validated by one piece of code whatever
//! its source. Domain constructors do the value checks; this only checks
//! shapes.

use super::Millis;
use super::values::{Coordinates, Invalid};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        Self(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }
}

/// Where the fields came from: JSON keeps its types; a form's values are
/// all text, read as the type asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Json,
    Form,
}

pub struct Fields {
    map: Map<String, Value>,
    prefix: String,
    errors: Vec<FieldError>,
    source: Source,
}

impl Fields {
    /// Accepts a JSON object whose keys are all in `allowed`. Unknown keys are
    /// refused: a misspelt `capcity` silently ignored would be worse.
    pub fn new(value: Value, allowed: &[&str]) -> Result<Self, ValidationErrors> {
        Self::nested(value, allowed, "")
    }

    fn nested(value: Value, allowed: &[&str], prefix: &str) -> Result<Self, ValidationErrors> {
        let Value::Object(map) = value else {
            let field = prefix.trim_end_matches('.');
            return Err(ValidationErrors::single(field, "must be a JSON object"));
        };
        let errors: Vec<FieldError> = map
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()))
            .map(|k| FieldError {
                field: format!("{prefix}{}", k.chars().take(64).collect::<String>()),
                message: "is not a known field".into(),
            })
            .collect();
        Ok(Self {
            map,
            prefix: prefix.to_owned(),
            errors,
            source: Source::Json,
        })
    }

    /// An HTML form's pairs. Every value is text: a blank one is absent, a
    /// number is read from its digits, a ticked box ("on") is true. Keys
    /// the command does not read (the CSRF token, the page's own helpers)
    /// are the page's business and are ignored; when a key repeats, the
    /// last value counts, as with the browser's own form handling.
    pub fn form<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a String)>) -> Self {
        let map = pairs
            .into_iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        Self {
            map,
            prefix: String::new(),
            errors: vec![],
            source: Source::Form,
        }
    }

    /// Whether these fields came from an HTML form.
    pub fn is_form(&self) -> bool {
        self.source == Source::Form
    }

    fn name(&self, field: &str) -> String {
        format!("{}{field}", self.prefix)
    }

    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        let field = self.name(field);
        self.errors.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// Records the error of a domain constructor against `field`.
    pub fn check<T>(&mut self, field: &str, r: Result<T, Invalid>) -> Option<T> {
        r.map_err(|e| self.error(field, e.0)).ok()
    }

    /// Present and not null (in a form: not blank).
    fn take(&mut self, field: &str) -> Option<Value> {
        match self.map.remove(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if self.is_form() && s.trim().is_empty() => None,
            Some(Value::String(s)) if self.is_form() => Some(Value::String(s.trim().to_owned())),
            Some(v) => Some(v),
        }
    }

    /// The raw value of an optional field, for the caller to parse.
    pub fn take_value(&mut self, field: &str) -> Option<Value> {
        self.take(field)
    }

    /// Whether `field` already has an error.
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == self.name(field))
    }

    pub fn has(&self, field: &str) -> bool {
        match self.map.get(field) {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) if self.is_form() => !s.trim().is_empty(),
            Some(_) => true,
        }
    }

    /// Whether `field` was sent at all, even blank or null: an emptied form
    /// field or a JSON `""` clears an optional value.
    pub fn sent(&self, field: &str) -> bool {
        self.map.contains_key(field)
    }

    fn required<T>(&mut self, field: &str, v: Option<T>) -> Option<T> {
        if v.is_none() && !self.errors.iter().any(|e| e.field == self.name(field)) {
            self.error(field, "is required");
        }
        v
    }

    pub fn f64_opt(&mut self, field: &str) -> Option<f64> {
        match self.take(field)? {
            Value::String(s) if self.is_form() => match s.replace(',', ".").parse::<f64>() {
                Ok(f) if f.is_finite() => Some(f),
                Ok(_) => {
                    self.error(field, "must be a finite number");
                    None
                }
                Err(_) => {
                    self.error(field, "must be a number");
                    None
                }
            },
            Value::Number(n) => n.as_f64().filter(|f| f.is_finite()).or_else(|| {
                self.error(field, "must be a finite number");
                None
            }),
            _ => {
                self.error(field, "must be a number");
                None
            }
        }
    }

    pub fn f64_req(&mut self, field: &str) -> Option<f64> {
        let v = self.f64_opt(field);
        self.required(field, v)
    }

    pub fn int_opt(&mut self, field: &str) -> Option<i64> {
        match self.take(field)? {
            Value::String(s) if self.is_form() => s.parse::<i64>().ok().or_else(|| {
                self.error(field, "must be a whole number");
                None
            }),
            Value::Number(n) => n.as_i64().or_else(|| {
                self.error(field, "must be a whole number");
                None
            }),
            _ => {
                self.error(field, "must be a whole number");
                None
            }
        }
    }

    pub fn int_req(&mut self, field: &str) -> Option<i64> {
        let v = self.int_opt(field);
        self.required(field, v)
    }

    pub fn str_opt(&mut self, field: &str) -> Option<String> {
        match self.take(field)? {
            Value::String(s) => Some(s),
            _ => {
                self.error(field, "must be a string");
                None
            }
        }
    }

    pub fn str_req(&mut self, field: &str) -> Option<String> {
        let v = self.str_opt(field);
        self.required(field, v)
    }

    pub fn bool_opt(&mut self, field: &str) -> Option<bool> {
        match self.take(field)? {
            Value::Bool(b) => Some(b),
            Value::String(s) if self.is_form() => match s.as_str() {
                "on" | "true" | "1" | "yes" => Some(true),
                "off" | "false" | "0" | "no" => Some(false),
                _ => {
                    self.error(field, "must be true or false");
                    None
                }
            },
            _ => {
                self.error(field, "must be true or false");
                None
            }
        }
    }

    /// A required list of at most `max` items, each left for the caller.
    pub fn take_array(&mut self, field: &str, max: usize) -> Option<Vec<Value>> {
        match self.take(field) {
            Some(Value::Array(items)) if items.len() <= max => Some(items),
            Some(Value::Array(_)) => {
                self.error(field, format!("must have at most {max} items"));
                None
            }
            Some(_) => {
                self.error(field, "must be a list");
                None
            }
            None => {
                self.error(field, "is required");
                None
            }
        }
    }

    pub fn str_list_opt(&mut self, field: &str, max: usize) -> Option<Vec<String>> {
        match self.take(field)? {
            Value::Array(items) if items.len() <= max => {
                let mut out = Vec::with_capacity(items.len());
                for it in items {
                    match it {
                        Value::String(s) => out.push(s),
                        _ => {
                            self.error(field, "must be a list of strings");
                            return None;
                        }
                    }
                }
                Some(out)
            }
            Value::Array(_) => {
                self.error(field, format!("must have at most {max} items"));
                None
            }
            _ => {
                self.error(field, "must be a list of strings");
                None
            }
        }
    }

    /// An RFC 3339 timestamp with an offset.
    pub fn time_opt(&mut self, field: &str) -> Option<Millis> {
        let s = self.str_opt(field)?;
        match chrono::DateTime::parse_from_rfc3339(&s) {
            Ok(t) => Some(t.timestamp_millis()),
            Err(_) => {
                self.error(
                    field,
                    "must be an RFC 3339 date-time, e.g. 2026-11-24T23:00:00Z",
                );
                None
            }
        }
    }

    pub fn time_req(&mut self, field: &str) -> Option<Millis> {
        let v = self.time_opt(field);
        self.required(field, v)
    }

    /// A required `lat`/`lon` pair, each checked on its own so that both
    /// errors are reported at once.
    pub fn coordinates(&mut self) -> Option<Coordinates> {
        let lat = self
            .f64_req("lat")
            .and_then(|l| self.check("lat", Coordinates::new(l, 0.0)).map(|_| l));
        let lon = self
            .f64_req("lon")
            .and_then(|l| self.check("lon", Coordinates::new(0.0, l)).map(|_| l));
        Coordinates::new(lat?, lon?).ok()
    }

    /// A nested object, read with its own allowed keys; its errors are
    /// reported as `parent.child`.
    pub fn object_opt(&mut self, field: &str, allowed: &[&str]) -> Option<Fields> {
        let v = self.take(field)?;
        let prefix = format!("{}{field}.", self.prefix);
        match Self::nested(v, allowed, &prefix) {
            Ok(f) => Some(f),
            Err(e) => {
                self.errors.extend(e.0);
                None
            }
        }
    }

    /// Folds a nested object's errors back into this one.
    pub fn absorb(&mut self, nested: Fields) {
        self.errors.extend(nested.errors);
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn collects_every_problem() {
        let mut f = Fields::new(
            json!({"lat": "48", "capacity": 2.5, "extra": 1, "ok": true}),
            &["lat", "lon", "capacity", "ok"],
        )
        .unwrap();
        assert_eq!(f.f64_req("lat"), None);
        assert_eq!(f.f64_req("lon"), None);
        assert_eq!(f.int_req("capacity"), None);
        assert_eq!(f.bool_opt("ok"), Some(true));
        let errs = f.finish().unwrap_err().0;
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["extra", "lat", "lon", "capacity"]);
        assert_eq!(errs[2].message, "is required");
    }

    #[test]
    fn not_an_object() {
        assert!(Fields::new(json!([1]), &[]).is_err());
        assert!(Fields::new(json!("x"), &[]).is_err());
    }

    #[test]
    fn nested_fields_are_prefixed() {
        let mut f = Fields::new(
            json!({"needs": {"pets": "yes", "dragons": true}}),
            &["needs"],
        )
        .unwrap();
        let mut n = f.object_opt("needs", &["pets"]).unwrap();
        assert_eq!(n.bool_opt("pets"), None);
        f.absorb(n);
        let errs = f.finish().unwrap_err().0;
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["needs.dragons", "needs.pets"]);
    }

    #[test]
    fn null_means_absent_and_times_parse() {
        let mut f = Fields::new(
            json!({"a": null, "t": "2026-11-24T23:00:00+01:00", "u": "tomorrow"}),
            &["a", "t", "u"],
        )
        .unwrap();
        assert_eq!(f.str_opt("a"), None);
        assert_eq!(f.time_opt("t"), Some(1_795_557_600_000));
        assert_eq!(f.time_opt("u"), None);
        assert!(!f.is_ok());
    }

    #[test]
    fn lists() {
        let mut f =
            Fields::new(json!({"l": ["fr", 1], "m": ["a", "b", "c"]}), &["l", "m"]).unwrap();
        assert_eq!(f.str_list_opt("l", 5), None);
        assert_eq!(f.str_list_opt("m", 2), None);
        assert_eq!(f.finish().unwrap_err().0.len(), 2);
    }

    #[test]
    fn a_form_is_text_read_as_the_type_asked_for() {
        let pairs: std::collections::HashMap<String, String> = [
            ("capacity", " 3 "),
            ("lat", "48,85"),
            ("pets_ok", "on"),
            ("notes", "   "),
            ("party_size", "two"),
            ("ok", "maybe"),
            ("csrf", "token"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut f = Fields::form(&pairs);
        assert!(f.is_form());
        assert_eq!(f.int_req("capacity"), Some(3));
        assert_eq!(f.f64_opt("lat"), Some(48.85));
        assert_eq!(f.bool_opt("pets_ok"), Some(true));
        assert_eq!(f.bool_opt("children_ok"), None);
        assert!(f.sent("notes") && !f.has("notes"));
        assert_eq!(f.str_opt("notes"), None);
        assert_eq!(f.int_req("party_size"), None);
        assert_eq!(f.bool_opt("ok"), None);
        let errs = f.finish().unwrap_err().0;
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        // an unread key (csrf) is the page's own: never an error
        assert_eq!(fields, ["party_size", "ok"]);
        assert_eq!(errs[0].message, "must be a whole number");
    }
}
