-- The published posts with their author's address (struct PublishedPost in src/models.rs).
SELECT p.id, p.slug, p.title, u.email AS author_email
FROM posts p
JOIN users u ON u.id = p.author_id
WHERE p.published
