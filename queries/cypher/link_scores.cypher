// link_scores: per link of the chains, the counts behind kjqg score (chain_scores is summed from these
// rows in Python): enterprises the link has (in scope, own + sub-links), distinct innovation nodes in
// scope with an own support path (direct, expert, via a required technology, via a hosting enterprise
// in the link), whether an ancestor (subLinkOf, any depth) has one, and the technologies it requires:
// [tech id, chokepoint, status, tackled (a node in scope tackles it)].
// params: $chains, $scope
UNWIND $chains AS cid
MATCH (c:IndustryChain {id: cid})<-[:partOf]-(l:ChainLink)
RETURN c.name AS chain, l.id AS link_id, l.name AS link, l.stage AS stage,
       COUNT { MATCH (e:Enterprise)-[:inLink]->()-[:subLinkOf*0..]->(l)
               WHERE $scope IS NULL OR e.id IN $scope RETURN DISTINCT e } AS enterprises,
       COUNT { CALL (l) {
                 MATCH (l)<-[:supports|expertIn]-(u)
                 WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
                   AND ($scope IS NULL OR u.id IN $scope)
                 RETURN u
                 UNION
                 MATCH (l)-[:requires]->(:KeyTechnology)<-[:tackles|expertIn]-(u)
                 WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
                   AND ($scope IS NULL OR u.id IN $scope)
                 RETURN u
                 UNION
                 MATCH (l)<-[:inLink]-(:Enterprise)<-[:hostedBy]-(u:InnovationPlatform)
                 WHERE $scope IS NULL OR u.id IN $scope
                 RETURN u
               } RETURN DISTINCT u } AS supporters,
       EXISTS {
         MATCH (l)-[:subLinkOf*1..]->(x)
         WHERE EXISTS { MATCH (x)<-[:supports|expertIn]-(u)
                        WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
                          AND ($scope IS NULL OR u.id IN $scope) }
            OR EXISTS { MATCH (x)-[:requires]->(:KeyTechnology)<-[:tackles|expertIn]-(u)
                        WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent OR u:TalentTeam)
                          AND ($scope IS NULL OR u.id IN $scope) }
            OR EXISTS { MATCH (x)<-[:inLink]-(:Enterprise)<-[:hostedBy]-(p:InnovationPlatform)
                        WHERE $scope IS NULL OR p.id IN $scope }
       } AS supported_inherited,
       COLLECT { MATCH (l)-[:requires]->(t:KeyTechnology)
                 WITH DISTINCT t
                 RETURN [t.id, t.chokepoint, t.status,
                         EXISTS { MATCH (t)<-[:tackles]-(u)
                                  WHERE (u:InnovationPlatform OR u:University OR u:ResearchInstitute OR u:Talent
                                         OR u:TalentTeam OR u:Enterprise OR u:Project)
                                    AND ($scope IS NULL OR u.id IN $scope) }] } AS techs
