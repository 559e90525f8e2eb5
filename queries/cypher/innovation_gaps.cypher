// innovation_gaps: links with no support by any path, own or inherited (subLinkOf, any depth).
// Own support of x: an innovation node in scope supports / is expert in x; or tackles / is expert in a
// technology x requires; or is a platform hosted by an enterprise in x.
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)
WHERE NOT EXISTS {
  MATCH (l)-[:subLinkOf*0..]->(x)
  WHERE EXISTS { MATCH (x)<-[:supports|expertIn]-(u)
                 WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
                   AND ($scope IS NULL OR u.id IN $scope) }
     OR EXISTS { MATCH (x)-[:requires]->()<-[:tackles|expertIn]-(u)
                 WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
                   AND ($scope IS NULL OR u.id IN $scope) }
     OR EXISTS { MATCH (x)<-[:inLink]-(:Enterprise)<-[:hostedBy]-(p:InnovationPlatform)
                 WHERE $scope IS NULL OR p.id IN $scope }
}
RETURN c.name AS chain, l.id AS link_id, l.name AS link, l.stage AS stage,
       COUNT { MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(l)
               WHERE $scope IS NULL OR e.id IN $scope RETURN DISTINCT e } AS enterprises,
       COUNT { MATCH (l)-[:supplies*0..1]->(y) MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(y)
               WHERE $scope IS NULL OR e.id IN $scope RETURN DISTINCT e } AS dependents,
       COUNT { MATCH (l)-[:requires]->(t) RETURN DISTINCT t } AS requires,
       EXISTS { MATCH (l)-[:requires]->(t) WHERE t.chokepoint = true AND coalesce(t.status, '') <> '已突破' }
         AS chokepoint
