-- undo add_status_to_posts
--   - drop column "status" from "posts" (its values are lost)

-- DATA LOSS: drops column "status" of "posts" and all its values
ALTER TABLE "posts" DROP COLUMN "status";
