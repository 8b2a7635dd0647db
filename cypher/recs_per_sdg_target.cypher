// title: Recommendations per SDG target
// description: For each 2030 Agenda target in the corpus (5.2, 8.7, 10.7, 16.2 ...), how many
//   recommendations map to it or to one of its indicators with at least the given score.
// params: min_score: float = 0.0
// view: bar
// caption: Provision=title
MATCH (t:Provision {framework_id: 'agenda-2030'})
WHERE t.ref STARTS WITH 'target-'
OPTIONAL MATCH (r:Recommendation)-[m:MAPS_TO]->(p:Provision {framework_id: 'agenda-2030'})
WHERE m.score >= $min_score
  AND (p.id = t.id OR p.ref STARTS WITH (replace(t.ref, 'target-', 'indicator-') + '.'))
WITH t, count(DISTINCT r) AS recommendations
RETURN t.ref AS target, t.title AS title, recommendations
ORDER BY t.ordinal
