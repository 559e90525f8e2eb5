// sanwu_enterprises: enterprises in scope in a chain's links, recorded with no R&D staff, no R&D
// platform and no R&D funds (all three false, none missing), hosting no innovation platform.
// places: the names of the places it is located in (its own, else its host's / organisation's /
// lead's, distinct); Python sorts and joins them with 、 (analysis.scope.node_region).
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)<-[:inLink]-(e:Enterprise)
WHERE ($scope IS NULL OR e.id IN $scope)
  AND e.hasRdStaff = false AND e.hasRdPlatform = false AND e.hasRdFunds = false
  AND NOT EXISTS { MATCH (e)<-[:hostedBy]-(:InnovationPlatform) }
WITH c, e, collect(DISTINCT l) AS links
WITH c, e, links, [(e)-[:locatedIn]->(p) | p.name] AS own
RETURN c.name AS chain, e.id AS enterprise_id, e.name AS enterprise, [x IN links | x.id] AS link_ids,
       [x IN links | x.stage] AS stages, e.chainLeader AS chain_leader,
       CASE WHEN size(own) > 0 THEN own
            ELSE COLLECT { MATCH (e)-[:hostedBy|affiliatedWith|ledBy]->()-[:locatedIn]->(p) RETURN DISTINCT p.name }
       END AS places
