//! SVG charts of accounts and analyses (feature `charts`): horizontal bar charts (service
//! shares, GEP by region, ΔGEP by service), tornado charts (sensitivity) and histograms
//! (Monte Carlo draws).
//!
//! Each function takes plain data (labels, values, a title and an axis label that states the
//! unit) and returns the SVG document as a `String`; write it with [`write_svg`]. Bars are sorted
//! by value (largest on top), labels sit in a margin sized to the longest label, and every value
//! axis carries the unit given by the caller. Use [`money_scale`] to pick yuan, 10^4 yuan or
//! 10^8 yuan for money values.
//!
//! Drawing uses `plotters` with only its SVG backend (text is left to the SVG viewer's fonts).
//!
//! # Examples
//! ```
//! use gep::analysis::charts::{bar_chart_svg, money_scale};
//! let values = [3.2e9, 1.1e9, 0.4e9];
//! let (divisor, unit) = money_scale(&values);
//! assert_eq!(unit, "10^8 yuan");
//! let scaled: Vec<f64> = values.iter().map(|v| v / divisor).collect();
//! let labels = ["Water conservation", "Carbon", "Oxygen"].map(String::from);
//! let svg = bar_chart_svg("GEP by service (10^8 yuan)", &labels, &scaled, "GEP (10^8 yuan)")?;
//! assert!(svg.starts_with("<svg") && svg.contains("Water conservation"));
//! # Ok::<(), gep::error::AnalysisError>(())
//! ```

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::{AnalysisError, GepError};

const WIDTH_PX: u32 = 900;
const ROW_PX: u32 = 30;
const FONT: &str = "sans-serif";
/// Approximate advance of one character of the label font (16 pt nominal, ~13 px in SVG), px.
const CHAR_PX: u32 = 8;
const MAX_LABEL_CHARS: usize = 42;
const BAR: RGBColor = RGBColor(46, 117, 182);
const BAR_NEG: RGBColor = RGBColor(192, 80, 77);
const BAR_HIGH: RGBColor = RGBColor(112, 173, 71);

/// A divisor and its unit label for money values in yuan: `(1.0, "yuan")`, `(1e4, "10^4 yuan")`
/// (万元) or `(1e8, "10^8 yuan")` (亿元), chosen so that the largest |value| is ≥ 1 in the unit.
pub fn money_scale(values_yuan: &[f64]) -> (f64, &'static str) {
    let max = values_yuan
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    if max >= 1e8 {
        (1e8, "10^8 yuan")
    } else if max >= 1e4 {
        (1e4, "10^4 yuan")
    } else {
        (1.0, "yuan")
    }
}

/// Writes an SVG document to `path`.
pub fn write_svg(path: impl AsRef<Path>, svg: &str) -> Result<(), GepError> {
    let path = path.as_ref();
    std::fs::write(path, svg).map_err(|source| GepError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn drawing_error<E: std::fmt::Display>(chart: &str) -> impl Fn(E) -> AnalysisError + '_ {
    move |e| AnalysisError::ChartDrawing {
        chart: chart.into(),
        message: e.to_string(),
    }
}

fn data_error(chart: &str, message: String) -> AnalysisError {
    AnalysisError::ChartData {
        chart: chart.into(),
        message,
    }
}

fn check_rows(chart: &str, labels: &[String], columns: &[&[f64]]) -> Result<(), AnalysisError> {
    if labels.is_empty() {
        return Err(data_error(chart, "no data".into()));
    }
    for col in columns {
        if col.len() != labels.len() {
            return Err(data_error(
                chart,
                format!("{} labels but {} values", labels.len(), col.len()),
            ));
        }
        if let Some((i, v)) = col.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(data_error(
                chart,
                format!("value of `{}` is {v}", labels[i]),
            ));
        }
    }
    Ok(())
}

fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// Tick label: no more digits than needed for the axis span.
fn tick(v: f64, span: f64) -> String {
    let decimals = if span >= 50.0 {
        0
    } else if span >= 5.0 {
        1
    } else if span >= 0.5 {
        2
    } else {
        3
    };
    format!("{v:.decimals$}")
}

fn value_label(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A padded axis range that contains 0 and every value.
fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    // Room for the value labels printed at the bar ends.
    let lo = if lo < 0.0 { lo - 0.18 * span } else { 0.0 };
    let hi = if hi > 0.0 { hi + 0.18 * span } else { 0.0 };
    if lo == hi {
        (0.0, 1.0)
    } else {
        (lo, hi)
    }
}

/// A horizontal bar chart, bars sorted by value (largest on top). Negative values (e.g. a ΔGEP)
/// are drawn to the left of zero in another colour. Each bar is labelled with its value.
///
/// `title` should state the quantity and unit; `value_axis` labels the value axis with its unit
/// (`GEP (10^8 yuan)`, `share of GEP (%)`).
pub fn bar_chart_svg(
    title: &str,
    labels: &[String],
    values: &[f64],
    value_axis: &str,
) -> Result<String, AnalysisError> {
    check_rows(title, labels, &[values])?;
    let mut rows: Vec<(String, f64)> = labels
        .iter()
        .map(|l| short(l))
        .zip(values.iter().copied())
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    let n = rows.len();
    let (x0, x1) = padded_range(rows.iter().map(|r| r.1));
    let label_px =
        16 + CHAR_PX * rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0) as u32;
    let height = 110 + ROW_PX * n as u32;
    let err = drawing_error(title);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, height)).into_drawing_area();
        root.fill(&WHITE).map_err(&err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 24))
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(label_px)
            .build_cartesian_2d(x0..x1, -0.5_f64..(n as f64 - 0.5))
            .map_err(&err)?;
        let span = x1 - x0;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(8)
            .x_desc(value_axis)
            .x_label_formatter(&|v| tick(*v, span))
            .axis_desc_style((FONT, 18))
            .label_style((FONT, 16))
            .draw()
            .map_err(&err)?;
        // Row i (largest value) at the top.
        let y_of = |i: usize| (n - 1 - i) as f64;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, (_, v))| {
                let colour = if *v < 0.0 { BAR_NEG } else { BAR };
                Rectangle::new(
                    [(0.0, y_of(i) - 0.35), (*v, y_of(i) + 0.35)],
                    colour.filled(),
                )
            }))
            .map_err(&err)?;
        let label_style = TextStyle::from((FONT, 16).into_font());
        for (i, (label, v)) in rows.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(x0, y_of(i)));
            root.draw(&Text::new(
                label.clone(),
                (px - 6, py),
                label_style.pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(&err)?;
            let (bx, by) = chart.backend_coord(&(*v, y_of(i)));
            let (dx, h) = if *v < 0.0 {
                (-4, HPos::Right)
            } else {
                (4, HPos::Left)
            };
            root.draw(&Text::new(
                value_label(*v),
                (bx + dx, by),
                label_style.pos(Pos::new(h, VPos::Center)),
            ))
            .map_err(&err)?;
        }
        root.present().map_err(&err)?;
    }
    Ok(svg)
}

/// A tornado chart: for each row, the change of the output when the input goes to its low and
/// to its high value (e.g. ΔGEP in % for a parameter at −10 % and +10 %), both drawn from zero;
/// rows sorted by the larger |change| (largest on top).
pub fn tornado_svg(
    title: &str,
    labels: &[String],
    low: &[f64],
    high: &[f64],
    value_axis: &str,
) -> Result<String, AnalysisError> {
    check_rows(title, labels, &[low, high])?;
    let mut rows: Vec<(String, f64, f64)> = labels
        .iter()
        .zip(low.iter().zip(high))
        .map(|(l, (&lo, &hi))| (short(l), lo, hi))
        .collect();
    rows.sort_by(|a, b| {
        let ma = a.1.abs().max(a.2.abs());
        let mb = b.1.abs().max(b.2.abs());
        mb.total_cmp(&ma)
    });
    let n = rows.len();
    let (x0, x1) = padded_range(rows.iter().flat_map(|r| [r.1, r.2]));
    let label_px =
        16 + CHAR_PX * rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0) as u32;
    let height = 130 + ROW_PX * n as u32;
    let err = drawing_error(title);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, height)).into_drawing_area();
        root.fill(&WHITE).map_err(&err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 24))
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(label_px)
            .build_cartesian_2d(x0..x1, -0.5_f64..(n as f64 - 0.5))
            .map_err(&err)?;
        let span = x1 - x0;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(8)
            .x_desc(value_axis)
            .x_label_formatter(&|v| tick(*v, span))
            .axis_desc_style((FONT, 18))
            .label_style((FONT, 16))
            .draw()
            .map_err(&err)?;
        let y_of = |i: usize| (n - 1 - i) as f64;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                Rectangle::new(
                    [(0.0, y_of(i) - 0.35), (r.1, y_of(i) + 0.35)],
                    BAR_NEG.filled(),
                )
            }))
            .map_err(&err)?
            .label("parameter low")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAR_NEG.filled()));
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                Rectangle::new(
                    [(0.0, y_of(i) - 0.35), (r.2, y_of(i) + 0.35)],
                    BAR_HIGH.filled(),
                )
            }))
            .map_err(&err)?
            .label("parameter high")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAR_HIGH.filled()));
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                BLACK.stroke_width(1),
            )))
            .map_err(&err)?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .label_font((FONT, 16))
            .draw()
            .map_err(&err)?;
        let label_style = TextStyle::from((FONT, 16).into_font());
        for (i, r) in rows.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(x0, y_of(i)));
            root.draw(&Text::new(
                r.0.clone(),
                (px - 6, py),
                label_style.pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(&err)?;
        }
        root.present().map_err(&err)?;
    }
    Ok(svg)
}

/// A histogram of `values` in `bins` equal-width bins, with vertical marker lines (e.g.
/// `("mean", m)`, `("5 %", p05)`, `("95 %", p95)`) listed in a legend with their values.
pub fn histogram_svg(
    title: &str,
    values: &[f64],
    bins: usize,
    value_axis: &str,
    markers: &[(String, f64)],
) -> Result<String, AnalysisError> {
    if values.is_empty() {
        return Err(data_error(title, "no values".into()));
    }
    if bins == 0 {
        return Err(data_error(title, "0 bins".into()));
    }
    if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(data_error(title, format!("value {i} is {v}")));
    }
    if let Some((l, v)) = markers.iter().find(|(_, v)| !v.is_finite()) {
        return Err(data_error(title, format!("marker `{l}` is {v}")));
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        let pad = if lo == 0.0 { 1.0 } else { 0.01 * lo.abs() };
        (lo - pad, hi + pad)
    };
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0_u64; bins];
    for v in values {
        let b = (((v - lo) / width) as usize).min(bins - 1);
        counts[b] += 1;
    }
    // Headroom for the legend.
    let y_max = counts.iter().copied().max().unwrap_or(1) as f64 * 1.3;
    let err = drawing_error(title);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(&err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 24))
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(60)
            .build_cartesian_2d(lo..hi, 0.0..y_max)
            .map_err(&err)?;
        let span = hi - lo;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(8)
            .y_labels(6)
            .x_desc(value_axis)
            .y_desc("draws")
            .x_label_formatter(&|v| tick(*v, span))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .axis_desc_style((FONT, 18))
            .label_style((FONT, 16))
            .draw()
            .map_err(&err)?;
        chart
            .draw_series(counts.iter().enumerate().map(|(b, &c)| {
                let x = lo + b as f64 * width;
                Rectangle::new(
                    [(x + 0.04 * width, 0.0), (x + 0.96 * width, c as f64)],
                    BAR.mix(0.8).filled(),
                )
            }))
            .map_err(&err)?;
        let palette = [BLACK, BAR_NEG, BAR_HIGH, RGBColor(237, 125, 49)];
        for (k, (label, x)) in markers.iter().enumerate() {
            let colour = palette[k % palette.len()];
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(*x, 0.0), (*x, y_max)],
                    colour.stroke_width(2),
                )))
                .map_err(&err)?
                .label(format!("{label}: {}", value_label(*x)))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
                });
        }
        if !markers.is_empty() {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK.mix(0.4))
                .label_font((FONT, 16))
                .draw()
                .map_err(&err)?;
        }
        root.present().map_err(&err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn money_scale_picks_yuan_wan_yi() {
        assert_eq!(money_scale(&[3.0e9, -1.0]), (1e8, "10^8 yuan"));
        assert_eq!(money_scale(&[-2.5e5]), (1e4, "10^4 yuan"));
        assert_eq!(money_scale(&[12.0, f64::NAN]), (1.0, "yuan"));
    }

    #[test]
    fn bars_are_sorted_largest_on_top() {
        let svg = bar_chart_svg(
            "GEP by service (10^8 yuan)",
            &labels(&["small", "large", "middle"]),
            &[1.0, 30.0, 5.0],
            "GEP (10^8 yuan)",
        )
        .unwrap();
        // Labels are drawn top to bottom, so the document order is the sorted order.
        let pos = |s: &str| svg.find(&format!("{s}\n</text>")).unwrap();
        assert!(pos("large") < pos("middle") && pos("middle") < pos("small"));
        assert!(svg.contains("GEP (10^8 yuan)"));
    }

    #[test]
    fn bad_chart_data_is_a_typed_error() {
        let e = bar_chart_svg("t", &labels(&["a", "b"]), &[1.0], "x").unwrap_err();
        assert!(matches!(e, AnalysisError::ChartData { .. }), "{e}");
        let e = bar_chart_svg("t", &labels(&["a"]), &[f64::NAN], "x").unwrap_err();
        assert!(e.to_string().contains("`a` is NaN"), "{e}");
        let e = histogram_svg("h", &[], 10, "x", &[]).unwrap_err();
        assert!(matches!(e, AnalysisError::ChartData { .. }));
        let e = tornado_svg("t", &labels(&["a"]), &[1.0], &[f64::INFINITY], "x").unwrap_err();
        assert!(e.to_string().contains("inf"), "{e}");
    }

    #[test]
    fn histogram_counts_every_value_once() {
        // 10 values over [0, 9] in 3 bins of width 3: [0,3) 3, [3,6) 3, [6,9] 4.
        let v: Vec<f64> = (0..10).map(f64::from).collect();
        let svg =
            histogram_svg("draws", &v, 3, "GEP (10^8 yuan)", &[("mean".into(), 4.5)]).unwrap();
        assert!(svg.contains("mean: 4.50"));
        assert!(svg.contains("draws"));
    }

    #[test]
    fn long_labels_are_shortened() {
        let long = "x".repeat(60);
        assert_eq!(short(&long).chars().count(), MAX_LABEL_CHARS);
        assert_eq!(short("abc"), "abc");
    }
}
