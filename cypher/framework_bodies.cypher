// title: The bodies behind a framework
// description: Who adopted a framework (ADOPTED_BY, with date and symbol) and the chain of
//   bodies each adopting body belongs to (PART_OF, up to five levels; depth 0 is the adopting
//   body itself).
// params: framework_id: str = gcm
// view: graph
// caption: Framework=short_name, Body=name
MATCH (f:Framework {id: $framework_id})-[a:ADOPTED_BY]->(adopter:Body)
MATCH chain = (adopter)-[:PART_OF*0..5]->(b:Body)
RETURN f.id AS framework, adopter.id AS adopted_by, a.date AS date, a.symbol AS symbol,
       length(chain) AS depth, b.id AS body, b.name AS name, b.kind AS kind, chain
ORDER BY adopted_by, depth
