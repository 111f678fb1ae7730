//! The gazetteer's stations and venues ([`crate::domain::landmark`]): how
//! they are added, and how they stand beside communes of the same name.

use super::{Gazetteer, Place, fold};
use crate::domain::landmark;
use std::collections::HashMap;

impl Gazetteer {
    /// Adds stations and venues (landmarks.tsv's lines) that lie in places
    /// already known; they take the postcode of the first.
    pub fn with_landmarks(mut self, data: &str) -> Self {
        let known: HashMap<(&str, &str), &Place> = self
            .places
            .iter()
            .map(|p| ((p.name.as_str(), p.departement.as_str()), p))
            .collect();
        let added: Vec<Place> = landmark::parse(data)
            .filter_map(|row| {
                let (name, dept) = row.landmark.within.first()?;
                let area = known.get(&(name.as_str(), dept.as_str()))?;
                Some(Place {
                    unit: crate::domain::distance::unit_vector(row.lat, row.lon),
                    key: fold(&row.name),
                    postcodes: area.postcodes.iter().take(1).cloned().collect(),
                    departement: area.departement.clone(),
                    insee: area.insee.clone(),
                    name: row.name,
                    lat: row.lat,
                    lon: row.lon,
                    landmark: Some(row.landmark),
                })
            })
            .collect();
        drop(known);
        for p in &added {
            if !self.region.contains(&p.departement) {
                self.region.push(p.departement.clone());
            }
        }
        self.places.extend(added);
        self
    }

    pub(super) fn landmarks(&self) -> impl Iterator<Item = &Place> {
        self.places.iter().filter(|p| p.landmark.is_some())
    }

    /// Communes, stations and venues of exactly that name, but a station
    /// that is only a commune's namesake ("Saint-Mandé"); beside a station,
    /// the communes whose name goes on ("Villiers": the station, and
    /// Villiers-sur-Marne and Villiers-le-Bel).
    pub(super) fn same_name(&self, k: &str) -> Vec<&Place> {
        let communes: Vec<&Place> = self
            .places
            .iter()
            .filter(|p| p.is_commune() && p.key == k)
            .collect();
        let stations: Vec<&Place> = self
            .landmarks()
            .filter(|p| p.key == k)
            .filter(|p| !communes.iter().any(|c| self.namesake(p, c)))
            .collect();
        if stations.is_empty() {
            return communes;
        }
        // the communes of that name, the stations, then the longer names
        let longer = format!("{k} ");
        let named_on = self
            .places
            .iter()
            .filter(|p| p.is_commune() && p.key.starts_with(&longer));
        communes
            .into_iter()
            .chain(stations)
            .chain(named_on)
            .collect()
    }

    /// Whether `station` is only a namesake of the commune `town`, which is
    /// then what the name means: a station in the commune of its name
    /// ("Vincennes"), or of the name of a commune of the same region
    /// ("Montreuil": the town in the 93, not the halt in Versailles).
    fn namesake(&self, station: &Place, town: &Place) -> bool {
        let Some(l) = &station.landmark else {
            return false;
        };
        town.is_commune()
            && station.key == town.key
            && (l.lies_in(&town.name, &town.departement) || self.region.contains(&town.departement))
    }

    pub(super) fn without_namesakes<'a>(&self, mut places: Vec<&'a Place>) -> Vec<&'a Place> {
        let towns: Vec<&Place> = places.iter().copied().filter(|p| p.is_commune()).collect();
        places.retain(|p| !towns.iter().any(|t| self.namesake(p, t)));
        places
    }
}
