// gap_candidates_links: per link, what the link-gap candidates (missing / broken / weak) and the
// innovation candidates are drawn from: the technologies it requires, the ids of the enterprises
// directly in it that are strong (链主, 高新 or 规上 true: all a neighbour link offers) — only for the
// links in $trade (the suppliers / customers of the link gaps: 27.7k [id, flags] lists for every
// asked link at 100k were most of this query's decoding) — and all those in it or any
// sub-link (any depth) — only for the links in $cover (the link gaps; a neighbour's would be
// thousands of enterprises nobody reads) —, each enterprise as [id, chainLeader, highTech, aboveScale].
// With $every false (no region: the covering enterprises only keep strong neighbour enterprises out)
// only the strong ones of the covering list come back (fewer to decode).
// The region is applied in Python (the scope list), as are the bases and the ranking (analysis.gaps.gap_candidates). params: $links (ChainLink ids), $trade (those whose strong list is wanted), $cover (those whose covering list is wanted),
// $every (all covering enterprises, else only the strong ones)
UNWIND $links AS lid
MATCH (l:ChainLink {id: lid})
RETURN l.id AS link_id,
       COLLECT { MATCH (l)-[:requires]->(t:KeyTechnology) RETURN DISTINCT t.id } AS requires,
       CASE WHEN l.id IN $trade THEN COLLECT { MATCH (l)<-[:inLink]-(e:Enterprise)
                 WHERE e.chainLeader = true OR e.highTech = true OR e.aboveScale = true
                 RETURN DISTINCT e.id } ELSE [] END AS strong,
       CASE WHEN l.id IN $cover THEN COLLECT { MATCH (l)<-[:subLinkOf*0..]-(:ChainLink)<-[:inLink]-(e:Enterprise)
                 WHERE $every OR e.chainLeader = true OR e.highTech = true OR e.aboveScale = true
                 RETURN DISTINCT [e.id, e.chainLeader, e.highTech, e.aboveScale] } ELSE [] END AS covering
