//! CSV for the tables the app offers as files: one escaping (formula-safe:
//! member emails, key names, model and terminal names come from outside and
//! reach the cells), one header style (snake_case), and file names that say
//! which days they cover.

use crate::model::dates::DateRange;
use crate::model::totals::{Spend, USD};

/// A CSV field: quoted when needed, and defused against spreadsheet formula
/// injection (a leading `=`, `+`, `-`, `@`, tab or carriage return becomes
/// text).
pub fn field(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// CSV text: a header line, then one line per row, every cell through
/// [`field`].
#[derive(Debug)]
pub struct Csv(String);

impl Csv {
    /// Starts with the header (snake_case names, written as given).
    pub fn new(header: &[&str]) -> Self {
        let mut out = header.join(",");
        out.push('\n');
        Csv(out)
    }

    /// Adds one row.
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            self.0.push_str(&field(cell.as_ref()));
        }
        self.0.push('\n');
    }

    pub fn finish(self) -> String {
        self.0
    }
}

/// US dollars from cents, as a plain number (`1234.50`), for a `spend_usd` cell.
pub fn usd(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A spend's two cells, as the team CSV has them: `spend_usd` (`0.00` when
/// nothing was spent in dollars) and `spend_other_currencies` (`"3.00
/// EUR"`, `"; "`-separated); both empty when the spend was withheld from
/// the viewer, never a made-up `0.00`.
pub fn spend_cells(spend: &Spend) -> [String; 2] {
    if spend.is_withheld() {
        return [String::new(), String::new()];
    }
    [usd(spend.usd_minor().unwrap_or(0)), other_currencies(spend)]
}

/// Spend in currencies other than US dollars, raw numbers in each one's
/// own decimals: `"3.00 EUR; 50000 JPY; 1.000 KWD"`.
pub fn other_currencies(spend: &Spend) -> String {
    spend
        .iter()
        .filter(|(currency, _)| *currency != USD)
        .map(|(currency, minor)| {
            format!(
                "{} {currency}",
                crate::format::major_amount(currency, minor, false)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A rate in 0..=1 with four decimals (`0.6923`), empty when there is none.
pub fn rate(rate: Option<f64>) -> String {
    rate.map(|r| crate::format::fixed(r, 4)).unwrap_or_default()
}

/// The file name of a table over `range`: `models-2026-11-04-to-2026-12-03.csv`
/// (`models-2026-12-03.csv` for one day), as the charts name theirs.
pub fn range_file_name(what: &str, range: DateRange) -> String {
    if range.start() == range.end() {
        format!("{what}-{}.csv", range.start())
    } else {
        format!("{what}-{}-to-{}.csv", range.start(), range.end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn fields_are_quoted_and_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("\rx"), "\"'\rx\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(field("a=b"), "a=b");
        assert_eq!(field(""), "");
    }

    #[test]
    fn rows_follow_the_header() {
        let mut csv = Csv::new(&["name", "count"]);
        csv.row(["a, b", "3"]);
        csv.row(vec!["=x".to_owned(), String::new()]);
        assert_eq!(csv.finish(), "name,count\n\"a, b\",3\n'=x,\n");
    }

    #[test]
    fn money_and_rates_are_plain_numbers() {
        assert_eq!(usd(0), "0.00");
        assert_eq!(usd(5), "0.05");
        assert_eq!(usd(123_456), "1234.56");
        let mut spend = Spend::new();
        spend.add("USD", 275);
        spend.add("EUR", 300);
        spend.add("JPY", 50_000);
        spend.add("KWD", 1_000);
        // Yen have no decimals, dinars three; no thousands separators.
        assert_eq!(
            spend_cells(&spend),
            ["2.75", "3.00 EUR; 50000 JPY; 1.000 KWD"]
        );
        let mut euros = Spend::new();
        euros.add("EUR", 300);
        assert_eq!(spend_cells(&euros), ["0.00", "3.00 EUR"]);
        assert_eq!(spend_cells(&Spend::new()), ["0.00", ""]);
        let mut withheld = Spend::new();
        withheld.add("USD", 100);
        withheld.withhold();
        assert_eq!(spend_cells(&withheld), ["", ""]);
        assert_eq!(rate(Some(0.692_307)), "0.6923");
        assert_eq!(rate(Some(1.0)), "1.0000");
        assert_eq!(rate(None), "");
    }

    #[test]
    fn file_names_carry_the_days() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let range = DateRange::new(d(11, 4), d(12, 3)).unwrap();
        assert_eq!(
            range_file_name("models", range),
            "models-2026-11-04-to-2026-12-03.csv"
        );
        assert_eq!(
            range_file_name("terminals", DateRange::day(d(12, 3))),
            "terminals-2026-12-03.csv"
        );
    }
}
