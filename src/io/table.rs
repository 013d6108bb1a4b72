//! CSV tables read the way InVEST reads them (INVEST_MODELS.md §0): the separator is sniffed
//! (comma, semicolon, tab or pipe), a UTF-8 BOM is dropped, headers are trimmed and lower-cased,
//! columns nobody asks for are ignored, entirely empty rows are dropped, and every value asked
//! for must be present and numeric. Errors name the file, the line and the value.

use std::path::Path;

use crate::error::InvestError;

/// A parsed CSV table: lower-cased, trimmed headers and string cells, with the file line of
/// every row (for error messages).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    path: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    lines: Vec<usize>,
}

impl Table {
    /// Reads and parses the table at `path`.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, InvestError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| InvestError::Read {
            path: name.clone(),
            message: e.to_string(),
        })?;
        Self::parse(&name, &text)
    }

    /// Parses `text` as the content of the table called `name` (used in error messages).
    ///
    /// # Examples
    /// ```
    /// use gep::io::Table;
    /// let t = Table::parse("pools.csv", "\u{feff}LUCODE; C_Above ;note\n1;10.5;x\n\n2;3;y\n")?;
    /// assert_eq!(t.index_i64("lucode")?, vec![1, 2]);
    /// assert_eq!(t.column_f64("c_above")?, vec![10.5, 3.0]);
    /// # Ok::<(), gep::error::InvestError>(())
    /// ```
    pub fn parse(name: &str, text: &str) -> Result<Self, InvestError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.lines().enumerate();
        let (header_line, header) = loop {
            match lines.next() {
                Some((_, l)) if l.trim().is_empty() => continue,
                Some((i, l)) => break (i + 1, l),
                None => {
                    return Err(InvestError::Table {
                        path: name.into(),
                        line: None,
                        message: "the table is empty (no header row)".into(),
                    })
                }
            }
        };
        let sep = sniff_separator(header);
        let headers: Vec<String> = split_record(header, sep)
            .into_iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let mut rows = Vec::new();
        let mut row_lines = Vec::new();
        for (i, line) in lines {
            let cells = split_record(line, sep);
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows.push(cells.into_iter().map(|c| c.trim().to_string()).collect());
            row_lines.push(i + 1);
        }
        let _ = header_line;
        Ok(Self {
            path: name.into(),
            headers,
            rows,
            lines: row_lines,
        })
    }

    /// The file name given when reading.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Number of (non-empty) data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no data rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The data rows with their 1-based file line, cells trimmed.
    pub(crate) fn records(&self) -> impl Iterator<Item = (usize, &[String])> {
        self.lines
            .iter()
            .copied()
            .zip(self.rows.iter().map(Vec::as_slice))
    }

    /// The normalised (trimmed, lower-case) headers.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Whether the table has column `name` (compared after trimming and lower-casing).
    pub fn has_column(&self, name: &str) -> bool {
        self.column_index(name).is_ok()
    }

    fn column_index(&self, name: &str) -> Result<usize, InvestError> {
        let wanted = name.trim().to_lowercase();
        self.headers
            .iter()
            .position(|h| *h == wanted)
            .ok_or_else(|| InvestError::Table {
                path: self.path.clone(),
                line: None,
                message: format!(
                    "column `{wanted}` is missing (columns are: {})",
                    self.headers.join(", ")
                ),
            })
    }

    fn cells(&self, name: &str) -> Result<impl Iterator<Item = (usize, &str)>, InvestError> {
        let k = self.column_index(name)?;
        let mut out = Vec::with_capacity(self.rows.len());
        for (row, line) in self.rows.iter().zip(&self.lines) {
            let cell = row.get(k).map(String::as_str).unwrap_or("");
            if cell.is_empty()
                || cell.eq_ignore_ascii_case("na")
                || cell.eq_ignore_ascii_case("nan")
            {
                return Err(InvestError::Table {
                    path: self.path.clone(),
                    line: Some(*line),
                    message: format!("null value found in column `{}`", name.to_lowercase()),
                });
            }
            out.push((*line, cell));
        }
        Ok(out.into_iter())
    }

    /// The values of column `name` as numbers (f64).
    pub fn column_f64(&self, name: &str) -> Result<Vec<f64>, InvestError> {
        self.cells(name)?
            .map(|(line, cell)| {
                cell.parse::<f64>().map_err(|_| InvestError::Table {
                    path: self.path.clone(),
                    line: Some(line),
                    message: format!(
                        "value `{cell}` in column `{}` is not a number",
                        name.to_lowercase()
                    ),
                })
            })
            .collect()
    }

    /// The values of integer column `name` (`1` and `1.0` are accepted, `1.5` is not).
    pub fn column_i64(&self, name: &str) -> Result<Vec<i64>, InvestError> {
        self.cells(name)?
            .map(|(line, cell)| {
                let bad = || InvestError::Table {
                    path: self.path.clone(),
                    line: Some(line),
                    message: format!(
                        "value `{cell}` in column `{}` could not be interpreted as an integer",
                        name.to_lowercase()
                    ),
                };
                match cell.parse::<i64>() {
                    Ok(v) => Ok(v),
                    Err(_) => {
                        let v = cell.parse::<f64>().map_err(|_| bad())?;
                        if v.fract() == 0.0 && v.abs() < 9.0e15 {
                            Ok(v as i64)
                        } else {
                            Err(bad())
                        }
                    }
                }
            })
            .collect()
    }

    /// The integer index column `name`, which must be unique.
    pub fn index_i64(&self, name: &str) -> Result<Vec<i64>, InvestError> {
        let codes = self.column_i64(name)?;
        let mut sorted: Vec<(i64, usize)> = codes.iter().copied().zip(self.lines.clone()).collect();
        sorted.sort_unstable();
        for w in sorted.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(InvestError::Table {
                    path: self.path.clone(),
                    line: Some(w[1].1),
                    message: format!(
                        "duplicates found in the index column `{}`: {} (also on line {})",
                        name.to_lowercase(),
                        w[0].0,
                        w[0].1
                    ),
                });
            }
        }
        Ok(codes)
    }

    /// Checks that every value of column `name` lies in `[lo, hi]`.
    pub fn column_in_range(&self, name: &str, lo: f64, hi: f64) -> Result<Vec<f64>, InvestError> {
        let values = self.column_f64(name)?;
        for (v, line) in values.iter().zip(&self.lines) {
            if !(*v >= lo && *v <= hi) {
                return Err(InvestError::Table {
                    path: self.path.clone(),
                    line: Some(*line),
                    message: format!(
                        "value {v} in column `{}` is outside [{lo}, {hi}]",
                        name.to_lowercase()
                    ),
                });
            }
        }
        Ok(values)
    }
}

/// The most frequent of `,`, `;`, tab and `|` in the header line (comma when none occurs).
fn sniff_separator(header: &str) -> char {
    let mut best = (',', 0);
    for sep in [',', ';', '\t', '|'] {
        let n = header.matches(sep).count();
        if n > best.1 {
            best = (sep, n);
        }
    }
    best.0
}

/// Splits one CSV record, honouring double quotes (`""` inside quotes is a quote).
fn split_record(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    out.push(cell);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_and_normalises() {
        let t = Table::parse("t.csv", "a\tB \n1\t\"2\"\n").unwrap();
        assert_eq!(t.headers(), ["a", "b"]);
        assert_eq!(t.column_f64("B").unwrap(), vec![2.0]);
    }

    #[test]
    fn errors_name_line() {
        let t = Table::parse("t.csv", "lucode,x\n1,2\n1,\n").unwrap();
        let e = t.column_f64("x").unwrap_err().to_string();
        assert!(e.contains("t.csv") && e.contains("line 3"), "{e}");
        let e = t.index_i64("lucode").unwrap_err().to_string();
        assert!(e.contains("duplicates"), "{e}");
        let e = t.column_f64("y").unwrap_err().to_string();
        assert!(e.contains("`y` is missing"), "{e}");
    }
}
