// title: A recommendation and everything it touches, as a graph
// description: The recommendation's document, theme, framework and provision links and the
//   bodies it mentions, one relationship per row, for the graph view.
// params: rec_id: str = gcm-ts5-summary:a.1
// view: graph
// caption: Recommendation=id, Document=title, Theme=name, Provision=title, Framework=short_name, Body=name
MATCH (r:Recommendation {id: $rec_id})-[link]->(x)
RETURN r.id AS recommendation, x.id AS target, r, link, x
ORDER BY target
