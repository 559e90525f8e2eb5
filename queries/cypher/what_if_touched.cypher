// what_if_touched: what the what-if answer can change for when $gone are removed.
// links: the links a removed node is in, supports, is expert in, requires (a removed technology) or
// reaches through a technology it tackles / is expert in or an enterprise hosting it, and a removed
// link itself; then every ancestor (their enterprises include the sub-links') and every descendant
// (they inherit support) of those, along subLinkOf at any depth. Any other link keeps its
// enterprises and its support paths. techs: the technologies a removed node tackles (no other can
// lose its last tackler). what_if_links.cypher and what_if_techs.cypher are asked only for these.
// One row. params: $gone (removed node ids)
CALL () {
  UNWIND $gone AS gid
  MATCH (g:KjqgNode {id: gid})
  CALL (g) {
    MATCH (x:ChainLink) WHERE x = g
    RETURN x
    UNION
    MATCH (g)-[:inLink|supports|expertIn]->(x:ChainLink)
    RETURN x
    UNION
    MATCH (g)-[:tackles|expertIn]->(:KeyTechnology)<-[:requires]-(x:ChainLink)
    RETURN x
    UNION
    MATCH (g)<-[:requires]-(x:ChainLink)
    RETURN x
    UNION
    MATCH (g)-[:hostedBy]->(:Enterprise)-[:inLink]->(x:ChainLink)
    RETURN x
  }
  CALL (x) {
    MATCH (x)-[:subLinkOf*0..]->(l:ChainLink)
    RETURN l
    UNION
    MATCH (l:ChainLink)-[:subLinkOf*0..]->(x)
    RETURN l
  }
  RETURN collect(DISTINCT l.id) AS links
}
CALL () {
  UNWIND $gone AS gid
  MATCH (:KjqgNode {id: gid})-[:tackles]->(t:KeyTechnology)
  RETURN collect(DISTINCT t.id) AS techs
}
RETURN links, techs
