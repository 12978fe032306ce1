-- undo create_tags_and_4_more
--   - drop index "ix_users_last_name_first_name" on "users"
--   - drop index "ix_posts_published_by_author" on "posts"
--   - drop index "ix_posts_author_id" on "posts"
--   - drop index "ix_post_tags_tag_id" on "post_tags"
--   - drop index "ix_comments_post_id" on "comments"
--   - drop table "post_tags" (its rows are lost)
--   - drop table "comments" (its rows are lost)
--   - drop table "posts" (its rows are lost)
--   - drop table "users" (its rows are lost)
--   - drop table "tags" (its rows are lost)

DROP INDEX "ix_users_last_name_first_name";

DROP INDEX "ix_posts_published_by_author";

DROP INDEX "ix_posts_author_id";

DROP INDEX "ix_post_tags_tag_id";

DROP INDEX "ix_comments_post_id";

-- DATA LOSS: drops table "post_tags" and all its rows
DROP TABLE "post_tags";

-- DATA LOSS: drops table "comments" and all its rows
DROP TABLE "comments";

-- DATA LOSS: drops table "posts" and all its rows
DROP TABLE "posts";

-- DATA LOSS: drops table "users" and all its rows
DROP TABLE "users";

-- DATA LOSS: drops table "tags" and all its rows
DROP TABLE "tags";
