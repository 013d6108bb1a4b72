//! Analysis on top of accounts: GEP at constant prices and the decomposition of a change into
//! quantity and price effects ([`prices`]), land-use scenarios ([`scenario`]), SEEA Ecosystem
//! Accounting tables ([`seea`]), Monte Carlo uncertainty ([`uncertainty`]) and one-at-a-time
//! sensitivity ([`sensitivity`]).
//!
//! See METHODS.md §4 (SEEA EA) and §5 (comparisons).

pub mod prices;
pub mod scenario;
pub mod seea;
pub mod sensitivity;
pub mod uncertainty;

#[cfg(feature = "charts")]
pub mod charts;
