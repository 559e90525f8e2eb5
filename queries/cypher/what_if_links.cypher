// what_if_links: per link of the chains (all, or only $links), what kjqg what-if weighs
// (analysis.whatif): the enterprises in scope in the link or a sub-link (any depth) — how many,
// the removed ones ($gone) as [id, name], the name of the only one; and its support paths, own
// and inherited from ancestors (subLinkOf, any depth; own paths as resource_list.cypher: direct,
// expert, via a required technology, via a hosting enterprise) — how many distinct supporters,
// whether a path survives the removal (its link, node and via all kept), the removed nodes that
// carry a path (node or via) as [id, name], the name of the only supporter. Removed links get no row.
// params: $chains, $scope, $gone (removed node ids; [] for the single points of failure),
//         $links (ChainLink ids to answer for, or null for every link of the chains)
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)
WHERE NOT l.id IN $gone AND ($links IS NULL OR l.id IN $links)
CALL (l) {
  MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(l)
  WHERE $scope IS NULL OR e.id IN $scope
  WITH DISTINCT e
  RETURN count(e) AS cov, collect(CASE WHEN e.id IN $gone THEN [e.id, e.name] END) AS cov_gone,
         CASE WHEN count(e) = 1 THEN head(collect(e.name)) END AS cov_one
}
CALL (l) {
  MATCH (l)-[:subLinkOf*0..]->(x:ChainLink)
  WITH DISTINCT x
  CALL (x) {
    MATCH (x)<-[:supports|expertIn]-(u)
    WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
      AND ($scope IS NULL OR u.id IN $scope)
    RETURN u, null AS via
    UNION
    MATCH (x)-[:requires]->(t:KeyTechnology)<-[:tackles|expertIn]-(u)
    WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
      AND ($scope IS NULL OR u.id IN $scope)
    RETURN u, t AS via
    UNION
    MATCH (x)<-[:inLink]-(e:Enterprise)<-[:hostedBy]-(u:InnovationPlatform)
    WHERE $scope IS NULL OR u.id IN $scope
    RETURN u, e AS via
  }
  WITH x, u, via
  RETURN count(DISTINCT u) AS sup,
         count(CASE WHEN NOT (x.id IN $gone OR u.id IN $gone OR coalesce(via.id IN $gone, false)) THEN 1 END) > 0
           AS sup_alive,
         collect(DISTINCT CASE WHEN u.id IN $gone THEN [u.id, u.name] END)
           + collect(DISTINCT CASE WHEN via.id IN $gone THEN [via.id, via.name] END) AS sup_gone,
         CASE WHEN count(DISTINCT u) = 1 THEN head(collect(u.name)) END AS sup_one
}
RETURN c.name AS chain, l.id AS link_id, l.name AS link, cov, cov_gone, cov_one, sup, sup_alive, sup_gone, sup_one
