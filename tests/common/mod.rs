//! Small hand-built landscapes shared by the integration tests.
#![allow(dead_code)]

use gep::prelude::*;
use ndarray::Array1;

/// One unit per entry: (area_ha, land-cover code, region, precip_mm, aet_mm, npp, rh).
pub type Row = (f64, i32, u32, f32, f32, f32, f32);

pub fn regions() -> Regions {
    Regions::new(vec![
        Region::root("County", "county"),
        Region::child("North", "district", 0),
        Region::child("South", "district", 0),
        Region::child("Town A", "township", 1),
        Region::child("Town B", "township", 1),
        Region::child("Town C", "township", 2),
    ])
    .unwrap()
}

pub fn landscape(rows: &[Row]) -> Result<Landscape, LandscapeError> {
    let col = |f: &dyn Fn(&Row) -> f32| rows.iter().map(f).collect::<Array1<f32>>();
    LandscapeBuilder::new(Classification::gep_default(), regions())
        .area_ha(rows.iter().map(|r| r.0).collect())
        .land_cover(rows.iter().map(|r| r.1).collect())
        .land_cover_nodata(0)
        .region(rows.iter().map(|r| r.2).collect())
        .layer("precip_mm", col(&|r| r.3), Some(-9999.0))
        .layer("aet_mm", col(&|r| r.4), Some(-9999.0))
        .layer("npp_gc_per_m2", col(&|r| r.5), Some(-9999.0))
        .layer("rh_gc_per_m2", col(&|r| r.6), Some(-9999.0))
        .build()
}

/// A mixed six-unit landscape over three townships.
pub fn mixed() -> Landscape {
    landscape(&[
        (1.0, 11, 3, 1600.0, 800.0, 700.0, 300.0),
        (0.09, 21, 3, 1500.0, 700.0, 480.0, 310.0),
        (2.0, 31, 4, 500.0, 600.0, 380.0, 320.0),
        (2.5, 12, 5, 1700.0, 790.0, 660.0, 300.0),
        (3.0, 51, 5, 1400.0, 760.0, 560.0, 300.0),
        (0.5, 41, 4, 1450.0, 900.0, 520.0, 280.0),
    ])
    .unwrap()
}

pub fn run(landscape: &Landscape, params: &GepParams) -> Account {
    let services = core_services(params).unwrap();
    Engine::new(&services).run(landscape).unwrap()
}
