//! Geometry checks of polygon features: closed rings of ≥ 4 positions and no self-intersection.
//!
//! Self-intersection is found with a sweep over edges sorted by their smallest x (only edges
//! whose x-ranges overlap are compared, O(n log n + k)) and Shewchuk's adaptive exact
//! orientation predicate (`robust`), so collinear and touching cases are decided exactly.
//! Within one ring, any contact between non-adjacent edges is an error (a ring that crosses or
//! touches itself), as is an adjacent pair that doubles back on itself (a spike). Between two
//! rings of one polygon, crossing or sharing a stretch of edge is an error; touching at a single
//! point is allowed (OGC Simple Features, as GEOS's `IsValid`).

use robust::{orient2d, Coord};

use crate::error::{Crossing, VectorError};
use crate::io::PolygonFeature;

pub(crate) fn check_feature(
    f: &PolygonFeature,
    source: &str,
    feature: usize,
) -> Result<(), VectorError> {
    for (polygon, p) in f.polygons.iter().enumerate() {
        let bad_ring = |ring: usize, message: String| VectorError::BadRing {
            path: source.to_string(),
            feature,
            polygon,
            ring,
            message,
        };
        if p.rings.is_empty() {
            return Err(bad_ring(0, "polygon has no rings".into()));
        }
        let mut edges = Vec::new();
        for (ring, pts) in p.rings.iter().enumerate() {
            if pts.len() < 4 {
                return Err(bad_ring(
                    ring,
                    format!("ring has {} positions, at least 4 are needed", pts.len()),
                ));
            }
            let (first, last) = (pts[0], pts[pts.len() - 1]);
            if first != last {
                return Err(bad_ring(
                    ring,
                    format!("ring is not closed: first position {first:?}, last {last:?}"),
                ));
            }
            let mut v: Vec<[f64; 2]> = Vec::with_capacity(pts.len());
            for &q in &pts[..pts.len() - 1] {
                if v.last() != Some(&q) {
                    v.push(q);
                }
            }
            if v.len() > 1 && v[0] == v[v.len() - 1] {
                v.pop();
            }
            if v.len() < 3 {
                return Err(bad_ring(
                    ring,
                    format!(
                        "ring has {} distinct positions, at least 3 are needed",
                        v.len()
                    ),
                ));
            }
            let m = v.len();
            edges.extend((0..m).map(|k| Edge {
                ring,
                k,
                m,
                a: v[k],
                b: v[(k + 1) % m],
            }));
        }
        if let Some((e, g, at)) = first_intersection(&mut edges) {
            return Err(VectorError::SelfIntersection {
                path: source.to_string(),
                feature,
                polygon,
                crossing: Box::new(Crossing {
                    ring_a: e.ring,
                    edge_a: [e.a, e.b],
                    ring_b: g.ring,
                    edge_b: [g.a, g.b],
                    at,
                }),
            });
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    ring: usize,
    /// Index of the edge in its ring, and the ring's number of edges.
    k: usize,
    m: usize,
    a: [f64; 2],
    b: [f64; 2],
}

impl Edge {
    fn xmin(&self) -> f64 {
        self.a[0].min(self.b[0])
    }
    fn xmax(&self) -> f64 {
        self.a[0].max(self.b[0])
    }
    fn ymin(&self) -> f64 {
        self.a[1].min(self.b[1])
    }
    fn ymax(&self) -> f64 {
        self.a[1].max(self.b[1])
    }
    fn adjacent(&self, o: &Edge) -> bool {
        self.ring == o.ring && ((self.k + 1) % self.m == o.k || (o.k + 1) % o.m == self.k)
    }
}

fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    orient2d(
        Coord { x: a[0], y: a[1] },
        Coord { x: b[0], y: b[1] },
        Coord { x: c[0], y: c[1] },
    )
}

/// Whether `p`, known to be on the line through `a`–`b`, lies on the segment.
fn within(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> bool {
    p[0] >= a[0].min(b[0])
        && p[0] <= a[0].max(b[0])
        && p[1] >= a[1].min(b[1])
        && p[1] <= a[1].max(b[1])
}

/// The first pair of edges (in sweep order) that intersect where they must not, and a point
/// they share.
fn first_intersection(edges: &mut [Edge]) -> Option<(Edge, Edge, [f64; 2])> {
    edges.sort_by(|e, g| e.xmin().total_cmp(&g.xmin()));
    for i in 0..edges.len() {
        let e = edges[i];
        for g in &edges[i + 1..] {
            if g.xmin() > e.xmax() {
                break;
            }
            if g.ymin() > e.ymax() || g.ymax() < e.ymin() {
                continue;
            }
            if let Some(at) = bad_contact(&e, g) {
                let (first, second) = if (e.ring, e.k) <= (g.ring, g.k) {
                    (e, *g)
                } else {
                    (*g, e)
                };
                return Some((first, second, at));
            }
        }
    }
    None
}

/// The point where two edges meet in a way a valid polygon does not allow, if any.
fn bad_contact(e: &Edge, g: &Edge) -> Option<[f64; 2]> {
    let (a, b, c, d) = (e.a, e.b, g.a, g.b);
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    if o1 != 0.0 && o2 != 0.0 && o3 != 0.0 && o4 != 0.0 {
        if (o1 > 0.0) != (o2 > 0.0) && (o3 > 0.0) != (o4 > 0.0) {
            let r = [b[0] - a[0], b[1] - a[1]];
            let s = [d[0] - c[0], d[1] - c[1]];
            let t = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / (r[0] * s[1] - r[1] * s[0]);
            return Some([a[0] + t * r[0], a[1] + t * r[1]]);
        }
        return None;
    }
    if o1 == 0.0 && o2 == 0.0 {
        // Collinear: the shared stretch along the longer axis.
        let axis = if (b[0] - a[0]).abs() >= (b[1] - a[1]).abs() {
            0
        } else {
            1
        };
        let (lo_e, hi_e) = (a[axis].min(b[axis]), a[axis].max(b[axis]));
        let (lo_g, hi_g) = (c[axis].min(d[axis]), c[axis].max(d[axis]));
        let (lo, hi) = (lo_e.max(lo_g), hi_e.min(hi_g));
        if lo > hi {
            return None;
        }
        let pick = |v: f64| [a, b, c, d].into_iter().find(|p| p[axis] == v).unwrap_or(a);
        if lo < hi {
            return Some(pick(lo));
        }
        // One shared point: an adjacent pair's common vertex, or a touch.
        return (!e.adjacent(g) && e.ring == g.ring).then(|| pick(lo));
    }
    let touch = [(o1, c, a, b), (o2, d, a, b), (o3, a, c, d), (o4, b, c, d)]
        .into_iter()
        .find(|&(o, p, s, t)| o == 0.0 && within(s, t, p))
        .map(|(_, p, _, _)| p)?;
    // Adjacent edges meet at their common vertex; other edges of one ring must not meet;
    // rings of one polygon may touch at a point.
    (e.ring == g.ring && !e.adjacent(g)).then_some(touch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::Polygon;

    fn feature(rings: Vec<Vec<[f64; 2]>>) -> PolygonFeature {
        PolygonFeature {
            polygons: vec![Polygon { rings }],
            properties: vec![],
        }
    }

    fn square(x0: f64, y0: f64, s: f64) -> Vec<[f64; 2]> {
        vec![
            [x0, y0],
            [x0 + s, y0],
            [x0 + s, y0 + s],
            [x0, y0 + s],
            [x0, y0],
        ]
    }

    #[test]
    fn valid_square_with_hole_touching_outer_at_a_point() {
        let hole = vec![[0.0, 2.0], [1.0, 1.0], [2.0, 2.0], [1.0, 3.0], [0.0, 2.0]];
        assert!(check_feature(&feature(vec![square(0.0, 0.0, 4.0), hole]), "f", 0).is_ok());
    }

    #[test]
    fn figure_eight_touching_itself_is_refused() {
        // The ring passes through (2, 2) twice.
        let r = vec![
            [0.0, 0.0],
            [2.0, 0.0],
            [2.0, 2.0],
            [4.0, 2.0],
            [4.0, 4.0],
            [2.0, 4.0],
            [2.0, 2.0],
            [0.0, 2.0],
            [0.0, 0.0],
        ];
        match check_feature(&feature(vec![r]), "f.geojson", 3) {
            Err(VectorError::SelfIntersection {
                feature, crossing, ..
            }) => {
                assert_eq!((feature, crossing.ring_a, crossing.ring_b), (3, 0, 0));
                assert_eq!(crossing.at, [2.0, 2.0]);
            }
            other => panic!("expected a self-intersection, got {other:?}"),
        }
    }

    #[test]
    fn hole_crossing_outer_and_spike_are_refused() {
        let hole = square(3.0, 1.0, 2.0); // sticks out of the 4 × 4 square across x = 4
        match check_feature(&feature(vec![square(0.0, 0.0, 4.0), hole]), "f", 0) {
            Err(VectorError::SelfIntersection { crossing, .. }) => {
                assert_eq!((crossing.ring_a, crossing.ring_b), (0, 1));
                let at = crossing.at;
                assert!(at == [4.0, 1.0] || at == [4.0, 3.0], "{at:?}");
            }
            other => panic!("{other:?}"),
        }
        // A spike: the ring goes out to (6, 2) and back along the same line.
        let spike = vec![
            [0.0, 0.0],
            [4.0, 0.0],
            [4.0, 2.0],
            [6.0, 2.0],
            [4.0, 2.0],
            [4.0, 4.0],
            [0.0, 4.0],
            [0.0, 0.0],
        ];
        assert!(matches!(
            check_feature(&feature(vec![spike]), "f", 0),
            Err(VectorError::SelfIntersection { .. })
        ));
    }

    #[test]
    fn open_and_short_rings_are_refused() {
        let open = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        let e = check_feature(&feature(vec![open]), "z.geojson", 2).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`z.geojson`, feature 2, polygon 0, ring 0: ring is not closed: first position [0.0, 0.0], last [0.0, 1.0]"
        );
        let short = vec![[0.0, 0.0], [1.0, 0.0], [0.0, 0.0]];
        assert!(matches!(
            check_feature(&feature(vec![short]), "z", 0),
            Err(VectorError::BadRing { .. })
        ));
    }
}
