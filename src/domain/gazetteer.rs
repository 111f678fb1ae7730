//! The bundled gazetteer: French places with their postcodes and centre, so
//! that a guest without location services (or without JavaScript) can give
//! a place name or postcode, and so that a published cell can be named
//! ("Paris 11e"). Data: assets/gazetteer/fr.tsv (see its README for sources,
//! licences and how to regenerate it). Searches ignore case and accents.

use super::place_query;
use std::collections::HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../assets/gazetteer/fr.tsv");

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
    key: String,
    /// the centre on the unit sphere, computed once: naming a cell is on
    /// the search path, so it compares chords without trigonometry
    unit: [f64; 3],
}

impl Place {
    /// "Montreuil (93)" — enough to tell homonyms apart.
    pub fn display(&self) -> String {
        match self.postcodes.first() {
            Some(cp) => format!("{} ({cp})", self.name),
            None => format!("{} ({})", self.name, self.departement),
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

pub struct Gazetteer {
    places: Vec<Place>,
    /// place indexes by 0.1° square, for naming a point
    grid: HashMap<(i32, i32), Vec<usize>>,
}

/// A place's key: the one folding (`domain::fold`: case, accents,
/// punctuation), saints abbreviated: "Saint-Étienne" → "st etienne".
pub fn fold(s: &str) -> String {
    super::fold::fold(s)
        .replace("saint ", "st ")
        .replace("sainte ", "ste ")
}

fn square(lat: f64, lon: f64) -> (i32, i32) {
    ((lat * 10.0).floor() as i32, (lon * 10.0).floor() as i32)
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
                })
            })
            .collect();
        let mut grid: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
        for (i, p) in places.iter().enumerate() {
            grid.entry(square(p.lat, p.lon)).or_default().push(i);
        }
        Self { places, grid }
    }

    pub fn bundled() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::parse(DATA))
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
        let mut hits: Vec<(u8, bool, usize, &Place)> = self
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
                // a commune (it has a postcode) before a hamlet of the same name
                Some((rank, p.postcodes.is_empty(), p.name.len(), p))
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
    /// same-named places, the only one near the crisis is taken, and the
    /// list is ordered nearest first. A postcode, or a choice made from the
    /// list, is taken as given.
    pub fn find_near(&self, query: &str, focus: &[(f64, f64)], km: f64) -> Found<'_> {
        let found = self.find(query);
        let explicit = place_query::labelled(query).is_some()
            || query
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w.len() == 5 && w.chars().all(|c| c.is_ascii_digit()));
        if focus.is_empty() || explicit {
            return found;
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
                Found::Several(ps)
            }
            Found::Nothing => Found::Nothing,
        }
    }

    /// What a person typed to say where they are, read the way people write
    /// it: a choice from a list ("Montreuil (93100)"), a postcode (also
    /// "75 011" or "75011 Paris"), an arrondissement however spelt ("Paris
    /// 11ème", "XIe", "onzième"), a usual name ("Montreuil-sous-Bois"), a
    /// name, or a name with a typo or two. Several communes of the same
    /// name, or equally close typos, give a short list to choose from.
    pub fn find(&self, query: &str) -> Found<'_> {
        let q = query.trim();
        if q.is_empty() {
            return Found::Nothing;
        }
        let commune = |p: &&Place| !p.postcodes.is_empty();
        if let Some((name, code)) = place_query::labelled(q) {
            let chosen = self.places.iter().find(|p| {
                p.name == name && (p.postcodes.iter().any(|c| c == code) || p.departement == code)
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
        if let Some(name) = place_query::arrondissement(q) {
            if let Some(p) = self.places.iter().find(|p| p.name == name) {
                return Found::One(p);
            }
        }
        if let Some((name, dept)) = place_query::alias(q) {
            if let Some(p) = self
                .places
                .iter()
                .find(|p| p.name == name && p.departement == dept)
            {
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
        let same_name: Vec<&Place> = self
            .places
            .iter()
            .filter(|p| p.key == k)
            .filter(commune)
            .collect();
        if same_name.len() > 1 {
            return Found::Several(same_name.into_iter().take(MAX_CHOICES).collect());
        }
        if let Some(p) = self.search(q, 1).into_iter().next() {
            return Found::One(p);
        }
        let max = place_query::typos_allowed(&k);
        if max == 0 {
            return Found::Nothing;
        }
        let mut close: Vec<(usize, &Place)> = self
            .places
            .iter()
            .filter(commune)
            .filter(|p| p.key.chars().next() == k.chars().next())
            .filter_map(|p| place_query::typo_distance(&k, &p.key, max).map(|d| (d, p)))
            .collect();
        let Some(best) = close.iter().map(|(d, _)| *d).min() else {
            return Found::Nothing;
        };
        close.retain(|(d, _)| *d == best);
        close.sort_by_key(|(_, p)| p.name.len());
        match close.len() {
            1 => Found::One(close[0].1),
            _ => Found::Several(
                close
                    .into_iter()
                    .take(MAX_CHOICES)
                    .map(|(_, p)| p)
                    .collect(),
            ),
        }
    }

    /// The nearest commune or arrondissement (a place with a postcode, not
    /// a quartier) within `max_m` metres of a point.
    pub fn nearest(&self, lat: f64, lon: f64, max_m: f64) -> Option<&Place> {
        let (a, b) = square(lat, lon);
        let q = super::distance::unit_vector(lat, lon);
        let mut best: Option<(f64, &Place)> = None;
        for da in -1..=1 {
            for db in -1..=1 {
                for &i in self
                    .grid
                    .get(&(a + da, b + db))
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                {
                    let p = &self.places[i];
                    if p.postcodes.is_empty() {
                        continue;
                    }
                    let chord2 = (0..3).map(|k| (p.unit[k] - q[k]).powi(2)).sum();
                    let d = super::distance::metres_from_chord2(chord2);
                    if d <= max_m && best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, p));
                    }
                }
            }
        }
        best.map(|(_, p)| p)
    }

    /// A human label for a published cell centre.
    pub fn label(&self, lat: f64, lon: f64) -> Option<String> {
        self.nearest(lat, lon, 8_000.0).map(|p| p.name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> &'static Gazetteer {
        Gazetteer::bundled()
    }

    #[test]
    fn loads_france() {
        assert!(g().len() > 8000);
    }

    #[test]
    fn finds_by_name_ignoring_case_and_accents() {
        let p = g().resolve("saint etienne").unwrap();
        assert_eq!(p.name, "Saint-Étienne");
        assert_eq!(g().resolve("ST-ÉTIENNE").unwrap().name, "Saint-Étienne");
        assert_eq!(g().resolve("montreuil").unwrap().name, "Montreuil");
        assert!(
            g().search("montreuil", 10)
                .iter()
                .any(|p| p.departement == "93")
        );
        assert!(g().search("zzzzqqq", 5).is_empty());
        assert!(g().search("  ", 5).is_empty());
    }

    #[test]
    fn finds_arrondissements_by_postcode_and_name() {
        let p = g().resolve("75011").unwrap();
        assert_eq!(p.name, "Paris 11e");
        assert!((p.lat - 48.857).abs() < 0.02);
        assert_eq!(
            g().resolve("paris 11e").unwrap().postcodes,
            vec!["75011".to_owned()]
        );
        assert_eq!(g().resolve("69003").unwrap().name, "Lyon 3e");
        assert_eq!(g().resolve("13001").unwrap().name, "Marseille 1er");
        assert_eq!(g().resolve("93100").unwrap().name, "Montreuil");
        let many = g().search("750", 30);
        assert!(
            many.len() >= 20,
            "every Paris arrondissement has a 750xx postcode"
        );
    }

    #[test]
    fn names_a_point() {
        assert_eq!(g().label(48.8590, 2.3800).as_deref(), Some("Paris 11e"));
        assert_eq!(g().label(48.8642, 2.4430).as_deref(), Some("Montreuil"));
        assert_eq!(g().label(0.0, -30.0), None, "mid-Atlantic");
    }

    #[test]
    fn a_commune_before_a_hamlet_of_the_same_name() {
        let g = Gazetteer::bundled();
        let m = g.resolve("Montreuil").unwrap();
        assert_eq!(m.departement, "93", "{m:?}");
        assert_eq!(g.resolve("montreuil").unwrap().departement, "93");
    }

    #[test]
    fn folding() {
        assert_eq!(fold("  Saint-Étienne-du-Rouvray "), "st etienne du rouvray");
        assert_eq!(fold("L'Haÿ-les-Roses"), "l hay les roses");
        assert_eq!(fold("Œuilly"), "oeuilly");
    }
}
