// leaders: the enterprises in scope directly inLink each link of one chain, one record per link:
// [enterprise id, name, chainLeader, region (place names sorted, joined by 、)]. Python scores them
// (links covered, downstream fed along supplies, centrality = share of the chain's enterprises in the
// enterprise's links or one supplies step away) from these rows and the chain_links rows.
// params: $chain (an IndustryChain id), $scope
MATCH (c:IndustryChain {id: $chain})<-[:partOf]-(l:ChainLink)
CALL (l) {
  MATCH (l)<-[:inLink]-(e:Enterprise)
  WHERE $scope IS NULL OR e.id IN $scope
  WITH e, [(e)-[:locatedIn]->(p) | p.name] AS own
  WITH e, CASE WHEN size(own) > 0 THEN own
               ELSE [(e)-[:hostedBy|affiliatedWith|ledBy]->()-[:locatedIn]->(p) | p.name] END AS places
  WITH e, CASE WHEN size(places) < 2 THEN places ELSE COLLECT { UNWIND places AS x WITH DISTINCT x RETURN x ORDER BY x } END
          AS places
  RETURN collect([e.id, e.name, e.chainLeader,
                  CASE WHEN size(places) = 0 THEN '' ELSE reduce(s = head(places), x IN tail(places) | s + '、' + x) END])
         AS ents
}
RETURN l.id AS link_id, ents
