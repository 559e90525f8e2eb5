// node_by_name: the nodes a name given on the command line means, ranked as
// KnowledgeGraph.find / analysis.whatif.resolve_nodes: 0 = the node with that id, 1 = the nodes
// with the id Kind:name of some kind, 2 = the nodes called that name. Python keeps the best rank.
// params: $name, $keyed (['Kind:' + name] for every kind of the ontology)
MATCH (n:KjqgNode {id: $name})
RETURN n.id AS id, 0 AS rank
UNION
UNWIND $keyed AS k
MATCH (n:KjqgNode {id: k})
RETURN n.id AS id, 1 AS rank
UNION
MATCH (n:KjqgNode)
WHERE n.name = $name
RETURN n.id AS id, 2 AS rank
