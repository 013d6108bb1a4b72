//! Tables in: per-region statistics and per-class parameter tables from CSV text.
//!
//! The reader follows the conventions users know from InVEST tables: UTF-8 with or without
//! BOM, `#` comment lines, headers trimmed and compared case-insensitively, extra columns
//! ignored, RFC 4180 quoting. Every error names the table, the line and the column.
//!
//! # Examples
//! ```
//! use gep::landscape::Regions;
//! use gep::tables::read_region_stats;
//! let regions = Regions::flat(["Xiahe", "Songkou"])?;
//! let csv = "region,nature_visits,fishery_output_yuan\nXiahe,120000,3.5e6\nSongkou,80000,\n";
//! let stats = read_region_stats(csv, "stats.csv", &regions)?;
//! assert_eq!(stats.value("nature_visits", 1), Some(80000.0));
//! assert_eq!(stats.value("fishery_output_yuan", 1), None); // empty = no data
//! # Ok::<(), gep::GepError>(())
//! ```

use crate::error::{GepError, ParamError};
use crate::landscape::{RegionColumn, RegionStats, Regions};
use crate::params::{ClassTable, ClassValue, Status};

/// A parsed CSV: lower-cased trimmed headers and rows with their 1-based line numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvTable {
    /// Table name for messages.
    pub name: String,
    /// Headers, trimmed and lower-cased.
    pub headers: Vec<String>,
    /// (line number, trimmed fields).
    pub rows: Vec<(usize, Vec<String>)>,
}

fn table_error(table: &str, line: usize, column: &str, message: impl Into<String>) -> ParamError {
    ParamError::Table {
        table: table.into(),
        line,
        column: column.into(),
        message: message.into(),
    }
}

/// Parses CSV text with the crate's one CSV tokenizer ([`crate::io::Table`]: BOM dropped,
/// separator sniffed, quotes honoured, headers trimmed and lower-cased, empty rows dropped),
/// plus the checks of statistics tables: `#` comment lines skipped, unbalanced quotes, duplicate
/// columns and rows with more fields than columns refused.
pub fn parse_csv(text: &str, name: &str) -> Result<CsvTable, ParamError> {
    let mut cleaned = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            cleaned.push('\n');
            continue;
        }
        if line.matches('"').count() % 2 == 1 {
            return Err(table_error(name, i + 1, "-", "unterminated quoted field"));
        }
        cleaned.push_str(line);
        cleaned.push('\n');
    }
    let t = crate::io::Table::parse(name, &cleaned).map_err(|e| match e {
        crate::error::InvestError::Table { line, message, .. } => {
            table_error(name, line.unwrap_or(1), "-", message)
        }
        other => table_error(name, 1, "-", other.to_string()),
    })?;
    let headers = t.headers().to_vec();
    for (k, col) in headers.iter().enumerate() {
        if headers[..k].contains(col) {
            return Err(table_error(name, 1, col, "duplicate column"));
        }
    }
    let mut rows = Vec::with_capacity(t.len());
    for (line, fields) in t.records() {
        if fields.len() > headers.len() {
            return Err(table_error(
                name,
                line,
                "-",
                format!("{} fields but {} columns", fields.len(), headers.len()),
            ));
        }
        rows.push((line, fields.to_vec()));
    }
    Ok(CsvTable {
        name: name.into(),
        headers,
        rows,
    })
}

impl CsvTable {
    /// Index of a column (case-insensitive), or an error naming it.
    pub fn column(&self, name: &str) -> Result<usize, ParamError> {
        let lower = name.to_lowercase();
        self.headers
            .iter()
            .position(|h| *h == lower)
            .ok_or_else(|| table_error(&self.name, 1, name, "column not found"))
    }

    /// The field of `row` at `col` (empty when the row is short).
    pub fn field<'a>(&self, row: &'a [String], col: usize) -> &'a str {
        row.get(col).map_or("", |s| s.as_str())
    }

    /// Parses a number, naming line and column on error.
    pub fn number(&self, line: usize, column: &str, text: &str) -> Result<f64, ParamError> {
        let v: f64 = text.parse().map_err(|_| {
            table_error(
                &self.name,
                line,
                column,
                format!("`{text}` is not a number"),
            )
        })?;
        if !v.is_finite() {
            return Err(table_error(
                &self.name,
                line,
                column,
                format!("{text} is not finite"),
            ));
        }
        Ok(v)
    }
}

/// Reads per-region statistics: a `region` column with region names, and one column per
/// statistic (name with unit, e.g. `nature_visits`, `so2_emission_t`). Empty cells are "no
/// data". Errors: unknown region, a region listed twice, a non-numeric or non-finite value,
/// a badly named column.
pub fn read_region_stats(
    text: &str,
    name: &str,
    regions: &Regions,
) -> Result<RegionStats, GepError> {
    let t = parse_csv(text, name)?;
    let rc = t.column("region")?;
    let mut columns: Vec<RegionColumn> = t
        .headers
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != rc)
        .map(|(_, h)| RegionColumn {
            name: h.clone(),
            values: vec![None; regions.len()],
            source: name.into(),
        })
        .collect();
    let value_cols: Vec<usize> = (0..t.headers.len()).filter(|&k| k != rc).collect();
    let mut seen = vec![None::<usize>; regions.len()];
    for (line, row) in &t.rows {
        let region_name = t.field(row, rc);
        let r = regions.index_of(region_name).ok_or_else(|| {
            table_error(
                name,
                *line,
                "region",
                format!("region `{region_name}` is not in the landscape's regions"),
            )
        })?;
        if let Some(first) = seen[r] {
            return Err(table_error(
                name,
                *line,
                "region",
                format!("region `{region_name}` is listed twice (first on line {first})"),
            )
            .into());
        }
        seen[r] = Some(*line);
        for (c, &k) in value_cols.iter().enumerate() {
            let text = t.field(row, k);
            if !text.is_empty() {
                columns[c].values[r] = Some(t.number(*line, &t.headers[k], text)?);
            }
        }
    }
    let mut stats = RegionStats::new();
    for c in columns {
        stats.insert(regions, c)?;
    }
    Ok(stats)
}

/// Reads a per-class coefficient table: integer codes in `code_column`, values in
/// `value_column` (empty = the class does not supply the service). Errors name line and column;
/// duplicate codes are refused.
pub fn read_class_table(
    text: &str,
    name: &str,
    code_column: &str,
    value_column: &str,
    unit: &str,
    status: Status,
) -> Result<ClassTable, ParamError> {
    let t = parse_csv(text, name)?;
    let cc = t.column(code_column)?;
    let vc = t.column(value_column)?;
    let mut rows: Vec<ClassValue> = Vec::new();
    for (line, row) in &t.rows {
        let code_text = t.field(row, cc);
        let code: i32 = code_text.parse().map_err(|_| {
            table_error(
                name,
                *line,
                code_column,
                format!("`{code_text}` is not an integer code"),
            )
        })?;
        if rows.iter().any(|r| r.code == code) {
            return Err(table_error(
                name,
                *line,
                code_column,
                format!("code {code} is listed twice"),
            ));
        }
        let v = t.field(row, vc);
        let value = if v.is_empty() {
            None
        } else {
            Some(t.number(*line, value_column, v)?)
        };
        rows.push(ClassValue { code, value });
    }
    Ok(ClassTable {
        unit: unit.into(),
        source: name.into(),
        status,
        rows,
    })
}
