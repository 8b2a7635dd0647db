// title: Within two steps of a framework
// description: Every node one or two relationships away from a framework (in any direction)
//   and the number of distinct routes to it, no route using a relationship twice. LadybugDB's
//   variable-length patterns may walk back over the same relationship, so its variant asks
//   for TRAIL semantics.
// params: framework_id: str = tip-protocol
// view: table
// caption: Framework=short_name
MATCH (f:Framework {id: $framework_id})-[*1..2]-(x)
RETURN x.id AS neighbour, count(*) AS routes
ORDER BY neighbour

/* ladybug variant: TRAIL, so that no route reuses a relationship (Neo4j's default)
MATCH (f:Framework {id: $framework_id})-[* TRAIL 1..2]-(x)
RETURN x.id AS neighbour, count(*) AS routes
ORDER BY neighbour
*/
