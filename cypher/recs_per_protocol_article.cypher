// title: Recommendations per Protocol article
// description: For each article of the Trafficking in Persons and Smuggling of Migrants
//   Protocols (or of one of them), how many recommendations map to it and how many of those
//   links are cited or curated rather than inferred.
// params: protocol_id: str | None = None
// view: table
// caption: Provision=title
MATCH (p:Provision)
WHERE p.framework_id = $protocol_id
   OR ($protocol_id IS NULL AND p.framework_id IN ['tip-protocol', 'som-protocol'])
OPTIONAL MATCH (r:Recommendation)-[m:MAPS_TO]->(p)
WITH p, count(DISTINCT r) AS recommendations,
     count(CASE WHEN m.method <> 'inferred' THEN 1 END) AS cited_or_curated
RETURN p.framework_id AS protocol, p.ref AS article, p.title AS title, recommendations,
       cited_or_curated
ORDER BY protocol, p.ordinal
