// title: Recommendations per GCM objective
// description: For each of the 23 objectives of the Global Compact for Migration, how many
//   recommendations map to it, counting only the link methods given.
// params: methods: list[str] = [cited, curated, inferred]
// view: bar
// caption: Provision=title
MATCH (p:Provision {framework_id: 'gcm'})
WHERE p.ref STARTS WITH 'obj-'
OPTIONAL MATCH (r:Recommendation)-[m:MAPS_TO]->(p)
WHERE m.method IN $methods
WITH p, count(DISTINCT r) AS recommendations
RETURN p.ref AS objective, p.title AS title, recommendations
ORDER BY p.ordinal
