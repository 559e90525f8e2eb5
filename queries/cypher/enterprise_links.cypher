// enterprise_links: per link of the chains, the ids of the enterprises in scope directly inLink it,
// one record per link (links with none come back with no row). With enterprise_list.cypher (each
// enterprise's attributes once) it makes the enterprise list.
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)
CALL (l) {
  MATCH (l)<-[:inLink]-(e:Enterprise)
  WHERE $scope IS NULL OR e.id IN $scope
  RETURN collect(e.id) AS ents
}
WITH c, l, ents WHERE size(ents) > 0
RETURN c.name AS chain, l.id AS link_id, ents
