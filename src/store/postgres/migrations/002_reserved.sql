-- Placeholder so this branch's migrations stay in sequence; replaced by the scale-out branch's 002
-- when the branches are merged.
SELECT 1;
