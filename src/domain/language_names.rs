//! What people type in the optional "languages" field of a form: ISO codes
//! ("ar"), or language names in French or English ("arabe", "Arabic"),
//! separated by commas, "et", "and"… Known names become [`Lang`] codes (the
//! matcher compares those); anything else is kept as the person wrote it, so
//! that an optional field never blocks a request and nothing typed is lost.

use super::gazetteer::fold;
use super::values::Lang;

/// Names (folded: lower case, no accents) → ISO 639-1 code. The languages
/// people in France most often speak or ask for, in French and English,
/// with the usual other spellings.
const NAMES: &[(&str, &str)] = &[
    ("francais", "fr"),
    ("french", "fr"),
    ("anglais", "en"),
    ("english", "en"),
    ("arabe", "ar"),
    ("arabic", "ar"),
    ("darija", "ar"),
    ("espagnol", "es"),
    ("spanish", "es"),
    ("castillan", "es"),
    ("allemand", "de"),
    ("german", "de"),
    ("italien", "it"),
    ("italian", "it"),
    ("portugais", "pt"),
    ("portuguese", "pt"),
    ("bresilien", "pt"),
    ("russe", "ru"),
    ("russian", "ru"),
    ("ukrainien", "uk"),
    ("ukrainian", "uk"),
    ("polonais", "pl"),
    ("polish", "pl"),
    ("roumain", "ro"),
    ("romanian", "ro"),
    ("neerlandais", "nl"),
    ("hollandais", "nl"),
    ("flamand", "nl"),
    ("dutch", "nl"),
    ("grec", "el"),
    ("greek", "el"),
    ("turc", "tr"),
    ("turkish", "tr"),
    ("kurde", "ku"),
    ("kurdish", "ku"),
    ("persan", "fa"),
    ("farsi", "fa"),
    ("persian", "fa"),
    ("dari", "fa"),
    ("pachto", "ps"),
    ("pashto", "ps"),
    ("pachtou", "ps"),
    ("ourdou", "ur"),
    ("urdu", "ur"),
    ("hindi", "hi"),
    ("bengali", "bn"),
    ("bangla", "bn"),
    ("tamoul", "ta"),
    ("tamil", "ta"),
    ("chinois", "zh"),
    ("chinese", "zh"),
    ("mandarin", "zh"),
    ("japonais", "ja"),
    ("japanese", "ja"),
    ("coreen", "ko"),
    ("korean", "ko"),
    ("vietnamien", "vi"),
    ("vietnamese", "vi"),
    ("hebreu", "he"),
    ("hebrew", "he"),
    ("armenien", "hy"),
    ("armenian", "hy"),
    ("georgien", "ka"),
    ("georgian", "ka"),
    ("tchetchene", "ce"),
    ("chechen", "ce"),
    ("albanais", "sq"),
    ("albanian", "sq"),
    ("serbe", "sr"),
    ("serbian", "sr"),
    ("croate", "hr"),
    ("croatian", "hr"),
    ("bosniaque", "bs"),
    ("bosnian", "bs"),
    ("bulgare", "bg"),
    ("bulgarian", "bg"),
    ("hongrois", "hu"),
    ("hungarian", "hu"),
    ("tcheque", "cs"),
    ("czech", "cs"),
    ("suedois", "sv"),
    ("swedish", "sv"),
    ("amharique", "am"),
    ("amharic", "am"),
    ("tigrinya", "ti"),
    ("tigrigna", "ti"),
    ("somali", "so"),
    ("swahili", "sw"),
    ("wolof", "wo"),
    ("bambara", "bm"),
    ("lingala", "ln"),
    ("peul", "ff"),
    ("fula", "ff"),
    ("pular", "ff"),
    ("haoussa", "ha"),
    ("hausa", "ha"),
    ("yoruba", "yo"),
    ("malgache", "mg"),
    ("malagasy", "mg"),
    ("creole haitien", "ht"),
    ("haitian creole", "ht"),
    ("breton", "br"),
    ("basque", "eu"),
    ("catalan", "ca"),
    ("corse", "co"),
    ("corsican", "co"),
    ("occitan", "oc"),
];

/// What a languages field said: the languages recognised, and the rest as
/// typed (each part trimmed, empty parts dropped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LanguagesTyped {
    pub known: Vec<Lang>,
    pub other: Vec<String>,
}

/// One language, by ISO 639-1 code or by name in French or English.
pub fn lang_from_name(raw: &str) -> Option<Lang> {
    let key = fold(raw);
    if key.len() == 2 {
        return Lang::new(&key).ok();
    }
    NAMES
        .iter()
        .find(|(name, _)| *name == key)
        .and_then(|(_, code)| Lang::new(code).ok())
}

/// Reads a whole field: "anglais, arabe", "English and Tamil", "fr en",
/// "arabe; langue des signes". A part made only of known words (codes or
/// one-word names) gives each; a part that is one known name gives it; any
/// other part is kept as typed in `other`.
pub fn read(text: &str) -> LanguagesTyped {
    let mut out = LanguagesTyped::default();
    let spaced = format!(" {} ", text.replace([',', ';', '/', '+', '&'], " , "));
    let parts = spaced
        .replace(" et ", " , ")
        .replace(" and ", " , ")
        .replace(" ET ", " , ")
        .replace(" AND ", " , ");
    for part in parts.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if let Some(l) = lang_from_name(part) {
            out.known.push(l);
            continue;
        }
        let words: Option<Vec<Lang>> = part.split_whitespace().map(lang_from_name).collect();
        match words {
            Some(ls) if !ls.is_empty() => out.known.extend(ls),
            _ => out.other.push(part.to_owned()),
        }
    }
    out.known.sort();
    out.known.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(t: &LanguagesTyped) -> Vec<&str> {
        t.known.iter().map(Lang::as_str).collect()
    }

    #[test]
    fn names_in_french_and_english_and_codes() {
        assert_eq!(codes(&read("anglais, arabe")), vec!["ar", "en"]);
        assert_eq!(codes(&read("English")), vec!["en"]);
        assert_eq!(codes(&read("fr en")), vec!["en", "fr"]);
        assert_eq!(codes(&read("Français et Créole haïtien")), vec!["fr", "ht"]);
        assert_eq!(codes(&read("ARABIC and Tamil")), vec!["ar", "ta"]);
        assert_eq!(codes(&read("espagnol;portugais/ES")), vec!["es", "pt"]);
        assert!(read("anglais, arabe").other.is_empty());
    }

    #[test]
    fn the_rest_is_kept_as_typed() {
        let t = read("arabe, langue des signes, kabyle");
        assert_eq!(codes(&t), vec!["ar"]);
        assert_eq!(t.other, vec!["langue des signes", "kabyle"]);
        let t = read("xx");
        assert!(t.known.is_empty());
        assert_eq!(t.other, vec!["xx"]);
        assert_eq!(read("  ,, ; "), LanguagesTyped::default());
    }

    #[test]
    fn every_name_maps_to_a_real_code() {
        for (name, code) in NAMES {
            assert_eq!(fold(name), *name, "names are stored folded");
            assert!(Lang::new(code).is_ok(), "{name} → {code}");
        }
    }
}
