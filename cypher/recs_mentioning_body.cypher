// title: Recommendations that mention a body
// description: Recommendations linked to a body by a MENTIONS relationship (the linker found
//   its name or acronym), plus any whose text contains the body's acronym or full name
//   (found_by says which).
// params: body_id: str = iom
// view: table
// caption: Recommendation=id, Body=name
MATCH (b:Body {id: $body_id})
MATCH (r:Recommendation)
OPTIONAL MATCH (r)-[m:MENTIONS]->(b)
WITH b, r, m
WHERE m IS NOT NULL
   OR (b.acronym IS NOT NULL AND (r.text CONTAINS b.acronym))
   OR (r.text CONTAINS b.name)
RETURN b.id AS body, r.id AS recommendation,
       CASE WHEN m IS NULL THEN 'text' ELSE 'link' END AS found_by,
       m.evidence AS evidence, r.text AS text
ORDER BY r.area, r.ordinal
