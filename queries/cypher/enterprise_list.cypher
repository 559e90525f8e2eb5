// enterprise_list: per link, the enterprises in scope directly inLink it, as one list per link
// (one record per link: a few hundred records instead of one per pair — streaming records, not the
// query, is what costs at 100k). Links with none come back with no row here.
// Each item: [enterprise_id, enterprise, uscc, region (place names sorted, joined by 、), chain_leader, high_tech, above_scale, tech_sme,
//             gazelle, has_rd_staff, has_rd_platform, has_rd_funds]
// params: $chains, $scope (list of in-scope ids, or null for everything)
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)
CALL (l) {
  MATCH (l)<-[:inLink]-(e:Enterprise)
  WHERE $scope IS NULL OR e.id IN $scope
  WITH e, [(e)-[:locatedIn]->(p) | p.name] AS own
  WITH e, CASE WHEN size(own) > 0 THEN own
               ELSE [(e)-[:hostedBy|affiliatedWith|ledBy]->()-[:locatedIn]->(p) | p.name] END AS places
  WITH e, CASE WHEN size(places) < 2 THEN places ELSE COLLECT { UNWIND places AS x WITH DISTINCT x RETURN x ORDER BY x } END
          AS places
  RETURN collect([e.id, e.name, e.uscc,
                  CASE WHEN size(places) = 0 THEN '' ELSE reduce(s = head(places), x IN tail(places) | s + '、' + x) END,
                  e.chainLeader, e.highTech, e.aboveScale, e.techSME, e.gazelle, e.hasRdStaff, e.hasRdPlatform,
                  e.hasRdFunds]) AS ents
}
WITH c, l, ents WHERE size(ents) > 0
RETURN c.name AS chain, l.id AS link_id, ents
