// enterprise_list: (link, enterprise) pairs in scope; links with none come back with no rows here.
// params: $chains, $scope (list of in-scope ids, or null for everything)
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)<-[:inLink]-(e:Enterprise)
WHERE $scope IS NULL OR e.id IN $scope
WITH c, l, e, COLLECT { MATCH (e)-[:locatedIn]->(p) RETURN DISTINCT p.name } AS own
RETURN c.name AS chain, l.id AS link_id, e.id AS enterprise_id,
       CASE WHEN size(own) > 0 THEN own ELSE
         COLLECT { MATCH (e)-[:hostedBy|affiliatedWith|ledBy]->()-[:locatedIn]->(p) RETURN DISTINCT p.name } END
         AS places, e.name AS enterprise, e.uscc AS uscc,
       e.chainLeader AS chain_leader, e.highTech AS high_tech, e.aboveScale AS above_scale, e.techSME AS tech_sme,
       e.gazelle AS gazelle, e.hasRdStaff AS has_rd_staff, e.hasRdPlatform AS has_rd_platform,
       e.hasRdFunds AS has_rd_funds
