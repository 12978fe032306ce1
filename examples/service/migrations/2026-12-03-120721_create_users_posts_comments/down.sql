-- undo create_users_posts_comments
--   - drop index "ix_posts_author_id" on "posts"
--   - drop index "ix_comments_post_id" on "comments"
--   - drop table "comments" (its rows are lost)
--   - drop table "posts" (its rows are lost)
--   - drop table "users" (its rows are lost)
--   - drop enum type "post_status"

DROP INDEX "ix_posts_author_id";

DROP INDEX "ix_comments_post_id";

-- DATA LOSS: drops table "comments" and all its rows
DROP TABLE "comments";

-- DATA LOSS: drops table "posts" and all its rows
DROP TABLE "posts";

-- DATA LOSS: drops table "users" and all its rows
DROP TABLE "users";

DROP TYPE "post_status";
