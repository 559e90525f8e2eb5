// node_regions: the places each node is located in (its own; else its host's / organisation's / lead's).
// params: $ids
UNWIND $ids AS nid
MATCH (n:KjqgNode {id: nid})
WITH n, COLLECT { MATCH (n)-[:locatedIn]->(p) RETURN DISTINCT p.name } AS own
RETURN n.id AS id,
       CASE WHEN size(own) > 0 THEN own
            ELSE COLLECT { MATCH (n)-[:hostedBy|affiliatedWith|ledBy]->()-[:locatedIn]->(p) RETURN DISTINCT p.name }
       END AS places
