// title: From a recommendation to an SDG target: the shortest routes
// description: All shortest paths (up to six steps) from a recommendation to a provision,
//   over framework links only (MAPS_TO, PART_OF, ALIGNS_WITH, SUPPLEMENTS), in either direction:
//   how a trainer walks from a recommendation to SDG target 8.7. LadybugDB has no
//   allShortestPaths(), so the file carries its own variant.
// params: rec_id: str = gcm-ts5-summary:a.1, target_id: str = agenda-2030:target-8.7
// view: graph
// caption: Recommendation=id, Provision=ref, Framework=short_name
MATCH (r:Recommendation {id: $rec_id}), (t:Provision {id: $target_id})
MATCH p = allShortestPaths((r)-[:MAPS_TO|PART_OF|ALIGNS_WITH|SUPPLEMENTS*..6]-(t))
RETURN length(p) AS hops,
       reduce(route = '', n IN nodes(p) |
              route + CASE WHEN route = '' THEN '' ELSE ' > ' END + n.id) AS route,
       p
ORDER BY route

/* ladybug variant: [* ALL SHORTEST 1..n] for allShortestPaths, list_to_string for reduce
MATCH p = (r:Recommendation {id: $rec_id})-[:MAPS_TO|PART_OF|ALIGNS_WITH|SUPPLEMENTS* ALL SHORTEST 1..6]-(t:Provision {id: $target_id})
RETURN length(p) AS hops,
       list_to_string(' > ', properties(nodes(p), 'id')) AS route,
       p
ORDER BY route
*/
