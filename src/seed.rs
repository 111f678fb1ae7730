//! `seed-demo`: believable hosts and offers, clustered like a real city, so
//! that a newcomer sees the product working at once (and benchmarks have
//! realistic data). Deterministic for a given seed.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::models::{AccountRow, OfferRow};
use crate::db::{self, DbConn};
use crate::domain::ids::{AccountId, OfferId};
use crate::domain::states::{OfferStatus, Role};
use crate::domain::values::Coordinates;
use crate::service::accounts::hash_password;
use crate::state::AppState;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub const DEMO_PASSWORD: &str = "porte-ouverte-demo";

/// Paris arrondissements and inner suburbs (centre, relative weight).
const PARIS: &[(f64, f64, f64)] = &[
    (48.8625, 2.3363, 1.0),
    (48.8683, 2.3428, 1.0),
    (48.8630, 2.3600, 1.5),
    (48.8543, 2.3576, 1.5),
    (48.8445, 2.3500, 2.0),
    (48.8491, 2.3327, 1.5),
    (48.8562, 2.3122, 1.5),
    (48.8727, 2.3125, 1.5),
    (48.8770, 2.3375, 2.0),
    (48.8761, 2.3608, 2.5),
    (48.8591, 2.3800, 3.5),
    (48.8350, 2.4213, 3.0),
    (48.8283, 2.3622, 3.5),
    (48.8292, 2.3266, 3.0),
    (48.8401, 2.2928, 4.0),
    (48.8604, 2.2620, 3.5),
    (48.8873, 2.3067, 3.5),
    (48.8925, 2.3484, 4.0),
    (48.8871, 2.3848, 3.5),
    (48.8634, 2.4016, 4.0),
];
const SUBURBS: &[(f64, f64, f64)] = &[
    (48.9362, 2.3574, 2.0),
    (48.8638, 2.4485, 2.0),
    (48.8397, 2.2399, 2.0),
    (48.8478, 2.4392, 1.0),
    (48.8139, 2.3848, 1.5),
    (48.8924, 2.2069, 1.5),
    (48.9145, 2.2850, 1.0),
    (48.8950, 2.4095, 1.0),
    (48.8167, 2.3197, 1.0),
    (48.8210, 2.4170, 1.0),
    (48.9005, 2.2589, 1.0),
    (48.7904, 2.4556, 1.0),
];
const CITIES: &[(f64, f64, f64)] = &[
    (45.764, 4.8357, 3.0),
    (43.2965, 5.3698, 3.0),
    (43.6047, 1.4442, 2.0),
    (43.7102, 7.262, 1.5),
    (47.2184, -1.5536, 1.5),
    (48.5734, 7.7521, 1.5),
    (43.6108, 3.8767, 1.5),
    (44.8378, -0.5792, 1.5),
    (50.6292, 3.0573, 1.5),
    (48.1173, -1.6778, 1.0),
    (49.2583, 4.0317, 0.5),
    (45.1885, 5.7245, 0.5),
];

fn pick<'a>(rng: &mut StdRng, set: &'a [(f64, f64, f64)]) -> &'a (f64, f64, f64) {
    let total: f64 = set.iter().map(|c| c.2).sum();
    let mut x = rng.gen_range(0.0..total);
    for c in set {
        if x < c.2 {
            return c;
        }
        x -= c.2;
    }
    &set[set.len() - 1]
}

/// A point around a centre, roughly normal with `sigma_m` metres.
fn around(rng: &mut StdRng, c: &(f64, f64, f64), sigma_m: f64) -> (f64, f64) {
    let (u1, u2): (f64, f64) = (rng.gen_range(1e-9..1.0), rng.gen_range(0.0..1.0));
    let r = (-2.0 * u1.ln()).sqrt() * sigma_m;
    let t = std::f64::consts::TAU * u2;
    let lat = c.0 + r * t.cos() / 111_320.0;
    let lon = c.1 + r * t.sin() / (111_320.0 * c.0.to_radians().cos());
    (lat.clamp(-89.0, 89.0), lon.clamp(-179.0, 179.0))
}

pub fn point(rng: &mut StdRng, spread: &str) -> (f64, f64) {
    let x: f64 = rng.gen_range(0.0..1.0);
    if spread == "france" {
        if x < 0.55 {
            {
                let c = *pick(rng, PARIS);
                around(rng, &c, 900.0)
            }
        } else if x < 0.75 {
            {
                let c = *pick(rng, SUBURBS);
                around(rng, &c, 2500.0)
            }
        } else {
            {
                let c = *pick(rng, CITIES);
                around(rng, &c, 6000.0)
            }
        }
    } else if x < 0.7 {
        {
            let c = *pick(rng, PARIS);
            around(rng, &c, 700.0)
        }
    } else {
        {
            let c = *pick(rng, SUBURBS);
            around(rng, &c, 1500.0)
        }
    }
}

fn capacity(rng: &mut StdRng) -> i32 {
    match rng.gen_range(0..100) {
        0..=49 => rng.gen_range(1..=2),
        50..=79 => rng.gen_range(3..=4),
        80..=94 => rng.gen_range(5..=10),
        _ => rng.gen_range(11..=40),
    }
}

const STREETS: &[&str] = &[
    "rue de la Roquette",
    "boulevard Voltaire",
    "rue Oberkampf",
    "avenue de la République",
    "rue de Charonne",
    "rue du Faubourg Saint-Antoine",
    "rue de Belleville",
    "rue des Pyrénées",
    "avenue Parmentier",
    "rue Saint-Maur",
];
const NAMES: &[&str] = &[
    "Camille", "Nadia", "Louis", "Inès", "Karim", "Sophie", "Hugo", "Amina", "Julien", "Léa",
    "Mamadou", "Chloé",
];

pub fn run(config: Config, n: usize, spread: &str, seed: u64) -> Result<(), String> {
    if spread != "paris" && spread != "france" {
        return Err("--spread must be paris or france".into());
    }
    let state = AppState::open(config, Clock::system())?;
    let mut conn = state.conn().map_err(|e| e.to_string())?;
    let created = insert(&state, &mut conn, n, spread, seed).map_err(|e| e.to_string())?;
    let coordinator = demo_coordinator(&state, &mut conn).map_err(|e| e.to_string())?;
    println!("created {created} demo offers ({spread}); password {DEMO_PASSWORD} for:");
    println!("  a demo host:   {DEMO_HOST} (at /host; the others are demo-host-*@example.org)");
    println!("  a coordinator: {coordinator} (at /coord)");
    Ok(())
}

/// The demo host one can log in as (the first host of the first run).
pub const DEMO_HOST: &str = "demo-host@example.org";
const DEMO_COORDINATOR: &str = "demo-coordinator@example.org";

/// A coordinator to log in as, created once.
fn demo_coordinator(state: &AppState, conn: &mut DbConn) -> Result<String, crate::error::AppError> {
    if db::accounts::by_email(conn, DEMO_COORDINATOR)?.is_none() {
        let body = serde_json::json!({"email": DEMO_COORDINATOR, "password": DEMO_PASSWORD, "display_name": "Demo coordinator"});
        let new = crate::service::accounts::parse_new_account(body)?;
        crate::service::accounts::create(state, conn, new, Role::Coordinator)?;
    }
    Ok(DEMO_COORDINATOR.to_owned())
}

/// Inserts `n` offers (one host per three offers) in batches.
pub fn insert(
    state: &AppState,
    conn: &mut DbConn,
    n: usize,
    spread: &str,
    seed: u64,
) -> Result<usize, crate::error::AppError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let now = state.now();
    let hash = hash_password(DEMO_PASSWORD)?;
    let run_tag: u32 = rand::random();
    let first_free = db::accounts::by_email(conn, DEMO_HOST)?.is_none();
    let hosts = n.div_ceil(3).max(1);
    let host_rows: Vec<AccountRow> = (0..hosts)
        .map(|i| AccountRow {
            id: AccountId::generate(),
            email: if i == 0 && first_free {
                DEMO_HOST.to_owned()
            } else {
                format!("demo-host-{run_tag}-{i}@example.org")
            },
            password_hash: hash.clone(),
            display_name: NAMES[i % NAMES.len()].to_owned(),
            phone: Some(format!("+3360{:07}", i % 10_000_000)),
            role: Role::Host,
            created_at: now,
        })
        .collect();
    for chunk in host_rows.chunks(1000) {
        state.write_tx(conn, |c| db::accounts::insert_many(c, chunk))?;
    }
    let mut batch = Vec::with_capacity(1000);
    for i in 0..n {
        let host = &host_rows[i % hosts];
        let (lat, lon) = point(&mut rng, spread);
        let p = Coordinates::new(lat, lon).map_err(|e| crate::error::AppError::Internal(e.0))?;
        let cell = state.grid.publish(p, &host.id);
        let mut langs = vec!["fr"];
        if rng.gen_bool(0.5) {
            langs.push("en");
        }
        if rng.gen_bool(0.1) {
            langs.push(["ar", "es", "de", "uk", "it"][rng.gen_range(0..5)]);
        }
        langs.sort();
        batch.push(OfferRow {
            id: OfferId::generate(),
            host_id: host.id.clone(),
            status: OfferStatus::Open,
            capacity: capacity(&mut rng),
            accepted_places: 0,
            lat,
            lon,
            address: format!(
                "{} {}",
                rng.gen_range(1..180),
                STREETS[rng.gen_range(0..STREETS.len())]
            ),
            cell: cell.id,
            cell_lat: cell.lat,
            cell_lon: cell.lon,
            available_from: now - 3_600_000,
            available_until: now + rng.gen_range(12..=14 * 24) * 3_600_000,
            contact_phone: host.phone.clone(),
            contact_email: Some(host.email.clone()),
            notes: None,
            accessible: rng.gen_bool(0.15),
            pets_ok: rng.gen_bool(0.3),
            children_ok: rng.gen_bool(0.6),
            women_only: rng.gen_bool(0.08),
            languages: langs.join(","),
            created_at: now,
            updated_at: now,
            host_verified: false,
            host_suspended: false,
            hidden: false,
            host_seen_at: None,
            answers_accepted: 0,
            answers_declined: 0,
            holds_expired: 0,
            declines_in_row: 0,
            answer_ms_avg: None,
            paused_at: None,
            paused_reason: None,
        });
        if batch.len() == 1000 || i + 1 == n {
            state.write_tx(conn, |c| db::offers::insert_many(c, &batch))?;
            batch.clear();
        }
    }
    state.sync_index()?;
    Ok(n)
}
