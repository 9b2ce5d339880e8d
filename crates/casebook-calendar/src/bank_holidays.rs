//! The official bank holidays of each UK nation, from GOV.UK's feed, vendored in
//! `data/bank-holidays.json` (see `data/LICENCE.md`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::civil::Date;
use serde::Deserialize;

use crate::error::{CalendarError, invalid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nation {
    EnglandAndWales,
    Scotland,
    NorthernIreland,
}

impl Nation {
    pub const ALL: [Nation; 3] = [
        Nation::EnglandAndWales,
        Nation::Scotland,
        Nation::NorthernIreland,
    ];

    /// The division's name in GOV.UK's feed, and in casebook's rule packs.
    pub fn division(self) -> &'static str {
        match self {
            Nation::EnglandAndWales => "england-and-wales",
            Nation::Scotland => "scotland",
            Nation::NorthernIreland => "northern-ireland",
        }
    }

    pub fn parse(text: &str) -> Result<Nation, CalendarError> {
        Self::ALL.into_iter().find(|n| n.division() == text).map_or_else(
            || invalid(format!("\"{text}\" is not a UK nation: use england-and-wales, scotland or northern-ireland.")),
            Ok,
        )
    }
}

/// Which bank holidays stop the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holidays {
    /// One nation's, as most deadlines count them.
    Nation(Nation),
    /// Any part of the UK's: FOIA 2000 s.10(6).
    AnyUk,
    /// None: a jurisdiction outside the UK.
    None,
}

pub struct BankHolidays {
    days: BTreeMap<Date, Vec<(Nation, String)>>,
    last: Date,
}

#[derive(Deserialize)]
struct Division {
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    title: String,
    date: String,
}

impl BankHolidays {
    /// The vendored official list. Parsed once; a test proves the vendored file parses.
    pub fn official() -> &'static BankHolidays {
        static OFFICIAL: OnceLock<BankHolidays> = OnceLock::new();
        OFFICIAL.get_or_init(|| {
            BankHolidays::parse(include_str!("../data/bank-holidays.json")).unwrap_or(
                BankHolidays {
                    days: BTreeMap::new(),
                    last: Date::MIN,
                },
            )
        })
    }

    pub fn parse(json: &str) -> Result<BankHolidays, CalendarError> {
        let feed: BTreeMap<String, Division> = serde_json::from_str(json).map_err(|e| {
            CalendarError::Invalid(format!("The bank holiday list cannot be read: {e}."))
        })?;
        let mut days: BTreeMap<Date, Vec<(Nation, String)>> = BTreeMap::new();
        for nation in Nation::ALL {
            let Some(division) = feed.get(nation.division()) else {
                return invalid(format!(
                    "The bank holiday list has no {} division.",
                    nation.division()
                ));
            };
            for event in &division.events {
                let date: Date = event.date.parse().map_err(|_| {
                    CalendarError::Invalid(format!(
                        "The bank holiday list has a bad date: {}.",
                        event.date
                    ))
                })?;
                days.entry(date)
                    .or_default()
                    .push((nation, event.title.replace('’', "'")));
            }
        }
        let last = days.keys().next_back().copied().unwrap_or(Date::MIN);
        Ok(BankHolidays { days, last })
    }

    /// The holiday's name when `date` is a bank holiday that counts under `which`.
    pub fn on(&self, date: Date, which: Holidays) -> Option<String> {
        let found = self.days.get(&date)?;
        match which {
            Holidays::None => None,
            Holidays::Nation(nation) => found
                .iter()
                .find(|(n, _)| *n == nation)
                .map(|(_, t)| t.clone()),
            Holidays::AnyUk => found.first().map(|(nation, title)| match nation {
                Nation::EnglandAndWales => title.clone(),
                Nation::Scotland => format!("{title} (Scotland)"),
                Nation::NorthernIreland => format!("{title} (Northern Ireland)"),
            }),
        }
    }

    /// The last date the published list covers: later dates may gain bank holidays.
    pub fn known_until(&self) -> Date {
        self.last
    }
}
