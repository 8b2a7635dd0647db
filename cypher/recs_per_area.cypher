// title: Recommendations per area of discussion
// description: How many recommendations the co-facilitators' summary makes in each area
//   (a overarching frameworks ... g data).
// view: bar
// caption: Theme=name
MATCH (t:Theme)
OPTIONAL MATCH (r:Recommendation)-[:IN_AREA]->(t)
RETURN t.area AS area, t.name AS theme, count(r) AS recommendations
ORDER BY area
