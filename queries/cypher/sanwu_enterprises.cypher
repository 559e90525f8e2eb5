// sanwu_enterprises: enterprises in scope in a chain's links, recorded with no R&D staff, no R&D
// platform and no R&D funds (all three false, none missing), hosting no innovation platform.
// One record per chain: [enterprise id, name, its link ids in the chain, their stages, chainLeader,
// places] per 三无 enterprise. places: the names of the places it is located in (its own, else its
// host's / organisation's / lead's, distinct); Python sorts and joins them with 、
// (analysis.scope.node_region).
// Starts from the enterprises (three property tests each, ~10% pass) rather than from every
// (link, enterprise) pair of the chains: 100k 0.37 -> 0.22 s on the server; one record per chain
// instead of one per enterprise (10^4 records) saves the driver's per-record cost.
// params: $chains, $scope
MATCH (e:Enterprise)
WHERE e.hasRdStaff = false AND e.hasRdPlatform = false AND e.hasRdFunds = false
  AND ($scope IS NULL OR e.id IN $scope)
  AND NOT EXISTS { MATCH (e)<-[:hostedBy]-(:InnovationPlatform) }
MATCH (e)-[:inLink]->(l:ChainLink)-[:partOf]->(c:IndustryChain)
WHERE c.id IN $chains
WITH c, e, collect(DISTINCT l) AS links
WITH c, e, links, [(e)-[:locatedIn]->(p) | p.name] AS own
WITH c, e, links, CASE WHEN size(own) > 0 THEN own
                       ELSE COLLECT { MATCH (e)-[:hostedBy|affiliatedWith|ledBy]->()-[:locatedIn]->(p) RETURN DISTINCT p.name }
                  END AS places
RETURN c.name AS chain,
       collect([e.id, e.name, [x IN links | x.id], [x IN links | x.stage], e.chainLeader, places]) AS enterprises
