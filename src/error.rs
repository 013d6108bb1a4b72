//! The crate error, [`GepError`], and the per-area error enums it wraps.
//!
//! Every variant says *where* (layer, unit index, row/column, parameter, file line) and *what*
//! (the offending value and what was expected), so that a message is enough to find and fix the
//! input. No input, however malformed, makes the library panic: it returns one of these.

use thiserror::Error;

/// Result alias used throughout the crate.
pub type Result<T, E = GepError> = std::result::Result<T, E>;

/// Any error returned by `gep`.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum GepError {
    /// Inconsistent or invalid landscape data (layers, areas, codes, regions, grid).
    #[error(transparent)]
    Landscape(#[from] LandscapeError),
    /// Missing or invalid parameters and prices.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// Terrain (DEM hydrology) errors.
    #[error(transparent)]
    Terrain(#[from] crate::terrain::TerrainError),
    /// Accounts that cannot be combined or queried as asked.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// InVEST-compatible models and their files (tables, rasters, vectors, datastacks).
    #[error(transparent)]
    Invest(#[from] InvestError),
    /// Analysis inputs that do not fit (index series, distributions, scenarios).
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// A run configuration file that cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A run on raster files that cannot go on (misaligned layers, codes, streaming limits).
    #[error(transparent)]
    Run(#[from] RunError),
    /// Polygon files (GeoJSON zones and parcels): geometry and attributes.
    #[error(transparent)]
    Vector(#[from] VectorError),
    /// Reading or writing a file failed.
    #[error("I/O error on `{path}`: {source}")]
    Io {
        /// The file concerned.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Errors in the data that make up a [`Landscape`](crate::landscape::Landscape).
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum LandscapeError {
    /// A column does not have one value per spatial unit.
    #[error("layer `{layer}` has {len} values but the landscape has {expected} units")]
    LengthMismatch {
        /// The layer (or column such as `area_ha`, `land_cover`, `region`).
        layer: String,
        /// The number of units of the landscape.
        expected: usize,
        /// The number of values given.
        len: usize,
    },
    /// An area that is negative, NaN or infinite.
    #[error("`area_ha` of unit {unit} is {value}; areas must be finite and >= 0")]
    InvalidArea {
        /// Unit index.
        unit: usize,
        /// The offending area in ha.
        value: f64,
    },
    /// A NaN or infinite value in a layer whose nodata value is not NaN.
    #[error("layer `{layer}`, unit {unit}: value {value} is not finite and is not the layer's declared nodata ({nodata})")]
    NonFinite {
        /// Layer name.
        layer: String,
        /// Unit index.
        unit: usize,
        /// The offending value.
        value: f32,
        /// The declared nodata value, or `none`.
        nodata: String,
    },
    /// A land-cover code that the classification does not know.
    #[error("land-cover code {code} of unit {unit} is not in the classification")]
    UnknownLandCover {
        /// Unit index.
        unit: usize,
        /// The unknown code.
        code: i32,
    },
    /// A region index that is not below the number of regions.
    #[error("region index {region} of unit {unit} is out of range: there are {n_regions} regions")]
    RegionOutOfRange {
        /// Unit index.
        unit: usize,
        /// The region index given.
        region: u32,
        /// Number of regions defined.
        n_regions: usize,
    },
    /// A column that the builder needs was never given.
    #[error("the landscape has no `{column}` column")]
    MissingColumn {
        /// The missing column.
        column: &'static str,
    },
    /// A layer that a service needs is absent.
    #[error("service `{service}` needs layer `{layer}`, which the landscape does not have")]
    MissingLayer {
        /// The service that needs it.
        service: String,
        /// The missing layer name.
        layer: String,
    },
    /// A service derives a neighbourhood quantity (slope, LS factor) from a layer and needs the
    /// landscape's raster grid, which it does not have (units from a table, or a tile that is
    /// not a block of whole grid rows).
    #[error("service `{service}` derives {derived} from layer `{layer}` and needs the landscape's grid, which it does not have; give {derived} as a layer instead")]
    MissingGrid {
        /// The service.
        service: String,
        /// The layer the quantity is derived from (`dem_m`).
        layer: String,
        /// What is derived (`the LS factor`).
        derived: &'static str,
    },
    /// The same layer name given twice.
    #[error("layer `{layer}` is given twice")]
    DuplicateLayer {
        /// The layer name.
        layer: String,
    },
    /// A layer name without a unit suffix or with characters other than `[a-z0-9_]`.
    #[error("layer name `{layer}` is not of the form `quantity_unit` in [a-z0-9_]")]
    BadLayerName {
        /// The layer name.
        layer: String,
    },
    /// An invalid land-cover classification.
    #[error("classification: {reason}")]
    InvalidClassification {
        /// What is wrong.
        reason: String,
    },
    /// An invalid region table.
    #[error("regions: {reason}")]
    InvalidRegions {
        /// What is wrong.
        reason: String,
    },
    /// An invalid raster grid description.
    #[error("grid: {what} is {value}; {expected}")]
    InvalidGrid {
        /// Which property.
        what: &'static str,
        /// The offending value.
        value: f64,
        /// What is required.
        expected: &'static str,
    },
    /// A per-region statistic with a value outside its valid range.
    #[error(
        "region statistic `{column}`, region `{region}`: {value} is invalid; expected {expected}"
    )]
    InvalidRegionStat {
        /// The statistic.
        column: String,
        /// The region's name.
        region: String,
        /// The offending value.
        value: f64,
        /// What is required.
        expected: &'static str,
    },
    /// A per-region statistic a service needs is absent.
    #[error(
        "service `{service}` needs region statistic `{column}`, which the landscape does not have"
    )]
    MissingRegionStat {
        /// The service.
        service: String,
        /// The statistic's name.
        column: String,
    },
    /// A grid whose EPSG code is absent or not a recognised geographic CRS, but whose
    /// geotransform looks like degrees: its cell areas cannot be decided silently.
    #[error("grid: CRS {epsg} is not a recognised geographic CRS but the cells ({cell_width} × {cell_height}) look like degrees; set the EPSG code or state the CRS kind (geographic or projected)")]
    AmbiguousCrs {
        /// `EPSG:n`, or `none`.
        epsg: String,
        /// Cell width in CRS units.
        cell_width: f64,
        /// Cell height in CRS units.
        cell_height: f64,
    },
    /// A sub-range of units outside the landscape.
    #[error("unit range {start}..{end} is outside the landscape of {len} units")]
    RangeOutOfBounds {
        /// Range start.
        start: usize,
        /// Range end.
        end: usize,
        /// Number of units.
        len: usize,
    },
}

/// Errors in parameters and prices.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum ParamError {
    /// A parameter a service needs has no value.
    #[error("service `{service}`: parameter `{parameter}` is missing{}", for_code(*.code))]
    Missing {
        /// The service.
        service: String,
        /// The parameter name.
        parameter: String,
        /// The land-cover code it is missing for, if per class.
        code: Option<i32>,
    },
    /// A parameter outside its valid range.
    #[error("parameter `{parameter}` = {value}{}: expected {expected}", for_code(*.code))]
    OutOfRange {
        /// The parameter name.
        parameter: String,
        /// The land-cover code, if per class.
        code: Option<i32>,
        /// The offending value.
        value: f64,
        /// The valid range, in words.
        expected: &'static str,
    },
    /// A negative or non-finite price.
    #[error("price `{parameter}` = {value} {unit}: prices must be finite and >= 0")]
    InvalidPrice {
        /// The price's parameter name.
        parameter: String,
        /// The offending value.
        value: f64,
        /// Its unit.
        unit: String,
    },
    /// A price whose unit does not match the quantity it values.
    #[error("price `{parameter}` is per {given} but the quantity is in {expected}")]
    PriceUnit {
        /// The price's parameter name.
        parameter: String,
        /// Unit the price is given per.
        given: String,
        /// Unit of the quantity.
        expected: String,
    },
    /// The same land-cover code twice in one per-class table.
    #[error("parameter table `{parameter}` lists land-cover code {code} twice")]
    DuplicateCode {
        /// The table.
        parameter: String,
        /// The duplicated code.
        code: i32,
    },
    /// Two services computed on different productivity bases.
    #[error("`{first}` uses basis {first_basis} but `{second}` uses {second_basis}: carbon and oxygen must come from one basis (METHODS.md §2.9)")]
    InconsistentBasis {
        /// One service.
        first: String,
        /// Its basis.
        first_basis: String,
        /// The other service.
        second: String,
        /// Its basis.
        second_basis: String,
    },
    /// A price index without the year asked for.
    #[error("price index `{index}` has no value for year {year}")]
    MissingIndexYear {
        /// The index name.
        index: String,
        /// The year.
        year: i32,
    },
    /// A profile name that is not known.
    #[error("unknown profile `{profile}`; known: {known}")]
    UnknownProfile {
        /// The name given.
        profile: String,
        /// The known names.
        known: String,
    },
    /// A service id that is not known.
    #[error("unknown service `{service}`")]
    UnknownService {
        /// The id given.
        service: String,
    },
    /// Two services that value the same flow, run together without saying so.
    #[error("double counting: `{first}` and `{second}` both value {reason}; drop one, or allow the pair explicitly in the profile")]
    DoubleCounting {
        /// One service.
        first: String,
        /// The other.
        second: String,
        /// What they both value.
        reason: String,
    },
    /// A table (CSV) that cannot be read.
    #[error("table `{table}`, line {line}, column `{column}`: {message}")]
    Table {
        /// The table (file name or description).
        table: String,
        /// 1-based line number.
        line: usize,
        /// Column name (or `-` for the whole row).
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A parameter file that could not be parsed.
    #[error("cannot parse {format} parameters: {message}")]
    Parse {
        /// `TOML` or `JSON`.
        format: &'static str,
        /// The parser's message, with line and column.
        message: String,
    },
}

fn for_code(code: Option<i32>) -> String {
    code.map(|c| format!(" for land-cover code {c}"))
        .unwrap_or_default()
}

/// Errors when combining or querying accounts.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum AccountError {
    /// Two accounts with different services, regions or classes cannot be merged.
    #[error("cannot merge accounts: {what} differ")]
    Incompatible {
        /// Which part of the layout differs.
        what: &'static str,
    },
    /// A service list with the same id twice.
    #[error("service `{service}` is listed twice")]
    DuplicateService {
        /// The service id.
        service: String,
    },
    /// No service was given.
    #[error("no services to account")]
    NoServices,
    /// A chunk size of zero.
    #[error("chunk size must be at least 1 unit")]
    ZeroChunk,
    /// Finished accounts of a non-additive service (e.g. an emission cap) cannot be merged.
    #[error("service `{service}` is not additive: merge raw tile accounts (Engine::run_raw), then finish once")]
    NotAdditive {
        /// The service.
        service: String,
    },
    /// Per-unit values (maps) asked of a service whose value is only known per region.
    #[error("service `{service}` has no per-unit values: its value is set per region after the per-unit pass (caps or region statistics); maps are made for additive services only")]
    NoUnitValues {
        /// The service.
        service: String,
    },
    /// `Engine::finish` on an account that is already finished.
    #[error("the account is already finished")]
    AlreadyFinished,
}

/// Errors of the InVEST-compatible models and of the files they read and write (CSV tables,
/// GeoTIFF rasters, GeoJSON vectors, datastacks). Every message names the file.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum InvestError {
    /// A file could not be opened, read or decoded.
    #[error("`{path}`: cannot read: {message}")]
    Read {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A file could not be written.
    #[error("`{path}`: cannot write: {message}")]
    Write {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A table with a missing column, an empty or non-numeric value, or a duplicate key.
    #[error("`{path}`{}: {message}", at_line(*.line))]
    Table {
        /// The table file.
        path: String,
        /// 1-based line in the file, when the problem is in one row.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// Land-cover codes present in a raster but absent from a table.
    #[error("`{raster}`: land-cover codes not in table `{table}`: the missing values found in the LULC raster but not the table are: {codes:?}")]
    MissingCodes {
        /// The land-cover raster.
        raster: String,
        /// The table.
        table: String,
        /// The missing codes, sorted.
        codes: Vec<i64>,
    },
    /// Land-cover values that are not integers (a float raster holding 1.5, or NaN that is
    /// not the declared nodata): no table row can match them.
    #[error("`{raster}`: land-cover values that are not integer codes: {values:?}")]
    NonIntegerCodes {
        /// The land-cover raster.
        raster: String,
        /// The values, sorted.
        values: Vec<f64>,
    },
    /// Rasters that must share a grid do not.
    #[error("`{path}`: grid {found} does not match {expected} of `{reference}`")]
    GridMismatch {
        /// The raster that does not match.
        path: String,
        /// The raster it must match.
        reference: String,
        /// Its grid (size, and cell size when relevant).
        found: String,
        /// The reference grid.
        expected: String,
    },
    /// A missing or invalid model argument (datastack `args` entry or model option).
    #[error("argument `{arg}`: {message}")]
    Arg {
        /// The argument name, as InVEST spells it.
        arg: String,
        /// What is wrong.
        message: String,
    },
    /// An invalid vector (GeoJSON) file or feature.
    #[error("`{path}`{}: {message}", at_feature(*.feature))]
    Vector {
        /// The vector file.
        path: String,
        /// 0-based feature index, when one feature is at fault.
        feature: Option<usize>,
        /// What is wrong.
        message: String,
    },
}

/// Errors of polygon files (GeoJSON zones, watersheds, parcels): every message names the file,
/// the 0-based feature index and what is wrong, with the offending coordinates or value.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum VectorError {
    /// The file could not be read.
    #[error("`{path}`: cannot read: {message}")]
    Read {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Not JSON, or not a GeoJSON FeatureCollection.
    #[error("`{path}`: {message}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A geometry that is not a Polygon or MultiPolygon (Point, LineString, null, ...).
    #[error("`{path}`, feature {feature}: geometry type `{found}` is not Polygon or MultiPolygon")]
    NotPolygon {
        /// The file.
        path: String,
        /// 0-based feature index.
        feature: usize,
        /// The geometry type found (`Point`, `LineString`, `null`, ...).
        found: String,
    },
    /// Malformed coordinates (not arrays of finite number pairs).
    #[error("`{path}`, feature {feature}: {message}")]
    Coordinates {
        /// The file.
        path: String,
        /// 0-based feature index.
        feature: usize,
        /// What is wrong.
        message: String,
    },
    /// A ring that is not closed or has fewer than 4 positions (GeoJSON, RFC 7946 §3.1.6).
    #[error("`{path}`, feature {feature}, polygon {polygon}, ring {ring}: {message}")]
    BadRing {
        /// The file.
        path: String,
        /// 0-based feature index.
        feature: usize,
        /// 0-based polygon index within the feature (0 for a Polygon).
        polygon: usize,
        /// 0-based ring index (0 = outer boundary).
        ring: usize,
        /// What is wrong, with the coordinates.
        message: String,
    },
    /// Two edges of a polygon's rings that cross or overlap (a self-intersecting polygon).
    #[error("`{path}`, feature {feature}, polygon {polygon}: {crossing}")]
    SelfIntersection {
        /// The file.
        path: String,
        /// 0-based feature index.
        feature: usize,
        /// 0-based polygon index within the feature.
        polygon: usize,
        /// The two edges and where they meet.
        crossing: Box<Crossing>,
    },
    /// A missing, null (where not allowed) or non-numeric attribute.
    #[error(
        "`{path}`, feature {feature}: attribute `{attribute}` is {found}; expected {expected}"
    )]
    Attribute {
        /// The file.
        path: String,
        /// 0-based feature index.
        feature: usize,
        /// The attribute (property) name.
        attribute: String,
        /// What was found (`missing`, or the JSON value).
        found: String,
        /// What is required.
        expected: &'static str,
    },
    /// A land-cover code that the classification does not know.
    #[error("`{path}`, feature {feature}: land-cover code {code} (attribute `{attribute}`) is not in the classification")]
    UnknownLandCover {
        /// The file.
        path: String,
        /// 0-based feature index.
        feature: usize,
        /// The attribute holding the code.
        attribute: String,
        /// The unknown code.
        code: i64,
    },
    /// A coordinate outside longitude −180…360 / latitude −90…90 where degrees are required
    /// (geodesic areas).
    #[error("`{path}`, feature {feature}: point {point:?} is not a longitude/latitude in degrees; geodesic areas need EPSG:4326-like coordinates")]
    NotLonLat {
        /// The file.
        path: String,
        /// 0-based feature index.
        feature: usize,
        /// The offending (x, y).
        point: [f64; 2],
    },
    /// A grid cell claimed by two zones when overlaps are refused.
    #[error("`{path}`, feature {feature}: zone `{zone}` overlaps zone `{other}` at cell (row {row}, col {col})")]
    Overlap {
        /// The file.
        path: String,
        /// 0-based index of the later feature.
        feature: usize,
        /// Its zone name.
        zone: String,
        /// The zone that had the cell first.
        other: String,
        /// Row of the first shared cell.
        row: usize,
        /// Column of the first shared cell.
        col: usize,
    },
    /// The zones or parcels do not make a valid region table or landscape.
    #[error("`{path}`: {source}")]
    Landscape {
        /// The file.
        path: String,
        /// The landscape error.
        #[source]
        source: LandscapeError,
    },
}

/// Two edges of a polygon that meet where they must not: rings, end points, a shared point.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    /// Ring of the first edge (0 = outer boundary).
    pub ring_a: usize,
    /// The first edge's end points.
    pub edge_a: [[f64; 2]; 2],
    /// Ring of the second edge.
    pub ring_b: usize,
    /// The second edge's end points.
    pub edge_b: [[f64; 2]; 2],
    /// A point the two edges share.
    pub at: [f64; 2],
}

impl std::fmt::Display for Crossing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "edge {:?} of ring {} intersects edge {:?} of ring {} at {:?}",
            self.edge_a, self.ring_a, self.edge_b, self.ring_b, self.at
        )
    }
}

impl VectorError {
    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            Self::Read { path, .. }
            | Self::Format { path, .. }
            | Self::NotPolygon { path, .. }
            | Self::Coordinates { path, .. }
            | Self::BadRing { path, .. }
            | Self::SelfIntersection { path, .. }
            | Self::Attribute { path, .. }
            | Self::UnknownLandCover { path, .. }
            | Self::NotLonLat { path, .. }
            | Self::Overlap { path, .. }
            | Self::Landscape { path, .. } => path,
        }
    }

    /// The 0-based feature index at fault, if one feature is.
    pub fn feature(&self) -> Option<usize> {
        match self {
            Self::NotPolygon { feature, .. }
            | Self::Coordinates { feature, .. }
            | Self::BadRing { feature, .. }
            | Self::SelfIntersection { feature, .. }
            | Self::Attribute { feature, .. }
            | Self::UnknownLandCover { feature, .. }
            | Self::NotLonLat { feature, .. }
            | Self::Overlap { feature, .. } => Some(*feature),
            _ => None,
        }
    }
}

impl From<VectorError> for InvestError {
    fn from(e: VectorError) -> Self {
        let feature = e.feature();
        let (path, message) = match &e {
            VectorError::Read { path, message } => {
                return InvestError::Read {
                    path: path.clone(),
                    message: message.clone(),
                }
            }
            VectorError::Format { path, message } => (path.clone(), message.clone()),
            VectorError::NotPolygon { path, found, .. } => (
                path.clone(),
                format!("geometry type `{found}` is not Polygon or MultiPolygon"),
            ),
            VectorError::Coordinates { path, message, .. } => (path.clone(), message.clone()),
            other => (other.path().to_string(), other.to_string()),
        };
        InvestError::Vector {
            path,
            feature,
            message,
        }
    }
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}

fn at_feature(feature: Option<usize>) -> String {
    feature
        .map(|f| format!(", feature {f}"))
        .unwrap_or_default()
}

/// Errors of the [`analysis`](crate::analysis) module: price-index series, distributions,
/// scenarios, Monte Carlo settings.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum AnalysisError {
    /// A price-index series has no value for a year that is needed.
    #[error("price index `{index}` has no value for year {year} (needed by {needed_by})")]
    MissingIndexYear {
        /// The index (family) name.
        index: String,
        /// The year asked for.
        year: i32,
        /// What needed it (`component water_conservation/water_retained`).
        needed_by: String,
    },
    /// No index series for a family that a price needs.
    #[error("no price index for family `{family}` (needed by {needed_by})")]
    MissingIndex {
        /// The family.
        family: String,
        /// What needed it.
        needed_by: String,
    },
    /// An index level that is not a finite number > 0.
    #[error("price index `{family}` in {year}: level {value} is not a finite number > 0")]
    InvalidIndexLevel {
        /// The family.
        family: String,
        /// The year.
        year: i32,
        /// The level.
        value: f64,
    },
    /// A bad cell in a price-index file.
    #[error("{file}, line {line}, column `{column}`: `{value}` is not {expected}")]
    IndexFile {
        /// The file (or name given to the text).
        file: String,
        /// 1-based line.
        line: usize,
        /// The column.
        column: &'static str,
        /// The cell as read.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// Two accounts that cannot be compared (different profiles, services, regions, ...).
    #[error("accounts differ in {what}: `{first}` vs `{second}`")]
    AccountsDiffer {
        /// What differs (`profile`, `components`, `regions`, ...).
        what: &'static str,
        /// The first account's.
        first: String,
        /// The second account's.
        second: String,
    },
    /// Two landscapes (baseline and scenario, opening and closing) that do not describe the
    /// same units.
    #[error("landscapes differ in {what}: baseline `{baseline}` vs scenario `{scenario}`")]
    LandscapesDiffer {
        /// What differs (`grid`, `number of units`, `area_ha of unit 17`, `regions`, ...).
        what: String,
        /// The baseline's.
        baseline: String,
        /// The scenario's.
        scenario: String,
    },
    /// User shares of a service that are not fractions summing to 1.
    #[error(
        "user shares of `{service}`: {what} is {value}; shares must be in [0, 1] and sum to 1"
    )]
    InvalidUserShares {
        /// The service.
        service: String,
        /// The offending share (`households`, `industry A`, `sum`).
        what: String,
        /// Its value.
        value: f64,
    },
    /// A service of the account has no user shares.
    #[error("no user shares for service `{service}`: the use table needs one set per service")]
    MissingUserShares {
        /// The service.
        service: String,
    },
    /// User shares given for a service that the account does not have.
    #[error("user shares given for service `{service}`, which the account does not contain")]
    UnknownService {
        /// The service id.
        service: String,
    },
    /// A distribution parameter that is NaN or infinite.
    #[error("distribution of `{parameter}`: {what} is {value}; it must be finite")]
    NonFiniteDistribution {
        /// The uncertain parameter (dotted path).
        parameter: String,
        /// Which number of the distribution (`mean`, `sd`, `min`, ...).
        what: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A spread (standard deviation, sigma of the log) that is negative.
    #[error("distribution of `{parameter}`: {what} is {value}; a spread must be >= 0")]
    NegativeSpread {
        /// The uncertain parameter (dotted path).
        parameter: String,
        /// `sd` or `sigma_log`.
        what: &'static str,
        /// The offending value.
        value: f64,
    },
    /// Bounds with `min > max`, or a mode outside `[min, max]`.
    #[error("distribution of `{parameter}`: {what} (min {min}, max {max}, value {value})")]
    InvalidBounds {
        /// The uncertain parameter (dotted path).
        parameter: String,
        /// What is wrong (`min > max`, `mode outside [min, max]`).
        what: &'static str,
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
        /// The offending value (`min` for `min > max`, the mode otherwise).
        value: f64,
    },
    /// An empirical distribution without values.
    #[error("distribution of `{parameter}`: the empirical list is empty")]
    EmptyEmpirical {
        /// The uncertain parameter (dotted path).
        parameter: String,
    },
    /// A Monte Carlo run or sensitivity analysis asked for zero draws or zero parameters.
    #[error("{what} is 0; at least one is needed")]
    Zero {
        /// `number of draws`, `uncertain parameters`, ...
        what: &'static str,
    },
    /// A parameter path that does not name a numeric value of the parameter set.
    #[error("parameter `{path}` does not exist or is not numeric: {reason}")]
    UnknownParameter {
        /// The dotted path given.
        path: String,
        /// Where the path stopped matching.
        reason: String,
    },
    /// A drawn or perturbed parameter set that the services refuse (e.g. a negative price).
    #[error("draw {draw}: parameter set refused: {message}")]
    InvalidDraw {
        /// Draw index (Monte Carlo) or perturbation (sensitivity).
        draw: usize,
        /// The error of the parameter check or of the run.
        message: String,
    },
    /// A base total of zero, for which relative changes are undefined.
    #[error("the base GEP total is {value}; elasticities need a non-zero total")]
    ZeroTotal {
        /// The base total.
        value: f64,
    },
    /// Chart data that cannot be drawn (empty, non-finite, mismatched lengths).
    #[error("chart `{chart}`: {message}")]
    ChartData {
        /// Chart title.
        chart: String,
        /// What is wrong, with the value.
        message: String,
    },
    /// The plotting backend failed.
    #[error("chart `{chart}`: drawing failed: {message}")]
    ChartDrawing {
        /// Chart title.
        chart: String,
        /// The backend's message.
        message: String,
    },
}

/// Errors in a run configuration file ([`RunConfig`](crate::run::RunConfig)). Every message
/// names the configuration file and the key at fault.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("`{config}`: cannot read: {message}")]
    Read {
        /// The configuration file.
        config: String,
        /// What went wrong.
        message: String,
    },
    /// Not valid TOML, an unknown key, a missing section or key, or a value of the wrong type.
    #[error("`{config}`: {message}")]
    Syntax {
        /// The configuration file.
        config: String,
        /// The parser's message (it names the key and the line).
        message: String,
    },
    /// A file named in the configuration does not exist.
    #[error("`{config}`: `{key}` names `{file}`, which does not exist")]
    MissingFile {
        /// The configuration file.
        config: String,
        /// The key (`layers.precip_mm`).
        key: String,
        /// The path, resolved against the configuration's directory.
        file: String,
    },
    /// A value that is well-formed but not usable.
    #[error("`{config}`: `{key}` = {value}: {expected}")]
    Invalid {
        /// The configuration file.
        config: String,
        /// The key.
        key: String,
        /// The value given.
        value: String,
        /// What is expected.
        expected: String,
    },
}

/// Errors of a run on raster files ([`crate::run`]): layers that do not share a grid, codes
/// not in the classification or region table, services that cannot be streamed.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum RunError {
    /// Two rasters of one landscape do not share size, geotransform or CRS.
    #[error("`{path}`: {what} {found} does not match {expected} of `{reference}`")]
    Misaligned {
        /// The raster that does not match.
        path: String,
        /// The raster it must match (the land cover).
        reference: String,
        /// What differs: `size`, `origin`, `cell size`, `CRS`.
        what: &'static str,
        /// Its value in `path`.
        found: String,
        /// Its value in `reference`.
        expected: String,
    },
    /// A raster cell whose code is not in the classification or the region table.
    #[error("`{path}`, row {row}, column {col}: {what} code {code} is not in {table}")]
    UnknownCode {
        /// The raster.
        path: String,
        /// 0-based row.
        row: usize,
        /// 0-based column.
        col: usize,
        /// `land-cover` or `region`.
        what: &'static str,
        /// The code.
        code: i64,
        /// Where codes are listed.
        table: String,
    },
    /// A layer value that is neither finite nor the file's nodata.
    #[error("`{path}`, row {row}, column {col}: value {value} is not finite and the file declares no nodata for it")]
    NonFinite {
        /// The raster.
        path: String,
        /// 0-based row.
        row: usize,
        /// 0-based column.
        col: usize,
        /// The value.
        value: f32,
    },
    /// A service that needs the whole grid at once, asked to run streamed.
    #[error("service `{service}` cannot be streamed: {reason}")]
    NotStreamable {
        /// The service.
        service: String,
        /// Why, and what to do instead.
        reason: String,
    },
    /// A memory budget too small for one block of rows.
    #[error("memory budget {memory_mb} MB is too small: one row of {cols} cells needs about {bytes_per_row} bytes per block ({halo} halo rows); raise `stream.memory_mb`")]
    MemoryTooSmall {
        /// The budget.
        memory_mb: u64,
        /// Columns of the grid.
        cols: usize,
        /// Estimated bytes per row.
        bytes_per_row: u64,
        /// Halo rows per block.
        halo: usize,
    },
}
