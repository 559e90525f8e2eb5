// chain_enterprises: per chain, the distinct enterprises in scope directly inLink its links, and how many
// of them are 三无 (hasRdStaff, hasRdPlatform, hasRdFunds all false, hosting no platform) or possibly
// so (none of the three true, some absent, hosting no platform).
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})
CALL (c) {
  MATCH (c)<-[:partOf]-(:ChainLink)<-[:inLink]-(e:Enterprise)
  WHERE $scope IS NULL OR e.id IN $scope
  WITH DISTINCT e
  WITH e, NOT (coalesce(e.hasRdStaff, false) OR coalesce(e.hasRdPlatform, false) OR coalesce(e.hasRdFunds, false))
          AND NOT EXISTS { MATCH (e)<-[:hostedBy]-(:InnovationPlatform) } AS none_known,
       e.hasRdStaff = false AND e.hasRdPlatform = false AND e.hasRdFunds = false AS all_false
  RETURN count(e) AS enterprises,
         count(CASE WHEN none_known AND coalesce(all_false, false) THEN 1 END) AS sanwu,
         count(CASE WHEN none_known AND NOT coalesce(all_false, false) THEN 1 END) AS sanwu_possible
}
RETURN c.name AS chain, enterprises, sanwu, sanwu_possible
