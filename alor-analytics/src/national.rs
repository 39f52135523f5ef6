//! The national report: one row per network per year, plus a row for all networks per year.

use std::collections::BTreeMap;

use super::catalogue::Report;
use super::dataset::{Dataset, Outcome};
use super::privacy::Suppression;
use super::table::{Sheet, Table};

/// The `network` value of the all-networks row of a year.
pub const ALL_NETWORKS: &str = "all";

#[derive(Debug, Clone, Default)]
struct Acc {
    gatherings: u64,
    capacity: u64,
    peak_sum: u64,
    peak_max: u64,
    registrations: u64,
    attendances: u64,
    anonymous: u64,
    first_time: u64,
    first_time_national: u64,
    persons: u64,
    organisations: u64,
    new_organisations: u64,
    private: u64,
    public: u64,
    seats_taken: u64,
    no_shows: u64,
    ever_seated: u64,
    late: u64,
    waitlisted: u64,
    from_waitlist: u64,
}

impl Acc {
    fn add_gathering(&mut self, other: &Acc) {
        self.gatherings += other.gatherings;
        self.capacity += other.capacity;
        self.peak_sum += other.peak_sum;
        self.peak_max = self.peak_max.max(other.peak_max);
        self.registrations += other.registrations;
        self.attendances += other.attendances;
        self.anonymous += other.anonymous;
        self.first_time += other.first_time;
        self.first_time_national += other.first_time_national;
        self.private += other.private;
        self.public += other.public;
        self.seats_taken += other.seats_taken;
        self.no_shows += other.no_shows;
        self.ever_seated += other.ever_seated;
        self.late += other.late;
        self.waitlisted += other.waitlisted;
        self.from_waitlist += other.from_waitlist;
    }
}

impl Dataset {
    /// The national report (*the table sent with the yearly grant report*): one row per network
    /// per year, and after each year's networks a row `network = "all"` for all networks.
    ///
    /// Additive counts of the `all` row are the sums of the networks' rows; distinct persons and
    /// organisations in the `all` row are counted nationally (a person attending two networks
    /// counts once), and its `new_organisations` are organisations attending any network for the
    /// first time. Suppression treats each year's network rows and its `all` row as additive
    /// groups, so a hidden network cell cannot be recovered from the national total.
    pub fn national_report(&self, rule: Suppression) -> Table {
        let first_time = self.first_time();
        let stats = self.gathering_stats();
        let reach = self.reach();
        let mut rows: BTreeMap<(i32, u8, &str), Acc> = BTreeMap::new();
        for (g, info) in self.gatherings.iter().enumerate() {
            let (ft, st) = (&first_time[g], &stats[g]);
            let mut private = 0u64;
            let mut public = 0u64;
            for r in self.rows_of(g) {
                if self.outcome[r] == Outcome::Attended {
                    match self.sector[r] {
                        alor_core::Sector::Private => private += 1,
                        alor_core::Sector::Public => public += 1,
                    }
                }
            }
            let acc = Acc {
                gatherings: 1,
                capacity: u64::from(info.info.capacity),
                peak_sum: u64::from(info.info.peak_waitlist),
                peak_max: u64::from(info.info.peak_waitlist),
                registrations: u64::from(st.registrations),
                attendances: u64::from(ft.attendees),
                anonymous: u64::from(ft.anonymous),
                first_time: u64::from(ft.first_time_network),
                first_time_national: u64::from(ft.first_time_national),
                private,
                public,
                seats_taken: u64::from(st.seats_taken),
                no_shows: u64::from(st.no_shows),
                ever_seated: u64::from(st.ever_seated),
                late: u64::from(st.late_cancellations),
                waitlisted: u64::from(st.waitlisted),
                from_waitlist: u64::from(st.seated_from_waitlist),
                ..Acc::default()
            };
            let net = self.networks[info.network as usize].as_str();
            rows.entry((info.year, 0, net))
                .or_default()
                .add_gathering(&acc);
            rows.entry((info.year, 1, ALL_NETWORKS))
                .or_default()
                .add_gathering(&acc);
        }
        for r in &reach {
            let net = self.networks[r.network as usize].as_str();
            if let Some(acc) = rows.get_mut(&(r.year, 0, net)) {
                acc.persons = u64::from(r.persons);
                acc.organisations = u64::from(r.organisations);
                acc.new_organisations = u64::from(r.new_organisations);
            }
        }
        // Distinct persons and organisations per year, nationally.
        let mut person_stamp = vec![i32::MIN; self.person_keys.len()];
        let mut org_stamp = vec![i32::MIN; self.organisations.len()];
        for (g, info) in self.gatherings.iter().enumerate() {
            let Some(acc) = rows.get_mut(&(info.year, 1, ALL_NETWORKS)) else {
                continue;
            };
            for r in self.rows_of(g) {
                if self.outcome[r] != Outcome::Attended {
                    continue;
                }
                let p = self.person[r] as usize;
                if person_stamp[p] != info.year {
                    person_stamp[p] = info.year;
                    acc.persons += 1;
                }
                let o = self.organisation[r] as usize;
                if org_stamp[o] != info.year {
                    // Chronological order: an organisation never stamped attends for the first
                    // time anywhere.
                    if org_stamp[o] == i32::MIN {
                        acc.new_organisations += 1;
                    }
                    org_stamp[o] = info.year;
                    acc.organisations += 1;
                }
            }
        }
        let keys: Vec<(i32, u8, &str)> = rows.keys().copied().collect();
        let accs: Vec<&Acc> = rows.values().collect();
        let n = keys.len();
        let mut sheet = Sheet::new(Report::NationalReport.name(), n);
        sheet.text("network", keys.iter().map(|k| k.2.to_owned()).collect());
        sheet.int("year", keys.iter().map(|k| Some(i64::from(k.0))).collect());
        let int = |f: fn(&Acc) -> u64| -> Vec<Option<i64>> {
            accs.iter().map(|a| i64::try_from(f(a)).ok()).collect()
        };
        sheet.int("gatherings", int(|a| a.gatherings));
        sheet.int("capacity", int(|a| a.capacity));
        let col = |f: fn(&Acc) -> u64| -> Vec<u64> { accs.iter().map(|a| f(a)).collect() };
        let registrations = sheet.count("registrations", col(|a| a.registrations));
        let attendances = sheet.count("attendances", col(|a| a.attendances));
        sheet.count("unique_participants", col(|a| a.persons));
        let first = sheet.count("first_time", col(|a| a.first_time));
        let returning = sheet.count(
            "returning",
            col(|a| a.attendances - a.anonymous - a.first_time),
        );
        let anonymous = sheet.count("anonymous", col(|a| a.anonymous));
        sheet.derived(
            "first_time_share",
            accs.iter()
                .map(|a| {
                    let d = a.attendances - a.anonymous;
                    (d > 0).then(|| a.first_time as f64 / d as f64)
                })
                .collect(),
            vec![first, returning, anonymous, attendances],
        );
        let first_national = sheet.count("first_time_national", col(|a| a.first_time_national));
        sheet.count("unique_organisations", col(|a| a.organisations));
        sheet.count("new_organisations", col(|a| a.new_organisations));
        let private = sheet.count("private_attendances", col(|a| a.private));
        let public = sheet.count("public_attendances", col(|a| a.public));
        sheet.ratio("private_share", private, attendances);
        let taken = sheet.count("seats_taken", col(|a| a.seats_taken));
        sheet.derived(
            "fill_rate",
            accs.iter()
                .map(|a| (a.capacity > 0).then(|| a.seats_taken as f64 / a.capacity as f64))
                .collect(),
            vec![taken],
        );
        let no_shows = sheet.count("no_shows", col(|a| a.no_shows));
        sheet.derived(
            "no_show_rate",
            accs.iter()
                .map(|a| {
                    let d = a.attendances + a.no_shows;
                    (d > 0).then(|| a.no_shows as f64 / d as f64)
                })
                .collect(),
            vec![no_shows, attendances],
        );
        let seated = sheet.count("ever_seated", col(|a| a.ever_seated));
        let late = sheet.count("late_cancellations", col(|a| a.late));
        sheet.ratio("late_cancellation_rate", late, seated);
        sheet.int("peak_waitlist", int(|a| a.peak_max));
        sheet.derived(
            "waitlist_pressure",
            accs.iter()
                .map(|a| (a.capacity > 0).then(|| a.peak_sum as f64 / a.capacity as f64))
                .collect(),
            vec![],
        );
        let waitlisted = sheet.count("waitlisted", col(|a| a.waitlisted));
        let from_wait = sheet.count("seated_from_waitlist", col(|a| a.from_waitlist));
        sheet.ratio("seated_from_waitlist_share", from_wait, waitlisted);
        for r in 0..n {
            sheet.row_group(r, &[first, returning, anonymous], attendances);
            sheet.row_group(r, &[private, public], attendances);
        }
        let additive = [
            registrations,
            attendances,
            first,
            returning,
            anonymous,
            first_national,
            private,
            public,
            taken,
            no_shows,
            seated,
            late,
            waitlisted,
            from_wait,
        ];
        let mut start = 0;
        while start < n {
            let year = keys[start].0;
            let end = keys[start..]
                .iter()
                .position(|k| k.0 != year)
                .map_or(n, |p| start + p);
            let total = end - 1;
            let members: Vec<usize> = (start..total).collect();
            for &c in &additive {
                sheet.column_group(c, &members, total);
            }
            start = end;
        }
        sheet.finish(rule)
    }
}
