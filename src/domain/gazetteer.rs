//! The bundled gazetteer: French places with their postcodes and centre, so
//! that a guest without location services (or without JavaScript) can give
//! a place name or postcode, and so that a published cell can be named
//! ("Paris 11e"); and the stations and venues of the Paris region
//! ([`super::landmark`]), so that "Gare de Lyon" or "Place de la République"
//! is a place too. Data: assets/gazetteer/fr.tsv and landmarks.tsv (see the
//! README there for sources, licences and how to regenerate them). Searches
//! ignore case and accents.

use super::landmark::Landmark;
use super::place_query;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../assets/gazetteer/fr.tsv");
const LANDMARKS: &str = include_str!("../../assets/gazetteer/landmarks.tsv");

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub postcodes: Vec<String>,
    pub departement: String,
    pub lat: f64,
    pub lon: f64,
    /// INSEE's commune code ("93048" for Montreuil, "75111" for Paris 11e),
    /// what partners join on; absent where the sources disagree
    pub insee: Option<String>,
    /// a station or venue: what it is and where it lies (its postcode,
    /// département and INSEE code are those of the first place it lies in);
    /// none for a commune, an arrondissement or a quartier
    pub landmark: Option<Landmark>,
    key: String,
    /// the centre on the unit sphere, computed once: naming a cell is on
    /// the search path, so it compares chords without trigonometry
    unit: [f64; 3],
}

impl Place {
    /// "Montreuil (93100)", "Gare de Lyon — Paris 12e (75012)": enough to
    /// tell homonyms apart.
    pub fn display(&self) -> String {
        let code = self.postcodes.first().unwrap_or(&self.departement);
        format!("{} ({code})", self.title())
    }

    /// The name, and for a station or venue where it lies.
    pub fn title(&self) -> String {
        match &self.landmark {
            Some(l) => l.title(&self.name),
            None => self.name.clone(),
        }
    }

    /// A commune or arrondissement: a place with a postcode, not a quartier
    /// and not a station.
    pub fn is_commune(&self) -> bool {
        self.landmark.is_none() && !self.postcodes.is_empty()
    }

    /// Communes first, then stations and venues, then quartiers.
    fn class(&self) -> u8 {
        match (&self.landmark, self.postcodes.is_empty()) {
            (Some(_), _) => 1,
            (None, false) => 0,
            (None, true) => 2,
        }
    }
}

/// What a free-text place stands for.
#[derive(Debug, PartialEq)]
pub enum Found<'a> {
    One(&'a Place),
    /// a short list for the person to choose from
    Several(Vec<&'a Place>),
    Nothing,
}

/// At most this many places to choose from.
pub const MAX_CHOICES: usize = 6;

fn shortened(found: Found<'_>) -> Found<'_> {
    match found {
        Found::Several(mut ps) => {
            ps.truncate(MAX_CHOICES);
            Found::Several(ps)
        }
        other => other,
    }
}

pub struct Gazetteer {
    places: Vec<Place>,
    /// communes and arrondissements on the unit sphere (chords order like
    /// great-circle distances), for naming a point
    communes: RTree<GeomWithData<[f64; 3], usize>>,
    /// the départements the stations and venues lie in (the Paris region)
    region: Vec<String>,
}

/// A place's key: the one folding (`domain::fold`: case, accents,
/// punctuation), saints abbreviated: "Saint-Étienne" → "st etienne".
pub fn fold(s: &str) -> String {
    super::fold::fold(s)
        .replace("saint ", "st ")
        .replace("sainte ", "ste ")
}

impl Gazetteer {
    pub fn parse(data: &str) -> Self {
        let places: Vec<Place> = data
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                let name = f.next()?.to_owned();
                let postcodes = f
                    .next()?
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                let departement = f.next()?.to_owned();
                let lat = f.next()?.parse().ok()?;
                let lon = f.next()?.parse().ok()?;
                let insee = f.next().filter(|c| !c.is_empty()).map(str::to_owned);
                Some(Place {
                    unit: super::distance::unit_vector(lat, lon),
                    key: fold(&name),
                    name,
                    postcodes,
                    departement,
                    lat,
                    lon,
                    insee,
                    landmark: None,
                })
            })
            .collect();
        let communes = RTree::bulk_load(
            places
                .iter()
                .enumerate()
                .filter(|(_, p)| p.is_commune())
                .map(|(i, p)| GeomWithData::new(p.unit, i))
                .collect(),
        );
        Self {
            places,
            communes,
            region: vec![],
        }
    }

    pub fn bundled() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::parse(DATA).with_landmarks(LANDMARKS))
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Places matching a name or postcode: exact matches first, then names
    /// starting with the query, then names containing it; shorter names first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Place> {
        let q = query.trim();
        if q.is_empty() {
            return vec![];
        }
        if q.chars().all(|c| c.is_ascii_digit()) {
            let mut hits: Vec<&Place> = self
                .places
                .iter()
                .filter(|p| p.landmark.is_none())
                .filter(|p| p.postcodes.iter().any(|c| c.starts_with(q)))
                .collect();
            hits.sort_by_key(|p| {
                (
                    !p.postcodes.iter().any(|c| c == q),
                    p.postcodes.first().cloned(),
                    p.name.len(),
                )
            });
            hits.truncate(limit);
            return hits;
        }
        let k = fold(q);
        if k.is_empty() {
            return vec![];
        }
        let mut hits: Vec<(u8, u8, usize, &Place)> = self
            .places
            .iter()
            .filter_map(|p| {
                let rank = if p.key == k {
                    0
                } else if p.key.starts_with(&k) {
                    1
                } else if p.key.contains(&k) {
                    2
                } else {
                    return None;
                };
                // a commune (it has a postcode) before a station, and
                // both before a hamlet of the same name
                Some((rank, p.class(), p.name.len(), p))
            })
            .collect();
        hits.sort_by_key(|h| (h.0, h.1, h.2));
        hits.into_iter().take(limit).map(|h| h.3).collect()
    }

    /// The single place a free-text entry stands for, if it is unambiguous
    /// enough (see [`Gazetteer::find`]).
    pub fn resolve(&self, query: &str) -> Option<&Place> {
        match self.find(query) {
            Found::One(p) => Some(p),
            Found::Several(_) | Found::Nothing => None,
        }
    }

    /// [`Gazetteer::find`], knowing where the crisis is (`focus`: the open
    /// incidents' centres; empty when there are none). A name read as a place
    /// more than `km` from every focus ("Châtelet" read as Le Châtelet, in
    /// the Cher) is offered for confirmation instead of taken; of several
    /// same-named places, the only one near the crisis is taken ("Belleville":
    /// the métro station, not the village in Lorraine), and the list is
    /// ordered nearest first. A postcode, or a choice made from the list, is
    /// taken as given.
    pub fn find_near(&self, query: &str, focus: &[(f64, f64)], km: f64) -> Found<'_> {
        let found = self.find_all(query);
        let explicit = place_query::labelled(query).is_some()
            || query
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w.len() == 5 && w.chars().all(|c| c.is_ascii_digit()));
        if focus.is_empty() || explicit {
            return shortened(found);
        }
        let gap = |p: &Place| {
            focus
                .iter()
                .map(|&(lat, lon)| super::distance::metres_between(p.lat, p.lon, lat, lon))
                .fold(f64::INFINITY, f64::min)
        };
        let near = |p: &Place| gap(p) <= km * 1000.0;
        match found {
            Found::One(p) if near(p) => Found::One(p),
            Found::One(p) => Found::Several(vec![p]),
            Found::Several(mut ps) => {
                let close: Vec<&Place> = ps.iter().copied().filter(|p| near(p)).collect();
                if let [only] = close.as_slice() {
                    return Found::One(only);
                }
                ps.sort_by(|a, b| gap(a).total_cmp(&gap(b)));
                shortened(Found::Several(ps))
            }
            Found::Nothing => Found::Nothing,
        }
    }

    /// What a person typed to say where they are, read the way people write
    /// it: a choice from a list ("Montreuil (93100)"), a postcode (also
    /// "75 011" or "75011 Paris"), an arrondissement however spelt ("Paris
    /// 11ème", "XIe", "onzième"), a usual name ("Montreuil-sous-Bois"), a
    /// name, a station, square or venue ("Gare Saint-Lazare", "Place de la
    /// République", "Stade de France"), or any of these with a typo or two.
    /// Several places of the same name, or equally close typos, give a short
    /// list to choose from.
    pub fn find(&self, query: &str) -> Found<'_> {
        shortened(self.find_all(query))
    }

    /// [`Gazetteer::find`] with every candidate (the list not yet cut).
    fn find_all(&self, query: &str) -> Found<'_> {
        let q = query.trim();
        if q.is_empty() {
            return Found::Nothing;
        }
        if let Some((name, code)) = place_query::labelled(q) {
            let chosen = self.places.iter().find(|p| {
                let named = match p.landmark {
                    None => p.name == name,
                    Some(_) => p.title() == name,
                };
                named && (p.postcodes.iter().any(|c| c == code) || p.departement == code)
            });
            if let Some(p) = chosen {
                return Found::One(p);
            }
        }
        let compact: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        let postcode = if compact.len() == 5 && compact.chars().all(|c| c.is_ascii_digit()) {
            Some(compact.as_str())
        } else {
            q.split(|c: char| !c.is_ascii_alphanumeric())
                .find(|w| w.len() == 5 && w.chars().all(|c| c.is_ascii_digit()))
        };
        if let Some(cp) = postcode {
            if let Some(p) = self.search(cp, 1).into_iter().next() {
                return Found::One(p);
            }
        }
        let communes = || self.places.iter().filter(|p| p.landmark.is_none());
        if let Some(name) = place_query::arrondissement(q) {
            if let Some(p) = communes().find(|p| p.name == name) {
                return Found::One(p);
            }
        }
        if let Some((name, dept)) = place_query::alias(q) {
            if let Some(p) = communes().find(|p| p.name == name && p.departement == dept) {
                return Found::One(p);
            }
        }
        if let Some((name, dept)) = place_query::with_departement(q) {
            let key = fold(name);
            let aliased = place_query::alias(name).filter(|(_, d)| *d == dept);
            let hit = self.places.iter().find(|p| {
                p.departement == dept && (p.key == key || aliased.is_some_and(|(n, _)| p.name == n))
            });
            if let Some(p) = hit {
                return Found::One(p);
            }
        }
        let k = fold(q);
        let forms = place_query::landmark_forms(&k);
        let mut same = self.same_name(&k);
        for form in &forms {
            if !same.is_empty() {
                break;
            }
            same = self.landmarks().filter(|p| p.key == *form).collect();
        }
        match same.len() {
            0 => {}
            1 => return Found::One(same[0]),
            _ => return Found::Several(same),
        }
        let mut hits = self.search(q, 50);
        for form in &forms {
            if !hits.is_empty() {
                break;
            }
            hits = self.search(form, 50);
            hits.retain(|p| p.landmark.is_some());
        }
        if let Some(&first) = hits.first() {
            // a quartier ("La Villette", in Marseille) is not taken over the
            // stations and venues that hold its name elsewhere
            let far = |p: &&Place| {
                super::distance::metres_between(p.lat, p.lon, first.lat, first.lon) > 20_000.0
            };
            let stations: Vec<&Place> = hits
                .iter()
                .copied()
                .filter(|p| p.landmark.is_some())
                .collect();
            if first.class() == 2 && !stations.is_empty() && stations.iter().all(far) {
                return Found::Several(std::iter::once(first).chain(stations).collect());
            }
            // only the start of names, of towns and of stations alike
            // ("Louvre": Louvres, or the Louvre's stations) is a choice
            let elsewhere = stations.iter().any(|p| !p.key.contains(&first.key));
            if first.key != k && first.is_commune() && elsewhere {
                hits.retain(|p| p.class() < 2);
                return Found::Several(self.without_namesakes(hits));
            }
            return Found::One(first);
        }
        self.typos(&k)
    }

    /// The communes, stations and venues one or two typos away.
    fn typos(&self, k: &str) -> Found<'_> {
        let max = place_query::typos_allowed(k);
        if max == 0 {
            return Found::Nothing;
        }
        let mut close: Vec<(usize, &Place)> = self
            .places
            .iter()
            .filter(|p| p.class() < 2)
            .filter(|p| p.key.chars().next() == k.chars().next())
            .filter_map(|p| place_query::typo_distance(k, &p.key, max).map(|d| (d, p)))
            .collect();
        let Some(best) = close.iter().map(|(d, _)| *d).min() else {
            return Found::Nothing;
        };
        close.retain(|(d, _)| *d == best);
        close.sort_by_key(|(_, p)| (p.class(), p.name.len()));
        let close = self.without_namesakes(close.into_iter().map(|(_, p)| p).collect());
        match close.as_slice() {
            [one] => Found::One(one),
            _ => Found::Several(close),
        }
    }

    /// The nearest commune or arrondissement (a place with a postcode, not
    /// a quartier) within `max_m` metres of a point.
    pub fn nearest(&self, lat: f64, lon: f64, max_m: f64) -> Option<&Place> {
        let q = super::distance::unit_vector(lat, lon);
        let (at, chord2) = self
            .communes
            .nearest_neighbor_iter_with_distance_2(&q)
            .next()?;
        (super::distance::metres_from_chord2(chord2) <= max_m).then(|| &self.places[at.data])
    }

    /// A human label for a published cell centre.
    pub fn label(&self, lat: f64, lon: f64) -> Option<String> {
        self.nearest(lat, lon, 8_000.0).map(|p| p.name.clone())
    }
}

#[path = "gazetteer_landmarks.rs"]
mod landmarks;

#[cfg(test)]
#[path = "gazetteer_tests.rs"]
mod tests;
