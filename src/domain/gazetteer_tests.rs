//! The gazetteer's tests (beside it, to keep the module short).
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

#[test]
fn stations_and_venues_are_places() {
    let g = g();
    let p = g.resolve("Gare de Lyon").unwrap();
    assert_eq!(p.name, "Gare de Lyon");
    assert_eq!(p.display(), "Gare de Lyon — Paris 12e (75012)");
    assert!((p.lat - 48.8434).abs() < 0.005 && (p.lon - 2.3764).abs() < 0.005);
    // "Gare de …", "Place de la …", "métro …", accents, hyphens, "St"
    for (q, name) in [
        ("gare st lazare", "Gare Saint-Lazare"),
        ("St Lazare", "Saint-Lazare"),
        ("Place de la République", "République"),
        ("metro bastille", "Bastille"),
        ("chatelet les halles", "Châtelet les Halles"),
        ("Bataclan", "Bataclan"),
        ("Oberkamf", "Oberkampf"),
    ] {
        assert_eq!(g.resolve(q).map(|p| p.name.as_str()), Some(name), "{q}");
    }
    // a venue is taken at the station that serves it
    let t = g.resolve("stade de france").unwrap();
    assert_eq!(
        t.display(),
        "Stade de France · Saint-Denis—Porte de Paris — Saint-Denis (93200)"
    );
    // a choice from the list is read back as that place
    assert_eq!(g.resolve(&t.display()), Some(t));
    assert_eq!(g.resolve(&p.display()), Some(p));
}

#[test]
fn stations_are_never_a_commune() {
    let g = g();
    assert_eq!(g.label(48.8434, 2.3764).as_deref(), Some("Paris 12e"));
    assert_eq!(g.resolve("75012").unwrap().name, "Paris 12e");
    assert!(g.search("750", 40).iter().all(|p| p.landmark.is_none()));
    // a station in the commune of its name is the commune
    assert_eq!(g.resolve("Vincennes").unwrap().name, "Vincennes");
    assert!(g.resolve("Vincennes").unwrap().landmark.is_none());
}

#[test]
fn homonyms_near_the_crisis() {
    let g = g();
    let paris = [(48.8630, 2.3700)];
    // the station, not the village in Lorraine or the town in the Cher
    for q in ["Belleville", "Châtelet", "Opéra"] {
        let Found::One(p) = g.find_near(q, &paris, 60.0) else {
            panic!("{q}");
        };
        assert_eq!(p.departement, "75", "{q}");
        assert!(p.landmark.is_some(), "{q}");
    }
    // without a crisis, several Bellevilles to choose from
    assert!(matches!(g.find("Belleville"), Found::Several(ps) if ps.len() > 1));
    // a town near the crisis before a station of its name elsewhere
    let Found::One(m) = g.find_near("Montreuil", &paris, 60.0) else {
        panic!("Montreuil");
    };
    assert_eq!(
        (m.name.as_str(), m.departement.as_str()),
        ("Montreuil", "93")
    );
    // "Louvre": the museum's stations, or Louvres (95)? a choice
    let Found::Several(ps) = g.find_near("Louvre", &paris, 60.0) else {
        panic!("Louvre");
    };
    assert!(ps.iter().any(|p| p.name == "Louvres") && ps.iter().any(|p| p.landmark.is_some()));
}

#[test]
fn loads_the_stations() {
    assert!(
        g().landmarks().count() >= 900,
        "{}",
        g().landmarks().count()
    );
}
