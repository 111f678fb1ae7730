//! One offer as the index keeps it: what ranking and the public snapshot
//! need, in about 120 bytes. The published cell and the language set are
//! kept once by the index, not per offer.

use crate::domain::Millis;
use crate::domain::ids::{AccountId, OfferId};
use crate::domain::privacy::PublicCell;
use crate::domain::ranking::{Facts, Hold, OfferSnapshot, Rung, id_key};
use crate::domain::responsiveness::HostRecord;
use crate::domain::values::{Accommodates, Languages};
use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

const INLINE: usize = 22;

/// An ID, inline when it is short (every generated ID is: 16 bytes), on the
/// heap otherwise: 24 bytes and no allocation instead of a `String`'s 24
/// plus a heap block. Hand-written rather than a small-string crate: twenty
/// lines, and no new dependency for one map key.
#[derive(Clone)]
pub(super) enum SmallId {
    Inline(u8, [u8; INLINE]),
    Heap(Box<str>),
}

impl SmallId {
    pub fn new(s: &str) -> Self {
        if s.len() <= INLINE {
            let mut b = [0; INLINE];
            b[..s.len()].copy_from_slice(s.as_bytes());
            Self::Inline(s.len() as u8, b)
        } else {
            Self::Heap(s.into())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            // a prefix of a `&str`'s bytes of its own length: always UTF-8
            Self::Inline(n, b) => std::str::from_utf8(&b[..usize::from(*n)]).unwrap_or_default(),
            Self::Heap(s) => s,
        }
    }
}

impl PartialEq for SmallId {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SmallId {}

/// Hashes as the `str` it holds, so that a map keyed by it is looked up by `&str`.
impl Hash for SmallId {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl Borrow<str> for SmallId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

const OPEN: u8 = 1;
const ACCESSIBLE: u8 = 2;
const PETS_OK: u8 = 4;
const CHILDREN_OK: u8 = 8;
const WOMEN_ONLY: u8 = 16;
const HOST_VERIFIED: u8 = 32;

/// What a host record says when nothing is known yet.
static NO_RECORD: HostRecord = HostRecord {
    seen_at: None,
    accepted: 0,
    declined: 0,
    expired: 0,
    declines_in_row: 0,
    answer_ms_avg: None,
};

pub(super) struct Slot {
    pub id: SmallId,
    pub host_id: SmallId,
    capacity: i32,
    accepted: i32,
    available_from: Millis,
    available_until: Millis,
    /// the row's `updated_at`
    pub version: i64,
    holds: Box<[Hold]>,
    /// `None` for a host the platform knows nothing of yet
    host: Option<Box<HostRecord>>,
    /// the language set, in the index's table
    pub langs: u32,
    flags: u8,
    /// `None`: may change on its own, read by every search
    pub rung: Option<Rung>,
}

impl Slot {
    pub fn new(s: &OfferSnapshot, version: i64, langs: u32, rung: Option<Rung>) -> Self {
        let flag = |on: bool, f: u8| if on { f } else { 0 };
        let a = s.accommodates;
        Self {
            id: SmallId::new(s.id.as_str()),
            host_id: SmallId::new(s.host_id.as_str()),
            capacity: s.capacity,
            accepted: s.accepted,
            available_from: s.available_from,
            available_until: s.available_until,
            version,
            holds: s.holds.clone().into_boxed_slice(),
            host: (s.host != NO_RECORD).then(|| Box::new(s.host)),
            langs,
            flags: flag(s.open, OPEN)
                | flag(a.accessible, ACCESSIBLE)
                | flag(a.pets_ok, PETS_OK)
                | flag(a.children_ok, CHILDREN_OK)
                | flag(a.women_only, WOMEN_ONLY)
                | flag(s.host_verified, HOST_VERIFIED),
            rung,
        }
    }

    /// The offer's tie-break key ([`TieKey`](crate::domain::ranking::TieKey)).
    pub fn key(&self) -> u64 {
        id_key(self.id.as_str())
    }

    /// Where the offer stands in its cell: rung (unsettled first), then key.
    pub fn order(&self) -> (Option<Rung>, u64) {
        (self.rung, self.key())
    }

    fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }

    fn accommodates(&self) -> Accommodates {
        Accommodates {
            accessible: self.has(ACCESSIBLE),
            pets_ok: self.has(PETS_OK),
            children_ok: self.has(CHILDREN_OK),
            women_only: self.has(WOMEN_ONLY),
        }
    }

    pub fn facts<'a>(&'a self, languages: &'a Languages) -> Facts<'a> {
        Facts {
            id: self.id.as_str(),
            open: self.has(OPEN),
            capacity: self.capacity,
            accepted: self.accepted,
            holds: &self.holds,
            available_from: self.available_from,
            available_until: self.available_until,
            accommodates: self.accommodates(),
            host_verified: self.has(HOST_VERIFIED),
            host: self.host.as_deref().unwrap_or(&NO_RECORD),
            languages,
        }
    }

    pub fn snapshot(&self, cell: PublicCell, languages: &Languages) -> OfferSnapshot {
        OfferSnapshot {
            id: OfferId::from_db(self.id.as_str().to_owned()),
            host_id: AccountId::from_db(self.host_id.as_str().to_owned()),
            open: self.has(OPEN),
            capacity: self.capacity,
            accepted: self.accepted,
            holds: self.holds.to_vec(),
            cell,
            available_from: self.available_from,
            available_until: self.available_until,
            accommodates: self.accommodates(),
            languages: languages.clone(),
            host_verified: self.has(HOST_VERIFIED),
            host: self.host.as_deref().copied().unwrap_or(NO_RECORD),
        }
    }
}
