// weak_links: links carried by exactly one enterprise, or only by enterprises known small (not 规上,
// not 高新, not 链主); an absent flag is unknown. Enterprises: in scope, in the link or a sub-link.
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)
WITH c, l, COLLECT { MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(l)
                     WHERE $scope IS NULL OR e.id IN $scope RETURN DISTINCT e } AS ents
WHERE size(ents) > 0
WITH c, l, ents,
     size([e IN ents WHERE coalesce(e.chainLeader, false) OR coalesce(e.highTech, false)
                           OR coalesce(e.aboveScale, false)]) AS strong,
     size([e IN ents WHERE NOT (coalesce(e.chainLeader, false) OR coalesce(e.highTech, false)
                                OR coalesce(e.aboveScale, false))
                       AND NOT (coalesce(e.highTech = false, false) AND coalesce(e.aboveScale = false, false))])
       AS unknown
WHERE size(ents) = 1 OR (strong = 0 AND unknown = 0)
RETURN c.name AS chain, l.id AS link_id, l.name AS link, l.stage AS stage, size(ents) AS enterprises,
       strong, unknown, size(ents) = 1 AS single, (strong = 0 AND unknown = 0) AS small_only,
       COUNT { MATCH (l)-[:supplies*0..1]->(y) MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(y)
               WHERE $scope IS NULL OR e.id IN $scope RETURN DISTINCT e } AS dependents,
       EXISTS { MATCH (l)-[:requires]->(t) WHERE t.chokepoint = true AND coalesce(t.status, '') <> '已突破' }
         AS chokepoint,
       CASE WHEN size(ents) = 1 THEN ents[0].id ELSE '' END AS single_id,
       CASE WHEN size(ents) = 1 THEN ents[0].name ELSE '' END AS single_name
