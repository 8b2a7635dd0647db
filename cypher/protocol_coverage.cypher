// title: Smuggling or trafficking: recommendations per Protocol
// description: Recommendations that map to the Trafficking in Persons Protocol, the Smuggling
//   of Migrants Protocol, or both (through the Protocol itself or one of its articles), with the
//   number of links to each.
// view: table
// caption: Recommendation=id
MATCH (r:Recommendation)-[:MAPS_TO]->(t)
WITH r, coalesce(t.framework_id, t.id) AS framework
WHERE framework IN ['tip-protocol', 'som-protocol']
WITH r,
     count(CASE WHEN framework = 'tip-protocol' THEN 1 END) AS trafficking_links,
     count(CASE WHEN framework = 'som-protocol' THEN 1 END) AS smuggling_links
RETURN CASE WHEN trafficking_links > 0 AND smuggling_links > 0 THEN 'both'
            WHEN trafficking_links > 0 THEN 'trafficking only'
            ELSE 'smuggling only' END AS coverage,
       r.id AS recommendation, trafficking_links, smuggling_links
ORDER BY coverage, r.area, r.ordinal
