// enterprise_list: the enterprises in scope directly inLink a link of the chains, each once, as one
// record: a list of [enterprise_id, enterprise, uscc, places, chain_leader, high_tech, above_scale,
// tech_sme, gazelle, has_rd_staff, has_rd_platform, has_rd_funds]. places: the names of its own
// locatedIn places, else its host's / organisation's / lead's; Python makes the region column
// (distinct, sorted, joined by 、).
// Which links hold which enterprise comes from enterprise_links.cypher (ids only), asked at the same
// time. An enterprise is in about two links: its attributes are read and sent once, not once per
// (link, enterprise) pair (100k: server 1.9 s for the per-pair form).
// params: $chains, $scope (list of in-scope ids, or null for everything)
UNWIND $chains AS cid
MATCH (:IndustryChain {id: cid})<-[:partOf]-(:ChainLink)<-[:inLink]-(e:Enterprise)
WHERE $scope IS NULL OR e.id IN $scope
WITH DISTINCT e
WITH e, [(e)-[:locatedIn]->(p) | p.name] AS own
RETURN collect([e.id, e.name, e.uscc,
                CASE WHEN size(own) > 0 THEN own
                     ELSE [(e)-[:hostedBy|affiliatedWith|ledBy]->()-[:locatedIn]->(p) | p.name] END,
                e.chainLeader, e.highTech, e.aboveScale, e.techSME, e.gazelle, e.hasRdStaff, e.hasRdPlatform,
                e.hasRdFunds]) AS enterprises
