-- Keeps posts.updated_at fresh: any change of a post that does not set it sets it to now.
CREATE TRIGGER posts_touch AFTER UPDATE ON posts FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE posts SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
