//! Regions: a dense index 0..R of accounting units with names and a parent hierarchy
//! (village ⊂ township ⊂ county ⊂ province) so that accounts roll up.

use serde::{Deserialize, Serialize};

use crate::error::LandscapeError;

/// One region: its name, administrative level and parent (an index into the same table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// Name, unique within the table.
    pub name: String,
    /// Administrative level (`county`, `district`, `township`, ...); free text.
    #[serde(default)]
    pub level: String,
    /// Index of the parent region, if any.
    #[serde(default)]
    pub parent: Option<u32>,
}

impl Region {
    /// A region without a parent.
    pub fn root(name: impl Into<String>, level: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            level: level.into(),
            parent: None,
        }
    }

    /// A region inside `parent`.
    pub fn child(name: impl Into<String>, level: impl Into<String>, parent: u32) -> Self {
        Self {
            name: name.into(),
            level: level.into(),
            parent: Some(parent),
        }
    }
}

/// A checked region table: unique names, parents in range, no cycles.
///
/// Units are usually assigned to the finest regions (townships); coarser regions receive
/// their descendants' figures in [`Account::value_by_region_rollup`](crate::account::Account::value_by_region_rollup).
///
/// # Examples
/// ```
/// use gep::landscape::{Region, Regions};
/// let regions = Regions::new(vec![
///     Region::root("County", "county"),
///     Region::child("Town A", "township", 0),
///     Region::child("Town B", "township", 0),
/// ]).unwrap();
/// assert_eq!(regions.ancestors(2).collect::<Vec<_>>(), vec![0]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Region>", into = "Vec<Region>")]
pub struct Regions {
    regions: Vec<Region>,
}

impl Regions {
    /// Checks a region table.
    pub fn new(regions: Vec<Region>) -> Result<Self, LandscapeError> {
        let bad = |reason: String| LandscapeError::InvalidRegions { reason };
        if regions.is_empty() {
            return Err(bad("no regions".into()));
        }
        if regions.len() > u32::MAX as usize {
            return Err(bad(format!("{} regions exceed u32", regions.len())));
        }
        let n = regions.len();
        let mut names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(bad(format!("name `{}` is used twice", w[0])));
        }
        for (i, r) in regions.iter().enumerate() {
            if r.name.trim().is_empty() {
                return Err(bad(format!("region {i} has an empty name")));
            }
            if let Some(p) = r.parent {
                if p as usize >= n {
                    return Err(bad(format!(
                        "region {i} (`{}`) has parent {p}, but there are {n} regions",
                        r.name
                    )));
                }
            }
            // A chain longer than n steps must revisit a region: a cycle.
            let mut cur = r.parent;
            let mut steps = 0;
            while let Some(p) = cur {
                steps += 1;
                if steps > n {
                    return Err(bad(format!(
                        "region {i} (`{}`) is its own ancestor",
                        r.name
                    )));
                }
                cur = regions[p as usize].parent;
            }
        }
        Ok(Self { regions })
    }

    /// A single region (a landscape that is one accounting unit).
    pub fn single(name: impl Into<String>) -> Self {
        Self {
            regions: vec![Region::root(name, "")],
        }
    }

    /// Flat regions without hierarchy, from names.
    pub fn flat<S: Into<String>>(
        names: impl IntoIterator<Item = S>,
    ) -> Result<Self, LandscapeError> {
        Self::new(names.into_iter().map(|n| Region::root(n, "")).collect())
    }

    /// Number of regions.
    pub fn len(&self) -> usize {
        self.regions.len()
    }

    /// Always false (there is at least one region).
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// The regions in index order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The region at `index`.
    pub fn get(&self, index: usize) -> Option<&Region> {
        self.regions.get(index)
    }

    /// Index of the region with this name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.regions.iter().position(|r| r.name == name)
    }

    /// Strict ancestors of `index`, nearest first.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let mut cur = self.regions.get(index).and_then(|r| r.parent);
        std::iter::from_fn(move || {
            let p = cur? as usize;
            cur = self.regions[p].parent;
            Some(p)
        })
    }

    /// Depth of a region: 0 for a root.
    pub fn depth(&self, index: usize) -> usize {
        self.ancestors(index).count()
    }
}

impl TryFrom<Vec<Region>> for Regions {
    type Error = LandscapeError;
    fn try_from(r: Vec<Region>) -> Result<Self, Self::Error> {
        Self::new(r)
    }
}

impl From<Regions> for Vec<Region> {
    fn from(r: Regions) -> Self {
        r.regions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_is_refused() {
        let r = Regions::new(vec![Region::child("a", "", 1), Region::child("b", "", 0)]);
        assert!(
            matches!(r, Err(LandscapeError::InvalidRegions { ref reason }) if reason.contains("own ancestor"))
        );
    }

    #[test]
    fn parent_out_of_range_is_refused() {
        let r = Regions::new(vec![Region::child("a", "", 5)]);
        assert!(matches!(r, Err(LandscapeError::InvalidRegions { .. })));
    }
}
