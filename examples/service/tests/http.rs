//! The service as a user runs it: the binary started on a random port against a fresh PostgreSQL
//! database, exercised over HTTP with reqwest, stopped with SIGTERM (graceful shutdown). Two
//! instances started at once on one fresh database both come up, one of them applying the
//! migrations.

use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

/// A running instance of the service.
struct Instance {
    child: Child,
    stdout: BufReader<ChildStdout>,
    /// `http://127.0.0.1:<port>`.
    base: String,
    /// How many migrations it applied at startup.
    applied: usize,
}

impl Instance {
    /// Start the binary on a free port against `url`, and wait until it listens.
    fn start(url: &str) -> Instance {
        let mut child = Command::new(env!("CARGO_BIN_EXE_service"))
            .env("DATABASE_URL", url)
            .env("BIND", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the service");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        // Owned by the instance from here on, so that a failure below still kills and waits for it.
        let mut instance = Instance {
            child,
            stdout,
            base: String::new(),
            applied: usize::MAX,
        };
        let mut line = String::new();
        loop {
            line.clear();
            let n = instance.stdout.read_line(&mut line).expect("read the service's output");
            assert!(n > 0, "the service stopped before listening (see its stderr above)");
            if let Some(rest) = line.strip_prefix("migrations: applied ") {
                instance.applied = rest
                    .split_whitespace()
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("a count of migrations");
            }
            if let Some(addr) = line.trim().strip_prefix("listening on ") {
                assert_ne!(
                    instance.applied,
                    usize::MAX,
                    "the service says what it applied before listening"
                );
                instance.base = addr.to_string();
                return instance;
            }
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGTERM, then the exit status and the rest of its output.
    fn stop(mut self) -> (bool, String) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let exit = self.child.wait().expect("wait for the service");
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut self.stdout, &mut rest);
        (exit.success(), rest)
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("an HTTP answer");
    let status = response.status();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_users_and_posts_on_a_fresh_database() {
    let Some(db) = model_testkit::postgres("service_http") else {
        return;
    };
    let service = Instance::start(&db.url);
    assert_eq!(service.applied, 1, "the migration is applied at startup");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let u = |p: &str| service.url(p);

    assert_eq!(send(http.get(u("/health"))).await.0, StatusCode::OK);

    // users: create, conflict, bad input
    let (status, ada) = send(
        http.post(u("/users"))
            .json(&json!({"email": "ada@example.com", "name": "Ada"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{ada}");
    let ada_id = ada["id"].as_i64().expect("an id");
    let (status, body) = send(
        http.post(u("/users"))
            .json(&json!({"email": "ada@example.com", "name": "Another"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"].as_str().unwrap().contains("uq_users_email"), "{body}");
    let (status, body) = send(
        http.post(u("/users"))
            .json(&json!({"email": "not an address", "name": "X"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = send(http.post(u("/users")).json(&json!({"email": "x@example.com"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a missing field: {body}");
    let (status, _) = send(
        http.post(u("/users"))
            .header("content-type", "application/json")
            .body("{oops"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "malformed JSON");
    let (status, alan) = send(
        http.post(u("/users"))
            .json(&json!({"email": "alan@example.com", "name": "Alan"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let alan_id = alan["id"].as_i64().unwrap();
    let (status, body) = send(
        http.patch(u(&format!("/users/{alan_id}")))
            .json(&json!({"email": "ada@example.com"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = send(http.get(u(&format!("/users/{ada_id}")))).await;
    assert_eq!((status, body["name"].as_str()), (StatusCode::OK, Some("Ada")));
    assert_eq!(send(http.get(u("/users/999999"))).await.0, StatusCode::NOT_FOUND);
    let (status, list) = send(http.get(u("/users"))).await;
    assert_eq!((status, list.as_array().map(Vec::len)), (StatusCode::OK, Some(2)));

    // posts: the enum's default, an explicit status, a bad status, an unknown author
    let (status, draft) = send(
        http.post(u("/posts"))
            .json(&json!({"author_id": ada_id, "title": "Engines"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(draft["status"], "draft");
    let draft_id = draft["id"].as_i64().unwrap();
    let (status, published) =
        send(http.post(u("/posts")).json(
            &json!({"author_id": alan_id, "title": "Machines", "body": "Can they think?", "status": "published"}),
        ))
        .await;
    assert_eq!(
        (status, published["status"].as_str()),
        (StatusCode::CREATED, Some("published"))
    );
    let (status, body) = send(
        http.post(u("/posts"))
            .json(&json!({"author_id": ada_id, "title": "X", "status": "gone"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = send(
        http.post(u("/posts"))
            .json(&json!({"author_id": 424242, "title": "Orphan"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = send(
        http.post(u("/posts"))
            .json(&json!({"author_id": ada_id, "title": "  "})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // the join and the enum in a filter
    let (status, list) = send(http.get(u("/posts?status=published"))).await;
    assert_eq!(status, StatusCode::OK);
    let list = list.as_array().expect("a list").clone();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["title"], "Machines");
    assert_eq!(list[0]["author"]["email"], "alan@example.com");
    let (status, body) = send(http.get(u("/posts?status=nonsense"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, one) = send(http.get(u(&format!("/posts/{draft_id}")))).await;
    assert_eq!((status, one["author"]["name"].as_str()), (StatusCode::OK, Some("Ada")));

    // updates
    let (status, body) = send(
        http.patch(u(&format!("/posts/{draft_id}")))
            .json(&json!({"status": "archived"})),
    )
    .await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("archived")));
    let (status, body) = send(http.patch(u(&format!("/posts/{draft_id}"))).json(&json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "nothing to change: {body}");
    assert_eq!(
        send(http.patch(u("/posts/999999")).json(&json!({"title": "x"})))
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // comments
    let (status, comment) = send(
        http.post(u(&format!("/posts/{draft_id}/comments")))
            .json(&json!({"body": "Fascinating."})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{comment}");
    let (status, list) = send(http.get(u(&format!("/posts/{draft_id}/comments")))).await;
    assert_eq!((status, list.as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
    assert_eq!(
        send(http.post(u("/posts/999999/comments")).json(&json!({"body": "?"})))
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // deleting a user deletes their posts (ON DELETE CASCADE)
    assert_eq!(
        send(http.delete(u(&format!("/users/{ada_id}")))).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(http.get(u(&format!("/posts/{draft_id}")))).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(http.delete(u(&format!("/users/{ada_id}")))).await.0,
        StatusCode::NOT_FOUND
    );

    let (clean, rest) = service.stop();
    assert!(clean && rest.contains("stopped"), "graceful shutdown: {rest}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_start_at_once_on_one_fresh_database() {
    let Some(db) = model_testkit::postgres("service_twice") else {
        return;
    };
    let (a, b) = {
        let url = db.url.clone();
        let other = std::thread::spawn(move || Instance::start(&url));
        let a = Instance::start(&db.url);
        (a, other.join().expect("the second instance"))
    };
    assert_eq!(
        a.applied + b.applied,
        1,
        "one instance applied the migration, the other waited: {} and {}",
        a.applied,
        b.applied
    );
    let http = reqwest::Client::new();
    let (status, user) = send(
        http.post(a.url("/users"))
            .json(&json!({"email": "grace@example.com", "name": "Grace"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let (status, seen) = send(http.get(b.url(&format!("/users/{}", user["id"])))).await;
    assert_eq!(
        (status, seen["email"].as_str()),
        (StatusCode::OK, Some("grace@example.com"))
    );
    let (status, body) = send(
        http.post(b.url("/users"))
            .json(&json!({"email": "grace@example.com", "name": "Again"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(a.stop().0);
    assert!(b.stop().0);
}
