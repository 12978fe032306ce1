-- Keeps posts.updated_at fresh: every change of a post sets it to now.
CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();
