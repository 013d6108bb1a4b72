//! Malformed terrain inputs give typed errors, never panics.

use gep::landscape::GridShape;
use gep::terrain::*;
use gep::GepError;
use ndarray::{array, Array2};

const ND: f32 = -9999.0;

#[test]
fn all_nodata_dem_is_an_error_for_every_dem_routine() {
    let dem = Array2::from_elem((3, 4), ND);
    let cell = CellSize::square(30.0).unwrap();
    let expected = TerrainError::AllNodata {
        layer: "dem".to_string(),
    };
    assert_eq!(fill_pits(dem.view(), Some(ND)).unwrap_err(), expected);
    assert_eq!(flow_dir_d8(dem.view(), Some(ND)).unwrap_err(), expected);
    assert_eq!(flow_dir_mfd(dem.view(), Some(ND)).unwrap_err(), expected);
    assert_eq!(
        slope_percent(dem.view(), Some(ND), cell).unwrap_err(),
        expected
    );
    // All-NaN with NaN declared as nodata is all nodata too.
    let nan = Array2::from_elem((2, 2), f32::NAN);
    assert_eq!(fill_pits(nan.view(), Some(f32::NAN)).unwrap_err(), expected);
}

#[test]
fn undeclared_nan_or_infinity_names_the_cell() {
    let dem = array![[1.0_f32, 2.0, 3.0], [4.0, f32::NAN, 6.0]];
    match fill_pits(dem.view(), Some(ND)).unwrap_err() {
        TerrainError::NonFinite {
            layer, row, col, ..
        } => assert_eq!((layer.as_str(), row, col), ("dem", 1, 1)),
        other => panic!("unexpected {other:?}"),
    }
    let dem = array![[1.0_f32, f32::INFINITY]];
    let err = flow_dir_d8(dem.view(), None).unwrap_err();
    assert!(matches!(
        err,
        TerrainError::NonFinite { row: 0, col: 1, .. }
    ));
    assert!(err.to_string().contains("row 0, col 1"));
    // Declared as nodata, NaN is fine and kept.
    let dem = array![[1.0_f32, f32::NAN, 3.0]];
    let filled = fill_pits(dem.view(), Some(f32::NAN)).unwrap();
    assert!(filled[[0, 1]].is_nan());
    assert_eq!(
        flow_dir_d8(dem.view(), Some(f32::NAN)).unwrap()[[0, 1]],
        D8_NODATA
    );
}

#[test]
fn zero_negative_or_nan_cell_sizes_are_refused() {
    for (w, h) in [
        (0.0, 30.0),
        (30.0, -30.0),
        (f64::NAN, 30.0),
        (30.0, f64::INFINITY),
    ] {
        assert!(matches!(
            CellSize::new(w, h),
            Err(TerrainError::InvalidCellSize { .. })
        ));
    }
    assert!(CellSize::square(-1.0).is_err());
    // The grid refuses them too (and converts into the crate error).
    assert!(GridShape::new(3, 3, 0.0).is_err());
    let grid = GridShape::with_geotransform(3, 3, [0.0, 30.0, 0.0, 0.0, 0.0, -30.0]).unwrap();
    assert_eq!(CellSize::from(&grid), CellSize::square(30.0).unwrap());
}

#[test]
fn ls_needs_square_cells_and_positive_l_max() {
    let s = array![[5.0_f32]];
    let fa = array![[3.0_f64]];
    let rect = CellSize::new(30.0, 20.0).unwrap();
    let err = ls_factor(s.view(), fa.view(), rect, &LsParams::default()).unwrap_err();
    assert!(
        matches!(err, TerrainError::NonSquareCells { width, height, .. } if width == 30.0 && height == 20.0)
    );
    let sq = CellSize::square(30.0).unwrap();
    for l_max in [0.0, -5.0, f64::NAN] {
        let p = LsParams {
            l_max,
            ..LsParams::default()
        };
        assert!(matches!(
            ls_factor(s.view(), fa.view(), sq, &p),
            Err(TerrainError::InvalidParameter {
                parameter: "l_max",
                ..
            })
        ));
    }
    // And the error converts into the crate error.
    let e: GepError = ls_factor(s.view(), fa.view(), rect, &LsParams::default())
        .unwrap_err()
        .into();
    assert!(e.to_string().contains("square"));
}

#[test]
fn empty_and_mismatched_layers() {
    let empty = Array2::<f32>::zeros((0, 4));
    assert!(matches!(
        fill_pits(empty.view(), None),
        Err(TerrainError::Empty {
            rows: 0,
            cols: 4,
            ..
        })
    ));
    let dirs = array![[0_u8, 0]];
    let w = array![[1.0_f32, 1.0, 1.0]];
    assert!(matches!(
        flow_accumulation_d8(dirs.view(), Some(w.view())),
        Err(TerrainError::ShapeMismatch { .. })
    ));
    let s = array![[5.0_f32, 5.0]];
    let fa = array![[1.0_f64]];
    let cell = CellSize::square(10.0).unwrap();
    assert!(matches!(
        ls_factor(s.view(), fa.view(), cell, &LsParams::default()),
        Err(TerrainError::ShapeMismatch { .. })
    ));
    let streams = array![[1_u8]];
    assert!(matches!(
        downstream_distance_d8(dirs.view(), streams.view(), None),
        Err(TerrainError::ShapeMismatch { .. })
    ));
}

#[test]
fn invalid_codes_and_parameters() {
    let dirs = array![[0_u8, 9]];
    assert!(matches!(
        flow_accumulation_d8(dirs.view(), None),
        Err(TerrainError::InvalidFlowDirection {
            row: 0,
            col: 1,
            value: 9,
            ..
        })
    ));
    let fa = array![[1.0_f64]];
    let mfd = array![[0xF_u32]];
    assert!(streams_d8(fa.view(), f64::NAN).is_err());
    assert!(streams_mfd(fa.view(), mfd.view(), 1.0, 1.5).is_err());
    assert!(streams_mfd(fa.view(), mfd.view(), f64::INFINITY, 0.7).is_err());
}

#[test]
fn pathological_but_valid_inputs_do_not_panic() {
    // A single valid cell among nodata, a one-column raster, a long one-row raster.
    let dem = array![[ND, ND], [ND, 4.0_f32]];
    let dirs = flow_dir_d8(dem.view(), Some(ND)).unwrap();
    assert_eq!(
        flow_accumulation_d8(dirs.view(), None).unwrap()[[1, 1]],
        1.0
    );
    let col = Array2::from_shape_fn((6, 1), |(r, _)| r as f32);
    let mfd = flow_dir_mfd(col.view(), None).unwrap();
    let fa = flow_accumulation_mfd(mfd.view(), None).unwrap();
    assert!(fa.iter().all(|&v| v >= 1.0));
    let row = Array2::from_shape_fn((1, 1000), |(_, c)| ((c * 37) % 11) as f32);
    let filled = fill_pits(row.view(), None).unwrap();
    assert_eq!(filled, row);
    let d = flow_dir_d8(row.view(), None).unwrap();
    assert!(d.iter().all(|&v| v <= 7));
}
