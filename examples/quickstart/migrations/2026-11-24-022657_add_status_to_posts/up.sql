-- add_status_to_posts
--   - add column "status" to "posts"

ALTER TABLE "posts" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'draft' CONSTRAINT "ck_posts_status_enum" CHECK ("status" IN ('draft', 'in_review', 'published'));
