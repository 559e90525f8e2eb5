// gap_candidate_nodes: what a candidate fact shows of a node: id, name, kind (its ontology label)
// and the raw level fields (Python: enterprises 链主 > 高新技术企业 > 规上企业 from the flags,
// others level or talentLevel, as analysis.gaps._level). params: $ids (node ids)
UNWIND $ids AS nid
MATCH (n:KjqgNode {id: nid})
RETURN n.id AS id, n.name AS name, [k IN labels(n) WHERE k <> 'KjqgNode'][0] AS kind,
       n.level AS level, n.talentLevel AS talentLevel, n.chainLeader AS chainLeader,
       n.highTech AS highTech, n.aboveScale AS aboveScale
