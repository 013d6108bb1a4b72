//! GeoTIFF decode/encode throughput (placeholder, filled in below).
fn main() {}
