//! A realistic model evolved in 15 steps covering every change kind, each step written by the real
//! build step and applied to a real PostgreSQL database. After each step: the database equals the
//! models (introspected), down then up gives the same schema again, the rows written by earlier steps
//! are still there (through renames and type changes), and new rows go in.
#![cfg(all(feature = "build", feature = "postgres"))]

mod support;

use support::project::Project;

struct Step {
    /// The model source of this step (tests/evolution/*.rs).
    models: &'static str,
    /// The step loses data and needs MODEL_ALLOW_DATA_LOSS.
    allow_data_loss: bool,
    /// `(query returning one text column "v", expected)` run after migrating: data kept.
    checks: &'static [(&'static str, &'static str)],
    /// Statements run after the checks: rows for the next steps.
    then: &'static str,
}

const STEPS: &[Step] = &[
    Step {
        models: include_str!("evolution/01_create.rs"),
        allow_data_loss: false,
        checks: &[],
        then: "INSERT INTO users (id, email, name) VALUES (1, 'ada@example.com', 'Ada'), (2, 'bob@example.com', NULL);
               INSERT INTO posts (id, author_id, title, body, views) VALUES (1, 1, 'Hello', 'First body', 10);
               INSERT INTO tags (id, name) VALUES (1, 'rust');",
    },
    Step {
        models: include_str!("evolution/02_add_column_and_join_table.rs"),
        allow_data_loss: false,
        checks: &[(
            "SELECT string_agg(email || '/' || coalesce(name, '-'), ',' ORDER BY id) AS v FROM users",
            "ada@example.com/Ada,bob@example.com/-",
        )],
        then: "INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1); UPDATE users SET nickname = 'adda' WHERE id = 1;",
    },
    Step {
        models: include_str!("evolution/03_rename_column_and_comments.rs"),
        allow_data_loss: false,
        checks: &[("SELECT content AS v FROM posts WHERE id = 1", "First body")],
        then: "",
    },
    Step {
        models: include_str!("evolution/04_widen_type_and_default.rs"),
        allow_data_loss: false,
        checks: &[("SELECT views::text AS v FROM posts WHERE id = 1", "10")],
        then: "INSERT INTO posts (id, author_id, title, content) VALUES (2, 2, 'Second', 'Body 2');",
    },
    Step {
        models: include_str!("evolution/05_not_null_with_default.rs"),
        allow_data_loss: false,
        checks: &[
            (
                "SELECT string_agg(nickname, ',' ORDER BY id) AS v FROM users",
                "adda,anon",
            ),
            ("SELECT views::text AS v FROM posts WHERE id = 2", "0"),
        ],
        then: "",
    },
    Step {
        models: include_str!("evolution/06_defaults.rs"),
        allow_data_loss: false,
        checks: &[(
            "SELECT count(*)::text AS v FROM posts WHERE created_at IS NOT NULL",
            "2",
        )],
        then: "INSERT INTO posts (id, author_id, title, content) VALUES (3, 1, 'Third', 'Body 3');
               INSERT INTO users (id, email, nickname) VALUES (3, 'cy@example.com', 'cy');",
    },
    Step {
        models: include_str!("evolution/07_identity_off_and_uniques.rs"),
        allow_data_loss: false,
        checks: &[("SELECT views::text AS v FROM posts WHERE id = 3", "1")],
        then: "INSERT INTO tags (id, name) VALUES (2, 'sql');",
    },
    Step {
        models: include_str!("evolution/08_indexes.rs"),
        allow_data_loss: false,
        checks: &[("SELECT count(*)::text AS v FROM post_tags", "1")],
        then: "",
    },
    Step {
        models: include_str!("evolution/09_foreign_key_action.rs"),
        allow_data_loss: false,
        checks: &[("SELECT author_id::text AS v FROM posts WHERE id = 2", "2")],
        then: "DELETE FROM users WHERE id = 2;",
    },
    Step {
        models: include_str!("evolution/10_checks.rs"),
        allow_data_loss: false,
        checks: &[(
            "SELECT coalesce(author_id::text, 'null') AS v FROM posts WHERE id = 2",
            "null",
        )],
        then: "",
    },
    Step {
        models: include_str!("evolution/11_change_check_and_comments.rs"),
        allow_data_loss: false,
        checks: &[(
            "SELECT string_agg(title, ',' ORDER BY id) AS v FROM posts",
            "Hello,Second,Third",
        )],
        then: "",
    },
    Step {
        models: include_str!("evolution/12_rename_table.rs"),
        allow_data_loss: false,
        checks: &[
            ("SELECT string_agg(name, ',' ORDER BY id) AS v FROM labels", "rust,sql"),
            ("SELECT count(*)::text AS v FROM post_tags", "1"),
        ],
        then: "",
    },
    Step {
        models: include_str!("evolution/13_primary_key_and_identity_on.rs"),
        allow_data_loss: false,
        checks: &[],
        then: "INSERT INTO labels (name) VALUES ('new');",
    },
    Step {
        models: include_str!("evolution/14_narrow_types.rs"),
        allow_data_loss: true,
        checks: &[(
            "SELECT string_agg(id || ':' || name, ',' ORDER BY id) AS v FROM labels",
            "1:rust,2:sql,3:new",
        )],
        then: "",
    },
    Step {
        models: include_str!("evolution/15_drop_column_and_table.rs"),
        allow_data_loss: true,
        checks: &[
            (
                "SELECT string_agg(email, ',' ORDER BY id) AS v FROM users",
                "ada@example.com,cy@example.com",
            ),
            ("SELECT content AS v FROM posts WHERE id = 1", "First body"),
        ],
        then: "",
    },
];

#[test]
fn a_model_evolves_through_every_change_kind() {
    let Some(mut p) = Project::postgres("evolution") else {
        return;
    };
    let mut previous = model_core::ir::Schema::default();
    for (n, step) in STEPS.iter().enumerate() {
        let name = step.models.lines().next().unwrap_or_default().to_string();
        p.write_models(step.models);
        if step.allow_data_loss {
            let refused = p.build(false).expect_err("a lossy step needs MODEL_ALLOW_DATA_LOSS");
            assert!(
                refused.to_string().contains("MODEL_ALLOW_DATA_LOSS=1"),
                "{name}: {refused}"
            );
        }
        let written = p.build(step.allow_data_loss).unwrap_or_else(|e| panic!("{name}: {e}"));
        let dir = written.unwrap_or_else(|| panic!("{name}: no migration written"));
        let (up, _) = p.read_migration(&dir);
        assert_eq!(
            p.build(step.allow_data_loss).unwrap_or_else(|e| panic!("{name}: {e}")),
            None,
            "{name}: idempotent"
        );
        let models = p.models();

        assert_eq!(p.migrate().len(), 1, "{name}");
        p.assert_live_is(&models, &format!("{name}, after up\n{up}"));
        p.revert_last();
        p.assert_live_is(&previous, &format!("{name}, after down"));
        p.migrate();
        p.assert_live_is(&models, &format!("{name}, after down and up"));

        for (query, expected) in step.checks {
            assert_eq!(
                p.text(query).as_deref(),
                Some(*expected),
                "{name} (step {}): {query}",
                n + 1
            );
        }
        if !step.then.is_empty() {
            p.exec(step.then);
        }
        previous = models;
    }
    // Step 9's down.sql makes posts.author_id NOT NULL again, which the post whose author was
    // deleted (SET NULL) would break: its down.sql says so above that statement. Remove that row.
    p.exec("DELETE FROM posts WHERE author_id IS NULL;");
    p.revert_all();
    assert!(p.live().tables.is_empty(), "down to empty");
}
