//! A realistic model (tests/evolution/models.rs) evolved in 19 steps covering every change kind (a
//! generated column and views among them), each
//! step written by the real build step and applied to a real database — PostgreSQL, SQLite, and
//! MySQL/MariaDB with the `mysql` feature: the same models and the same assertions on each. After each
//! step: the database equals the models (introspected), down then up gives the same schema again, the
//! rows written by earlier steps are still there (through renames and type changes), and new rows go in.
//! The same runs for a `#[derive(ModelEnum)]` enum evolved in 6 steps (tests/evolution/enum_models.rs):
//! values added (one the new default), renamed, removed, the type renamed, its last column dropped.
#![cfg(all(feature = "build", feature = "postgres", feature = "sqlite"))]

mod support;

use model_core::ir::Dialect;
use support::project::Project;

struct Step {
    /// What the step changes.
    title: &'static str,
    /// `(text, replacement)` edits to the previous step's model source (the first step's source is
    /// `tests/evolution/models.rs`).
    edits: &'static [(&'static str, &'static str)],
    /// The step loses data and needs MODEL_ALLOW_DATA_LOSS.
    allow_data_loss: bool,
    /// Dialects the step does not apply to (what the database cannot hold, e.g. partial indexes on MySQL).
    skip_on: &'static [Dialect],
    /// `(query returning a text column "v", expected values joined with ",")` run after migrating:
    /// data kept. `{text}` is the dialect's text type for casts.
    checks: &'static [(&'static str, &'static str)],
    /// Statements run after the checks: rows for the next steps.
    then: &'static str,
}

const STEPS: &[Step] = &[
    Step {
        title: "create users, posts (FK, index) and tags.",
        edits: &[],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[],
        then: "INSERT INTO users (id, email, name) VALUES (1, 'ada@example.com', 'Ada'), (2, 'bob@example.com', NULL);
               INSERT INTO posts (id, author_id, title, body, views) VALUES (1, 1, 'Hello', 'First body', 10);
               INSERT INTO tags (id, name) VALUES (1, 'rust');",
    },
    Step {
        title: "add a nullable column; add a join table with a composite primary key.",
        edits: &[
            (r#"    pub name: Option<String>,
}"#, r#"    pub name: Option<String>,
    pub nickname: Option<String>,
}"#),
            (r#"// more models
"#, r#"#[derive(Model)]
#[model(primary_key(post_id, tag_id))]
pub struct PostTag {
    #[model(references = "posts(id)", on_delete = "cascade")]
    pub post_id: i64,
    #[model(references = "tags(id)")]
    pub tag_id: i32,
}

// more models
"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[(
            "SELECT email AS v FROM users ORDER BY id",
            "ada@example.com,bob@example.com",
        ), ("SELECT name AS v FROM users ORDER BY id", "Ada,null")],
        then: "INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1); UPDATE users SET nickname = 'adda' WHERE id = 1;",
    },
    Step {
        title: "rename posts.body to content (data kept); comments on the table and the column.",
        edits: &[
            (r#"#[derive(Model)]
pub struct Post {"#, r#"/// A blog post.
#[derive(Model)]
pub struct Post {"#),
            ("    pub body: String,", r#"    /// Markdown.
    #[model(renamed_from = "body")]
    pub content: String,"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[("SELECT content AS v FROM posts WHERE id = 1", "First body")],
        then: "",
    },
    Step {
        title: "widen posts.views from INTEGER to BIGINT (values kept) and give it a default.",
        edits: &[
            ("    pub views: i32,", r#"    #[model(default = 0)]
    pub views: i64,"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[("SELECT CAST(views AS {text}) AS v FROM posts WHERE id = 1", "10")],
        then: "INSERT INTO posts (id, author_id, title, content) VALUES (2, 2, 'Second', 'Body 2');",
    },
    Step {
        title: "users.nickname becomes NOT NULL with a default (NULLs filled with it).",
        edits: &[
            ("    pub nickname: Option<String>,", r#"    #[model(default = "anon")]
    pub nickname: String,"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[
            (
                "SELECT nickname AS v FROM users ORDER BY id",
                "adda,anon",
            ),
            ("SELECT CAST(views AS {text}) AS v FROM posts WHERE id = 2", "0"),
        ],
        then: "",
    },
    Step {
        title: "change a literal default to an SQL one, drop a default, add a NOT NULL column with an SQL default.",
        edits: &[
            (r#"    #[model(default = 0)]
    pub views: i64,"#, r#"    #[model(default_sql = "1")]
    pub views: i64,
    #[model(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: model::types::UtcDateTime,"#),
            (r#"    #[model(default = "anon")]
    pub nickname: String,"#, "    pub nickname: String,"),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[(
            "SELECT CAST(count(*) AS {text}) AS v FROM posts WHERE created_at IS NOT NULL",
            "2",
        )],
        then: "INSERT INTO posts (id, author_id, title, content) VALUES (3, 1, 'Third', 'Body 3');
               INSERT INTO users (id, email, nickname) VALUES (3, 'cy@example.com', 'cy');",
    },
    Step {
        title: "tags.id stops being an identity; a composite unique is added; the unique constraint on email becomes a unique index.",
        edits: &[
            (r#"pub struct Tag {
    #[model(primary_key)]"#, r#"pub struct Tag {
    #[model(primary_key, identity = false)]"#),
            (r#"/// A blog post.
#[derive(Model)]
pub struct Post {"#, r#"/// A blog post.
#[derive(Model)]
#[model(unique(author_id, title))]
pub struct Post {"#),
            (r#"#[derive(Model)]
pub struct User {"#, r#"#[derive(Model)]
#[model(index(email, unique))]
pub struct User {"#),
            ("    #[model(unique, max_length = 255)]", "    #[model(max_length = 255)]"),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[("SELECT CAST(views AS {text}) AS v FROM posts WHERE id = 3", "1")],
        then: "INSERT INTO tags (id, name) VALUES (2, 'sql');",
    },
    Step {
        title: "the single-column index becomes a composite one.",
        edits: &[
            ("#[model(unique(author_id, title))]", "#[model(unique(author_id, title), index(author_id, created_at))]"),
            (r#"    #[model(references = "users(id)", on_delete = "cascade", index)]"#, r#"    #[model(references = "users(id)", on_delete = "cascade")]"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[("SELECT CAST(count(*) AS {text}) AS v FROM post_tags", "1")],
        then: "",
    },
    Step {
        title: "a partial index is added (MySQL has no partial indexes).",
        edits: &[(
            "index(author_id, created_at))]",
            r#"index(author_id, created_at), index(title, where_sql = "views > 0"))]"#,
        )],
        skip_on: &[Dialect::Mysql],
        allow_data_loss: false,
        checks: &[],
        then: "",
    },
    Step {
        title: "posts.author_id becomes nullable and its foreign key ON DELETE SET NULL.",
        edits: &[
            (r#"    #[model(references = "users(id)", on_delete = "cascade")]
    pub author_id: i64,"#, r#"    #[model(references = "users(id)", on_delete = "set null")]
    pub author_id: Option<i64>,"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[("SELECT CAST(author_id AS {text}) AS v FROM posts ORDER BY id", "1,2,1")],
        // post 2's author goes: ON DELETE SET NULL empties post 2's author_id, and only it; every
        // later step checks that no rebuild of users (SQLite) empties the others
        then: "DELETE FROM users WHERE id = 2;",
    },
    Step {
        title: "a column check and a named table check are added.",
        edits: &[
            (r#"    #[model(default_sql = "1")]"#, r#"    #[model(default_sql = "1", check = "views >= 0")]"#),
            ("#[model(index(email, unique))]", r#"#[model(index(email, unique), check(name = "email_has_at", sql = "email LIKE '%@%'"))]"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[("SELECT CAST(author_id AS {text}) AS v FROM posts ORDER BY id", "1,null,1")],
        then: "",
    },
    Step {
        title: "a check changes; the table and column comments change.",
        edits: &[
            (r#"check = "views >= 0")]"#, r#"check = "views >= 0 AND views < 1000000")]"#),
            (r#"/// A blog post.
"#, r#"/// A post on the blog.
/// Written by one user.
"#),
            (r#"    /// Markdown.
"#, r#"    /// The text, in Markdown.
"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[
            ("SELECT title AS v FROM posts ORDER BY id", "Hello,Second,Third"),
            ("SELECT CAST(author_id AS {text}) AS v FROM posts ORDER BY id", "1,null,1"),
        ],
        then: "",
    },
    Step {
        title: "tags is renamed to labels (data kept); its key, index names and the foreign key to it follow; users' named check changes (on SQLite users alone is rebuilt, under posts' ON DELETE SET NULL key).",
        edits: &[
            (r#"#[derive(Model)]
pub struct Tag {"#, r#"#[derive(Model)]
#[model(table_name = "labels", renamed_from = "tags")]
pub struct Label {"#),
            (r#"    #[model(references = "tags(id)")]"#, r#"    #[model(references = "labels(id)")]"#),
            (r#"sql = "email LIKE '%@%'""#, r#"sql = "email LIKE '%_@_%'""#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[
            ("SELECT name AS v FROM labels ORDER BY id", "rust,sql"),
            ("SELECT CAST(count(*) AS {text}) AS v FROM post_tags", "1"),
            ("SELECT CAST(author_id AS {text}) AS v FROM posts ORDER BY id", "1,null,1"),
        ],
        then: "",
    },
    Step {
        title: "the join table's primary key changes column order; labels.id becomes an identity again on a table with rows.",
        edits: &[
            ("#[model(primary_key(post_id, tag_id))]", "#[model(primary_key(tag_id, post_id))]"),
            (r#"    #[model(primary_key, identity = false)]
    pub id: i32,"#, r#"    #[model(primary_key)]
    pub id: i32,"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[("SELECT CAST(author_id AS {text}) AS v FROM posts ORDER BY id", "1,null,1")],
        then: "INSERT INTO labels (name) VALUES ('new');",
    },
    Step {
        title: "a generated column (users.email_key = lower(email)) and a view of the posts with their author's email are added.",
        edits: &[
            ("    pub nickname: String,\n}", "    pub nickname: String,\n    #[model(generated = \"lower(email)\", max_length = 255)]\n    pub email_key: String,\n}"),
            ("// more models\n", r#"#[derive(Model)]
#[model(view = "SELECT p.id, p.title, u.email FROM posts p JOIN users u ON u.id = p.author_id")]
pub struct PostWithAuthor {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 300)]
    pub title: String,
    #[model(max_length = 255)]
    pub email: String,
}

// more models
"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[
            ("SELECT email_key AS v FROM users ORDER BY id", "ada@example.com,cy@example.com"),
            ("SELECT title AS v FROM post_with_authors ORDER BY id", "Hello,Third"),
        ],
        then: "INSERT INTO users (id, email, nickname) VALUES (4, 'Dee@Example.com', 'dee');",
    },
    Step {
        title: "the view's query changes (replaced in place) and a view over the view is added.",
        edits: &[
            (
                "FROM posts p JOIN users u ON u.id = p.author_id\")]",
                "FROM posts p JOIN users u ON u.id = p.author_id WHERE p.views >= 0\")]",
            ),
            ("// more models\n", r#"#[derive(Model)]
#[model(view = "SELECT id, email FROM post_with_authors WHERE id > 1")]
pub struct LaterPost {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 255)]
    pub email: String,
}

// more models
"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[
            ("SELECT email_key AS v FROM users ORDER BY id", "ada@example.com,cy@example.com,dee@example.com"),
            ("SELECT CAST(id AS {text}) AS v FROM later_posts ORDER BY id", "3"),
        ],
        then: "",
    },
    Step {
        title: "users.email widens to VARCHAR(320) under the generated column and both views: they are dropped and created again around it (SQLite does not store the length: no migration there).",
        edits: &[("    #[model(max_length = 255)]\n    pub email: String,\n    pub name", "    #[model(max_length = 320)]\n    pub email: String,\n    pub name")],
        skip_on: &[Dialect::Sqlite],
        allow_data_loss: false,
        checks: &[
            ("SELECT email_key AS v FROM users ORDER BY id", "ada@example.com,cy@example.com,dee@example.com"),
            ("SELECT email AS v FROM later_posts ORDER BY id", "ada@example.com"),
        ],
        then: "",
    },
    Step {
        title: "(MODEL_ALLOW_DATA_LOSS) narrow labels.name to VARCHAR(20) and posts.title from VARCHAR(300) to VARCHAR(200) (SQLite stores both as TEXT: no migration there, see the plan's tests).",
        edits: &[
            ("    #[model(max_length = 40)]", "    #[model(max_length = 20)]"),
            ("    #[model(max_length = 300)]\n    pub title: String,", "    #[model(max_length = 200)]\n    pub title: String,"),
        ],
        skip_on: &[Dialect::Sqlite],
        allow_data_loss: true,
        checks: &[
            ("SELECT CAST(id AS {text}) AS v FROM labels ORDER BY id", "1,2,3"),
            ("SELECT name AS v FROM labels ORDER BY id", "rust,sql,new"),
            ("SELECT CAST(author_id AS {text}) AS v FROM posts ORDER BY id", "1,null,1"),
        ],
        then: "",
    },
    Step {
        title: "(MODEL_ALLOW_DATA_LOSS) drop users.name and the join table.",
        edits: &[
            (r#"    pub name: Option<String>,
"#, ""),
            (r#"#[derive(Model)]
#[model(primary_key(tag_id, post_id))]
pub struct PostTag {
    #[model(references = "posts(id)", on_delete = "cascade")]
    pub post_id: i64,
    #[model(references = "labels(id)")]
    pub tag_id: i32,
}

"#, ""),
        ],
        skip_on: &[],
        allow_data_loss: true,
        checks: &[
            (
                "SELECT email AS v FROM users ORDER BY id",
                "ada@example.com,cy@example.com,Dee@Example.com",
            ),
            ("SELECT content AS v FROM posts WHERE id = 1", "First body"),
            ("SELECT CAST(author_id AS {text}) AS v FROM posts ORDER BY id", "1,null,1"),
        ],
        then: "",
    },
];

/// The steps (by the start of their title) that rewrite (PostgreSQL) or copy (MySQL) a whole table
/// (a type change, a stored generated column added or added again around a change of what it
/// reads), which the build step refuses unless MODEL_ALLOW_REWRITE=1.
const REWRITES: &[(Dialect, &str)] = &[
    (Dialect::Postgres, "widen posts.views from INTEGER to BIGINT"),
    (Dialect::Postgres, "(MODEL_ALLOW_DATA_LOSS) narrow labels.name"),
    (Dialect::Mysql, "widen posts.views from INTEGER to BIGINT"),
    (Dialect::Mysql, "(MODEL_ALLOW_DATA_LOSS) narrow labels.name"),
    (Dialect::Mysql, "posts.author_id becomes nullable"),
    (Dialect::Mysql, "the join table's primary key changes column order"),
    (Dialect::Postgres, "a generated column (users.email_key"),
    (Dialect::Mysql, "a generated column (users.email_key"),
    (Dialect::Postgres, "users.email widens to VARCHAR(320)"),
    (Dialect::Mysql, "users.email widens to VARCHAR(320)"),
];

#[test]
fn evolution_on_postgres() {
    evolve(Dialect::Postgres);
}

#[test]
fn evolution_on_sqlite() {
    evolve(Dialect::Sqlite);
}

#[cfg(feature = "mysql")]
#[test]
fn evolution_on_mysql() {
    evolve(Dialect::Mysql);
}

fn evolve(dialect: Dialect) {
    let Some(mut p) = Project::new(dialect, "evolution") else {
        return;
    };
    run_steps(&mut p, include_str!("evolution/models.rs"), STEPS);
    // Step 10's down.sql makes posts.author_id NOT NULL again, which the post whose author was
    // deleted (SET NULL) would break: its down.sql says so above that statement. Remove that row,
    // and only it (the checks above say it is the only one without an author).
    p.exec("DELETE FROM posts WHERE id = 2;");
    p.revert_all();
    assert!(p.is_empty(), "down to empty");
}

/// Run `steps` from the model source `first`: after each, the database is the models, down then up
/// gives them again, the checks hold. The migration folders written, by step.
fn run_steps(p: &mut Project, first: &str, steps: &[Step]) -> Vec<std::path::PathBuf> {
    let dialect = p.dialect;
    let mut written_dirs = Vec::new();
    let mut previous = model_core::ir::Schema::default();
    let mut source = first.to_string();
    for (n, step) in steps.iter().enumerate() {
        let name = format!("{dialect}, step {}: {}", n + 1, step.title);
        if step.skip_on.contains(&dialect) {
            continue;
        }
        for (text, replacement) in step.edits {
            assert!(
                source.contains(text),
                "{name}: the previous models do not contain {text:?}"
            );
            source = source.replacen(text, replacement, 1);
        }
        p.write_models(&source);
        if step.allow_data_loss {
            let refused = p.build(false).expect_err("a lossy step needs MODEL_ALLOW_DATA_LOSS");
            assert!(
                refused.to_string().contains("MODEL_ALLOW_DATA_LOSS=1"),
                "{name}: {refused}"
            );
        }
        // PostgreSQL refuses a change that rewrites a whole table unless allowed
        let rewrites = REWRITES.iter().any(|(d, t)| *d == dialect && step.title.starts_with(t));
        if rewrites {
            let refused = p
                .build_all(step.allow_data_loss, false)
                .expect_err("a rewrite needs MODEL_ALLOW_REWRITE");
            assert!(
                refused.to_string().contains("MODEL_ALLOW_REWRITE=1"),
                "{name}: {refused}"
            );
        }
        let dirs = p
            .build_all(step.allow_data_loss, rewrites)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let dir = dirs
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("{name}: no migration written"));
        let up = dirs
            .iter()
            .map(|d| p.read_migration(d).0)
            .collect::<Vec<_>>()
            .join("\n");
        written_dirs.push(dir.clone());
        assert_eq!(
            p.build_all(step.allow_data_loss, rewrites)
                .unwrap_or_else(|e| panic!("{name}: {e}")),
            Vec::<std::path::PathBuf>::new(),
            "{name}: idempotent"
        );
        let models = p.models();

        assert_eq!(p.migrate().len(), dirs.len(), "{name}");
        p.assert_live_is(&models, &format!("{name}, after up\n{up}"));
        for _ in &dirs {
            p.revert_last();
        }
        p.assert_live_is(&previous, &format!("{name}, after down"));
        p.migrate();
        p.assert_live_is(&models, &format!("{name}, after down and up"));

        for (query, expected) in step.checks {
            assert_eq!(p.values(query), *expected, "{name}: {query}");
        }
        if !step.then.is_empty() {
            p.exec(step.then);
        }
        previous = models;
    }
    written_dirs
}

/// The enum steps, from tests/evolution/enum_models.rs.
const ENUM_STEPS: &[Step] = &[
    Step {
        title: "create posts with an enum column (CREATE TYPE first on PostgreSQL, a CHECK on SQLite, ENUM on MySQL).",
        edits: &[],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[],
        then: "INSERT INTO posts (id, title) VALUES (1, 'a'); INSERT INTO posts (id, title, status) VALUES (2, 'b', 'published');",
    },
    Step {
        title: "add Review in the middle and Archived last; the new 'review' becomes the default (PostgreSQL: committed first).",
        edits: &[
            ("    Draft,\n    Published,\n}", "    Draft,\n    Review,\n    Published,\n    Archived,\n}"),
            (r#"#[model(enum, default = "draft")]"#, r#"#[model(enum, default = "review")]"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[("SELECT CAST(status AS {text}) AS v FROM posts ORDER BY id", "draft,published")],
        then: "INSERT INTO posts (id, title) VALUES (3, 'c');",
    },
    Step {
        title: "rename the value review to in_review (renamed_from): rows follow.",
        edits: &[
            ("    Review,\n", "    #[model(rename = \"in_review\", renamed_from = \"review\")]\n    Review,\n"),
            (r#"#[model(enum, default = "review")]"#, r#"#[model(enum, default = "in_review")]"#),
        ],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[("SELECT CAST(status AS {text}) AS v FROM posts ORDER BY id", "draft,published,in_review")],
        then: "INSERT INTO posts (id, title, status) VALUES (4, 'd', 'in_review');",
    },
    Step {
        title: "(MODEL_ALLOW_DATA_LOSS) remove the unused value archived.",
        edits: &[("    Archived,\n", "")],
        skip_on: &[],
        allow_data_loss: true,
        checks: &[(
            "SELECT CAST(status AS {text}) AS v FROM posts ORDER BY id",
            "draft,published,in_review,in_review",
        )],
        then: "",
    },
    Step {
        title: "rename the type to publication_status (renamed_from on the enum).",
        edits: &[(
            r#"#[model(type_name = "post_status")]"#,
            r#"#[model(type_name = "publication_status", renamed_from = "post_status")]"#,
        )],
        skip_on: &[],
        allow_data_loss: false,
        checks: &[(
            "SELECT CAST(status AS {text}) AS v FROM posts ORDER BY id",
            "draft,published,in_review,in_review",
        )],
        then: "",
    },
    Step {
        title: "(MODEL_ALLOW_DATA_LOSS) drop the enum's last column (DROP TYPE after it on PostgreSQL).",
        edits: &[("    #[model(enum, default = \"in_review\")]\n    pub status: PostStatus,\n", "")],
        skip_on: &[],
        allow_data_loss: true,
        checks: &[("SELECT title AS v FROM posts ORDER BY id", "a,b,c,d")],
        then: "",
    },
];

#[test]
fn enum_evolution_on_postgres() {
    evolve_enums(Dialect::Postgres);
}

#[test]
fn enum_evolution_on_sqlite() {
    evolve_enums(Dialect::Sqlite);
}

#[cfg(feature = "mysql")]
#[test]
fn enum_evolution_on_mysql() {
    evolve_enums(Dialect::Mysql);
}

fn evolve_enums(dialect: Dialect) {
    let Some(mut p) = Project::new(dialect, "enum_evolution") else {
        return;
    };
    let dirs = run_steps(&mut p, include_str!("evolution/enum_models.rs"), ENUM_STEPS);
    // the build step wrote metadata.toml where PostgreSQL must commit the new values first
    let flagged: Vec<usize> = (0..dirs.len())
        .filter(|i| dirs[*i].join("metadata.toml").exists())
        .collect();
    let expected: &[usize] = if dialect == Dialect::Postgres { &[1] } else { &[] };
    assert_eq!(
        flagged, expected,
        "{dialect}: the steps with run_in_transaction = false"
    );
    // rows hold values that the first steps' down.sql removes, which would make it fail
    p.exec("DELETE FROM posts;");
    p.revert_all();
    assert!(p.is_empty(), "down to empty");
}
