//! File formats at the edges of the library: CSV tables read the way InVEST reads them,
//! single-band rasters ([`Raster`]), GeoTIFF (feature `geotiff`: [`read_geotiff`] /
//! [`write_geotiff`] for whole rasters, [`GeoTiffReader`] / [`GeoTiffWriter`] to stream rows
//! in blocks, chunks decoded and encoded in parallel) and GeoJSON polygons (feature `vector`).

#[cfg(feature = "vector")]
mod geojson;
#[cfg(feature = "geotiff")]
mod geotiff;
pub(crate) mod raster;
mod table;

#[cfg(feature = "vector")]
pub use geojson::{parse_polygons, read_polygon_features, read_polygons, Polygon, PolygonFeature};
#[cfg(feature = "geotiff")]
pub use geotiff::{
    read_geotiff, write_geotiff, GeoTiffReader, GeoTiffWriter, RasterInfo, SampleType,
    TiffCompression, TiffPredictor, WriteOptions,
};
pub use raster::{is_nodata_f, Raster, RasterData};
pub use table::Table;
