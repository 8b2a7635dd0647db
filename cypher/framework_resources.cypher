// title: Tools that support a framework
// description: Legislative guides, model laws, case digests and databases (SUPPORTS) for
//   implementing a framework, newest first.
// params: framework_id: str = tip-protocol
// view: table
// caption: Resource=title, Framework=short_name
MATCH (r:Resource)-[:SUPPORTS]->(f:Framework {id: $framework_id})
RETURN r.id AS resource, r.title AS title, r.year AS year, r.publisher AS publisher
ORDER BY year DESC, resource
