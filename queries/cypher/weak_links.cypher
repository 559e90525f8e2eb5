// weak_links: links carried by exactly one enterprise, or only by enterprises known small (not 规上,
// not 高新, not 链主); an absent flag is unknown. Enterprises: in scope, in the link or a sub-link.
// The enterprises are counted by aggregation (no per-link list of nodes is built); the single
// enterprise's id and name are the min over a set of one. Dependents only for the weak links.
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)
// Cheap filter first (stops at the first rows found): a link is weak only with exactly one enterprise,
// or with two or more of which none is strong or unknown (= each known small: highTech false,
// aboveScale false, chainLeader not true). Only the few links left are counted in full.
WITH c, l, COLLECT { MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(l)
                      WHERE $scope IS NULL OR e.id IN $scope RETURN DISTINCT e LIMIT 2 } AS two
WHERE size(two) = 1
   OR (size(two) = 2 AND NOT EXISTS {
         MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(l)
         WHERE ($scope IS NULL OR e.id IN $scope)
           AND NOT (coalesce(e.highTech = false, false) AND coalesce(e.aboveScale = false, false)
                    AND NOT coalesce(e.chainLeader, false)) })
CALL (l) {
  MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(l)
  WHERE $scope IS NULL OR e.id IN $scope
  WITH DISTINCT e
  WITH e, coalesce(e.chainLeader, false) OR coalesce(e.highTech, false) OR coalesce(e.aboveScale, false) AS strong
  RETURN count(e) AS n,
         count(CASE WHEN strong THEN 1 END) AS strong,
         count(CASE WHEN NOT strong AND NOT (coalesce(e.highTech = false, false) AND coalesce(e.aboveScale = false, false))
                    THEN 1 END) AS unknown,
         CASE WHEN count(e) = 1 THEN min(e.id) ELSE '' END AS single_id,
         CASE WHEN count(e) = 1 THEN min(e.name) ELSE '' END AS single_name
}
WITH c, l, n, strong, unknown, single_id, single_name
WHERE n = 1 OR (n > 0 AND strong = 0 AND unknown = 0)
RETURN c.name AS chain, l.id AS link_id, l.name AS link, l.stage AS stage, n AS enterprises,
       strong, unknown, n = 1 AS single, (strong = 0 AND unknown = 0) AS small_only,
       COUNT { MATCH (l)-[:supplies*0..1]->(y) MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(y)
               WHERE $scope IS NULL OR e.id IN $scope RETURN DISTINCT e } AS dependents,
       EXISTS { MATCH (l)-[:requires]->(t) WHERE t.chokepoint = true AND coalesce(t.status, '') <> '已突破' }
         AS chokepoint,
       single_id, single_name
