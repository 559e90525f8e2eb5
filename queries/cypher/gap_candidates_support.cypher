// gap_candidates_support: the own support paths of each link as resource_list.cypher finds them
// (same three branches, same scope test), but only [node id, how] per distinct path: what the gap
// candidates read of them (supporters, direct supporters). No names, kinds, levels or places per
// path (gap_candidate_nodes.cypher reads those for the candidates shown only).
// params: $links (ChainLink ids), $scope
UNWIND $links AS lid
MATCH (l:ChainLink {id: lid})
WITH collect(l) AS ls
CALL (ls) {
  UNWIND ls AS l
  MATCH (l)<-[r:supports|expertIn]-(u)
  WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
    AND ($scope IS NULL OR u.id IN $scope)
  RETURN l, u, CASE type(r) WHEN 'supports' THEN 'direct' ELSE 'expert' END AS how
  UNION ALL
  UNWIND ls AS l
  MATCH (l)-[:requires]->(t:KeyTechnology)<-[:tackles|expertIn]-(u)
  WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
    AND ($scope IS NULL OR u.id IN $scope)
  RETURN l, u, 'via_technology' AS how
  UNION ALL
  MATCH (u:InnovationPlatform)-[:hostedBy]->(e:Enterprise)-[:inLink]->(l:ChainLink)
  USING SCAN u:InnovationPlatform
  WHERE ($scope IS NULL OR u.id IN $scope) AND l IN ls
  RETURN l, u, 'via_host' AS how
}
RETURN l.id AS link_id, collect(DISTINCT [u.id, how]) AS paths
