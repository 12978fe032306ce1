//! Throwaway MySQL/MariaDB databases.

use crate::{database_url, under_ci, unique};
use diesel::mysql::MysqlConnection;
use diesel::prelude::*;

/// The admin URL MySQL tests create their databases from (`MODEL_TEST_MYSQL_URL`).
pub fn mysql_admin_url() -> String {
    std::env::var("MODEL_TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

/// A MySQL/MariaDB database that exists for one test (dropped when the guard goes).
pub struct MysqlDatabase {
    /// Its name.
    pub name: String,
    /// A URL connecting to it.
    pub url: String,
    admin_url: String,
}

impl MysqlDatabase {
    /// A connection to the database.
    pub fn connect(&self) -> MysqlConnection {
        MysqlConnection::establish(&self.url).unwrap_or_else(|e| panic!("connect to {}: {e}", self.url))
    }
}

impl Drop for MysqlDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = MysqlConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS `{}`", self.name)).execute(&mut admin);
        }
    }
}

/// A new empty MySQL/MariaDB database, or `None` (test skipped) when the server is unreachable
/// outside CI.
///
/// # Panics
/// Under CI when the server is unreachable, and when the database cannot be created.
pub fn mysql(tag: &str) -> Option<MysqlDatabase> {
    let admin_url = mysql_admin_url();
    let mut admin = match MysqlConnection::establish(&admin_url) {
        Ok(c) => c,
        Err(e) if under_ci() => panic!("MySQL at {admin_url} is unreachable under CI: {e}"),
        Err(e) => {
            eprintln!("skipped: MySQL at {admin_url} is unreachable ({e}); set MODEL_TEST_MYSQL_URL");
            return None;
        }
    };
    // MySQL names are at most 64 characters: shorten the tag, keep the unique suffix.
    let name = unique(&tag.chars().take(20).collect::<String>());
    diesel::sql_query(format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
        .execute(&mut admin)
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
    let url = database_url(&admin_url, &name);
    Some(MysqlDatabase { name, url, admin_url })
}
