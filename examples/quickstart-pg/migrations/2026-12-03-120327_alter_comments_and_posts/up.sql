-- alter_comments_and_posts
--   - create function "touch"
--   - add column "updated_at" to "posts"
--   - add generated column "body_length" to "comments"
--   - create view "published_posts"
--   - create trigger "posts_touch" on "posts"

-- Sets updated_at to now on the row being updated (the function of the trigger posts_touch).
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

ALTER TABLE "posts" ADD COLUMN "updated_at" TIMESTAMPTZ;

COMMENT ON COLUMN "posts"."updated_at" IS 'When the post last changed: set by the trigger of `db/objects/posts_touch.sql`.';

ALTER TABLE "comments" ADD COLUMN "body_length" INTEGER NOT NULL GENERATED ALWAYS AS (char_length(body)) STORED;

COMMENT ON COLUMN "comments"."body_length" IS 'The body''s length in characters, computed by the database (never inserted or updated).';

CREATE VIEW "published_posts" AS
SELECT p.id, p.slug, p.title, u.email AS author_email
FROM posts p
JOIN users u ON u.id = p.author_id
WHERE p.published;

COMMENT ON VIEW "published_posts" IS 'The published posts with their author''s address: a view, whose query is in
`db/views/published_posts.sql`; Diesel reads it like a table, keyed by `id`.';

-- Keeps posts.updated_at fresh: every change of a post sets it to now.
CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();
