// idle_innovation: innovation nodes in scope with no support path to any link, and technologies
// 已突破 that no link requires; with the chains their technologies concern.
// params: $scope
MATCH (n:KjqgNode)
WHERE (n:InnovationPlatform OR n:University OR n:ResearchInstitute OR n:Talent OR n:TalentTeam)
  AND ($scope IS NULL OR n.id IN $scope)
  AND NOT EXISTS { MATCH (n)-[:supports|expertIn]->(:ChainLink) }
  AND NOT EXISTS { MATCH (n)-[:tackles|expertIn]->(:KeyTechnology)<-[:requires]-(:ChainLink) }
  AND NOT EXISTS { MATCH (n)-[:hostedBy]->(:Enterprise)-[:inLink]->() }
RETURN n.id AS subject_id, n.name AS subject, [k IN labels(n) WHERE k <> 'KjqgNode'][0] AS subject_kind,
       coalesce(n.level, n.talentLevel) AS level, 'no_link' AS reason,
       COLLECT { MATCH (n)-[:tackles|expertIn]->(:KeyTechnology)-[:concernsChain]->(c) RETURN DISTINCT c.name }
         AS chains, false AS chokepoint
UNION ALL
MATCH (t:KeyTechnology)
WHERE t.status = '已突破' AND NOT EXISTS { MATCH (t)<-[:requires]-(:ChainLink) }
RETURN t.id AS subject_id, t.name AS subject, 'KeyTechnology' AS subject_kind, null AS level,
       'achieved_unused' AS reason, COLLECT { MATCH (t)-[:concernsChain]->(c) RETURN DISTINCT c.name } AS chains,
       t.chokepoint = true AS chokepoint
