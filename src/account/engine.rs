//! The accounting engine: one fused, deterministic, parallel pass over fixed chunks of units.

use std::ops::Range;

use super::sum::merge_into;
use super::{Account, ComponentRecord, ServiceRecord};
use crate::error::{AccountError, GepError, ParamError};
use crate::landscape::{Landscape, RegionStats, NODATA_CLASS};
use crate::params::Currency;
use crate::services::{FinishContext, Service, ServiceCells, Sink, Tally, UnitKernel};

/// Default number of units per chunk (2¹⁶: a few hundred KB of each f32 layer stays in L2).
pub const DEFAULT_CHUNK_UNITS: usize = 1 << 16;

/// Runs services over a landscape and returns the [`Account`].
///
/// The units are cut into chunks of a fixed size (never dependent on the thread count). Every
/// chunk runs all services' kernels while its columns are hot in cache, summing into its own
/// dense `[component][region][class]` block. Chunk results are combined by a binary tree whose
/// shape depends only on the number of chunks, with compensated sums; with the `parallel`
/// feature the two halves of each tree node run with `rayon::join` on the caller's pool. The
/// result is bit-identical for any number of threads.
///
/// # Examples
/// ```
/// use gep::prelude::*;
/// let sample = gep::sample::SampleCounty::generate(&gep::sample::SampleConfig::tiny())?;
/// let services = standard_services(&GepParams::default())?;
/// let account = Engine::new(&services).run(&sample.landscape)?;
/// assert!(account.total_value() > 0.0);
/// # Ok::<(), gep::GepError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Engine<'s> {
    services: &'s [Box<dyn Service>],
    chunk_units: usize,
}

impl<'s> Engine<'s> {
    /// An engine for these services.
    pub fn new(services: &'s [Box<dyn Service>]) -> Self {
        Self {
            services,
            chunk_units: DEFAULT_CHUNK_UNITS,
        }
    }

    /// Sets the chunk size in units (≥ 1). Results are reproducible for a given chunk size;
    /// different chunk sizes may differ in the last bits.
    pub fn chunk_units(mut self, chunk_units: usize) -> Self {
        self.chunk_units = chunk_units;
        self
    }

    /// Computes the account of `landscape`: the per-unit pass, then each service's
    /// region-level finishing step (caps, region statistics).
    pub fn run(&self, landscape: &Landscape) -> Result<Account, GepError> {
        let raw = self.run_raw(landscape)?;
        self.finish(raw, landscape.region_stats())
    }

    /// The per-unit pass only: an unfinished account whose cells are plain sums over units, so
    /// that accounts of tiles [`merge`](Account::merge) exactly even for non-additive services.
    /// Merge the tiles' raw accounts, then call [`finish`](Engine::finish) once.
    pub fn run_raw(&self, landscape: &Landscape) -> Result<Account, GepError> {
        self.run_raw_units(landscape, 0..landscape.len())
    }

    /// The per-unit pass over units `units` of `landscape` only: kernels are bound to the whole
    /// landscape (so that neighbourhood services such as slope see the rows around `units`),
    /// but only `units` are counted. A streamed run reads a row block with halo rows, and
    /// accounts the block's own rows with this. Chunks start at `units.start`.
    pub fn run_raw_units(
        &self,
        landscape: &Landscape,
        units: Range<usize>,
    ) -> Result<Account, GepError> {
        if units.start > units.end || units.end > landscape.len() {
            return Err(crate::error::LandscapeError::RangeOutOfBounds {
                start: units.start,
                end: units.end,
                len: landscape.len(),
            }
            .into());
        }
        if self.services.is_empty() {
            return Err(AccountError::NoServices.into());
        }
        if self.chunk_units == 0 {
            return Err(AccountError::ZeroChunk.into());
        }
        let mut ids: Vec<&str> = self.services.iter().map(|s| s.id()).collect();
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(AccountError::DuplicateService {
                service: w[0].to_string(),
            }
            .into());
        }
        let bases: Vec<(&str, String)> = self
            .services
            .iter()
            .filter_map(|s| s.productivity_basis().map(|b| (s.id(), b)))
            .collect();
        if let Some((second, second_basis)) = bases.iter().find(|(_, b)| *b != bases[0].1) {
            return Err(ParamError::InconsistentBasis {
                first: bases[0].0.into(),
                first_basis: bases[0].1.clone(),
                second: (*second).into(),
                second_basis: second_basis.clone(),
            }
            .into());
        }
        let records = self.records()?;
        let kernels = self
            .services
            .iter()
            .map(|s| s.bind(landscape))
            .collect::<Result<Vec<_>, _>>()?;
        let n_regions = landscape.regions().len();
        let n_classes = landscape.classification().len();
        let layout = Layout {
            n_regions,
            n_classes,
            plane: n_regions * n_classes,
            blocks: records
                .iter()
                .map(|r| (r.components.len(), r.layers.len()))
                .collect(),
        };
        let n = units.len();
        let n_chunks = n.div_ceil(self.chunk_units);
        let job = Job {
            landscape,
            kernels: &kernels,
            layout: &layout,
            chunk_units: self.chunk_units,
            base: units.start,
            end: units.end,
        };
        let partial = if n_chunks == 0 {
            job.empty()
        } else {
            job.reduce(0..n_chunks)
        };
        let mut records = records;
        for (r, t) in records.iter_mut().zip(partial.tallies) {
            r.tally = t;
        }
        let comps = partial
            .comps
            .unwrap_or_else(|| vec![0.0; partial.sums.len()]);
        let extent_comps = partial
            .extent_comps
            .unwrap_or_else(|| vec![0.0; partial.extent.len()]);
        Ok(Account::from_parts(
            records,
            landscape.classification().classes().to_vec(),
            landscape.regions().clone(),
            partial.sums,
            comps,
            partial.extent,
            extent_comps,
            n as u64,
            if n == landscape.len() {
                landscape.land_cover_nodata_count()
            } else {
                landscape.class_index()[units]
                    .iter()
                    .filter(|&&c| c == NODATA_CLASS)
                    .count() as u64
            },
        ))
    }

    /// Applies every service's region-level finishing step to a raw account made by these
    /// services, with the whole landscape's region statistics.
    pub fn finish(&self, mut account: Account, stats: &RegionStats) -> Result<Account, GepError> {
        if account.finished {
            return Err(AccountError::AlreadyFinished.into());
        }
        let same = account.services.len() == self.services.len()
            && account
                .services
                .iter()
                .zip(self.services)
                .all(|(r, s)| r.id == s.id());
        if !same {
            return Err(AccountError::Incompatible {
                what: "services of the engine and of the account",
            }
            .into());
        }
        let plane = account.regions.len() * account.classes.len();
        let extent: Vec<f64> = account
            .extent
            .iter()
            .zip(&account.extent_comps)
            .map(|(a, b)| a + b)
            .collect();
        let ctx = FinishContext::new(&account.regions, stats, &account.classes, &extent);
        let mut offset = 0;
        for (service, record) in self.services.iter().zip(account.services.iter_mut()) {
            let len = record.components.len() * plane;
            let mut cells = ServiceCells::new(
                &mut account.sums[offset..offset + len],
                &mut account.comps[offset..offset + len],
                ctx.regions.len(),
                ctx.classes.len(),
                &mut record.tally,
                &mut record.notes,
            );
            service.finish(&ctx, &mut cells)?;
            offset += len;
        }
        account.finished = true;
        Ok(account)
    }

    /// The money value of service `service_id` on each unit of `units` (currency per unit:
    /// each component's quantity × its unit value, summed over components), written to `out`
    /// (one value per unit, f32), `nodata` where the service skipped the unit (land-cover or
    /// layer nodata, class not served). This is the per-cell map of a service.
    ///
    /// Only additive services have maps: the value of a non-additive service is set per region
    /// after the per-unit pass (caps, region statistics), so it is refused with
    /// [`AccountError::NoUnitValues`]. For additive services the values sum to the service's
    /// value in the account (to f32 rounding).
    pub fn unit_values(
        &self,
        landscape: &Landscape,
        units: Range<usize>,
        service_id: &str,
        nodata: f32,
        out: &mut [f32],
    ) -> Result<(), GepError> {
        if units.start > units.end || units.end > landscape.len() || out.len() != units.len() {
            return Err(crate::error::LandscapeError::RangeOutOfBounds {
                start: units.start,
                end: units.end,
                len: landscape.len(),
            }
            .into());
        }
        let service = self
            .services
            .iter()
            .find(|s| s.id() == service_id)
            .ok_or_else(|| ParamError::UnknownService {
                service: service_id.into(),
            })?;
        if !service.is_additive() {
            return Err(AccountError::NoUnitValues {
                service: service_id.into(),
            }
            .into());
        }
        let unit_values: Vec<f64> = service
            .components()
            .iter()
            .map(|c| c.valuation.unit_value())
            .collect();
        let n_layers = service.required_layers().len();
        let kernel = service.bind(landscape)?;
        let n_regions = landscape.regions().len();
        let n_classes = landscape.classification().len();
        let plane = n_regions * n_classes;
        let classes = landscape.class_index();
        let regions = landscape.region_index();
        let base = units.start;
        let fill = |offset: usize, out: &mut [f32]| {
            let mut scratch = vec![0.0f64; unit_values.len() * plane];
            let mut tally = Tally::new(n_layers, unit_values.len());
            for (k, v) in out.iter_mut().enumerate() {
                let i = base + offset + k;
                let before = tally.counted;
                let mut sink = Sink::new(&mut scratch, n_regions, n_classes, &mut tally);
                kernel.accumulate(i..i + 1, &mut sink);
                if tally.counted == before || classes[i] == NODATA_CLASS {
                    *v = nodata;
                    continue;
                }
                let cell = regions[i] as usize * n_classes + classes[i] as usize;
                let mut value = 0.0;
                for (c, uv) in unit_values.iter().enumerate() {
                    value += scratch[c * plane + cell] * uv;
                    scratch[c * plane + cell] = 0.0;
                }
                *v = value as f32;
            }
        };
        const MAP_CHUNK: usize = 4096;
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            out.par_chunks_mut(MAP_CHUNK)
                .enumerate()
                .for_each(|(k, chunk)| fill(k * MAP_CHUNK, chunk));
        }
        #[cfg(not(feature = "parallel"))]
        for (k, chunk) in out.chunks_mut(MAP_CHUNK).enumerate() {
            fill(k * MAP_CHUNK, chunk);
        }
        Ok(())
    }

    fn records(&self) -> Result<Vec<ServiceRecord>, GepError> {
        let mut currency: Option<Currency> = None;
        let mut out = Vec::with_capacity(self.services.len());
        for s in self.services {
            let components: Vec<ComponentRecord> =
                s.components().iter().map(ComponentRecord::new).collect();
            for c in &components {
                if c.per != c.unit {
                    return Err(ParamError::PriceUnit {
                        parameter: format!("{}.{}", s.id(), c.id),
                        given: c.per.symbol().into(),
                        expected: c.unit.symbol().into(),
                    }
                    .into());
                }
                match currency {
                    None => currency = Some(c.currency),
                    Some(cur) if cur != c.currency => {
                        return Err(ParamError::PriceUnit {
                            parameter: format!("{}.{}", s.id(), c.id),
                            given: c.currency.code().into(),
                            expected: format!("{cur} (one currency per account)"),
                        }
                        .into())
                    }
                    _ => {}
                }
            }
            let layers: Vec<String> = s.required_layers().iter().map(|l| l.to_string()).collect();
            out.push(ServiceRecord {
                id: s.id().into(),
                name: s.name().into(),
                category: s.category(),
                formula: s.formula(),
                tally: Tally::new(layers.len(), components.len()),
                layers,
                components,
                parameters: s.parameters(),
                notes: s.notes(),
                additive: s.is_additive(),
            });
        }
        Ok(out)
    }
}

struct Layout {
    n_regions: usize,
    n_classes: usize,
    plane: usize,
    /// (components, layers) per service.
    blocks: Vec<(usize, usize)>,
}

struct Partial {
    sums: Vec<f64>,
    comps: Option<Vec<f64>>,
    extent: Vec<f64>,
    extent_comps: Option<Vec<f64>>,
    tallies: Vec<Tally>,
}

impl Partial {
    fn merge(mut self, other: Partial) -> Partial {
        let comps = self.comps.get_or_insert_with(|| vec![0.0; self.sums.len()]);
        merge_into(&mut self.sums, comps, &other.sums, other.comps.as_deref());
        let ec = self
            .extent_comps
            .get_or_insert_with(|| vec![0.0; self.extent.len()]);
        merge_into(
            &mut self.extent,
            ec,
            &other.extent,
            other.extent_comps.as_deref(),
        );
        for (a, b) in self.tallies.iter_mut().zip(&other.tallies) {
            a.merge(b);
        }
        self
    }
}

struct Job<'a> {
    landscape: &'a Landscape,
    kernels: &'a [Box<dyn UnitKernel + 'a>],
    layout: &'a Layout,
    chunk_units: usize,
    base: usize,
    end: usize,
}

impl Job<'_> {
    fn empty(&self) -> Partial {
        let total: usize =
            self.layout.blocks.iter().map(|b| b.0).sum::<usize>() * self.layout.plane;
        Partial {
            sums: vec![0.0; total],
            comps: None,
            extent: vec![0.0; self.layout.plane],
            extent_comps: None,
            tallies: self
                .layout
                .blocks
                .iter()
                .map(|&(c, l)| Tally::new(l, c))
                .collect(),
        }
    }

    /// Reduces chunks `range` by a fixed binary tree.
    fn reduce(&self, range: Range<usize>) -> Partial {
        if range.len() == 1 {
            return self.chunk(range.start);
        }
        let mid = range.start + range.len() / 2;
        let (left, right) = join(
            || self.reduce(range.start..mid),
            || self.reduce(mid..range.end),
        );
        left.merge(right)
    }

    fn chunk(&self, c: usize) -> Partial {
        let start = self.base + c * self.chunk_units;
        let units = start..(start + self.chunk_units).min(self.end);
        let mut p = self.empty();
        let plane = self.layout.plane;
        let mut rest: &mut [f64] = &mut p.sums;
        for ((kernel, &(n_comp, _)), tally) in self
            .kernels
            .iter()
            .zip(&self.layout.blocks)
            .zip(p.tallies.iter_mut())
        {
            let (block, tail) = rest.split_at_mut(n_comp * plane);
            rest = tail;
            let mut sink = Sink::new(block, self.layout.n_regions, self.layout.n_classes, tally);
            kernel.accumulate(units.clone(), &mut sink);
        }
        let classes = self.landscape.class_index();
        let regions = self.landscape.region_index();
        let areas = self.landscape.areas();
        let n_classes = self.layout.n_classes;
        for i in units {
            let class = classes[i];
            if class != NODATA_CLASS {
                p.extent[regions[i] as usize * n_classes + class as usize] += areas.get(i);
            }
        }
        p
    }
}

#[cfg(feature = "parallel")]
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    rayon::join(a, b)
}

#[cfg(not(feature = "parallel"))]
fn join<A, B>(a: impl FnOnce() -> A, b: impl FnOnce() -> B) -> (A, B) {
    (a(), b())
}
