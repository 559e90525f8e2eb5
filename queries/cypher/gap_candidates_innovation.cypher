// gap_candidates_innovation: the neighbours of each link (as analysis.support.Facts.neighbours):
// suppliers and customers along supplies inside a chain both belong to, parents and children along
// subLinkOf, siblings (other children of a parent). Python draws the innovation candidates from the
// neighbours' own support paths (resource_list.cypher) and the tacklers of what they require
// (gap_candidates_technology.cypher), and ranks them as analysis.gaps.gap_candidates.
// One record per link: [neighbour id, relation] in the order supplier, customer, parent, child,
// sibling (Python keeps the first relation of a neighbour). params: $links (ChainLink ids)
UNWIND $links AS lid
MATCH (l:ChainLink {id: lid})
RETURN l.id AS link_id,
       [x IN COLLECT { MATCH (u:ChainLink)-[:supplies]->(l)
                       WHERE EXISTS { (l)-[:partOf]->(:IndustryChain)<-[:partOf]-(u) } RETURN DISTINCT u.id AS i }
          | [x, 'supplier']]
     + [x IN COLLECT { MATCH (l)-[:supplies]->(v:ChainLink)
                       WHERE EXISTS { (l)-[:partOf]->(:IndustryChain)<-[:partOf]-(v) } RETURN DISTINCT v.id AS i }
          | [x, 'customer']]
     + [x IN COLLECT { MATCH (l)-[:subLinkOf]->(p) RETURN DISTINCT p.id AS i } | [x, 'parent']]
     + [x IN COLLECT { MATCH (k:ChainLink)-[:subLinkOf]->(l) RETURN DISTINCT k.id AS i } | [x, 'child']]
     + [x IN COLLECT { MATCH (l)-[:subLinkOf]->()<-[:subLinkOf]-(s:ChainLink) WHERE s <> l RETURN DISTINCT s.id AS i }
          | [x, 'sibling']] AS neighbours
