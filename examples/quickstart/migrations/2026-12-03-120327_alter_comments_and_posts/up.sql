-- alter_comments_and_posts
--   - add column "updated_at" to "posts"
--   - add generated column "body_length" to "comments"
--   - create view "published_posts"
--   - create trigger "posts_touch" on "posts"

-- the tables rebuilt below are dropped and refilled: check foreign keys at commit
PRAGMA defer_foreign_keys = ON;

ALTER TABLE "posts" ADD COLUMN "updated_at" TEXT;

-- SQLite cannot make these changes in place: rebuild "comments" (rows saved to TEMP tables, tables dropped and created again, rows copied back)
CREATE TEMP TABLE "__model_rebuild_check" (
    "no_trigger" INTEGER CONSTRAINT "a table this migration rebuilds has a trigger the crate does not manage, which dropping the table would lose: put it in the objects folder, or drop it before migrating and create it again after" CHECK ("no_trigger"),
    "fk_ok" INTEGER CONSTRAINT "after rebuilding, some rows reference rows that do not exist: see PRAGMA foreign_key_check" CHECK ("fk_ok")
);

INSERT INTO temp."__model_rebuild_check" ("no_trigger") SELECT NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND tbl_name COLLATE NOCASE IN ('comments'));

CREATE TABLE temp."__model_old_comments" AS SELECT * FROM "comments";

DROP TABLE "comments";

CREATE TABLE "comments" (
    "id" INTEGER PRIMARY KEY,
    "post_id" INTEGER NOT NULL,
    "author_id" INTEGER,
    "body" TEXT NOT NULL,
    "body_length" INTEGER NOT NULL GENERATED ALWAYS AS (length(body)) STORED,
    CONSTRAINT "ck_comments_body" CHECK (length(body) > 0),
    CONSTRAINT "fk_comments_post_id_posts" FOREIGN KEY ("post_id") REFERENCES "posts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_comments_author_id_users" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE SET NULL
);

INSERT INTO "comments" ("id", "post_id", "author_id", "body") SELECT "id", "post_id", "author_id", "body" FROM temp."__model_old_comments";

DROP TABLE temp."__model_old_comments";

CREATE INDEX "ix_comments_post_id" ON "comments" ("post_id");

CREATE VIEW "published_posts" AS
SELECT p.id, p.slug, p.title, u.email AS author_email
FROM posts p
JOIN users u ON u.id = p.author_id
WHERE p.published;

-- Keeps posts.updated_at fresh: any change of a post that does not set it sets it to now.
CREATE TRIGGER posts_touch AFTER UPDATE ON posts FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE posts SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

-- no row of a rebuilt table may reference a missing row
INSERT INTO temp."__model_rebuild_check" ("fk_ok") SELECT NOT EXISTS (SELECT 1 FROM pragma_foreign_key_check('comments'));

DROP TABLE temp."__model_rebuild_check";
