//! Addressable parameters: every number of a [`GepParams`] set has a dotted path, found by a
//! serde round trip of the set through a JSON value tree (no per-field code to maintain).
//!
//! Path syntax: object keys joined by `.`; an array element is `name[i]`, all elements of an
//! array `name[*]`. Examples: `oxygen_release.oxygen_price.value`,
//! `water_conservation.runoff_coefficients.rows[*].value` (every class of the table),
//! `provisioning.products[0].price.value`.
//!
//! Only floating-point numbers are parameters: integers (years, class codes), strings, flags
//! and absent options are skipped. A number is a **price** when it is the `value` of a
//! [`Price`](crate::params::Price) (an object with `per` and `currency`); every other number is
//! **physical**. Class tables and other arrays are listed as one parameter per field over all
//! entries (`rows[*].value`): sensitivity perturbs the whole table together (every entry
//! scaled by the same factor), which answers "how much does GEP depend on this table"; a
//! single entry can still be addressed as `rows[3].value`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::AnalysisError;
use crate::params::GepParams;

/// Whether a parameter is a price (changing it only revalues quantities) or a physical
/// coefficient (changing it changes quantities).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// The `value` of a [`Price`](crate::params::Price).
    Price,
    /// Any other number.
    Physical,
}

/// A numeric parameter of the set: its path, kind and current value(s).
#[derive(Debug, Clone, PartialEq)]
pub struct ParamInfo {
    /// Dotted path (with `[*]` for a whole array).
    pub path: String,
    /// Price or physical.
    pub kind: ParamKind,
    /// The value of every entry the path addresses, in document order.
    pub values: Vec<f64>,
}

/// How an edit changes the numbers a path addresses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Edit {
    /// Replace every addressed number with this value.
    Set(f64),
    /// Multiply every addressed number by this factor.
    Scale(f64),
}

/// A parameter set as a value tree, ready for edits by path.
#[derive(Debug, Clone)]
pub struct ParamTree {
    root: Value,
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
    All,
}

fn parse(path: &str) -> Result<Vec<Seg>, AnalysisError> {
    let bad = |reason: &str| AnalysisError::UnknownParameter {
        path: path.into(),
        reason: reason.into(),
    };
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (name, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() {
            return Err(bad("empty name in path"));
        }
        segs.push(Seg::Key(name.into()));
        let mut rest = rest;
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(|| bad("missing `]`"))?;
            let inner = &rest[1..close];
            segs.push(if inner == "*" {
                Seg::All
            } else {
                Seg::Index(
                    inner
                        .parse()
                        .map_err(|_| bad("index must be a number or `*`"))?,
                )
            });
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(bad("unexpected text after `]`"));
            }
        }
    }
    Ok(segs)
}

fn is_price_object(m: &Map<String, Value>) -> bool {
    m.contains_key("per") && m.contains_key("currency")
}

/// Visits the numbers addressed by `segs`; `f(value, is_price)`.
///
/// Under a `[*]` an absent option (a class without a value in a table) is skipped; addressed
/// directly it is an error.
fn visit_mut(
    v: &mut Value,
    segs: &[Seg],
    in_price: bool,
    under_all: bool,
    f: &mut dyn FnMut(&mut Value, bool) -> Result<(), String>,
) -> Result<usize, String> {
    let Some((first, rest)) = segs.split_first() else {
        return match v {
            Value::Number(n) if n.is_f64() => f(v, in_price).map(|_| 1),
            Value::Null if under_all => Ok(0),
            Value::Null => Err("is not set (an absent option)".into()),
            other => Err(format!("is not a floating-point number but `{other}`")),
        };
    };
    match (first, v) {
        (Seg::Key(k), Value::Object(m)) => {
            let price = is_price_object(m) && k == "value";
            let child = m.get_mut(k).ok_or_else(|| format!("has no field `{k}`"))?;
            visit_mut(child, rest, price, under_all, f).map_err(|e| format!("{k}: {e}"))
        }
        (Seg::Index(i), Value::Array(a)) => {
            let len = a.len();
            let child = a
                .get_mut(*i)
                .ok_or_else(|| format!("index {i} is out of range (length {len})"))?;
            visit_mut(child, rest, false, under_all, f).map_err(|e| format!("[{i}]: {e}"))
        }
        (Seg::All, Value::Array(a)) => {
            let mut n = 0;
            for (i, child) in a.iter_mut().enumerate() {
                n += visit_mut(child, rest, false, true, f).map_err(|e| format!("[{i}]: {e}"))?;
            }
            Ok(n)
        }
        (Seg::Key(k), _) => Err(format!("`{k}` applied to a value that is not an object")),
        (_, _) => Err("an index applied to a value that is not an array".into()),
    }
}

fn catalogue(v: &Value, path: &str, in_price: bool, out: &mut Vec<ParamInfo>) {
    match v {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            let kind = if in_price {
                ParamKind::Price
            } else {
                ParamKind::Physical
            };
            match out.iter_mut().find(|p| p.path == path) {
                Some(p) => p.values.push(x),
                None => out.push(ParamInfo {
                    path: path.into(),
                    kind,
                    values: vec![x],
                }),
            }
        }
        Value::Object(m) => {
            let price = is_price_object(m);
            for (k, child) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                catalogue(child, &p, price && k == "value", out);
            }
        }
        Value::Array(a) => {
            let p = format!("{path}[*]");
            for child in a {
                catalogue(child, &p, false, out);
            }
        }
        _ => {}
    }
}

impl ParamTree {
    /// The value tree of `params`.
    pub fn new(params: &GepParams) -> Result<Self, AnalysisError> {
        let root = serde_json::to_value(params).map_err(|e| AnalysisError::UnknownParameter {
            path: "(parameter set)".into(),
            reason: format!("cannot be represented as a value tree: {e}"),
        })?;
        Ok(Self { root })
    }

    /// Every numeric parameter, in document order (fields alphabetical within an object),
    /// arrays grouped as `name[*]` (see the module docs).
    pub fn parameters(&self) -> Vec<ParamInfo> {
        let mut out = Vec::new();
        catalogue(&self.root, "", false, &mut out);
        out
    }

    /// The parameter `path` addresses: its kind (price only if every addressed number is a
    /// price) and current values.
    pub fn resolve(&self, path: &str) -> Result<ParamInfo, AnalysisError> {
        let segs = parse(path)?;
        let mut root = self.root.clone();
        let mut values = Vec::new();
        let mut all_price = true;
        let n = visit_mut(&mut root, &segs, false, false, &mut |v, price| {
            values.push(v.as_f64().unwrap_or(f64::NAN));
            all_price &= price;
            Ok(())
        })
        .map_err(|reason| AnalysisError::UnknownParameter {
            path: path.into(),
            reason,
        })?;
        if n == 0 {
            return Err(AnalysisError::UnknownParameter {
                path: path.into(),
                reason: "addresses no number (empty array)".into(),
            });
        }
        Ok(ParamInfo {
            path: path.into(),
            kind: if all_price {
                ParamKind::Price
            } else {
                ParamKind::Physical
            },
            values,
        })
    }

    /// The parameter set with `edits` applied in order; `draw` names the draw or perturbation
    /// in errors (a non-finite result, or a set that no longer deserializes).
    pub fn edited(&self, edits: &[(&str, Edit)], draw: usize) -> Result<GepParams, AnalysisError> {
        let mut root = self.root.clone();
        for (path, edit) in edits {
            let segs = parse(path)?;
            visit_mut(&mut root, &segs, false, false, &mut |v, _| {
                let old = v.as_f64().unwrap_or(f64::NAN);
                let new = match edit {
                    Edit::Set(x) => *x,
                    Edit::Scale(k) => old * k,
                };
                *v = serde_json::Number::from_f64(new)
                    .map(Value::Number)
                    .ok_or_else(|| format!("new value {new} is not finite"))?;
                Ok(())
            })
            .map_err(|reason| AnalysisError::InvalidDraw {
                draw,
                message: format!("`{path}`: {reason}"),
            })?;
        }
        serde_json::from_value(root).map_err(|e| AnalysisError::InvalidDraw {
            draw,
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_without_edits_is_exact() {
        let p = GepParams::default();
        let t = ParamTree::new(&p).unwrap();
        assert_eq!(t.edited(&[], 0).unwrap(), p);
    }

    #[test]
    fn catalogue_kinds_and_grouping() {
        let t = ParamTree::new(&GepParams::default()).unwrap();
        let all = t.parameters();
        let get = |p: &str| {
            all.iter()
                .find(|i| i.path == p)
                .unwrap_or_else(|| panic!("{p}"))
        };
        let oxygen = get("oxygen_release.oxygen_price.value");
        assert_eq!(oxygen.kind, ParamKind::Price);
        // Default oxygen price 1000 yuan/t O2 (METHODS §2.9).
        assert_eq!(oxygen.values, vec![1000.0]);
        let runoff = get("water_conservation.runoff_coefficients.rows[*].value");
        assert_eq!(runoff.kind, ParamKind::Physical);
        assert!(runoff.values.len() > 1);
        // Years are integers, not parameters.
        assert!(all.iter().all(|i| !i.path.ends_with("price_year")));
        // Every price of `with_prices_scaled` is found as a price.
        let n_prices = all.iter().filter(|i| i.kind == ParamKind::Price).count();
        assert!(n_prices >= 15, "{n_prices}");
    }

    #[test]
    fn set_and_scale_by_path() {
        let t = ParamTree::new(&GepParams::default()).unwrap();
        let p = t
            .edited(
                &[
                    ("oxygen_release.oxygen_price.value", Edit::Set(1200.0)),
                    ("carbon_sequestration.carbon_price.value", Edit::Scale(2.0)),
                ],
                0,
            )
            .unwrap();
        assert_eq!(p.oxygen_release.oxygen_price.value, 1200.0);
        let base = GepParams::default().carbon_sequestration.carbon_price.value;
        assert_eq!(p.carbon_sequestration.carbon_price.value, 2.0 * base);
        let p = t
            .edited(
                &[(
                    "water_conservation.runoff_coefficients.rows[*].value",
                    Edit::Scale(0.5),
                )],
                0,
            )
            .unwrap();
        let d = GepParams::default();
        for (a, b) in p
            .water_conservation
            .runoff_coefficients
            .rows
            .iter()
            .zip(&d.water_conservation.runoff_coefficients.rows)
        {
            assert_eq!(a.value, b.value.map(|v| v * 0.5));
        }
    }

    #[test]
    fn bad_paths_name_the_path_and_where_it_stopped() {
        let t = ParamTree::new(&GepParams::default()).unwrap();
        let e = t.resolve("oxygen_release.no_such_price.value").unwrap_err();
        assert!(
            matches!(&e, AnalysisError::UnknownParameter { path, reason } if path == "oxygen_release.no_such_price.value" && reason.contains("no field `no_such_price`")),
            "{e}"
        );
        let e = t
            .resolve("oxygen_release.oxygen_price.price_year")
            .unwrap_err();
        assert!(e.to_string().contains("not a floating-point number"), "{e}");
        let e = t.resolve("a[x]").unwrap_err();
        assert!(e.to_string().contains("index must be"), "{e}");
        let e = t
            .edited(
                &[("oxygen_release.oxygen_price.value", Edit::Set(f64::NAN))],
                7,
            )
            .unwrap_err();
        assert!(
            matches!(e, AnalysisError::InvalidDraw { draw: 7, .. }),
            "{e}"
        );
    }
}
