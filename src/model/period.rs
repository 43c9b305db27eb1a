//! Calendar months and quarters, the units insights count by, and the
//! period a report covers.

use std::fmt;

use jiff::ToSpan;
use jiff::civil::{Date, date};

use crate::stages::labels::Labels;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Month {
    year: i16,
    /// 1 to 12.
    month: i8,
}

impl Month {
    pub(crate) fn of(day: Date) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    pub(crate) fn first_day(self) -> Date {
        date(self.year, self.month, 1)
    }

    pub(crate) fn next(self) -> Month {
        Month::of(self.first_day().saturating_add(1.month()))
    }

    /// `Jan 2025`, for chart labels, in the labels' language.
    pub(crate) fn short(self, labels: &Labels) -> String {
        let month = labels.get(&format!("month_short_{}", self.month));
        labels.fill("month_year", &[("month", &month), ("year", &self.year)])
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A calendar quarter: January to March is Q1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Quarter {
    year: i16,
    /// 1 to 4.
    quarter: i8,
}

impl Quarter {
    pub(crate) fn of(day: Date) -> Quarter {
        Quarter {
            year: day.year(),
            quarter: (day.month() - 1) / 3 + 1,
        }
    }

    pub(crate) fn first_day(self) -> Date {
        date(self.year, (self.quarter - 1) * 3 + 1, 1)
    }

    pub(crate) fn last_day(self) -> Date {
        self.next()
            .first_day()
            .checked_sub(1.day())
            .unwrap_or(self.first_day())
    }

    pub(crate) fn next(self) -> Quarter {
        Quarter::of(self.first_day().saturating_add(3.months()))
    }

    /// `2025 Q1` in the labels' language; JSON keeps `Display`'s.
    pub(crate) fn name(self, labels: &Labels) -> String {
        labels.fill("quarter", &[("n", &self.quarter), ("year", &self.year)])
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Q{}", self.year, self.quarter)
    }
}

impl serde::Serialize for Quarter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The days a page or report covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Period {
    #[serde(serialize_with = "day")]
    pub(crate) since: Date,
    #[serde(serialize_with = "day")]
    pub(crate) until: Date,
}

/// A date as `2025-03-31`.
pub(crate) fn day<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

impl Period {
    /// The twelve months that end on `until`.
    pub(crate) fn year_to(until: Date) -> Period {
        let since = until
            .checked_sub(1.year())
            .and_then(|d| d.checked_add(1.day()))
            .unwrap_or(until);
        Period { since, until }
    }

    /// The `years` years that end on `until`, from the first day of a quarter.
    pub(crate) fn quarters_to(until: Date, quarters: i32) -> Period {
        let first = (1..quarters).fold(Quarter::of(until).first_day(), |day, _| {
            day.checked_sub(3.months()).unwrap_or(day)
        });
        Period {
            since: first,
            until,
        }
    }

    pub(crate) fn contains(&self, day: Date) -> bool {
        self.since <= day && day <= self.until
    }

    /// Every quarter with a day in the period, oldest first.
    pub(crate) fn quarters(&self) -> Vec<Quarter> {
        let last = Quarter::of(self.until);
        let mut quarters = vec![Quarter::of(self.since)];
        while let Some(&q) = quarters.last().filter(|q| **q < last) {
            quarters.push(q.next());
        }
        quarters
    }

    /// Every month with a day in the period, oldest first.
    pub(crate) fn months(&self) -> Vec<Month> {
        let last = Month::of(self.until);
        let mut months = vec![Month::of(self.since)];
        while let Some(&m) = months.last().filter(|m| **m < last) {
            months.push(m.next());
        }
        months
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_and_months_of_a_period() {
        let period = Period::year_to(date(2025, 5, 15));
        assert_eq!(period.since, date(2024, 5, 16));
        let quarters: Vec<String> = period.quarters().iter().map(|q| q.to_string()).collect();
        assert_eq!(
            quarters,
            ["2024 Q2", "2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"]
        );
        assert_eq!(period.months().len(), 13);
        assert_eq!(
            Quarter::of(date(2024, 12, 31)).last_day(),
            date(2024, 12, 31)
        );
        assert_eq!(Quarter::of(date(2024, 2, 1)).last_day(), date(2024, 3, 31));
        let eight = Period::quarters_to(date(2025, 5, 15), 8);
        assert_eq!(eight.since, date(2023, 7, 1));
        assert_eq!(eight.quarters().len(), 8);
    }
}
