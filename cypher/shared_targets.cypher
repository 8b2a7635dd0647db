// title: Recommendations that share a framework link with a given one
// description: The other recommendations that map to the same frameworks or provisions, most
//   shared targets first (the top N). `m1 <> m2` keeps LadybugDB from pairing a link with
//   itself: it lets one pattern reuse a relationship, Neo4j does not.
// params: rec_id: str = gcm-ts5-summary:d.1, top: int = 10
// view: table
// caption: Recommendation=id
MATCH (r:Recommendation {id: $rec_id})-[m1:MAPS_TO]->(t)<-[m2:MAPS_TO]-(o:Recommendation)
WHERE m1 <> m2
RETURN o.id AS other, count(DISTINCT t) AS shared_targets, o.text AS text
ORDER BY shared_targets DESC, other
LIMIT $top
