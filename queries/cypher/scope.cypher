// scope: ids of the nodes a region scope counts — the places inside the region (locatedIn, any depth),
// the nodes located in them, and nodes without a location of their own whose host / organisation /
// lead is in scope (one step).
// params: $region (a Region or InnovationZone id)
MATCH (r:KjqgNode {id: $region})
MATCH (p)-[:locatedIn*0..]->(r) WHERE p:Region OR p:InnovationZone
WITH collect(DISTINCT p) AS places
CALL (places) {
  UNWIND places AS p
  MATCH (u)-[:locatedIn]->(p)
  RETURN collect(DISTINCT u) AS located
}
WITH places + [u IN located WHERE NOT u IN places] AS members
CALL (members) {
  UNWIND members AS o
  MATCH (u)-[:hostedBy|affiliatedWith|ledBy]->(o)
  WHERE NOT u IN members AND NOT EXISTS { (u)-[:locatedIn]->() }
  RETURN collect(DISTINCT u) AS fallback
}
UNWIND members + fallback AS m
RETURN DISTINCT m.id AS id
