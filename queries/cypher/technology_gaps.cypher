// technology_gaps: technologies a chain's links require, not 已突破, that nobody in scope tackles
// (experts do not tackle; they are counted). Python picks the most upstream stage.
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)-[:requires]->(t:KjqgNode)
WITH c, t, collect(DISTINCT l) AS links
WHERE coalesce(t.status, '') <> '已突破'
  AND NOT EXISTS { MATCH (t)<-[:tackles]-(u)
                   WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam
                          OR u:Enterprise OR u:Project) AND ($scope IS NULL OR u.id IN $scope) }
RETURN c.name AS chain, t.id AS tech_id, t.name AS tech, t.chokepoint AS chokepoint, t.status AS status,
       t.mechanism AS mechanism, [x IN links | x.id] AS link_ids, [x IN links | x.stage] AS stages,
       COUNT { UNWIND links AS y MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(y)
               WHERE $scope IS NULL OR e.id IN $scope RETURN DISTINCT e } AS dependents,
       COUNT { MATCH (t)<-[:expertIn]-(u)
               WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
                 AND ($scope IS NULL OR u.id IN $scope) RETURN DISTINCT u } AS experts
