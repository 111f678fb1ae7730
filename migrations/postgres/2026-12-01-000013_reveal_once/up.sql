-- A reveal is recorded once, when the match is accepted (or approved after a
-- host's first acceptance), for each party: reading a match writes nothing
-- (issue 10). Rows written per view before keep only each party's first.
DELETE FROM reveals
WHERE viewer_side IN ('guest', 'host')
  AND EXISTS (
    SELECT 1 FROM reveals AS o
    WHERE o.match_id = reveals.match_id
      AND o.viewer_side = reveals.viewer_side
      AND (o.created_at < reveals.created_at
           OR (o.created_at = reveals.created_at AND o.id < reveals.id))
  );
CREATE UNIQUE INDEX reveals_once_per_party ON reveals (match_id, viewer_side)
    WHERE viewer_side IN ('guest', 'host');
