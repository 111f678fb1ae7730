//! The night's table in markdown, one row per figure.

use super::Report;

fn num(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "–".into(), |v| format!("{v:.digits$}"))
}

/// A time where `None` is ∞.
fn inf(x: Option<f64>) -> String {
    x.map_or_else(|| "∞".into(), |v| format!("{v:.1}"))
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".into()
    } else {
        format!("{:.1} %", 100.0 * part as f64 / whole as f64)
    }
}

impl Report {
    pub fn share_skipping(&self) -> f64 {
        if self.acceptances == 0 {
            0.0
        } else {
            self.acceptances_skipping_older as f64 / self.acceptances as f64
        }
    }

    /// The table, in markdown.
    pub fn markdown(&self) -> String {
        let asks = self.asks_by_guests + self.asks_by_others;
        let mut rows: Vec<(String, String)> = vec![
            (
                "Minutes from request to accepted, median / p90".into(),
                format!(
                    "{} / {}",
                    num(self.minutes_to_accepted.median, 1),
                    num(self.minutes_to_accepted.p90, 1)
                ),
            ),
            (
                format!(
                    "… lower bound, over the {} parties with a compatible door, median / p90",
                    self.minutes_bound.placeable
                ),
                format!(
                    "{} / {}",
                    num(self.minutes_bound.over_placeable.median, 1),
                    num(self.minutes_bound.over_placeable.p90, 1)
                ),
            ),
            (
                format!(
                    "… lower bound for any night placing {} parties (their fastest bounds), median / p90",
                    self.parties_placed
                ),
                format!(
                    "{} / {}",
                    num(self.minutes_bound.as_many_as_placed.median, 1),
                    num(self.minutes_bound.as_many_as_placed.p90, 1)
                ),
            ),
            (
                format!(
                    "… lower bound with competition for places, for a night placing {} parties: median / p90 above",
                    self.parties_placed
                ),
                format!(
                    "{} / {}",
                    num(self.minutes_bound.with_competition.median, 1),
                    num(self.minutes_bound.with_competition.p90, 1)
                ),
            ),
            (
                "Minutes to accepted over every party (never placed: ∞), median / p90; lower bound"
                    .into(),
                format!(
                    "{} / {}; {} / {}",
                    inf(self.minutes_to_accepted_all.median),
                    inf(self.minutes_to_accepted_all.p90),
                    inf(self.minutes_bound.over_all.median),
                    inf(self.minutes_bound.over_all.p90)
                ),
            ),
            (
                "Asks per guest, mean / p90 (asks by others)".into(),
                format!(
                    "{} / {} ({})",
                    num(self.asks_per_guest.mean, 1),
                    num(self.asks_per_guest.p90, 0),
                    self.asks_by_others
                ),
            ),
            (
                "Asks per party by anyone (the platform too), mean / p90".into(),
                format!(
                    "{} / {}",
                    num(self.asks_all_per_guest.mean, 1),
                    num(self.asks_all_per_guest.p90, 0)
                ),
            ),
            (
                "Asks to always-declining hosts (of all asks)".into(),
                format!(
                    "{} of {} ({})",
                    self.asks_to_decliners,
                    asks,
                    pct(self.asks_to_decliners, asks)
                ),
            ),
            (
                "Asks to never-answering hosts".into(),
                format!(
                    "{} ({})",
                    self.asks_to_silent,
                    pct(self.asks_to_silent, asks)
                ),
            ),
            (
                "Holds expired unanswered (share of asks)".into(),
                format!("{} ({})", self.holds_expired, pct(self.holds_expired, asks)),
            ),
            ("Declines".into(), self.declines.to_string()),
            (
                "Host visits to answer an ask; other live asks answered in the same visit".into(),
                format!("{}; {}", self.host_visits, self.answered_on_visit),
            ),
            (
                "Paused offers their host opened again".into(),
                self.offers_resumed.to_string(),
            ),
            (
                "Host answers on a dead proposal: guest placed elsewhere / hold expired / other"
                    .into(),
                format!(
                    "{} / {} / {}",
                    self.dead_answers_placed_elsewhere,
                    self.dead_answers_expired,
                    self.dead_answers_other
                ),
            ),
            (
                "Asks refused by the service (door full, 409)".into(),
                self.asks_refused.to_string(),
            ),
            (
                "Persons placed / offline upper bound (of persons)".into(),
                format!(
                    "{} / {} ({}) of {}",
                    self.persons_placed,
                    self.persons_bound,
                    pct(self.persons_placed as usize, self.persons_bound as usize),
                    self.persons
                ),
            ),
            (
                "Parties placed".into(),
                format!(
                    "{} of {} ({})",
                    self.parties_placed,
                    self.guests,
                    pct(self.parties_placed, self.guests)
                ),
            ),
        ];
        for s in &self.by_size {
            rows.push((
                format!("Parties of {} placed (bound for this size alone)", s.size),
                format!(
                    "{:.0} % of {} ({:.0} %)",
                    100.0 * s.share,
                    s.parties,
                    100.0 * s.bound_share
                ),
            ));
        }
        if let [small, large] = self.by_group.as_slice() {
            rows.push((
                "Parties of 1–2 / 3–4 placed; against what supply allows each group alone (gap, points)"
                    .into(),
                format!(
                    "{:.0} % / {:.0} %; {:.0} % / {:.0} % ({:+.0})",
                    100.0 * small.share,
                    100.0 * large.share,
                    100.0 * small.against_supply(),
                    100.0 * large.against_supply(),
                    100.0 * (large.against_supply() - small.against_supply())
                ),
            ));
        }
        for h in &self.by_hour {
            rows.push((
                format!(
                    "Arrived in hour {}: placed; minutes to accepted, median / p90",
                    h.hour + 1
                ),
                format!(
                    "{} of {} ({}); {} / {}",
                    h.placed,
                    h.parties,
                    pct(h.placed, h.parties),
                    num(h.minutes.median, 1),
                    num(h.minutes.p90, 1)
                ),
            ));
        }
        rows.extend([
            (
                "Acceptances that skipped an older compatible waiting party".into(),
                format!(
                    "{} of {} ({})",
                    self.acceptances_skipping_older,
                    self.acceptances,
                    pct(self.acceptances_skipping_older, self.acceptances)
                ),
            ),
            (
                "… where that older party had an ask to spare (fewer live asks than allowed)"
                    .into(),
                format!(
                    "{} ({})",
                    self.acceptances_skipping_free,
                    pct(self.acceptances_skipping_free, self.acceptances)
                ),
            ),
            (
                "… of which that older party had one already when the accepted ask was made"
                    .into(),
                format!(
                    "{} ({})",
                    self.acceptances_skipping_free_at_ask,
                    pct(self.acceptances_skipping_free_at_ask, self.acceptances)
                ),
            ),
            (
                "Walking distance between exact points, km, median / p90".into(),
                format!(
                    "{} / {}",
                    num(self.walking_km.median, 2),
                    num(self.walking_km.p90, 2)
                ),
            ),
            (
                "… lower bound: each placed party alone, to its nearest compatible door, km, median / p90"
                    .into(),
                format!(
                    "{} / {}",
                    num(self.walking_km_nearest.median, 2),
                    num(self.walking_km_nearest.p90, 2)
                ),
            ),
            (
                "Walking distance per person placed, km, mean / median".into(),
                format!(
                    "{} / {}",
                    num(self.walking_km_persons.mean, 2),
                    num(self.walking_km_persons.median, 2)
                ),
            ),
            (
                "… lower bound: the placement of as many persons with the least total walk, km per person, mean (its median)"
                    .into(),
                format!(
                    "{} ({})",
                    num(self.walking_km_least.mean, 2),
                    num(self.walking_km_least.median, 2)
                ),
            ),
            (
                format!(
                    "Minutes to the door: to accepted, then the straight walk at {} km/h, median / p90",
                    super::super::measure::WALK_KMH
                ),
                format!(
                    "{} / {}",
                    num(self.minutes_to_door.median, 1),
                    num(self.minutes_to_door.p90, 1)
                ),
            ),
            (
                "Minutes to the door per person placed, mean / median".into(),
                format!(
                    "{} / {}",
                    num(self.minutes_to_door_persons.mean, 1),
                    num(self.minutes_to_door_persons.median, 1)
                ),
            ),
            (
                "… lower bound: the placement of as many persons soonest at the door (doors from their opening, hosts at their quickest), minutes per person, mean (its median)"
                    .into(),
                format!(
                    "{} ({})",
                    num(self.minutes_to_door_least.mean, 1),
                    num(self.minutes_to_door_least.median, 1)
                ),
            ),
            (
                "Overbookings (checked at every sweep)".into(),
                format!("{} (over {} sweeps)", self.overbookings, self.sweeps),
            ),
            (
                "Wall time: setup / night (s)".into(),
                format!(
                    "{:.1} / {:.1}",
                    self.wall_seconds_setup, self.wall_seconds_night
                ),
            ),
        ]);
        let mut out = format!(
            "Policy `{}`, seed {}, {} parties, {} offers, {} min, holds of {} min; {}\n\n| Measure | Value |\n|---|---|\n",
            self.policy,
            self.seed,
            self.guests,
            self.offers,
            self.minutes,
            self.hold_minutes,
            if self.hosts_one_by_one {
                "hosts answer only the ask they came for"
            } else {
                "a host's visit answers every live ask on their page"
            }
        );
        for (k, v) in rows {
            out.push_str(&format!("| {k} | {v} |\n"));
        }
        out
    }
}
