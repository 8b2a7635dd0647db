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

/* ladybug variant: two steps (per recommendation and framework, then per theme): at 250k, 0.6 s instead of 1.8 s; on Neo4j the one-step form is the faster (1.6 s against 2.5 s)
MATCH (r:Recommendation)-[m:MAPS_TO]->(x)
WITH r, coalesce(x.framework_id, x.id) AS framework, count(m) AS links,
     sum(m.score) AS total, count(m.score) AS scored
MATCH (t:Theme)<-[:IN_AREA]-(r)
RETURN t.area AS area, t.name AS theme, framework, count(r) AS recommendations,
       sum(links) AS links,
       CASE WHEN sum(scored) = 0 THEN null ELSE sum(total) / sum(scored) END AS mean_score
ORDER BY area, framework
*/
