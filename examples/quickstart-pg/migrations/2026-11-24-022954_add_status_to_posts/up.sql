-- add_status_to_posts
--   - create enum type "post_status" ('draft', 'in_review', 'published')
--   - add column "status" to "posts"

CREATE TYPE "post_status" AS ENUM ('draft', 'in_review', 'published');

ALTER TABLE "posts" ADD COLUMN "status" "post_status" NOT NULL DEFAULT 'draft';

COMMENT ON COLUMN "posts"."status" IS 'Where the post is in its life.';
