// what_if_techs: per (chain, technology a link of the chain requires) — all, or only $techs —
// the names of the chain's links requiring it, and the nodes in scope that tackle it (platforms,
// universities, institutes, talent, teams, enterprises, projects; experts do not tackle) as
// [id, name]. Python (as analysis.whatif) reports one left with no tackler, or with exactly one.
// Removed technologies get no row.
// params: $chains, $scope, $gone (removed node ids), $techs (KeyTechnology ids, or null for all)
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)-[:requires]->(t:KeyTechnology)
WHERE NOT t.id IN $gone AND ($techs IS NULL OR t.id IN $techs)
WITH c, t, collect(l.name) AS links
RETURN c.name AS chain, t.id AS tech_id, t.name AS tech, links,
       COLLECT { MATCH (t)<-[:tackles]-(u)
                 WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam
                        OR u:Enterprise OR u:Project) AND ($scope IS NULL OR u.id IN $scope)
                 RETURN DISTINCT [u.id, u.name] } AS who
