// gap_candidates_technology: per technology, every node that tackles it (platforms, universities,
// institutes, talent, teams, enterprises, projects) or is expert in it (any kind), as
// [id, relation, kind]. The region (in / outside scope) and the bases are applied in Python, the
// ranking as analysis.gaps.gap_candidates. params: $techs (KeyTechnology ids)
UNWIND $techs AS tid
MATCH (t:KeyTechnology {id: tid})
RETURN t.id AS tech_id,
       COLLECT { MATCH (t)<-[r:tackles|expertIn]-(u:KjqgNode)
                 WHERE type(r) = 'expertIn' OR u:InnovationPlatform OR u:University OR u:ResearchInstitute
                       OR u:Talent OR u:TalentTeam OR u:Enterprise OR u:Project
                 RETURN DISTINCT [u.id, type(r), [k IN labels(u) WHERE k <> 'KjqgNode'][0]] } AS tacklers
