//! Runs on raster files (`gep::run`): configuration errors, alignment, coverage, streamed ==
//! in-memory, progress, per-cell maps, and the sample county written to files.
#![cfg(all(feature = "geotiff", feature = "toml", feature = "json"))]

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use approx::assert_relative_eq;
use gep::account::Account;
use gep::io::{write_geotiff, Raster, RasterData, WriteOptions};
use gep::prelude::*;
use gep::run::{
    block_rows_for, check_aligned, execute, inputs_from_landscape, run_rasters, write_sample,
    write_synthetic, GridInfo, MapRequest, MapSink, MemorySource, NodataMask, Progress,
    RasterInputs, RegionRaster, RowSource, RunConfig, Stage, StreamOptions,
};
use gep::sample::{SampleConfig, SampleCounty};
use gep::services::LsSource;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gep_run_rasters_{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const GT: [f64; 6] = [500_000.0, 100.0, 0.0, 2_800_000.0, 0.0, -100.0];

fn raster(rows: usize, cols: usize, data: RasterData, nodata: Option<f64>) -> Raster {
    Raster {
        rows,
        cols,
        geotransform: GT,
        epsg: Some(32650),
        nodata,
        data,
    }
}

fn no_progress(_: Progress) {}

// ---------------------------------------------------------------- configuration

/// A directory with a 2 × 3 land cover and precipitation file, and a config text builder.
fn config_dir(name: &str) -> PathBuf {
    let d = tmp(name);
    let o = WriteOptions::default();
    write_geotiff(
        d.join("lc.tif"),
        &raster(2, 3, RasterData::I32(vec![11; 6]), Some(0.0)),
        &o,
    )
    .unwrap();
    write_geotiff(
        d.join("precip.tif"),
        &raster(2, 3, RasterData::F32(vec![1600.0; 6]), Some(-9999.0)),
        &o,
    )
    .unwrap();
    d
}

const GOOD: &str = r#"
profile = "mee2020"
services = ["water_conservation"]
[landscape]
land_cover = "lc.tif"
[layers]
precip_mm = "precip.tif"
[output]
dir = "out"
"#;

fn load(dir: &Path, text: &str) -> Result<RunConfig, gep::error::ConfigError> {
    let p = dir.join("run.toml");
    std::fs::write(&p, text).unwrap();
    RunConfig::load(&p)
}

#[test]
fn config_parses_and_resolves_paths_against_its_directory() {
    let d = config_dir("good");
    let c = load(&d, GOOD).unwrap();
    assert_eq!(c.profile, "mee2020");
    assert_eq!(c.landscape.land_cover, d.join("lc.tif"));
    assert_eq!(c.layers["precip_mm"], d.join("precip.tif"));
    assert_eq!(c.output.dir, d.join("out"));
    assert_eq!(c.output.formats, vec!["csv", "json"]);
    assert_eq!(c.landscape.nodata_mask, NodataMask::Mutual);
    // No [stream] section: the whole grid is one block.
    assert_eq!(c.stream_options().block_rows, Some(usize::MAX));
}

#[test]
fn every_bad_config_is_a_typed_error_naming_file_and_key() {
    let d = config_dir("bad");
    let cfg = d.join("run.toml").display().to_string();
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            GOOD.replace("[layers]", "colour = \"red\"\n[layers]"),
            vec!["unknown field `colour`"],
        ),
        (
            GOOD.replace("[output]\ndir = \"out\"", ""),
            vec!["missing field `output`"],
        ),
        (
            GOOD.replace("\"lc.tif\"", "\"nope.tif\""),
            vec!["`landscape.land_cover`", "nope.tif", "does not exist"],
        ),
        (
            GOOD.replace("\"precip.tif\"", "\"rain.tif\""),
            vec!["`layers.precip_mm`", "rain.tif", "does not exist"],
        ),
        (
            GOOD.replace("mee2020", "mee2099"),
            vec!["`profile` = \"mee2099\"", "one of mee2020"],
        ),
        (
            GOOD.replace("dir = \"out\"", "dir = \"out\"\nformats = [\"xlsx\"]"),
            vec!["`output.formats` = \"xlsx\""],
        ),
        (
            GOOD.replace("precip_mm =", "Precip ="),
            vec!["`layers.Precip`", "quantity_unit"],
        ),
        (
            format!("{GOOD}[stream]\nmemory_mb = 0\n"),
            vec!["`stream.memory_mb` = 0"],
        ),
        (
            format!("{GOOD}[regions]\nraster = \"lc.tif\"\n"),
            vec!["`regions`", "either `raster` and `table`"],
        ),
        (
            format!("{GOOD}[region_stats]\ntable = \"stats.csv\"\n"),
            vec!["`region_stats.table`", "stats.csv"],
        ),
        ("profile = ".to_string(), vec!["line 1, column 11"]),
    ];
    for (text, needles) in cases {
        let e = load(&d, &text).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with(&format!("`{cfg}`")), "{msg}");
        for n in needles {
            assert!(msg.contains(n), "`{n}` not in: {msg}");
        }
    }
    // A map of a service that the run does not have: found when the profile is built.
    let c = load(
        &d,
        &GOOD.replace(
            "dir = \"out\"",
            "dir = \"out\"\nmaps = [\"carbon_sequestration\"]",
        ),
    )
    .unwrap();
    let e = c.profile().unwrap_err().to_string();
    assert!(
        e.contains("`output.maps` = \"carbon_sequestration\""),
        "{e}"
    );
}

// ---------------------------------------------------------------- alignment

#[test]
fn misaligned_layers_name_both_files_and_what_differs() {
    let lc = GridInfo {
        rows: 4,
        cols: 5,
        geotransform: [0.0, 25.0, 0.0, 0.0, 0.0, -25.0],
        epsg: Some(32650),
        nodata: None,
    };
    let e = |other: GridInfo| {
        check_aligned("land_cover.tif", &lc, "npp.tif", &other)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        e(GridInfo {
            geotransform: [0.0, 30.0, 0.0, 0.0, 0.0, -30.0],
            ..lc.clone()
        }),
        "`npp.tif`: cell size 30 × -30 does not match 25 × -25 of `land_cover.tif`"
    );
    assert_eq!(
        e(GridInfo {
            rows: 5,
            ..lc.clone()
        }),
        "`npp.tif`: size 5 rows × 5 columns does not match 4 rows × 5 columns of `land_cover.tif`"
    );
    // Half a cell off: origin differs.
    assert_eq!(
        e(GridInfo {
            geotransform: [12.5, 25.0, 0.0, 0.0, 0.0, -25.0],
            ..lc.clone()
        }),
        "`npp.tif`: origin (12.5, 0) does not match (0, 0) of `land_cover.tif`"
    );
    assert_eq!(
        e(GridInfo {
            epsg: Some(4326),
            ..lc.clone()
        }),
        "`npp.tif`: CRS EPSG:4326 does not match EPSG:32650 of `land_cover.tif`"
    );
    // 1e-12 of a cell is within the tolerance (1e-9 × cell size).
    let near = GridInfo {
        geotransform: [25.0e-12, 25.0, 0.0, 0.0, 0.0, -25.0],
        ..lc.clone()
    };
    assert!(check_aligned("a", &lc, "b", &near).is_ok());
}

#[test]
fn misaligned_files_in_a_config_are_refused_before_any_reading() {
    let d = config_dir("misaligned");
    let mut r = raster(2, 3, RasterData::F32(vec![500.0; 6]), None);
    r.geotransform[1] = 30.0;
    r.geotransform[5] = -30.0;
    write_geotiff(d.join("npp.tif"), &r, &WriteOptions::default()).unwrap();
    let c = load(
        &d,
        &GOOD.replace("[output]", "npp_gc_per_m2 = \"npp.tif\"\n[output]"),
    )
    .unwrap();
    let e = c.open_inputs().err().unwrap().to_string();
    let npp = d.join("npp.tif").display().to_string();
    let lc = d.join("lc.tif").display().to_string();
    assert_eq!(
        e,
        format!("`{npp}`: cell size 30 × -30 does not match 100 × -100 of `{lc}`")
    );
}

// ---------------------------------------------------------------- coverage

/// 4 × 5 cells of 1 ha (100 m) evergreen broadleaf forest (code 11) with holes:
/// land cover nodata (0) at cells 0 and 7; region nodata at 19; precip nodata at 7 (also a
/// land-cover hole), 8 and 12; NPP nodata at 12 and 13; AET and Rh complete.
fn holes(mask: NodataMask) -> (RasterInputs, StreamOptions) {
    let (rows, cols) = (4, 5);
    let mut lc = vec![11i32; 20];
    lc[0] = 0;
    lc[7] = 0;
    let mut region = vec![1u16; 20];
    region[..10].fill(0);
    region[19] = 255;
    let mut precip = vec![1600.0f32; 20];
    for i in [7, 8, 12] {
        precip[i] = -9999.0;
    }
    let mut npp = vec![700.0f32; 20];
    npp[12] = f32::NAN;
    npp[13] = -1.0;
    let src = |name: &str, data, nodata| -> Box<dyn RowSource> {
        Box::new(MemorySource::new(name, raster(rows, cols, data, nodata)))
    };
    let inputs = RasterInputs {
        land_cover: src("lc.tif", RasterData::I32(lc), Some(0.0)),
        regions: Some(RegionRaster {
            source: src("regions.tif", RasterData::U16(region), Some(255.0)),
            codes: vec![(0, 0), (1, 1)],
            table: "regions.csv".into(),
        }),
        layers: vec![
            (
                "precip_mm".into(),
                src("precip.tif", RasterData::F32(precip), Some(-9999.0)),
            ),
            (
                "aet_mm".into(),
                src("aet.tif", RasterData::F32(vec![800.0; 20]), Some(-9999.0)),
            ),
            (
                "npp_gc_per_m2".into(),
                src("npp.tif", RasterData::F32(npp), Some(-1.0)),
            ),
            (
                "rh_gc_per_m2".into(),
                src("rh.tif", RasterData::F32(vec![300.0; 20]), None),
            ),
        ],
        classification: Classification::gep_default(),
        classification_source: "gep_default".into(),
        region_list: Regions::flat(["North", "South"]).unwrap(),
        region_stats: Default::default(),
    };
    let options = StreamOptions {
        block_rows: Some(3),
        mask,
        ..StreamOptions::default()
    };
    (inputs, options)
}

fn core_profile() -> Profile {
    Profile::mee2020().with_services([
        "water_conservation",
        "carbon_sequestration",
        "oxygen_release",
    ])
}

/// Value of one 1 ha forest cell with P 1600 mm, ET 800 mm, NPP 700 and Rh 300 g C/m², as in
/// the crate's quick start: water 7572.8 m³ × 6.1107 yuan/m³, carbon 44/3 t CO2 × 360 yuan/t,
/// oxygen 32/3 t O2 × 1000 yuan/t.
const WATER_YUAN: f64 = 7572.8 * 6.1107;
const CARBON_YUAN: f64 = 44.0 / 3.0 * 360.0;
const OXYGEN_YUAN: f64 = 32.0 / 3.0 * 1000.0;

#[test]
fn coverage_counts_cells_per_layer_and_mutual_masking() {
    let (mut inputs, options) = holes(NodataMask::Mutual);
    let a = run_rasters(
        &core_profile(),
        &mut inputs,
        &options,
        &mut [],
        &no_progress,
    )
    .unwrap();
    let c = a.coverage().unwrap();
    assert_eq!(c.cells, 20);
    assert_eq!(c.land_cover_nodata, 2); // cells 0, 7
    assert_eq!(c.region_nodata, 1); // cell 19
    assert_eq!(c.masked, 3); // cells 8, 12 (precip), 13 (npp); 12 counted once
    assert_eq!(c.used, 14);
    let by_name = |n: &str| c.layers.iter().find(|l| l.name == n).unwrap();
    assert_eq!(
        (by_name("land_cover").valid, by_name("land_cover").nodata),
        (18, 2)
    );
    assert_eq!(
        (by_name("regions").valid, by_name("regions").nodata),
        (19, 1)
    );
    assert_eq!(
        (by_name("precip_mm").valid, by_name("precip_mm").nodata),
        (17, 3)
    );
    assert_eq!(by_name("precip_mm").path, "precip.tif");
    assert_eq!(
        (
            by_name("npp_gc_per_m2").valid,
            by_name("npp_gc_per_m2").nodata
        ),
        (18, 2)
    );
    assert_eq!(
        (
            by_name("rh_gc_per_m2").valid,
            by_name("rh_gc_per_m2").nodata
        ),
        (20, 0)
    );
    // Every service accounts the same 14 cells.
    let v = a.value_by_service();
    assert_relative_eq!(v[0], 14.0 * WATER_YUAN, max_relative = 1e-9);
    assert_relative_eq!(v[1], 14.0 * CARBON_YUAN, max_relative = 1e-9);
    assert_relative_eq!(v[2], 14.0 * OXYGEN_YUAN, max_relative = 1e-9);
    // Coverage is in the account's JSON document (account.json).
    let doc: serde_json::Value = serde_json::from_str(&a.to_json_string().unwrap()).unwrap();
    assert_eq!(doc["coverage"]["used"], 14);
    assert_eq!(doc["coverage"]["layers"][2]["name"], "precip_mm");
    assert_eq!(doc["coverage"]["layers"][2]["nodata"], 3);
}

#[test]
fn per_layer_masking_lets_each_service_skip_its_own_nodata() {
    let (mut inputs, options) = holes(NodataMask::PerLayer);
    let a = run_rasters(
        &core_profile(),
        &mut inputs,
        &options,
        &mut [],
        &no_progress,
    )
    .unwrap();
    let c = a.coverage().unwrap();
    assert_eq!((c.masked, c.used), (0, 17));
    let v = a.value_by_service();
    // Water skips precip holes 8 and 12: 15 cells; carbon and oxygen skip NPP holes 12, 13.
    assert_relative_eq!(v[0], 15.0 * WATER_YUAN, max_relative = 1e-9);
    assert_relative_eq!(v[1], 15.0 * CARBON_YUAN, max_relative = 1e-9);
    assert_relative_eq!(v[2], 15.0 * OXYGEN_YUAN, max_relative = 1e-9);
}

#[test]
fn unknown_codes_name_the_file_row_and_column() {
    let (mut inputs, options) = holes(NodataMask::Mutual);
    let mut lc = vec![11i32; 20];
    lc[13] = 99;
    inputs.land_cover = Box::new(MemorySource::new(
        "lc.tif",
        raster(4, 5, RasterData::I32(lc), Some(0.0)),
    ));
    let e = run_rasters(
        &core_profile(),
        &mut inputs,
        &options,
        &mut [],
        &no_progress,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "`lc.tif`, row 2, column 3: land-cover code 99 is not in gep_default"
    );
    let (mut inputs, options) = holes(NodataMask::Mutual);
    let mut region = vec![1u16; 20];
    region[6] = 7;
    inputs.regions.as_mut().unwrap().source = Box::new(MemorySource::new(
        "regions.tif",
        raster(4, 5, RasterData::U16(region), Some(255.0)),
    ));
    let e = run_rasters(
        &core_profile(),
        &mut inputs,
        &options,
        &mut [],
        &no_progress,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "`regions.tif`, row 1, column 1: region code 7 is not in regions.csv"
    );
}

// ---------------------------------------------------------------- streamed == in memory

/// MEE 2020 on the sample county with LS from the `ls_1` layer (streamable) and sand
/// fixation's cos(slope) from the DEM (a 1-row halo).
fn streamable_profile() -> Profile {
    let mut p = Profile::mee2020();
    p.params.soil_conservation.ls_source = LsSource::Layer;
    p
}

fn sample(rows: usize, cols: usize) -> SampleCounty {
    SampleCounty::generate(&SampleConfig {
        rows,
        cols,
        cell_size_m: 30.0,
        seed: 7,
    })
    .unwrap()
}

fn streamed(
    s: &SampleCounty,
    profile: &Profile,
    block_rows: usize,
    maps: &mut [MapRequest],
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Account, GepError> {
    let mut inputs = inputs_from_landscape(&s.landscape).unwrap();
    let options = StreamOptions {
        block_rows: Some(block_rows),
        mask: NodataMask::PerLayer,
        ..StreamOptions::default()
    };
    run_rasters(profile, &mut inputs, &options, maps, progress)
}

#[test]
fn streamed_account_equals_the_in_memory_account_for_any_block_size_and_thread_count() {
    let s = sample(150, 100);
    let profile = streamable_profile();
    let memory = profile.run(&s.landscape).unwrap();
    assert!(memory.total_value() > 0.0);
    let sand = memory.provenance("sand_fixation").unwrap().tally.counted;
    assert!(sand > 0, "the halo service must count cells");
    for block_rows in [1, 7, 64, 150] {
        let pool = |n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
        };
        let one = pool(1)
            .install(|| streamed(&s, &profile, block_rows, &mut [], &no_progress))
            .unwrap();
        let two = pool(2)
            .install(|| streamed(&s, &profile, block_rows, &mut [], &no_progress))
            .unwrap();
        // Bit-identical across thread counts.
        assert_eq!(one.total_value().to_bits(), two.total_value().to_bits());
        assert_eq!(one.to_json_string().unwrap(), two.to_json_string().unwrap());
        // Equal to the in-memory account within 1e-9 relative (compensated sums in another
        // chunking differ in the last bits only), service by service, with the same tallies.
        assert_relative_eq!(one.total_value(), memory.total_value(), max_relative = 1e-9);
        for (a, b) in one.value_by_service().iter().zip(memory.value_by_service()) {
            assert_relative_eq!(*a, b, max_relative = 1e-9, epsilon = 1e-9);
        }
        for (a, b) in one.services().iter().zip(memory.services()) {
            assert_eq!(
                a.tally.counted, b.tally.counted,
                "{} block {block_rows}",
                a.id
            );
            assert_eq!(a.tally.layer_nodata, b.tally.layer_nodata, "{}", a.id);
        }
        assert_eq!(one.n_units(), memory.n_units());
        assert_eq!(
            one.land_cover_nodata_units(),
            memory.land_cover_nodata_units()
        );
    }
}

#[test]
fn whole_grid_services_are_refused_when_streamed_but_run_in_one_block() {
    let s = sample(40, 30);
    let profile = Profile::mee2020(); // LS from the DEM: flow accumulation over the grid
    let e = streamed(&s, &profile, 10, &mut [], &no_progress)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("service `soil_conservation` cannot be streamed"),
        "{e}"
    );
    assert!(e.contains("`ls_1`"), "{e}");
    let one_block = streamed(&s, &profile, 40, &mut [], &no_progress).unwrap();
    let memory = profile.run(&s.landscape).unwrap();
    assert_relative_eq!(
        one_block.total_value(),
        memory.total_value(),
        max_relative = 1e-12
    );
}

#[test]
fn progress_is_monotone_and_reaches_all_rows() {
    let s = sample(50, 20);
    let seen = Mutex::new(Vec::new());
    let progress = |p: Progress| seen.lock().unwrap().push(p);
    streamed(&s, &streamable_profile(), 12, &mut [], &progress).unwrap();
    let seen = seen.into_inner().unwrap();
    let rows: Vec<usize> = seen
        .iter()
        .filter(|p| p.stage == Stage::Accounting)
        .map(|p| p.rows_done)
        .collect();
    assert_eq!(rows, vec![12, 24, 36, 48, 50]);
    assert!(seen.iter().all(|p| p.rows_total == 50));
    assert_eq!(seen.last().unwrap().stage, Stage::Done);
    assert_eq!(seen.last().unwrap().rows_done, 50);
}

#[test]
fn block_height_comes_from_the_budget_not_the_raster_size() {
    // 2 layers, no maps: (12·2 + 43) bytes/cell × 3 (two blocks in flight, slack) × 1000
    // columns = 201 000 bytes per row; 1 MB → 4 rows.
    assert_eq!(block_rows_for(1, 1000, 2, 0, 0).unwrap(), 4);
    // With a 1-row halo on each side, 2 of them are halo.
    assert_eq!(block_rows_for(1, 1000, 2, 0, 1).unwrap(), 2);
    let e = block_rows_for(1, 100_000, 2, 0, 0).unwrap_err().to_string();
    assert!(e.contains("memory budget 1 MB is too small"), "{e}");
}

// ---------------------------------------------------------------- maps

/// Rows received: (first row, values).
type Rows = std::sync::Arc<Mutex<Vec<(usize, Vec<f32>)>>>;

struct Collect(Rows);

impl MapSink for Collect {
    fn write_rows(&mut self, rows: std::ops::Range<usize>, values: &[f32]) -> gep::Result<()> {
        self.0.lock().unwrap().push((rows.start, values.to_vec()));
        Ok(())
    }
}

#[test]
fn map_values_sum_to_the_account_value_of_additive_services() {
    let s = sample(60, 40);
    let profile = streamable_profile();
    let ids = [
        "carbon_sequestration",
        "water_conservation",
        "sand_fixation",
    ];
    let bufs: Vec<_> = ids
        .iter()
        .map(|_| std::sync::Arc::new(Mutex::new(Vec::new())))
        .collect();
    let mut maps: Vec<MapRequest> = ids
        .iter()
        .zip(&bufs)
        .map(|(id, b)| MapRequest {
            service: id.to_string(),
            sink: Box::new(Collect(b.clone())),
        })
        .collect();
    let a = streamed(&s, &profile, 16, &mut maps, &no_progress).unwrap();
    for (id, b) in ids.iter().zip(&bufs) {
        let rows = b.lock().unwrap();
        assert_eq!(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![0, 16, 32, 48]
        );
        let values: Vec<f32> = rows.iter().flat_map(|r| r.1.iter().copied()).collect();
        assert_eq!(values.len(), 60 * 40);
        let sum: f64 = values
            .iter()
            .filter(|v| !v.is_nan())
            .map(|&v| f64::from(v))
            .sum();
        let k = a.services().iter().position(|r| r.id == *id).unwrap();
        // Per-cell values are f32 (relative rounding 6e-8 each); their f64 sum matches the
        // account to well within 1e-6.
        assert_relative_eq!(sum, a.value_by_service()[k], max_relative = 1e-6);
        let skipped = values.iter().filter(|v| v.is_nan()).count() as u64;
        assert_eq!(
            skipped,
            60 * 40 - a.services()[k].tally.counted,
            "{id}: NaN where the service skipped the cell"
        );
    }
    // Non-additive services have no per-cell map.
    let mut bad = vec![MapRequest {
        service: "air_purification".into(),
        sink: Box::new(Collect(Default::default())),
    }];
    let e = streamed(&s, &profile, 16, &mut bad, &no_progress)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("`air_purification` has no per-unit values"),
        "{e}"
    );
}

// ---------------------------------------------------------------- the sample as files

#[test]
fn the_sample_county_written_to_files_gives_the_in_memory_gep() {
    let d = tmp("sample");
    let config = SampleConfig::tiny();
    let toml = write_sample(&d, &config).unwrap();
    let run = RunConfig::load(&toml).unwrap();
    let report = execute(&run, &no_progress).unwrap();
    let memory = Profile::mee2020()
        .run(&SampleCounty::generate(&config).unwrap().landscape)
        .unwrap();
    assert_relative_eq!(
        report.account.total_value(),
        memory.total_value(),
        max_relative = 1e-9
    );
    for (a, b) in report
        .account
        .value_by_service()
        .iter()
        .zip(memory.value_by_service())
    {
        assert_relative_eq!(*a, b, max_relative = 1e-9, epsilon = 1e-9);
    }
    assert_eq!(
        report.account.run_info().unwrap().params_hash,
        memory.run_info().unwrap().params_hash
    );
    for f in [
        "account.csv",
        "account.json",
        "carbon_sequestration_value.tif",
    ] {
        assert!(d.join("out").join(f).is_file(), "{f}");
    }
    let map = gep::io::read_geotiff(d.join("out/carbon_sequestration_value.tif")).unwrap();
    assert_eq!((map.rows, map.cols), (config.rows, config.cols));
    let sum: f64 = map.data.to_f64().iter().filter(|v| !v.is_nan()).sum();
    let k = memory
        .services()
        .iter()
        .position(|s| s.id == "carbon_sequestration")
        .unwrap();
    assert_relative_eq!(sum, memory.value_by_service()[k], max_relative = 1e-6);
}

// ---------------------------------------------------------------- streamed from GeoTIFF files

#[test]
fn streamed_from_geotiff_files_equals_the_one_block_account() {
    let d = tmp("synthetic");
    let toml = write_synthetic(&d, 150, 100, 64).unwrap();
    let text = std::fs::read_to_string(&toml).unwrap();
    let run = |stream: &str, name: &str| {
        let p = d.join(name);
        std::fs::write(&p, text.replace("[stream]\nmemory_mb = 64\n", stream)).unwrap();
        let c = RunConfig::load(&p).unwrap();
        execute(&c, &no_progress).unwrap().account
    };
    let whole = run("", "whole.toml");
    for block_rows in [3, 16] {
        let streamed = run(
            &format!("[stream]\nblock_rows = {block_rows}\n"),
            &format!("b{block_rows}.toml"),
        );
        assert_relative_eq!(
            streamed.total_value(),
            whole.total_value(),
            max_relative = 1e-9
        );
        for (a, b) in streamed
            .value_by_region()
            .iter()
            .zip(whole.value_by_region())
        {
            assert_relative_eq!(*a, b, max_relative = 1e-9);
        }
        assert_eq!(streamed.coverage(), whole.coverage());
    }
    // From the budget (64 MB): one block covers 150 rows of 100 cells.
    let budget = run("[stream]\nmemory_mb = 64\n", "budget.toml");
    assert_relative_eq!(
        budget.total_value(),
        whole.total_value(),
        max_relative = 1e-9
    );
    let c = whole.coverage().unwrap();
    assert_eq!(c.cells, 15_000);
    // The top-left triangle of land-cover nodata: row + col < 10, 55 cells.
    assert_eq!(c.land_cover_nodata, 55);
    assert_eq!(
        c.used + c.masked + c.land_cover_nodata + c.region_nodata,
        c.cells
    );
    assert!(c.masked > 0, "NPP holes are masked");
    // Region codes 1..=100 and the province (code 0, no cells of its own).
    assert_eq!(whole.regions().len(), 101);
}

// ---------------------------------------------------------------- zones from polygons

#[cfg(feature = "vector")]
#[test]
fn regions_from_geojson_zones_rasterised_on_the_land_cover_grid() {
    let d = tmp("zones");
    let o = WriteOptions::default();
    write_geotiff(
        d.join("lc.tif"),
        &raster(4, 5, RasterData::I32(vec![11; 20]), Some(0.0)),
        &o,
    )
    .unwrap();
    for (name, v) in [
        ("precip", 1600.0),
        ("aet", 800.0),
        ("npp", 700.0),
        ("rh", 300.0),
    ] {
        write_geotiff(
            d.join(format!("{name}.tif")),
            &raster(4, 5, RasterData::F32(vec![v; 20]), Some(-9999.0)),
            &o,
        )
        .unwrap();
    }
    // West holds columns 0–2 (x 500 000–500 300), East column 3; column 4 is in no zone.
    let geojson = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"town": "West"}, "geometry": {"type": "Polygon",
       "coordinates": [[[500000,2799600],[500300,2799600],[500300,2800000],[500000,2800000],[500000,2799600]]]}},
      {"type": "Feature", "properties": {"town": "East"}, "geometry": {"type": "Polygon",
       "coordinates": [[[500300,2799600],[500400,2799600],[500400,2800000],[500300,2800000],[500300,2799600]]]}}]}"#;
    std::fs::write(d.join("towns.geojson"), geojson).unwrap();
    let text = r#"
profile = "mee2020"
services = ["water_conservation", "carbon_sequestration", "oxygen_release"]
[landscape]
land_cover = "lc.tif"
[layers]
precip_mm = "precip.tif"
aet_mm = "aet.tif"
npp_gc_per_m2 = "npp.tif"
rh_gc_per_m2 = "rh.tif"
[regions]
vector = "towns.geojson"
name_attribute = "town"
[output]
dir = "out"
formats = ["json"]
"#;
    let c = load(&d, text).unwrap();
    let a = execute(&c, &no_progress).unwrap().account;
    let names: Vec<&str> = a
        .regions()
        .regions()
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, ["West", "East"]);
    let cov = a.coverage().unwrap();
    assert_eq!((cov.region_nodata, cov.used), (4, 16));
    let per_cell = WATER_YUAN + CARBON_YUAN + OXYGEN_YUAN;
    let v = a.value_by_region();
    assert_relative_eq!(v[0], 12.0 * per_cell, max_relative = 1e-9);
    assert_relative_eq!(v[1], 4.0 * per_cell, max_relative = 1e-9);
    // Streamed one row at a time, the zones are rasterised block by block: same regions,
    // same coverage, same values.
    let streamed = format!("{text}[stream]\nblock_rows = 1\n");
    let s = execute(&load(&d, &streamed).unwrap(), &no_progress)
        .unwrap()
        .account;
    assert_eq!(s.coverage().unwrap(), cov);
    for (x, y) in s.value_by_region().iter().zip(&v) {
        assert_relative_eq!(*x, *y, max_relative = 1e-12);
    }
    // Both a raster and a vector: refused.
    let e = load(
        &d,
        &text.replace("[regions]", "[regions]\nraster = \"lc.tif\""),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("`vector` and `name_attribute`"), "{e}");
}
