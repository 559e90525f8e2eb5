// chain_links: the links of each chain with stage, parents and supplies (ids); Python sorts and orders.
// params: $chains (list of IndustryChain ids)
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)
RETURN c.name AS chain, l.id AS link_id, l.name AS link, l.stage AS stage,
       COLLECT { MATCH (l)-[:subLinkOf]->(p) RETURN DISTINCT p.id } AS parents,
       COLLECT { MATCH (l)-[:supplies]->(s:ChainLink)-[:partOf]->(c) RETURN DISTINCT s.id } AS supplies
