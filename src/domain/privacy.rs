//! The privacy grid. A host's (or guest's) exact point is never shown to a
//! party that has not consented: only the centre of a fixed grid cell of about
//! `cell_m` metres is published, and every distance, band or ranking shown to
//! others is computed from those centres.
//!
//! Before snapping, the point is shifted by an offset of at most half a cell
//! in each axis. The offset is derived from the server secret and the owner's
//! identity (HMAC), so it is fixed per host: editing or re-registering the
//! same address always lands in the same cell, and averaging many offers of
//! one host cannot recover the point. A guest's offset is fixed per person
//! the same way ([`GuestKey`]): their normalised contact, not the request,
//! so a guest who asks again from the same place publishes the same cell.

use super::values::Coordinates;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const METRES_PER_DEGREE_LAT: f64 = 111_320.0;
/// Beyond this latitude cells would become needle-thin; clamp the row centre.
const MAX_GRID_LAT: f64 = 85.0;

/// A published location: the cell's identifier and its centre.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicCell {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
}

/// The grid and the key that derives per-owner offsets.
#[derive(Clone)]
pub struct PrivacyGrid {
    cell_m: u32,
    key: Vec<u8>,
}

impl PrivacyGrid {
    pub fn new(cell_m: u32, secret: &[u8]) -> Self {
        Self {
            cell_m: cell_m.max(50),
            key: secret.to_vec(),
        }
    }

    pub fn cell_m(&self) -> u32 {
        self.cell_m
    }

    /// A keyed pseudonym of a value (an IP address, say): stable, so one
    /// anonymous reporter counts once, and not reversible without the key.
    pub fn pseudonym(&self, purpose: &str, value: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return String::new();
        };
        mac.update(b"porte-ouverte/pseudonym/v1:");
        mac.update(purpose.as_bytes());
        mac.update(b":");
        mac.update(value.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Offset in cell fractions, each in [-0.5, 0.5).
    fn offset(&self, owner: &str) -> (f64, f64) {
        // HMAC accepts keys of any length, so this cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return (0.0, 0.0);
        };
        mac.update(b"porte-ouverte/cell-offset/v1:");
        mac.update(owner.as_bytes());
        let out = mac.finalize().into_bytes();
        let frac = |b: &[u8]| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&b[..8]);
            (u64::from_be_bytes(a) >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        (frac(&out[0..8]), frac(&out[8..16]))
    }

    fn dlat(&self) -> f64 {
        f64::from(self.cell_m) / METRES_PER_DEGREE_LAT
    }

    fn dlon(&self, centre_lat: f64) -> f64 {
        let lat = centre_lat.clamp(-MAX_GRID_LAT, MAX_GRID_LAT);
        f64::from(self.cell_m) / (METRES_PER_DEGREE_LAT * lat.to_radians().cos())
    }

    /// The cell published for `point` owned by `owner` (a host's account id,
    /// or a request's id for guests).
    pub fn publish(&self, point: Coordinates, owner: &str) -> PublicCell {
        let (u, v) = self.offset(owner);
        let dlat = self.dlat();
        let lat = (point.lat() + u * dlat).clamp(-90.0, 90.0 - 1e-9);
        let row = ((lat + 90.0) / dlat).floor() as i64;
        let centre_lat = (-90.0 + (row as f64 + 0.5) * dlat).clamp(-90.0, 90.0);
        let dlon = self.dlon(centre_lat);
        let cols = (360.0 / dlon).floor().max(1.0) as i64;
        let lon = point.lon() + v * dlon;
        let col = (((lon + 180.0) / dlon).floor() as i64).rem_euclid(cols);
        let mut centre_lon = -180.0 + (col as f64 + 0.5) * dlon;
        if centre_lon > 180.0 {
            centre_lon -= 360.0;
        }
        PublicCell {
            id: format!("{}m:{}:{}", self.cell_m, row, col),
            lat: round6(centre_lat),
            lon: round6(centre_lon),
        }
    }
}

/// Whose offset a guest's request gets: the person, by their contact as the
/// value types normalise it (e-mail in lower case, phone digits), so that
/// repeated requests from one place publish one cell and averaging them
/// gives nothing; a request without either keeps its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestKey<'a> {
    Email(&'a str),
    Phone(&'a str),
    Request(&'a str),
}

impl GuestKey<'_> {
    fn owner(self) -> String {
        match self {
            GuestKey::Email(e) => format!("guest-email:{e}"),
            GuestKey::Phone(p) => format!("guest-phone:{p}"),
            GuestKey::Request(id) => id.to_owned(),
        }
    }
}

impl PrivacyGrid {
    /// The cell published for a guest's point (see [`GuestKey`]).
    pub fn publish_guest(&self, point: Coordinates, key: GuestKey<'_>) -> PublicCell {
        self.publish(point, &key.owner())
    }
}

/// Six decimals (~0.1 m) so the published centre serialises identically
/// wherever it was computed.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::distance::metres_between;
    use proptest::prelude::*;

    fn grid() -> PrivacyGrid {
        PrivacyGrid::new(500, b"test secret")
    }

    #[test]
    fn same_owner_same_point_same_cell() {
        let p = Coordinates::new(48.8566, 2.3522).unwrap();
        assert_eq!(grid().publish(p, "acc_a"), grid().publish(p, "acc_a"));
    }

    #[test]
    fn a_guest_asking_again_publishes_the_same_cell() {
        let p = Coordinates::new(48.85661, 2.35222).unwrap();
        let g = grid();
        let cells: std::collections::HashSet<String> = (0..32)
            .map(|_| g.publish_guest(p, GuestKey::Email("samira@example.org")).id)
            .collect();
        assert_eq!(cells.len(), 1, "averaging 32 requests gives nothing");
        let people: std::collections::HashSet<String> = (0..32)
            .map(|i| {
                g.publish_guest(p, GuestKey::Phone(&format!("+3370000{i:04}")))
                    .id
            })
            .collect();
        assert!(people.len() > 1, "the offset still differs between people");
    }

    #[test]
    fn different_secret_moves_offsets() {
        let p = Coordinates::new(48.8566, 2.3522).unwrap();
        let cells: std::collections::HashSet<String> = (0..20)
            .map(|i| {
                PrivacyGrid::new(500, format!("k{i}").as_bytes())
                    .publish(p, "acc_a")
                    .id
            })
            .collect();
        assert!(cells.len() > 1, "offsets should depend on the secret");
    }

    #[test]
    fn handles_the_antimeridian_and_poles() {
        for (lat, lon) in [
            (0.0, 180.0),
            (0.0, -180.0),
            (89.99, 10.0),
            (-90.0, 0.0),
            (90.0, 179.999),
        ] {
            let c = grid().publish(Coordinates::new(lat, lon).unwrap(), "o");
            assert!(
                c.lat.is_finite() && (-90.0..=90.0).contains(&c.lat),
                "{c:?}"
            );
            assert!(
                c.lon.is_finite() && (-180.0..=180.0).contains(&c.lon),
                "{c:?}"
            );
        }
    }

    proptest! {
        /// The published centre is never far from the real point (it stays
        /// useful) and never equal to it (it hides it).
        #[test]
        fn centre_is_within_about_one_cell(lat in -60.0f64..60.0, lon in -179.0f64..179.0, owner in "[a-z]{1,8}") {
            let p = Coordinates::new(lat, lon).unwrap();
            let c = grid().publish(p, &owner);
            let d = metres_between(lat, lon, c.lat, c.lon);
            // shifted by ≤ half a cell, then snapped to a centre ≤ half a diagonal away
            prop_assert!(d <= 500.0 * (0.5f64.hypot(0.5) + 0.5f64.hypot(0.5)) + 5.0, "{} m", d);
        }

        /// Points that publish the same cell id publish the same centre.
        #[test]
        fn cell_id_determines_centre(lat in 48.0f64..49.0, lon in 2.0f64..3.0, dlat in -0.003f64..0.003, dlon in -0.003f64..0.003) {
            let g = grid();
            let a = g.publish(Coordinates::new(lat, lon).unwrap(), "x");
            let b = g.publish(Coordinates::new(lat + dlat, lon + dlon).unwrap(), "y");
            if a.id == b.id {
                prop_assert_eq!(a, b);
            }
        }
    }
}
