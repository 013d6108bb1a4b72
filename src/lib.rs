//! Gross Ecosystem Product accounting.
#![deny(missing_docs)]

pub mod error;
pub mod landscape;
pub mod terrain;
pub mod units;

pub use error::{GepError, Result};
