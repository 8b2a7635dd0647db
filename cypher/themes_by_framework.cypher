// title: Themes x frameworks: how many recommendations of each area map to each framework
// description: For each area of discussion (a-g) and each framework its recommendations map to
//   (directly or through a provision): the number of recommendations, of links, and the mean
//   link score.
// view: table
// caption: Theme=name, Framework=short_name
MATCH (t:Theme)<-[:IN_AREA]-(r:Recommendation)-[m:MAPS_TO]->(x)
RETURN t.area AS area, t.name AS theme, coalesce(x.framework_id, x.id) AS framework,
       count(DISTINCT r) AS recommendations, count(m) AS links, avg(m.score) AS mean_score
ORDER BY area, framework
