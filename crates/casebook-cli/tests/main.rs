//! The `casebook` binary, driven as a user drives it. One test binary; the harness is
//! in `harness.rs`.

mod harness;

mod attendance;
mod backup;
mod bad_input;
mod bundle;
mod bundle_facts;
mod deadlines;
mod demo;
mod encryption;
mod every_command;
mod every_kind;
mod families;
mod hostile_dates;
mod letters;
mod mail;
mod minutes;
mod one_way_in;
mod out_of_school;
mod plan;
mod postgres;
mod privacy;
mod recognise;
mod serve;
mod tampering;
mod timestamps;
