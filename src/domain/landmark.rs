//! Stations and venues of the Paris region, as the gazetteer knows them:
//! métro, RER, train, tram and funicular stations, and the venues a métro
//! station serves ("Tour Eiffel", at Bir-Hakeim), each with its point and
//! the arrondissements or communes it lies in. Data:
//! assets/gazetteer/landmarks.tsv (Île-de-France Mobilités, ODbL; see the
//! README there). Pure: [`super::gazetteer`] reads it at start-up.

/// What a station or venue is, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Landmark {
    /// "metro", "rer", "train", "tram", "funicular" (a hub lists several:
    /// "metro,rer"), or "venue"
    pub kind: String,
    /// the gazetteer's places it lies in, as (name, département), the one
    /// shown first: "Bastille" lies in Paris 4e, 11e and 12e
    pub within: Vec<(String, String)>,
    /// for a venue, the station that gives it its point ("Bir-Hakeim")
    pub station: Option<String>,
}

impl Landmark {
    /// How the place is shown: "Gare de Lyon — Paris 12e", "Tour Eiffel ·
    /// Bir-Hakeim — Paris 15e" (the point taken is the station's).
    pub fn title(&self, name: &str) -> String {
        let area = self.within.first().map_or("", |(n, _)| n.as_str());
        match &self.station {
            Some(s) => format!("{name} · {s} — {area}"),
            None => format!("{name} — {area}"),
        }
    }

    /// Whether it lies in that gazetteer place.
    pub fn lies_in(&self, name: &str, departement: &str) -> bool {
        self.within
            .iter()
            .any(|(n, d)| n == name && d == departement)
    }

    pub fn is_venue(&self) -> bool {
        self.kind == "venue"
    }
}

/// One line of landmarks.tsv: name, kind, lat, lon, the places it lies in
/// ("Paris 4e/75|Paris 11e/75"), and for a venue its station.
#[derive(Debug, PartialEq)]
pub struct Row {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub landmark: Landmark,
}

pub fn parse(data: &str) -> impl Iterator<Item = Row> + '_ {
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            let name = f.next()?.to_owned();
            let kind = f.next()?.to_owned();
            let lat = f.next()?.parse().ok()?;
            let lon = f.next()?.parse().ok()?;
            let within: Vec<(String, String)> = f
                .next()?
                .split('|')
                .filter_map(|w| w.rsplit_once('/'))
                .map(|(n, d)| (n.to_owned(), d.to_owned()))
                .collect();
            let station = f.next().filter(|s| !s.is_empty()).map(str::to_owned);
            (!within.is_empty()).then_some(Row {
                name,
                lat,
                lon,
                landmark: Landmark {
                    kind,
                    within,
                    station,
                },
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_line() {
        let rows: Vec<Row> = parse(
            "# header\nBastille\tmetro\t48.85205\t2.36872\tParis 4e/75|Paris 11e/75\t\n\
             Tour Eiffel\tvenue\t48.85392\t2.28933\tParis 15e/75\tBir-Hakeim\n\
             broken\tmetro\t48.8\n",
        )
        .collect();
        assert_eq!(rows.len(), 2);
        let b = &rows[0].landmark;
        assert_eq!(b.title("Bastille"), "Bastille — Paris 4e");
        assert!(b.lies_in("Paris 11e", "75") && !b.lies_in("Paris 12e", "75"));
        assert!(!b.is_venue());
        let t = &rows[1].landmark;
        assert_eq!(
            t.title("Tour Eiffel"),
            "Tour Eiffel · Bir-Hakeim — Paris 15e"
        );
        assert!(t.is_venue());
        assert!((rows[1].lat - 48.85392).abs() < 1e-9);
    }
}
