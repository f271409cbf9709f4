//! Dates and periods as curators write them: `"1948"`, `"1948-10"`,
//! `"2002-03-28"`, `"~1990"` (approximate), and periods `"1979..1989"`,
//! `"1994.."`, `"..2001"`.
//!
//! A date keeps its precision: "1984" is the whole of 1984, not 1 January.
//! Comparisons therefore work on the first and last day a value can mean.

use std::cmp::Ordering;
use std::fmt;

/// A calendar date of year, month or day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// Written with a leading `~`: the source gives it only roughly.
    pub approx: bool,
}

/// A span of time; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Period {
    pub start: Option<Date>,
    pub end: Option<Date>,
}

/// When a relation held: at a point, or over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum When {
    Date(Date),
    Period(Period),
}

/// Why a date string was refused; the message completes "expected …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            if leap { 29 } else { 28 }
        }
    }
}

impl Date {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, optionally prefixed by `~`.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let (approx, body) = match text.strip_prefix('~') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let expected = || {
            DateError(format!(
                "a date like \"1948\", \"1948-10\" or \"1948-10-05\" (with \"~\" in front when approximate), found \"{text}\""
            ))
        };
        let mut parts = body.split('-');
        let year_text = parts.next().ok_or_else(expected)?;
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(expected());
        }
        let year: i32 = year_text.parse().map_err(|_| expected())?;
        let mut number = |max: u32| -> Result<Option<u8>, DateError> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    let n: u32 = p.parse().map_err(|_| expected())?;
                    if n == 0 || n > max {
                        Err(expected())
                    } else {
                        Ok(Some(n as u8))
                    }
                }
                Some(_) => Err(expected()),
            }
        };
        let month = number(12)?;
        let day = number(31)?;
        if parts.next().is_some() {
            return Err(expected());
        }
        if let (Some(m), Some(d)) = (month, day)
            && d > days_in_month(year, m)
        {
            return Err(DateError(format!(
                "a day that exists: {year}-{m:02} has {} days, found \"{text}\"",
                days_in_month(year, m)
            )));
        }
        Ok(Date {
            year,
            month,
            day,
            approx,
        })
    }

    /// Whether [`Date::parse`] can give this date: four-digit year, a
    /// month only with a day-less or month-precise date, a day that exists.
    /// (A cache entry's check asks this of every date; formatting and
    /// parsing each again cost a tenth of a cached load.)
    pub fn is_possible(&self) -> bool {
        (0..=9999).contains(&self.year)
            && match (self.month, self.day) {
                (None, None) => true,
                (None, Some(_)) => false,
                (Some(m), None) => (1..=12).contains(&m),
                (Some(m), Some(d)) => {
                    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(self.year, m)
                }
            }
    }

    /// The first day this date can mean, as (year, month, day).
    pub fn first_day(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day this date can mean, as (year, month, day).
    pub fn last_day(&self) -> (i32, u8, u8) {
        let month = self.month.unwrap_or(12);
        (
            self.year,
            month,
            self.day.unwrap_or(days_in_month(self.year, month)),
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.approx {
            f.write_str("~")?;
        }
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Period {
    /// Parses `START..END` where either side may be empty (not both).
    pub fn parse(text: &str) -> Result<Period, DateError> {
        let Some((a, b)) = text.split_once("..") else {
            return Err(DateError(format!(
                "a period like \"1979..1989\", \"1994..\" or \"..2001\", found \"{text}\""
            )));
        };
        let side = |s: &str| -> Result<Option<Date>, DateError> {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else {
                Date::parse(s).map(Some)
            }
        };
        let period = Period {
            start: side(a)?,
            end: side(b)?,
        };
        if period.start.is_none() && period.end.is_none() {
            return Err(DateError(format!(
                "a period with at least one end, like \"1994..\", found \"{text}\""
            )));
        }
        Ok(period)
    }

    /// Whether [`Period::parse`] can give this period (it may still be
    /// inverted).
    pub fn is_possible(&self) -> bool {
        (self.start.is_some() || self.end.is_some())
            && self.start.iter().chain(&self.end).all(Date::is_possible)
    }

    /// True when the period ends before it starts.
    pub fn is_inverted(&self) -> bool {
        match (self.start, self.end) {
            (Some(s), Some(e)) => e.last_day() < s.first_day(),
            _ => false,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = self.start {
            write!(f, "{s}")?;
        }
        f.write_str("..")?;
        if let Some(e) = self.end {
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// The days a value can cover, as a closed range; open ends are unbounded.
pub type DayRange = ((i32, u8, u8), (i32, u8, u8));

const MIN_DAY: (i32, u8, u8) = (i32::MIN, 1, 1);
const MAX_DAY: (i32, u8, u8) = (i32::MAX, 12, 31);

impl When {
    pub fn days(&self) -> DayRange {
        match self {
            When::Date(d) => (d.first_day(), d.last_day()),
            When::Period(p) => (
                p.start.map_or(MIN_DAY, |d| d.first_day()),
                p.end.map_or(MAX_DAY, |d| d.last_day()),
            ),
        }
    }

    /// True when the two spans of time share at least one day.
    pub fn overlaps(&self, other: &When) -> bool {
        let (a0, a1) = self.days();
        let (b0, b1) = other.days();
        a0 <= b1 && b0 <= a1
    }

    /// Chronological order: by first day, then by last day.
    pub fn chrono_cmp(&self, other: &When) -> Ordering {
        self.days().cmp(&other.days())
    }

    /// The order of a timeline: by the earliest day the value names (a
    /// period open at the start is placed by its end, not before
    /// everything), then by the last day.
    pub fn timeline_cmp(&self, other: &When) -> Ordering {
        let anchor = |w: &When| match w {
            When::Date(d) => d.first_day(),
            When::Period(p) => p.start.or(p.end).map_or(MIN_DAY, |d| d.first_day()),
        };
        (anchor(self), self.days().1).cmp(&(anchor(other), other.days().1))
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Date(d) => d.fmt(f),
            When::Period(p) => p.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_possible` says exactly which values survive printing and parsing.
    #[test]
    fn possible_dates_and_periods_are_those_that_read_back() {
        let mut dates = Vec::new();
        for year in [-1, 0, 1, 1900, 2000, 2023, 2024, 9999, 10000] {
            for month in std::iter::once(None).chain((0..=13).map(Some)) {
                for day in std::iter::once(None).chain((0..=32).map(Some)) {
                    for approx in [false, true] {
                        dates.push(Date {
                            year,
                            month,
                            day,
                            approx,
                        });
                    }
                }
            }
        }
        for d in &dates {
            let reads_back = Date::parse(&d.to_string()).is_ok_and(|p| p == *d);
            assert_eq!(d.is_possible(), reads_back, "{d:?}");
        }
        let ends: Vec<Option<Date>> = std::iter::once(None)
            .chain(dates.iter().step_by(7).map(|d| Some(*d)))
            .collect();
        for &start in &ends {
            for &end in ends.iter().step_by(5) {
                let p = Period { start, end };
                let reads_back = Period::parse(&p.to_string()).is_ok_and(|q| q == p);
                assert_eq!(p.is_possible(), reads_back, "{p:?}");
            }
        }
    }

    #[test]
    fn dates_round_trip() {
        for text in ["1948", "1948-10", "2002-03-28", "~1990", "2000-02-29"] {
            assert_eq!(Date::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn impossible_dates_are_refused() {
        for text in [
            "1948-13",
            "2001-02-29",
            "48",
            "1948-1",
            "1948-10-05-01",
            "",
            "~",
            "abcd",
        ] {
            assert!(Date::parse(text).is_err(), "{text} accepted");
        }
    }

    #[test]
    fn periods() {
        let p = Period::parse("1979..1989").unwrap();
        assert!(!p.is_inverted());
        assert!(Period::parse("1989..1979").unwrap().is_inverted());
        assert!(!Period::parse("1989-05..1989").unwrap().is_inverted());
        assert_eq!(Period::parse("1994..").unwrap().to_string(), "1994..");
        assert!(Period::parse("..").is_err());
        assert!(Period::parse("1994").is_err());
    }

    #[test]
    fn open_start_periods_sort_by_their_end() {
        let w = |t: &str| {
            if t.contains("..") {
                When::Period(Period::parse(t).unwrap())
            } else {
                When::Date(Date::parse(t).unwrap())
            }
        };
        let mut items = [
            w("..2021-10"),
            w("1948"),
            w("2021-10-06"),
            w("1948.."),
            w("1990"),
        ];
        items.sort_by(|a, b| a.timeline_cmp(b));
        let shown: Vec<String> = items.iter().map(|w| w.to_string()).collect();
        assert_eq!(shown, ["1948", "1948..", "1990", "..2021-10", "2021-10-06"]);
    }

    #[test]
    fn overlap_respects_precision() {
        let year = When::Date(Date::parse("1984").unwrap());
        let june = When::Period(Period::parse("1984-06..1985").unwrap());
        let later = When::Period(Period::parse("1985..").unwrap());
        assert!(year.overlaps(&june));
        assert!(!year.overlaps(&later));
    }
}
