-- Sets updated_at to now on the row being updated (the function of the trigger posts_touch).
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
