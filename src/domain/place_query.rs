//! How people say where they are, read into a gazetteer name: arrondissement
//! spellings ("Paris 11ème", "11e arr.", "XIe", "onzième"), the usual short
//! and long names of communes around Paris ("Montreuil-sous-Bois",
//! "Boulogne", "le Kremlin"), and small typos. Pure: [`super::gazetteer`]
//! uses it to resolve what a guest typed.

use super::gazetteer::fold;

/// The three cities with arrondissements, and how many each has.
const CITIES: [(&str, u32); 3] = [("paris", 20), ("lyon", 9), ("marseille", 16)];

const ORDINALS: [&str; 20] = [
    "premier",
    "deuxieme",
    "troisieme",
    "quatrieme",
    "cinquieme",
    "sixieme",
    "septieme",
    "huitieme",
    "neuvieme",
    "dixieme",
    "onzieme",
    "douzieme",
    "treizieme",
    "quatorzieme",
    "quinzieme",
    "seizieme",
    "dix septieme",
    "dix huitieme",
    "dix neuvieme",
    "vingtieme",
];

const ROMAN: [&str; 20] = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv",
    "xvi", "xvii", "xviii", "xix", "xx",
];

/// Usual names (folded) → the gazetteer's name and département: long
/// forms people still use, short forms of long names, former names.
const ALIASES: &[(&str, &str, &str)] = &[
    ("montreuil sous bois", "Montreuil", "93"),
    ("boulogne", "Boulogne-Billancourt", "92"),
    ("boulogne billancour", "Boulogne-Billancourt", "92"),
    ("issy", "Issy-les-Moulineaux", "92"),
    ("levallois", "Levallois-Perret", "92"),
    ("neuilly", "Neuilly-sur-Seine", "92"),
    ("rueil", "Rueil-Malmaison", "92"),
    ("asnieres", "Asnières-sur-Seine", "92"),
    ("vitry", "Vitry-sur-Seine", "94"),
    ("ivry", "Ivry-sur-Seine", "94"),
    ("choisy", "Choisy-le-Roi", "94"),
    ("champigny", "Champigny-sur-Marne", "94"),
    ("st maur", "Saint-Maur-des-Fossés", "94"),
    ("charenton", "Charenton-le-Pont", "94"),
    ("kremlin bicetre", "Le Kremlin-Bicêtre", "94"),
    ("le kremlin", "Le Kremlin-Bicêtre", "94"),
    ("kremlin", "Le Kremlin-Bicêtre", "94"),
    ("pre st gervais", "Le Pré-Saint-Gervais", "93"),
    ("le pre", "Le Pré-Saint-Gervais", "93"),
    ("st ouen", "Saint-Ouen-sur-Seine", "93"),
    ("blanc mesnil", "Le Blanc-Mesnil", "93"),
    ("courneuve", "La Courneuve", "93"),
    ("st denis", "Saint-Denis", "93"),
    ("st denis 93", "Saint-Denis", "93"),
    ("joinville", "Joinville-le-Pont", "94"),
    ("nogent", "Nogent-sur-Marne", "94"),
    ("fontenay", "Fontenay-sous-Bois", "94"),
    ("villeneuve st georges", "Villeneuve-Saint-Georges", "94"),
    ("alfortville", "Alfortville", "94"),
    ("maisons alfort", "Maisons-Alfort", "94"),
    ("epinay", "Épinay-sur-Seine", "93"),
    ("aulnay", "Aulnay-sous-Bois", "93"),
    ("clichy sous bois", "Clichy-sous-Bois", "93"),
    ("clichy la garenne", "Clichy", "92"),
    ("villemomble", "Villemomble", "93"),
    ("rosny", "Rosny-sous-Bois", "93"),
    ("la defense", "Puteaux", "92"),
];

/// A city's arrondissement, as the gazetteer names it ("Paris 11e").
fn arrondissement_name(city: &str, n: u32) -> String {
    let mut c = city.to_owned();
    if let Some(first) = c.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    format!("{c} {n}{}", if n == 1 { "er" } else { "e" })
}

/// The number in "11", "11e", "11eme", "11ème", "11 eme", "11er", "1er",
/// "xi", "xie", "xieme", "onzieme", "premier".
fn number(words: &[&str]) -> Option<(u32, usize)> {
    let first = *words.first()?;
    let joined2 = words.get(1).map(|w| format!("{first} {w}"));
    if let Some(j) = &joined2 {
        if let Some(i) = ORDINALS.iter().position(|o| o == j) {
            return Some((i as u32 + 1, 2));
        }
    }
    if let Some(i) = ORDINALS.iter().position(|o| *o == first) {
        return Some((i as u32 + 1, 1));
    }
    let suffixes = ["eme", "e", "er", "ieme", "iem", "em", "me", "eme arr", ""];
    let digits: String = first.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = &first[digits.len()..];
        let n: u32 = digits.parse().ok()?;
        if suffixes.contains(&rest) {
            // "11 eme": the suffix as its own word
            let used = match words.get(1) {
                Some(w) if ["eme", "e", "er", "em", "ieme"].contains(w) => 2,
                _ => 1,
            };
            return Some((n, used));
        }
        return None;
    }
    // "XIème" folds to "xieme": the suffix is "eme" (trying "ieme" first
    // would read "x", ten)
    for suffix in ["eme", "e", "er", ""] {
        if let Some(stem) = first.strip_suffix(suffix) {
            if let Some(i) = ROMAN.iter().position(|r| *r == stem) {
                // a lone "i", "v" or "x" is too easily something else
                if suffix.is_empty() && stem.len() == 1 {
                    return None;
                }
                return Some((i as u32 + 1, 1));
            }
        }
    }
    None
}

/// "Paris 11ème", "paris xi", "11e arrondissement", "le onzième",
/// "11eme arr de paris", "75011 paris" is left to postcodes. Without a city
/// an arrondissement is Paris's.
pub fn arrondissement(query: &str) -> Option<String> {
    let key = fold(query);
    let noise = [
        "le",
        "l",
        "la",
        "dans",
        "a",
        "arrondissement",
        "arrondissemnt",
        "arr",
        "arrt",
        "ardt",
        "de",
        "du",
        "eme",
    ];
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let city_at = words
        .iter()
        .position(|w| CITIES.iter().any(|(c, _)| c == w));
    let city = city_at.map(|i| words[i]).unwrap_or("paris");
    let rest: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != city_at)
        .map(|(_, w)| *w)
        .collect();
    // skip leading noise ("le onzieme"), read the number, then only noise may follow
    let start = rest.iter().position(|w| !noise.contains(w))?;
    let (n, used) = number(&rest[start..])?;
    if !rest[start + used..].iter().all(|w| noise.contains(w)) {
        return None;
    }
    // a bare number ("11") is a postcode or nothing, not an arrondissement
    let said_arrondissement = city_at.is_some()
        || rest.iter().any(|w| w.starts_with("arr") || *w == "ardt")
        || !rest[start].chars().all(|c| c.is_ascii_digit());
    if !said_arrondissement {
        return None;
    }
    let max = CITIES.iter().find(|(c, _)| *c == city).map(|(_, m)| *m)?;
    (1..=max).contains(&n).then(|| arrondissement_name(city, n))
}

/// A usual name of a commune around Paris, as (gazetteer name, département).
pub fn alias(query: &str) -> Option<(&'static str, &'static str)> {
    let key = fold(query);
    ALIASES
        .iter()
        .find(|(a, _, _)| *a == key)
        .map(|(_, name, dept)| (*name, *dept))
}

/// "Montreuil (93100)" or "Montreuil (93)", as the page's list of choices
/// shows places: the name and the postcode or département in brackets.
pub fn labelled(query: &str) -> Option<(&str, &str)> {
    let (name, rest) = query.trim().rsplit_once(" (")?;
    let code = rest.strip_suffix(')')?;
    (!name.is_empty() && !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some((name.trim(), code))
}

/// "Montreuil 93": a name followed by its département's number.
pub fn with_departement(query: &str) -> Option<(&str, &str)> {
    let (name, code) = query.trim().rsplit_once(' ')?;
    let is_code = (code.len() == 2 && code.chars().all(|c| c.is_ascii_digit()))
        || code.eq_ignore_ascii_case("2a")
        || code.eq_ignore_ascii_case("2b")
        || (code.len() == 3 && code.starts_with("97") && code.chars().all(|c| c.is_ascii_digit()));
    (is_code && !name.trim().is_empty()).then_some((name.trim(), code))
}

/// Words around a station's or square's name: "place de la République",
/// "gare Saint-Lazare", "métro Bastille", "Gare du Nord Paris".
const LANDMARK_WORDS: [&str; 10] = [
    "metro", "station", "arret", "rer", "tram", "gare", "place", "square", "parc", "m",
];
const ARTICLES: [&str; 8] = ["de", "du", "des", "d", "la", "l", "le", "les"];

/// The names a station or square may be known by within what was typed
/// (folded): "place de la republique" → "republique", "gare st lazare" →
/// "st lazare", "metro bastille" → "bastille", "gare de lyon paris" → "gare
/// de lyon". Only for stations and venues: "gare de lyon" is never Lyon.
pub fn landmark_forms(key: &str) -> Vec<String> {
    let mut words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let mut forms = vec![];
    let mut trailing = false;
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| *w == "paris" || LANDMARK_WORDS.contains(w))
    {
        words.pop();
        trailing = true;
    }
    if trailing {
        forms.push(words.join(" "));
    }
    let mut start = 0;
    let mut said = false;
    while start + 1 < words.len() {
        if LANDMARK_WORDS.contains(&words[start]) {
            said = true;
        } else if !ARTICLES.contains(&words[start]) {
            break;
        }
        start += 1;
    }
    if said {
        forms.push(words[start..].join(" "));
    }
    forms.retain(|f| f != key && !f.is_empty());
    forms
}

/// Optimal string alignment distance (Levenshtein with transpositions) of
/// two folded names, giving up beyond `max`.
pub fn typo_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        if cur.iter().min().copied().unwrap_or(0) > max {
            return None;
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// How many typos a name of this length may carry and still be found:
/// none under 5 letters, one up to 8, two beyond.
pub fn typos_allowed(key: &str) -> usize {
    match key.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrondissement_spellings() {
        for q in [
            "Paris 11ème",
            "paris 11e",
            "Paris 11eme",
            "paris 11",
            "PARIS XI",
            "Paris XIe",
            "paris xieme",
            "11e arrondissement",
            "11ème arrondissement de Paris",
            "11e arr.",
            "le onzième",
            "onzième arrondissement",
            "Paris onzième",
            "11 ème arrondissement",
            "Paris 11e arrondissement",
        ] {
            assert_eq!(arrondissement(q).as_deref(), Some("Paris 11e"), "{q}");
        }
        assert_eq!(arrondissement("Paris 1er").as_deref(), Some("Paris 1er"));
        assert_eq!(
            arrondissement("premier arrondissement").as_deref(),
            Some("Paris 1er")
        );
        assert_eq!(arrondissement("paris 20").as_deref(), Some("Paris 20e"));
        assert_eq!(arrondissement("dix-huitième").as_deref(), Some("Paris 18e"));
        assert_eq!(arrondissement("Lyon 3ème").as_deref(), Some("Lyon 3e"));
        assert_eq!(
            arrondissement("Marseille 1er").as_deref(),
            Some("Marseille 1er")
        );
        for no in [
            "11",
            "75011",
            "Paris 21e",
            "Lyon 10e",
            "rue de Paris",
            "Montreuil",
            "x",
            "Paris",
        ] {
            assert_eq!(arrondissement(no), None, "{no}");
        }
    }

    #[test]
    fn usual_names_and_labels() {
        assert_eq!(alias("Montreuil-sous-Bois"), Some(("Montreuil", "93")));
        assert_eq!(alias("st-ouen"), Some(("Saint-Ouen-sur-Seine", "93")));
        assert_eq!(alias("Le Kremlin"), Some(("Le Kremlin-Bicêtre", "94")));
        assert_eq!(alias("Lyon"), None);
        assert_eq!(labelled("Montreuil (93100)"), Some(("Montreuil", "93100")));
        assert_eq!(labelled("Saint-Ouen (41)"), Some(("Saint-Ouen", "41")));
        assert_eq!(labelled("Montreuil"), None);
        assert_eq!(labelled("(93100)"), None);
        assert_eq!(with_departement("Montreuil 93"), Some(("Montreuil", "93")));
        assert_eq!(with_departement("St-Denis 974"), Some(("St-Denis", "974")));
        assert_eq!(
            with_departement("Paris 11"),
            Some(("Paris", "11")),
            "read as a département; arrondissements come first"
        );
        assert_eq!(with_departement("Montreuil"), None);
    }

    #[test]
    fn landmark_forms_drop_the_words_around_a_name() {
        assert_eq!(landmark_forms("place de la republique"), ["republique"]);
        assert_eq!(landmark_forms("gare st lazare"), ["st lazare"]);
        assert_eq!(landmark_forms("metro bastille"), ["bastille"]);
        assert_eq!(landmark_forms("station de metro nation"), ["nation"]);
        assert_eq!(landmark_forms("bastille metro"), ["bastille"]);
        assert_eq!(
            landmark_forms("gare de lyon paris"),
            ["gare de lyon", "lyon"]
        );
        assert!(landmark_forms("la defense").is_empty());
        assert!(landmark_forms("montreuil").is_empty());
        assert!(landmark_forms("gare").is_empty());
    }

    #[test]
    fn typos() {
        assert_eq!(typo_distance("montreuil", "montreuil", 2), Some(0));
        assert_eq!(typo_distance("montreil", "montreuil", 2), Some(1));
        assert_eq!(
            typo_distance("monteruil", "montreuil", 2),
            Some(1),
            "a transposition is one"
        );
        assert_eq!(typo_distance("vincenes", "vincennes", 1), Some(1));
        assert_eq!(typo_distance("paris", "lyon", 2), None);
        assert_eq!(typos_allowed("vitry"), 1);
        assert_eq!(typos_allowed("ivry"), 0);
        assert_eq!(typos_allowed("aubervilliers"), 2);
    }
}
