// gap_candidate_nodes: what a candidate fact shows of a node: id, name, kind (its ontology label)
// and the raw level fields (Python: enterprises 链主 > 高新技术企业 > 规上企业 from the flags,
// others level or talentLevel, as analysis.gaps._level), as one record holding a list
// [id, name, kind, level, talentLevel, chainLeader, highTech, aboveScale] per node (10^4 nodes at
// 100k: one record, not one each). params: $ids (node ids)
UNWIND $ids AS nid
MATCH (n:KjqgNode {id: nid})
RETURN collect([n.id, n.name, [k IN labels(n) WHERE k <> 'KjqgNode'][0], n.level, n.talentLevel, n.chainLeader,
                n.highTech, n.aboveScale]) AS nodes
