// missing_links: every link with its enterprises in scope (own + sub-links); those with none are missing.
// Python finds the broken ones (enterprises on both sides along supplies) from chain_links.
// dependents (and, with a region, everywhere) are counted only for the links with none (the only
// rows Python reads them from); 0 for the others.
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)
WITH c, l, COUNT { MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(l)
                   WHERE $scope IS NULL OR e.id IN $scope RETURN DISTINCT e } AS enterprises
CALL (l, enterprises) {
  WITH l WHERE enterprises = 0
  RETURN CASE WHEN $scope IS NULL THEN 0 ELSE
           COUNT { MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(l) RETURN DISTINCT e } END AS everywhere,
         COUNT { MATCH (l)-[:supplies*0..1]->(y) MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(y)
                 WHERE $scope IS NULL OR e.id IN $scope RETURN DISTINCT e } AS dependents
  UNION ALL
  WITH l WHERE enterprises > 0
  RETURN 0 AS everywhere, 0 AS dependents
}
RETURN c.name AS chain, l.id AS link_id, l.name AS link, l.stage AS stage, enterprises, everywhere, dependents,
       EXISTS { MATCH (l)-[:requires]->(t) WHERE t.chokepoint = true AND coalesce(t.status, '') <> '已突破' }
         AS chokepoint
