//! Every participant-facing text of the core, once: one row per message, one column per locale.
//!
//! Checks, labels and dates are all written from this table, so a page, a Python back end and a
//! server print the same sentence for the same key, and a new locale is one more column that the
//! compiler makes every row fill in. Rows are sorted by key (a test holds that), and a lookup is
//! a binary search. Templates take named values in braces (`{cap}`, `{at}`) through [`fill`].

use serde::{Deserialize, Serialize};

/// The language of messages and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    /// Norwegian bokmål (the default).
    #[default]
    Nb,
    /// Norwegian nynorsk: public bodies address the public in both written standards.
    Nn,
    /// English.
    En,
}

impl Locale {
    /// Every locale, in a stable order.
    pub const ALL: [Locale; 3] = [Locale::Nb, Locale::Nn, Locale::En];

    /// The names [`Locale::parse`] accepts, besides the canonical ones: `no` (Norwegian without a
    /// written standard named, which in practice means bokmål) and the region-tagged forms.
    pub const ALIASES: [(&'static str, Locale); 4] = [
        ("no", Locale::Nb),
        ("nb-NO", Locale::Nb),
        ("nn-NO", Locale::Nn),
        ("en-GB", Locale::En),
    ];

    /// The canonical name (`"nb"`, `"en"`): what every surface prints and the table's columns.
    pub const fn as_str(self) -> &'static str {
        match self {
            Locale::Nb => "nb",
            Locale::Nn => "nn",
            Locale::En => "en",
        }
    }

    /// A locale by name: a canonical name or one of [`Locale::ALIASES`]. Every binding parses
    /// locales here, so they accept the same names.
    pub fn parse(name: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|l| l.as_str() == name)
            .or_else(|| {
                Locale::ALIASES
                    .iter()
                    .find(|(a, _)| *a == name)
                    .map(|(_, l)| *l)
            })
    }
}

/// One row of the table: a key and its text in every locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    /// The stable key (`"outcome.seat"`, `"role.hr"`).
    pub key: &'static str,
    /// Norwegian bokmål.
    pub nb: &'static str,
    /// Norwegian nynorsk.
    pub nn: &'static str,
    /// English.
    pub en: &'static str,
}

impl Text {
    /// A row.
    pub const fn new(
        key: &'static str,
        nb: &'static str,
        nn: &'static str,
        en: &'static str,
    ) -> Text {
        Text { key, nb, nn, en }
    }

    /// The text in `locale`.
    pub const fn get(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::Nb => self.nb,
            Locale::Nn => self.nn,
            Locale::En => self.en,
        }
    }
}

/// The text of `key` in `locale`, if the table has the key.
pub fn lookup(key: &str, locale: Locale) -> Option<&'static str> {
    lookup_in(TEXTS, key, locale)
}

/// The text of `key` in `locale` in another table of the same kind, sorted by key (the
/// analytics report's words, say): one way to localise, whichever crate holds the texts.
pub fn lookup_in(table: &'static [Text], key: &str, locale: Locale) -> Option<&'static str> {
    table
        .binary_search_by(|t| t.key.cmp(key))
        .ok()
        .map(|i| table[i].get(locale))
}

/// The text of a key the core itself names. A missing key is a bug in this file, caught by the
/// tests that render every message; the key itself is shown rather than a panic.
pub(crate) fn text(key: &'static str, locale: Locale) -> &'static str {
    lookup(key, locale).unwrap_or(key)
}

/// Fills a template's `{name}` slots with values (a slot without a value stays as it is).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

const fn t(key: &'static str, nb: &'static str, nn: &'static str, en: &'static str) -> Text {
    Text::new(key, nb, nn, en)
}

/// The table, sorted by key.
pub const TEXTS: &[Text] = &[
    t("date.at", "{day}. {month} {year} kl. {hour}.{minute}", "{day}. {month} {year} kl. {hour}.{minute}", "{day} {month} {year} at {hour}:{minute} (Oslo time)"),
    t("date.at_repeated", "{day}. {month} {year} kl. {hour}.{minute} ({zone})", "{day}. {month} {year} kl. {hour}.{minute} ({zone})", "{day} {month} {year} at {hour}:{minute} (Oslo {zone})"),
    t("date.summer_time", "sommertid", "sommartid", "summer time"),
    t("date.winter_time", "vintertid", "vintertid", "winter time"),
    t("field.email.malformed", "E-postadressen ser ikke riktig ut. Den skal se slik ut: navn@virksomhet.no.", "E-postadressa ser ikkje rett ut. Ho skal sjå slik ut: namn@verksemd.no.", "The e-mail address does not look right. It should look like name@company.no."),
    t("field.email.required", "Skriv inn e-postadressen din.", "Skriv inn e-postadressa di.", "Please enter your e-mail address."),
    t("field.name.required", "Skriv inn navnet ditt.", "Skriv inn namnet ditt.", "Please enter your name."),
    t("field.organisation_name.required", "Skriv inn navnet på virksomheten din.", "Skriv inn namnet på verksemda di.", "Please enter the name of your organisation."),
    t("field.organisation_number.check_digit", "Organisasjonsnummeret har feil kontrollsiffer. Sjekk at du har skrevet det riktig.", "Organisasjonsnummeret har feil kontrollsiffer. Sjekk at du har skrive det rett.", "The organisation number has a wrong check digit. Please check that it is typed correctly."),
    t("field.organisation_number.not_nine_digits", "Organisasjonsnummeret må ha nøyaktig 9 sifre.", "Organisasjonsnummeret må ha nøyaktig 9 siffer.", "The organisation number must have exactly 9 digits."),
    t("field.organisation_number.required", "Skriv inn organisasjonsnummeret (9 sifre).", "Skriv inn organisasjonsnummeret (9 siffer).", "Please enter the organisation number (9 digits)."),
    t("field.phone.malformed", "Telefonnummeret må ha 8 til 15 sifre. Du kan skrive + foran landskoden.", "Telefonnummeret må ha 8 til 15 siffer. Du kan skrive + framfor landskoden.", "The phone number must have 8 to 15 digits, optionally with + and the country code."),
    t("field.role.out_of_range", "Velg en av rollene i listen.", "Vel ei av rollene i lista.", "Please choose one of the roles in the list."),
    t("field.role.required", "Velg rollen din.", "Vel rolla di.", "Please choose your role."),
    t("field.sector", "Velg om virksomheten er privat eller offentlig.", "Vel om verksemda er privat eller offentleg.", "Please choose whether the organisation is private or public."),
    t("month.01", "januar", "januar", "January"),
    t("month.02", "februar", "februar", "February"),
    t("month.03", "mars", "mars", "March"),
    t("month.04", "april", "april", "April"),
    t("month.05", "mai", "mai", "May"),
    t("month.06", "juni", "juni", "June"),
    t("month.07", "juli", "juli", "July"),
    t("month.08", "august", "august", "August"),
    t("month.09", "september", "september", "September"),
    t("month.10", "oktober", "oktober", "October"),
    t("month.11", "november", "november", "November"),
    t("month.12", "desember", "desember", "December"),
    t("noun.dates", "Datoene", "Datoane", "The dates"),
    t("noun.email", "E-postadressen", "E-postadressa", "The e-mail address"),
    t("noun.id", "Id-en", "Id-en", "The id"),
    t("noun.industry", "Bransjen", "Bransjen", "The industry"),
    t("noun.name", "Navnet", "Namnet", "The name"),
    t("noun.organisation_name", "Navnet på virksomheten", "Namnet på verksemda", "The organisation's name"),
    t("noun.organisation_number", "Organisasjonsnummeret", "Organisasjonsnummeret", "The organisation number"),
    t("noun.phone", "Telefonnummeret", "Telefonnummeret", "The phone number"),
    t("noun.policy", "Påmeldingsreglene", "Påmeldingsreglane", "The registration rules"),
    t("noun.reason", "Begrunnelsen", "Grunngjevinga", "The reason"),
    t("noun.role", "Rollen", "Rolla", "The role"),
    t("noun.sector", "Sektoren", "Sektoren", "The sector"),
    t("noun.title", "Tittelen", "Tittelen", "The title"),
    t("outcome.incomplete", "Fyll inn et gyldig organisasjonsnummer, så ser du om du får plass.", "Fyll inn eit gyldig organisasjonsnummer, så ser du om du får plass.", "Enter a valid organisation number to see whether you get a seat."),
    t("outcome.seat", "Du får plass på samlingen.", "Du får plass på samlinga.", "You get a seat at the gathering."),
    t("outcome.waitlist", "{why} Du kommer på venteliste som nummer {position}.", "{why} Du kjem på venteliste som nummer {position}.", "{why} You will be number {position} on the waitlist."),
    t("problem.control_characters", "{noun} inneholder tegn som ikke er tillatt.", "{noun} inneheld teikn som ikkje er tillatne.", "{noun} contains characters that are not allowed."),
    t("problem.invalid", "{noun} er ikke gyldig.", "{noun} er ikkje gyldig.", "{noun} is not valid."),
    t("problem.required", "{noun} mangler.", "{noun} manglar.", "{noun} is missing."),
    t("problem.too_long", "{noun} kan ikke være lengre enn {max} tegn.", "{noun} kan ikkje vere lengre enn {max} teikn.", "{noun} cannot be longer than {max} characters."),
    t("refused.gathering_full", "Samlingen er full, og det er ingen venteliste.", "Samlinga er full, og det er inga venteliste.", "The gathering is full, and there is no waitlist."),
    t("refused.gathering_started", "Samlingen har allerede begynt, så det er ikke lenger mulig å melde seg på.", "Samlinga har alt byrja, så det er ikkje lenger mogleg å melde seg på.", "The gathering has already started, so it is no longer possible to sign up."),
    t("refused.organisation_cap_reached", "Virksomheten din har nådd grensen på {cap} {seats} per virksomhet, og det er ingen venteliste.", "Verksemda di har nådd grensa på {cap} {seats} per verksemd, og det er inga venteliste.", "Your organisation has reached the limit of {cap} {seats} per organisation, and there is no waitlist."),
    t("refused.other", "Påmeldingen kan ikke tas imot.", "Påmeldinga kan ikkje takast imot.", "The sign-up cannot be accepted."),
    t("refused.registration_closed", "Påmeldingsfristen har gått ut. Påmeldingen stengte {at}.", "Påmeldingsfristen har gått ut. Påmeldinga stengde {at}.", "The registration deadline has passed. Registration closed {at}."),
    t("refused.registration_closed_manually", "Arrangøren har stengt påmeldingen.", "Arrangøren har stengt påmeldinga.", "The organisers have closed registration."),
    t("refused.registration_not_open", "Påmeldingen har ikke åpnet ennå. Den åpner {at}.", "Påmeldinga har ikkje opna enno. Ho opnar {at}.", "Registration has not opened yet. It opens {at}."),
    t("role.akan_contact", "Akan-kontakt", "Akan-kontakt", "Akan contact"),
    t("role.colleague", "Kollega", "Kollega", "Colleague"),
    t("role.hr", "HR / personalavdeling", "HR / personalavdeling", "HR / personnel"),
    t("role.hse", "HMS-personell", "HMS-personell", "Health, safety and environment"),
    t("role.manager", "Leder", "Leiar", "Manager"),
    t("role.occupational_health", "Bedriftshelsetjeneste", "Bedriftshelseteneste", "Occupational health service"),
    t("role.other", "Annet", "Anna", "Other"),
    t("role.safety_representative", "Verneombud", "Verneombod", "Safety representative"),
    t("role.union_representative", "Tillitsvalgt", "Tillitsvald", "Union representative"),
    t("sector.private", "Privat virksomhet", "Privat verksemd", "Private sector"),
    t("sector.public", "Offentlig virksomhet", "Offentleg verksemd", "Public sector"),
    t("unit.seat.one", "plass", "plass", "seat"),
    t("unit.seat.other", "plasser", "plassar", "seats"),
    t("wait.full", "Samlingen er full.", "Samlinga er full.", "The gathering is full."),
    t("wait.organisation_cap", "Virksomheten din har nådd grensen på {cap} {seats} per virksomhet.", "Verksemda di har nådd grensa på {cap} {seats} per verksemd.", "Your organisation has reached the limit of {cap} {seats} per organisation."),
    t("wait.others_waiting", "Det står allerede noen på venteliste foran deg.", "Det står alt nokon på venteliste framfor deg.", "Others are already waiting ahead of you."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_with_unique_keys_and_no_empty_text() {
        for pair in TEXTS.windows(2) {
            assert!(
                pair[0].key < pair[1].key,
                "{} then {}",
                pair[0].key,
                pair[1].key
            );
        }
        for row in TEXTS {
            for locale in Locale::ALL {
                assert!(
                    !row.get(locale).trim().is_empty(),
                    "{} in {locale:?}",
                    row.key
                );
            }
        }
    }

    #[test]
    fn templates_fill_named_slots_only() {
        assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "2")]), "1 and 2");
        assert_eq!(fill("{a} and {c}", &[("a", "1")]), "1 and {c}");
        assert_eq!(fill("open { brace", &[]), "open { brace");
        assert_eq!(fill("Ø {x}å", &[("x", "æ")]), "Ø æå");
    }

    #[test]
    fn locales_parse_by_name_and_alias() {
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.as_str()), Some(locale));
        }
        assert_eq!(Locale::parse("no"), Some(Locale::Nb));
        assert_eq!(Locale::parse("sv"), None);
        assert_eq!(Locale::parse("NB"), None);
    }
}
