-- create_tags_and_4_more
--   - create table "tags"
--   - create table "users"
--   - create table "posts"
--   - create table "comments"
--   - create table "post_tags"
--   - create index "ix_comments_post_id" on "comments"
--   - create index "ix_post_tags_tag_id" on "post_tags"
--   - create index "ix_posts_author_id" on "posts"
--   - create index "ix_users_last_name_first_name" on "users"

CREATE TABLE "tags" (
    "id" INTEGER PRIMARY KEY,
    "name" TEXT NOT NULL,
    CONSTRAINT "uq_tags_name" UNIQUE ("name")
);

CREATE TABLE "users" (
    "id" INTEGER PRIMARY KEY,
    "email" TEXT NOT NULL,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT NOT NULL,
    "nickname" TEXT,
    "created_at" TEXT NOT NULL DEFAULT (CURRENT_TIMESTAMP),
    CONSTRAINT "uq_users_email" UNIQUE ("email")
);

CREATE TABLE "posts" (
    "id" INTEGER PRIMARY KEY,
    "author_id" INTEGER NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "published" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "uq_posts_author_id_slug" UNIQUE ("author_id", "slug"),
    CONSTRAINT "fk_posts_author_id_users" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE TABLE "comments" (
    "id" INTEGER PRIMARY KEY,
    "post_id" INTEGER NOT NULL,
    "author_id" INTEGER,
    "body" TEXT NOT NULL,
    CONSTRAINT "ck_comments_body" CHECK (length(body) > 0),
    CONSTRAINT "fk_comments_post_id_posts" FOREIGN KEY ("post_id") REFERENCES "posts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_comments_author_id_users" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE SET NULL
);

CREATE TABLE "post_tags" (
    "post_id" INTEGER NOT NULL,
    "tag_id" INTEGER NOT NULL,
    CONSTRAINT "pk_post_tags" PRIMARY KEY ("post_id", "tag_id"),
    CONSTRAINT "fk_post_tags_post_id_posts" FOREIGN KEY ("post_id") REFERENCES "posts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_post_tags_tag_id_tags" FOREIGN KEY ("tag_id") REFERENCES "tags" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_comments_post_id" ON "comments" ("post_id");

CREATE INDEX "ix_post_tags_tag_id" ON "post_tags" ("tag_id");

CREATE INDEX "ix_posts_author_id" ON "posts" ("author_id");

CREATE INDEX "ix_users_last_name_first_name" ON "users" ("last_name", "first_name");
