// technology_list: (link, technology, tackler) rows; a technology nobody in scope tackles has tackler null.
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)-[:requires]->(t:KjqgNode)
OPTIONAL MATCH (u)-[rel:tackles|expertIn]->(t)
  WHERE ($scope IS NULL OR u.id IN $scope)
    AND ((type(rel) = 'tackles' AND (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent
                                     OR u:TalentTeam OR u:Enterprise OR u:Project))
      OR (type(rel) = 'expertIn' AND (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent
                                      OR u:TalentTeam)))
RETURN c.name AS chain, l.id AS link_id, t.id AS tech_id, t.name AS tech, t.chokepoint AS chokepoint,
       t.status AS status, t.mechanism AS mechanism, u.id AS tackler_id, u.name AS tackler,
       [k IN labels(u) WHERE k <> 'KjqgNode'][0] AS tackler_kind, type(rel) AS relation
