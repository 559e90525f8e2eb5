// sanwu_enterprises: enterprises in scope in a chain's links, recorded with no R&D staff, no R&D
// platform and no R&D funds (all three false, none missing), hosting no innovation platform.
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)<-[:inLink]-(e:Enterprise)
WHERE ($scope IS NULL OR e.id IN $scope)
  AND e.hasRdStaff = false AND e.hasRdPlatform = false AND e.hasRdFunds = false
  AND NOT EXISTS { MATCH (e)<-[:hostedBy]-(:InnovationPlatform) }
WITH c, e, collect(DISTINCT l) AS links
RETURN c.name AS chain, e.id AS enterprise_id, e.name AS enterprise, [x IN links | x.id] AS link_ids,
       [x IN links | x.stage] AS stages, e.chainLeader AS chain_leader
