// title: Frameworks adopted by a body (the Security Council by default)
// description: Every framework with an ADOPTED_BY link to the body, oldest first: for the
//   Security Council, its resolutions on trafficking in persons (2195, 2331, 2388, 2482).
// params: body_id: str = unsc
// view: table
// caption: Framework=short_name, Body=name
MATCH (f:Framework)-[a:ADOPTED_BY]->(b:Body {id: $body_id})
RETURN f.id AS framework, f.short_name AS short_name, f.kind AS kind,
       coalesce(a.symbol, f.symbol) AS symbol, coalesce(a.date, f.adopted) AS adopted
ORDER BY adopted, framework
