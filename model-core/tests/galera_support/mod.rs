//! The MariaDB Galera test cluster (`scripts/galera.sh`): its nodes' URLs, in node order, from
//! `MODEL_TEST_GALERA_URLS` (default `mysql://root@127.0.0.1:4306/test,…:4307/test,…:4308/test`), and
//! throwaway databases on it. A node that cannot be reached skips the tests with a note, or fails
//! them under CI (`.ci/run` starts the cluster).
#![allow(dead_code)] // each test file uses a part of it

use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use diesel::Connection;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The test cluster's nodes as `scripts/galera.sh start` runs them (`scripts/galera.sh urls`).
const DEFAULT_URLS: &str =
    "mysql://root@127.0.0.1:4306/test,mysql://root@127.0.0.1:4307/test,mysql://root@127.0.0.1:4308/test";

/// The nodes' URLs (`MODEL_TEST_GALERA_URLS`, default the test cluster of `scripts/galera.sh`), or
/// `None` (skipped) outside CI when a node cannot be reached.
///
/// # Panics
/// Under CI when a listed node cannot be reached.
pub fn urls() -> Option<Vec<String>> {
    let list = std::env::var("MODEL_TEST_GALERA_URLS").unwrap_or_else(|_| DEFAULT_URLS.to_string());
    let urls: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect();
    assert!(
        urls.len() >= 2,
        "MODEL_TEST_GALERA_URLS lists {} node(s): a cluster has more",
        urls.len()
    );
    for url in &urls {
        if let Err(e) = MysqlConnection::establish(url) {
            if model_testkit::under_ci() {
                panic!("Galera node {url} is unreachable under CI: {e} (scripts/galera.sh start)");
            }
            eprintln!("skipped: Galera node {url} is unreachable ({e}); scripts/galera.sh start");
            return None;
        }
    }
    Some(urls)
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// `url` with its database part replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    model_core::runtime::Tenant::database_in(url, name).url
}

/// A database that exists, on every node, for one test (dropped when the guard goes).
pub struct ClusterDb {
    /// Its name.
    pub name: String,
    /// Its URL through each node, in node order.
    pub urls: Vec<String>,
}

impl ClusterDb {
    /// A connection through node `i` (0-based).
    pub fn connect(&self, i: usize) -> MysqlConnection {
        MysqlConnection::establish(&self.urls[i]).unwrap_or_else(|e| panic!("connect to {}: {e}", self.urls[i]))
    }
}

impl Drop for ClusterDb {
    fn drop(&mut self) {
        // through the first node that answers (one may be stopped)
        for url in &self.urls {
            if let Ok(mut c) = MysqlConnection::establish(url) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS `{}`", self.name));
                return;
            }
        }
    }
}

/// A new empty database on the cluster (created through node 1, and waited for on every node: DDL
/// replicates in total order, but the other nodes apply it after node 1 returns), or `None` when the
/// tests are skipped.
pub fn database(tag: &str) -> Option<ClusterDb> {
    let urls = urls()?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tag: String = tag.chars().filter(char::is_ascii_alphanumeric).take(16).collect();
    let name = format!(
        "model_g_{tag}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = MysqlConnection::establish(&urls[0]).expect("connect to node 1");
    admin
        .batch_execute(&format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
    let urls: Vec<String> = urls.iter().map(|u| with_database(u, &name)).collect();
    for url in &urls {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while let Err(e) = MysqlConnection::establish(url) {
            assert!(
                std::time::Instant::now() < deadline,
                "database {name} not on {url} 30 s after it was created on node 1: {e}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    Some(ClusterDb { name, urls })
}

/// `scripts/galera.sh`.
pub fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/galera.sh")
}

/// Start the nodes that are down (`scripts/galera.sh start`), and wait for them to sync.
pub fn start_missing_nodes() {
    let out = Command::new(script())
        .arg("start")
        .output()
        .expect("run scripts/galera.sh start");
    assert!(
        out.status.success(),
        "scripts/galera.sh start failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts the nodes that are down when dropped, so a failing test leaves the cluster whole.
pub struct RestartOnDrop;

impl Drop for RestartOnDrop {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("start").output();
    }
}
