//! A service written outside the crate (one file, one trait impl), with a region-level cap in
//! its finishing step: `Q = min(emission, capacity)` per region, as air purification does.
//! Checks the cap is applied and reported, and that raw tile accounts merge before finishing.

use std::ops::Range;
use std::sync::Arc;

use approx::assert_relative_eq;
use gep::account::Engine;
use gep::error::AccountError;
use gep::params::{ParamRecord, Price, Status};
use gep::prelude::*;
use gep::services::{
    AvoidedCost, Component, FinishContext, ServiceCells, Sink, UnitInputs, UnitKernel,
};
use ndarray::array;

/// Dust retention: capacity 10 t/ha on forest, capped by each region's `dust_emission_t`.
#[derive(Debug)]
struct DustRetention;

struct Kernel<'a>(UnitInputs<'a, 0>);

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.0.for_each(units, sink, |u, sink| {
            sink.add(0, u.region, u.class, 10.0 * u.area_ha)
        });
    }
}

impl Service for DustRetention {
    fn id(&self) -> &'static str {
        "dust_retention"
    }
    fn name(&self) -> &'static str {
        "Dust retention"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        "Q = min(emission, 10 t/ha x A)".into()
    }
    fn required_layers(&self) -> Vec<&'static str> {
        vec![]
    }
    fn components(&self) -> Vec<Component> {
        vec![Component::new(
            "dust",
            "retained dust",
            PhysicalUnit::Tonne,
            Arc::new(AvoidedCost::new(
                "dust_cost",
                Price::yuan(150.0, PhysicalUnit::Tonne, 2010, "Garze", Status::Verified),
            )),
        )]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        vec![]
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let served = landscape
            .classification()
            .classes()
            .iter()
            .map(|c| c.ecosystem == EcosystemType::Forest)
            .collect();
        Ok(Box::new(Kernel(UnitInputs::bind(
            landscape,
            self.id(),
            [],
            served,
        )?)))
    }
    fn finish(
        &self,
        ctx: &FinishContext<'_>,
        cells: &mut ServiceCells<'_>,
    ) -> Result<(), GepError> {
        for r in 0..ctx.regions.len() {
            let capacity = cells.region_total(0, r);
            match ctx.stats.value("dust_emission_t", r) {
                Some(emission) if emission < capacity => {
                    cells.scale_region(0, r, emission / capacity);
                    cells.record_adjustment(0, emission - capacity);
                    cells.note(format!("region {r}: capped at emission {emission} t"));
                }
                Some(_) => {}
                None => {
                    // No emission data: unvalued, not zero-valued, and said so.
                    cells.scale_region(0, r, 0.0);
                    cells.record_adjustment(0, -capacity);
                    cells.note(format!("region {r}: no emission data, not valued"));
                }
            }
        }
        Ok(())
    }
    fn is_additive(&self) -> bool {
        false
    }
}

fn landscape() -> Landscape {
    // Region a: 3 forest ha (capacity 30 t), emission 12 t → 12 t (cap binds).
    // Region b: 2 forest ha + 1 paddy ha (capacity 20 t), emission 50 t → 20 t (cap does not bind).
    // Region c: 1 forest ha, no emission data → unvalued.
    LandscapeBuilder::new(
        Classification::gep_default(),
        Regions::flat(["a", "b", "c"]).unwrap(),
    )
    .area_ha(array![1.0, 2.0, 2.0, 1.0, 1.0])
    .land_cover(array![11, 12, 11, 51, 13])
    .region(array![0, 0, 1, 1, 2])
    .region_stat(
        "dust_emission_t",
        vec![Some(12.0), Some(50.0), None],
        "test",
    )
    .build()
    .unwrap()
}

#[test]
fn emission_cap_binds_and_is_reported_t_and_yuan() {
    let services: Vec<Box<dyn Service>> = vec![Box::new(DustRetention)];
    let a = Engine::new(&services).run(&landscape()).unwrap();
    // 12 t + 20 t = 32 t; × 150 yuan/t = 4800 yuan.
    assert_relative_eq!(
        a.quantity("dust_retention", "dust").unwrap(),
        32.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(a.total_value(), 4800.0, max_relative = 1e-12);
    let by_region = a.quantity_by_region("dust_retention", "dust").unwrap();
    assert_relative_eq!(by_region[0], 12.0, max_relative = 1e-12);
    assert_relative_eq!(by_region[1], 20.0, max_relative = 1e-12);
    assert_eq!(by_region[2], 0.0);
    // The cap split 12 t between the two forest classes of region a by their capacities (1:2).
    let rec = a.provenance("dust_retention").unwrap();
    // Capped: −18 t in a, −10 t in c.
    assert_relative_eq!(rec.tally.adjusted_sum[0], -28.0, max_relative = 1e-12);
    assert!(rec.notes.iter().any(|n| n.contains("no emission data")));
}

#[test]
fn raw_tiles_merge_then_finish_equals_whole() {
    let l = landscape();
    let services: Vec<Box<dyn Service>> = vec![Box::new(DustRetention)];
    let engine = Engine::new(&services);
    let whole = engine.run(&l).unwrap();
    let t1 = engine.run_raw(&l.slice(0..2).unwrap()).unwrap();
    let t2 = engine.run_raw(&l.slice(2..5).unwrap()).unwrap();
    let merged = engine
        .finish(t1.merge(&t2).unwrap(), l.region_stats())
        .unwrap();
    assert_relative_eq!(
        merged.total_value(),
        whole.total_value(),
        max_relative = 1e-12
    );
    // Finished tile accounts of a capped service must not be merged.
    let f1 = engine.run(&l.slice(0..2).unwrap()).unwrap();
    let f2 = engine.run(&l.slice(2..5).unwrap()).unwrap();
    assert!(matches!(
        f1.merge(&f2),
        Err(AccountError::NotAdditive { .. })
    ));
    assert!(matches!(
        engine.finish(whole, l.region_stats()),
        Err(GepError::Account(AccountError::AlreadyFinished))
    ));
}

#[test]
fn region_stat_errors_name_the_column() {
    let e = LandscapeBuilder::new(
        Classification::gep_default(),
        Regions::flat(["a", "b"]).unwrap(),
    )
    .area_ha(array![1.0])
    .land_cover(array![11])
    .region_stat("dust_emission_t", vec![Some(1.0)], "test")
    .build()
    .unwrap_err();
    assert!(
        matches!(e, LandscapeError::LengthMismatch { ref layer, expected: 2, len: 1 } if layer == "dust_emission_t")
    );
    let e = LandscapeBuilder::new(
        Classification::gep_default(),
        Regions::flat(["a", "b"]).unwrap(),
    )
    .area_ha(array![1.0])
    .land_cover(array![11])
    .region_stat("dust_emission_t", vec![Some(1.0), Some(f64::NAN)], "test")
    .build()
    .unwrap_err();
    assert!(
        matches!(e, LandscapeError::NonFinite { ref layer, unit: 1, .. } if layer == "dust_emission_t")
    );
}
