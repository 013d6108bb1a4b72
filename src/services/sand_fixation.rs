//! Windbreak and sand fixation (防风固沙) by the Revised Wind Erosion Equation, METHODS.md §2.6.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

use super::{
    Category, Component, NegativePolicy, NotValued, ReplacementCost, Service, Sink, UnitInputs,
    UnitKernel,
};
use crate::error::{GepError, LandscapeError, ParamError};
use crate::landscape::{is_valid_value, EcosystemType, Landscape};
use crate::params::{Checked, ParamRecord, Parameter, Price, Status};
use crate::terrain::{slope_degrees, CellSize, SLOPE_NODATA};
use crate::units::{PhysicalUnit, M2_PER_HA};

/// The layers every configuration reads, in tally order.
pub const RWEQ_LAYERS: [&str; 11] = [
    "wind_factor_m3_per_s3",
    "soil_wetness_1",
    "snow_factor_1",
    "dem_m",
    "temp_c",
    "sand_pct",
    "silt_pct",
    "clay_pct",
    "om_pct",
    "caco3_pct",
    "veg_cover_pct",
];
/// Roughness K' layer read with [`RoughnessSource::Layer`].
pub const ROUGHNESS_LAYER: &str = "roughness_k_1";
/// Standard gravity, m/s².
pub const GRAVITY_M_PER_S2: f64 = 9.806_65;

/// Where the surface roughness factor K' comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoughnessSource {
    /// `K' = cos(slope)` with the slope from `dem_m` on the landscape's grid
    /// ([`slope_degrees`]), the common raster practice \[V: code].
    #[default]
    CosSlopeFromDem,
    /// Read from the layer `roughness_k_1`.
    Layer,
}

/// Parameters of [`SandFixation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SandFixationParams {
    /// Source of K'.
    pub roughness: RoughnessSource,
    /// Ecosystem types counted.
    pub ecosystems: Vec<EcosystemType>,
    /// Downwind distance z, m.
    pub downwind_distance_m: Parameter,
    /// Coefficient of the vegetation factor `C = exp(−k × SC[%])`.
    pub vegetation_coefficient_per_pct: Parameter,
    /// Treatment of units where actual loss exceeds potential loss.
    pub negative_fixation: NegativePolicy,
    /// Sand bulk density ρ, t/m³.
    pub sand_bulk_density_t_per_m3: Parameter,
    /// Standard burial depth h of desertified land, m.
    pub burial_depth_m: Parameter,
    /// Cost of restoring (sand control, revegetation) land per m².
    pub restoration_cost: Price,
}

impl Default for SandFixationParams {
    /// * K' = cos(slope) from `dem_m` \[V: code].
    /// * Counted: forest, shrub, grassland, cropland and bare land (not water, wetland,
    ///   built-up).
    /// * z = 50 m \[V: implementations]; C = exp(−0.0438 SC) \[R: the Chinese guidelines' form].
    /// * Sand bulk density 1.28 t/m³, burial depth 0.1 m, restoration cost 3.75 yuan/m² (2010)
    ///   \[V: Pema Dolkar et al. 2017, Garze].
    /// * Negative fixation (actual loss above potential) floored at 0, amount reported.
    fn default() -> Self {
        let garze = "Pema Dolkar et al. 2017 (Garze)";
        Self {
            roughness: RoughnessSource::CosSlopeFromDem,
            ecosystems: vec![
                EcosystemType::Forest,
                EcosystemType::Shrub,
                EcosystemType::Grassland,
                EcosystemType::Cropland,
                EcosystemType::Barren,
            ],
            downwind_distance_m: Parameter::new(
                50.0,
                "m",
                "RWEQ implementations (HJ 1173-2021 A.14-A.22), METHODS.md §2.6",
                Status::Verified,
            ),
            vegetation_coefficient_per_pct: Parameter::new(
                0.0438,
                "1/%",
                "C = exp(-0.0438 SC), the form in the Chinese GEP guidelines, METHODS.md §2.6",
                Status::Recalled,
            ),
            negative_fixation: NegativePolicy::FloorAtZero,
            sand_bulk_density_t_per_m3: Parameter::new(1.28, "t/m3", garze, Status::Verified),
            burial_depth_m: Parameter::new(0.1, "m", garze, Status::Verified),
            restoration_cost: Price::yuan(
                3.75,
                PhysicalUnit::SquareMetre,
                2010,
                garze,
                Status::Verified,
            ),
        }
    }
}

impl SandFixationParams {
    /// Checks z > 0 m, k ≥ 0, ρ in (0, 3] t/m³, h > 0 m, and the price per m².
    pub fn check(&self) -> Result<Checked<Self>, ParamError> {
        let mut out = self.clone();
        let pos = "a finite number > 0";
        out.downwind_distance_m = self.downwind_distance_m.check(
            "downwind_distance_m",
            "m",
            f64::MIN_POSITIVE,
            1.0e5,
            pos,
        )?;
        out.vegetation_coefficient_per_pct = self.vegetation_coefficient_per_pct.check(
            "vegetation_coefficient_per_pct",
            "1/%",
            0.0,
            10.0,
            "a coefficient in [0, 10] per %",
        )?;
        out.sand_bulk_density_t_per_m3 = self.sand_bulk_density_t_per_m3.check(
            "sand_bulk_density_t_per_m3",
            "t/m3",
            f64::MIN_POSITIVE,
            3.0,
            "a bulk density in (0, 3] t/m3",
        )?;
        out.burial_depth_m =
            self.burial_depth_m
                .check("burial_depth_m", "m", f64::MIN_POSITIVE, 100.0, pos)?;
        self.restoration_cost
            .check("restoration_cost", &[PhysicalUnit::SquareMetre])?;
        Ok(Checked::new(out))
    }
}

/// Air density, kg/m³, from elevation (m) and air temperature (°C):
/// `ρ = 348 × (1.013 − 0.1183 h + 0.0048 h²) / T`, h in km, T in K \[V: code, METHODS.md §2.6].
///
/// ```
/// // Sea level, 15 °C: 348 × 1.013 / 288.15 = 1.2234 kg/m³.
/// let rho = gep::services::air_density_kg_per_m3(0.0, 15.0);
/// assert!((rho - 1.22339).abs() < 1e-4);
/// ```
pub fn air_density_kg_per_m3(elevation_m: f64, temp_c: f64) -> f64 {
    let h_km = elevation_m / 1000.0;
    348.0 * (1.013 - 0.1183 * h_km + 0.0048 * h_km * h_km) / (temp_c + 273.15)
}

/// Erodible fraction EF (fraction, clamped to [0, 1]) from soil texture, organic matter and
/// CaCO₃, all in %: `(29.09 + 0.31 sa + 0.17 si + 0.33 sa/cl − 2.59 OM − 0.95 CaCO₃)/100`
/// \[V, METHODS.md §2.6]. A clay content of 0 makes `sa/cl` infinite; it is evaluated with
/// clay ≥ 0.1 % to stay finite.
pub fn erodible_fraction(
    sand_pct: f64,
    silt_pct: f64,
    clay_pct: f64,
    om_pct: f64,
    caco3_pct: f64,
) -> f64 {
    let ef = (29.09 + 0.31 * sand_pct + 0.17 * silt_pct + 0.33 * sand_pct / clay_pct.max(0.1)
        - 2.59 * om_pct
        - 0.95 * caco3_pct)
        / 100.0;
    ef.clamp(0.0, 1.0)
}

/// Soil crust factor `SCF = 1 / (1 + 0.0066 cl² + 0.021 OM²)` (cl, OM in %) \[V].
pub fn soil_crust_factor(clay_pct: f64, om_pct: f64) -> f64 {
    1.0 / (1.0 + 0.0066 * clay_pct * clay_pct + 0.021 * om_pct * om_pct)
}

/// RWEQ soil loss at downwind distance `z_m`, kg/m², for the product
/// `x = WF × EF × SCF × K' [× C]` (WF in kg/m):
/// `Q_max = 109.8 x` (kg/m), `S = 150.71 x^−0.3711` (m), `SL = 2z/S² × Q_max × e^−(z/S)²`.
///
/// `SL` is the derivative of the transported mass `Q(z) = Q_max (1 − e^−(z/S)²)` (kg per m
/// of field width) along the wind, so its unit is kg per m width per m length = **kg/m²**
/// (METHODS.md labels it "kg/m", which is `Q_max`'s unit). Zero for `x ≤ 0`.
pub fn rweq_soil_loss_kg_per_m2(x: f64, z_m: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 0.0;
    }
    let q_max = 109.8 * x;
    let s = 150.71 * x.powf(-0.3711);
    2.0 * z_m / (s * s) * q_max * (-(z_m / s).powi(2)).exp()
}

/// Windbreak and sand fixation by RWEQ (Fryrear et al. 1998/2000; HJ 1173-2021 A.14–A.22;
/// METHODS.md §2.6), valued by the cost of restoring the land sand would bury (Garze):
///
/// * `WF = Wf × ρ_air/g × SW × SD` (kg/m), `Wf` the wind factor `Σ U2 (U2 − U1)² N_d/N`
///   precomputed from wind records (layer `wind_factor_m3_per_s3`, U1 = 5 m/s), `ρ_air` from
///   `dem_m` and `temp_c`, `SW`, `SD` layers `soil_wetness_1`, `snow_factor_1`;
/// * `EF`, `SCF` from `sand_pct`, `silt_pct`, `clay_pct`, `om_pct`, `caco3_pct`;
///   `K'` = cos(slope) from `dem_m` or layer `roughness_k_1`; `C = exp(−0.0438 × veg_cover_pct)`;
/// * `Q_sf [t] = (SL_p − SL_a) [kg/m²] × A [ha] × 10⁴ m²/ha / 1000`, potential SL with
///   `x = WF·EF·SCF·K'`, actual with `x·C`, both at z = 50 m.
///
/// **Unit convention.** SL is a loss per unit area (kg/m², see [`rweq_soil_loss_kg_per_m2`]);
/// a unit's tonnes are SL × its area, independent of the cell size. Converting "kg/m × cell
/// width" instead would make the result scale with the pixel side (33× between 30 m and 1 km
/// cells), the known source of errors METHODS.md §6 warns about.
///
/// Components: `sand_fixed` t (reported, not valued separately), and `land_protected` m² =
/// `Q_sf / (ρ_sand × h)` at restoration cost per m² ([`ReplacementCost`]).
///
/// # Examples
/// See `tests/regulating_a.rs` for a hand-worked unit.
#[derive(Debug, Clone)]
pub struct SandFixation {
    params: Checked<SandFixationParams>,
}

impl SandFixation {
    /// The service with checked parameters.
    pub fn new(params: Checked<SandFixationParams>) -> Self {
        Self { params }
    }

    fn cos_slope_from_dem(&self, landscape: &Landscape) -> Result<Vec<f32>, GepError> {
        let grid = landscape
            .grid()
            .ok_or_else(|| LandscapeError::MissingGrid {
                service: ID.into(),
                layer: "dem_m".into(),
                derived: "the roughness factor cos(slope)",
            })?;
        let dem = landscape.require_layer(ID, "dem_m")?;
        let view = ArrayView2::from_shape(grid.dim(), dem.as_slice()).map_err(|_| {
            LandscapeError::LengthMismatch {
                layer: "dem_m".into(),
                expected: grid.len(),
                len: dem.as_slice().len(),
            }
        })?;
        if dem.nodata_count() == dem.as_slice().len() {
            // A row block of a streamed run may lie wholly outside the DEM's data: no slope
            // anywhere (every unit is tallied under `dem_m`), not an error.
            return Ok(vec![f32::NAN; dem.as_slice().len()]);
        }
        let slope = slope_degrees(view, dem.nodata(), CellSize::from_grid(grid))?;
        Ok(slope
            .iter()
            .map(|&s| {
                if s == SLOPE_NODATA || s.is_nan() {
                    f32::NAN
                } else {
                    f64::from(s).to_radians().cos() as f32
                }
            })
            .collect())
    }
}

const ID: &str = "sand_fixation";

impl Service for SandFixation {
    fn id(&self) -> &'static str {
        ID
    }
    fn name(&self) -> &'static str {
        "Windbreak and sand fixation"
    }
    fn category(&self) -> Category {
        Category::Regulating
    }
    fn formula(&self) -> String {
        let k = match self.params.roughness {
            RoughnessSource::CosSlopeFromDem => "K' = cos(slope from dem_m)",
            RoughnessSource::Layer => "K' from layer roughness_k_1",
        };
        format!(
            "RWEQ: x = WF x EF x SCF x K' [x C]; WF [kg/m] = Wf x rho_air/g x SW x SD, rho_air = 348 (1.013 - 0.1183 h + 0.0048 h^2)/T; \
             EF = (29.09 + 0.31 sa + 0.17 si + 0.33 sa/cl - 2.59 OM - 0.95 CaCO3)/100; SCF = 1/(1 + 0.0066 cl^2 + 0.021 OM^2); {k}; \
             C = exp(-k SC); Q_max = 109.8 x, S = 150.71 x^-0.3711, SL [kg/m2] = 2z/S^2 Q_max exp(-(z/S)^2); \
             Q_sf [t] = (SL_p - SL_a) x A [m2] / 1000; V = Q_sf / (rho_sand x h) [m2] x c [yuan/m2]. \
             Fryrear et al. 1998; HJ 1173-2021 A.14-A.22; valuation Pema Dolkar et al. 2017 (Garze)"
        )
    }
    fn required_layers(&self) -> Vec<&'static str> {
        let mut v = RWEQ_LAYERS.to_vec();
        if self.params.roughness == RoughnessSource::Layer {
            v.push(ROUGHNESS_LAYER);
        }
        v
    }
    fn components(&self) -> Vec<Component> {
        let p = &self.params;
        vec![
            Component {
                id: "sand_fixed".into(),
                label: "sand fixed (not valued separately)".into(),
                unit: PhysicalUnit::Tonne,
                valuation: Arc::new(NotValued {
                    per: PhysicalUnit::Tonne,
                    currency: p.restoration_cost.currency,
                    price_year: p.restoration_cost.price_year,
                }),
            },
            Component {
                id: "land_protected".into(),
                label: "land kept from burial by sand".into(),
                unit: PhysicalUnit::SquareMetre,
                valuation: Arc::new(ReplacementCost::new(
                    "restoration_cost",
                    p.restoration_cost.clone(),
                )),
            },
        ]
    }
    fn parameters(&self) -> Vec<ParamRecord> {
        let p = &self.params;
        vec![
            p.downwind_distance_m.record("downwind_distance_m"),
            p.vegetation_coefficient_per_pct
                .record("vegetation_coefficient_per_pct"),
            p.sand_bulk_density_t_per_m3
                .record("sand_bulk_density_t_per_m3"),
            p.burial_depth_m.record("burial_depth_m"),
            Parameter::new(
                GRAVITY_M_PER_S2,
                "m/s2",
                "standard gravity",
                Status::Verified,
            )
            .record("gravity"),
        ]
    }
    fn notes(&self) -> Vec<String> {
        vec![
            format!(
                "actual loss above potential loss: {}",
                self.params.negative_fixation.describe()
            ),
            "SL is taken as kg/m2 (loss per unit area) and multiplied by the unit's area; EF is clamped to [0, 1]".into(),
            "sand_fixed is reported for its quantity only; its value is carried by land_protected".into(),
        ]
    }
    fn bind<'a>(&'a self, landscape: &'a Landscape) -> Result<Box<dyn UnitKernel + 'a>, GepError> {
        let served = landscape
            .classification()
            .classes()
            .iter()
            .map(|c| self.params.ecosystems.contains(&c.ecosystem))
            .collect();
        let inputs = UnitInputs::bind(landscape, ID, RWEQ_LAYERS, served)?;
        let roughness = match self.params.roughness {
            RoughnessSource::CosSlopeFromDem => {
                Roughness::Derived(self.cos_slope_from_dem(landscape)?)
            }
            RoughnessSource::Layer => {
                let l = landscape.require_layer(ID, ROUGHNESS_LAYER)?;
                Roughness::Layer(l.as_slice(), l.nodata_sentinel())
            }
        };
        let p = &self.params;
        Ok(Box::new(Kernel {
            inputs,
            roughness,
            z_m: p.downwind_distance_m.value,
            k_veg: p.vegetation_coefficient_per_pct.value,
            m2_per_t: 1.0 / (p.sand_bulk_density_t_per_m3.value * p.burial_depth_m.value),
            policy: p.negative_fixation,
        }))
    }
}

enum Roughness<'a> {
    Derived(Vec<f32>),
    Layer(&'a [f32], f32),
}

struct Kernel<'a> {
    inputs: UnitInputs<'a, 11>,
    roughness: Roughness<'a>,
    z_m: f64,
    k_veg: f64,
    m2_per_t: f64,
    policy: NegativePolicy,
}

impl UnitKernel for Kernel<'_> {
    fn accumulate(&self, units: Range<usize>, sink: &mut Sink<'_>) {
        self.inputs.for_each(units, sink, |u, sink| {
            let (k_rough, tally_at) = match &self.roughness {
                Roughness::Derived(v) => (v.get(u.index).copied().unwrap_or(f32::NAN), 3),
                Roughness::Layer(s, nd) => {
                    let v = s.get(u.index).copied().unwrap_or(f32::NAN);
                    (if is_valid_value(v, *nd) { v } else { f32::NAN }, 11)
                }
            };
            if k_rough.is_nan() {
                let t = sink.tally();
                t.counted -= 1;
                if let Some(n) = t.layer_nodata.get_mut(tally_at) {
                    *n += 1;
                }
                return;
            }
            let v = u.values.map(f64::from);
            let wf = v[0] * air_density_kg_per_m3(v[3], v[4]) / GRAVITY_M_PER_S2 * v[1] * v[2];
            let ef = erodible_fraction(v[5], v[6], v[7], v[8], v[9]);
            let scf = soil_crust_factor(v[7], v[8]);
            let x = wf * ef * scf * f64::from(k_rough);
            let c = (-self.k_veg * v[10]).exp();
            let sl_p = rweq_soil_loss_kg_per_m2(x, self.z_m);
            let sl_a = rweq_soil_loss_kg_per_m2(x * c, self.z_m);
            let raw_t = (sl_p - sl_a) * u.area_ha * M2_PER_HA / 1000.0;
            if raw_t < 0.0 {
                sink.note_negative(1, raw_t * self.m2_per_t);
            }
            let q_t = self.policy.apply(raw_t, 0, sink);
            sink.add(0, u.region, u.class, q_t);
            sink.add(1, u.region, u.class, q_t * self.m2_per_t);
        });
    }
}
