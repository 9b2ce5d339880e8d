//! A new database for each test, on the server CASEBOOK_TEST_POSTGRES names.

use casebook_store_postgres::PgStore;

/// The server's address without a database, from the environment.
pub fn server() -> String {
    std::env::var("CASEBOOK_TEST_POSTGRES")
        .map(|s| s.trim_end_matches('/').to_owned())
        .expect(
            "CASEBOOK_TEST_POSTGRES is not set: run scripts/test.sh, which starts a throwaway PostgreSQL cluster, or set it to postgres://USER:PASSWORD@HOST:PORT",
        )
}

/// The address of a new, empty database.
pub fn new_database() -> String {
    let name = format!("casebook_test_{}", uuid::Uuid::new_v4().simple());
    PgStore::create_database(&format!("{}/postgres", server()), &name).expect("a new database");
    format!("{}/{name}", server())
}

pub fn fresh() -> PgStore {
    PgStore::connect(&new_database(), None).expect("the store connects")
}

/// Runs SQL straight on a database, as someone with access to it could.
pub fn raw(url: &str, sql: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(connection);
        client.batch_execute(sql).await.map_err(|e| {
            e.as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_owned())
        })
    })
}
