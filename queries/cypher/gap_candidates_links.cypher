// gap_candidates_links: per link, what the link-gap candidates (missing / broken / weak) and the
// innovation candidates are drawn from: the technologies it requires, the enterprises directly in
// it that are strong (链主, 高新 or 规上 true: all a neighbour link offers) and all those in it or any
// sub-link (any depth) — only for the links in $cover (the link gaps; a neighbour's would be
// thousands of enterprises nobody reads) —, each enterprise as [id, chainLeader, highTech, aboveScale].
// The region is applied in Python (the scope list), as are the bases and the ranking (analysis.gaps.gap_candidates). params: $links (ChainLink ids), $cover (those whose covering list is wanted)
UNWIND $links AS lid
MATCH (l:ChainLink {id: lid})
RETURN l.id AS link_id,
       COLLECT { MATCH (l)-[:requires]->(t:KeyTechnology) RETURN DISTINCT t.id } AS requires,
       COLLECT { MATCH (l)<-[:inLink]-(e:Enterprise)
                 WHERE e.chainLeader = true OR e.highTech = true OR e.aboveScale = true
                 RETURN DISTINCT [e.id, e.chainLeader, e.highTech, e.aboveScale] } AS strong,
       COLLECT { MATCH (l)<-[:subLinkOf*0..]-(:ChainLink)<-[:inLink]-(e:Enterprise)
                 WHERE l.id IN $cover
                 RETURN DISTINCT [e.id, e.chainLeader, e.highTech, e.aboveScale] } AS covering
