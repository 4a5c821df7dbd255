//! Database migrations (sea-orm-migration). One file per migration, timestamped; the same
//! migrations run on SQLite and PostgreSQL.
#![forbid(unsafe_code)]

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_cases;
mod m20261124_000003_applications;
mod m20261124_000004_workflow;
mod m20261124_000005_supervision;
mod m20261124_000006_derived_levels;
mod m20261124_000007_closed_verdicts;
mod m20261202_000008_catalog_revision;
mod m20261203_000009_term_clocks;
mod m20261203_000010_security_log;
mod m20261203_000011_opinion_clocks;
mod m20261204_000012_sms_codes;
mod m20261206_000013_second_factor;
mod m20261207_000014_reveal_once;
mod m20261207_000015_open_gov;
mod m20261207_000016_bundles;
mod m20261207_000017_bundle_applications;
mod m20261208_000018_open_attachments;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_cases::Migration),
            Box::new(m20261124_000003_applications::Migration),
            Box::new(m20261124_000004_workflow::Migration),
            Box::new(m20261124_000005_supervision::Migration),
            Box::new(m20261124_000006_derived_levels::Migration),
            Box::new(m20261124_000007_closed_verdicts::Migration),
            Box::new(m20261202_000008_catalog_revision::Migration),
            Box::new(m20261203_000009_term_clocks::Migration),
            Box::new(m20261203_000010_security_log::Migration),
            Box::new(m20261203_000011_opinion_clocks::Migration),
            Box::new(m20261204_000012_sms_codes::Migration),
            Box::new(m20261206_000013_second_factor::Migration),
            Box::new(m20261207_000014_reveal_once::Migration),
            Box::new(m20261207_000015_open_gov::Migration),
            Box::new(m20261207_000016_bundles::Migration),
            Box::new(m20261207_000017_bundle_applications::Migration),
            Box::new(m20261208_000018_open_attachments::Migration),
        ]
    }
}
