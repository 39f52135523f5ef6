//! A self-contained HTML report with inline SVG charts: no scripts, fonts, images or styles
//! from elsewhere, so it opens offline and can be mailed as one file.

use std::fmt::Write as _;

use super::catalogue::Report;
use super::dataset::Dataset;
use super::national::ALL_NETWORKS;
use super::privacy::Suppression;
use super::table::{Table, Values};
use alor_core::check::{fill, lookup_in, Text};
use alor_core::Locale;

/// Escapes text for HTML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The report's words, one row per text and one column per locale, as the core's own table
/// (`alor_core::check::TEXTS`) is: one way to localise across the crates. Sorted by key.
const WORDS: &[Text] = &[
    Text::new("column.attendances", "Deltakelser", "Deltakingar", "Attendances"),
    Text::new("column.capacity", "Plasser", "Plassar", "Seats"),
    Text::new("column.fill_rate", "Fyllingsgrad", "Fyllingsgrad", "Fill rate"),
    Text::new("column.first_time", "Nye i nettverket", "Nye i nettverket", "First time in network"),
    Text::new("column.first_time_share", "Andel nye", "Del nye", "First-time share"),
    Text::new("column.gatherings", "Samlinger", "Samlingar", "Gatherings"),
    Text::new("column.late_cancellation_rate", "Andel sene avbud", "Del seine avbod", "Late-cancellation rate"),
    Text::new("column.network", "Nettverk", "Nettverk", "Network"),
    Text::new("column.new_organisations", "Nye virksomheter", "Nye verksemder", "New organisations"),
    Text::new("column.no_show_rate", "Andel uteblitt", "Del som ikkje møtte", "No-show rate"),
    Text::new("column.private_share", "Andel privat", "Del privat", "Private share"),
    Text::new("column.registrations", "Påmeldinger", "Påmeldingar", "Registrations"),
    Text::new("column.unique_organisations", "Virksomheter", "Verksemder", "Organisations"),
    Text::new("column.unique_participants", "Unike deltakere", "Unike deltakarar", "Unique participants"),
    Text::new("column.waitlist_pressure", "Ventelistepress", "Ventelistepress", "Waitlist pressure"),
    Text::new("column.year", "År", "År", "Year"),
    Text::new("report.all", "Alle nettverk", "Alle nettverk", "All networks"),
    Text::new("report.fill", "Fyllingsgrad", "Fyllingsgrad", "Fill rate"),
    Text::new("report.fill_desc", "Linjediagram over andelen av plassene som ble tatt, per år, for alle nettverk samlet.", "Linjediagram over delen av plassane som vart tekne, per år, for alle nettverk samla.", "Line chart of the share of seats taken, per year, all networks together."),
    Text::new("report.first_time", "Andel nye deltakere", "Del nye deltakarar", "First-time share"),
    Text::new("report.first_time_desc", "Linjediagram over andelen deltakere som var med for første gang i nettverket, per år, for alle nettverk samlet.", "Linjediagram over delen av deltakarane som var med for første gong i nettverket, per år, for alle nettverk samla.", "Line chart of the share of attendees who came to the network for the first time, per year, all networks together."),
    Text::new("report.hidden", "skjult", "skjult", "hidden"),
    Text::new("report.intro", "Rapporten viser deltakelse i alor-nettverkene per år: andel nye deltakere, fyllingsgrad, press på ventelistene og fordeling på sektor. Tallene er for alle nettverk samlet.", "Rapporten viser deltaking i alor-nettverka per år: del nye deltakarar, fyllingsgrad, press på ventelistene og fordeling på sektor. Tala er for alle nettverk samla.", "This report shows participation in the alor networks per year: first-time share, fill rate, waitlist pressure and sector mix. Figures are for all networks together."),
    Text::new("report.no_data", "Ingen data", "Ingen data", "No data"),
    Text::new("report.pressure", "Press på ventelisten", "Press på ventelista", "Waitlist pressure"),
    Text::new("report.pressure_desc", "Stolpediagram over lengste venteliste delt på antall plasser, per år, summert over samlingene.", "Stolpediagram over lengste venteliste delt på talet på plassar, per år, summert over samlingane.", "Bar chart of peak waitlist divided by capacity, per year, summed over gatherings."),
    Text::new("report.private", "Privat", "Privat", "Private"),
    Text::new("report.public", "Offentlig", "Offentleg", "Public"),
    Text::new("report.sector", "Fordeling på sektor", "Fordeling på sektor", "Sector mix"),
    Text::new("report.sector_desc", "Stablede stolper per år med andelen deltakelser fra privat og offentlig virksomhet.", "Stabla stolpar per år med delen deltakingar frå privat og offentleg verksemd.", "Stacked bars per year with the share of attendances from private and public organisations."),
    Text::new("report.suppressed", "Tall under {k} er skjult (prikket), og flere celler er skjult der summer ellers ville avslørt dem. Skjulte celler vises som «–».", "Tal under {k} er skjulte (prikka), og fleire celler er skjulte der summar elles ville avslørt dei. Skjulte celler blir viste som «–».", "Counts below {k} are hidden (suppressed), and further cells are hidden where totals would otherwise reveal them. Hidden cells show as “–”."),
    Text::new("report.table_title", "Nasjonal rapport", "Nasjonal rapport", "National report"),
    Text::new("report.title", "alor-nettverkene: deltakelse", "alor-nettverka: deltaking", "alor networks: participation"),
    Text::new("report.unsuppressed", "Obs: tallene er ikke prikket og skal ikke publiseres.", "Merk: tala er ikkje prikka og skal ikkje publiserast.", "Note: figures are not suppressed and must not be published."),
    Text::new("report.year", "År", "År", "Year"),
];

/// The words of one locale.
#[derive(Clone, Copy)]
struct Words(Locale);

impl Words {
    fn get(self, key: &str) -> &'static str {
        lookup_in(WORDS, key, self.0).unwrap_or("")
    }
}

fn column_label(name: &str, locale: Locale) -> &str {
    lookup_in(WORDS, &format!("column.{name}"), locale).unwrap_or(name)
}

/// The columns of the national report shown in the HTML table.
const SHOWN: [&str; 15] = [
    "network",
    "year",
    "gatherings",
    "capacity",
    "registrations",
    "attendances",
    "unique_participants",
    "first_time",
    "first_time_share",
    "unique_organisations",
    "new_organisations",
    "private_share",
    "fill_rate",
    "no_show_rate",
    "waitlist_pressure",
];

fn percent(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// A series of (year, value) points; `None` is a hidden or missing value (a gap).
type Series = Vec<(i64, Option<f64>)>;

const W: f64 = 560.0;
const H: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;

fn x_of(i: usize, n: usize) -> f64 {
    let inner = W - LEFT - RIGHT;
    if n <= 1 {
        LEFT + inner / 2.0
    } else {
        LEFT + inner * i as f64 / (n - 1) as f64
    }
}

fn y_of(v: f64, max: f64) -> f64 {
    TOP + (H - TOP - BOTTOM) * (1.0 - (v / max).clamp(0.0, 1.0))
}

fn axes(out: &mut String, years: &[i64], max: f64, band: bool) {
    // Horizontal grid at 0, 25, 50, 75, 100 % of max.
    for step in 0..=4 {
        let v = max * f64::from(step) / 4.0;
        let y = y_of(v, max);
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" class=\"grid\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">{}</text>",
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            percent(v)
        );
    }
    let n = years.len();
    let every = n.div_ceil(10).max(1);
    for (i, year) in years.iter().enumerate() {
        if i % every != 0 && i + 1 != n {
            continue;
        }
        let x = if band {
            band_x(i, n) + band_w(n) / 2.0
        } else {
            x_of(i, n)
        };
        let _ = write!(
            out,
            "<text x=\"{x:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"middle\">{year}</text>",
            H - BOTTOM + 18.0
        );
    }
}

fn band_w(n: usize) -> f64 {
    (W - LEFT - RIGHT) / n.max(1) as f64
}

fn band_x(i: usize, n: usize) -> f64 {
    LEFT + band_w(n) * i as f64
}

fn open_svg(out: &mut String, id: &str, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" id=\"{id}\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(desc)
    );
}

/// The top of the value axis: the smallest round value at or above the data, so the four grid
/// steps are whole percentages.
fn nice_max(series: &Series) -> f64 {
    let top = series.iter().filter_map(|p| p.1).fold(0.0f64, f64::max);
    const STEPS: [f64; 10] = [0.04, 0.08, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.6, 2.0];
    STEPS
        .into_iter()
        .find(|s| top <= *s)
        .unwrap_or_else(|| (top / 2.0).ceil() * 2.0)
}

fn line_chart(id: &str, title: &str, desc: &str, series: &Series, words: Words) -> String {
    let mut out = String::new();
    open_svg(&mut out, id, title, desc);
    let years: Vec<i64> = series.iter().map(|p| p.0).collect();
    let max = nice_max(series);
    axes(&mut out, &years, max, false);
    let n = series.len();
    let mut segment: Vec<String> = Vec::new();
    let flush = |segment: &mut Vec<String>, out: &mut String| {
        if segment.len() > 1 {
            let _ = write!(
                out,
                "<polyline class=\"line\" points=\"{}\"/>",
                segment.join(" ")
            );
        }
        segment.clear();
    };
    for (i, (year, v)) in series.iter().enumerate() {
        match v {
            Some(v) => segment.push(format!("{:.1},{:.1}", x_of(i, n), y_of(*v, max))),
            None => flush(&mut segment, &mut out),
        }
        let _ = year;
    }
    flush(&mut segment, &mut out);
    for (i, (year, v)) in series.iter().enumerate() {
        if let Some(v) = v {
            let _ = write!(
                out,
                "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"><title>{year}: {}</title></circle>",
                x_of(i, n),
                y_of(*v, max),
                percent(*v)
            );
        }
    }
    if series.is_empty() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>",
            W / 2.0,
            H / 2.0,
            words.get("report.no_data")
        );
    }
    out.push_str("</svg>");
    out
}

fn bar_chart(id: &str, title: &str, desc: &str, series: &Series, words: Words) -> String {
    let mut out = String::new();
    open_svg(&mut out, id, title, desc);
    let years: Vec<i64> = series.iter().map(|p| p.0).collect();
    let max = nice_max(series);
    axes(&mut out, &years, max, true);
    let n = series.len();
    for (i, (year, v)) in series.iter().enumerate() {
        let x = band_x(i, n) + band_w(n) * 0.15;
        let w = band_w(n) * 0.7;
        match v {
            Some(v) => {
                let y = y_of(*v, max);
                let _ = write!(
                    out,
                    "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\"><title>{year}: {}</title></rect>",
                    (H - BOTTOM - y).max(0.0),
                    percent(*v)
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"middle\">–<title>{year}: {}</title></text>",
                    x + w / 2.0,
                    H - BOTTOM - 4.0,
                    words.get("report.hidden")
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

fn stacked_chart(id: &str, title: &str, desc: &str, series: &Series, words: Words) -> String {
    let mut out = String::new();
    open_svg(&mut out, id, title, desc);
    let years: Vec<i64> = series.iter().map(|p| p.0).collect();
    axes(&mut out, &years, 1.0, true);
    let n = series.len();
    for (i, (year, v)) in series.iter().enumerate() {
        let x = band_x(i, n) + band_w(n) * 0.15;
        let w = band_w(n) * 0.7;
        let Some(private) = v else {
            continue;
        };
        let y_split = y_of(*private, 1.0);
        let _ = write!(
            out,
            "<rect class=\"private\" x=\"{x:.1}\" y=\"{y_split:.1}\" width=\"{w:.1}\" height=\"{:.1}\"><title>{year}: {} {}</title></rect><rect class=\"public\" x=\"{x:.1}\" y=\"{TOP:.1}\" width=\"{w:.1}\" height=\"{:.1}\"><title>{year}: {} {}</title></rect>",
            H - BOTTOM - y_split,
            words.get("report.private"),
            percent(*private),
            y_split - TOP,
            words.get("report.public"),
            percent(1.0 - private)
        );
    }
    let _ = write!(
        out,
        "<rect class=\"private\" x=\"{LEFT}\" y=\"{:.1}\" width=\"10\" height=\"10\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\">{}</text><rect class=\"public\" x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\">{}</text>",
        H - 12.0,
        LEFT + 14.0,
        H - 3.0,
        words.get("report.private"),
        LEFT + 90.0,
        H - 12.0,
        LEFT + 104.0,
        H - 3.0,
        words.get("report.public")
    );
    out.push_str("</svg>");
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#fff;color:#1a1a1a}main{max-width:1140px;margin:0 auto;padding:24px}h1{font-size:1.8rem;margin:0 0 .5rem}h2{font-size:1.2rem;margin:0 0 .5rem}p{max-width:70ch;line-height:1.45}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(540px,1fr));gap:24px}figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:12px}figcaption{font-weight:600;margin-bottom:8px}svg{max-width:100%;height:auto}.grid{stroke:#e3e3e3;stroke-width:1}.tick{font-size:11px;fill:#444}.line{fill:none;stroke:#0b5fa5;stroke-width:2.5}.dot{fill:#0b5fa5}.bar{fill:#b35806}.private{fill:#1b7837}.public{fill:#9970ab}table{border-collapse:collapse;font-size:.78rem;margin-top:8px}.table-wrap{overflow-x:auto}th,td{border:1px solid #ccc;padding:3px 5px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}tr.total td{font-weight:600;background:#fafafa}.note{color:#444;font-size:.9rem}";

impl Dataset {
    /// The HTML report: charts of the national first-time share, fill rate, waitlist pressure
    /// and sector mix over the years, and the national report table of the latest year, in
    /// Norwegian (bokmål) or English. Figures come from the suppressed national report, so the
    /// report shows nothing a published table would hide.
    pub fn html_report(&self, locale: Locale, rule: Suppression) -> String {
        let words = Words(locale);
        let report = self.report(Report::NationalReport, None, rule);
        let all_rows: Vec<usize> = (0..report.rows())
            .filter(|&r| report.text("network", r) == Some(ALL_NETWORKS))
            .collect();
        let year = |r: usize| report.int("year", r).unwrap_or_default();
        let series = |name: &str| -> Series {
            all_rows
                .iter()
                .map(|&r| (year(r), report.float(name, r)))
                .collect()
        };
        let mut out = String::with_capacity(64 * 1024);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><link rel=\"icon\" href=\"data:,\"><style>{STYLE}</style></head><body><main><h1>{}</h1><p>{}</p>",
            words.0.as_str(),
            esc(words.get("report.title")),
            esc(words.get("report.title")),
            esc(words.get("report.intro"))
        );
        let note = match rule.min_count() {
            Some(k) => fill(words.get("report.suppressed"), &[("k", &k.to_string())]),
            None => words.get("report.unsuppressed").to_owned(),
        };
        let _ = write!(
            out,
            "<p class=\"note\">{}</p><div class=\"charts\">",
            esc(&note)
        );
        let charts = [
            (
                "chart-first-time",
                words.get("report.first_time"),
                words.get("report.first_time_desc"),
                line_chart as fn(&str, &str, &str, &Series, Words) -> String,
                series("first_time_share"),
            ),
            (
                "chart-fill-rate",
                words.get("report.fill"),
                words.get("report.fill_desc"),
                line_chart,
                series("fill_rate"),
            ),
            (
                "chart-waitlist",
                words.get("report.pressure"),
                words.get("report.pressure_desc"),
                bar_chart,
                series("waitlist_pressure"),
            ),
            (
                "chart-sector",
                words.get("report.sector"),
                words.get("report.sector_desc"),
                stacked_chart,
                series("private_share"),
            ),
        ];
        for (id, title, desc, draw, data) in charts {
            let _ = write!(
                out,
                "<figure><figcaption id=\"{id}-caption\">{}</figcaption>",
                esc(title)
            );
            out.push_str(&draw(id, title, desc, &data, words));
            out.push_str("</figure>");
        }
        out.push_str("</div>");
        let latest = all_rows.last().map(|&r| year(r));
        let _ = write!(
            out,
            "<h2 id=\"national-table\">{} {}</h2>",
            esc(words.get("report.table_title")),
            latest.map(|y| y.to_string()).unwrap_or_default()
        );
        if let Some(latest) = latest {
            out.push_str(&table_html(&report, latest, words, locale));
        } else {
            let _ = write!(out, "<p>{}</p>", esc(words.get("report.no_data")));
        }
        out.push_str("</main></body></html>\n");
        out
    }
}

fn table_html(report: &Table, year: i64, words: Words, locale: Locale) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<div class=\"table-wrap\"><table aria-describedby=\"national-table\"><caption>{} {year}</caption><thead><tr>",
        esc(words.get("report.year"))
    );
    for name in SHOWN {
        let _ = write!(
            out,
            "<th scope=\"col\">{}</th>",
            esc(column_label(name, locale))
        );
    }
    out.push_str("</tr></thead><tbody>");
    for r in (0..report.rows()).filter(|&r| report.int("year", r) == Some(year)) {
        let total = report.text("network", r) == Some(ALL_NETWORKS);
        out.push_str(if total {
            "<tr class=\"total\">"
        } else {
            "<tr>"
        });
        for name in SHOWN {
            let cell = match report.column(name) {
                Some(Values::Text(v)) if name == "network" && total => {
                    words.get("report.all").to_owned()
                }
                Some(Values::Text(v)) => v[r].clone(),
                Some(Values::Int(v)) => v[r].map_or_else(|| "–".to_owned(), |x| x.to_string()),
                Some(Values::Float(v)) => v[r].map_or_else(|| "–".to_owned(), percent),
                None => String::new(),
            };
            if name == "network" {
                let _ = write!(out, "<th scope=\"row\">{}</th>", esc(&cell));
            } else {
                let _ = write!(out, "<td>{}</td>", esc(&cell));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

#[cfg(test)]
mod tests {
    use super::WORDS;
    use alor_core::Locale;

    #[test]
    fn the_words_are_sorted_unique_and_filled_in_every_locale() {
        for pair in WORDS.windows(2) {
            assert!(
                pair[0].key < pair[1].key,
                "{} then {}",
                pair[0].key,
                pair[1].key
            );
        }
        for row in WORDS {
            for locale in Locale::ALL {
                assert!(!row.get(locale).is_empty(), "{} in {locale:?}", row.key);
            }
        }
    }
}
