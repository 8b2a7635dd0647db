// title: Where a recommendation maps: frameworks and provisions, with method and evidence
// description: Every MAPS_TO link of one recommendation: the framework (or the framework of the
//   provision), the provision, how the link was made (cited in the text, curated by a reviewer,
//   inferred by retrieval), its score and its evidence. A recommendation without links still
//   returns one row, with empty link columns.
// params: rec_id: str = gcm-ts5-summary:a.1
// view: table
// caption: Recommendation=id, Provision=title, Framework=short_name
MATCH (r:Recommendation {id: $rec_id})
OPTIONAL MATCH (r)-[m:MAPS_TO]->(t)
RETURN r.id AS recommendation,
       coalesce(t.framework_id, t.id) AS framework,
       t.ref AS provision,
       coalesce(t.title, t.short_name) AS target_title,
       m.method AS method,
       m.score AS score,
       m.reviewed AS reviewed,
       m.evidence AS evidence
ORDER BY framework, coalesce(t.ref, ''), method
