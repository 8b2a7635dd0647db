// title: Cited by name, curated, or linked only by inference
// description: For each recommendation, how many of its framework links are cited in its text,
//   curated by a reviewer, or inferred by retrieval, and which of these is its strongest
//   evidence: "cited" names a framework, "inferred only" has nothing but retrieval behind it.
// params: area: str | None = None
// view: table
// caption: Recommendation=id
MATCH (r:Recommendation)
WHERE r.area = $area OR $area IS NULL
OPTIONAL MATCH (r)-[m:MAPS_TO]->()
WITH r,
     count(CASE WHEN m.method = 'cited' THEN 1 END) AS cited,
     count(CASE WHEN m.method = 'curated' THEN 1 END) AS curated,
     count(CASE WHEN m.method = 'inferred' THEN 1 END) AS inferred
RETURN r.id AS recommendation,
       CASE WHEN cited > 0 THEN 'cited'
            WHEN curated > 0 THEN 'curated'
            WHEN inferred > 0 THEN 'inferred only'
            ELSE 'no link' END AS strongest,
       cited, curated, inferred
ORDER BY r.area, r.ordinal
