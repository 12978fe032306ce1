-- undo alter_comments_and_posts
--   - drop trigger "posts_touch" on "posts"
--   - drop view "published_posts"
--   - drop generated column "body_length" from "comments"
--   - drop column "updated_at" from "posts" (its values are lost)
--   - drop function "touch"

DROP TRIGGER "posts_touch" ON "posts";

DROP VIEW "published_posts";

ALTER TABLE "comments" DROP COLUMN "body_length";

-- DATA LOSS: drops column "updated_at" of "posts" and all its values
ALTER TABLE "posts" DROP COLUMN "updated_at";

DROP FUNCTION "touch"();
