//! The PostgreSQL store: the shared conformance suite, and what only this backend has
//! to show (several servers over one database, the database's own refusals). The tests
//! need a server: CASEBOOK_TEST_POSTGRES names it, as postgres://USER:PASSWORD@HOST:PORT
//! (scripts/test.sh starts a throwaway cluster and sets it). Each test gets a new
//! database of its own.

mod harness;
mod postgres;

mod conformance {
    casebook_store::conformance_tests!(crate::harness::fresh);
}
