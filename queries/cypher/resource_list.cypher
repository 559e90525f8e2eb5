// resource_list: the own support paths of each link (Python adds the inherited ones from the ancestors'
// rows and sorts): innovation nodes in scope that support / are expert in the link (direct / expert),
// tackle or are expert in a technology it requires (via_technology, via = the technology), or are
// platforms hosted by an enterprise in it (via_host, via = the enterprise, in scope or not).
// One record per link: [node id, name, kind, level, region, how, via id, via name] per path.
// via_host starts from the platforms (hostedBy is a few thousand relationships), not from every
// enterprise of every link (2*10^5 inLink at 100k): the links are collected first so that branch runs
// once for all of them. The branches are UNION ALL (collect(DISTINCT) drops a path found twice), so
// the list of links is not part of a per-row distinct key. 100k, all links: server 0.44 -> 0.26 s.
// params: $links (ChainLink ids: the question's links and their ancestors), $scope
UNWIND $links AS lid
MATCH (l:ChainLink {id: lid})
WITH collect(l) AS ls
CALL (ls) {
  UNWIND ls AS l
  MATCH (l)<-[r:supports|expertIn]-(u)
  WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
    AND ($scope IS NULL OR u.id IN $scope)
  RETURN l, u, CASE type(r) WHEN 'supports' THEN 'direct' ELSE 'expert' END AS how, null AS via
  UNION ALL
  UNWIND ls AS l
  MATCH (l)-[:requires]->(t:KeyTechnology)<-[:tackles|expertIn]-(u)
  WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
    AND ($scope IS NULL OR u.id IN $scope)
  RETURN l, u, 'via_technology' AS how, t AS via
  UNION ALL
  MATCH (u:InnovationPlatform)-[:hostedBy]->(e:Enterprise)-[:inLink]->(l:ChainLink)
  USING SCAN u:InnovationPlatform
  WHERE ($scope IS NULL OR u.id IN $scope) AND l IN ls
  RETURN l, u, 'via_host' AS how, e AS via
}
WITH l, u, how, via, [(u)-[:locatedIn]->(p) | p.name] AS own
WITH l, u, how, via, CASE WHEN size(own) > 0 THEN own
                          ELSE [(u)-[:hostedBy|affiliatedWith|ledBy]->()-[:locatedIn]->(p) | p.name] END AS places
WITH l, u, how, via, CASE WHEN size(places) < 2 THEN places
                          ELSE COLLECT { UNWIND places AS x WITH DISTINCT x RETURN x ORDER BY x } END AS places
RETURN l.id AS link_id, l.name AS link,
       collect(DISTINCT [u.id, u.name, [k IN labels(u) WHERE k <> 'KjqgNode'][0], coalesce(u.level, u.talentLevel),
                CASE WHEN size(places) = 0 THEN '' ELSE reduce(s = head(places), x IN tail(places) | s + '、' + x) END,
                how, via.id, via.name]) AS paths
